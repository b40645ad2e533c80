"""Opening the database to work on, the same way from the command line and the desktop
program: the lock (the desktop program), one integrity check, the daily backup, and the
schema migrated (after a backup of its own).

The desktop program opens with the light check (the header, the log and the schema, at any
size in a few milliseconds) so that its window is filled at once, then runs the full check
and the day's backup in the background (:func:`finish_opening`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nexus_review.errors import DatabaseError
from nexus_review.storage.backups import (
    check_integrity,
    daily_backup,
    damaged_message,
    light_check,
    newest_good_backup,
)
from nexus_review.storage.connection import database_url, sqlite_path
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.devices import forget_device_id
from nexus_review.storage.lock import DatabaseLock

__all__ = [
    "Database",
    "DatabaseDamagedError",
    "OpenDatabase",
    "finish_opening",
    "forget_device_id",
    "open_database",
    "open_for_work",
]


class DatabaseDamagedError(DatabaseError):
    """The database is damaged and was not opened (or, found later, is written to no more)."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class OpenDatabase:
    """A database opened for work, with the lock the desktop program holds on it."""

    db: Database
    lock: DatabaseLock | None

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()


def open_for_work(
    target: str | Path,
    *,
    create: bool = True,
    lock: bool = False,
    restore_damaged: Callable[[Path, str], bool] | None = None,
    full_check: bool = True,
) -> OpenDatabase:
    """Open a database to work on. With ``lock``, a second copy of the desktop program is told
    where it is already open. An existing file is checked for damage once (the check reads it
    all); a damaged one is never opened, unless ``restore_damaged`` (given the path and the
    sentence saying so) restores a backup over it. A sound one is backed up once a day.

    Without ``full_check``, only the light check runs (it finds a file that is not a database,
    cut short, or with a damaged header, log or schema); the caller then runs
    :func:`finish_opening` for the full check and the day's backup."""
    path = sqlite_path(database_url(target))
    held = None
    if path is not None and lock:
        held = DatabaseLock(path)
        held.acquire()
    try:
        checked = False
        if path is not None and path.exists() and path.stat().st_size:
            if (check_integrity if full_check else light_check)(path) is not None:
                message = damaged_message(path)
                if restore_damaged is None or not restore_damaged(path, message):
                    raise DatabaseDamagedError(message, path)
            else:
                checked = True
            if full_check:
                daily_backup(path)
        return OpenDatabase(open_database(target, create=create, checked=checked), held)
    except BaseException:
        if held is not None:
            held.release()
        raise


def finish_opening(db: Database) -> str | None:
    """After an open with the light check: the full check and, if the file is sound, the day's
    backup. None when sound (or not a file), else the sentence that it is damaged."""
    path = db.path
    if path is None or not path.exists():
        return None
    if check_integrity(path) is not None:
        good = newest_good_backup(path)
        if good is None:
            return (
                f"The database {path} is damaged and there is no backup of it; the program has stopped "
                "writing to it: ask your network administrator for help."
            )
        return (
            f"The database {path} is damaged; the program has stopped writing to it. Restore the newest "
            f'good backup, from {good.made:%d %B %Y %H:%M} (nexus-review restore "{good.path}").'
        )
    daily_backup(path)
    return None
