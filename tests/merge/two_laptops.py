"""The package tests' network: the administrator's demo network database and two laptops that
took its visits (the ``network`` fixture in tests/merge/conftest.py), and what "the same data"
means."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nexus_review.storage.database import Database
from nexus_review.storage.models import SYNCED_MODELS, Visit
from nexus_review.storage.serialize import to_dict


def snapshot(db: Database) -> dict[str, list[dict[str, object]]]:
    """Every synced record, as serialised: what "the same data" means."""
    with db.reading() as s:
        return {
            m.__tablename__: sorted(
                (to_dict(o) for o in s.scalars(select(m))), key=lambda d: str(d["id"])
            )  # type: ignore[attr-defined]
            for m in SYNCED_MODELS
        }


def content(db: Database) -> dict[str, dict[str, dict[str, object]]]:
    """Records without bookkeeping that may differ by arrival order (nothing should)."""
    return {t: {str(r["id"]): r for r in rows} for t, rows in snapshot(db).items()}


def _visits(db: Database) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(Visit.id).order_by(Visit.visit_date, Visit.id)))


def _edit_summary(db: Database, visit_id: str, text: str) -> None:
    with db.transaction() as s:
        s.get(Visit, visit_id).summary = text


def _copy_db(src: Database, dest: Path) -> Database:
    from tests.pg import copy_database

    return copy_database(src, dest)
