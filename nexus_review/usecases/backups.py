"""Keeping the data safe: a backup when the user asks, restoring one, and deleting visits
older than the network keeps them (after a backup)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.domain.wording import counted
from nexus_review.errors import NexusError
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
    # (id, academic year, title) of the calibration exercises of years wholly before the cut
    exercises: list[tuple[str, str, str]] = field(default_factory=list)

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
        return RetentionResult(cutoff, old, 0, None, dry_run, exercises)
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
