"""Merging review packages into a network database: exact, order-free, nothing lost.

Each record is matched by its UUID (or, for records with a natural key, by that key: two
laptops that each graded the same area of one visit made one judgement) and merged **field by
field** (see :mod:`nexus_review.merge.fields`):

- unknown here: added exactly as it arrived;
- the package's version already contains ours (newer): ours is replaced by it;
- ours already contains the package's (older, or the same): nothing changes;
- each has a change the other lacks: each field takes the version that has seen the other, so
  two laptops that changed different fields both keep their change. Only a field both changed
  to different values is a **conflict**: both versions are kept in a Conflict row naming the
  field; the record shows the later change (then device id, so the result does not depend on
  the order packages arrive in), and the administrator may choose the other, field by field.

A record never changes its visit, school or owner through an import: a package that tries is
refused in one sentence naming the record, and nothing is written. Deletions are tombstones
(``deleted`` set), so they merge like any other field; a deletion that crossed another laptop's
changes to the record is a conflict. An import is one transaction, recorded as an ImportRecord;
the database is backed up before its first change; importing a package that changes nothing
writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nexus_review.domain import vclock
from nexus_review.errors import InterchangeError, NexusError, NotFoundError
from nexus_review.interchange.package import (
    TABLES,
    Package,
    read_package,
)
from nexus_review.merge.fields import FieldConflict, combine, field_value, split_name, supersedes
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Session, bump
from nexus_review.storage.models import (
    BOOKKEEPING,
    NATURAL_KEYS,
    OWNER_COLUMNS,
    Conflict,
    ImportRecord,
    SyncMixin,
    utcnow,
)
from nexus_review.storage.serialize import from_dict, to_dict

META = (
    "id",
    "created_at",
    "updated_at",
    "device_id",
    "revision",
    "vclock",
    "deleted",
    "field_versions",
)

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
    "independent_grade": (
        ("visit_id", "visit"),
        ("reviewer_id", "reviewer"),
        ("drop_in_id", "drop_in"),
    ),
    "calibration_answer": (("exercise_id", "calibration_exercise"), ("reviewer_id", "reviewer")),
    "aim_theme": (("aim_id", "aim"),),
    "indicator_value": (("school_id", "school"),),
    "delivery_action": (("aim_id", "aim"),),
    "delivery_progress": (("action_id", "delivery_action"),),
}
OWNER_WORDS = {
    "visit_id": "visit",
    "host_school_id": "school",
    "school_id": "school",
    "evidence_id": "learning walk",
    "reviewer_id": "reviewer",
    "group_id": "review group",
    "area_key": "area",
    "academic_year": "year",
    "theme": "theme",
    "drop_in_id": "learning-walk classroom",
    "look_for": "look-for",
    "exercise_id": "calibration exercise",
    "aim_id": "aim",
    "action_id": "delivery action",
    "pupil_group": "pupil group",
    "indicator_key": "indicator",
    "term": "term",
    "key": "indicator",
}


# ---------------------------------------------------------------------------- export


def package_contents(
    session: Session,
    own: list[str],
    *,
    visit_ids: Sequence[str] | None = None,
    all_visits: bool = False,
    reviewer: str = "",
) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """The records a package of the chosen visits carries (default: every visit holding a
    change of this database's that no earlier package carried) with everything in them and the
    schools, reviewers and priorities they name, tombstones too; and the reviewer it is from.
    Which changes are new is decided by version vectors, never by the clock."""
    if visit_ids:
        chosen = [repo.resolve_visit_id(session, v) for v in visit_ids]
    elif all_visits:
        chosen = repo.all_visit_ids(session)
    else:
        chosen = repo.visits_with_unexported_changes(session, own)
    if not chosen and (
        visit_ids
        or all_visits
        or not (
            repo.calibration_has_unexported_changes(session, own)
            or repo.trust_changes_unexported(session, own)
        )
    ):
        raise NexusError(
            "No visit has changed since the last review package; choose visits, or export them all."
        )
    records = {
        table: [to_dict(obj, versions=True) for obj in objs]
        for table, objs in repo.package_records(session, chosen).items()
    }
    return records, reviewer or repo.lead_reviewer_name(session, chosen)


# ---------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class RecordPlan:
    table: str
    record_id: str  # as the package names it
    action: str  # "add", "update", "unchanged" or "conflict"
    incoming: dict[str, Any]
    target_id: str = ""  # the record here it merges into (another id for a natural-key match)


@dataclass(frozen=True)
class PlannedConflict:
    table: str
    record_id: str
    ours: dict[str, Any]
    theirs: dict[str, Any]
    field: FieldConflict


@dataclass
class ImportPlan:
    package: Package
    records: list[RecordPlan] = field(default_factory=list)
    conflicts: list[PlannedConflict] = field(default_factory=list)
    # table -> (records to add, records to update), as serialised dicts
    writes: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = field(
        default_factory=dict
    )
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def count(self, action: str) -> int:
        if action == "conflict":
            return len(self.conflicts)
        return sum(r.action == action for r in self.records)

    @property
    def changes(self) -> bool:
        return any(adds or updates for adds, updates in self.writes.values()) or any(
            self.aliases.values()
        )

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("add", "update", "unchanged", "conflict")}

    def visits(self, action: str) -> list[dict[str, Any]]:
        return [r.incoming for r in self.records if r.table == "visit" and r.action == action]


def _moved(
    session: Session, package: Package, table: str, ours: dict[str, Any], theirs: dict[str, Any]
) -> None:
    for column in OWNER_COLUMNS.get(table, ()):
        if ours.get(column) != theirs.get(column):
            what = repo.describe_record(session, table, ours["id"], ours)
            raise InterchangeError(
                f"{package.name} cannot be imported: it would move {what[0].lower() + what[1:]} ({ours['id'][:8]}) "
                f"to another {OWNER_WORDS.get(column, column.replace('_', ' '))}, and an import never changes "
                "which visit, school or owner a record belongs to."
            )


def plan_import(session: Session, package: Package) -> ImportPlan:
    plan = ImportPlan(package)
    known: dict[str, set[str]] = {}
    for table, model in TABLES.items():
        rows = package.records.get(table, [])
        ids = [r["id"] for r in rows]
        existing = repo.rows_by_id(session, model, ids)
        natural = NATURAL_KEYS.get(table)
        aliases: dict[str, str] = {}
        key_index: dict[tuple[Any, ...], str] = {}
        if natural:
            aliases = repo.record_aliases(session, [i for i in ids if i not in existing])
            fresh_rows = [r for r in rows if r["id"] not in existing and r["id"] not in aliases]
            matches = repo.live_by_natural_key(
                session, model, natural, [str(r.get(natural[0])) for r in fresh_rows]
            )
            missing = sorted({t for t in aliases.values() if t not in existing})
            existing.update(repo.rows_by_id(session, model, missing))
            for key, row in matches.items():
                existing.setdefault(row["id"], row)
                key_index[key] = row["id"]
        state: dict[str, dict[str, Any]] = {}
        new_aliases: dict[str, str] = {}
        for row in rows:
            rid = row["id"]
            target = rid if (rid in existing or rid in state) else aliases.get(rid)
            fresh = False
            if target is None and natural and not row.get("deleted"):
                match = key_index.get(tuple(row.get(c) for c in natural))
                if match is not None and match != rid:
                    target, fresh = match, True
                    new_aliases[rid] = match
            target = target or rid
            current = state.get(target, existing.get(target))
            if current is None:
                state[target] = dict(row)
                action = "add"
            elif current == row:
                state[target] = current
                action = "unchanged"
            else:
                _moved(session, package, table, current, row)
                merged, conflicts = combine(
                    table, current, row if target == rid else {**row, "id": target}, fresh=fresh
                )
                action = (
                    "unchanged" if merged == current else ("conflict" if conflicts else "update")
                )
                state[target] = merged
                plan.conflicts += [
                    PlannedConflict(table, target, current, row, c) for c in conflicts
                ]
            if natural and not state[target].get("deleted"):
                key_index.setdefault(tuple(state[target].get(c) for c in natural), target)
            plan.records.append(RecordPlan(table, rid, action, row, target))
        adds = [row for target, row in state.items() if target not in existing]
        updates = [
            row for target, row in state.items() if target in existing and row != existing[target]
        ]
        plan.writes[table] = (adds, updates)
        plan.aliases[table] = new_aliases
        known[table] = set(existing) | set(ids)
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


def _values(
    package: Package, table: str, model: type[SyncMixin], row: dict[str, Any]
) -> dict[str, Any]:
    try:
        values = from_dict(model, row)
    except ValueError as exc:
        raise InterchangeError(
            f"{package.name} is not a valid review package: in {table} {row['id']}, {exc}."
        ) from None
    values.setdefault("field_versions", {})  # format 1: every field has the record's own version
    return values


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
                repo.insert_rows(session, model, [_values(package, table, model, r) for r in adds])
            if updates:
                repo.update_rows(
                    session, model, [_values(package, table, model, r) for r in updates]
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
    field: str | None = None  # the one field both changed; None: the whole record (older conflicts)

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(field, ours, theirs) for the field in conflict (for older whole-record conflicts,
        each field that differs, bookkeeping left out)."""
        if self.field is not None:
            return [
                (
                    self.field,
                    field_value(self.table, self.ours, self.field),
                    field_value(self.table, self.theirs, self.field),
                )
            ]
        keys = [k for k in self.ours if k not in META or k == "deleted"]
        return [
            (k, self.ours.get(k), self.theirs.get(k))
            for k in keys
            if self.ours.get(k) != self.theirs.get(k)
        ]


def _item(session: Session, c: Conflict, data: dict[str, Any] | None = None) -> ConflictItem:
    return ConflictItem(
        c.id,
        c.table_name,
        c.record_id,
        c.shown,
        dict(c.ours),
        dict(c.theirs),
        c.created_at,
        c.resolution,
        repo.describe_record(session, c.table_name, c.record_id, data or dict(c.theirs)),
        c.field_name,
    )


def conflict_items(session: Session, *, open_only: bool = True) -> list[ConflictItem]:
    return [_item(session, c) for c in repo.conflicts(session, open_only=open_only)]


def resolve(session: Session, conflict_id: str, keep: str, device_id: str) -> ConflictItem:
    """Keep "ours" (the version held before the import) or "theirs" (the package's) of the
    field in conflict, in the caller's transaction, leaving the record's other fields as they
    are. The choice is a new change by this database, so it wins over both versions from now on."""
    if keep not in ("ours", "theirs"):
        raise NexusError("Say which version to keep: ours or theirs.")
    conflict = repo.conflict_by_prefix(session, conflict_id)
    if conflict.resolved_at is not None:
        raise NexusError(
            f"The conflict {conflict.id[:8]} was already resolved ({conflict.resolution})."
        )
    model = TABLES.get(conflict.table_name)
    if model is None:
        raise NotFoundError(
            f"The conflict {conflict.id[:8]} is about records this program does not know."
        )
    obj = session.get(model, conflict.record_id)
    if obj is None:
        raise NotFoundError(
            f"The record of conflict {conflict.id[:8]} is no longer in the database."
        )
    chosen = dict(conflict.ours if keep == "ours" else conflict.theirs)
    table = conflict.table_name
    if conflict.field_name is None:
        names = [k for k in chosen if k not in META or k == "deleted"]
        raw = {k: chosen[k] for k in names if k in chosen}
    else:
        names = [conflict.field_name]
        column, key = split_name(table, conflict.field_name)
        if key is None:
            raw = {column: chosen.get(column)}
        else:
            mapping = dict(getattr(obj, column) or {})
            value = field_value(table, chosen, conflict.field_name)
            if value is None:
                mapping.pop(key, None)
            else:
                mapping[key] = value
            raw = {column: mapping}
    values = from_dict(model, raw)
    session.info["raw_sync"] = True
    try:
        for name, value in values.items():
            setattr(obj, name, value)
        seen = vclock.merged(conflict.ours.get("vclock") or {}, conflict.theirs.get("vclock") or {})
        obj.vclock = vclock.merged(obj.vclock or {}, seen)
        bump(obj, device_id, fields=names)
        conflict.resolved_at = utcnow()
        conflict.resolution = keep
        conflict.shown = keep
        session.flush()
    finally:
        session.info.pop("raw_sync", None)
    item = _item(session, conflict, chosen)
    return item


__all__ = [
    "BOOKKEEPING",
    "ConflictItem",
    "ImportPlan",
    "ImportResult",
    "apply_plan",
    "conflict_items",
    "package_contents",
    "plan_import",
    "read_package",
    "resolve",
    "result_of",
]
