"""The open visit: a working copy of its records, undo across the visit, and autosave.

Every edit goes through :class:`VisitSession`: it changes the working copy at once (the screen
never waits for the disk), is pushed on one undo stack for the whole visit, and is queued for
saving. The queue is written a moment after the last keystroke (one second by default) or at
once with Ctrl+S. If a save fails (the database is locked, the disk is full) the typing stays
in the queue and the session tries again; nothing is ever dropped.

Adding a record gives it its id straight away; deleting one sets its tombstone, so undoing a
delete is only clearing the flag again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.storage.models import new_id
from nexus_review.workspace import EDITABLE, PROTECTED, Change, save_changes, visit_records

log = logging.getLogger(__name__)

RETRY_MS = 5000


def column_defaults(table: str) -> dict[str, Any]:
    """The values a new record of a table starts with (what the ORM would give it)."""
    out: dict[str, Any] = {}
    for col in EDITABLE[table].__table__.columns:  # type: ignore[attr-defined]
        if col.key in PROTECTED:
            continue
        default = col.default
        if default is None:
            out[col.key] = None
        elif default.is_scalar:
            out[col.key] = default.arg
        elif default.is_callable:
            out[col.key] = default.arg(None)
    return out


class _SetField(QUndoCommand):
    def __init__(self, session: VisitSession, table: str, record_id: str, field: str, old: Any, new: Any, text: str, merge: bool) -> None:
        super().__init__(text)
        self.session, self.table, self.record_id, self.field = session, table, record_id, field
        self.old, self.new, self.merge = old, new, merge

    def id(self) -> int:
        return (hash((self.table, self.record_id, self.field)) & 0x7FFFFFFF) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _SetField) or (other.table, other.record_id, other.field) != (self.table, self.record_id, self.field):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.session._set(self.table, self.record_id, self.field, self.new)

    def undo(self) -> None:
        self.session._set(self.table, self.record_id, self.field, self.old)


class _AddRecord(QUndoCommand):
    def __init__(self, session: VisitSession, table: str, record_id: str, values: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.session, self.table, self.record_id, self.values = session, table, record_id, values
        self.created = False

    def redo(self) -> None:
        if not self.created:
            self.session._create(self.table, self.record_id, self.values)
            self.created = True
        else:
            self.session._set(self.table, self.record_id, "deleted", False)

    def undo(self) -> None:
        self.session._set(self.table, self.record_id, "deleted", True)


class VisitSession(QObject):
    """One visit open for editing."""

    changed = Signal(str, str, str)  # table, record id, field ("" when a record appears)
    saved = Signal(object)  # the local time of the save
    save_failed = Signal(str)  # the sentence to show

    def __init__(self, db: Database, visit_id: str, autosave_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        with db.reading() as session:
            self.records = visit_records(session, visit_id)
        self.undo_stack = QUndoStack(self)
        self._pending: list[Change] = []
        self._created: set[tuple[str, str]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._autosave_ms = max(100, autosave_ms)
        self._timer.timeout.connect(self.flush)
        self.last_saved: dt.datetime | None = None
        self.last_error = ""

    # ---- reading ------------------------------------------------------------------------

    @property
    def visit(self) -> dict[str, Any]:
        return self.records["visit"][self.visit_id]

    def record(self, table: str, record_id: str) -> dict[str, Any]:
        return self.records[table][record_id]

    def value(self, table: str, record_id: str, field: str) -> Any:
        return self.records[table][record_id].get(field)

    def rows(self, table: str, where: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
        """Live records of a table, in their on-screen order."""
        rows = [r for r in self.records[table].values() if not r.get("deleted")]
        if where is not None:
            rows = [r for r in rows if where(r)]
        return sorted(rows, key=lambda r: (r.get("position") or 0, r.get("area_key") or "", r["id"]))

    # ---- editing (undoable) -----------------------------------------------------------

    def edit(self, table: str, record_id: str, field: str, value: Any, *, text: str = "", merge: bool = True) -> None:
        old = self.records[table][record_id].get(field)
        if old == value:
            return
        if isinstance(old, list | dict):
            old = type(old)(old)
        if isinstance(value, list | dict):
            value = type(value)(value)
        self.undo_stack.push(_SetField(self, table, record_id, field, old, value, text or f"Edit {field.replace('_', ' ')}", merge))

    def add(self, table: str, values: dict[str, Any], *, text: str = "") -> str:
        record_id = new_id()
        self.undo_stack.push(_AddRecord(self, table, record_id, values, text or f"Add {table.replace('_', ' ')}"))
        return record_id

    def delete(self, table: str, record_id: str, *, text: str = "") -> None:
        self.edit(table, record_id, "deleted", True, text=text or f"Delete {table.replace('_', ' ')}", merge=False)

    def begin_macro(self, text: str) -> None:
        self.undo_stack.beginMacro(text)

    def end_macro(self) -> None:
        self.undo_stack.endMacro()

    # ---- the working copy and the save queue --------------------------------------------

    def _create(self, table: str, record_id: str, values: dict[str, Any]) -> None:
        record = {**column_defaults(table), **values, "id": record_id, "deleted": False}
        self.records[table][record_id] = record
        create = {k: v for k, v in record.items() if k not in PROTECTED}
        self._queue(Change(table, record_id, {}, create))
        self.changed.emit(table, record_id, "")

    def _set(self, table: str, record_id: str, field: str, value: Any) -> None:
        self.records[table][record_id][field] = type(value)(value) if isinstance(value, list | dict) else value
        self._queue(Change(table, record_id, {field: value}))
        self.changed.emit(table, record_id, field)

    def _queue(self, change: Change) -> None:
        self._pending.append(change)
        self._timer.start(self._autosave_ms)

    def has_unsaved(self) -> bool:
        return bool(self._pending)

    def set_autosave_ms(self, ms: int) -> None:
        self._autosave_ms = max(100, ms)

    def flush(self) -> bool:
        """Save everything queued now; True when nothing is left unsaved."""
        self._timer.stop()
        if not self._pending:
            return True
        batch = list(self._pending)
        try:
            save_changes(self.db, batch)
        except NexusError as err:
            self.last_error = str(err)
            log.warning("autosave failed, will retry: %s", err)
            self._timer.start(RETRY_MS)
            self.save_failed.emit(f"Not saved yet: {err} Your typing is kept and will be saved as soon as it can.")
            return False
        del self._pending[: len(batch)]
        self.last_error = ""
        self.last_saved = dt.datetime.now()
        self.saved.emit(self.last_saved)
        if self._pending:
            self._timer.start(self._autosave_ms)
        return not self._pending
