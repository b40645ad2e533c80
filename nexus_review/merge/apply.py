"""Applying a planned import in one transaction, and what it changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nexus_review.interchange.package import (
    TABLES,
    Package,
)
from nexus_review.merge.fields import supersedes
from nexus_review.merge.plan import ImportPlan, PlannedConflict, incoming_values, plan_import
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Session
from nexus_review.storage.models import (
    Conflict,
    ImportRecord,
    utcnow,
)


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
    closed: int = 0  # open conflicts here that the other side had resolved, closed by this import

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "reviewer": self.reviewer,
            "device": self.device_id,
            "visits": self.visits,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "applied": self.applied,
            "conflicts_closed": self.closed,
        }


def result_of(
    plan: ImportPlan, applied: bool, import_id: str | None = None, closed: int = 0
) -> ImportResult:
    p = plan.package
    return ImportResult(
        p.name,
        p.reviewer,
        p.device_id,
        plan.count("add"),
        plan.count("update"),
        plan.count("unchanged"),
        plan.count("conflict"),
        p.visit_count,
        applied,
        import_id,
        closed,
    )


def apply_in_session(
    session: Session,
    package: Package,
    device_id: str,
    before_first_change: Callable[[], None] = lambda: None,
    conflicts_out: list[PlannedConflict] | None = None,
) -> ImportResult:
    """Plan and apply a package inside a unit of work the caller holds (a server sync holds
    one on each side); nothing is committed here. The conflicts it records are also added to
    ``conflicts_out`` when given."""
    plan = plan_import(session, package)
    if conflicts_out is not None:
        conflicts_out += plan.conflicts
    if not plan.changes:
        return result_of(plan, applied=False)
    before_first_change()  # the backup reads the database as it is: nothing written yet
    return apply_plan(session, package, plan, device_id)


def apply_plan(
    session: Session, package: Package, plan: ImportPlan, device_id: str
) -> ImportResult:
    """Write what a plan found (it changes something), recorded as one ImportRecord, in the
    caller's transaction: new records in one insert per table, merged ones in one update."""
    session.info["raw_sync"] = True
    try:
        record = ImportRecord(
            file_name=package.name,
            package_sha256=package.sha256,
            reviewer_name=package.reviewer,
            source_device_id=package.device_id,
            imported_at=utcnow(),
            added=plan.count("add"),
            updated=plan.count("update"),
            unchanged=plan.count("unchanged"),
            conflicts=plan.count("conflict"),
            device_id=device_id,
            vclock={device_id: 1},
        )
        session.add(record)
        session.flush()
        # Table by table, parents first: new records in one insert, merged ones in one
        # update by primary key.
        for table, model in TABLES.items():
            adds, updates = plan.writes.get(table, ([], []))
            if adds:
                repo.insert_rows(
                    session, model, [incoming_values(package, table, model, r) for r in adds]
                )
            if updates:
                repo.update_rows(
                    session, model, [incoming_values(package, table, model, r) for r in updates]
                )
            repo.add_record_aliases(session, table, plan.aliases.get(table, {}))
        closed = _close_resolved_elsewhere(session, plan)
        session.add_all(
            Conflict(
                import_id=record.id,
                table_name=c.table,
                record_id=c.record_id,
                ours=c.ours,
                theirs=c.theirs,
                shown=c.field.shown,
                field_name=c.field.name,
            )
            for c in plan.conflicts
        )
        session.flush()
    finally:
        session.info.pop("raw_sync", None)
    return result_of(plan, applied=True, import_id=record.id, closed=closed)


def _close_resolved_elsewhere(session: Session, plan: ImportPlan) -> int:
    """Open conflicts here whose field the package brings in a version made after seeing both
    of their versions (resolved on the laptop or the server that sent it): closed with the
    choice that was made there, so that both databases agree and nobody chooses twice. The
    conflicts this import itself finds are added afterwards and are not looked at. A
    reviewer's login on a server, which may not read conflicts, leaves the server's open for
    the administrator (the record already holds the reviewer's choice)."""
    incoming: dict[tuple[str, str], dict[str, Any]] = {}
    for r in plan.records:
        if r.action in ("update", "conflict"):
            incoming[(r.table, r.target_id or r.record_id)] = r.incoming
    if not incoming or not repo.may_change_conflicts(session):
        return 0
    now, closed = utcnow(), 0
    for conflict in repo.open_conflicts_on(session, sorted({rid for _, rid in incoming})):
        row = incoming.get((conflict.table_name, conflict.record_id))
        if row is None:
            continue
        kept = supersedes(
            conflict.table_name,
            conflict.field_name,
            dict(conflict.ours),
            dict(conflict.theirs),
            row,
        )
        if kept is None:
            continue
        conflict.resolved_at, conflict.resolution = now, kept
        if kept != "later":
            conflict.shown = kept
        closed += 1
    return closed
