"""Keeping the data safe: backups, restoring them, retention, and one program per database.

Backups are consistent copies made with SQLite's online backup API (never a file copy of a
live database), kept in ``backups/`` beside the database, named with their date and why they
were made, and rotated: the newest of each of the last 7 days, of the last 4 weeks and of the
last 12 months are kept. One is made when the program opens a database (at most once a
day), before every migration and before every package import.

Restoring and retention change the whole database at once, so they refuse while another
program (a copy of the desktop program, which holds :class:`DatabaseLock`) has it open, and a
restore always keeps a copy of what it replaces: a consistent backup of a sound database, the
bytes as they are of a damaged one. The integrity check tells "damaged" from "cannot be read
just now" (busy in another program, or a read-only folder), and only the first is damage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nexus_review.errors import DatabaseError, DatabaseUnavailableError, NexusError

BACKUP_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)\.db$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_RECENT = 20  # every backup of the last day too (before an import, a restore), up to this many
BUSY_WAIT_SECONDS = 2.0  # how long a check waits for another program to finish writing
# SQLite's primary result codes that mean "cannot be read now", not "damaged": PERM, BUSY,
# LOCKED, NOMEM, READONLY, IOERR, CANTOPEN, AUTH.
_UNAVAILABLE = {3, 5, 6, 7, 8, 10, 14, 23}
_BUSY = {5, 6}


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI for a file (any characters in its name are escaped)."""
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


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
    src = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(_ro_uri(source), uri=True, timeout=BUSY_WAIT_SECONDS)
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
    """A backup when a database is opened, unless one was made today already (or it lies in
    a folder the program may not write to: then it cannot be changed here either)."""
    now = now or dt.datetime.now()
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if not os.access(db_path.parent, os.W_OK):
        return None
    if any(b.made.date() == now.date() for b in list_backups(db_path)):
        return None
    return make_backup(db_path, "daily", now=now)


