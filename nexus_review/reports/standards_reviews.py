"""The standards report's reviews: the term's reviews under each aim, and each review's
judgements beside the school's own evaluation."""

from __future__ import annotations

from collections.abc import Sequence

from nexus_review.domain.enums import VisitKind, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.reports.document import Block, BulletList, Heading, Paragraph, Table
from nexus_review.reports.phrasing import short_date
from nexus_review.reports.standards_data import StandardsData


def _by_date(visits: Sequence[VisitDetail]) -> list[VisitDetail]:
    return sorted(visits, key=lambda v: (v.visit_date, v.host_school.name))


def visit_rows(visits: Sequence[VisitDetail]) -> tuple[tuple[str, ...], ...]:
    """The reviews under an aim, one line each; their judgements come once, at the end."""
    return tuple(
        (
            short_date(v.visit_date),
            v.host_school.name,
            label_of(VisitKind, v.kind),
            "; ".join(v.focus_areas) or "–",
        )
        for v in _by_date(visits)
    )


def _judgement_rows(v: VisitDetail) -> tuple[tuple[str, str, str], ...]:
    """(area, the peers' judgement, the school's own) for each area judged at a review."""
    from nexus_review.errors import FrameworkError
    from nexus_review.frameworks import area_title, get_framework

    try:
        framework = get_framework(v.framework_key)
    except FrameworkError:
        framework = None
    rows = []
    for j in v.judgements:
        if not j.peer_grade and not j.self_grade:
            continue
        name = area_title(framework, j.area_key, v.focus_areas) if framework else j.area_key
        peer = framework.grade_label(j.area_key, j.peer_grade) if framework else j.peer_grade
        own = framework.grade_label(j.area_key, j.self_grade) if framework else j.self_grade
        rows.append((name, peer or "not judged", own or "not given"))
    return tuple(rows)


def judgement_blocks(data: StandardsData, term_name: str) -> list[Block]:
    """Each review of the term that recorded judgements: the peers' judgement of each area
    beside the school's own evaluation; then the reviews that recorded none."""
    judged = [(v, rows) for v in _by_date(data.visits) if (rows := _judgement_rows(v))]
    others = [v for v in _by_date(data.visits) if not _judgement_rows(v)]
    blocks: list[Block] = [
        Heading(REVIEWS_HEADING),
        Paragraph(
            f"The {term_name}'s reviews, each with the reviewing heads' judgement of every area beside the "
            "school's own evaluation of it.",
            "muted",
        ),
    ]
    for v, rows in judged:
        title = f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {short_date(v.visit_date)}"
        blocks += [
            Heading(title, 2),
            Table(
                ("Area", "Peer judgement", "School's own evaluation"),
                rows,
                widths=(3.6, 2.6, 2.6),
                caption=f"Focus: {'; '.join(v.focus_areas) or 'none given'}.",
            ),
        ]
    if others:
        blocks += [
            Heading("Reviews with no judgements recorded", 2),
            Paragraph(
                "Collaborative reviews, learning walks and follow-up visits look at one issue in depth "
                "and often record evidence and questions rather than judgements.",
                "muted",
            ),
            BulletList(
                tuple(
                    f"{short_date(v.visit_date)}: {v.host_school.name}, {label_of(VisitKind, v.kind).lower()}"
                    f" ({'; '.join(v.focus_areas) or 'no focus given'})"
                    for v in others
                )
            ),
        ]
    return blocks


REVIEWS_HEADING = "The term's reviews and their judgements"
