"""Schools and reviewers: the network's people and places, as frozen records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from nexus_review.domain.records import (
    ReviewerItem,
    SchoolItem,
)
from nexus_review.errors import NotFoundError
from nexus_review.storage.models import (
    Reviewer,
    School,
)


def school_item(school: School) -> SchoolItem:
    return SchoolItem(
        id=school.id,
        name=school.name,
        urn=school.urn,
        phase=school.phase,
        local_authority=school.local_authority,
        headteacher=school.headteacher,
    )


def list_schools(session: Session) -> list[SchoolItem]:
    rows = session.scalars(select(School).where(School.deleted.is_(False)).order_by(School.name))
    return [school_item(s) for s in rows]


def list_reviewers(session: Session) -> list[ReviewerItem]:
    rows = session.scalars(
        select(Reviewer)
        .where(Reviewer.deleted.is_(False))
        .options(selectinload(Reviewer.home_school))
        .order_by(Reviewer.name)
    )
    return [
        ReviewerItem(
            id=r.id,
            name=r.name,
            role=r.role,
            home_school_id=r.home_school_id,
            home_school_name=r.home_school.name if r.home_school else "",
        )
        for r in rows
    ]


def reviewer_named(session: Session, name: str) -> Reviewer | None:
    return session.scalars(
        select(Reviewer).where(Reviewer.name == name, Reviewer.deleted.is_(False)).limit(1)
    ).first()


def school_named(session: Session, name: str) -> School | None:
    return session.scalars(
        select(School).where(School.name == name, School.deleted.is_(False)).limit(1)
    ).first()


def school_ids_named(session: Session, names: Any) -> list[str]:
    ids = []
    for name in names:
        found = session.scalars(
            select(School.id).where(
                School.deleted.is_(False), func.lower(School.name) == name.strip().lower()
            )
        ).first()
        if found is None:
            raise NotFoundError(f"There is no school called '{name}' in this database.")
        ids.append(found)
    return ids
