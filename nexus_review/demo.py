"""A demonstration network: the ten NEXUS alliance schools and three years of peer review.

New users, trainers and screenshots need a database that looks like a real network's year:
schools with development priorities, triads and quartets with a hosting rota, evaluation days
written in the Ofsted inspection style, half-day collaborative reviews, learning walks and the
follow-up of agreed next steps. The names of staff and headteachers are invented.

The network is dated from the day it is made: the academic year in progress, with the
visits so far written up and the rest of the year planned, and the two complete years before
it. A new user therefore sees a live network whatever the date.

The fill is deterministic and idempotent: every record has a uuid5 id derived from a
descriptive name, timestamps fixed by the visit dates and the device ``demo``, and the text is
drawn from the phrase banks of ``resources/demo/phrases.json`` (the network itself is in
``network.json``; see :mod:`nexus_review.demo_data`) with a seeded ``random.Random``. The
text of a visit does not depend on the day the demo is made, only whether it has happened yet. Running it twice changes
nothing, and a demo database merged into another one never duplicates a record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from nexus_review.demo_builder import REPORT_CARDS_FROM, DemoBuilder, demo_years
from nexus_review.demo_consistency import demo_calibration, demo_own_grades
from nexus_review.demo_data import GROUPS, NETWORK_LEADS, NETWORK_NAME, school_holidays
from nexus_review.demo_evidence import VisitPlan
from nexus_review.demo_network import DEMO_DEVICE, SCHOOLS, demo_id
from nexus_review.demo_visits import REPORT_SENT_AFTER
from nexus_review.domain.enums import VisitStatus
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Database, get_info, set_info
from nexus_review.storage.models import ReviewGroup, SyncMixin
from nexus_review.storage.trust import existing_ids

# What the rest of the program and the tests import from here.
__all__ = [
    "DEMO_DEVICE",
    "DEMO_SEED",
    "REPORT_CARDS_FROM",
    "REPORT_SENT_AFTER",
    "SCHOOLS",
    "DemoCounts",
    "build_demo_records",
    "demo_id",
    "demo_years",
    "fill_demo_network",
    "school_holidays",
    "visit_status_on",
]

DEMO_SEED = 20240901


@dataclass(frozen=True)
class DemoCounts:
    """What the demo network holds, and how many records this run inserted."""

    schools: int
    reviewers: int
    groups: int
    priorities: int
    visits: int
    evidence: int
    added: int


def visit_status_on(day: dt.date, today: dt.date) -> VisitStatus:
    """What a demo visit on a day has come to by today: planned until it has happened,
    then its report drafted, and sent to the school a fortnight after the visit."""
    if day >= today:
        return VisitStatus.PLANNED
    if today - day < REPORT_SENT_AFTER:
        return VisitStatus.REPORT_DRAFTED
    return VisitStatus.REPORT_SENT


@dataclass(frozen=True)
class _DemoBuild:
    records: list[SyncMixin]
    year_of: dict[str, str]  # record id -> its academic year
    counts: DemoCounts


def _build(today: dt.date) -> _DemoBuild:
    builder = DemoBuilder(random.Random(DEMO_SEED), today)
    builder.add_schools()
    priorities = builder.add_priorities()
    host_days = builder.add_groups()
    plans: list[VisitPlan] = []
    for years_back in (2, 1, 0):
        plans += builder.plan_year(years_back, host_days)
    plans.sort(key=lambda p: (p.day, p.key))
    for plan in plans:
        plan.status = visit_status_on(plan.day, today)
    evidence = sum(builder.add_visit(plan) for plan in plans)
    builder.records += demo_own_grades(builder.records, builder.year_of) + demo_calibration(
        builder.records, builder.year_of
    )
    counts = DemoCounts(
        schools=len(SCHOOLS),
        reviewers=len(SCHOOLS) + len(NETWORK_LEADS),
        groups=len(GROUPS),
        priorities=priorities,
        visits=len(plans),
        evidence=evidence,
        added=0,
    )
    return _DemoBuild(builder.records, builder.year_of, counts)


def build_demo_records(today: dt.date | None = None) -> tuple[list[SyncMixin], DemoCounts]:
    """Every record of the demo network as of a day (not yet in any session), parents first."""
    build = _build(today or dt.date.today())
    return build.records, build.counts


def _years_filled_before(session: Any, years: set[str]) -> set[str]:
    """The academic years the demo filled before, whatever day it was made: those with one
    of the review groups the demo lays out for the year, in any of its places (even deleted)."""
    candidates = {
        demo_id("group", group.in_year(year).key): year for year in years for group in GROUPS
    }
    return {candidates[group_id] for group_id in existing_ids(session, ReviewGroup, candidates)}


def fill_demo_network(db: Database, today: dt.date | None = None) -> DemoCounts:
    """Fill a database with the demo network as of today; records already there are left
    untouched, and so is a whole school year the demo filled before (any of its review groups
    is there): filled again later, a visit that was planned then gets nothing added under it,
    and a year once the current one is not laid over again as last year."""
    build = _build(today or dt.date.today())
    records, counts = build.records, build.counts
    added = 0
    with db.transaction() as session:
        by_model: dict[type[SyncMixin], list[SyncMixin]] = {}
        for record in records:
            by_model.setdefault(type(record), []).append(record)
        new: list[SyncMixin] = []
        filled = _years_filled_before(session, set(build.year_of.values()))
        for model, rows in by_model.items():
            existing = repo.all_ids(session, model)
            new += [
                row
                for row in rows
                if row.id not in existing and build.year_of.get(row.id) not in filled
            ]
        repo.add_as_written(session, new)  # with their own fixed device, revision and timestamps
        added = len(new)
        if not get_info(session, "network_name"):
            set_info(session, "network_name", NETWORK_NAME)
    from nexus_review.demo_trust import fill_demo_trust

    added += fill_demo_trust(db, today)
    return dataclasses.replace(counts, added=added)
