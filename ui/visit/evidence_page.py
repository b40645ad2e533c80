"""The evidence log: the list of a visit's evidence and the form of the one selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import EvidenceKind
from nexus_review.domain.working_copy import Table
from nexus_review.usecases import editing
from ui.visit.common import QUICK_ADD, now_minute
from ui.visit.evidence_form import EvidenceForm
from ui.visit.models import EvidenceListModel
from ui.visit.session import VisitSession


class EvidencePage(QWidget):
    """The evidence log: quick-add buttons, the list, and the chosen piece's form."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        # The evidence the list's current-row signal last filled the form with.
        self._filled: str | None = None
        bar = QHBoxLayout()
        self.add_actions: dict[EvidenceKind, QAction] = {}
        for kind, shortcut in QUICK_ADD:
            action = QAction(kind.label, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"Add a {kind.label.lower()} ({shortcut})")
            action.triggered.connect(lambda _checked=False, k=kind: self.add_evidence(k))
            self.addAction(action)
            self.add_actions[kind] = action
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected evidence (Undo brings it back)")
        self.delete_button.clicked.connect(self.delete_selected)
        bar.addWidget(self.delete_button)
        self.model = EvidenceListModel(session)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setMinimumWidth(260)
        self.list.setWordWrap(True)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        delete = QAction("Delete evidence", self.list)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.list.addAction(delete)
        self.form = EvidenceForm(session)
        self.empty = QLabel(
            "No evidence yet. Add a lesson observation (Ctrl+1), a learning walk (Ctrl+2) or another activity with the buttons above."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroller = QScrollArea()
        scroller.setWidget(self.form)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scroller)
        self.form_page = scroller
        self.splitter = QSplitter()
        self.splitter.setObjectName("evidence-splitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter)
        self.model.modelReset.connect(self._after_reset)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        if self.model.rowCount():
            self.select(self.model.evidence_id(0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.list.selectionModel().hasSelection())

    def add_evidence(self, kind: EvidenceKind) -> str:
        evidence_id = self.session.apply(
            editing.add_evidence(self.session.records, self.session.visit_id, kind, now_minute())
        )
        self.select(evidence_id)
        self.show_form_top()
        return evidence_id

    def show_form_top(self) -> None:
        """The form scrolled to its top, with the cursor in its first field, so what the
        reviewer types next lands where they can see it."""
        first = self.form.first_field()
        self.form_page.verticalScrollBar().setValue(0)
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        # Once the layout has settled (fields shown or hidden for this kind), the top again.
        QTimer.singleShot(0, lambda: self.form_page.verticalScrollBar().setValue(0))

    def select(self, evidence_id: str) -> None:
        row = self.model.row_of(evidence_id)
        if row >= 0:
            self._filled = None
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            if self._filled != evidence_id:  # the list's current row was this one already
                self.form.set_evidence(evidence_id)
            self.stack.setCurrentWidget(self.form_page)

    def delete_selected(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.session.delete(
                Table.EVIDENCE, self.model.evidence_id(index.row()), text="Delete evidence"
            )

    def _on_current_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self._filled = self.model.evidence_id(current.row())
            self.form.set_evidence(self._filled)
            self.stack.setCurrentWidget(self.form_page)

    def _after_reset(self) -> None:
        current = self.form.evidence_id
        if current and self.model.row_of(current) >= 0:
            self.select(current)
        elif self.model.rowCount():
            self.select(self.model.evidence_id(self.model.rowCount() - 1))
        else:
            self.form.set_evidence(None)
            self.stack.setCurrentWidget(self.empty)
