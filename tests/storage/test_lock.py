"""The one-program lock: a second program is told where the database is open, and restore and retention wait for it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.errors import DatabaseError
from nexus_review.storage.backups import check_integrity, list_backups, make_backup, restore_backup
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.lock import DatabaseLock
from nexus_review.usecases.backups import apply_retention
from tests.storage.files import sqlite_dump

ROOT = Path(__file__).resolve().parents[2]

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def test_a_second_copy_of_the_program_is_told_where_the_database_is_open(tmp_path: Path) -> None:
    path = tmp_path / "nexus-review.db"
    first = DatabaseLock(path)
    first.acquire()
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from nexus_review.storage.lock import DatabaseLock\n"
        "from nexus_review.errors import DatabaseError\n"
        f"try:\n    DatabaseLock(Path({str(path)!r})).acquire()\nexcept DatabaseError as e:\n    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    ).stdout
    assert "is already open in Nexus Review on" in out and f"(process {os.getpid()})" in out
    first.release()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    ).stdout
    assert out == ""


# ---------------------------------------------------------------------------- restore and the check


HOLDER = r"""
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from nexus_review.storage.lock import DatabaseLock
lock = DatabaseLock(Path({path!r}))
lock.acquire()
print("holding", flush=True)
sys.stdin.readline()
lock.release()
"""


def _cli(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from nexus_review.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def desktop_program(demo_db: Database):  # type: ignore[no-untyped-def]
    """Another program (a copy of the desktop program) holding the database open."""
    assert demo_db.path is not None
    demo_db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(demo_db.path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    yield holder
    if holder.poll() is None:
        holder.communicate("\n", timeout=30)


def test_restore_and_retention_refuse_while_another_program_has_the_database_open(
    demo_db: Database, desktop_program: subprocess.Popen[str]
) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    before = sqlite_dump(path)
    backups_before = {b.path for b in list_backups(path)}
    for argv in (["restore", str(backup)], ["retention", "--older-than", "1"]):
        code, out, err = _cli("--db", str(path), *argv)
        assert code == 1, out + err
        assert (
            err.count("\n") == 1
            and f"(process {desktop_program.pid})" in err
            and "close it there" in err
        ), err
        assert sqlite_dump(path) == before
    with pytest.raises(DatabaseError, match=f"process {desktop_program.pid}"):
        restore_backup(path, backup)
    assert {b.path for b in list_backups(path)} == backups_before  # not even a safety copy was made
    desktop_program.communicate("\n", timeout=30)
    code, out, err = _cli("--db", str(path), "restore", str(backup))
    assert code == 0, err


def test_the_program_that_holds_the_database_may_restore_it_itself(demo_db: Database) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        demo_db.close()
        assert "before-restore" in restore_backup(path, backup).name
        again = open_database(path)
        try:
            assert apply_retention(again, 1, today=dt.date(2026, 12, 1)).backup is not None
        finally:
            again.close()
    finally:
        lock.release()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_held_locked_elsewhere_is_busy_not_damaged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal: str
) -> None:
    import sqlite3

    from nexus_review.errors import DatabaseUnavailableError
    from nexus_review.storage import backups

    monkeypatch.setattr(backups, "BUSY_WAIT_SECONDS", 0.2)
    assert db.path is not None
    path = db.path
    backup = make_backup(path, "manual")
    db.close()
    # Another connection holding an exclusive lock stands in for another program writing:
    # SQLite's locks apply between connections as between processes.
    conn = sqlite3.connect(path, timeout=0.2)
    conn.execute(f"PRAGMA journal_mode={journal}")
    before = sqlite_dump(path)
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("CREATE TABLE holding_it (x)")
    try:
        with pytest.raises(DatabaseUnavailableError, match="busy"):
            check_integrity(path)
        for argv in (["visits"], ["restore", str(backup)]):
            code, _out, err = _cli("--db", str(path), *argv)
            assert code == 1 and "busy" in err and "damaged" not in err and err.count("\n") == 1, (
                err
            )
        assert [b.reason for b in list_backups(path)] == [
            "manual"
        ]  # nothing restored, nothing copied
    finally:
        conn.rollback()
        conn.close()
    assert sqlite_dump(path) == before
