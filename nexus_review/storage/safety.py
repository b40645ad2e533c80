"""Keeping the data safe: backups, restoring them, retention, and one program per database.

Backups are consistent copies made with SQLite's online backup API (never a file copy of a
live database), kept in ``backups/`` beside the database, named with their date and why they
were made, and rotated: the newest of each of the last 7 days, of the last 4 weeks and of the
last 12 months are kept. One is made when the program opens a database (at most once a
day), before every migration and before every package import.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nexus_review.errors import DatabaseError, NexusError

BACKUP_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)\.db$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_RECENT = 20  # every backup of the last day too (before an import, a restore), up to this many


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made: dt.datetime
    reason: str


def list_backups(db_path: Path) -> list[BackupFile]:
    """This database's backups, newest first."""
    folder = backups_dir(db_path)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = BACKUP_NAME.match(path.name)
            if match and match.group("stem") == db_path.stem:
                made = dt.datetime.strptime(match.group("stamp"), "%Y%m%d-%H%M%S")
                found.append(BackupFile(path, made, match.group("reason")))
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


def _copy(source: Path | sqlite3.Connection, target: Path) -> None:
    """A consistent copy of a database into a new file (SQLite's online backup)."""
    src = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dest.close()
    finally:
        if src is not source:
            src.close()


def _copy_into(source: Path, target: Path, *, replacing_live: bool = False) -> None:
    """A consistent copy of a database written beside the target, then renamed over it: a
    failure leaves the target as it was. When the target is a live database (a restore), its
    write-ahead log goes only once the new copy is complete, just before the rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _copy(source, tmp)
        if replacing_live:
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _explain_os(exc: OSError, what: str) -> DatabaseError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DatabaseError(f"There is not enough disk space to {what}; free some space and try again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseError(f"The program is not allowed to {what} there; check the folder's permissions.")
    return DatabaseError(f"The program could not {what} ({exc.strerror or exc}).")


def make_backup(db_path: Path, reason: str = "manual", out: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Back up a database file; gives the backup's path. Rotates the backups folder."""
    if not db_path.exists():
        raise DatabaseError(f"There is no database at {db_path} to back up.")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = out if out is not None else backups_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"
    try:
        _copy_into(db_path, target)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"The database {db_path} could not be backed up ({exc}).") from exc
    except OSError as exc:
        raise _explain_os(exc, f"write a backup of {db_path.name}") from exc
    if out is None:
        rotate(db_path)
    return target


