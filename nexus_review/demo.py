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

from nexus_review.demo_consistency import demo_calibration, demo_own_grades
from nexus_review.demo_data import (
    CLASS_NAMES,
    EVALUATION_MONTHS,
    EVALUATION_OFFSETS,
    GROUPS,
    LOCAL_AUTHORITY,
    NETWORK_LEADS,
    NETWORK_NAME,
    PRIORITIES,
    THEMES,
    YEAR_GROUPS,
    GroupPlan,
    phrases_for,
    school_holidays,
)
from nexus_review.demo_evidence import VisitPlan, written_at
from nexus_review.demo_network import DEMO_DEVICE, SCHOOLS, demo_id
from nexus_review.demo_visits import REPORT_SENT_AFTER, VisitWriter
from nexus_review.domain.calendar import academic_year_of, previous_academic_year
from nexus_review.domain.enums import (
    VisitKind,
    VisitStatus,
)
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Database, get_info, set_info
from nexus_review.storage.models import (
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    School,
    SchoolPriority,
    SyncMixin,
)
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
# The renewed Ofsted framework (report cards) replaced the EIF in November 2025.
REPORT_CARDS_FROM = dt.date(2025, 11, 1)


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


@dataclass
class _Builder(VisitWriter):
    """The whole demo network: its schools, people, priorities and review groups, and each
    year's visits planned on the network's rota."""

    @property
    def years(self) -> dict[int, str]:
        """The demo's academic years by how many years before the current one they are."""
        return dict(enumerate(demo_years(self.today)[::-1]))

    @property
    def groups(self) -> list[GroupPlan]:
        return [g.in_year(self.years[g.years_back]) for g in GROUPS]

    # ---- dates ---------------------------------------------------------------------------

    def weekday_in(self, year: str, month: int, host: str) -> dt.date:
        """A free Tuesday-to-Thursday in that month of the academic year. Visits avoid
        Mondays and Fridays, no two demo visits share a day (so diaries never clash) and a
        school is not visited twice within a fortnight."""
        start = int(year[:4])
        calendar_year = start if month >= 9 else start + 1
        day = dt.date(calendar_year, month, self.rng.randint(9 if month == 9 else 3, 14))
        taken = self.host_days.setdefault(host, [])
        while (
            day.weekday() not in (1, 2, 3)
            or day in self.used_days
            or any(first <= day <= last for first, last in school_holidays(start))
            or any(abs((day - other).days) < 14 for other in taken)
        ):
            day += dt.timedelta(days=1)
        self.used_days.add(day)
        taken.append(day)
        return day

    # ---- people and places ---------------------------------------------------------------

    def add_schools(self) -> None:
        when = written_at(dt.date(int(self.years[2][:4]), 7, 10), 9)
        for key, name, urn, phase, head in SCHOOLS:
            self.school_ids[key] = self.add(
                School,
                demo_id("school", key),
                when,
                name=name,
                urn=urn,
                phase=phase,
                local_authority=LOCAL_AUTHORITY,
                headteacher=head,
            )
            self.school_names[key] = name
            self.phases[key] = phase
            trees = self.rng.sample(CLASS_NAMES, len(YEAR_GROUPS[phase]))
            self.classes[key] = {
                year: (f"{tree} class", self.teacher())
                for year, tree in zip(YEAR_GROUPS[phase], trees, strict=True)
            }
            self.reviewer_ids[key] = self.add(
                Reviewer,
                demo_id("reviewer", key),
                when,
                name=head,
                role="Headteacher",
                home_school_id=self.school_ids[key],
                email=f"head@{key}.example.sch.uk",
            )
        for key, name, role, home in NETWORK_LEADS:
            self.reviewer_ids[key] = self.add(
                Reviewer,
                demo_id("reviewer", key),
                when,
                name=name,
                role=role,
                home_school_id=self.school_ids[home],
                email=f"{key}@{home}.example.sch.uk",
            )

    def add_priorities(self) -> int:
        count = 0
        for school, years in PRIORITIES.items():
            for years_back, themes in sorted(years.items(), reverse=True):
                year = self.in_year = self.years[years_back]
                when = written_at(dt.date(int(year[:4]), 7, 8), 15)
                for theme in themes:
                    self.add(
                        SchoolPriority,
                        demo_id("priority", school, year, theme),
                        when,
                        school_id=self.school_ids[school],
                        academic_year=year,
                        theme=theme,
                        description=self.rng.choice(THEMES[theme].descriptions),
                    )
                    count += 1
        return count

    def add_groups(self) -> dict[tuple[str, str], dt.date]:
        """The triads and quartets with their rota; gives each member's hosting date."""
        host_days: dict[tuple[str, str], dt.date] = {}
        for group in self.groups:
            self.in_year = group.year
            when = written_at(dt.date(int(group.year[:4]), 7, 15), 16)
            group_id = self.add(
                ReviewGroup,
                demo_id("group", group.key),
                when,
                name=group.name,
                academic_year=group.year,
                focus=f"{group.theme}: a shared development-plan priority of every member.",
            )
            for position, (school, month) in enumerate(
                zip(group.members, group.months, strict=True)
            ):
                day = self.weekday_in(group.year, month, school)
                host_days[(group.key, school)] = day
                self.add(
                    ReviewGroupMember,
                    demo_id("group-member", group.key, school),
                    when,
                    group_id=group_id,
                    school_id=self.school_ids[school],
                    position=position,
                    host_date=day,
                )
        return host_days

    # ---- the year's visits ---------------------------------------------------------------

    def plan_year(
        self, years_back: int, host_days: dict[tuple[str, str], dt.date]
    ) -> list[VisitPlan]:
        r = self.rng
        year = self.years[years_back]
        plans: list[VisitPlan] = []
        for group in (g for g in self.groups if g.year == year):
            for i, school in enumerate(group.members):
                others = [s for s in group.members if s != school]
                lead = group.members[(i + 1) % len(group.members)]
                team = [lead] + [s for s in others if s != lead]
                focus = [group.theme]
                specifics = phrases_for(THEMES[group.theme].specifics, self.phases[school])
                if r.random() < 0.5 and specifics:
                    focus.append(r.choice(specifics))
                plans.append(
                    VisitPlan(
                        f"{year}/review/{group.key}/{school}",
                        school,
                        host_days[(group.key, school)],
                        VisitKind.COLLABORATIVE_REVIEW,
                        group.framework,
                        focus,
                        team,
                        group=group,
                    )
                )
        keys = [s[0] for s in SCHOOLS]
        a, b = EVALUATION_OFFSETS[years_back]
        for i, (school, month) in enumerate(zip(keys, EVALUATION_MONTHS[years_back], strict=True)):
            day = self.weekday_in(year, month, school)
            framework = "eif-2019" if day < REPORT_CARDS_FROM else "ofsted-2025"
            themes = list(PRIORITIES[school][years_back])
            focus = r.sample(themes, 2)
            specifics = phrases_for(THEMES[focus[0]].specifics, self.phases[school])
            if r.random() < 0.3 and specifics:
                focus.append(r.choice(specifics))
            team = [keys[(i + a) % 10], keys[(i + b) % 10]]
            plans.append(
                VisitPlan(
                    f"{year}/evaluation/{school}",
                    school,
                    day,
                    VisitKind.EVALUATION_DAY,
                    framework,
                    focus,
                    team,
                )
            )
        walk_hosts = r.sample(keys, 3)
        for n, school in enumerate(walk_hosts):
            theme = r.choice(PRIORITIES[school][years_back])
            lead = "reading-lead" if theme == "Reading and phonics" else "assessment-lead"
            colleague = r.choice([k for k in keys if k != school])
            plans.append(
                VisitPlan(
                    f"{year}/walk/{n}",
                    school,
                    self.weekday_in(year, (10, 2, 5)[n], school),
                    VisitKind.LEARNING_WALK,
                    "developmental",
                    [theme],
                    [lead, colleague],
                )
            )
        # Follow-ups return to two of the year's collaborative reviews a term or so later.
        reviews = [
            p
            for p in plans
            if p.kind is VisitKind.COLLABORATIVE_REVIEW and p.day.month in (10, 11, 12)
        ]
        for n, earlier in enumerate(r.sample(reviews, 2)):
            month = (earlier.day.month + 4 - 1) % 12 + 1
            plans.append(
                VisitPlan(
                    f"{year}/follow-up/{n}",
                    earlier.host,
                    self.weekday_in(year, month, earlier.host),
                    VisitKind.FOLLOW_UP,
                    "developmental",
                    list(earlier.focus),
                    [earlier.team[0]],
                    follows=earlier,
                )
            )
        return plans


def demo_years(today: dt.date | None = None) -> tuple[str, str, str]:
    """The demo's three academic years, oldest first: the two before today's, and today's."""
    current = academic_year_of(today or dt.date.today())
    last = previous_academic_year(current)
    return previous_academic_year(last), last, current


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
    builder = _Builder(random.Random(DEMO_SEED), today)
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
