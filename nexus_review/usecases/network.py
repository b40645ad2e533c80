"""The network administrator's actions: review groups and their rota, the year's visits,
follow-up of next steps, starting a new school year, and the network's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nexus_review.domain.calendar import academic_year_bounds, previous_academic_year, term_of
from nexus_review.domain.enums import ActionStatus
from nexus_review.domain.grouping import propose_rota
from nexus_review.domain.network import (
    GroupItem,
    PriorityMatrix,
    YearCopied,
    YearStart,
    check_year,
    host_date_a_year_on,
    renamed_for,
)
from nexus_review.domain.records import VisitDetail
from nexus_review.errors import NexusError
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Database, get_info, set_info
from nexus_review.storage.stamping import NexusSession


def review_groups(db: Database, year: str) -> list[GroupItem]:

    with db.reading() as session:
        return [GroupItem(*g) for g in repo.review_groups(session, year)]


def save_groups(
    db: Database,
    year: str,
    groups: Sequence[Sequence[str]],
    names: Sequence[str] | None = None,
    focus: Sequence[str] | None = None,
) -> list[str]:
    """Save a grouping as the year's review groups, each with a proposed rota; the year's
    earlier groups are tombstoned (their reviews keep their history)."""

    check_year(year)
    seen: set[str] = set()
    for g in groups:
        if not 3 <= len(g) <= 4 and len(groups) > 1:
            raise NexusError("Each review group needs three or four schools.")
        if seen & set(g):
            raise NexusError("A school can be in only one review group a year.")
        seen |= set(g)
    with db.transaction() as session:
        repo.retire_review_groups(session, year)
        ids = []
        for i, members in enumerate(groups):
            name = names[i] if names and i < len(names) else f"Review group {i + 1} {year}"
            ids.append(
                repo.add_review_group(
                    session,
                    year,
                    name,
                    focus[i] if focus and i < len(focus) else "",
                    list(members),
                    propose_rota(year, len(members)),
                )
            )
        return ids


def set_host_date(db: Database, member_id: str, day: dt.date | None) -> None:

    with db.transaction() as session:
        repo.set_host_date(session, member_id, day)


def network_visits(
    db: Database,
    year: str,
    term: str | None = None,
    group: str | None = None,
    schools: Sequence[str] = (),
) -> list[VisitDetail]:
    """The visits of a year (and optionally a term, a review group or some schools), whole."""

    check_year(year)
    start, end = academic_year_bounds(year)
    with db.reading() as session:
        school_ids = repo.school_ids_named(session, schools) if schools else None
        group_id = repo.review_group_named(session, group, year) if group else None
        ids = repo.visit_ids_between(session, start, end, school_ids=school_ids, group_id=group_id)
        visits = repo.visit_details(session, ids)
    if term:
        if term not in ("autumn", "spring", "summer"):
            raise NexusError(f"'{term}' is not a term; choose autumn, spring or summer.")
        visits = [v for v in visits if term_of(v.visit_date) == term]
    return visits


def update_action(
    db: Database,
    action_id: str,
    *,
    status: str | None = None,
    note: str = "",
    when: dt.date | None = None,
) -> None:
    """Mark progress on a next step and add a follow-up note from a later meeting."""

    if status is not None and status not in ActionStatus._value2member_map_:
        raise NexusError(f"'{status}' is not a status; choose open, in-progress or done.")
    with db.transaction() as session:
        repo.update_action(
            session, action_id, status=status, note=note.strip(), when=when or dt.date.today()
        )


def year_start(db: Database, year: str) -> YearStart:
    """What a year has of its own, and what the year before has to copy."""
    check_year(year)
    with db.reading() as session:
        return _year_start(session, year)


def _year_start(session: NexusSession, year: str) -> YearStart:

    previous = previous_academic_year(year)
    return YearStart(
        year,
        previous,
        repo.count_priorities(session, year),
        repo.count_review_groups(session, year),
        repo.count_priorities(session, previous),
        repo.count_review_groups(session, previous),
    )


def copy_previous_year(db: Database, year: str) -> YearCopied:
    """Start a year from the one before: its school priorities (each school × theme) and
    review groups as new records for this year, in one transaction. Only what this year has
    none of is copied; the year before is left as it was."""

    check_year(year)
    with db.transaction() as session:
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
                session,
                previous,
                year,
                rename=lambda name: renamed_for(name, previous, year),
                host_date=lambda day: host_date_a_year_on(day, year),
            )
            if want_groups
            else 0
        )
        return YearCopied(year, previous, priorities, groups)


LESSON_GRADING_KEY = "lesson_grading"


def lesson_grading_enabled(db: Database) -> bool:
    """Whether reviewers grade single lessons. Off unless the network switches it on: Ofsted
    stopped grading individual lessons, and peer reviews follow suit. Grades already given to
    a lesson are kept and shown either way."""

    with db.reading() as session:
        return bool(get_info(session, LESSON_GRADING_KEY) == "on")


def set_lesson_grading(db: Database, on: bool) -> None:

    with db.transaction() as session:
        set_info(session, LESSON_GRADING_KEY, "on" if on else "off")


def priority_matrix(db: Database, year: str) -> PriorityMatrix:
    """Schools × the priorities they shared for a year."""
    with db.reading() as session:
        return repo.priority_matrix(session, year)
