"""The form of one piece of evidence, with its learning-walk classrooms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import EvidenceKind
from nexus_review.domain.working_copy import EvidenceField, Table
from nexus_review.usecases import editing
from ui.host_figures_view import HostFiguresBox
from ui.look_for_own_grades import LookForOwnGradesBox
from ui.visit.common import YEAR_GROUPS, now_minute, text_box
from ui.visit.drop_in_model import DropInTableModel
from ui.visit.focus_links import FocusLinks
from ui.visit.lesson_grades import LessonGradesBox
from ui.visit.models import CHOICES_ROLE, evidence_title
from ui.visit.session import VisitSession
from ui.widgets import (
    ChoiceDelegate,
    FieldBinder,
    QuietComboBox,
    quiet_wheel,
)


class EvidenceForm(QWidget):
    """One form for every kind of evidence; the fields a kind does not use are hidden."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, Table.EVIDENCE, self)
        self.kind_label = QLabel()
        self.kind_label.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.time_in = QTimeEdit()
        self.time_out = QTimeEdit()
        for t in (self.time_in, self.time_out):
            t.setDisplayFormat("HH:mm")
            t.setSpecialValueText("--:--")
            t.setMinimumTime(QTime(0, 0))
        self.start_now = QPushButton("Start now")
        self.start_now.setToolTip("Stamp the time in with the time now")
        self.stop_now = QPushButton("End now")
        self.start_now.clicked.connect(lambda: self._stamp(EvidenceField.TIME_IN))
        self.stop_now.clicked.connect(lambda: self._stamp(EvidenceField.TIME_OUT))
        times = QHBoxLayout()
        for w in (
            QLabel("In"),
            self.time_in,
            self.start_now,
            QLabel("Out"),
            self.time_out,
            self.stop_now,
        ):
            times.addWidget(w)
        times.addStretch(1)
        self.class_name = QLineEdit()
        self.year_group = QuietComboBox()
        self.year_group.setEditable(True)
        self.year_group.addItems(["", *YEAR_GROUPS])
        self.subject = QLineEdit()
        self.staff = QLineEdit()
        self.staff.setPlaceholderText(
            "Named staff are replaced by Teacher A, B… in anonymised reports"
        )
        self.who_what = QLineEdit()
        self.participants = QSpinBox()
        self.participants.setRange(0, 500)
        self.participants.setSpecialValueText("–")
        quiet_wheel(self.time_in, self.time_out, self.participants)
        self.look_fors = text_box("One look-for per line, as agreed for the walk", 60)
        self.notes = text_box("What you saw and heard", 120)
        self.strengths = text_box("Strengths, one per line", 60)
        self.areas = text_box("Areas for development, one per line", 60)
        self.focus = FocusLinks(session)
        self.drop_in_model = DropInTableModel(session)
        self.drop_ins = QTableView()
        self.drop_ins.setModel(self.drop_in_model)
        self.drop_ins.setItemDelegate(ChoiceDelegateForLookFors(self.drop_ins))
        self.drop_ins.horizontalHeader().setStretchLastSection(True)
        self.drop_ins.setMinimumHeight(180)
        self.drop_ins.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.add_drop_in_button = QPushButton("Add the next classroom (Ctrl+D)")
        self.add_drop_in_button.clicked.connect(self.add_drop_in)
        self.delete_drop_in_button = QPushButton("Remove classroom")
        self.delete_drop_in_button.clicked.connect(self.delete_drop_in)
        self.drop_ins.setWordWrap(True)
        self.drop_ins.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        self.drop_ins.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.drop_in_model.modelReset.connect(self._fit_drop_ins)
        self.drop_in_model.dataChanged.connect(lambda *_: self.drop_ins.resizeRowsToContents())
        self.drop_ins.selectionModel().selectionChanged.connect(
            lambda *_: self._update_walk_buttons()
        )
        self.drop_in_model.modelReset.connect(self._update_walk_buttons)
        walk_buttons = QHBoxLayout()
        walk_buttons.addWidget(self.add_drop_in_button)
        walk_buttons.addWidget(self.delete_drop_in_button)
        walk_buttons.addStretch(1)
        self.walk_box = QGroupBox("Classrooms visited")
        walk_layout = QVBoxLayout(self.walk_box)
        walk_layout.addWidget(self.drop_ins)
        walk_layout.addLayout(walk_buttons)
        self.own_look_fors = LookForOwnGradesBox(session)
        self.own_look_fors.follow(self.drop_ins, self.drop_in_model)
        walk_layout.addWidget(self.own_look_fors)
        self.grades_box = LessonGradesBox(session)

        self.form = QFormLayout()
        self.form.addRow("Time", times)
        self.form.addRow("Class", self.class_name)
        self.form.addRow("Year group", self.year_group)
        self.form.addRow("Subject", self.subject)
        self.form.addRow("Teacher", self.staff)
        self.form.addRow("Who / what", self.who_what)
        self.form.addRow("Pupils / people", self.participants)
        self.form.addRow("Look-fors", self.look_fors)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind_label)
        layout.addLayout(self.form)
        layout.addWidget(self.walk_box, 2)
        self.host_figures = HostFiguresBox(session)
        layout.addWidget(self.host_figures, 2)
        notes_form = QFormLayout()
        notes_form.addRow("Notes", self.notes)
        notes_form.addRow("Strengths", self.strengths)
        notes_form.addRow("Areas for development", self.areas)
        notes_form.addRow("Focus areas", self.focus)
        layout.addLayout(notes_form, 3)
        layout.addWidget(self.grades_box)

        b = self.binder
        b.time(self.time_in, EvidenceField.TIME_IN)
        b.time(self.time_out, EvidenceField.TIME_OUT)
        b.text(self.class_name, EvidenceField.CLASS_NAME)
        b.text(self.subject, EvidenceField.SUBJECT)
        b.text(self.staff, EvidenceField.STAFF)
        b.text(self.who_what, EvidenceField.WHO_WHAT)
        b.number(self.participants, EvidenceField.PARTICIPANTS)
        b.text(self.notes, EvidenceField.NOTES)
        b.text(self.strengths, EvidenceField.STRENGTHS)
        b.text(self.areas, EvidenceField.AREAS_FOR_DEVELOPMENT)
        self.year_group.currentTextChanged.connect(self._on_year_group_changed)
        self.look_fors.setUndoRedoEnabled(False)
        self.look_fors.textChanged.connect(self._on_look_fors_changed)
        session.changed.connect(self._on_session_changed)
        self.add_drop_in_action = QAction("Add the next classroom", self)
        self.add_drop_in_action.setShortcut(QKeySequence("Ctrl+D"))
        self.add_drop_in_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_drop_in_action.triggered.connect(self.add_drop_in)
        self.addAction(self.add_drop_in_action)
        self._loading = False
        self.set_evidence(None)

    @property
    def evidence_id(self) -> str | None:
        return self.binder.record_id

    def first_field(self) -> QWidget:
        """Where typing starts for this kind of evidence: its first text field on screen."""
        kind = (
            self.session.value(Table.EVIDENCE, self.evidence_id, EvidenceField.KIND)
            if self.evidence_id
            else ""
        )
        if kind == EvidenceKind.LESSON_OBSERVATION:
            return self.class_name
        if kind == EvidenceKind.LEARNING_WALK:
            return self.look_fors
        if kind == EvidenceKind.WORK_SCRUTINY:
            return self.subject
        return self.who_what

    def set_evidence(self, evidence_id: str | None) -> None:
        self._loading = True
        self.binder.set_record(evidence_id)
        record = self.session.record(Table.EVIDENCE, evidence_id) if evidence_id else {}
        kind = record.get(EvidenceField.KIND, "")
        self.kind_label.setText(evidence_title(record) if record else "")
        self.year_group.setCurrentText(record.get(EvidenceField.YEAR_GROUP) or "")
        text = "\n".join(record.get(EvidenceField.LOOK_FORS) or [])
        if self.look_fors.toPlainText() != text:
            self.look_fors.setPlainText(text)
        self.focus.set_evidence(evidence_id)
        self.drop_in_model.set_evidence(evidence_id if kind == EvidenceKind.LEARNING_WALK else None)
        lesson = kind == EvidenceKind.LESSON_OBSERVATION
        walk = kind == EvidenceKind.LEARNING_WALK
        rows = {
            "Class": lesson,
            "Year group": lesson,
            "Teacher": lesson,
            "Subject": kind
            in (
                EvidenceKind.LESSON_OBSERVATION,
                EvidenceKind.LEARNING_WALK,
                EvidenceKind.WORK_SCRUTINY,
            ),
            "Who / what": not lesson,
            "Pupils / people": kind
            in (
                EvidenceKind.PUPIL_VOICE,
                EvidenceKind.LEADER_MEETING,
                EvidenceKind.DATA_REVIEW,
                EvidenceKind.OTHER,
            ),
            "Look-fors": walk,
        }
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = label.widget() if label is not None else None
            if isinstance(widget, QLabel):
                name = widget.text()
                if name in rows:
                    self.form.setRowVisible(row, rows[name])
        self.walk_box.setVisible(walk)
        self.host_figures.show_for(kind == EvidenceKind.DATA_REVIEW)
        self.grades_box.show_for(evidence_id)
        self._loading = False

    def set_lesson_grading(self, on: bool) -> None:
        """The network switched grading single lessons on or off."""
        self.grades_box.set_lesson_grading(on)

    def _stamp(self, field: EvidenceField) -> None:
        if self.evidence_id:
            self.session.edit(
                Table.EVIDENCE,
                self.evidence_id,
                field,
                now_minute(),
                text="Stamp the time",
                merge=False,
            )

    def _on_year_group_changed(self, text: str) -> None:
        if not self._loading and self.evidence_id:
            self.session.edit(
                Table.EVIDENCE,
                self.evidence_id,
                EvidenceField.YEAR_GROUP,
                text,
                text="Edit year group",
            )

    def _on_look_fors_changed(self) -> None:
        if self._loading or not self.evidence_id:
            return
        items = [line.strip() for line in self.look_fors.toPlainText().splitlines() if line.strip()]
        self.session.edit(
            Table.EVIDENCE, self.evidence_id, EvidenceField.LOOK_FORS, items, text="Edit look-fors"
        )

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table != Table.EVIDENCE or record_id != self.evidence_id:
            return
        record = self.session.record(Table.EVIDENCE, record_id)
        self.kind_label.setText(evidence_title(record))
        self._loading = True
        year_group = record.get(EvidenceField.YEAR_GROUP) or ""
        if field == EvidenceField.YEAR_GROUP and self.year_group.currentText() != year_group:
            self.year_group.setCurrentText(year_group)
        if field == EvidenceField.LOOK_FORS:
            look_fors = list(record.get(EvidenceField.LOOK_FORS) or [])
            current = [x.strip() for x in self.look_fors.toPlainText().splitlines() if x.strip()]
            if current != look_fors:
                self.look_fors.setPlainText("\n".join(look_fors))
        self._loading = False

    def add_drop_in(self) -> None:
        edits = (
            editing.add_drop_in(self.session.records, self.evidence_id, now_minute())
            if self.evidence_id
            else None
        )
        if not edits:
            return
        self.session.apply(edits)
        row = self.drop_in_model.rowCount() - 1
        index = self.drop_in_model.index(row, 0)
        self.drop_ins.setCurrentIndex(index)
        self.drop_ins.setFocus()
        # Making the new row current may already have opened its editor (any edit trigger).
        if self.drop_ins.state() != QAbstractItemView.State.EditingState:
            self.drop_ins.edit(index)

    def _fit_drop_ins(self) -> None:
        """Long look-fors and notes wrap onto more lines instead of being cut off."""
        if self.drop_in_model.evidence_id is None:  # no learning walk shown: nothing to fit
            self._update_walk_buttons()
            return
        header = self.drop_ins.horizontalHeader()
        metrics = header.fontMetrics()
        tallest = metrics.height()
        for col in range(self.drop_in_model.columnCount()):
            header.resizeSection(col, max(90, min(220, header.sectionSizeHint(col))))
            title = str(self.drop_in_model.headerData(col, Qt.Orientation.Horizontal) or "")
            box = metrics.boundingRect(
                0, 0, header.sectionSize(col) - 10, 2000, int(Qt.TextFlag.TextWordWrap), title
            )
            tallest = max(tallest, box.height())
        header.setMinimumHeight(tallest + 10)
        self.drop_ins.resizeRowsToContents()
        self._update_walk_buttons()

    def _update_walk_buttons(self) -> None:
        self.delete_drop_in_button.setEnabled(
            self.drop_ins.selectionModel().hasSelection() and self.drop_in_model.rowCount() > 0
        )

    def delete_drop_in(self) -> None:
        index = self.drop_ins.currentIndex()
        if index.isValid():
            self.session.delete(
                Table.DROP_IN,
                self.drop_in_model.drop_in_id(index.row()),
                text="Remove a classroom",
            )


class ChoiceDelegateForLookFors(ChoiceDelegate):
    """Combo boxes for look-for cells; plain text editors for class, year, time and note."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        if index.data(CHOICES_ROLE) is None:
            return super(ChoiceDelegate, self).createEditor(parent, option, index)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        if isinstance(editor, QComboBox):
            super().setEditorData(editor, index)
        else:
            super(ChoiceDelegate, self).setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        if isinstance(editor, QComboBox):
            super().setModelData(editor, model, index)
        else:
            super(ChoiceDelegate, self).setModelData(editor, model, index)
