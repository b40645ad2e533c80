"""The network's collaborative review compilation: every review of a year, compiled and
shared across the network "in the interests of transparency".

Built as the same document tree as the feedback report, so the Word and PDF files say the
same thing: a title page and contents, an overview, the themes reviewed, how consistent
heads' judgements were with schools' own, a one-page summary of each review, the
thought-provoking questions, and the follow-up of every agreed next step. Staff are
anonymised unless the administrator asks for names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.enums import VisitKind, VisitStatus
from nexus_review.domain.network import TrackedAction, tracked_actions
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.reports.compilation_reviews import consistency_blocks, review_page
from nexus_review.reports.compilation_themes import theme_blocks
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
    lines_of,
)
from nexus_review.reports.feedback import network_name_or_default
from nexus_review.reports.phrasing import join_words, short_date

TERMS = {"autumn": "autumn term", "spring": "spring term", "summer": "summer term"}


@dataclass(frozen=True)
class CompilationOptions:
    year: str
    term: str | None = None
    group: str | None = None
    schools: tuple[str, ...] = ()
    named_staff: bool = False
    paper: str = "a4"
    today: dt.date | None = None  # for "overdue"; the real date unless a test fixes it


def _kinds(visits: Sequence[VisitDetail]) -> str:
    counts: dict[str, int] = {}
    for v in visits:
        counts[v.kind] = counts.get(v.kind, 0) + 1
    parts = []
    for kind in VisitKind:
        n = counts.get(kind.value, 0)
        if n:
            parts.append(f"{n} × {kind.label.lower()}")
    return ", ".join(parts) or "–"


def _named(v: VisitDetail) -> tuple[str, ...]:
    """Every staff field of a visit's evidence, deleted evidence too."""
    return (*(e.staff for e in v.evidence), *v.staff_named)


