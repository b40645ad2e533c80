"""Planning an import: what each record of a package would change here, and what it conflicts with, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nexus_review.errors import InterchangeError
from nexus_review.interchange.package import (
    TABLES,
    Package,
)
from nexus_review.merge.fields import FieldConflict, combine
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Session
from nexus_review.storage.models import (
    NATURAL_KEYS,
    OWNER_COLUMNS,
    SyncMixin,
)
from nexus_review.storage.serialize import from_dict

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


def incoming_values(
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
