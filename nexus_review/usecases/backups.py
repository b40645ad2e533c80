"""Keeping the data safe: a backup when the user asks, restoring one, and deleting visits
older than the network keeps them (after a backup).

On a network server the program's backups do not apply (the server is backed up with
PostgreSQL's own tools, see docs/server.md); retention runs there all the same, as the network
administrator, in one transaction that takes its turn with imports and syncs."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.domain.wording import counted
from nexus_review.errors import DatabaseError, NexusError
from nexus_review.storage import own_grades as calibration_store
from nexus_review.storage import repository as repo
from nexus_review.storage.backups import (
    BackupFile,
    FileIdentity,
    backups_dir,
    file_identity,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
)
from nexus_review.storage.connection import is_retryable, shown_location, translate_error
from nexus_review.storage.database import Database
from nexus_review.storage.lock import exclusive_use
from nexus_review.storage.sync_store import (
    ServerError,
    is_server,
    limit_lock_wait,
    network_write_lock,
)

__all__ = [
    "MAX_RETENTION_YEARS",
    "BackupFile",
    "FileIdentity",
    "RetentionResult",
    "apply_retention",
    "backup_now",
    "backups_dir",
    "file_identity",
    "list_backups",
    "make_backup",
    "newest_good_backup",
    "not_on_a_server",
    "restore_backup",
]


def not_on_a_server(db: Database, doing: str) -> NexusError:
    """What the program's backups and restores say on a network server, where they do not
    apply: ``doing`` is "backed up" or "restored"."""
    tools = (
        "pg_restore, or the provider's point-in-time restore"
        if doing == "restored"
        else "a nightly pg_dump, or the provider's backups"
    )
    return NexusError(
        f"The database open here is the network server {shown_location(db.url)}: it is {doing} with the "
        f"server's own tools ({tools}; see the server guide), not from this program."
    )


def backup_now(db: Database) -> Path:
    """A backup the user asked for, of the database as it is saved now."""
    if db.path is None:
        raise not_on_a_server(db, "backed up")
    return make_backup(db.path, "manual")


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.date
    visits: list[tuple[str, dt.date, str]]
    records: int
    backup: Path | None  # the backup made first; None on a network server (its own backups)
    dry_run: bool
    # (id, academic year, title) of the calibration exercises of years wholly before the cut
    exercises: list[tuple[str, str, str]] = field(default_factory=list)
    server: str = ""  # the network server it ran on, as shown; "" for a database file

    @property
    def anything(self) -> bool:
        return bool(self.visits or self.exercises)

    def what(self) -> str:
        """What goes, in words: "12 visits and 1 calibration exercise"."""
        parts = [counted(len(self.visits), "visit")] if self.visits else []
        if self.exercises:
            parts.append(counted(len(self.exercises), "calibration exercise"))
        return " and ".join(parts) or "nothing"


def _years_before(years: list[str], cutoff: dt.date) -> list[str]:
    """The academic years that ended before the cut (a year the cut falls in is kept whole)."""
    out = []
    for year in years:
        try:
            _start, end = academic_year_bounds(year)
        except ValueError:  # not a year a person wrote: nothing of it is deleted
            continue
        if end < cutoff:
            out.append(year)
    return out


# Longer than any school keeps review notes; also keeps the cut-off date a real date.
MAX_RETENTION_YEARS = 100


def apply_retention(
    db: Database, years: int, *, dry_run: bool = False, today: dt.date | None = None
) -> RetentionResult:
    """Delete visits older than a number of years with all their evidence, and the calibration
    exercises of academic years wholly before then with every head's answers, tombstones
    included (data protection for notes that name staff and heads), after a backup."""
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
        old_years = _years_before(calibration_store.exercise_years(session), cutoff)
        exercises = calibration_store.exercises_of_years(session, old_years)
    if dry_run or not (old or exercises):
        return RetentionResult(cutoff, old, 0, None, dry_run, exercises, _server_name(db))
    if is_server(db):
        return _retention_on_server(db, cutoff)
    with (
        exclusive_use(db.path, "delete old visits from it")
        if db.path is not None
        else contextlib.nullcontext()
    ):
        backup = make_backup(db.path, "before-retention") if db.path is not None else None
        with db.transaction() as session:
            records = repo.purge_visits(session, [v[0] for v in old])
            records += calibration_store.purge_exercises(session, [e[0] for e in exercises])
    return RetentionResult(cutoff, old, records, backup, False, exercises)


SERVER_ATTEMPTS = 8  # a purge that collided with a laptop's sync or an import is run again
SERVER_LOCK_TIMEOUT_S = 30  # records held by a sync cut off on a laptop: waited for this long


def _server_name(db: Database) -> str:
    return shown_location(db.url) if is_server(db) else ""


def _retention_on_server(db: Database, cutoff: dt.date) -> RetentionResult:
    """The purge on a network server: one serialisable transaction, in turn with imports and
    syncs (the visits are read again inside it), refused in one sentence for a login that may
    not delete visits."""
    where = shown_location(db.url)
    for attempt in range(SERVER_ATTEMPTS):
        try:
            with network_write_lock(db), db.transaction() as session:
                limit_lock_wait(session, SERVER_LOCK_TIMEOUT_S)
                old = repo.visits_before(session, cutoff)
                old_years = _years_before(calibration_store.exercise_years(session), cutoff)
                exercises = calibration_store.exercises_of_years(session, old_years)
                records = repo.purge_visits(session, [v[0] for v in old])
                records += calibration_store.purge_exercises(session, [e[0] for e in exercises])
            return RetentionResult(cutoff, old, records, None, False, exercises, where)
        except ServerError as exc:
            if is_retryable(exc) and attempt < SERVER_ATTEMPTS - 1:
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            state = str(getattr(exc.orig, "sqlstate", "") or "")
            if state == "42501":  # insufficient privilege: a reviewer's or a reader's login
                raise DatabaseError(
                    f"Only a network administrator's login may delete old visits from {where}; nothing was deleted."
                ) from exc
            if state == "55P03":
                raise DatabaseError(
                    f"The network server {where} is finishing a laptop's sync that holds some of these visits; "
                    "nothing was deleted; try again in a few minutes."
                ) from exc
            raise translate_error(exc, db.url) from exc
        except NexusError as err:
            if attempt < SERVER_ATTEMPTS - 1 and is_retryable(err.__cause__ or err):
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            raise
    raise AssertionError("unreachable")
