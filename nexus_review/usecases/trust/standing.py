"""Where the network stands: the termly standards report, the trust's dashboard and a host
school's figures for a data review, each read in one go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nexus_review.domain.records import VisitDetail
from nexus_review.domain.trust import (
    TERMS,
    AimPriorities,
    Figure,
    GroupAtRisk,
    IndicatorSet,
    Thresholds,
    academic_years_back,
)
from nexus_review.domain.trust import groups_at_risk as analyse_groups
from nexus_review.errors import NexusError
from nexus_review.reports.standards_data import StandardsData
from nexus_review.storage import trust as repo
from nexus_review.storage import trust_plan
from nexus_review.storage.database import Database, get_info
from nexus_review.usecases.trust.indicators import (
    indicator_set,
    list_figures,
    thresholds,
    year_problem,
)
from nexus_review.usecases.trust.plan import priorities_by_aim

# ---------------------------------------------------------------------------- the standards report


def standards_data(
    db: Database, year: str, term: str, today: dt.date | None = None
) -> StandardsData:
    """What the termly standards report says, read in one go."""
    from nexus_review.usecases.network import network_visits

    if year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2025-26.")
    if term not in TERMS:
        raise NexusError(f"'{term}' is not a term (autumn, spring or summer).")
    with db.reading() as session:
        network = get_info(session, "network_name")
        mapping = trust_plan.theme_aims(session)
        years = [y for y in repo.figure_years(session) if y <= year]
    from nexus_review.reports.feedback import network_name_or_default

    figures_year = years[-1] if years else ""
    figures = list_figures(db, years=academic_years_back(figures_year, 3)) if figures_year else []
    risks = (
        analyse_groups(figures, indicator_set(db), figures_year, thresholds(db))
        if figures_year
        else []
    )
    aims, _unmapped = priorities_by_aim(db, year)
    visits = [v for v in network_visits(db, year, term) if v.status != "planned"]
    return StandardsData(
        year=year,
        term=term,
        network=network_name_or_default(network),
        figures_year=figures_year,
        aims=tuple(aims),
        theme_aims=mapping,
        indicators=indicator_set(db),
        figures=tuple(figures),
        risks=tuple(risks),
        thresholds=thresholds(db),
        visits=tuple(visits),
        today=today or dt.date.today(),
    )


def export_standards_report(
    db: Database,
    year: str,
    term: str,
    fmt: str,
    out: Path,
    paper: str = "a4",
    today: dt.date | None = None,
) -> Path:
    from nexus_review.reports.export import export_document
    from nexus_review.reports.standards import build_standards_report

    return export_document(
        build_standards_report(standards_data(db, year, term, today)), fmt, out, paper
    )


# ---------------------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class IndicatorStanding:
    key: str
    name: str
    unit: str
    figure: Figure | None  # the school's all-pupil figure in the latest year
    network: float | None
    national: float | None


@dataclass(frozen=True)
class SchoolStanding:
    """One school on the trust's dashboard: its outcomes beside the network's and
    national, its latest judgements (its own and its peers'), and its next steps."""

    school_id: str
    name: str
    indicators: tuple[IndicatorStanding, ...]
    latest_review: dt.date | None
    areas: tuple[tuple[str, str, str], ...]  # (area, the school's own grade, the peer judgement)
    open_steps: int
    overdue_steps: int
    groups_behind: int


@dataclass(frozen=True)
class Dashboard:
    year: str
    figures_year: str
    schools: tuple[SchoolStanding, ...]
    aims: tuple[AimPriorities, ...]
    unmapped: tuple[tuple[str, str], ...]
    risks: tuple[GroupAtRisk, ...]
    indicators: IndicatorSet
    figures: tuple[Figure, ...]
    thresholds: Thresholds


def dashboard(
    db: Database,
    year: str,
    today: dt.date | None = None,
    visits: Sequence[VisitDetail] | None = None,
) -> Dashboard:
    """Everything the trust's dashboard shows for a year, read in one go (``visits``: the
    year's visits, when the caller has just read them)."""
    from nexus_review.domain.network import tracked_actions
    from nexus_review.domain.trust import network_figure
    from nexus_review.errors import FrameworkError
    from nexus_review.frameworks import area_title, get_framework
    from nexus_review.storage.repository import list_schools
    from nexus_review.usecases.network import network_visits

    today = today or dt.date.today()
    with db.reading() as session:
        schools = list_schools(session)
        years = [y for y in repo.figure_years(session) if y <= year]
    figures_year = years[-1] if years else ""
    figures = list_figures(db, years=academic_years_back(figures_year, 3)) if figures_year else []
    indicators = indicator_set(db)
    limits = thresholds(db)
    risks = analyse_groups(figures, indicators, figures_year, limits) if figures_year else []
    visits = [
        v for v in (network_visits(db, year) if visits is None else visits) if v.status != "planned"
    ]
    actions = tracked_actions(visits)
    standings = []
    for school in schools:
        mine = {
            f.indicator_key: f
            for f in figures
            if f.school_id == school.id and f.year == figures_year and f.group == "all"
        }
        rows = []
        for d in indicators.ordered():
            net = network_figure(figures, d.key, figures_year, "all")
            nat = d.national_for(figures_year, "all")
            if d.key in mine or net is not None:
                rows.append(
                    IndicatorStanding(
                        d.key,
                        d.name,
                        d.unit,
                        mine.get(d.key),
                        net[0] if net else None,
                        nat.value if nat else None,
                    )
                )
        reviewed = sorted(
            (v for v in visits if v.host_school.id == school.id and v.judgements),
            key=lambda v: v.visit_date,
        )
        areas: list[tuple[str, str, str]] = []
        latest = reviewed[-1] if reviewed else None
        if latest is not None:
            try:
                framework = get_framework(latest.framework_key)
            except FrameworkError:
                framework = None
            for j in latest.judgements:
                if framework is None or not (j.peer_grade or j.self_grade):
                    continue
                areas.append(
                    (
                        area_title(framework, j.area_key, latest.focus_areas),
                        framework.grade_label(j.area_key, j.self_grade) or "–",
                        framework.grade_label(j.area_key, j.peer_grade) or "–",
                    )
                )
        steps = [a for a in actions if a.school == school.name]
        standings.append(
            SchoolStanding(
                school.id,
                school.name,
                tuple(rows),
                latest.visit_date if latest else None,
                tuple(areas),
                sum(1 for a in steps if a.status != "done"),
                sum(1 for a in steps if a.overdue(today)),
                sum(1 for r in risks if r.school_id == school.id and not r.too_small),
            )
        )
    aims, unmapped = priorities_by_aim(db, year)
    return Dashboard(
        year,
        figures_year,
        tuple(standings),
        tuple(aims),
        tuple(unmapped),
        tuple(risks),
        indicators,
        tuple(figures),
        limits,
    )


@dataclass(frozen=True)
class SchoolFigures:
    """A host school's outcomes for a data review: the latest year's all-pupil figures
    beside the network and national, and its groups further behind than the network allows."""

    school_id: str
    figures_year: str
    indicators: tuple[IndicatorStanding, ...]
    risks: tuple[GroupAtRisk, ...]
    small_group: int


def school_figures(db: Database, school_id: str, on: dt.date) -> SchoolFigures:
    from nexus_review.domain.calendar import academic_year_of
    from nexus_review.domain.trust import network_figure

    year = academic_year_of(on)
    with db.reading() as session:
        years = [y for y in repo.figure_years(session) if y <= year]
    limits = thresholds(db)
    if not years:
        return SchoolFigures(school_id, "", (), (), limits.small_group)
    latest = years[-1]
    figures = list_figures(db, years=academic_years_back(latest, 3))
    indicators = indicator_set(db)
    mine = {
        f.indicator_key: f
        for f in figures
        if f.school_id == school_id and f.year == latest and f.group == "all"
    }
    rows = []
    for d in indicators.ordered():
        if d.key not in mine:
            continue
        net = network_figure(figures, d.key, latest, "all")
        nat = d.national_for(latest, "all")
        rows.append(
            IndicatorStanding(
                d.key,
                d.name,
                d.unit,
                mine[d.key],
                net[0] if net else None,
                nat.value if nat else None,
            )
        )
    risks = [
        r for r in analyse_groups(figures, indicators, latest, limits) if r.school_id == school_id
    ]
    return SchoolFigures(school_id, latest, tuple(rows), tuple(risks), limits.small_group)
