"""The judgements of a visit as a table: an evaluation area a row, with the school's own grade beside the reviewers'."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    Qt,
)
from PySide6.QtGui import QBrush

from nexus_review.domain.working_copy import JudgementField, Record, Table, VisitField
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
from ui.visit.models import (
    AGREED,
    CHOICES_ROLE,
    DISPLAY,
    EDIT,
    HIGHER,
    LOWER,
    ROOT,
    Index,
)
from ui.visit.session import VisitSession

# ---------------------------------------------------------------------------- judgements


def host_phase(session: VisitSession) -> str:
    """The host school's phase ("Primary", "Junior"…): it says which areas apply."""
    return visits.host_phase(session.db, session.visit.get(VisitField.HOST_SCHOOL_ID))


def _has_content(judgement: dict[str, Any]) -> bool:
    return bool(
        judgement.get(JudgementField.PEER_GRADE)
        or judgement.get(JudgementField.SELF_GRADE)
        or (judgement.get(JudgementField.RATIONALE) or "").strip()
        or judgement.get(JudgementField.EVIDENCE_IDS)
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
        self._kept.update(
            j[JudgementField.AREA_KEY]
            for j in self.session.rows(Table.JUDGEMENT)
            if _has_content(j)
        )
        judged = sorted(self._kept)
        framework_rows = list(applicable_areas(self.framework, self.phase, judged))
        agreed = focus_areas_by_key(list(self.session.visit.get(VisitField.FOCUS_AREAS) or []))
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
        return next(
            (
                j
                for j in self.session.rows(Table.JUDGEMENT)
                if j[JudgementField.AREA_KEY] == area_key
            ),
            None,
        )

    def ensure_judgement(self, area_key: str) -> str:
        found = self.judgement_for(area_key)
        if found is not None:
            return str(found[Record.ID])
        return self.session.add(
            Table.JUDGEMENT,
            {
                JudgementField.VISIT_ID: self.session.visit_id,
                JudgementField.AREA_KEY: area_key,
                JudgementField.EVIDENCE_IDS: [],
            },
            text="Add a judgement",
        )

    def _on_session_changed(self, table: str, _record_id: str, field: str) -> None:
        if table == Table.VISIT and field == VisitField.HOST_SCHOOL_ID:
            self.phase = host_phase(self.session)
        if table == Table.JUDGEMENT or (
            table == Table.VISIT and field in (VisitField.FOCUS_AREAS, VisitField.HOST_SCHOOL_ID)
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
        return self.framework.compare(
            area_key, j.get(JudgementField.PEER_GRADE), j.get(JudgementField.SELF_GRADE)
        )

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
            key = j.get(
                JudgementField.SELF_GRADE if col == self.SELF else JudgementField.PEER_GRADE
            )
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
                return j.get(JudgementField.RATIONALE) or ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return j.get(JudgementField.RATIONALE) or None
            return None
        if col == self.EVIDENCE and role == DISPLAY:
            n = len(j.get(JudgementField.EVIDENCE_IDS) or [])
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
        field = {
            self.SELF: JudgementField.SELF_GRADE,
            self.PEER: JudgementField.PEER_GRADE,
            self.RATIONALE: JudgementField.RATIONALE,
        }[index.column()]
        value = (str(value) or None) if field != JudgementField.RATIONALE else str(value)
        self.session.begin_macro(f"Judge {area.name}")
        judgement_id = self.ensure_judgement(area.key)
        self.session.edit(Table.JUDGEMENT, judgement_id, field, value, merge=False)
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
