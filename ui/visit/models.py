"""Qt models over the open visit's records: the evidence log and the next steps, and what the
visit's models share (their roles, times typed as text, the flags and titles of their editable
tables).

They read the open visit's working copy (:class:`ui.visit.session.VisitSession`) and write every
edit back through it, so undo, redo and autosave cover table edits as they cover typing. A
learning walk's classrooms are in :mod:`ui.visit.drop_in_model`, the judgements in
:mod:`ui.visit.judgement_model`; the visit list's models in :mod:`ui.visit_list_model`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from nexus_review.domain.calendar import half_a_term_after, parse_typed_date
from nexus_review.domain.enums import (
    ActionStatus,
    EvidenceKind,
    label_of,
)
from nexus_review.domain.working_copy import (
    ActionField,
    EvidenceField,
    ListOrder,
    Record,
    Table,
    VisitField,
)
from ui.visit.session import VisitSession

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2  # [(key, label)] an editor offers
ID_ROLE = Qt.ItemDataRole.UserRole + 3
DEFAULT_DATE_ROLE = Qt.ItemDataRole.UserRole + 4  # the date an empty date cell's editor starts from

AGREED = QColor("#2e7d32")
HIGHER = QColor("#1565c0")
LOWER = QColor("#c62828")


def time_text(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def parse_time(text: str) -> dt.time | None:
    """ "9:05", "09:05", "0905" or "9.05" as a time; empty for none."""
    text = text.strip().replace(".", ":")
    if not text:
        return None
    if ":" not in text and text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        hours, minutes = (int(p) for p in text.split(":", 1))
        return dt.time(hours, minutes)
    except ValueError:
        return None


# ---------------------------------------------------------------------------- the evidence log


def evidence_title(row: dict[str, Any]) -> str:
    kind = label_of(EvidenceKind, row.get(EvidenceField.KIND) or "")
    when = time_text(row.get(EvidenceField.TIME_IN))
    place = (EvidenceField.YEAR_GROUP, EvidenceField.CLASS_NAME, EvidenceField.SUBJECT)
    where = ", ".join(x for x in (row.get(f) for f in place) if x)
    who = row.get(EvidenceField.WHO_WHAT) or ""
    detail = where or who
    return " ".join(x for x in (when, kind) if x) + (f" – {detail}" if detail else "")


if TYPE_CHECKING:  # the Qt model each of these is mixed into

    class _ModelBase(QAbstractItemModel): ...

else:
    _ModelBase = object


class _VisitRecords(_ModelBase):
    """What the evidence and next-steps models share: the ids of one table's live records of
    the open visit, reloaded when a record appears, goes or moves, and a changed row repainted."""

    TABLE: Table
    session: VisitSession
    _ids: list[str]

    def _watch(self, session: VisitSession) -> None:
        self.session = session
        self._ids = []
        self.reload()
        session.changed.connect(self._on_session_changed)

    def reload(self) -> None:
        self.beginResetModel()
        self._ids = [r[Record.ID] for r in self.session.rows(self.TABLE)]
        self.endResetModel()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table != self.TABLE:
            return
        if field in ("", Record.DELETED, ListOrder.POSITION):
            self.reload()
        elif record_id in self._ids:
            row = self._ids.index(record_id)
            last = self.columnCount() - 1 if isinstance(self, QAbstractTableModel) else 0
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class EditableTable(_ModelBase):
    """What the visit's editable tables share: every cell can be chosen and edited, their
    column titles stand across the top, and row numbers down the side where ``ROW_NUMBERS``."""

    HEADERS: tuple[str, ...] = ()
    ROW_NUMBERS = False

    def column_titles(self) -> Sequence[str]:
        return self.HEADERS

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            titles = self.column_titles()
            return titles[section] if 0 <= section < len(titles) else None
        return str(section + 1) if self.ROW_NUMBERS else None


class EvidenceListModel(_VisitRecords, QAbstractListModel):
    """The visit's evidence log, in the order it was gathered."""

    TABLE = Table.EVIDENCE

    def __init__(self, session: VisitSession) -> None:
        QAbstractListModel.__init__(self)
        self._watch(session)

    def evidence_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, evidence_id: str) -> int:
        return self._ids.index(evidence_id) if evidence_id in self._ids else -1

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        record = self.session.record(Table.EVIDENCE, self._ids[index.row()])
        if role == DISPLAY:
            return evidence_title(record)
        if role == ID_ROLE:
            return record[Record.ID]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (record.get(EvidenceField.NOTES) or "")[:300]
        return None


# ---------------------------------------------------------------------------- next steps


class ActionTableModel(_VisitRecords, EditableTable, QAbstractTableModel):
    """The agreed next steps: action, owner, by when, status."""

    HEADERS = ("Agreed next step", "Owner", "By when", "Status")
    FIELDS = (
        ActionField.DESCRIPTION,
        ActionField.OWNER,
        ActionField.DUE_DATE,
        ActionField.STATUS,
    )
    TABLE = Table.ACTION

    def __init__(self, session: VisitSession) -> None:
        QAbstractTableModel.__init__(self)
        self._watch(session)

    def action_id(self, row: int) -> str:
        return self._ids[row]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        record = self.session.record(Table.ACTION, self._ids[index.row()])
        field = self.FIELDS[index.column()]
        value = record.get(field)
        if field == ActionField.DUE_DATE:
            if role == DISPLAY:
                return value.strftime("%d %b %Y") if value else ""
            if role == EDIT:
                return value.isoformat() if value else ""
            if role == DEFAULT_DATE_ROLE:
                return half_a_term_after(self.session.visit[VisitField.VISIT_DATE])
            return None
        if field == ActionField.STATUS:
            if role == DISPLAY:
                return label_of(ActionStatus, value or "open")
            if role == EDIT:
                return value or "open"
            if role == CHOICES_ROLE:
                return [(s.value, s.label) for s in ActionStatus]
            return None
        if role in (DISPLAY, EDIT):
            return value or ""
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != EDIT:
            return False
        field = self.FIELDS[index.column()]
        if field == ActionField.DUE_DATE:
            try:
                value = parse_typed_date(str(value))
            except ValueError:
                return False
        else:
            value = str(value)
        self.session.edit(
            Table.ACTION, self._ids[index.row()], field, value, text="Edit a next step", merge=False
        )
        return True
