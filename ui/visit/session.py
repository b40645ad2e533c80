"""The open visit: a working copy of its records, undo across the visit, and autosave.

Every edit goes through :class:`VisitSession`: it changes the working copy at once (the screen
never waits for the disk), is pushed on one undo stack for the whole visit, and is queued for
saving. The queue is written a moment after the last keystroke (one second by default) or at
once with Ctrl+S. If a save fails (the database is locked, the disk is full) the typing stays
in the queue, is kept on disk too (``nexus_review.unsaved``) and the session tries again;
nothing is ever dropped. A value no column could hold is refused when it is queued, and a
record the database refuses is retried on its own, so one bad change never holds back the
others.

Adding a record gives it its id straight away; deleting one sets its tombstone, so undoing a
delete is only clearing the flag again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nexus_review import unsaved
from nexus_review.domain.working_copy import Field, ListOrder, Record, Table
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.usecases.editing import Edits, save_changes, working_copy
from nexus_review.usecases.opening import Database
from nexus_review.workspace import (
    PROTECTED,
    Change,
    check_change,
    coalesce,
    column_defaults,
    new_id,
)

log = logging.getLogger(__name__)

RETRY_MS = 5000


class _SetField(QUndoCommand):
    def __init__(
        self,
        session: VisitSession,
        table: Table,
        record_id: str,
        field: Field,
        old: Any,
        new: Any,
        text: str,
        merge: bool,
    ) -> None:
        super().__init__(text)
        self.session, self.table, self.record_id, self.field = session, table, record_id, field
        self.old, self.new, self.merge = old, new, merge

    def id(self) -> int:
        return (hash((self.table, self.record_id, self.field)) & 0x7FFFFFFF) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _SetField) or (other.table, other.record_id, other.field) != (
            self.table,
            self.record_id,
            self.field,
        ):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.session._set(self.table, self.record_id, self.field, self.new)

    def undo(self) -> None:
        self.session._set(self.table, self.record_id, self.field, self.old)


class _AddRecord(QUndoCommand):
    def __init__(
        self,
        session: VisitSession,
        table: Table,
        record_id: str,
        values: Mapping[Field, Any],
        text: str,
    ) -> None:
        super().__init__(text)
        self.session, self.table, self.record_id, self.values = session, table, record_id, values
        self.created = False

    def redo(self) -> None:
        if not self.created:
            self.session._create(self.table, self.record_id, self.values)
            self.created = True
        else:
            self.session._set(self.table, self.record_id, Record.DELETED, False)

    def undo(self) -> None:
        self.session._set(self.table, self.record_id, Record.DELETED, True)


class VisitSession(QObject):
    """One visit open for editing."""

    changed = Signal(str, str, str)  # table, record id, field ("" when a record appears)
    saved = Signal(object)  # the local time of the save
    save_failed = Signal(str)  # the sentence to show
    record_refused = Signal(object)  # an unexpected error the database raised for one record
    set_aside = Signal(str)  # a change whose record is gone was kept in a file: the sentence

    def __init__(
        self, db: Database, visit_id: str, autosave_ms: int = 1000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        self.records = working_copy(db, visit_id)
        self.undo_stack = QUndoStack(self)
        self._pending: list[Change] = []
        self._created: set[tuple[str, str]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._autosave_ms = max(100, autosave_ms)
        self._timer.timeout.connect(self.flush)
        self.last_saved: dt.datetime | None = None
        self.last_error = ""
        # Asked before every save: False when the database file is no longer the one this
        # session opened (replaced by a restore), so nothing is written into the old file.
        self.guard: Callable[[], bool] | None = None
        self.keep_error = ""
        self.recovered = 0  # changes kept from an earlier session and saved on opening

    # ---- reading ------------------------------------------------------------------------

    @property
    def visit(self) -> dict[str, Any]:
        return self.records[Table.VISIT][self.visit_id]

    def record(self, table: Table, record_id: str) -> dict[str, Any]:
        return self.records[table][record_id]

    def value(self, table: Table, record_id: str, field: Field) -> Any:
        return self.records[table][record_id].get(field)

    def rows(
        self, table: Table, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """Live records of a table, in their on-screen order."""
        rows = [r for r in self.records[table].values() if not r.get(Record.DELETED)]
        if where is not None:
            rows = [r for r in rows if where(r)]
        position, area = ListOrder.POSITION, ListOrder.AREA_KEY
        return sorted(rows, key=lambda r: (r.get(position) or 0, r.get(area) or "", r[Record.ID]))

    # ---- editing (undoable) -----------------------------------------------------------

    def edit(
        self,
        table: Table,
        record_id: str,
        field: Field,
        value: Any,
        *,
        text: str = "",
        merge: bool = True,
    ) -> None:
        check_change(
            table, {field: value}
        )  # a bad value never enters the undo history or the queue
        old = self.records[table][record_id].get(field)
        if old == value:
            return
        if isinstance(old, list | dict):
            old = type(old)(old)
        if isinstance(value, list | dict):
            value = type(value)(value)
        self.undo_stack.push(
            _SetField(
                self,
                table,
                record_id,
                field,
                old,
                value,
                text or f"Edit {field.replace('_', ' ')}",
                merge,
            )
        )

    def add(self, table: Table, values: Mapping[Field, Any], *, text: str = "") -> str:
        check_change(table, values)
        record_id = new_id()
        self.undo_stack.push(
            _AddRecord(self, table, record_id, values, text or f"Add {table.replace('_', ' ')}")
        )
        return record_id

    def delete(self, table: Table, record_id: str, *, text: str = "") -> None:
        self.edit(
            table,
            record_id,
            Record.DELETED,
            True,
            text=text or f"Delete {table.replace('_', ' ')}",
            merge=False,
        )

    def apply(self, edits: Edits) -> str:
        """Apply what one user action changes (decided by the editing rules) as one step of the
        undo history; the id of the record it adds, or ""."""
        steps = (edits.add is not None) + len(edits.fields)
        if steps > 1:
            self.begin_macro(edits.text)
        record_id = ""
        if edits.add is not None:
            record_id = self.add(edits.add.table, dict(edits.add.values), text=edits.text)
        for f in edits.fields:
            self.edit(f.table, f.record_id, f.field, f.value, text=edits.text, merge=False)
        if steps > 1:
            self.end_macro()
        return record_id

    def begin_macro(self, text: str) -> None:
        self.undo_stack.beginMacro(text)

    def end_macro(self) -> None:
        self.undo_stack.endMacro()

    # ---- the working copy and the save queue --------------------------------------------

    def _create(self, table: Table, record_id: str, values: Mapping[Field, Any]) -> None:
        record: dict[str, Any] = column_defaults(table)
        record.update(values.items())
        record.update({Record.ID: record_id, Record.DELETED: False})
        self.records[table][record_id] = record
        create = {k: v for k, v in record.items() if k not in PROTECTED}
        self._queue(Change(table, record_id, {}, create))
        self.changed.emit(table, record_id, "")

    def _set(self, table: Table, record_id: str, field: Field, value: Any) -> None:
        self.records[table][record_id][field] = (
            type(value)(value) if isinstance(value, list | dict) else value
        )
        self._queue(Change(table, record_id, {field: value}))
        self.changed.emit(table, record_id, field)

    def _queue(self, change: Change) -> None:
        self._pending.append(change)
        self._timer.start(self._autosave_ms)

    def has_unsaved(self) -> bool:
        return bool(self._pending)

    def set_autosave_ms(self, ms: int) -> None:
        self._autosave_ms = max(100, ms)

    @property
    def journal_key(self) -> str:
        return str(self.db.path or self.db.url)

    def recover(self) -> int:
        """Save what an earlier session of the program could not (kept on disk); the number of
        changes saved. Called once the session is set up (its guard in place), before editing.
        What still cannot be saved stays queued and on disk, shown on screen meanwhile."""
        changes = unsaved.kept(self.journal_key, self.visit_id)
        if not changes:
            return 0
        for change in changes:  # on screen at once, whatever happens to the save
            table = self.records.setdefault(change.table, {})
            if change.record_id not in table and change.create is not None:
                table[change.record_id] = {
                    **column_defaults(change.table),
                    **change.create,
                    Record.ID: change.record_id,
                    Record.DELETED: False,
                }
            if change.record_id in table:
                table[change.record_id].update(change.values)
        self._pending = [*changes, *self._pending]
        if not self.flush():
            log.warning("unsaved changes from last time still cannot be saved: %s", self.last_error)
            return 0
        self.recovered = len(changes)
        return self.recovered

    def keep_unsaved(self) -> bool:
        """Write the queue to disk, so the next start saves it (called after a failed save and
        when the window closes with work it could not save). False if even that failed."""
        if not self._pending:
            unsaved.forget(self.journal_key, self.visit_id)
            return True
        try:
            unsaved.keep(self.journal_key, self.visit_id, self._pending)
        except OSError as exc:
            self.keep_error = exc.strerror or str(exc)
            log.error("unsaved changes could not be kept on disk either: %s", exc)
            return False
        return True

    def discard_queue(self) -> None:
        """Forget the queue (after :meth:`keep_unsaved` has put it on disk)."""
        self._timer.stop()
        self._pending = []

    def flush(self) -> bool:
        """Save everything queued now; True when nothing is left unsaved.

        The queue is saved in one transaction. If the database cannot be written (locked,
        disk full) everything stays queued and is retried. If it refuses one record for a
        reason nobody foresaw, each record is saved on its own, so the rest are saved and
        only that one stays queued (and is reported)."""
        self._timer.stop()
        if not self._pending:
            return True
        if self.guard is not None and not self.guard():
            return self._failed("The database file was replaced by another program.")
        batch = coalesce(self._pending)
        try:
            save_changes(self.db, batch)
        except NotFoundError:  # a record gone from the database (a restore): see each one
            return self._save_one_by_one(batch)
        except NexusError as err:
            return self._failed(str(err))
        except Exception:
            log.exception("a save was refused; saving the records one by one")
            return self._save_one_by_one(batch)
        self._pending = []
        return self._succeeded()

    def _as_new(self, change: Change) -> Change | None:
        """A change to a record the database no longer has (it was restored from a backup
        made before the record existed), made into that whole record from the working copy,
        so what the reviewer typed is saved rather than lost; None if the copy lacks it."""
        record = self.records.get(change.table, {}).get(change.record_id)
        if record is None:
            return None
        values = {k: v for k, v in {**record, **change.values}.items() if k not in PROTECTED}
        return Change(change.table, change.record_id, {}, values)

    def _save_one_by_one(self, batch: list[Change]) -> bool:
        left: list[Change] = []
        for n, change in enumerate(batch):
            try:
                try:
                    save_changes(self.db, [change])
                except NotFoundError:
                    whole = self._as_new(change)
                    if whole is None:
                        raise
                    save_changes(self.db, [whole])
            except NotFoundError as exc:
                self._set_aside(change, exc)
            except NexusError as err:
                self._pending = left + batch[n:]
                return self._failed(str(err))
            except Exception as exc:
                left.append(change)
                self.record_refused.emit(exc)
        self._pending = left
        if left:
            what = left[0].table.replace("_", " ")
            return self._failed(f"The database refused to save a change (to the {what} records).")
        return self._succeeded()

    def _set_aside(self, change: Change, exc: NexusError) -> None:
        """A change that can never be saved (its record is gone and the program has no copy of
        it) is written to a file of its own and leaves the queue, so it blocks nothing."""
        try:
            where = unsaved.set_aside(self.journal_key, self.visit_id, change)
        except OSError as err:
            log.error("a change whose record is gone could not be set aside: %s (%s)", change, err)
            self.record_refused.emit(exc)
            return
        self.set_aside.emit(
            f"A change to a record that is no longer in the database was kept in {where}."
        )

    def _failed(self, reason: str) -> bool:
        self.last_error = reason
        log.warning("autosave failed, will retry: %s", reason)
        self.keep_unsaved()
        self._timer.start(RETRY_MS)
        self.save_failed.emit(reason)
        return False

    def _succeeded(self) -> bool:
        self.last_error = ""
        unsaved.forget(self.journal_key, self.visit_id)
        self.last_saved = dt.datetime.now()
        self.saved.emit(self.last_saved)
        if self._pending:
            self._timer.start(self._autosave_ms)
        return not self._pending
