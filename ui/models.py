"""Qt models over the open visit's records: the evidence log, a learning walk's classrooms,
the judgements and the next steps. (The visit list's models are in ``ui.visit_list_model``.)

They read the open visit's working copy (:class:`ui.editing.VisitSession`) and write every edit back through it, so undo,
redo and autosave cover table edits as they cover typing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from nexus_review.domain.calendar import half_a_term_after, parse_typed_date
from nexus_review.domain.enums import (
    ActionStatus,
    EvidenceKind,
    LookForResult,
    label_of,
)
from nexus_review.frameworks import (
    Area,
    Framework,
    applicable_areas,
    area_applies,
    focus_areas_by_key,
    focus_title,
    is_focus_key,
)
from nexus_review.usecases import visits
from ui.editing import VisitSession

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


def _time_text(value: dt.time | None) -> str:
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
    kind = label_of(EvidenceKind, row.get("kind") or "")
    when = _time_text(row.get("time_in"))
    where = ", ".join(
        x for x in (row.get("year_group"), row.get("class_name"), row.get("subject")) if x
    )
    who = row.get("who_what") or ""
    detail = where or who
    return " ".join(x for x in (when, kind) if x) + (f" – {detail}" if detail else "")


if TYPE_CHECKING:  # the Qt model each of these is mixed into

    class _ModelBase(QAbstractItemModel): ...

else:
    _ModelBase = object


class _VisitRecords(_ModelBase):
    """What the evidence and next-steps models share: the ids of one table's live records of
    the open visit, reloaded when a record appears, goes or moves, and a changed row repainted."""

    TABLE = ""
    session: VisitSession
    _ids: list[str]

    def _watch(self, session: VisitSession) -> None:
        self.session = session
        self._ids = []
        self.reload()
        session.changed.connect(self._on_session_changed)

    def reload(self) -> None:
        self.beginResetModel()
        self._ids = [r["id"] for r in self.session.rows(self.TABLE)]
        self.endResetModel()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table != self.TABLE:
            return
        if field in ("", "deleted", "position"):
            self.reload()
        elif record_id in self._ids:
            row = self._ids.index(record_id)
            last = self.columnCount() - 1 if isinstance(self, QAbstractTableModel) else 0
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class EvidenceListModel(_VisitRecords, QAbstractListModel):
    """The visit's evidence log, in the order it was gathered."""

    TABLE = "evidence"

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
        record = self.session.record("evidence", self._ids[index.row()])
        if role == DISPLAY:
            return evidence_title(record)
        if role == ID_ROLE:
            return record["id"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (record.get("notes") or "")[:300]
        return None


class DropInTableModel(QAbstractTableModel):
    """The classrooms of one learning walk: class, year, time, each look-for, a note."""

    FIXED = ("Class", "Year group", "Time")

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
        if self.evidence_id and self.evidence_id in self.session.records["evidence"]:
            self._ids = [
                r["id"]
                for r in self.session.rows(
                    "drop_in", lambda r: r["evidence_id"] == self.evidence_id
                )
            ]
            self.look_fors = [
                str(x) for x in self.session.value("evidence", self.evidence_id, "look_fors") or []
            ]
        else:
            self._ids, self.look_fors = [], []
        self.endResetModel()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table == "evidence" and record_id == self.evidence_id and field == "look_fors":
            self.reload()
        elif table == "drop_in":
            if field in ("", "deleted"):
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

    def _field(self, col: int) -> tuple[str, str | None]:
        if col < len(self.FIXED):
            return ("class_name", "year_group", "time")[col], None
        if col < len(self.FIXED) + len(self.look_fors):
            return "look_for_results", self.look_fors[col - len(self.FIXED)]
        return "note", None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        record = self.session.record("drop_in", self._ids[index.row()])
        field, look_for = self._field(index.column())
        if look_for is not None:
            result = (record.get("look_for_results") or {}).get(look_for, "")
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
            return _time_text(value) if field == "time" else (value or "")
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != EDIT:
            return False
        drop_in_id = self._ids[index.row()]
        field, look_for = self._field(index.column())
        if look_for is not None:
            results = dict(self.session.value("drop_in", drop_in_id, "look_for_results") or {})
            if value:
                results[look_for] = str(value)
            else:
                results.pop(look_for, None)
            self.session.edit(
                "drop_in",
                drop_in_id,
                "look_for_results",
                results,
                text="Mark a look-for",
                merge=False,
            )
        elif field == "time":
            self.session.edit("drop_in", drop_in_id, "time", parse_time(str(value)), merge=False)
        else:
            self.session.edit(
                "drop_in",
                drop_in_id,
                field,
                str(value),
                text=f"Edit drop-in {field.replace('_', ' ')}",
                merge=False,
            )
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            if section < len(self.FIXED):
                return self.FIXED[section]
            if section < len(self.FIXED) + len(self.look_fors):
                return self.look_fors[section - len(self.FIXED)]
            return "Note"
        if orientation == Qt.Orientation.Vertical and role == DISPLAY:
            return str(section + 1)
        return None


# ---------------------------------------------------------------------------- judgements


def host_phase(session: VisitSession) -> str:
    """The host school's phase ("Primary", "Junior"…): it says which areas apply."""
    return visits.host_phase(session.db, session.visit.get("host_school_id"))


def _has_content(judgement: dict[str, Any]) -> bool:
    return bool(
        judgement.get("peer_grade")
        or judgement.get("self_grade")
        or (judgement.get("rationale") or "").strip()
        or judgement.get("evidence_ids")
    )


class JudgementTableModel(QAbstractTableModel):
    """One row per area of the framework that applies to the host school (safeguarding last),
    then one per agreed focus area: the school's own grade, the peer grade, agreement at a
    glance, the rationale and how many pieces of evidence support it. An area already judged
    keeps its row even where the school's phase would leave it out."""

    HEADERS = (
        "Area",
        "School's self-evaluation",
        "Peer judgement",
        "Agreement",
        "Rationale",
        "Evidence",
    )
    SELF, PEER, AGREEMENT, RATIONALE, EVIDENCE = 1, 2, 3, 4, 5

    def __init__(self, session: VisitSession, framework: Framework) -> None:
        super().__init__()
        self.session = session
        self.framework = framework
        self.phase = host_phase(session)
        self._kept: set[str] = set()
        self.areas: list[Area] = self._rows()
        session.changed.connect(self._on_session_changed)

    def set_framework(self, framework: Framework) -> None:
        self.beginResetModel()
        self.framework = framework
        self.areas = self._rows()
        self.endResetModel()

    def _rows(self) -> list[Area]:
        # A row kept for what was written in it stays while the visit is open, even once its
        # grade or rationale is cleared: a row never vanishes under the reviewer's cursor.
        self._kept.update(j["area_key"] for j in self.session.rows("judgement") if _has_content(j))
        judged = sorted(self._kept)
        framework_rows = list(applicable_areas(self.framework, self.phase, judged))
        agreed = focus_areas_by_key(list(self.session.visit.get("focus_areas") or []))
        focus_rows = [Area(key, title) for key, title in agreed.items()]
        # A focus area taken off the list keeps its row while its judgement holds anything.
        for key in judged:
            if is_focus_key(key) and key not in agreed and all(a.key != key for a in focus_rows):
                focus_rows.append(Area(key, focus_title(key)))
        return framework_rows + focus_rows

    def is_focus_row(self, row: int) -> bool:
        return 0 <= row < len(self.areas) and is_focus_key(self.areas[row].key)

    def _refresh(self) -> None:
        rows = self._rows()
        if rows != self.areas:
            self.beginResetModel()
            self.areas = rows
            self.endResetModel()
        elif self.areas:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.areas) - 1, len(self.HEADERS) - 1)
            )

    def judgement_for(self, area_key: str) -> dict[str, Any] | None:
        return next((j for j in self.session.rows("judgement") if j["area_key"] == area_key), None)

    def ensure_judgement(self, area_key: str) -> str:
        found = self.judgement_for(area_key)
        if found is not None:
            return str(found["id"])
        return self.session.add(
            "judgement",
            {"visit_id": self.session.visit_id, "area_key": area_key, "evidence_ids": []},
            text="Add a judgement",
        )

    def _on_session_changed(self, table: str, _record_id: str, field: str) -> None:
        if table == "visit" and field == "host_school_id":
            self.phase = host_phase(self.session)
        if table == "judgement" or (
            table == "visit" and field in ("focus_areas", "host_school_id")
        ):
            self._refresh()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.areas)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def agreement(self, area_key: str) -> int | None:
        j = self.judgement_for(area_key)
        if j is None:
            return None
        return self.framework.compare(area_key, j.get("peer_grade"), j.get("self_grade"))

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.areas):
            return None
        area = self.areas[index.row()]
        j = self.judgement_for(area.key) or {}
        col = index.column()
        if col == 0:
            if role == DISPLAY and is_focus_key(area.key):
                return f"Focus area: {area.name}"
            if role == DISPLAY:
                # "(where relevant)" only where the school's phase cannot say.
                unsure = area.where_relevant and area_applies(area, self.phase) is None
                return area.name + (" (where relevant)" if unsure else "")
            if role == Qt.ItemDataRole.ToolTipRole and is_focus_key(area.key):
                return "An agreed focus area of this visit (on the Plan page)"
            return None
        if col in (self.SELF, self.PEER):
            key = j.get("self_grade" if col == self.SELF else "peer_grade")
            if role == DISPLAY:
                return self.framework.grade_label(area.key, key)
            if role == EDIT:
                return key or ""
            if role == CHOICES_ROLE:
                return [("", "–")] + [(g.key, g.label) for g in self.framework.scale_for(area.key)]
            return None
        if col == self.AGREEMENT:
            order = self.agreement(area.key)
            if role == DISPLAY:
                return {None: "", 0: "✓ Agreed", 1: "▲ Peer higher", -1: "▼ Peer lower"}[order]
            if role == Qt.ItemDataRole.ForegroundRole and order is not None:
                return QBrush({0: AGREED, 1: HIGHER, -1: LOWER}[order])
            return None
        if col == self.RATIONALE:
            if role in (DISPLAY, EDIT):
                return j.get("rationale") or ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return j.get("rationale") or None
            return None
        if col == self.EVIDENCE and role == DISPLAY:
            n = len(j.get("evidence_ids") or [])
            return f"{n} linked" if n else ""
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if (
            not index.isValid()
            or role != EDIT
            or index.column() not in (self.SELF, self.PEER, self.RATIONALE)
        ):
            return False
        area = self.areas[index.row()]
        field = {self.SELF: "self_grade", self.PEER: "peer_grade", self.RATIONALE: "rationale"}[
            index.column()
        ]
        value = (str(value) or None) if field != "rationale" else str(value)
        self.session.begin_macro(f"Judge {area.name}")
        judgement_id = self.ensure_judgement(area.key)
        self.session.edit("judgement", judgement_id, field, value, merge=False)
        self.session.end_macro()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (self.SELF, self.PEER, self.RATIONALE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.HEADERS[section]
        return None


# ---------------------------------------------------------------------------- next steps


class ActionTableModel(_VisitRecords, QAbstractTableModel):
    """The agreed next steps: action, owner, by when, status."""

    HEADERS = ("Agreed next step", "Owner", "By when", "Status")
    FIELDS = ("description", "owner", "due_date", "status")
    TABLE = "action"

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
        record = self.session.record("action", self._ids[index.row()])
        field = self.FIELDS[index.column()]
        value = record.get(field)
        if field == "due_date":
            if role == DISPLAY:
                return value.strftime("%d %b %Y") if value else ""
            if role == EDIT:
                return value.isoformat() if value else ""
            if role == DEFAULT_DATE_ROLE:
                return half_a_term_after(self.session.visit["visit_date"])
            return None
        if field == "status":
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
        if field == "due_date":
            try:
                value = parse_typed_date(str(value))
            except ValueError:
                return False
        else:
            value = str(value)
        self.session.edit(
            "action", self._ids[index.row()], field, value, text="Edit a next step", merge=False
        )
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.HEADERS[section]
        return None
