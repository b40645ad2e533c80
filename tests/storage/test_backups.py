"""Backups of the laptop's database: consistent copies, the daily rotation, restoring, and a damaged database refused with its backup offered."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nexus_review.errors import DatabaseError
from nexus_review.storage.backups import (
    check_integrity,
    daily_backup,
    list_backups,
    make_backup,
    restore_backup,
    rotate,
)
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from tests.storage.files import sha, sqlite_dump, visit_count

ROOT = Path(__file__).resolve().parents[2]

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def test_a_backup_is_a_consistent_copy_of_a_live_database(demo_db: Database) -> None:
    assert demo_db.path is not None
    with demo_db.transaction() as s:  # a change still in the write-ahead log
        s.scalars(select(Visit)).first().summary = "Only in the WAL so far"  # type: ignore[union-attr]
    backup = make_backup(demo_db.path, "manual")
    assert backup.parent == demo_db.path.parent / "backups"
    assert check_integrity(backup) is None
    copy = open_database(backup)
    try:
        assert visit_count(copy) == 75
        with copy.reading() as s:
            assert (
                s.scalar(
                    select(func.count())
                    .select_from(Visit)
                    .where(Visit.summary == "Only in the WAL so far")
                )
                == 1
            )
    finally:
        copy.close()
    assert [b.reason for b in list_backups(demo_db.path)] == ["manual"]


def test_daily_backup_happens_once_a_day(demo_db: Database) -> None:
    assert demo_db.path is not None
    morning = dt.datetime(2026, 12, 1, 8, 0)
    assert daily_backup(demo_db.path, now=morning) is not None
    assert daily_backup(demo_db.path, now=morning + dt.timedelta(hours=5)) is None
    assert daily_backup(demo_db.path, now=morning + dt.timedelta(days=1)) is not None
    assert len(list_backups(demo_db.path)) == 2


def test_rotation_keeps_seven_days_four_weeks_twelve_months(tmp_path: Path) -> None:
    db_path = tmp_path / "nexus-review.db"
    db_path.write_bytes(b"")
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime(2026, 12, 1, 12, 0)
    for days in range(0, 400):  # one backup a day for more than a year, two on some days
        when = now - dt.timedelta(days=days)
        (folder / f"nexus-review-{when:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"x")
        if days % 10 == 0:
            (
                folder
                / f"nexus-review-{when - dt.timedelta(hours=2):%Y%m%d-%H%M%S}-before-import.db"
            ).write_bytes(b"x")
    rotate(db_path, now=now)
    kept = list_backups(db_path)
    days = {b.made.date() for b in kept}
    assert all(
        (now - dt.timedelta(days=d)).date() in days for d in range(7)
    )  # each of the last 7 days
    assert len(kept) <= 7 + 4 + 12 + 1  # and the other backup of today
    months = {(b.made.year, b.made.month) for b in kept}
    assert len(months) == 12
    assert max(b.made for b in kept) == now


def _summaries_written_after_the_backup(path: Path) -> int | None:
    """How many visits in the database at this path have the summary written after the backup."""
    after = select(func.count()).select_from(Visit).where(Visit.summary == "after the backup")
    db = open_database(path)
    try:
        with db.reading() as s:
            return s.scalar(after)
    finally:
        db.close()


def test_restore_backs_up_the_current_database_first(demo_db: Database) -> None:
    assert demo_db.path is not None
    backup = make_backup(demo_db.path, "manual")
    with demo_db.transaction() as s:
        for v in s.scalars(select(Visit)).all()[:5]:
            v.summary = "after the backup"
    demo_db.close()
    safety = restore_backup(demo_db.path, backup)
    assert "before-restore" in safety.name
    assert _summaries_written_after_the_backup(demo_db.path) == 0
    assert _summaries_written_after_the_backup(safety) == 5


def test_restore_refuses_a_file_that_is_not_a_backup(db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert db.path is not None
    with pytest.raises(DatabaseError, match="damaged"):
        restore_backup(db.path, junk)


@pytest.mark.parametrize("where", ["header", "middle"])
def test_a_damaged_database_is_refused_untouched_and_the_backup_offered(
    demo_db: Database, where: str
) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "daily")
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    demo_db.close()
    data = bytearray(path.read_bytes())
    rng = random.Random(where)
    if where == "header":
        data[0:100] = bytes(rng.randrange(256) for _ in range(100))
    else:
        page = 4096
        for n in range(3, min(8, len(data) // page)):
            start = n * page + 10
            data[start : start + 600] = bytes(rng.randrange(256) for _ in range(600))
    path.write_bytes(bytes(data))
    before = sha(path)
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    message = str(err.value)
    assert "damaged" in message and backup.name in message and "\n" not in message
    assert sha(path) == before  # never written to


def test_the_desktop_program_can_tell_its_database_was_replaced(demo_db: Database) -> None:
    from nexus_review.storage.backups import file_identity

    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    opened = file_identity(path)
    with demo_db.transaction() as s:  # its own edits do not count as a replacement
        s.scalars(select(Visit)).first().summary = "typed"  # type: ignore[union-attr]
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_identity(path) == opened
    restore_backup(path, backup)
    assert file_identity(path) != opened
    assert file_identity(path.with_name("nothing-here.db")) is None


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root ignores a read-only folder)."""
    import shutil

    if os.name == "nt":
        pytest.skip("folder permissions work differently on Windows")
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_sound_wal_database_in_a_read_only_folder_is_not_called_damaged(
    demo_db: Database, tmp_path: Path
) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual", out=tmp_path / "elsewhere.db")
    demo_db.close()
    assert not Path(str(path) + "-shm").exists() and not Path(str(path) + "-wal").exists()
    assert sqlite_dump(path).count("INSERT") > 100
    before = sqlite_dump(path)
    folder = path.parent
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from nexus_review.storage.backups import check_integrity\n"
        "from nexus_review.cli import main\n"
        f"print('CHECK', check_integrity(Path({str(path)!r})))\n"
        f"sys.exit(main(['--db', {str(path)!r}] + sys.argv[1:]))\n"
    )
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    folder.chmod(0o555)
    try:
        for argv in (["restore", str(backup)], ["visits"]):
            proc = subprocess.run(
                [*_unprivileged(), sys.executable, "-c", script, *argv],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
            assert "CHECK None" in proc.stdout, proc.stdout + proc.stderr
            assert proc.returncode == 1, proc.stdout + proc.stderr
            assert "damaged" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
            assert "read-only" in proc.stderr or "not allowed" in proc.stderr, proc.stderr
    finally:
        folder.chmod(0o755)
    assert sqlite_dump(path) == before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(path.name)) == [path.name]


def test_a_restore_over_a_damaged_database_first_keeps_a_copy_of_it(demo_db: Database) -> None:
    assert demo_db.path is not None
    path = demo_db.path
    backup = make_backup(path, "manual")
    demo_db.close()
    damaged = bytearray(path.read_bytes())
    damaged[0:16] = b"garbage-garbage!"
    path.write_bytes(bytes(damaged))
    kept = restore_backup(path, backup)
    assert kept != backup and kept.read_bytes() == bytes(damaged)
    assert check_integrity(path) is None


def test_a_restored_database_writes_its_next_changes_under_a_new_device_id(db: Database) -> None:
    """Its counters went back with the backup: under the old id, its next change could carry a
    version the network already holds for another change, and be dropped as old."""
    assert db.path is not None
    path, before = db.path, db.device_id
    backup = make_backup(path, "manual")
    db.close()
    restore_backup(path, backup)
    again = open_database(path)
    try:
        assert again.device_id != before
    finally:
        again.close()
