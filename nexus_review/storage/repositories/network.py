"""The network: schools' priorities, review groups and their rota, and a new school year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from nexus_review.domain.network import PriorityMatrix
from nexus_review.errors import NotFoundError
from nexus_review.storage.models import (
    School,
    SchoolPriority,
    Visit,
)


def school_priorities(
    session: Session, school_id: str, academic_year: str | None = None
) -> list[str]:
    query = select(SchoolPriority.theme).where(
        SchoolPriority.school_id == school_id, SchoolPriority.deleted.is_(False)
    )
    if academic_year:
        query = query.where(SchoolPriority.academic_year == academic_year)
    return list(dict.fromkeys(session.scalars(query.order_by(SchoolPriority.theme))))


def priority_years(session: Session) -> list[str]:
    years = session.scalars(
        select(SchoolPriority.academic_year).where(SchoolPriority.deleted.is_(False)).distinct()
    )
    return sorted(set(years), reverse=True)


def priority_matrix(session: Session, year: str) -> PriorityMatrix:
    schools = session.execute(
        select(School.id, School.name).where(School.deleted.is_(False)).order_by(School.name)
    ).all()
    rows = session.execute(
        select(SchoolPriority.school_id, SchoolPriority.theme).where(
            SchoolPriority.academic_year == year, SchoolPriority.deleted.is_(False)
        )
    ).all()
    cells = frozenset((r.school_id, r.theme) for r in rows)
    counts: dict[str, int] = {}
    for _school, theme in cells:
        counts[theme] = counts.get(theme, 0) + 1
    themes = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
    return PriorityMatrix(year, tuple((s.id, s.name) for s in schools), themes, cells)


def visit_ids_between(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    school_ids: list[str] | None = None,
    group_id: str | None = None,
) -> list[str]:
    query = select(Visit.id).where(
        Visit.deleted.is_(False), Visit.visit_date >= start, Visit.visit_date <= end
    )
    if school_ids is not None:
        query = query.where(Visit.host_school_id.in_(school_ids))
    if group_id is not None:
        from nexus_review.storage.models import ReviewGroupMember

        members = select(ReviewGroupMember.school_id).where(
            ReviewGroupMember.group_id == group_id, ReviewGroupMember.deleted.is_(False)
        )
        query = query.where(
            or_(Visit.review_group_id == group_id, Visit.host_school_id.in_(members))
        )
    return list(session.scalars(query.order_by(Visit.visit_date, Visit.id)))


def review_group_named(session: Session, name: str, year: str) -> str:
    from nexus_review.storage.models import ReviewGroup

    found = session.scalars(
        select(ReviewGroup.id).where(
            ReviewGroup.deleted.is_(False),
            ReviewGroup.academic_year == year,
            func.lower(ReviewGroup.name) == name.strip().lower(),
        )
    ).first()
    if found is None:
        raise NotFoundError(f"There is no review group called '{name}' in {year}.")
    return found


def review_groups(session: Session, year: str) -> list[tuple[Any, ...]]:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    groups = session.scalars(
        select(ReviewGroup)
        .where(ReviewGroup.deleted.is_(False), ReviewGroup.academic_year == year)
        .options(selectinload(ReviewGroup.members).selectinload(ReviewGroupMember.school))
        .order_by(ReviewGroup.name)
    )
    return [
        (
            g.id,
            g.name,
            g.academic_year,
            g.focus,
            tuple(
                (m.id, m.school_id, m.school.name, m.host_date)
                for m in sorted(g.members, key=lambda m: (m.host_date or dt.date.max, m.position))
                if not m.deleted
            ),
        )
        for g in groups
    ]


def retire_review_groups(session: Session, year: str) -> None:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    for g in session.scalars(
        select(ReviewGroup).where(ReviewGroup.academic_year == year, ReviewGroup.deleted.is_(False))
    ):
        g.deleted = True
        for m in session.scalars(
            select(ReviewGroupMember).where(ReviewGroupMember.group_id == g.id)
        ):
            m.deleted = True


def add_review_group(
    session: Session, year: str, name: str, focus: str, school_ids: list[str], dates: list[dt.date]
) -> str:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    group = ReviewGroup(name=name, academic_year=year, focus=focus)
    session.add(group)
    session.flush()
    for position, (school_id, day) in enumerate(zip(school_ids, dates, strict=True)):
        session.add(
            ReviewGroupMember(
                group_id=group.id, school_id=school_id, position=position, host_date=day
            )
        )
    session.flush()
    return group.id


def set_host_date(session: Session, member_id: str, day: dt.date | None) -> None:
    from nexus_review.storage.models import ReviewGroupMember

    member = session.get(ReviewGroupMember, member_id)
    if member is None:
        raise NotFoundError("That school is no longer in the review group.")
    member.host_date = day


def count_priorities(session: Session, year: str) -> int:
    """A year's priorities (each school × theme once), of schools still in the network."""
    pairs = (
        select(SchoolPriority.school_id, SchoolPriority.theme)
        .join(School, School.id == SchoolPriority.school_id)
        .where(
            SchoolPriority.academic_year == year,
            SchoolPriority.deleted.is_(False),
            School.deleted.is_(False),
        )
        .distinct()
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(pairs)) or 0)


