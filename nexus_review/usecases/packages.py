"""Review packages: a reviewer sends their visits to the network administrator, who imports
everyone's packages into the network database and settles the fields two laptops changed.

Each import is one transaction, made after a backup of the database as it was (once, before
the first package that changes anything); a package that changes nothing writes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from nexus_review.errors import NexusError
from nexus_review.interchange.package import ExportResult, Package, read_package, write_package
from nexus_review.merge import (
    ConflictItem,
    ImportPlan,
    ImportResult,
    apply_in_session,
    conflict_items,
    package_contents,
    plan_import,
    resolve,
    result_of,
)
from nexus_review.storage import repository as repo
from nexus_review.storage.backups import make_backup
from nexus_review.storage.connection import is_retryable
from nexus_review.storage.database import Database
from nexus_review.storage.devices import own_device_ids
from nexus_review.storage.models import utcnow
from nexus_review.storage.sync_store import network_write_lock

# A serialisable import on a network server that collided with another writer is run again.
IMPORT_ATTEMPTS = 8

__all__ = [
    "ConflictItem",
    "ImportPlan",
    "ImportResult",
    "apply_package",
    "export_review_package",
    "import_package_files",
    "import_packages",
    "list_conflicts",
    "preview_import",
    "resolve_conflict",
]


def export_review_package(
    db: Database,
    out: Path | str,
    *,
    visit_ids: Sequence[str] | None = None,
    all_visits: bool = False,
    passphrase: str | None = None,
    reviewer: str = "",
) -> ExportResult:
    """A package of the chosen visits (default: every visit holding a change no earlier
    package carried); what it carried is then marked as sent."""
    now = utcnow()
    with db.reading() as session:
        own = own_device_ids(session) or [db.device_id]
        records, name = package_contents(
            session, own, visit_ids=visit_ids, all_visits=all_visits, reviewer=reviewer
        )
    result = write_package(
        out, records, reviewer=name, device_id=db.device_id, passphrase=passphrase, exported_at=now
    )
    with db.transaction() as session:
        repo.mark_exported(session, [row for rows in records.values() for row in rows], own)
    return result


def preview_import(db: Database, package: Package) -> ImportPlan:
    with db.reading() as session:
        return plan_import(session, package)


def apply_package(
    db: Database, package: Package, before_first_change: Callable[[], None] = lambda: None
) -> ImportResult:
    """Plan and apply a package in one transaction: all of it, or (on any error) none of it.
    Planned inside the transaction, so nothing written meanwhile (an autosave) is overwritten
    unseen; a package that changes nothing writes nothing."""
    for attempt in range(IMPORT_ATTEMPTS):
        try:
            with network_write_lock(db), db.transaction() as session:
                return apply_in_session(session, package, db.device_id, before_first_change)
        except NexusError as err:
            # On a network server every import is serialisable: one that collided with another
            # administrator's import or a laptop's sync is run again from the start, on what
            # the other committed.
            if attempt == IMPORT_ATTEMPTS - 1 or not is_retryable(err.__cause__ or err):
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt))
    raise AssertionError("unreachable")


def import_packages(
    db: Database,
    packages: Iterable[Package],
    *,
    dry_run: bool = False,
    progress: Callable[[int, ImportResult], None] | None = None,
    backup: bool = True,
) -> list[ImportResult]:
    """Import packages one after another, each in its own transaction. The database is backed
    up once, before the first package that changes it (``backup=False`` when the caller
    imports a batch one package at a time and has backed up already)."""
    results = []
    state = {"backed_up": not backup}

    def before_first_change() -> None:
        if not state["backed_up"]:
            if db.path is not None:
                make_backup(db.path, "before-import")
            state["backed_up"] = True

    for i, package in enumerate(packages):
        if dry_run:
            result = result_of(preview_import(db, package), applied=False)
        else:
            result = apply_package(db, package, before_first_change)
        results.append(result)
        if progress is not None:
            progress(i, result)
    return results


def import_package_files(
    db: Database,
    paths: Sequence[Path | str],
    *,
    passphrase: str | None = None,
    dry_run: bool = False,
) -> list[ImportResult]:
    packages = [read_package(p, passphrase) for p in paths]  # every file checked before any change
    return import_packages(db, packages, dry_run=dry_run)


def list_conflicts(db: Database, *, open_only: bool = True) -> list[ConflictItem]:
    with db.reading() as session:
        return conflict_items(session, open_only=open_only)


def resolve_conflict(db: Database, conflict_id: str, keep: str) -> ConflictItem:
    """Keep "ours" (the version held before the import) or "theirs" (the package's) of the
    field in conflict; the choice is a new change by this database."""
    if keep not in ("ours", "theirs"):
        raise NexusError("Say which version to keep: ours or theirs.")
    with db.transaction() as session:
        return resolve(session, conflict_id, keep, db.device_id)
