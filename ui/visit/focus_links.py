"""The list of focus areas a piece of evidence is linked to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
)

from nexus_review.domain.working_copy import EvidenceField, Table, VisitField
from ui.visit.session import VisitSession


class FocusLinks(QListWidget):
    """The visit's focus areas, ticked where a piece of evidence speaks to them."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.evidence_id: str | None = None
        self.setMaximumHeight(90)
        self._loading = False
        self.itemChanged.connect(self._on_item_changed)
        session.changed.connect(self._on_session_changed)

    def set_evidence(self, evidence_id: str | None) -> None:
        self.evidence_id = evidence_id
        self.reload()

    def reload(self) -> None:
        self._loading = True
        self.clear()
        linked = (
            set(
                self.session.value(Table.EVIDENCE, self.evidence_id, EvidenceField.FOCUS_LINKS)
                or []
            )
            if self.evidence_id
            else set()
        )
        agreed = list(self.session.visit.get(VisitField.FOCUS_AREAS) or [])
        for focus in agreed + sorted(linked - set(agreed)):
            item = QListWidgetItem(str(focus))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if focus in linked else Qt.CheckState.Unchecked
            )
            self.addItem(item)
        self._loading = False

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if self._loading or not self.evidence_id:
            return
        ticked = [
            self.item(i).text()
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]
        self.session.edit(
            Table.EVIDENCE,
            self.evidence_id,
            EvidenceField.FOCUS_LINKS,
            ticked,
            text="Link evidence to a focus area",
            merge=False,
        )

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (table == Table.VISIT and field == VisitField.FOCUS_AREAS) or (
            table == Table.EVIDENCE
            and record_id == self.evidence_id
            and field == EvidenceField.FOCUS_LINKS
        ):
            self.reload()
