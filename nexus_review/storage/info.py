"""The database's own notes about itself (its name, ids, settings): one value per key."""

from __future__ import annotations

from sqlalchemy.orm import Session

from nexus_review.storage.models import DatabaseInfo


def read_info(session: Session, key: str) -> str | None:
    row = session.get(DatabaseInfo, key)
    return row.value if row else None


def get_info(session: Session, key: str, default: str = "") -> str:
    value = read_info(session, key)
    return default if value is None else value


def set_info(session: Session, key: str, value: str) -> None:
    row = session.get(DatabaseInfo, key)
    if row is None:
        session.add(DatabaseInfo(key=key, value=value))
    else:
        row.value = value
