"""The network's view of itself: shared priorities, review groups, the hosting rota, how
often heads' judgements agree with schools' own, and the follow-up of agreed next steps.

The network's practice: a matrix of schools × development priorities finds schools with the
most in common, which then work as triads and quartets; in each group every school hosts a
half-day review in turn; judgements are tested for consistency across the group, and progress
on next steps is followed up at later meetings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.calendar import academic_year_bounds, previous_academic_year
from nexus_review.domain.enums import ActionStatus, VisitKind, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.errors import NexusError
from nexus_review.frameworks import area_title, get_framework


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


# ---------------------------------------------------------------------------- grouping


def group_sizes(n: int) -> list[int]:
    """Triads and quartets that use every school: 10 → 4, 3, 3; 8 → 4, 4; 5 → 5 (too few)."""
    if n < 6:
        return [n] if n else []
    for fours in range(n // 4, -1, -1):
        rest = n - 4 * fours
        if rest % 3 == 0:
            return [4] * fours + [3] * (rest // 3)
    return [n]  # never reached for n >= 6


def _score(matrix: PriorityMatrix, group: Sequence[str]) -> int:
    """How alike a group is: the priorities its pairs share, and above all the priorities
    every member shares (a group's review looks at one development issue they all have)."""
    pairs = sum(matrix.shared(a, b) for a, b in itertools.combinations(group, 2))
    return pairs + 4 * len(matrix.shared_by(group))


def suggest_groups(matrix: PriorityMatrix) -> list[list[str]]:
    """Triads and quartets of schools sharing the most priorities: every school in exactly one
    group. Greedy seeding from the most alike pair, then swaps between groups while they raise
    the number of priorities shared within groups. Deterministic for the same matrix."""
    ids = sorted(s for s, _n in matrix.schools)
    sizes = group_sizes(len(ids))
    left = list(ids)
    groups: list[list[str]] = []
    for size in sizes:
        if len(left) <= size:
            groups.append(sorted(left))
            left = []
            break
        # max() keeps the first of equals, and the schools are in a fixed order.
        a, b = max(itertools.combinations(left, 2), key=lambda p: matrix.shared(*p))
        group = [a, b]
        while len(group) < size:
            best = max((s for s in left if s not in group), key=lambda s: sum(matrix.shared(s, g) for g in group))
            group.append(best)
        groups.append(sorted(group))
        left = [s for s in left if s not in group]
    improved = True
    while improved:
        improved = False
        for gi, gj in itertools.combinations(range(len(groups)), 2):
            for x, y in itertools.product(list(groups[gi]), list(groups[gj])):
                before = _score(matrix, groups[gi]) + _score(matrix, groups[gj])
                new_i = sorted([s for s in groups[gi] if s != x] + [y])
                new_j = sorted([s for s in groups[gj] if s != y] + [x])
                if _score(matrix, new_i) + _score(matrix, new_j) > before:
                    groups[gi], groups[gj] = new_i, new_j
                    improved = True
                    break
            if improved:
                break
    return sorted(groups, key=lambda g: (-_score(matrix, g), g))


def group_name(matrix: PriorityMatrix, members: Sequence[str]) -> str:
    shared = matrix.shared_by(members)
    kind = {3: "triad", 4: "quartet"}.get(len(members), "group")
    return f"{shared[0]} {kind} {matrix.year}" if shared else f"Review {kind} {matrix.year}"


# ---------------------------------------------------------------------------- the rota


def propose_rota(year: str, count: int) -> list[dt.date]:
    """A hosting date for each member: spread over the year from October to June, each on a
    Wednesday clear of the first week back, so that each school hosts exactly once."""
    start, _end = academic_year_bounds(year)
    first = dt.date(start.year, 10, 1)
    last = dt.date(start.year + 1, 6, 30)
    span = (last - first).days
    dates = []
    for i in range(count):
        day = first + dt.timedelta(days=span * i // max(count - 1, 1) if count > 1 else 0)
        while day.weekday() != 2:  # a Wednesday
            day += dt.timedelta(days=1)
        dates.append(day)
    return dates


# ---------------------------------------------------------------------------- consistency


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


def consistency(visits: Sequence[VisitDetail]) -> list[AreaConsistency]:
    """For each graded area: how often the peer judgement agreed with the school's own."""
    counts: dict[tuple[str, str], list[int]] = {}
    order: list[tuple[str, str]] = []
    for v in visits:
        fw = get_framework(v.framework_key)
        if not fw.graded:
            continue
        for area in fw.judged_areas():
            key = (fw.key, area.key)
            if key not in counts:
                counts[key] = [0, 0, 0, 0]
                order.append(key)
            j = v.judgement(area.key)
            if j is None:
                continue
            c = fw.compare(area.key, j.peer_grade, j.self_grade)
            if c is None:
                continue
            counts[key][0] += 1
            counts[key][{0: 1, 1: 2, -1: 3}[c]] += 1
    out = []
    for fw_key, area_key in order:
        judged, agreed, higher, lower = counts[(fw_key, area_key)]
        if judged:
            out.append(AreaConsistency(fw_key, area_key, get_framework(fw_key).area_name(area_key), judged, agreed, higher, lower))
    return out


# ---------------------------------------------------------------------------- follow-up


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
        return self.status != ActionStatus.DONE and self.due_date is not None and self.due_date < today

    def status_label(self, today: dt.date | None = None) -> str:
        label = label_of(ActionStatus, self.status)
        return f"{label}, overdue" if self.overdue(today) else label


def tracked_actions(visits: Sequence[VisitDetail]) -> list[TrackedAction]:
    out = []
    for v in visits:
        for a in v.actions:
            out.append(
                TrackedAction(
                    a.id, v.id, v.host_school.name, v.visit_date, a.description, a.owner, a.due_date, a.status,
                    tuple((n.date, n.note) for n in a.follow_up),
                )
            )
    return sorted(out, key=lambda a: (a.due_date or dt.date.max, a.school, a.description))


# ---------------------------------------------------------------------------- spreadsheets


def judgements_csv(visits: Sequence[VisitDetail]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["visit_id", "date", "school", "kind", "framework", "area", "self_evaluation", "peer_judgement", "agreement"])
    for v in visits:
        fw = get_framework(v.framework_key)
        for j in v.judgements:
            c = fw.compare(j.area_key, j.peer_grade, j.self_grade)
            writer.writerow([
                v.id, v.visit_date.isoformat(), v.host_school.name, label_of(VisitKind, v.kind), fw.short_name,
                area_title(fw, j.area_key, v.focus_areas), fw.grade_label(j.area_key, j.self_grade), fw.grade_label(j.area_key, j.peer_grade),
                {None: "", 0: "agreed", 1: "peer higher", -1: "peer lower"}[c],
            ])
    return buffer.getvalue()


def actions_csv(actions: Sequence[TrackedAction], today: dt.date | None = None, staff: Anonymiser | None = None) -> str:
    """The next steps as a spreadsheet; with ``staff``, the staff it protects are named in no cell."""
    clean = staff.clean if staff is not None else str
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["action_id", "school", "visit_date", "next_step", "owner", "due", "status", "overdue", "follow_up"])
    for a in actions:
        writer.writerow([
            a.id, a.school, a.visit_date.isoformat(), clean(a.description), clean(a.owner), a.due_date.isoformat() if a.due_date else "",
            a.status, "yes" if a.overdue(today) else "no",
            " | ".join(f"{d.isoformat() if d else ''}: {clean(n)}" for d, n in a.follow_up),
        ])
    return buffer.getvalue()


def staff_of(visits: Sequence[VisitDetail], anonymise: bool = True) -> Anonymiser:
    """An anonymiser for everyone named in the evidence of these visits, deleted evidence too."""
    return Anonymiser((name for v in visits for name in (*(e.staff for e in v.evidence), *v.staff_named)), anonymise)


def write_csv(text: str, out: Path | str) -> Path:
    from nexus_review.fileio import write_bytes_atomic

    # UTF-8 with a byte-order mark, so that spreadsheet programs read accents correctly.
    return write_bytes_atomic(out, ("\ufeff" + text).encode("utf-8"))


def check_year(year: str) -> str:
    try:
        academic_year_bounds(year)
    except ValueError as exc:
        raise NexusError(f"{exc}.") from None
    return year


# ---------------------------------------------------------------------------- use cases


@dataclass(frozen=True)
class GroupItem:
    id: str
    name: str
    year: str
    focus: str
    members: tuple[tuple[str, str, str, dt.date | None], ...]  # (member id, school id, school name, host date)


def review_groups(db: object, year: str) -> list[GroupItem]:
    from nexus_review.storage import repository as repo

    with db.reading() as session:  # type: ignore[attr-defined]
        return [GroupItem(*g) for g in repo.review_groups(session, year)]


def save_groups(db: object, year: str, groups: Sequence[Sequence[str]], names: Sequence[str] | None = None, focus: Sequence[str] | None = None) -> list[str]:
    """Save a grouping as the year's review groups, each with a proposed rota; the year's
    earlier groups are tombstoned (their reviews keep their history)."""
    from nexus_review.storage import repository as repo

    check_year(year)
    seen: set[str] = set()
    for g in groups:
        if not 3 <= len(g) <= 4 and len(groups) > 1:
            raise NexusError("Each review group needs three or four schools.")
        if seen & set(g):
            raise NexusError("A school can be in only one review group a year.")
        seen |= set(g)
    with db.transaction() as session:  # type: ignore[attr-defined]
        repo.retire_review_groups(session, year)
        ids = []
        for i, members in enumerate(groups):
            name = names[i] if names and i < len(names) else f"Review group {i + 1} {year}"
            ids.append(repo.add_review_group(session, year, name, focus[i] if focus and i < len(focus) else "", list(members), propose_rota(year, len(members))))
        return ids


def set_host_date(db: object, member_id: str, day: dt.date | None) -> None:
    from nexus_review.storage import repository as repo

    with db.transaction() as session:  # type: ignore[attr-defined]
        repo.set_host_date(session, member_id, day)


def network_visits(db: object, year: str, term: str | None = None, group: str | None = None, schools: Sequence[str] = ()) -> list[VisitDetail]:
    """The visits of a year (and optionally a term, a review group or some schools), whole."""
    from nexus_review.domain.calendar import term_of
    from nexus_review.storage import repository as repo

    check_year(year)
    start, end = academic_year_bounds(year)
    with db.reading() as session:  # type: ignore[attr-defined]
        school_ids = repo.school_ids_named(session, schools) if schools else None
        group_id = repo.review_group_named(session, group, year) if group else None
        ids = repo.visit_ids_between(session, start, end, school_ids=school_ids, group_id=group_id)
        visits = repo.visit_details(session, ids)
    if term:
        if term not in ("autumn", "spring", "summer"):
            raise NexusError(f"'{term}' is not a term; choose autumn, spring or summer.")
        visits = [v for v in visits if term_of(v.visit_date) == term]
    return visits


def update_action(db: object, action_id: str, *, status: str | None = None, note: str = "", when: dt.date | None = None) -> None:
    """Mark progress on a next step and add a follow-up note from a later meeting."""
    from nexus_review.storage import repository as repo

    if status is not None and status not in ActionStatus._value2member_map_:
        raise NexusError(f"'{status}' is not a status; choose open, in-progress or done.")
    with db.transaction() as session:  # type: ignore[attr-defined]
        repo.update_action(session, action_id, status=status, note=note.strip(), when=when or dt.date.today())


# ---------------------------------------------------------------------------- a new school year


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
        return (0 if self.priorities else self.previous_priorities, 0 if self.groups else self.previous_groups)

    @property
    def missing(self) -> bool:
        return not self.priorities or not self.groups

    def notice(self) -> str:
        """One plain sentence about what the year lacks ("" when it has both)."""
        if not self.missing:
            return ""
        lacks = (
            "school priorities or review groups" if not self.priorities and not self.groups
            else "school priorities" if not self.priorities else "review groups"
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
            if groups else ""
        )
        return (
            f"Copy {what} from {self.previous} into {self.year}?{groups_note}\n\n"
            f"Nothing in {self.previous} changes: the copies are new records for {self.year}, "
            "and deleting them undoes the copy."
        )


def year_start(db: object, year: str) -> YearStart:
    """What a year has of its own, and what the year before has to copy."""
    check_year(year)
    with db.reading() as session:  # type: ignore[attr-defined]
        return _year_start(session, year)


def _year_start(session: Any, year: str) -> YearStart:
    from nexus_review.storage import repository as repo

    previous = previous_academic_year(year)
    return YearStart(
        year, previous,
        repo.count_priorities(session, year), repo.count_review_groups(session, year),
        repo.count_priorities(session, previous), repo.count_review_groups(session, previous),
    )


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


@dataclass(frozen=True)
class YearCopied:
    year: str
    previous: str
    priorities: int
    groups: int

    def words(self) -> str:
        return _copied_words(self.priorities, self.groups)


def copy_previous_year(db: object, year: str) -> YearCopied:
    """Start a year from the one before: its school priorities (each school × theme) and
    review groups as new records for this year, in one transaction. Only what this year has
    none of is copied; the year before is left as it was."""
    from nexus_review.storage import repository as repo

    check_year(year)
    with db.transaction() as session:  # type: ignore[attr-defined]
        start = _year_start(session, year)
        previous = start.previous
        if not start.missing:
            raise NexusError(f"{year} already has its own school priorities and review groups.")
        want_priorities, want_groups = start.to_copy
        if not (want_priorities or want_groups):
            raise NexusError(f"{previous} has no school priorities or review groups to copy.")
        priorities = repo.copy_priorities(session, previous, year) if want_priorities else 0
        groups = (
            repo.copy_review_groups(
                session, previous, year,
                rename=lambda name: renamed_for(name, previous, year),
                host_date=lambda day: host_date_a_year_on(day, year),
            )
            if want_groups else 0
        )
        return YearCopied(year, previous, priorities, groups)


# ---------------------------------------------------------------------------- network settings

LESSON_GRADING_KEY = "lesson_grading"


def lesson_grading_enabled(db: Any) -> bool:
    """Whether reviewers grade single lessons. Off unless the network switches it on: Ofsted
    stopped grading individual lessons, and peer reviews follow suit. Grades already given to
    a lesson are kept and shown either way."""
    from nexus_review.storage.database import get_info

    with db.reading() as session:
        return bool(get_info(session, LESSON_GRADING_KEY) == "on")


def set_lesson_grading(db: Any, on: bool) -> None:
    from nexus_review.storage.database import set_info

    with db.transaction() as session:
        set_info(session, LESSON_GRADING_KEY, "on" if on else "off")
