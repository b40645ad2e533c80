"""The termly standards report to the trust board's standards committee.

Built as the same document tree as the other reports, so the Word and PDF files say the same
thing. Aim by aim: the schools' priorities under it, the delivery plan's progress this term,
the indicators that speak to it with three years' trend beside the national and network
figures, the pupil groups further behind than the network allows, and the term's reviews with
their judgements. Small groups are given by their count, never as a percentage.
"""

from __future__ import annotations

from nexus_review.domain.records import VisitDetail
from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    TERMS,
    AimPriorities,
    IndicatorDef,
    academic_years_back,
)
from nexus_review.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from nexus_review.reports.phrasing import short_date
from nexus_review.reports.standards_data import StandardsData
from nexus_review.reports.standards_figures import indicator_blocks, risk_blocks
from nexus_review.reports.standards_reviews import REVIEWS_HEADING, judgement_blocks, visit_rows

OTHER = "Other"


def _aim_of_indicator(data: StandardsData, d: IndicatorDef) -> str:
    return data.theme_aims.get(d.theme, OTHER)


def _aim_of_visit(data: StandardsData, v: VisitDetail) -> list[str]:
    aims = {data.theme_aims[f] for f in v.focus_areas if f in data.theme_aims}
    return sorted(aims) or [OTHER]


def _progress_rows(data: StandardsData, aim: AimPriorities) -> tuple[tuple[str, ...], ...]:
    rows = []
    for a in aim.actions:
        p = a.progress_in(data.year, data.term)
        status = PROGRESS_STATUSES.get(p.status, p.status) if p else "Not reported"
        note = f"{status}: {p.note}" if p and p.note else status
        rows.append((a.what, a.outcome or "–", a.lead or "–", short_date(a.due_date), note))
    return tuple(rows)


def build_standards_report(data: StandardsData) -> Document:
    term_name = f"{TERMS[data.term].lower()} term"
    period = f"{data.year}, {term_name}"
    blocks: list[Block] = [
        Paragraph(
            f"Progress against the trust's aims in the {term_name} of {data.year}, for the standards committee: "
            "the delivery plan's actions, the schools' outcomes beside the national and network figures, the pupil "
            "groups further behind than the network allows, and the term's peer reviews with their judgements.",
            "lead",
        ),
        TableOfContents("Contents"),
        PageBreak(),
        Heading("Summary"),
    ]
    actions = [a for aim in data.aims for a in aim.actions]
    statuses = [a.progress_in(data.year, data.term) for a in actions]
    tally = ", ".join(
        f"{sum(1 for p in statuses if p and p.status == key)} {label.lower()}"
        for key, label in PROGRESS_STATUSES.items()
        if any(p and p.status == key for p in statuses)
    )
    unreported = sum(1 for p in statuses if p is None)
    judged = [r for r in data.risks if not r.too_small]
    blocks.append(
        KeyValue(
            (
                ("Aims", str(len(data.aims))),
                (
                    "Delivery actions",
                    f"{len(actions)}"
                    + (f": {tally}" if tally else "")
                    + (f"; {unreported} not reported this term" if unreported else ""),
                ),
                ("Latest outcomes", data.figures_year or "no figures yet"),
                (
                    "Pupil groups behind",
                    f"{len(judged)} more than {data.thresholds.gap:g} points behind; {len(data.risks) - len(judged)} too small to judge",
                ),
                ("Reviews this term", str(len(data.visits))),
            )
        )
    )
    sections: list[tuple[str, str, str, AimPriorities | None]] = [
        (a.aim.id, f"Aim {n}: {a.aim.title}", a.aim.description, a)
        for n, a in enumerate(data.aims, start=1)
    ]
    sections.append(
        (OTHER, "Beyond the aims", "Outcomes and reviews whose theme is under no aim yet.", None)
    )
    for aim_id, title, description, aim in sections:
        indicators = [d for d in data.indicators.ordered() if _aim_of_indicator(data, d) == aim_id]
        risks = [
            r
            for r in data.risks
            if _aim_of_indicator(data, data.indicators.indicators[r.indicator_key]) == aim_id
        ]
        visits = [v for v in data.visits if aim_id in _aim_of_visit(data, v)]
        if aim is None and not (indicators or visits):
            continue
        blocks += [Heading(title)]
        if aim is None:  # an aim's own title says what it is; this section needs a word
            blocks.append(Paragraph(description, "muted"))
        else:
            blocks.append(Heading("Schools' priorities", 2))
            themes: dict[str, list[str]] = {}
            for school, theme in aim.priorities:
                themes.setdefault(theme, []).append(school)
            blocks.append(
                BulletList(tuple(f"{t}: {', '.join(s)}" for t, s in sorted(themes.items())))
                if themes
                else Paragraph("No school has a priority under this aim this year.", "muted")
            )
            blocks.append(Heading("Delivery plan", 2))
            rows = _progress_rows(data, aim)
            blocks.append(
                Table(
                    ("Action", "Measurable outcome", "Lead", "Due", f"Progress, {term_name}"),
                    rows,
                    widths=(2.6, 2.4, 1.6, 1.0, 2.6),
                )
                if rows
                else Paragraph("The delivery plan has no action under this aim yet.", "muted")
            )
        if data.figures_year and indicators:
            shown = [b for d in indicators for b in indicator_blocks(data, d)]
            if shown:
                blocks += shown
            blocks += [Heading("Pupil groups behind", 2), *risk_blocks(data, risks)]
        blocks.append(Heading(f"Reviews in the {term_name}", 2))
        blocks.append(
            Table(
                ("Date", "School", "Kind", "Focus"),
                visit_rows(visits),
                widths=(1.2, 2.4, 2.2, 4.2),
                caption=f"The term's reviews under this aim; their judgements are under '{REVIEWS_HEADING}'.",
            )
            if visits
            else Paragraph(
                f"No review this term looked at {'this aim' if aim else 'these themes'}.", "muted"
            )
        )
    if data.visits:
        blocks += judgement_blocks(data, term_name)
    sources = [
        (n.year, d.name, n.source, n.url)
        for d in data.indicators.ordered()
        for n in d.national
        if n.group == "all"
    ]
    if sources and data.figures_year:
        years = set(academic_years_back(data.figures_year, 3))
        used = [s for s in sources if s[0] in years]
        if used:
            blocks += [
                Heading("Sources of national figures"),
                Paragraph(
                    "National figures for England, each with its year and source; a year left blank has no checked figure.",
                    "muted",
                ),
                BulletList(
                    tuple(f"{name}, {year}: {source} ({url})" for year, name, source, url in used)
                ),
            ]
    return Document(
        "Standards report to the trust board",
        f"{data.network} · {period}",
        data.network,
        f"{data.network} · Standards committee · {period}",
        True,
        tuple(blocks),
    )
