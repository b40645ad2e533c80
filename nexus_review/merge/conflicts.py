"""The conflicts an import kept for a person to decide, and deciding them field by field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nexus_review.domain import vclock
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.interchange.package import (
    TABLES,
)
from nexus_review.merge.fields import field_value, split_name
from nexus_review.merge.plan import META
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Session
from nexus_review.storage.models import (
    Conflict,
    utcnow,
)
from nexus_review.storage.serialize import from_dict
from nexus_review.storage.stamping import bump


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
