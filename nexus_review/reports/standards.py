"""The termly standards report to the trust board's standards committee.

Built as the same document tree as the other reports, so the Word and PDF files say the same
thing. Aim by aim: the schools' priorities under it, the delivery plan's progress this term,
the indicators that speak to it with three years' trend beside the national and network
figures, the pupil groups further behind than the network allows, and the term's reviews with
their judgements. Small groups are given by their count, never as a percentage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from nexus_review.domain.enums import VisitKind, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    PUPIL_GROUPS,
    TERMS,
    AimPriorities,
    Figure,
    GroupAtRisk,
    IndicatorDef,
    IndicatorSet,
    Thresholds,
    academic_years_back,
    network_figure,
    pupils_text,
)
from nexus_review.reports.document import (
    BarChart,
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

OTHER = "Other"


@dataclass(frozen=True)
class StandardsData:
    """Everything the report says, read in one go by the use case."""

    year: str
    term: str
    network: str
    figures_year: str  # the latest year with figures, "" if none
    aims: tuple[AimPriorities, ...]
    theme_aims: dict[str, str]  # theme -> aim id
    indicators: IndicatorSet
    figures: tuple[Figure, ...]  # the three years to figures_year
    risks: tuple[GroupAtRisk, ...]
    thresholds: Thresholds
    visits: tuple[VisitDetail, ...]
    today: dt.date = field(default_factory=dt.date.today)


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "–"


def _fixed(value: float, unit: str) -> str:
    """A figure to one decimal place, so that a table's columns read alike (66.0%, 67.4%)."""
    return f"{value:.1f}%" if unit == "%" else f"{value:.1f} {unit}"


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
        rows.append((a.what, a.outcome or "–", a.lead or "–", _day(a.due_date), note))
    return tuple(rows)


def _indicator_blocks(data: StandardsData, d: IndicatorDef) -> list[Block]:
    years = academic_years_back(data.figures_year, 3)
    mine = [f for f in data.figures if f.indicator_key == d.key and f.group == "all"]
    if not mine:
        return []
    schools = sorted({f.school_name for f in mine})
    by = {(f.school_name, f.year): f for f in mine}
    small = data.thresholds.small_group

    def cell(f: Figure | None) -> str:
        if f is None:
            return "–"
        if f.pupils < small:
            return f"{pupils_text(f.pupils)}, too few to judge"
        return f"{_fixed(f.value, d.unit)} ({f.pupils})"

    rows = [(s, *(cell(by.get((s, y))) for y in years)) for s in schools]
    network = [network_figure(data.figures, d.key, y, "all") for y in years]
    national = [d.national_for(y, "all") for y in years]
    rows.append(("Network", *(_fixed(n[0], d.unit) if n else "–" for n in network)))
    rows.append(
        (
            "National",
            *(_fixed(n.value, d.unit) if n else "no checked figure" for n in national),
        )
    )
    better = "higher is better" if d.higher_is_better else "lower is better"
    blocks: list[Block] = [
        Table(
            ("School", *years),
            tuple(rows),
            widths=(2.6, 1.6, 1.6, 1.6),
            caption=f"{d.name}, all pupils ({better}); the number of pupils in brackets.",
        ),
    ]
    # A chart only where it compares like with like: the network beside a national figure
    # known for each of the three years.
    if all(network) and all(national):
        series = (
            ("Network", tuple(round(n[0], 1) for n in network if n)),
            ("National", tuple(float(n.value) for n in national if n)),
        )
        blocks.append(BarChart(f"{d.name}: network and national", tuple(years), series, d.unit))
    return blocks


def _risk_blocks(data: StandardsData, risks: Sequence[GroupAtRisk]) -> list[Block]:
    judged = [r for r in risks if not r.too_small]
    small = [r for r in risks if r.too_small]
    blocks: list[Block] = []
    if judged:
        blocks.append(
            Table(
                (
                    "School",
                    "Group",
                    "Indicator",
                    "Points behind",
                    "Pupils",
                    "Trend over three years",
                ),
                tuple(
                    (
                        r.school_name,
                        PUPIL_GROUPS.get(r.group, r.group),
                        r.indicator_name,
                        f"{r.gap:.1f} ({r.compared_with})",
                        pupils_text(r.pupils),
                        r.trend_word
                        + ": "
                        + ", ".join(
                            f"{t.shortfall:+.1f}" if t.shortfall is not None else "–"
                            for t in r.trend
                        ),
                    )
                    for r in judged
                ),
                widths=(2.0, 1.8, 2.6, 1.2, 1.0, 2.0),
            )
        )
        years = academic_years_back(judged[0].year, 3)
        blocks.append(
            Paragraph(
                "Points behind: how far the group's figure lies behind the national figure for the same group "
                "(national) where one is published with its source, otherwise behind the network's figure for the "
                f"group (network). The trend gives the points behind in {', '.join(years)}; a minus sign means the "
                "group was ahead that year.",
                "note",
            )
        )
    else:
        blocks.append(
            Paragraph("No group is further behind than the network's threshold.", "muted")
        )
    if small:
        blocks.append(
            Paragraph(
                f"Groups of fewer than {data.thresholds.small_group} pupils are too small to judge on their figures; "
                "they are named here by their count, for the school to look at pupil by pupil:",
                "note",
            )
        )
        by_school: dict[str, list[str]] = {}
        for r in small:
            by_school.setdefault(r.school_name, []).append(
                f"{PUPIL_GROUPS.get(r.group, r.group)} ({pupils_text(r.pupils)}) in {r.indicator_name}"
            )
        blocks.append(
            BulletList(
                tuple(
                    f"{school}: {'; '.join(items)}" for school, items in sorted(by_school.items())
                )
            )
        )
    return blocks


def _by_date(visits: Sequence[VisitDetail]) -> list[VisitDetail]:
    return sorted(visits, key=lambda v: (v.visit_date, v.host_school.name))


def _visit_rows(visits: Sequence[VisitDetail]) -> tuple[tuple[str, ...], ...]:
    """The reviews under an aim, one line each; their judgements come once, at the end."""
    return tuple(
        (
            _day(v.visit_date),
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


def _judgement_blocks(data: StandardsData, term_name: str) -> list[Block]:
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
        title = f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {_day(v.visit_date)}"
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
                    f"{_day(v.visit_date)}: {v.host_school.name}, {label_of(VisitKind, v.kind).lower()}"
                    f" ({'; '.join(v.focus_areas) or 'no focus given'})"
                    for v in others
                )
            ),
        ]
    return blocks


REVIEWS_HEADING = "The term's reviews and their judgements"


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
            shown = [b for d in indicators for b in _indicator_blocks(data, d)]
            if shown:
                blocks += shown
            blocks += [Heading("Pupil groups behind", 2), *_risk_blocks(data, risks)]
        blocks.append(Heading(f"Reviews in the {term_name}", 2))
        blocks.append(
            Table(
                ("Date", "School", "Kind", "Focus"),
                _visit_rows(visits),
                widths=(1.2, 2.4, 2.2, 4.2),
                caption=f"The term's reviews under this aim; their judgements are under '{REVIEWS_HEADING}'.",
            )
            if visits
            else Paragraph(
                f"No review this term looked at {'this aim' if aim else 'these themes'}.", "muted"
            )
        )
    if data.visits:
        blocks += _judgement_blocks(data, term_name)
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
