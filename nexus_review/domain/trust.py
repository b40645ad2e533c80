"""The trust's view in plain Python: indicators, pupil groups, figures and the group analysis.

Only school-level figures exist here: a value for a group of pupils in a school and year, with
the number of pupils in the group. A small group is spoken of by its count ("6 pupils") and is
never judged on its percentage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PUPIL_GROUPS: dict[str, str] = {
    "all": "All pupils",
    "disadvantaged": "Disadvantaged",
    "not_disadvantaged": "Not disadvantaged",
    "send": "SEND",
    "eal": "EAL",
    "girls": "Girls",
    "boys": "Boys",
}
TERMS: dict[str, str] = {"autumn": "Autumn", "spring": "Spring", "summer": "Summer"}
PROGRESS_STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "complete": "Complete",
}
DEFAULT_GAP_THRESHOLD = 5.0  # percentage points
DEFAULT_SMALL_GROUP = 10  # pupils


@dataclass(frozen=True)
class NationalFigure:
    indicator_key: str
    year: str
    group: str
    value: float
    source: str
    url: str


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name: str
    higher_is_better: bool = True
    unit: str = "%"
    position: int = 0
    national: tuple[NationalFigure, ...] = ()
    theme: str = ""  # the priority theme it speaks to, which places it under an aim

    def national_for(self, year: str, group: str) -> NationalFigure | None:
        return next((f for f in self.national if f.year == year and f.group == group), None)


@dataclass(frozen=True)
class Figure:
    """One school-level figure."""

    school_id: str
    school_name: str
    urn: str
    year: str
    group: str
    indicator_key: str
    value: float
    pupils: int


@dataclass(frozen=True)
class YearGap:
    year: str
    value: float | None
    pupils: int
    comparison: float | None
    shortfall: float | None  # points behind the comparison (positive = worse), None if unknown


@dataclass(frozen=True)
class GroupAtRisk:
    """A group of a school whose figure lies further behind than the network allows."""

    school_id: str
    school_name: str
    group: str
    indicator_key: str
    indicator_name: str
    year: str
    gap: float  # points behind, positive
    pupils: int
    compared_with: str  # "national" or "network"
    too_small: bool
    trend: tuple[YearGap, ...]  # oldest first, three years

    @property
    def trend_word(self) -> str:
        if self.too_small:
            return "too small to judge"
        known = [t.shortfall for t in self.trend if t.shortfall is not None]
        if len(known) < 2:
            return "no trend yet"
        change = known[-1] - known[0]
        if change > 1.0:
            return "widening"
        if change < -1.0:
            return "narrowing"
        return "steady"

    @property
    def group_label(self) -> str:
        return PUPIL_GROUPS.get(self.group, self.group)


@dataclass(frozen=True)
class AimItem:
    id: str
    title: str
    description: str
    position: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressItem:
    id: str
    year: str
    term: str
    status: str
    note: str


@dataclass(frozen=True)
class DeliveryActionItem:
    id: str
    aim_id: str
    year: str
    position: int
    what: str
    how: str
    outcome: str
    lead: str
    due_date: dt.date | None
    progress: tuple[ProgressItem, ...] = ()

    def progress_in(self, year: str, term: str) -> ProgressItem | None:
        return next((p for p in self.progress if p.year == year and p.term == term), None)


@dataclass(frozen=True)
class AimPriorities:
    """An aim with the schools' priorities gathered under it for one year."""

    aim: AimItem
    priorities: tuple[tuple[str, str], ...]  # (school name, theme)
    actions: tuple[DeliveryActionItem, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    gap: float = DEFAULT_GAP_THRESHOLD
    small_group: int = DEFAULT_SMALL_GROUP


@dataclass
class IndicatorSet:
    indicators: dict[str, IndicatorDef] = field(default_factory=dict)

    def ordered(self) -> list[IndicatorDef]:
        return sorted(self.indicators.values(), key=lambda d: (d.position, d.key))


# ---------------------------------------------------------------------------- wording


def format_value(value: float | None, unit: str = "%") -> str:
    if value is None:
        return "not known"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def pupils_text(count: int) -> str:
    return f"{count} pupil" if count == 1 else f"{count} pupils"


def described(value: float, pupils: int, small_group: int, unit: str = "%") -> str:
    """A figure as a person should read it: a small group by its count, never a bare percentage."""
    if pupils < small_group:
        return f"{pupils_text(pupils)} (too small to judge)"
    return f"{format_value(value, unit)} ({pupils_text(pupils)})"


def academic_years_back(year: str, count: int) -> list[str]:
    """``academic_years_back("2024-25", 3) == ["2022-23", "2023-24", "2024-25"]``."""
    start = int(year[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start - count + 1, start + 1)]


# ---------------------------------------------------------------------------- parsing the data file


def parse_indicator_file(data: Mapping[str, Any]) -> IndicatorSet:
    """The shipped declaration of indicators (``resources/indicators/*.json``)."""
    out = IndicatorSet()
    for position, raw in enumerate(data.get("indicators", [])):
        national = tuple(
            NationalFigure(
                indicator_key=str(raw["key"]),
                year=str(n["year"]),
                group=str(n["group"]),
                value=float(n["value"]),
                source=str(n["source"]),
                url=str(n["url"]),
            )
            for n in raw.get("national", [])
        )
        out.indicators[str(raw["key"])] = IndicatorDef(
            key=str(raw["key"]),
            name=str(raw["name"]),
            higher_is_better=bool(raw.get("higher_is_better", True)),
            unit=str(raw.get("unit", "%")),
            position=position,
            national=national,
            theme=str(raw.get("theme", "")),
        )
    return out


# ---------------------------------------------------------------------------- the group analysis


def network_figure(
    figures: Iterable[Figure], indicator_key: str, year: str, group: str
) -> tuple[float, int] | None:
    """The network's figure for a group: the schools' values weighted by their pupils."""
    rows = [
        f
        for f in figures
        if f.indicator_key == indicator_key and f.year == year and f.group == group and f.pupils > 0
    ]
    total = sum(f.pupils for f in rows)
    if not total:
        return None
    return sum(f.value * f.pupils for f in rows) / total, total


def shortfall(value: float, comparison: float, higher_is_better: bool) -> float:
    """Points behind the comparison; negative when ahead of it."""
    return comparison - value if higher_is_better else value - comparison


def groups_at_risk(
    figures: Sequence[Figure],
    indicators: IndicatorSet,
    year: str,
    thresholds: Thresholds = Thresholds(),
) -> list[GroupAtRisk]:
    """Each school's groups (other than all pupils) further behind than the threshold in
    ``year``, compared with the national figure for the group where it is known, otherwise
    with the network's own figure; with the two years before, so that a trend shows.

    Groups of fewer pupils than the small-group threshold are listed too, flagged as too small
    to judge: a handful of pupils can swing a percentage by tens of points.
    """
    years = academic_years_back(year, 3)
    by_key: dict[tuple[str, str, str, str], Figure] = {
        (f.school_id, f.indicator_key, f.group, f.year): f for f in figures
    }
    network_cache: dict[tuple[str, str, str], tuple[float, int] | None] = {}

    def comparison(key: str, y: str, group: str) -> tuple[float | None, str]:
        definition = indicators.indicators.get(key)
        national = definition.national_for(y, group) if definition else None
        if national is not None:
            return national.value, "national"
        if (key, y, group) not in network_cache:
            network_cache[key, y, group] = network_figure(figures, key, y, group)
        found = network_cache[key, y, group]
        return (found[0] if found else None), "network"

    out: list[GroupAtRisk] = []
    for f in figures:
        if f.year != year or f.group == "all":
            continue
        definition = indicators.indicators.get(f.indicator_key)
        if definition is None:
            continue
        compared, basis = comparison(f.indicator_key, year, f.group)
        if compared is None:
            continue
        gap = shortfall(f.value, compared, definition.higher_is_better)
        if gap <= thresholds.gap:
            continue
        trend = []
        for y in years:
            past = by_key.get((f.school_id, f.indicator_key, f.group, y))
            cmp_value, _ = comparison(f.indicator_key, y, f.group)
            trend.append(
                YearGap(
                    year=y,
                    value=past.value if past else None,
                    pupils=past.pupils if past else 0,
                    comparison=cmp_value,
                    shortfall=(
                        round(shortfall(past.value, cmp_value, definition.higher_is_better), 1)
                        if past is not None and cmp_value is not None
                        else None
                    ),
                )
            )
        out.append(
            GroupAtRisk(
                school_id=f.school_id,
                school_name=f.school_name,
                group=f.group,
                indicator_key=f.indicator_key,
                indicator_name=definition.name,
                year=year,
                gap=round(gap, 1),
                pupils=f.pupils,
                compared_with=basis,
                too_small=f.pupils < thresholds.small_group,
                trend=tuple(trend),
            )
        )
    order = {k: d.position for k, d in indicators.indicators.items()}
    groups = list(PUPIL_GROUPS)
    out.sort(
        key=lambda r: (
            r.too_small,
            r.school_name,
            order.get(r.indicator_key, 99),
            groups.index(r.group) if r.group in groups else 99,
        )
    )
    return out


def describe_risk(risk: GroupAtRisk, unit: str = "%") -> str:
    """One sentence for a report or the command line."""
    who = f"{risk.group_label} ({pupils_text(risk.pupils)})"
    if risk.too_small:
        return f"{risk.school_name}: {who} in {risk.indicator_name}: too small a group to judge."
    return (
        f"{risk.school_name}: {who} {format_value(risk.gap, 'points')} behind "
        f"{risk.compared_with} in {risk.indicator_name}, {risk.trend_word}."
    )
