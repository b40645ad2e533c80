"""The network's records as the program shows them: the priority matrix, review groups,
agreed next steps followed up at later meetings, and what a new school year starts from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.domain.enums import ActionStatus, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.errors import NexusError


@dataclass(frozen=True)
class PriorityMatrix:
    """Schools × priority themes for one academic year."""

    year: str
    schools: tuple[tuple[str, str], ...]  # (id, name)
    themes: tuple[str, ...]
    cells: frozenset[tuple[str, str]]  # (school id, theme) a school has shared

    def has(self, school_id: str, theme: str) -> bool:
        return (school_id, theme) in self.cells

    def shared(self, a: str, b: str) -> int:
        return sum(self.has(a, t) and self.has(b, t) for t in self.themes)

    def shared_by(self, members: Sequence[str]) -> list[str]:
        """The themes every member of a group has among its priorities."""
        return [t for t in self.themes if all(self.has(m, t) for m in members)]


@dataclass(frozen=True)
class GroupItem:
    id: str
    name: str
    year: str
    focus: str
    members: tuple[
        tuple[str, str, str, dt.date | None], ...
    ]  # (member id, school id, school name, host date)


@dataclass(frozen=True)
class AreaConsistency:
    framework_key: str
    area_key: str
    area_name: str
    judged: int  # areas with both a peer and a self-evaluation grade
    agreed: int
    higher: int  # peer judgement above the school's own
    lower: int

    @property
    def rate(self) -> float:
        return self.agreed / self.judged if self.judged else 0.0


@dataclass(frozen=True)
class TrackedAction:
    id: str
    visit_id: str
    school: str
    visit_date: dt.date
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    follow_up: tuple[tuple[dt.date | None, str], ...]

    def overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return (
            self.status != ActionStatus.DONE and self.due_date is not None and self.due_date < today
        )

    def status_label(self, today: dt.date | None = None) -> str:
        label = label_of(ActionStatus, self.status)
        return f"{label}, overdue" if self.overdue(today) else label


def tracked_actions(visits: Sequence[VisitDetail]) -> list[TrackedAction]:
    out = []
    for v in visits:
        for a in v.actions:
            out.append(
                TrackedAction(
                    a.id,
                    v.id,
                    v.host_school.name,
                    v.visit_date,
                    a.description,
                    a.owner,
                    a.due_date,
                    a.status,
                    tuple((n.date, n.note) for n in a.follow_up),
                )
            )
    return sorted(out, key=lambda a: (a.due_date or dt.date.max, a.school, a.description))


def _copied_words(priorities: int, groups: int) -> str:
    """ "32 school priorities and 3 review groups", leaving out what is none."""
    parts = [counted(priorities, "school priority")] if priorities else []
    parts += [counted(groups, "review group")] if groups else []
    return " and ".join(parts)


@dataclass(frozen=True)
class YearStart:
    """Whether a year has its own school priorities and review groups yet, and what the
    year before has that could be copied as a start."""

    year: str
    previous: str
    priorities: int  # each school × theme once
    groups: int
    previous_priorities: int
    previous_groups: int

    @property
    def to_copy(self) -> tuple[int, int]:
        """(priorities, groups) a copy of the year before would add: only what this year
        has none of, so that nothing is counted twice and no school is in two groups."""
        return (
            0 if self.priorities else self.previous_priorities,
            0 if self.groups else self.previous_groups,
        )

    @property
    def missing(self) -> bool:
        return not self.priorities or not self.groups

    def notice(self) -> str:
        """One plain sentence about what the year lacks ("" when it has both)."""
        if not self.missing:
            return ""
        lacks = (
            "school priorities or review groups"
            if not self.priorities and not self.groups
            else "school priorities"
            if not self.priorities
            else "review groups"
        )
        priorities, groups = self.to_copy
        if priorities or groups:
            return f"{self.year} has no {lacks} yet. You can start from {self.previous}'s and change them."
        return f"{self.year} has no {lacks} yet, and {self.previous} has none to copy."

    def confirmation(self) -> str:
        """What a copy will do, with its counts, for the administrator to confirm."""
        priorities, groups = self.to_copy
        what = _copied_words(priorities, groups)
        groups_note = (
            f"\n\nThe groups are named for {self.year} and keep their schools and hosting order, "
            "each school hosting a year on, on the same weekday; the dates can be changed in the "
            "Hosting rota tab."
            if groups
            else ""
        )
        return (
            f"Copy {what} from {self.previous} into {self.year}?{groups_note}\n\n"
            f"Nothing in {self.previous} changes: the copies are new records for {self.year}, "
            "and deleting them undoes the copy."
        )


@dataclass(frozen=True)
class YearCopied:
    year: str
    previous: str
    priorities: int
    groups: int

    def words(self) -> str:
        return _copied_words(self.priorities, self.groups)


def renamed_for(name: str, previous: str, year: str) -> str:
    """A group's name for the new year: "Oracy quartet 2025-26" becomes "Oracy quartet 2026-27"."""
    return name.replace(previous, year) if previous in name else f"{name} {year}"


def host_date_a_year_on(day: dt.date | None, year: str) -> dt.date | None:
    """The same weekday about a year later (52 weeks), kept inside the new academic year."""
    if day is None:
        return None
    start, end = academic_year_bounds(year)
    moved = day + dt.timedelta(weeks=52)
    while moved < start:
        moved += dt.timedelta(weeks=1)
    while moved > end:
        moved -= dt.timedelta(weeks=1)
    return moved


def check_year(year: str) -> str:
    try:
        academic_year_bounds(year)
    except ValueError as exc:
        raise NexusError(f"{exc}.") from None
    return year
