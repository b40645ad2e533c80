"""The light check the desktop program runs on every start: cheap at any size, and it finds a
file that is not a database, is cut short, or has a damaged header, log or schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nexus_review.storage.backups import check_integrity, light_check
from nexus_review.storage.database import Database

pytestmark = pytest.mark.sqlite_only


def _closed(db: Database) -> Path:
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db.path


def test_a_sound_database_passes(demo_db: Database) -> None:
    path = _closed(demo_db)
    assert light_check(path) is None
    assert check_integrity(path) is None


def test_a_sound_database_with_changes_in_its_log_passes(demo_db: Database) -> None:
    assert demo_db.path is not None
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        conn.exec_driver_sql("CREATE TABLE scratch (x)")
        conn.exec_driver_sql("INSERT INTO scratch VALUES (1)")
        conn.commit()
        assert Path(str(demo_db.path) + "-wal").stat().st_size > 0
        assert light_check(demo_db.path) is None


def test_a_file_that_is_not_a_database_is_found(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database at all" * 100)
    assert light_check(path) is not None


def test_a_damaged_header_is_found(demo_db: Database) -> None:
    path = _closed(demo_db)
    data = bytearray(path.read_bytes())
    data[16:18] = (1000).to_bytes(2, "big")  # not a power of two
    path.write_bytes(bytes(data))
    assert "page size" in (light_check(path) or "")


def test_a_file_cut_short_is_found(demo_db: Database) -> None:
    path = _closed(demo_db)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "cut short" in (light_check(path) or "")


def test_a_damaged_log_is_found(demo_db: Database) -> None:
    path = _closed(demo_db)
    Path(str(path) + "-wal").write_bytes(b"\x00" * 4096)
    assert "log" in (light_check(path) or "")


def test_a_damaged_schema_is_found(demo_db: Database) -> None:
    path = _closed(demo_db)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    with conn:
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE school (' WHERE name = 'school'")
    conn.close()
    assert light_check(path) is not None
