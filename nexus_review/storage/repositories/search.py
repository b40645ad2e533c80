"""Finding visits by the text in their notes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    Visit,
)


def search_visit_ids(session: Session, text: str) -> set[str]:
    """Visits with the text anywhere in their notes: the visit's own writing, its evidence,
    drop-ins, judgements and next steps (case-insensitive).

    Answered from the note search index where the database has one (see
    :mod:`nexus_review.storage.search`), else by reading the notes."""
    from nexus_review.storage import search

    text = text.strip()
    if not text:
        return set()
    if search.answerable(text) and search.has_index(session):
        return search.indexed_visit_ids(session, text)
    return scan_visit_ids(session, text)


def scan_visit_ids(session: Session, text: str) -> set[str]:
    """The search by reading every note (``LIKE``): for short searches and for databases
    without the index."""
    text = text.strip()
    if not text:
        return set()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"

    def like(col: Any) -> Any:
        return col.ilike(pattern, escape="\\")

    found: set[str] = set()
    found |= set(
        session.scalars(
            select(Visit.id).where(
                Visit.deleted.is_(False),
                or_(
                    like(Visit.summary),
                    like(Visit.strengths),
                    like(Visit.areas_for_development),
                    like(Visit.questions),
                ),
            )
        )
    )
    found |= set(
        session.scalars(
            select(Evidence.visit_id).where(
                Evidence.deleted.is_(False),
                or_(
                    like(Evidence.notes),
                    like(Evidence.strengths),
                    like(Evidence.areas_for_development),
                    like(Evidence.who_what),
                    like(Evidence.subject),
                    like(Evidence.class_name),
                    like(Evidence.staff),
                ),
            )
        )
    )
    found |= set(
        session.scalars(
            select(Evidence.visit_id)
            .join(DropIn, DropIn.evidence_id == Evidence.id)
            .where(DropIn.deleted.is_(False), like(DropIn.note))
        )
    )
    found |= set(
        session.scalars(
            select(Judgement.visit_id).where(
                Judgement.deleted.is_(False), like(Judgement.rationale)
            )
        )
    )
    found |= set(
        session.scalars(
            select(Action.visit_id).where(
                Action.deleted.is_(False), or_(like(Action.description), like(Action.owner))
            )
        )
    )
    return found
