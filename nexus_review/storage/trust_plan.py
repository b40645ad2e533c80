"""Reading and writing the trust's aims, the priority themes under them and the delivery plan
with its termly progress.

Functions take a session and never commit; the use cases in :mod:`nexus_review.usecases.trust`
open the one unit of work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus_review.domain.trust import AimItem, DeliveryActionItem, ProgressItem
from nexus_review.storage.models import (
    Aim,
    AimTheme,
    DeliveryAction,
    DeliveryProgress,
    School,
    SchoolPriority,
)

# ---------------------------------------------------------------------------- aims


def aims(session: Session) -> list[AimItem]:
    rows = list(
        session.scalars(select(Aim).where(Aim.deleted.is_(False)).order_by(Aim.position, Aim.title))
    )
    themes: dict[str, list[str]] = {}
    for theme, aim_id in session.execute(
        select(AimTheme.theme, AimTheme.aim_id)
        .where(AimTheme.deleted.is_(False))
        .order_by(AimTheme.theme)
    ):
        themes.setdefault(aim_id, []).append(theme)
    return [
        AimItem(a.id, a.title, a.description, a.position, tuple(themes.get(a.id, ()))) for a in rows
    ]


def add_aim(session: Session, title: str, description: str = "") -> str:
    count = len(list(session.scalars(select(Aim.id).where(Aim.deleted.is_(False)))))
    aim = Aim(title=title, description=description, position=count)
    session.add(aim)
    session.flush()
    return aim.id


def update_aim(session: Session, aim_id: str, title: str, description: str, place: int) -> bool:
    """Change an aim's wording and move it to ``place`` (0 first) among the live aims, the
    others keeping their order; returns whether anything changed."""
    rows = list(
        session.scalars(select(Aim).where(Aim.deleted.is_(False)).order_by(Aim.position, Aim.title))
    )
    aim = next((a for a in rows if a.id == aim_id), None)
    if aim is None:
        return False
    changed = False
    if aim.title != title:
        aim.title, changed = title, True
    if aim.description != description:
        aim.description, changed = description, True
    rows.remove(aim)
    rows.insert(max(0, min(place, len(rows))), aim)
    for position, row in enumerate(rows):
        if row.position != position:
            row.position, changed = position, True
    return changed


def aim_exists(session: Session, aim_id: str) -> bool:
    return (
        session.scalars(select(Aim.id).where(Aim.id == aim_id, Aim.deleted.is_(False))).first()
        is not None
    )


def map_theme(session: Session, theme: str, aim_id: str | None) -> None:
    """Put a priority theme under one aim (or under none)."""
    row = session.scalars(
        select(AimTheme).where(AimTheme.theme == theme, AimTheme.deleted.is_(False))
    ).first()
    if aim_id is None:
        if row is not None:
            row.deleted = True
        return
    if row is None:
        session.add(AimTheme(theme=theme, aim_id=aim_id))
    elif row.aim_id != aim_id:
        row.aim_id = aim_id


def priority_themes(session: Session) -> list[str]:
    """Every theme the schools' priorities use, in any year, and every theme already under an
    aim."""
    used = set(
        session.scalars(
            select(SchoolPriority.theme).where(SchoolPriority.deleted.is_(False)).distinct()
        )
    )
    used |= set(theme_aims(session))
    return sorted(used, key=str.lower)


def theme_aims(session: Session) -> dict[str, str]:
    """Priority theme -> aim id."""
    return dict(
        session.execute(
            select(AimTheme.theme, AimTheme.aim_id).where(AimTheme.deleted.is_(False))
        ).all()
    )


def priorities_of_year(session: Session, year: str) -> list[tuple[str, str]]:
    """(school name, theme) for every live priority of the year."""
    rows = session.execute(
        select(School.name, SchoolPriority.theme)
        .join(School, School.id == SchoolPriority.school_id)
        .where(
            SchoolPriority.academic_year == year,
            SchoolPriority.deleted.is_(False),
            School.deleted.is_(False),
        )
        .order_by(SchoolPriority.theme, School.name)
    )
    return [(name, theme) for name, theme in rows]


# ---------------------------------------------------------------------------- the delivery plan


def delivery_actions(session: Session, year: str | None = None) -> list[DeliveryActionItem]:
    query = select(DeliveryAction).where(DeliveryAction.deleted.is_(False))
    if year is not None:
        query = query.where(DeliveryAction.academic_year == year)
    rows = list(
        session.scalars(
            query.join(Aim, Aim.id == DeliveryAction.aim_id).order_by(
                Aim.position,
                DeliveryAction.academic_year,
                DeliveryAction.position,
                DeliveryAction.id,
            )
        )
    )
    progress: dict[str, list[ProgressItem]] = {}
    if rows:
        order = {"autumn": 0, "spring": 1, "summer": 2}
        for p in session.scalars(
            select(DeliveryProgress).where(
                DeliveryProgress.action_id.in_([r.id for r in rows]),
                DeliveryProgress.deleted.is_(False),
            )
        ):
            progress.setdefault(p.action_id, []).append(
                ProgressItem(p.id, p.academic_year, p.term, p.status, p.note)
            )
        for items in progress.values():
            items.sort(key=lambda p: (p.year, order.get(p.term, 9)))
    return [
        DeliveryActionItem(
            r.id,
            r.aim_id,
            r.academic_year,
            r.position,
            r.what,
            r.how,
            r.outcome,
            r.lead,
            r.due_date,
            tuple(progress.get(r.id, ())),
        )
        for r in rows
    ]


def add_delivery_action(
    session: Session,
    aim_id: str,
    year: str,
    what: str,
    how: str,
    outcome: str,
    lead: str,
    due: dt.date | None,
) -> str:
    count = len(
        list(
            session.scalars(
                select(DeliveryAction.id).where(
                    DeliveryAction.aim_id == aim_id, DeliveryAction.academic_year == year
                )
            )
        )
    )
    row = DeliveryAction(
        aim_id=aim_id,
        academic_year=year,
        position=count,
        what=what,
        how=how,
        outcome=outcome,
        lead=lead,
        due_date=due,
    )
    session.add(row)
    session.flush()
    return row.id


def update_delivery_action(
    session: Session,
    action_id: str,
    aim_id: str,
    what: str,
    how: str,
    outcome: str,
    lead: str,
    due: dt.date | None,
) -> bool:
    """Change what an action says; moved under another aim it goes to the end of that aim's
    actions for its year. Returns whether anything changed."""
    row = session.get(DeliveryAction, action_id)
    if row is None or row.deleted:
        return False
    wanted: dict[str, Any] = {
        "what": what,
        "how": how,
        "outcome": outcome,
        "lead": lead,
        "due_date": due,
    }
    if row.aim_id != aim_id:
        wanted["aim_id"] = aim_id
        wanted["position"] = len(
            list(
                session.scalars(
                    select(DeliveryAction.id).where(
                        DeliveryAction.aim_id == aim_id,
                        DeliveryAction.academic_year == row.academic_year,
                    )
                )
            )
        )
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def delivery_action_exists(session: Session, action_id: str) -> bool:
    return (
        session.scalars(
            select(DeliveryAction.id).where(
                DeliveryAction.id == action_id, DeliveryAction.deleted.is_(False)
            )
        ).first()
        is not None
    )


def put_progress(
    session: Session, action_id: str, year: str, term: str, status: str, note: str
) -> None:
    row = session.scalars(
        select(DeliveryProgress).where(
            DeliveryProgress.action_id == action_id,
            DeliveryProgress.academic_year == year,
            DeliveryProgress.term == term,
            DeliveryProgress.deleted.is_(False),
        )
    ).first()
    if row is None:
        session.add(
            DeliveryProgress(
                action_id=action_id, academic_year=year, term=term, status=status, note=note
            )
        )
        return
    if row.status != status:
        row.status = status
    if row.note != note:
        row.note = note
