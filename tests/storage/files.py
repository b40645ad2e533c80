"""What the storage tests read of a database to compare it before and after."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from nexus_review.storage.database import Database
from nexus_review.storage.models import Visit


def sha(path: Path) -> str:
    """The file's bytes, as a digest."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visit_count(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Visit)) or 0)


def sqlite_dump(path: Path) -> str:
    """Every row of a SQLite file, as SQL."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()
