"""Backups: consistent copies made with SQLite's online backup API (never a file copy of a
live database), kept in ``backups/`` beside the database, named with their date and why they
were made, and rotated: the newest of each of the last 7 days, of the last 4 weeks and of the
last 12 months are kept. One is made when the program opens a database (at most once a day),
before every migration and before every package import.

A restore changes the whole database at once, so it refuses while another program has it
open (:mod:`nexus_review.storage.lock`), and always keeps a copy of what it replaces: a
consistent backup of a sound database, the bytes as they are of a damaged one. The integrity
check tells "damaged" from "cannot be read just now" (busy in another program, or a read-only
folder), and only the first is damage.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nexus_review.errors import DatabaseError, DatabaseUnavailableError, NexusError
from nexus_review.storage.lock import _explain_os, exclusive_use

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
    src = (
        source
        if isinstance(source, sqlite3.Connection)
        else sqlite3.connect(_ro_uri(source), uri=True, timeout=BUSY_WAIT_SECONDS)
    )
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


def make_backup(
    db_path: Path, reason: str = "manual", out: Path | None = None, now: dt.datetime | None = None
) -> Path:
    """Back up a database file; gives the backup's path. Rotates the backups folder."""
    if not db_path.exists():
        raise DatabaseError(f"There is no database at {db_path} to back up.")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = (
        out if out is not None else backups_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"
    )
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
    keep = set(
        sorted(keep, key=lambda p: next(b.made for b in backups if b.path == p), reverse=True)[
            :KEEP_RECENT
        ]
    )
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


_HEADER = b"SQLite format 3\x00"
_WAL_MAGIC = (0x377F0682, 0x377F0683)


def light_check(db_path: Path) -> str | None:
    """A check cheap enough for every start, whatever the file's size: the header, the page
    count against the file's length, the write-ahead log's header, and the schema read through
    SQLite. None if nothing is wrong there, else what was found (the file is damaged). The full
    check (:func:`check_integrity`) reads every page; the desktop program runs it after its
    window is filled. Raises :class:`DatabaseUnavailableError` like the full check."""
    try:
        with db_path.open("rb") as fh:
            header = fh.read(100)
        size = db_path.stat().st_size
        wal = Path(str(db_path) + "-wal")
        log = b""
        if wal.exists() and wal.stat().st_size > 0:
            with wal.open("rb") as fh:
                log = fh.read(32)
    except OSError as exc:
        raise DatabaseUnavailableError(
            f"The database {db_path} cannot be read just now ({exc.strerror or exc}); check the file's permissions and try again."
        ) from exc
    if len(header) < 100 or header[:16] != _HEADER:
        return "the file does not begin as an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"the header gives an impossible page size ({page_size})"
    pages = int.from_bytes(header[28:32], "big")
    counter_matches = header[24:28] == header[92:96]
    if counter_matches and pages and not log and pages * page_size > size:
        return f"the file is cut short: {size} bytes where its header counts {pages} pages of {page_size}"
    if log:
        magic = int.from_bytes(log[0:4], "big")
        if (
            len(log) < 32
            or magic not in _WAL_MAGIC
            or int.from_bytes(log[8:12], "big") != page_size
        ):
            return "the database's log file does not begin as SQLite's write-ahead log"
    try:
        return _schema_check(_ro_uri(db_path))
    except sqlite3.Error as exc:
        problem = exc
    if _code(problem) in (8, 14) and not log:
        try:
            return _schema_check(_ro_uri(db_path, immutable=True))
        except sqlite3.Error as exc:
            problem = exc
    if _code(problem) not in _UNAVAILABLE:
        return str(problem)
    raise DatabaseUnavailableError(unavailable_message(db_path, problem))


def _schema_check(uri: str) -> str | None:
    """The schema parsed and the first page of every table and index read."""
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT_SECONDS)
    try:
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        for (name,) in names:
            conn.execute(
                f'SELECT 1 FROM "{str(name).replace(chr(34), chr(34) * 2)}" LIMIT 1'
            ).fetchall()
    finally:
        conn.close()
    return None


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
        f'from {good.made:%d %B %Y %H:%M} (nexus-review restore "{good.path}").'
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
        raise DatabaseError(
            f"The backup {backup.name} is itself damaged ({problem}); choose another one."
        )
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
    from nexus_review.storage.devices import (
        forget_device_id,  # it needs SQLAlchemy; a backup does not
    )

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
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".part", dir=target.parent
                )
                os.close(fd)
                try:
                    shutil.copyfile(source, tmp_name)
                    os.replace(tmp_name, str(target) + suffix)
                finally:
                    Path(tmp_name).unlink(missing_ok=True)
    except OSError as exc:
        raise _explain_os(
            exc, f"keep a copy of the damaged {db_path.name} before restoring"
        ) from exc
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
