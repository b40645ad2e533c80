"""The moderation pack: how far the heads' own grades agreed, for the heads' meeting.

Built in the one document model (so the Word and PDF versions say the same thing) from the
agreement report of a year: the figures at a glance, per area, term by term, per pair of
reviewers, each reviewer's lean against the agreed grade, and each school's self-evaluation
against its peers. Counts come first; a share is only ever given beside its count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nexus_review.domain.agreement import MIN_PAIRS_FOR_KAPPA, TOO_FEW, Agreement, Kappa
from nexus_review.domain.wording import counted
from nexus_review.reports.document import (
    BarChart,
    Block,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from nexus_review.reports.feedback import network_name_or_default

if TYPE_CHECKING:  # the figures come from the use cases, which call this builder
    from nexus_review.domain.calibration import ExerciseResults
    from nexus_review.domain.consistency import AgreementReport


def kappa_words(k: Kappa) -> str:
    if k.value is None:
        if k.reason == TOO_FEW:
            return f"– (fewer than {MIN_PAIRS_FOR_KAPPA} pairs)"
        return "– (the same grade throughout)" if "same grade" in k.reason else "–"
    if k.low is None or k.high is None:
        return f"{k.value:.2f}"
    return f"{k.value:.2f} ({k.low:.2f} to {k.high:.2f})"


def _cells(a: Agreement) -> tuple[str, str, str, str]:
    return (str(a.n), f"{a.exact} of {a.n}", f"{a.within_one} of {a.n}", kappa_words(a.kappa))


def _tilt(diff: float | None, up: str, down: str) -> str:
    if diff is None or abs(diff) < 0.25:
        return "no clear lean"
    return f"{abs(diff):.1f} of a grade {up if diff > 0 else down}"


FIGURE_HEADER = ("Pairs", "Exact", "Within one", "Weighted kappa (95 % CI)")
KEY = Paragraph(
    "Pairs: paired judgements. Exact: both heads gave the same grade. Within one: no more than one "
    "grade apart. Weighted kappa with its 95 % confidence interval.",
    "note",
)


def build_moderation_pack(
    report: AgreementReport, network_name: str = "", calibration: Sequence[ExerciseResults] = ()
) -> Document:
    network = network_name_or_default(network_name)
    flt = report.filter
    scope = [
        x
        for x in (flt.group and f"the {flt.group}", flt.framework, flt.area and f"area {flt.area}")
        if x
    ]
    subtitle = f"{network} · {report.year}" + (f" · {', '.join(scope)}" if scope else "")
    o = report.overall
    blocks: list[Block] = [
        Paragraph(
            "Before a review team agrees its judgement, each head records a grade of their own. This pack sets those "
            "own grades side by side: how often two heads looking at the same evidence reached the same judgement, "
            "where they differed, and how the agreed judgements compare with schools' own, for the heads' meeting.",
            "lead",
        ),
        TableOfContents("Contents"),
        PageBreak(),
        Heading("Agreement at a glance"),
        KeyValue(
            (
                ("Visits in the year", str(report.visits)),
                ("Visits with own grades from two or more heads", str(report.graded_visits)),
                ("Paired judgements", str(o.n)),
                ("Exactly the same", f"{o.exact} of {o.n}" if o.n else "–"),
                ("Within one grade", f"{o.within_one} of {o.n}" if o.n else "–"),
                ("Weighted kappa (95 % confidence interval)", kappa_words(o.kappa) if o.n else "–"),
            )
        ),
        Paragraph(o.describe()),
        Paragraph(
            "A kappa of 1 is full agreement and 0 no more than chance would give. For comparison, Ofsted's 2019 study of "
            "paired lesson visits found a reliability of about 0.6; 0.7 is the usual bar for acceptable agreement.",
            "muted",
        ),
    ]
    if not o.enough and not report.areas:
        blocks.append(
            Paragraph(
                "No two heads gave their own grades of the same area this year, so there is nothing to compare yet."
            )
        )
        return Document(
            "Moderation pack", subtitle, network, f"{network} · {report.year}", True, tuple(blocks)
        )
    if report.areas:
        blocks += [
            Heading("Agreement per area"),
            KEY,
            Table(
                ("Area", *FIGURE_HEADER),
                tuple((a.area_name, *_cells(a.agreement)) for a in report.areas),
                widths=(3.4, 0.9, 1.2, 1.2, 2.3),
            ),
        ]
        multi = [a for a in report.areas if a.agreement.fleiss is not None]
        if multi:
            blocks.append(
                Paragraph(
                    "Where three or more heads graded the same area, Fleiss' kappa: "
                    + "; ".join(
                        f"{a.area_name} {kappa_words(a.agreement.fleiss)}"
                        for a in multi
                        if a.agreement.fleiss
                    )
                    + ".",
                    "muted",
                )
            )
    if report.distributions:
        blocks += [
            Heading("Own grades given per area"),
            Table(
                ("Area", "Grades given (best first)", "In all"),
                tuple(
                    (
                        d.area_name,
                        ", ".join(f"{g.label} {g.count}" for g in d.grades if g.count) or "–",
                        str(d.total),
                    )
                    for d in report.distributions
                ),
                widths=(3.0, 5.0, 1.0),
            ),
        ]
    shown_terms = [t for t in report.over_time if t.agreement.n]
    if shown_terms:
        blocks += [
            Heading("Agreement term by term"),
            KEY,
            Table(
                ("Term", *FIGURE_HEADER),
                tuple((t.term, *_cells(t.agreement)) for t in shown_terms),
                widths=(2.4, 0.9, 1.2, 1.2, 2.3),
            ),
            BarChart(
                "How far apart heads' own grades were, term by term",
                tuple(t.term for t in shown_terms),
                (
                    ("Exactly the same", tuple(float(t.agreement.exact) for t in shown_terms)),
                    (
                        "One grade apart",
                        tuple(
                            float(t.agreement.within_one - t.agreement.exact) for t in shown_terms
                        ),
                    ),
                    (
                        "Further apart",
                        tuple(float(t.agreement.n - t.agreement.within_one) for t in shown_terms),
                    ),
                ),
                "paired judgements",
            ),
        ]
    if report.pairs:
        blocks += [
            Heading("Pairs of heads"),
            Paragraph(
                "Each pair of heads on the areas both graded; a pair with few paired judgements says little.",
                "muted",
            ),
            Table(
                ("Heads", *FIGURE_HEADER),
                tuple((f"{p.first} and {p.second}", *_cells(p.agreement)) for p in report.pairs),
                widths=(3.6, 0.9, 1.2, 1.2, 2.3),
            ),
        ]
    if report.leans:
        blocks += [
            Heading("Each head against the agreed grade"),
            Paragraph(
                "A head's own grade beside the grade the team agreed: kinder (higher), the same, or harsher (lower).",
                "muted",
            ),
            Table(
                ("Head", "Compared", "Kinder", "Same", "Harsher", "On average"),
                tuple(
                    (
                        x.who,
                        str(x.n),
                        str(x.higher),
                        str(x.same),
                        str(x.lower),
                        _tilt(x.mean_difference, "kinder", "harsher"),
                    )
                    for x in report.leans
                ),
                widths=(3.0, 1.3, 1.0, 1.0, 1.0, 2.2),
            ),
        ]
    if report.self_evaluation:
        blocks += [
            Heading("Self-evaluation against the peer judgement"),
            Paragraph(
                "Each school's own grade of an area beside the judgement its reviewers agreed, year by year: does the "
                "school grade itself higher or lower than its peers, and is that changing? Higher: the school's own "
                "grade was above the peer judgement; lower: below it.",
                "muted",
            ),
            Table(
                (
                    "School",
                    "Year",
                    "Areas",
                    "Higher",
                    "Same",
                    "Lower",
                    "Over the years",
                ),
                tuple(
                    (
                        s.school,
                        y.year,
                        str(y.lean.n),
                        str(y.lean.higher),
                        str(y.lean.same),
                        str(y.lean.lower),
                        s.trend if i == len(s.years) - 1 else "",
                    )
                    for s in report.self_evaluation
                    for i, y in enumerate(s.years)
                ),
                widths=(2.6, 1.3, 1.0, 1.1, 1.0, 1.0, 2.6),
            ),
        ]
    for results in calibration:
        e = results.exercise
        blocks += [
            Heading(f"Calibration exercise: {e.title}"),
            Paragraph(
                f"{e.evidence_kind}, with its staff, school and reviewers taken out; "
                f"{counted(len(results.heads), 'head')} graded it on their own.",
                "muted",
            ),
            *(Paragraph(part) for part in e.evidence_text.split("\n\n") if part.strip()),
            Table(
                ("Area", "Grades given (best first)", "How far the heads agreed"),
                tuple(
                    (
                        a.area_name,
                        ", ".join(f"{g} {n}" for g, n in a.spread if n) or "–",
                        a.describe(),
                    )
                    for a in results.areas
                ),
                widths=(2.2, 3.6, 3.8),
            ),
            Table(
                ("Head", "Area", "Grade", "Reason"),
                tuple(
                    (x.head, a.area_name, x.grade_label or "–", x.reason or "–")
                    for a in results.areas
                    for x in a.answers
                ),
                widths=(2.2, 2.2, 1.6, 4.0),
                caption="The reasons each head gave",
            ),
        ]
    methods = sorted(
        {m for m in [o.kappa.method, *(a.agreement.kappa.method for a in report.areas)] if m}
    )
    fleiss = sorted(
        {
            a.agreement.fleiss.method
            for a in report.areas
            if a.agreement.fleiss is not None and a.agreement.fleiss.method
        }
    )
    blocks += [
        Heading("About these figures"),
        Paragraph(
            "A paired judgement is two heads' own grades of the same area of the same visit (or of one look-for in one "
            "classroom of a learning walk); three heads make three pairs. Weighted kappa is Cohen's kappa with quadratic "
            "weights: grades two apart count four times as much as grades one apart. "
            f"Below {MIN_PAIRS_FOR_KAPPA} paired judgements no kappa is given: the counts are said alone. "
            "Look-fors are seen, partly seen or not seen, a scale of their own, so they have their own row and are "
            "left out of the figures at a glance, term by term and per pair."
        ),
        Paragraph(
            "Confidence intervals: " + "; ".join(methods + fleiss) + "."
            if methods or fleiss
            else "No confidence intervals could be worked out.",
            "small",
        ),
        Paragraph(
            f"{counted(len(report.reviewers), 'head')} gave own grades in {report.year}.", "small"
        ),
    ]
    return Document(
        "Moderation pack", subtitle, network, f"{network} · {report.year}", True, tuple(blocks)
    )
