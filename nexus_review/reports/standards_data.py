"""What the standards report says, read in one go by the use case before the report is built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nexus_review.domain.records import VisitDetail
from nexus_review.domain.trust import (
    AimPriorities,
    Figure,
    GroupAtRisk,
    IndicatorSet,
    Thresholds,
)


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
