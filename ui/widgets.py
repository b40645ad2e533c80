"""Small building blocks: item delegates and the binding of a form field to the open visit.

A bound field writes every change through the visit session (undo, autosave) and shows
changes that arrive from elsewhere (undo, redo) without writing them back again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTime,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QWidget,
)

from nexus_review.domain.working_copy import Field, Table
from ui.visit.models import CHOICES_ROLE, DEFAULT_DATE_ROLE
from ui.visit.session import VisitSession

Index = QModelIndex | QPersistentModelIndex


class _NoWheel(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel:
            event.ignore()
            parent = watched.parent() if isinstance(watched, QWidget) else None
            if isinstance(parent, QWidget):  # the form around it scrolls instead
                QApplication.sendEvent(parent, event)
            return True
        return False


def quiet_wheel(*widgets: QWidget) -> None:
    """The mouse wheel over these boxes (a time, a date, a count) scrolls the form around them
    and changes nothing: a reviewer scrolling a form never alters a value unseen."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_NoWheel(widget))


class QuietComboBox(QComboBox):
    """A combo box the mouse wheel never changes (see :func:`quiet_wheel`): turning the wheel
    over a grade while scrolling a form scrolls the form, as a reviewer expects."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        quiet_wheel(self)


def _move_current(editor: QWidget, rows: int) -> None:
    """Make the cell ``rows`` below (or above) the edited one current, in the same column."""
    parent = editor.parentWidget()
    view = parent.parentWidget() if parent is not None else None
    if not isinstance(view, QAbstractItemView):
        return
    current = view.currentIndex()
    target = current.sibling(current.row() + rows, current.column())
    if target.isValid():
        view.setCurrentIndex(target)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of the (key, label) choices the model offers for a cell. Picking a choice
    saves it and closes the editor; the arrow keys move to the row above or below (they do
    not change the choice) unless the list is open; the wheel changes nothing."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QuietComboBox(parent)
        for key, label in index.data(CHOICES_ROLE) or []:
            combo.addItem(label, key)
        combo.activated.connect(lambda _i: self._on_combo_activated(combo))
        return combo

    def _on_combo_activated(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            isinstance(editor, QComboBox)
            and event.type() == QEvent.Type.KeyPress
            and not editor.view().isVisible()
        ):
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                _move_current(editor, step)
                return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        pos = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(pos, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class _OnScreen(QObject):
    """Moves a pop-up back inside its screen's free area whenever it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.screen() is not None
        ):
            free = watched.screen().availableGeometry()
            frame = watched.frameGeometry()
            x = min(max(frame.left(), free.left()), free.right() - frame.width() + 1)
            y = min(max(frame.top(), free.top()), free.bottom() - frame.height() + 1)
            if (x, y) != (frame.left(), frame.top()):
                watched.move(watched.pos() + QPoint(x - frame.left(), y - frame.top()))
        return False


def keep_calendar_on_screen(editor: QDateEdit) -> QDateEdit:
    """A date box whose calendar pop-up always opens wholly on screen, at full size, even in
    a table cell at the edge of a small laptop screen."""
    editor.setCalendarPopup(True)
    calendar = editor.calendarWidget()
    calendar.setGridVisible(True)
    calendar.setMinimumSize(calendar.sizeHint())
    keeper = _OnScreen(editor)
    calendar.window().installEventFilter(keeper)
    return editor


class DateDelegate(QStyledItemDelegate):
    """A date cell: type the date (15/01/2027, 15 Jan 2027, 2027-01-15) or pick it from a
    calendar that opens below the cell and is kept on screen. An empty cell starts from the
    date the model suggests."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("dd/MM/yyyy")
        editor.setToolTip("Type a date such as 15/01/2027, or open the calendar")
        return keep_calendar_on_screen(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        suggested = index.data(DEFAULT_DATE_ROLE)
        day = dt.date.fromisoformat(text) if text else suggested or dt.date.today()
        editor.setDate(QDate(day.year, day.month, day.day))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(
            index, editor.date().toString(Qt.DateFormat.ISODate), Qt.ItemDataRole.EditRole
        )


def to_qtime(value: dt.time | None) -> QTime:
    return QTime(value.hour, value.minute) if value else QTime()


class FieldBinder(QObject):
    """Binds form widgets to fields of one record of the open visit; the record can change
    (another piece of evidence selected) and the widgets follow."""

    def __init__(self, session: VisitSession, table: Table, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = table
        self.record_id: str | None = None
        self._fields: dict[str, tuple[QWidget, Callable[[Any], None], str]] = {}
        self._loading = False
        session.changed.connect(self._on_session_changed)

    def _write(self, field: Field, value: Any, merge: bool = True, label: str = "") -> None:
        if self._loading or self.record_id is None:
            return
        self.session.edit(
            self.table,
            self.record_id,
            field,
            value,
            text=label or f"Edit {field.replace('_', ' ')}",
            merge=merge,
        )

    def text(self, widget: QLineEdit | QPlainTextEdit, field: Field, label: str = "") -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setUndoRedoEnabled(False)  # undo covers the whole visit instead

            def show(value: Any) -> None:
                if widget.toPlainText() != (value or ""):
                    widget.setPlainText(value or "")
                    widget.moveCursor(widget.textCursor().MoveOperation.End)

            widget.textChanged.connect(
                lambda: self._write(field, widget.toPlainText(), label=label)
            )
        else:

            def show(value: Any) -> None:
                if widget.text() != (value or ""):
                    widget.setText(value or "")

            widget.textEdited.connect(lambda t: self._write(field, t, label=label))
        self._fields[field] = (widget, show, "text")

    def time(self, widget: QTimeEdit, field: Field) -> None:
        def show(value: Any) -> None:
            widget.setTime(to_qtime(value) if value else QTime(0, 0))

        def changed(qtime: QTime) -> None:
            value = None if qtime == QTime(0, 0) else dt.time(qtime.hour(), qtime.minute())
            self._write(field, value, merge=True)

        widget.timeChanged.connect(changed)
        self._fields[field] = (widget, show, "time")

    def number(self, widget: QSpinBox, field: Field) -> None:
        def show(value: Any) -> None:
            widget.setValue(int(value or 0))

        widget.valueChanged.connect(lambda v: self._write(field, int(v) or None))
        self._fields[field] = (widget, show, "number")

    def choice(self, widget: QComboBox, field: Field) -> None:
        def show(value: Any) -> None:
            pos = widget.findData(value)
            widget.setCurrentIndex(max(pos, 0))

        widget.activated.connect(lambda _i: self._write(field, widget.currentData(), merge=False))
        self._fields[field] = (widget, show, "choice")

    def set_record(self, record_id: str | None) -> None:
        self.record_id = record_id
        self._loading = True
        try:
            record = self.session.record(self.table, record_id) if record_id else {}
            for field, (widget, show, _kind) in self._fields.items():
                widget.setEnabled(record_id is not None)
                show(record.get(field))
        finally:
            self._loading = False

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table != self.table or record_id != self.record_id or field not in self._fields:
            return
        self._loading = True
        try:
            self._fields[field][1](self.session.record(self.table, record_id).get(field))
        finally:
            self._loading = False


def table_item(text: str, data: Any = None, editable: bool = False) -> QTableWidgetItem:
    """A cell of a table the network screens fill: read-only unless asked, with its record's
    id (or other data) kept under the user role."""
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def row_table(headers: list[str]) -> QTableWidget:
    """A read-only table chosen by whole rows, with no row numbers."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    return table


def fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Put these rows of words in the table, sized to them, the last column stretched."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