def _live_groups(session: Session, year: str) -> list[tuple[Any, list[Any]]]:
    """A year's review groups with their members still in the network, in rota order."""
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    groups = session.scalars(
        select(ReviewGroup)
        .where(ReviewGroup.academic_year == year, ReviewGroup.deleted.is_(False))
        .options(selectinload(ReviewGroup.members).selectinload(ReviewGroupMember.school))
        .order_by(ReviewGroup.name, ReviewGroup.id)
    ).all()
    out = []
    for group in groups:
        members = sorted(
            (m for m in group.members if not m.deleted and not m.school.deleted),
            key=lambda m: m.position,
        )
        if members:
            out.append((group, members))
    return out


def count_review_groups(session: Session, year: str) -> int:
    """A year's review groups that still have a school in them."""
    return len(_live_groups(session, year))


def copy_priorities(session: Session, from_year: str, to_year: str) -> int:
    """Each school's priorities of one year as new records for another, leaving out a
    school × theme the other year already has. Returns how many were added."""
    have: set[tuple[str, str]] = {
        (school_id, theme)
        for school_id, theme in session.execute(
            select(SchoolPriority.school_id, SchoolPriority.theme).where(
                SchoolPriority.academic_year == to_year, SchoolPriority.deleted.is_(False)
            )
        )
    }
    rows = session.scalars(
        select(SchoolPriority)
        .join(School, School.id == SchoolPriority.school_id)
        .where(
            SchoolPriority.academic_year == from_year,
            SchoolPriority.deleted.is_(False),
            School.deleted.is_(False),
        )
        .order_by(SchoolPriority.school_id, SchoolPriority.theme, SchoolPriority.id)
    )
    added = 0
    for old in rows:
        if (old.school_id, old.theme) in have:
            continue  # two records of one priority in a year would count it twice
        have.add((old.school_id, old.theme))
        session.add(
            SchoolPriority(
                school_id=old.school_id,
                academic_year=to_year,
                theme=old.theme,
                description=old.description,
            )
        )
        added += 1
    session.flush()
    return added


def copy_review_groups(
    session: Session,
    from_year: str,
    to_year: str,
    rename: Callable[[str], str],
    host_date: Callable[[dt.date | None], dt.date | None],
) -> int:
    """One year's review groups as new groups of another year, with the same schools in the
    same rota order, each named ``rename(old name)`` and hosting on ``host_date(old date)``.
    Returns how many groups were added."""
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    added = 0
    for old, members in _live_groups(session, from_year):
        group = ReviewGroup(name=rename(old.name), academic_year=to_year, focus=old.focus)
        session.add(group)
        session.flush()
        for position, member in enumerate(members):
            session.add(
                ReviewGroupMember(
                    group_id=group.id,
                    school_id=member.school_id,
                    position=position,
                    host_date=host_date(member.host_date),
                )
            )
        added += 1
    session.flush()
    return added
