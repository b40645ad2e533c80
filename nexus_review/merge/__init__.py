"""Merging review packages into a network database: exact, order-free, nothing lost.

Each record is matched by its UUID and its version vector (how many changes each device has
made to it) decides what happens:

- unknown here: added exactly as it arrived;
- the package's version already contains ours (newer): ours is replaced by it;
- ours already contains the package's (older, or the same): nothing changes;
- each has a change the other lacks: a **conflict**. Both versions are kept in a Conflict
  row; the record shows the newer of the two (latest change, then device id, so the result
  does not depend on the order packages arrive in) with a vector that has seen both, and the
  administrator may choose the other.

Deletions are tombstones (``deleted`` set), so they merge like any other change. An import is
one transaction, recorded as an ImportRecord; the database is backed up before its first
change; importing a package that changes nothing writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from nexus_review.domain import vclock
from nexus_review.errors import InterchangeError, NexusError, NotFoundError
from nexus_review.interchange.package import (
    TABLES,
    ExportResult,
    Package,
    read_package,
    write_package,
)
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Database, bump, get_info, set_info
from nexus_review.storage.models import Conflict, ImportRecord, SyncMixin, utcnow
from nexus_review.storage.serialize import from_dict, to_dict

LAST_EXPORT_KEY = "last_package_exported_at"
META = ("id", "created_at", "updated_at", "device_id", "revision", "vclock", "deleted")

# Each reference a record makes, and the table it must be found in (here or in the package).
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "review_group_member": (("group_id", "review_group"), ("school_id", "school")),
    "reviewer": (("home_school_id", "school"),),
    "school_priority": (("school_id", "school"),),
    "visit": (("host_school_id", "school"),),
    "visit_reviewer": (("visit_id", "visit"), ("reviewer_id", "reviewer")),
    "evidence": (("visit_id", "visit"),),
    "drop_in": (("evidence_id", "evidence"),),
    "judgement": (("visit_id", "visit"),),
    "action": (("visit_id", "visit"),),
}


# ---------------------------------------------------------------------------- export


def export_review_package(
    db: Database,
    out: Path | str,
    *,
    visit_ids: Sequence[str] | None = None,
    all_visits: bool = False,
    passphrase: str | None = None,
    reviewer: str = "",
) -> ExportResult:
    """A package of the chosen visits (default: every visit changed since this database's
    last package) with everything in them and the schools, reviewers and priorities they
    name. Tombstones travel too, so deletions reach the network database."""
    now = utcnow()
    with db.reading() as session:
        if visit_ids:
            chosen = [repo.resolve_visit_id(session, v) for v in visit_ids]
        elif all_visits:
            chosen = repo.all_visit_ids(session)
        else:
            since_text = get_info(session, LAST_EXPORT_KEY)
            since = dt.datetime.fromisoformat(since_text) if since_text else None
            # Never exported: what was written on this laptop (not what it was sent).
            chosen = repo.visits_changed_since(session, since, None if since else db.device_id)
        if not chosen:
            raise NexusError("No visit has changed since the last review package; choose visits, or export them all.")
        records = {table: [to_dict(obj) for obj in objs] for table, objs in repo.package_records(session, chosen).items()}
        name = reviewer or repo.lead_reviewer_name(session, chosen)
    result = write_package(out, records, reviewer=name, device_id=db.device_id, passphrase=passphrase, exported_at=now)
    with db.transaction() as session:
        set_info(session, LAST_EXPORT_KEY, now.isoformat())
    return result


# ---------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class RecordPlan:
    table: str
    record_id: str
    action: str  # "add", "update", "unchanged", "conflict", or "merge" (same content, both changed)
    incoming: dict[str, Any]
    values: dict[str, Any]  # column values parsed from the package
    ours: dict[str, Any] | None = None


@dataclass
class ImportPlan:
    package: Package
    records: list[RecordPlan] = field(default_factory=list)

    def count(self, action: str) -> int:
        actions = ("update", "merge") if action == "update" else (action,)
        return sum(r.action in actions for r in self.records)

    @property
    def changes(self) -> bool:
        return any(r.action != "unchanged" for r in self.records)

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("add", "update", "unchanged", "conflict")}

    def visits(self, action: str) -> list[dict[str, Any]]:
        return [r.incoming for r in self.records if r.table == "visit" and r.action == action]


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("vclock", "revision", "device_id", "updated_at", "created_at")}


def _winner_key(data: dict[str, Any]) -> tuple[str, str, str]:
    """Which of two concurrent versions the record shows: the later change, then the device,
    then the content itself, so the same versions always give the same answer."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return (str(data.get("updated_at") or ""), str(data.get("device_id") or ""), digest)


