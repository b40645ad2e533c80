"""The report draft of a visit: summary, strengths, areas for development, next steps."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import VisitStatus
from nexus_review.domain.working_copy import Table, VisitField
from nexus_review.usecases import editing
from ui.visit.common import text_box
from ui.visit.models import ActionTableModel
from ui.visit.session import VisitSession
from ui.widgets import (
    ChoiceDelegate,
    DateDelegate,
    FieldBinder,
    QuietComboBox,
)


class ReportPage(QWidget):
    """The report draft: summary, what went well, even better if, questions, next steps."""

    export_requested = Signal(str)  # "docx" or "pdf"

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, Table.VISIT, self)
        self.status = QuietComboBox()
        for st in VisitStatus:
            self.status.addItem(st.label, st.value)
        self.summary = text_box("A short evaluative summary, in the Ofsted inspection style", 110)
        self.strengths = text_box("What went well, one point per line")
        self.areas = text_box("Even better if, one point per line")
        self.questions = text_box("Thought-provoking questions for the school, one per line")
        self.actions_model = ActionTableModel(session)
        self.actions_table = QTableView()
        self.actions_table.setModel(self.actions_model)
        self.actions_table.setItemDelegateForColumn(2, DateDelegate(self.actions_table))
        self.actions_table.setItemDelegateForColumn(3, ChoiceDelegate(self.actions_table))
        self.actions_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.actions_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.actions_table.setMinimumHeight(120)
        add = QPushButton("Add a next step")
        add.clicked.connect(self.add_action)
        self.add_button = add
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_action)
        self.remove_button = remove
        self.actions_table.setWordWrap(True)
        self.actions_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.actions_model.modelReset.connect(self._update_buttons)
        self.actions_model.rowsRemoved.connect(self._update_buttons)
        self.export_word = QPushButton("Export as Word…")
        self.export_pdf = QPushButton("Export as PDF…")
        self.export_word.clicked.connect(lambda: self.export_requested.emit("docx"))
        self.export_pdf.clicked.connect(lambda: self.export_requested.emit("pdf"))
        top = QHBoxLayout()
        top.addWidget(QLabel("Status"))
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.export_word)
        top.addWidget(self.export_pdf)
        form = QFormLayout()
        form.addRow("Summary", self.summary)
        form.addRow("What went well", self.strengths)
        form.addRow("Even better if", self.areas)
        form.addRow("Thought-provoking questions", self.questions)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form, 3)
        layout.addWidget(QLabel("Agreed next steps"))
        layout.addWidget(self.actions_table, 1)
        layout.addLayout(buttons)
        b = self.binder
        b.choice(self.status, VisitField.STATUS)
        b.text(self.summary, VisitField.SUMMARY)
        b.text(self.strengths, VisitField.STRENGTHS)
        b.text(self.areas, VisitField.AREAS_FOR_DEVELOPMENT)
        b.text(self.questions, VisitField.QUESTIONS)
        b.set_record(session.visit_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(
            self.actions_table.selectionModel().hasSelection() and self.actions_model.rowCount() > 0
        )

    def add_action(self) -> str:
        action_id = self.session.apply(
            editing.add_next_step(self.session.records, self.session.visit_id)
        )
        index = self.actions_model.index(self.actions_model.rowCount() - 1, 0)
        self.actions_table.setCurrentIndex(index)
        self.actions_table.setFocus()
        # Making the new row current has already opened its editor (any edit trigger); asking
        # again only fails with a warning.
        if self.actions_table.state() != QAbstractItemView.State.EditingState:
            self.actions_table.edit(index)
        return action_id

    def remove_action(self) -> None:
        index = self.actions_table.currentIndex()
        if index.isValid():
            self.session.delete(
                Table.ACTION, self.actions_model.action_id(index.row()), text="Remove a next step"
            )
