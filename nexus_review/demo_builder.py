"""The demo network laid out: its schools, people, development priorities and review groups,
and each year's visits planned on the network's rota (see :mod:`nexus_review.demo`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nexus_review.demo_data import (
    CLASS_NAMES,
    EVALUATION_MONTHS,
    EVALUATION_OFFSETS,
    GROUPS,
    LOCAL_AUTHORITY,
    NETWORK_LEADS,
    PRIORITIES,
    THEMES,
    YEAR_GROUPS,
    GroupPlan,
    phrases_for,
    school_holidays,
)
from nexus_review.demo_evidence import VisitPlan, written_at
from nexus_review.demo_network import SCHOOLS, demo_id
from nexus_review.demo_visits import VisitWriter
from nexus_review.domain.calendar import academic_year_of, previous_academic_year
from nexus_review.domain.enums import VisitKind
from nexus_review.storage.models import (
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    School,
    SchoolPriority,
)

# The renewed Ofsted framework (report cards) replaced the EIF in November 2025.
REPORT_CARDS_FROM = dt.date(2025, 11, 1)


def demo_years(today: dt.date | None = None) -> tuple[str, str, str]:
    """The demo's three academic years, oldest first: the two before today's, and today's."""
    current = academic_year_of(today or dt.date.today())
    last = previous_academic_year(current)
    return previous_academic_year(last), last, current


@dataclass
class DemoBuilder(VisitWriter):
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
