"""Every column of every synced row of a database: what the demo tests compare two states by."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from nexus_review.storage.database import Database
from nexus_review.storage.models import SYNCED_MODELS


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every column of every synced row, so two states of the database can be compared."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with db.reading() as session:
        for model in SYNCED_MODELS:
            columns = list(model.__table__.columns)
            result = session.execute(select(*columns).order_by(model.id))
            rows[model.__tablename__] = [tuple(r) for r in result]
    return rows
