"""The visit list's first screen, read with plain sqlite3 while the program starts: the same
rows the list shows once the database is open, and nothing at all (never an error, never a
write) from a file it should not read that way."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from nexus_review.storage.database import Database
from nexus_review.usecases import visit_list
from nexus_review.usecases.first_screen import first_screen

pytestmark = pytest.mark.sqlite_only


def _checkpointed(db: Database) -> Path:
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.path


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_first_screen_is_the_lists_own_newest_rows(demo_db: Database) -> None:
    # A deleted visit and a deleted team member must stay out, as in the list; a second lead
    # order and a visit without focus areas must read the same.
    with demo_db.engine.begin() as conn:
        newest = conn.exec_driver_sql(
            "SELECT id FROM visit WHERE deleted = 0 ORDER BY visit_date DESC, id DESC LIMIT 3"
        ).fetchall()
        conn.exec_driver_sql("UPDATE visit SET deleted = 1 WHERE id = ?", (newest[0][0],))
        conn.exec_driver_sql("UPDATE visit SET focus_areas = '[]' WHERE id = ?", (newest[1][0],))
        conn.exec_driver_sql(
            "UPDATE visit_reviewer SET deleted = 1 WHERE id = "
            "(SELECT id FROM visit_reviewer WHERE visit_id = ? ORDER BY position LIMIT 1)",
            (newest[2][0],),
        )
    path = _checkpointed(demo_db)
    for rows in (1, 10, 100):
        screen = first_screen(path, rows)
        assert screen is not None
        ids = visit_list.ordered_ids(demo_db, 0, True)
        assert screen.total == len(ids) == 74
        assert list(screen.visits) == visit_list.rows(demo_db, ids[:rows])
        assert newest[0][0] not in {v.id for v in screen.visits}


def test_reading_the_first_screen_writes_nothing(demo_db: Database) -> None:
    path = _checkpointed(demo_db)
    demo_db.close()
    before = _fingerprint(path)
    assert first_screen(path) is not None
    assert _fingerprint(path) == before


@pytest.mark.parametrize(
    "make",
    ["missing", "empty", "not a database", "older schema", "newer schema", "a folder", "server"],
)
def test_a_file_it_should_not_read_gives_no_first_screen(
    tmp_path: Path, demo_db: Database, make: str
) -> None:
    target: str | Path = tmp_path / "nexus.db"
    if make == "empty":
        target.write_bytes(b"")
    elif make == "not a database":
        target.write_bytes(b"These are a head's notes, not a database. " * 200)
    elif make in ("older schema", "newer schema"):
        target = _checkpointed(demo_db)
        demo_db.close()
        with sqlite3.connect(target) as conn:
            revision = "0004_independent_grades" if make == "older schema" else "0099_future"
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.close()
    elif make == "a folder":
        target.mkdir()
    elif make == "server":
        target = "postgresql://reviewer@localhost/network"
    assert first_screen(target) is None
    if make == "missing":
        assert not Path(target).exists()  # never created


def test_the_first_screen_reads_without_loading_sqlalchemy() -> None:
    """It is read while SQLAlchemy is still to be loaded: importing it must not load it."""
    import subprocess
    import sys

    code = (
        "import sys, nexus_review.usecases.first_screen; "
        "print([m for m in ('sqlalchemy', 'alembic') if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
