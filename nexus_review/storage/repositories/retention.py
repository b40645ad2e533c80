"""Retention: visits past the keeping period, removed for good."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    School,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.repositories.common import chunks


def visits_before(session: Session, cutoff: dt.date) -> list[tuple[str, dt.date, str]]:
    """(id, date, host school) of every visit before a date, tombstoned ones included."""
    rows = session.execute(
        select(Visit.id, Visit.visit_date, School.name)
        .join(School, School.id == Visit.host_school_id)
        .where(Visit.visit_date < cutoff)
        .order_by(Visit.visit_date)
    )
    return [(r[0], r[1], r[2]) for r in rows]


def purge_visits(session: Session, visit_ids: list[str]) -> int:
    """Remove visits and everything in them for good (retention, not everyday deleting),
    tombstones included; gives how many records went."""
    from sqlalchemy import delete

    from nexus_review.storage.models import IndependentGrade

    removed = 0
    for chunk in chunks(visit_ids):
        removed += _deleted(
            session.execute(delete(IndependentGrade).where(IndependentGrade.visit_id.in_(chunk)))
        )
        evidence_ids = list(
            session.scalars(select(Evidence.id).where(Evidence.visit_id.in_(chunk)))
        )
        for evidence_chunk in chunks(evidence_ids):
            removed += _deleted(
                session.execute(delete(DropIn).where(DropIn.evidence_id.in_(evidence_chunk)))
            )
        for model in (Evidence, Judgement, Action, VisitReviewer):
            removed += _deleted(session.execute(delete(model).where(model.visit_id.in_(chunk))))
        removed += _deleted(session.execute(delete(Visit).where(Visit.id.in_(chunk))))
    return removed


def _deleted(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------------------- the network
