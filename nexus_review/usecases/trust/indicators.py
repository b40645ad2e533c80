"""The indicators the network tracks, its thresholds and the school-level figures typed in
or read back; each function opens one unit of work and returns frozen domain records.
"""

from __future__ import annotations

import json
import re
from functools import cache

from nexus_review.domain.trust import (
    PUPIL_GROUPS,
    Figure,
    GroupAtRisk,
    IndicatorDef,
    IndicatorSet,
    Thresholds,
    academic_years_back,
    parse_indicator_file,
)
from nexus_review.domain.trust import groups_at_risk as analyse_groups
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.storage import trust as repo
from nexus_review.storage.database import Database, get_info, set_info

MAX_PUPILS = 10_000
YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

GAP_KEY = "trust_gap_threshold"
SMALL_KEY = "trust_small_group"


# ---------------------------------------------------------------------------- indicators


@cache
def shipped_indicators() -> IndicatorSet:
    from nexus_review.paths import resource_path

    data = json.loads(resource_path("indicators", "primary.json").read_text("utf-8"))
    return parse_indicator_file(data)


def indicator_set(db: Database) -> IndicatorSet:
    """The shipped indicators and those the network declared itself (a declared one with a
    shipped key renames it but keeps its national figures)."""
    shipped = shipped_indicators()
    with db.reading() as session:
        declared = repo.declared_indicators(session)
    out = IndicatorSet(dict(shipped.indicators))
    for d in declared:
        base = shipped.indicators.get(d.key)
        out.indicators[d.key] = IndicatorDef(
            d.key,
            d.name,
            d.higher_is_better,
            d.unit,
            base.position if base else d.position,
            base.national if base else (),
            base.theme if base else "",
        )
    return out


def thresholds(db: Database) -> Thresholds:
    with db.reading() as session:
        gap, small = get_info(session, GAP_KEY), get_info(session, SMALL_KEY)
    try:
        return Thresholds(
            float(gap) if gap else Thresholds().gap,
            int(small) if small else Thresholds().small_group,
        )
    except ValueError:
        return Thresholds()


def set_thresholds(db: Database, gap: float, small_group: int) -> Thresholds:
    if not 0 <= gap <= 100:
        raise NexusError("The gap threshold must be between 0 and 100 percentage points.")
    if not 1 <= small_group <= 1000:
        raise NexusError("The small-group threshold must be between 1 and 1000 pupils.")
    with db.transaction() as session:
        set_info(session, GAP_KEY, str(gap))
        set_info(session, SMALL_KEY, str(small_group))
    return Thresholds(gap, small_group)


# ---------------------------------------------------------------------------- figures


def list_figures(
    db: Database, school: str | None = None, years: list[str] | None = None
) -> list[Figure]:
    with db.reading() as session:
        school_id = None
        if school is not None:
            from nexus_review.storage.repository import list_schools

            found = [s for s in list_schools(session) if s.name.lower() == school.strip().lower()]
            if not found:
                found = [
                    s for s in list_schools(session) if school.strip().lower() in s.name.lower()
                ]
            if len(found) != 1:
                raise NotFoundError(
                    f"No school is called '{school}'."
                    if not found
                    else f"'{school}' names more than one school; give more of the name."
                )
            school_id = found[0].id
        return repo.figures(session, school_id=school_id, years=years)


def set_figure(
    db: Database,
    school_id: str,
    year: str,
    group: str,
    key: str,
    value: float | None,
    pupils: int | None,
) -> str:
    """Type one figure in (or clear it with no value); returns what happened."""
    indicators = indicator_set(db)
    problem = (
        year_problem(year)
        or (None if group in PUPIL_GROUPS else f"'{group}' is not a pupil group")
        or (
            None
            if key in indicators.indicators
            else f"'{key}' is not an indicator the network tracks"
        )
    )
    if problem:
        raise NexusError(problem[0].upper() + problem[1:] + ".")
    with db.transaction() as session:
        if value is None:
            return (
                "removed"
                if repo.remove_figure(session, school_id, year, group, key)
                else "unchanged"
            )
        tenths, count = checked_value(value, indicators.indicators[key].unit), pupils or 0
        if not 1 <= count <= MAX_PUPILS:
            raise NexusError(f"The number of pupils must be a whole number from 1 to {MAX_PUPILS}.")
        if tenths is None:
            raise NexusError(value_problem(indicators.indicators[key].unit))
        return repo.put_figure(session, school_id, year, group, key, tenths, count)


def year_problem(year: str) -> str | None:
    m = YEAR_PATTERN.match(year)
    if (
        not m
        or (int(m.group(1)) + 1) % 100 != int(m.group(2))
        or not 2000 <= int(m.group(1)) <= 2100
    ):
        return f"'{year}' is not an academic year written like 2024-25"
    return None


def value_problem(unit: str) -> str:
    top = 100 if unit == "%" else 10_000
    return f"The value must be a number from 0 to {top} with at most one decimal place."


def checked_value(value: float, unit: str) -> int | None:
    top = 100 if unit == "%" else 10_000
    tenths = round(value * 10)
    if not 0 <= value <= top or abs(tenths - value * 10) > 1e-6:
        return None
    return tenths


def groups_at_risk(db: Database, year: str | None = None) -> tuple[str, list[GroupAtRisk]]:
    """The year looked at (default: the latest with figures) and its groups at risk."""
    if year is not None and year_problem(year):
        raise NexusError(f"'{year}' is not an academic year written like 2024-25.")
    with db.reading() as session:
        years = repo.figure_years(session)
    if not years:
        return year or "", []
    year = year or years[-1]
    figures = list_figures(db, years=academic_years_back(year, 3))
    return year, analyse_groups(figures, indicator_set(db), year, thresholds(db))
