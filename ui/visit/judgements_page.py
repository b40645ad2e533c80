"""The judgements of a visit: a grade per evaluation area, its rationale and evidence."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.working_copy import JudgementField, Record, Table, VisitField
from nexus_review.frameworks import (
    Framework,
    get_framework,
)
from ui.own_grades_panel import OwnGradesPanel
from ui.visit.common import text_box
from ui.visit.evidence_picker import EvidencePickerDialog
from ui.visit.judgement_model import JudgementTableModel
from ui.visit.models import evidence_title
from ui.visit.session import VisitSession
from ui.widgets import (
    ChoiceDelegate,
)


class JudgementsPage(QWidget):
    """One row per area: the school's grade beside the peer grade, agreement, rationale, evidence."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.framework = get_framework(session.visit[VisitField.FRAMEWORK_KEY])
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.model = JudgementTableModel(session, self.framework)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(JudgementTableModel.SELF, ChoiceDelegate(self.table))
        self.table.setItemDelegateForColumn(JudgementTableModel.PEER, ChoiceDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(JudgementTableModel.RATIONALE, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_area())
        self.area_label = QLabel()
        self.area_label.setStyleSheet("font-weight: 600;")
        self.rationale = text_box(
            "Why the review team reached this judgement, from the evidence", 90
        )
        self.rationale.setUndoRedoEnabled(False)
        self.rationale.textChanged.connect(self._on_rationale_changed)
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(110)
        self.link_button = QPushButton("Link evidence…")
        self.link_button.clicked.connect(self._on_link_button_clicked)
        below = QVBoxLayout()
        below.addWidget(self.area_label)
        below.addWidget(QLabel("Rationale"))
        below.addWidget(self.rationale)
        row = QHBoxLayout()
        row.addWidget(QLabel("Supporting evidence"))
        row.addStretch(1)
        row.addWidget(self.link_button)
        below.addLayout(row)
        below.addWidget(self.evidence_list)
        self.own_grades = OwnGradesPanel(session)
        beside = QHBoxLayout()
        beside.addLayout(below, 3)
        beside.addWidget(self.own_grades, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        layout.addLayout(beside, 2)
        self._loading = False
        self._writing = False
        self._kept_area: str | None = None
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        session.changed.connect(self._on_session_changed)
        self.set_framework(self.framework)
        self.table.selectRow(0)

    def _on_model_about_to_be_reset(self) -> None:
        self._kept_area = self.current_area()

    def _on_model_reset(self) -> None:
        """The rows changed (a focus area agreed, another host school): the same area stays chosen."""
        keys = [a.key for a in self.model.areas]
        self.table.selectRow(keys.index(self._kept_area) if self._kept_area in keys else 0)
        self._show_area()

    def set_framework(self, framework: Framework) -> None:
        self.framework = framework
        self.model.set_framework(framework)
        graded = framework.graded
        for col in (
            JudgementTableModel.SELF,
            JudgementTableModel.PEER,
            JudgementTableModel.AGREEMENT,
        ):
            self.table.setColumnHidden(col, not graded)
        if graded:
            self.title.setText(
                f"{framework.name}. Choose the peer judgement beside the school's own; agreement shows at once. "
                "The visit's agreed focus areas follow the framework's areas."
            )
        else:
            self.title.setText(
                f"{framework.name}: no grades. Note what the evidence shows for each area and for each agreed focus area, and link it."
            )
        self.table.selectRow(0)
        self._show_area()

    def current_area(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.areas):
            return None
        return self.model.areas[index.row()].key

    def _show_area(self) -> None:
        key = self.current_area()
        self._loading = True
        j = self.model.judgement_for(key) if key else None
        row = self.table.currentIndex().row()
        self.area_label.setText(self.model.areas[row].name if key else "")
        text = (j or {}).get(JudgementField.RATIONALE) or ""
        if self.rationale.toPlainText() != text and not self._writing:
            self.rationale.setPlainText(text)
        self.rationale.setEnabled(key is not None)
        self.link_button.setEnabled(key is not None)
        self.evidence_list.clear()
        for eid in (j or {}).get(JudgementField.EVIDENCE_IDS) or []:
            if eid in self.session.records[Table.EVIDENCE] and not self.session.value(
                Table.EVIDENCE, eid, Record.DELETED
            ):
                self.evidence_list.addItem(evidence_title(self.session.record(Table.EVIDENCE, eid)))
        self.own_grades.set_area(key)
        self._loading = False

    def _on_rationale_changed(self) -> None:
        key = self.current_area()
        if self._loading or key is None:
            return
        existing = self.model.judgement_for(key)
        if existing is None:
            # The new judgement appears before its rationale is set: the box being typed in
            # must not be refilled from it in between, or the first letter is lost.
            text = self.rationale.toPlainText()
            self._writing = True
            try:
                self.session.begin_macro("Write a rationale")
                judgement_id = self.model.ensure_judgement(key)
                self.session.edit(
                    Table.JUDGEMENT, judgement_id, JudgementField.RATIONALE, text, merge=False
                )
                self.session.end_macro()
            finally:
                self._writing = False
        else:
            self.session.edit(
                Table.JUDGEMENT,
                existing[Record.ID],
                JudgementField.RATIONALE,
                self.rationale.toPlainText(),
                text="Write a rationale",
            )

    def _on_link_button_clicked(self) -> None:
        """Tick the evidence behind the chosen area's judgement in a dialog."""
        key = self.current_area()
        if key is None:
            return
        current = list((self.model.judgement_for(key) or {}).get(JudgementField.EVIDENCE_IDS) or [])
        dialog = EvidencePickerDialog(self.session, current, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.link_evidence(dialog.chosen())

    def link_evidence(self, chosen: list[str]) -> None:
        """Link the chosen area's judgement to these pieces of evidence (and only these)."""
        key = self.current_area()
        if key is None:
            return
        self.session.begin_macro("Link evidence to a judgement")
        judgement_id = self.model.ensure_judgement(key)
        self.session.edit(
            Table.JUDGEMENT, judgement_id, JudgementField.EVIDENCE_IDS, chosen, merge=False
        )
        self.session.end_macro()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table == Table.VISIT and field == VisitField.FRAMEWORK_KEY:
            self.set_framework(get_framework(self.session.visit[VisitField.FRAMEWORK_KEY]))
        elif table in (Table.JUDGEMENT, Table.EVIDENCE):
            self._show_area()
