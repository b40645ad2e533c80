"""A learning walk's classrooms as a table: time, year group, subject, look-fors seen, notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from nexus_review.domain.enums import (
    LookForResult,
    label_of,
)
from nexus_review.domain.working_copy import DropInField, EvidenceField, Record, Table
from ui.visit.models import (
    AGREED,
    CHOICES_ROLE,
    DISPLAY,
    EDIT,
    LOWER,
    ROOT,
    EditableTable,
    Index,
    parse_time,
    time_text,
)
from ui.visit.session import VisitSession


class DropInTableModel(EditableTable, QAbstractTableModel):
    """The classrooms of one learning walk: class, year, time, each look-for, a note."""

    FIXED = ("Class", "Year group", "Time")
    ROW_NUMBERS = True

    def __init__(self, session: VisitSession, evidence_id: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.evidence_id = evidence_id
        self._ids: list[str] = []
        self.look_fors: list[str] = []
        self.reload()
        session.changed.connect(self._on_session_changed)

    def set_evidence(self, evidence_id: str | None) -> None:
        self.evidence_id = evidence_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self.evidence_id and self.evidence_id in self.session.records[Table.EVIDENCE]:
            self._ids = [
                r[Record.ID]
                for r in self.session.rows(
                    Table.DROP_IN, lambda r: r[DropInField.EVIDENCE_ID] == self.evidence_id
                )
            ]
            look_fors = self.session.value(
                Table.EVIDENCE, self.evidence_id, EvidenceField.LOOK_FORS
            )
            self.look_fors = [str(x) for x in look_fors or []]
        else:
            self._ids, self.look_fors = [], []
        self.endResetModel()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (
            table == Table.EVIDENCE
            and record_id == self.evidence_id
            and field == EvidenceField.LOOK_FORS
        ):
            self.reload()
        elif table == Table.DROP_IN:
            if field in ("", Record.DELETED):
                self.reload()
            elif record_id in self._ids:
                row = self._ids.index(record_id)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def drop_in_id(self, row: int) -> str:
        return self._ids[row]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.FIXED) + len(self.look_fors) + 1

    def _field(self, col: int) -> tuple[DropInField, str | None]:
        if col < len(self.FIXED):
            return (DropInField.CLASS_NAME, DropInField.YEAR_GROUP, DropInField.TIME)[col], None
        if col < len(self.FIXED) + len(self.look_fors):
            return DropInField.LOOK_FOR_RESULTS, self.look_fors[col - len(self.FIXED)]
        return DropInField.NOTE, None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        record = self.session.record(Table.DROP_IN, self._ids[index.row()])
        field, look_for = self._field(index.column())
        if look_for is not None:
            result = (record.get(DropInField.LOOK_FOR_RESULTS) or {}).get(look_for, "")
            if role == DISPLAY:
                return label_of(LookForResult, result) if result else ""
            if role == EDIT:
                return result
            if role == CHOICES_ROLE:
                return [("", "–")] + [(r.value, r.label) for r in LookForResult]
            if role == Qt.ItemDataRole.ForegroundRole and result:
                return QBrush(
                    {"seen": AGREED, "partly": QColor("#ef6c00"), "not-seen": LOWER}.get(
                        result, QColor("black")
                    )
                )
            return None
        value = record.get(field)
        if role in (DISPLAY, EDIT):
            return time_text(value) if field == DropInField.TIME else (value or "")
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != EDIT:
            return False
        drop_in_id = self._ids[index.row()]
        field, look_for = self._field(index.column())
        if look_for is not None:
            results = dict(
                self.session.value(Table.DROP_IN, drop_in_id, DropInField.LOOK_FOR_RESULTS) or {}
            )
            if value:
                results[look_for] = str(value)
            else:
                results.pop(look_for, None)
            self.session.edit(
                Table.DROP_IN,
                drop_in_id,
                DropInField.LOOK_FOR_RESULTS,
                results,
                text="Mark a look-for",
                merge=False,
            )
        elif field == DropInField.TIME:
            self.session.edit(
                Table.DROP_IN, drop_in_id, DropInField.TIME, parse_time(str(value)), merge=False
            )
        else:
            self.session.edit(
                Table.DROP_IN,
                drop_in_id,
                field,
                str(value),
                text=f"Edit drop-in {field.replace('_', ' ')}",
                merge=False,
            )
        return True

    def column_titles(self) -> list[str]:
        return [*self.FIXED, *self.look_fors, "Note"]