def _quick_check(uri: str) -> str | None:
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT_SECONDS)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _has_pending_log(db_path: Path) -> bool:
    wal = Path(str(db_path) + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def check_integrity(db_path: Path) -> str | None:
    """None if SQLite's quick check finds the file sound, else what it found (it is damaged).
    Read-only. Raises :class:`DatabaseUnavailableError` when the file cannot be read just now:
    busy in another program, or unreadable here (a WAL database in a read-only folder is read
    as it is on disk when it has no changes waiting in its log)."""
    try:
        return _quick_check(_ro_uri(db_path))
    except sqlite3.Error as exc:
        problem = exc
    if _code(problem) in (8, 14) and not _has_pending_log(db_path):
        # A WAL database needs its -shm file, which a read-only folder cannot hold; with no
        # log waiting, the file alone is the whole database and can be checked as it is.
        try:
            return _quick_check(_ro_uri(db_path, immutable=True))
        except sqlite3.Error as exc:
            problem = exc
    if _code(problem) not in _UNAVAILABLE:
        return str(problem)
    raise DatabaseUnavailableError(unavailable_message(db_path, problem))


def unavailable_message(db_path: Path, problem: sqlite3.Error) -> str:
    if _code(problem) in _BUSY:
        return f"The database {db_path} is busy in another program just now, so it cannot be checked; close it there (or wait a moment) and try again."
    if not os.access(db_path.parent, os.W_OK):
        return (
            f"The database {db_path} cannot be read here just now: its folder is read-only and it has changes "
            "still in its log; open it where its folder can be written to."
        )
    return f"The database {db_path} cannot be read just now ({problem}); check the file's permissions and try again."


def newest_good_backup(db_path: Path) -> BackupFile | None:
    for b in list_backups(db_path):
        try:
            if check_integrity(b.path) is None:
                return b
        except DatabaseUnavailableError:
            continue  # cannot be read now: not one to offer
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
    """Replace a database with a backup, after keeping a copy of the database as it is now: a
    consistent backup when it is sound, its bytes as they are when it is damaged. Refused while
    another program has the database open, or when it cannot be read just now (nothing is
    replaced that could not first be copied). Gives the path of that copy, or the backup
    restored when there was no database."""
    if not backup.is_file():
        raise NexusError(f"There is no backup file {backup}.")
    problem = check_integrity(backup)
    if problem is not None:
        raise DatabaseError(f"The backup {backup.name} is itself damaged ({problem}); choose another one.")
    conn = sqlite3.connect(_ro_uri(backup), uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    if "alembic_version" not in names or "visit" not in names:
        raise DatabaseError(f"{backup.name} is not a Nexus Review backup; choose another file.")
    with exclusive_use(db_path, "restore a backup over it"):
        safety = None
        if db_path.exists() and db_path.stat().st_size > 0:
            if check_integrity(db_path) is None:
                safety = make_backup(db_path, "before-restore")
            else:
                safety = _keep_damaged(db_path)
        try:
            _copy_into(backup, db_path, replacing_live=True)
        except OSError as exc:
            raise _explain_os(exc, f"restore {db_path.name}") from exc
    # The restored file's version counters are behind what this laptop may already have sent:
    # its next changes go under a new device id, so none is mistaken for one sent before.
    from nexus_review.storage.database import forget_device_id

    forget_device_id(db_path)
    return safety or backup


def _keep_damaged(db_path: Path) -> Path:
    """A damaged database cannot be backed up through SQLite: keep its bytes as they are (and
    its write-ahead log beside them), so that nothing in it is lost to a restore."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir(db_path) / f"{db_path.stem}-{stamp}-damaged.db"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", ""):
            source = Path(str(db_path) + suffix)
            if source.exists():
                fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
                os.close(fd)
                try:
                    shutil.copyfile(source, tmp_name)
                    os.replace(tmp_name, str(target) + suffix)
                finally:
                    Path(tmp_name).unlink(missing_ok=True)
    except OSError as exc:
        raise _explain_os(exc, f"keep a copy of the damaged {db_path.name} before restoring") from exc
    return target


@dataclass(frozen=True)
class FileIdentity:
    """Which file a path names: a restore (or any program) that replaces the database gives
    the path a new file, while the program's own writes keep it. The desktop program keeps
    the identity of the file it opened and compares it to notice a database replaced under it."""

    device: int
    inode: int


def file_identity(path: Path) -> FileIdentity | None:
    """The identity of the file at a path now, or None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return FileIdentity(info.st_dev, info.st_ino)


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
    with exclusive_use(db.path, "delete old visits from it") if db.path is not None else contextlib.nullcontext():
        backup = make_backup(db.path, "before-retention") if db.path is not None else None
        with db.transaction() as session:
            records = repo.purge_visits(session, [v[0] for v in old])
    return RetentionResult(cutoff, old, records, backup, False)


# ---------------------------------------------------------------------------- one writer


def _this_program() -> str:
    return f"Nexus Review on {socket.gethostname()} (process {os.getpid()})"


class DatabaseLock:
    """An exclusive lock on a database for one copy of the desktop program. The lock file
    says who holds it (computer and process), so a second copy can say where it is open."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fh: Any = None

    def acquire(self) -> None:
        holder = self.try_acquire()
        if holder is not None:
            raise DatabaseError(
                f"The database {self.path.with_suffix('')} is already open in {holder}; close it there first."
            )

    def try_acquire(self) -> str | None:
        """Take the lock; or, when another program holds it, say who (and take nothing)."""
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open while locked
        except OSError as exc:
            raise _explain_os(exc, f"open {self.path.name}") from exc
        if not _try_lock(fh):
            fh.seek(0)
            holder = fh.read().strip() or "another copy of Nexus Review"
            fh.close()
            return holder
        fh.seek(0)
        fh.truncate()
        fh.write(_this_program())
        fh.flush()
        self._fh = fh
        return None

    def release(self) -> None:
        if self._fh is not None:
            try:
                self._fh.seek(0)
                self._fh.truncate()
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None


@contextlib.contextmanager
def exclusive_use(db_path: Path, action: str) -> Iterator[None]:
    """Hold the database's lock while changing the whole of it (a restore, retention), so that
    no copy of the desktop program opens it meanwhile; refused in one sentence naming the
    program that has it open. This program may go ahead when it holds the lock itself (the
    desktop program restoring its own database)."""
    lock = DatabaseLock(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)  # a restore may make a new database
        holder = lock.try_acquire()
    except OSError as exc:
        raise _explain_os(exc, f"{action.split(' ', 1)[0]} {db_path.name}") from exc
    except DatabaseError as exc:
        if os.access(db_path.parent, os.W_OK):
            raise
        raise DatabaseError(
            f"The database {db_path} is in a read-only folder, so the program cannot {action}; check the folder's permissions."
        ) from exc
    if holder is not None and holder != _this_program():
        raise DatabaseError(f"The database {db_path} is open in {holder}; close it there first, then try again.")
    try:
        yield
    finally:
        lock.release()


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
