"""The records of a year's agreement figures: per area, per pair of reviewers, each reviewer's
lean, each school's self-evaluation over the years, the grades given and agreement term by
term. Built by ``usecases.consistency``; read by the Consistency view, the command line and the
moderation pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nexus_review.domain import agreement as ag


@dataclass(frozen=True)
class AgreementFilter:
    year: str = ""  # "" for the current academic year
    group: str | None = None  # a review group's name in that year
    area: str | None = None  # an area key (or "look-fors")
    framework: str | None = None  # a framework key
    pair: tuple[str, str] | None = None  # two reviewers' names: only what both graded


@dataclass(frozen=True)
class AreaAgreement:
    framework_key: str
    area_key: str
    area_name: str
    agreement: ag.Agreement


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    agreement: ag.Agreement


@dataclass(frozen=True)
class GradeCount:
    label: str
    count: int


@dataclass(frozen=True)
class Distribution:
    """How often each grade of an area's scale was given as a reviewer's own grade (best first)."""

    area_name: str
    grades: tuple[GradeCount, ...]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.grades)


@dataclass(frozen=True)
class TermAgreement:
    term: str  # "Autumn 2025"
    start: dt.date
    agreement: ag.Agreement


@dataclass(frozen=True)
class SchoolSelfEvaluation:
    school: str
    years: tuple[ag.SelfEvaluationYear, ...]
    trend: str


@dataclass(frozen=True)
class AgreementReport:
    filter: AgreementFilter
    year: str
    visits: int  # visits in the year that match the filter
    graded_visits: int  # of those, visits where two or more reviewers gave their own grades
    overall: ag.Agreement
    areas: tuple[AreaAgreement, ...]
    pairs: tuple[PairAgreement, ...]
    leans: tuple[ag.Lean, ...]  # each reviewer's own grade against the agreed one
    self_evaluation: tuple[SchoolSelfEvaluation, ...]
    distributions: tuple[Distribution, ...]
    over_time: tuple[TermAgreement, ...]
    reviewers: tuple[str, ...] = field(default=())  # everyone who gave an own grade (for a filter)
    frameworks: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "visits": self.visits,
            "overall": self.overall.as_dict(),
            "areas": [
                {
                    "framework": a.framework_key,
                    "area": a.area_key,
                    "name": a.area_name,
                    **a.agreement.as_dict(),
                }
                for a in self.areas
            ],
            "pairs": [
                {"reviewers": [p.first, p.second], **p.agreement.as_dict()} for p in self.pairs
            ],
            "leans": [
                {
                    "reviewer": x.who,
                    "n": x.n,
                    "kinder": x.higher,
                    "same": x.same,
                    "harsher": x.lower,
                    "mean_difference": None
                    if x.mean_difference is None
                    else round(x.mean_difference, 3),
                }
                for x in self.leans
            ],
            "self_evaluation": [
                {
                    "school": s.school,
                    "trend": s.trend,
                    "years": [
                        {
                            "year": y.year,
                            "n": y.lean.n,
                            "higher": y.lean.higher,
                            "same": y.lean.same,
                            "lower": y.lean.lower,
                            "mean_difference": None
                            if y.lean.mean_difference is None
                            else round(y.lean.mean_difference, 3),
                        }
                        for y in s.years
                    ],
                }
                for s in self.self_evaluation
            ],
        }