def plan_import(session: Session, package: Package) -> ImportPlan:
    plan = ImportPlan(package)
    known: dict[str, set[str]] = {}
    for table, model in TABLES.items():
        rows = package.records.get(table, [])
        ids = [r["id"] for r in rows]
        existing = repo.rows_by_id(session, model, ids)
        known[table] = set(existing) | set(ids)
        for row in rows:
            ours = existing.get(row["id"])
            if ours is None:
                action = "add"
            elif ours == row:
                action = "unchanged"
            else:
                order = vclock.compare(row.get("vclock") or {}, ours.get("vclock") or {})
                if order is vclock.Order.AFTER:
                    action = "update"
                elif order is vclock.Order.BEFORE:
                    action = "unchanged"
                elif _content(ours) == _content(row):
                    # The same content on both sides: agree on the bookkeeping, no conflict.
                    action = "unchanged" if order is vclock.Order.EQUAL else "merge"
                else:
                    action = "conflict"
            values: dict[str, Any] = {}
            if action != "unchanged":
                try:
                    values = from_dict(model, row)
                except ValueError as exc:
                    raise InterchangeError(f"{package.name} is not a valid review package: in {table} {row['id']}, {exc}.") from None
            plan.records.append(RecordPlan(table, row["id"], action, row, values, ours))
    _check_references(session, plan, known)
    return plan


def _check_references(session: Session, plan: ImportPlan, known: dict[str, set[str]]) -> None:
    missing: dict[str, set[str]] = {}
    for r in plan.records:
        for column, target in REFERENCES.get(r.table, ()):
            ref = r.incoming.get(column)
            if ref and ref not in known.get(target, set()):
                missing.setdefault(target, set()).add(ref)
    for target, ids in missing.items():
        found = set(repo.records_by_id(session, TABLES[target], list(ids)))
        absent = sorted(ids - found)
        if absent:
            raise InterchangeError(
                f"{plan.package.name} is not a valid review package: it refers to a {target.replace('_', ' ')} "
                f"({absent[0]}) that is neither in the package nor in this database."
            )


# ---------------------------------------------------------------------------- applying


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    reviewer: str
    device_id: str
    added: int
    updated: int
    unchanged: int
    conflicts: int
    visits: int
    applied: bool  # False for a dry run, or when nothing needed changing
    import_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "reviewer": self.reviewer, "device": self.device_id,
            "visits": self.visits, "added": self.added, "updated": self.updated,
            "unchanged": self.unchanged, "conflicts": self.conflicts, "applied": self.applied,
        }


# Called once before an import first changes a database (the data-safety layer's backup).
before_import_hooks: list[Callable[[Database], None]] = []


def _result(plan: ImportPlan, applied: bool, import_id: str | None = None) -> ImportResult:
    p = plan.package
    return ImportResult(
        p.name, p.reviewer, p.device_id, plan.count("add"), plan.count("update"),
        plan.count("unchanged"), plan.count("conflict"), p.visit_count, applied, import_id,
    )


def preview_import(db: Database, package: Package) -> ImportPlan:
    with db.reading() as session:
        return plan_import(session, package)


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
            for hook in before_import_hooks:
                hook(db)
            state["backed_up"] = True

    for i, package in enumerate(packages):
        if dry_run:
            result = _result(preview_import(db, package), applied=False)
        else:
            result = apply_package(db, package, before_first_change)
        results.append(result)
        if progress is not None:
            progress(i, result)
    return results


def import_package_files(db: Database, paths: Sequence[Path | str], *, passphrase: str | None = None, dry_run: bool = False) -> list[ImportResult]:
    packages = [read_package(p, passphrase) for p in paths]  # every file checked before any change
    return import_packages(db, packages, dry_run=dry_run)


def apply_package(db: Database, package: Package, before_first_change: Callable[[], None] = lambda: None) -> ImportResult:
    """Plan and apply a package in one transaction: all of it, or (on any error) none of it.
    Planned inside the transaction, so nothing written meanwhile (an autosave) is overwritten
    unseen; a package that changes nothing writes nothing."""
    with db.transaction() as session:
        plan = plan_import(session, package)
        if not plan.changes:
            return _result(plan, applied=False)
        before_first_change()  # the backup reads the database as it is: nothing written yet
        session.info["raw_sync"] = True
        try:
            record = ImportRecord(
                file_name=package.name, package_sha256=package.sha256,
                reviewer_name=package.reviewer, source_device_id=package.device_id,
                imported_at=utcnow(), added=plan.count("add"), updated=plan.count("update"),
                unchanged=plan.count("unchanged"), conflicts=plan.count("conflict"),
                device_id=db.device_id, vclock={db.device_id: 1},
            )
            session.add(record)
            session.flush()
            # Table by table, parents first: new records in one insert, newer versions in
            # one update by primary key, concurrent ones one by one.
            for table, model in TABLES.items():
                mine = [r for r in plan.records if r.table == table]
                added = [r.values for r in mine if r.action == "add"]
                if added:
                    session.execute(insert(model), added)
                updated = [r.values for r in mine if r.action == "update"]
                if updated:
                    session.execute(update(model), updated)
                for r in mine:
                    if r.action in ("conflict", "merge"):
                        _apply_concurrent(session, model, r, record.id if r.action == "conflict" else None)
                session.flush()
        finally:
            session.info.pop("raw_sync", None)
        return _result(plan, applied=True, import_id=record.id)