def _priorities_by_aim(by_aim: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> list[Block]:
    """The schools' priorities of the year gathered under the network's aims."""
    blocks: list[Block] = [
        Heading("Priorities by aim"),
        Paragraph(
            "The schools' development-plan priorities of the year, gathered under the network's aims.",
            "muted",
        ),
    ]
    for title, priorities in by_aim:
        themes: dict[str, list[str]] = {}
        for school, theme in priorities:
            themes.setdefault(theme, []).append(school)
        blocks.append(Heading(title, 2))
        blocks.append(
            BulletList(
                tuple(f"{theme}: {', '.join(schools)}" for theme, schools in sorted(themes.items()))
            )
            if themes
            else Paragraph("No school has a priority under this aim this year.", "muted")
        )
    return blocks


def build_compilation(
    visits: Sequence[VisitDetail],
    options: CompilationOptions,
    network_name: str = "",
    priorities_by_aim: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
) -> Document:
    # A visit still planned (later in a year in progress) has no outcomes yet: it is counted, not compiled.
    planned = sum(v.status == "planned" for v in visits)
    visits = [v for v in visits if v.status != "planned"]
    network = network_name_or_default(network_name)
    # One anonymiser for the whole document, so each person keeps one letter throughout;
    # everyone named in any evidence of these visits, deleted evidence too.
    staff = Anonymiser([name for v in visits for name in _named(v)], not options.named_staff)
    per_visit = {v.id: staff.within(_named(v)) for v in visits}
    period = options.year + (f", {TERMS[options.term]}" if options.term else "")
    scope = []
    if options.group:
        scope.append(f"the {options.group}")
    if options.schools:
        scope.append(join_words(list(options.schools)))
    subtitle = f"{network} · {period}" + (f" · {', '.join(scope)}" if scope else "")
    blocks: list[Block] = [
        Paragraph(
            "The outcomes of the year's school-to-school reviews, compiled and shared across the network in the "
            "interests of transparency: what the reviews looked at, what they found, how far heads' judgements "
            "matched schools' own, the questions they left with schools, and how the agreed next steps are going.",
            "lead",
        ),
        TableOfContents("Contents"),
        PageBreak(),
        Heading("Overview"),
    ]
    if not visits:
        later = (
            f" {counted(planned, 'visit is', 'visits are')} planned later in the year."
            if planned
            else ""
        )
        blocks.append(Paragraph(f"No reviews were recorded for {period}.{later}"))
        return Document(
            "Collaborative review compilation",
            subtitle,
            network,
            f"{network} · {period}",
            True,
            tuple(blocks),
        )
    first, last = min(v.visit_date for v in visits), max(v.visit_date for v in visits)
    schools = sorted({v.host_school.name for v in visits})
    reviewers = sorted({m.name for v in visits for m in v.team})
    blocks += [
        KeyValue(
            (
                ("Period covered", f"{short_date(first)} to {short_date(last)}"),
                (
                    "Reviews",
                    str(len(visits))
                    + (
                        f" ({unfinished} not yet finished, marked as such below)"
                        if (unfinished := sum(v.status != VisitStatus.REPORT_SENT for v in visits))
                        else ""
                    ),
                ),
                ("Schools reviewed", f"{len(schools)}: {', '.join(schools)}"),
                ("Reviewers", str(len(reviewers))),
                ("Kinds of visit", _kinds(visits)),
                ("Next steps agreed", str(sum(len(v.actions) for v in visits))),
                *((("Still planned", f"{planned} later in the year"),) if planned else ()),
            )
        ),
        Heading("Themes"),
        Paragraph(
            "The focus areas reviewed across the network, with what the reviews found.", "muted"
        ),
        *theme_blocks(visits, per_visit),
        *(_priorities_by_aim(priorities_by_aim) if priorities_by_aim else ()),
        Heading("Judgement consistency"),
        *consistency_blocks(visits),
        Heading("The reviews, school by school"),
        Paragraph(
            "Each review in turn, school by school; the keys to the grades are under Judgement consistency.",
            "muted",
        ),
    ]
    for v in sorted(visits, key=lambda v: (v.host_school.name, v.visit_date)):
        blocks += review_page(v, per_visit[v.id])
    questions = []
    for v in sorted(visits, key=lambda v: (v.visit_date, v.host_school.name)):
        questions += [
            f"{per_visit[v.id].clean(q)} ({v.host_school.name}, {short_date(v.visit_date)})"
            for q in lines_of(v.questions)
        ]
    if questions:
        blocks += [
            Heading("Thought-provoking questions"),
            Paragraph(
                "Questions the reviews left with schools, for every school to consider.", "muted"
            ),
            BulletList(tuple(questions)),
        ]
    actions = tracked_actions(visits)
    if actions:
        today = options.today or dt.date.today()
        open_count = sum(a.status != "done" for a in actions)
        overdue = sum(a.overdue(today) for a in actions)
        blocks += [
            Heading("Follow-up of agreed next steps"),
            Paragraph(
                f"{counted(len(actions), 'next step')} agreed; {sum(a.status == 'done' for a in actions)} done, {open_count} still open or in progress, {overdue} overdue on {short_date(today)}. School by school, in the order they are due.",
                "muted",
            ),
        ]
        by_school: dict[str, list[TrackedAction]] = {}
        for a in sorted(
            actions, key=lambda a: (a.school, a.due_date or dt.date.max, a.description)
        ):
            by_school.setdefault(a.school, []).append(a)
        for school, mine in by_school.items():
            blocks += [
                Heading(school, 2),
                Table(
                    ("Next step", "Owner", "Due", "Status", "Follow-up"),
                    tuple(
                        (
                            per_visit[a.visit_id].clean(a.description),
                            per_visit[a.visit_id].clean(a.owner) or "–",
                            short_date(a.due_date),
                            a.status_label(today),
                            "\n".join(
                                f"{short_date(d)}: {per_visit[a.visit_id].clean(n)}"
                                for d, n in a.follow_up
                            )
                            or "–",
                        )
                        for a in mine
                    ),
                    widths=(3.4, 1.9, 1.1, 1.3, 3.1),
                ),
            ]
    return Document(
        "Collaborative review compilation",
        subtitle,
        network,
        f"{network} · {period}",
        True,
        tuple(blocks),
    )