def rotate(db_path: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups no longer needed; gives the ones deleted. Kept: every backup of the last
    day (up to twenty), and the newest of each of the last 7 days, 4 weeks and 12 months."""
    backups = list_backups(db_path)
    now = now or dt.datetime.now()
    keep: set[Path] = {b.path for b in backups if now - b.made < dt.timedelta(days=1)}
    keep = set(sorted(keep, key=lambda p: next(b.made for b in backups if b.path == p), reverse=True)[:KEEP_RECENT])
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    for b in backups:  # newest first: the first of each period is the one kept
        day = b.made.date()
        week = tuple(day.isocalendar()[:2])
        month = (day.year, day.month)
        if (now.date() - day).days < KEEP_DAILY and day not in days:
            days.add(day)
            keep.add(b.path)
        if len(weeks) < KEEP_WEEKLY and week not in weeks:
            weeks.add(week)  # type: ignore[arg-type]
            keep.add(b.path)
        if len(months) < KEEP_MONTHLY and month not in months:
            months.add(month)
            keep.add(b.path)
    if backups:
        keep.add(backups[0].path)  # never without the newest
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def daily_backup(db_path: Path, now: dt.datetime | None = None) -> Path | None:
    """A backup when a database is opened, unless one was made today already."""
    now = now or dt.datetime.now()
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if any(b.made.date() == now.date() for b in list_backups(db_path)):
        return None
    return make_backup(db_path, "daily", now=now)


def check_integrity(db_path: Path) -> str | None:
    """None if SQLite's quick check finds the file sound, else what it found. Read-only."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None  # cannot be opened read-only here; opening it normally will say why
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def newest_good_backup(db_path: Path) -> BackupFile | None:
    for b in list_backups(db_path):
        if check_integrity(b.path) is None:
            return b
    return None


def damaged_message(db_path: Path) -> str:
    good = newest_good_backup(db_path)
    if good is None:
        return f"The database {db_path} is damaged and there is no backup of it; ask your network administrator for help."
    return (
        f"The database {db_path} is damaged; nothing has been written to it. Restore the newest good backup, "
        f"from {good.made:%d %B %Y %H:%M} (nexus-review restore \"{good.path}\")."
    )


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Replace a database with a backup, after backing up the database as it is now (if it can
    be read). Gives the path of that safety copy, or the backup restored when there was none."""
    if not backup.is_file():
        raise NexusError(f"There is no backup file {backup}.")
    problem = check_integrity(backup)
    if problem is not None:
        raise DatabaseError(f"The backup {backup.name} is itself damaged ({problem}); choose another one.")
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    if "alembic_version" not in names or "visit" not in names:
        raise DatabaseError(f"{backup.name} is not a Nexus Review backup; choose another file.")
    safety = None
    if db_path.exists() and check_integrity(db_path) is None:
        safety = make_backup(db_path, "before-restore")
    try:
        _copy_into(backup, db_path, replacing_live=True)
    except OSError as exc:
        raise _explain_os(exc, f"restore {db_path.name}") from exc
    return safety or backup


# ---------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.date
    visits: list[tuple[str, dt.date, str]]
    records: int
    backup: Path | None
    dry_run: bool


# Longer than any school keeps review notes; also keeps the cut-off date a real date.
MAX_RETENTION_YEARS = 100


def apply_retention(db: Any, years: int, *, dry_run: bool = False, today: dt.date | None = None) -> RetentionResult:
    """Delete visits older than a number of years with all their evidence, tombstones
    included (data protection for notes that name staff), after a backup."""
    from nexus_review.storage import repository as repo

    if years < 1:
        raise NexusError("Keep visits for at least one year.")
    if years > MAX_RETENTION_YEARS:
        raise NexusError(f"Keep visits for at most {MAX_RETENTION_YEARS} years.")
    today = today or dt.date.today()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    with db.reading() as session:
        old = repo.visits_before(session, cutoff)
    if dry_run or not old:
        return RetentionResult(cutoff, old, 0, None, dry_run)
    backup = make_backup(db.path, "before-retention") if db.path is not None else None
    with db.transaction() as session:
        records = repo.purge_visits(session, [v[0] for v in old])
    return RetentionResult(cutoff, old, records, backup, False)


# ---------------------------------------------------------------------------- one writer


class DatabaseLock:
    """An exclusive lock on a database for one copy of the desktop program. The lock file
    says who holds it (computer and process), so a second copy can say where it is open."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fh: Any = None

    def acquire(self) -> None:
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open while locked
        except OSError as exc:
            raise _explain_os(exc, f"open {self.path.name}") from exc
        if not _try_lock(fh):
            fh.seek(0)
            holder = fh.read().strip() or "another copy of Nexus Review"
            fh.close()
            raise DatabaseError(
                f"The database {self.path.with_suffix('')} is already open in {holder}; close it there first."
            )
        fh.seek(0)
        fh.truncate()
        fh.write(f"Nexus Review on {socket.gethostname()} (process {os.getpid()})")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            try:
                self._fh.seek(0)
                self._fh.truncate()
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None


def _try_lock(fh: Any) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh: Any) -> None:
    if os.name == "nt":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def install_hooks() -> None:
    """Back up before every migration and before every package import."""
    from nexus_review import merge
    from nexus_review.storage import database

    def before_migration(_engine: Any, url: str) -> None:
        path = database.sqlite_path(url)
        if path is not None and path.exists():
            make_backup(path, "before-migration")

    def before_import(db: Any) -> None:
        if db.path is not None:
            make_backup(db.path, "before-import")

    if not any(getattr(h, "_nexus", False) for h in database.before_migration_hooks):
        before_migration._nexus = True  # type: ignore[attr-defined]
        database.before_migration_hooks.append(before_migration)
    if not any(getattr(h, "_nexus", False) for h in merge.before_import_hooks):
        before_import._nexus = True  # type: ignore[attr-defined]
        merge.before_import_hooks.append(before_import)