def _apply_concurrent(session: Session, model: type[SyncMixin], r: RecordPlan, import_id: str | None) -> None:
    """Both sides changed the record: it shows the newer version, with a vector that has seen
    both; where the contents differ (import_id given), both versions are kept as a Conflict."""
    assert r.ours is not None
    theirs_wins = _winner_key(r.incoming) > _winner_key(r.ours)
    obj = session.get(model, r.record_id)
    if theirs_wins:
        for key, value in r.values.items():
            setattr(obj, key, value)
    obj.vclock = vclock.merged(r.ours.get("vclock") or {}, r.incoming.get("vclock") or {})  # type: ignore[union-attr]
    if import_id is None:
        return
    session.add(
        Conflict(
            import_id=import_id, table_name=r.table, record_id=r.record_id, ours=r.ours,
            theirs=r.incoming, shown="theirs" if theirs_wins else "ours",
        )
    )


# ---------------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class ConflictItem:
    id: str
    table: str
    record_id: str
    shown: str
    ours: dict[str, Any]
    theirs: dict[str, Any]
    created_at: dt.datetime
    resolved: str | None
    title: str  # what the record is, as a reader names it

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(field, ours, theirs) for each field that differs, bookkeeping left out."""
        keys = [k for k in self.ours if k not in META or k == "deleted"]
        return [(k, self.ours.get(k), self.theirs.get(k)) for k in keys if self.ours.get(k) != self.theirs.get(k)]


def list_conflicts(db: Database, *, open_only: bool = True) -> list[ConflictItem]:
    with db.reading() as session:
        return [
            ConflictItem(
                c.id, c.table_name, c.record_id, c.shown, dict(c.ours), dict(c.theirs), c.created_at,
                c.resolution, repo.describe_record(session, c.table_name, c.record_id, dict(c.theirs)),
            )
            for c in repo.conflicts(session, open_only=open_only)
        ]


def resolve_conflict(db: Database, conflict_id: str, keep: str) -> ConflictItem:
    """Keep "ours" (the version held before the import) or "theirs" (the package's). The
    choice is a new change by this database, so it wins over both versions from now on."""
    if keep not in ("ours", "theirs"):
        raise NexusError("Say which version to keep: ours or theirs.")
    with db.transaction() as session:
        conflict = repo.conflict_by_prefix(session, conflict_id)
        if conflict.resolved_at is not None:
            raise NexusError(f"The conflict {conflict.id[:8]} was already resolved ({conflict.resolution}).")
        model = TABLES.get(conflict.table_name)
        if model is None:
            raise NotFoundError(f"The conflict {conflict.id[:8]} is about records this program does not know.")
        obj = session.get(model, conflict.record_id)
        if obj is None:
            raise NotFoundError(f"The record of conflict {conflict.id[:8]} is no longer in the database.")
        chosen = dict(conflict.ours if keep == "ours" else conflict.theirs)
        values = from_dict(model, {k: v for k, v in chosen.items() if k not in META or k == "deleted"})
        session.info["raw_sync"] = True
        try:
            for key, value in values.items():
                setattr(obj, key, value)
            obj.vclock = vclock.merged(obj.vclock or {}, vclock.merged(conflict.ours.get("vclock") or {}, conflict.theirs.get("vclock") or {}))
            bump(obj, db.device_id)
            conflict.resolved_at = utcnow()
            conflict.resolution = keep
            conflict.shown = keep
            session.flush()
        finally:
            session.info.pop("raw_sync", None)
        item = ConflictItem(
            conflict.id, conflict.table_name, conflict.record_id, conflict.shown, dict(conflict.ours),
            dict(conflict.theirs), conflict.created_at, keep,
            repo.describe_record(session, conflict.table_name, conflict.record_id, chosen),
        )
    return item


__all__ = [
    "ConflictItem", "ImportPlan", "ImportResult", "before_import_hooks", "export_review_package",
    "import_package_files", "import_packages", "list_conflicts", "plan_import", "preview_import",
    "read_package", "resolve_conflict",
]
