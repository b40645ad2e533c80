"""Every change a session writes is stamped with this database's device and a new revision,
and with a new version of each field it changed (what a merge compares).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from nexus_review.domain import vclock
from nexus_review.storage.models import (
    BOOKKEEPING,
    KEYED_FIELDS,
    SyncMixin,
    utcnow,
)


class NexusSession(Session):
    """A session that stamps every change with this database's device and a new revision."""


@event.listens_for(NexusSession, "before_flush")
def _stamp_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get("raw_sync"):
        return  # a merge writes records exactly as they arrived
    device = session.info.get("device_id", "")
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            obj.device_id = device
            obj.vclock = {device: 1}
            obj.revision = 1
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.field_versions = {
                "base": vclock.stamp({device: 1}, vclock.later_time(now, None), device),
                "fields": {},
            }
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            bump(obj, device, now, changed_fields(session, obj))


def changed_fields(session: Session, obj: SyncMixin) -> list[str]:
    """The fields a local change touched (keyed mappings: the keys whose value changed)."""
    from sqlalchemy import inspect as inspect_object

    state = inspect_object(obj)
    keyed = KEYED_FIELDS.get(getattr(obj, "__tablename__", ""), ())
    names: list[str] = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in BOOKKEEPING:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        if key not in keyed:
            names.append(key)
            continue
        new = getattr(obj, key)
        if history.deleted:
            old = history.deleted[0]
        else:  # changed in place: what the database holds is the value before the change
            table = type(obj).__table__
            with session.no_autoflush:
                old = session.execute(select(table.c[key]).where(table.c.id == obj.id)).scalar()
        if not isinstance(old, dict) or not isinstance(new, dict):
            names.append(key)
            continue
        names += [
            f"{key}[{k}]" for k in sorted(set(old) | set(new), key=str) if old.get(k) != new.get(k)
        ]
    return names


def bump(obj: SyncMixin, device: str, now: Any = None, fields: Any = None) -> None:
    """Record one local change to a record: a new revision by this device, and a new
    version of each field it changed."""
    now = now or utcnow()
    before = vclock.record_stamp(
        obj.vclock or {},
        obj.updated_at.astimezone(dt.UTC).isoformat() if obj.updated_at else "",
        obj.device_id or "",
    )
    clock = dict(obj.vclock or {})
    clock[device] = int(clock.get(device, 0)) + 1
    obj.vclock = clock
    obj.revision = (obj.revision or 0) + 1
    obj.device_id = device
    obj.updated_at = now
    if fields:
        obj.field_versions = vclock.with_changes(
            obj.field_versions, fields, clock, now, device, before
        )
