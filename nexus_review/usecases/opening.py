"""Opening the database to work on, the same way from the command line and the desktop
program: the lock (the desktop program), one integrity check, the daily backup, and the
schema migrated (after a backup of its own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nexus_review.errors import DatabaseError
from nexus_review.storage.backups import check_integrity, daily_backup, damaged_message
from nexus_review.storage.database import (
    Database,
    database_url,
    forget_device_id,
    open_database,
    sqlite_path,
)
from nexus_review.storage.lock import DatabaseLock

__all__ = ["Database", "OpenDatabase", "forget_device_id", "open_database", "open_for_work"]


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
) -> OpenDatabase:
    """Open a database to work on. With ``lock``, a second copy of the desktop program is told
    where it is already open. An existing file is checked for damage once (the check reads it
    all); a damaged one is never opened, unless ``restore_damaged`` (given the path and the
    sentence saying so) restores a backup over it. A sound one is backed up once a day."""
    path = sqlite_path(database_url(target))
    held = None
    if path is not None and lock:
        held = DatabaseLock(path)
        held.acquire()
    try:
        checked = False
        if path is not None and path.exists() and path.stat().st_size:
            if check_integrity(path) is not None:
                message = damaged_message(path)
                if restore_damaged is None or not restore_damaged(path, message):
                    raise DatabaseError(message)
            else:
                checked = True
            daily_backup(path)
        return OpenDatabase(open_database(target, create=create, checked=checked), held)
    except BaseException:
        if held is not None:
            held.release()
        raise
