"""Keeping the data safe: a backup when the user asks, restoring one, and deleting visits
older than the network keeps them (after a backup)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nexus_review.errors import NexusError
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
from nexus_review.storage.database import Database
from nexus_review.storage.lock import exclusive_use

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
    "restore_backup",
]


def backup_now(db: Database) -> Path:
    """A backup the user asked for, of the database as it is saved now."""
    if db.path is None:
        raise NexusError("Backups here are for SQLite database files.")
    return make_backup(db.path, "manual")


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.date
    visits: list[tuple[str, dt.date, str]]
    records: int
    backup: Path | None
    dry_run: bool


# Longer than any school keeps review notes; also keeps the cut-off date a real date.
MAX_RETENTION_YEARS = 100


def apply_retention(
    db: Database, years: int, *, dry_run: bool = False, today: dt.date | None = None
) -> RetentionResult:
    """Delete visits older than a number of years with all their evidence, tombstones
    included (data protection for notes that name staff), after a backup."""
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
    with (
        exclusive_use(db.path, "delete old visits from it")
        if db.path is not None
        else contextlib.nullcontext()
    ):
        backup = make_backup(db.path, "before-retention") if db.path is not None else None
        with db.transaction() as session:
            records = repo.purge_visits(session, [v[0] for v in old])
    return RetentionResult(cutoff, old, records, backup, False)
