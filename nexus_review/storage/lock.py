"""One program per database: the desktop program holds an exclusive lock on the database
it has open, and whatever changes the whole database at once (a restore, retention) takes it
too, so that each refuses, naming the program that has the database open."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nexus_review.errors import DatabaseError


def _explain_os(exc: OSError, what: str) -> DatabaseError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DatabaseError(
            f"There is not enough disk space to {what}; free some space and try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseError(
            f"The program is not allowed to {what} there; check the folder's permissions."
        )
    return DatabaseError(f"The program could not {what} ({exc.strerror or exc}).")


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
        raise DatabaseError(
            f"The database {db_path} is open in {holder}; close it there first, then try again."
        )
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
