"""The dialog that picks the evidence a judgement rests on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.working_copy import Record, Table
from ui.visit.models import evidence_title
from ui.visit.session import VisitSession


class EvidencePickerDialog(QDialog):
    """Tick the evidence that supports a judgement."""

    def __init__(
        self, session: VisitSession, chosen: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link evidence")
        self.list = QListWidget()
        for row in session.rows(Table.EVIDENCE):
            item = QListWidgetItem(evidence_title(row))
            item.setData(Qt.ItemDataRole.UserRole, row[Record.ID])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if row[Record.ID] in chosen else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The evidence that supports this judgement:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(480, 360)

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
