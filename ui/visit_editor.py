"""The open visit: its plan, the evidence log, the judgements and the report draft.

Everything typed goes through the visit's :class:`VisitSession`, which saves it a moment after
the last keystroke and keeps one undo history for the whole visit. The evidence log is built
for speed in the classroom: one shortcut adds a lesson observation (Ctrl+1) or a learning
walk (Ctrl+2) and puts the cursor where typing starts; "Start now" stamps the time; on a walk,
Ctrl+D adds the next classroom.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import EvidenceKind, VisitKind, VisitStatus
from nexus_review.domain.records import ReviewerItem, SchoolItem
from nexus_review.frameworks import (
    SAFEGUARDING_KEY,
    Framework,
    all_frameworks,
    applicable_areas,
    get_framework,
)
from nexus_review.usecases import editing, visits
from nexus_review.usecases.network import lesson_grading_enabled
from ui.editing import VisitSession
from ui.host_figures_view import HostFiguresBox
from ui.look_for_own_grades import LookForOwnGradesBox
from ui.models import (
    CHOICES_ROLE,
    ActionTableModel,
    DropInTableModel,
    EvidenceListModel,
    JudgementTableModel,
    evidence_title,
    host_phase,
)
from ui.own_grades_panel import OwnGradesPanel
from ui.widgets import (
    ChoiceDelegate,
    DateDelegate,
    FieldBinder,
    QuietComboBox,
    keep_calendar_on_screen,
    quiet_wheel,
)

QUICK_ADD = (
    (EvidenceKind.LESSON_OBSERVATION, "Ctrl+1"),
    (EvidenceKind.LEARNING_WALK, "Ctrl+2"),
    (EvidenceKind.WORK_SCRUTINY, "Ctrl+3"),
    (EvidenceKind.PUPIL_VOICE, "Ctrl+4"),
    (EvidenceKind.LEADER_MEETING, "Ctrl+5"),
    (EvidenceKind.DATA_REVIEW, "Ctrl+6"),
    (EvidenceKind.OTHER, "Ctrl+7"),
)
YEAR_GROUPS = (
    "Nursery",
    "Reception",
    "Year 1",
    "Year 2",
    "Year 3",
    "Year 4",
    "Year 5",
    "Year 6",
    "Mixed",
)


def _text_box(placeholder: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


def _now() -> dt.time:
    now = dt.datetime.now()
    return dt.time(now.hour, now.minute)


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
            set(self.session.value("evidence", self.evidence_id, "focus_links") or [])
            if self.evidence_id
            else set()
        )
        agreed = list(self.session.visit.get("focus_areas") or [])
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
            "evidence",
            self.evidence_id,
            "focus_links",
            ticked,
            text="Link evidence to a focus area",
            merge=False,
        )

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (table == "visit" and field == "focus_areas") or (
            table == "evidence" and record_id == self.evidence_id and field == "focus_links"
        ):
            self.reload()


class EvidenceForm(QWidget):
    """One form for every kind of evidence; the fields a kind does not use are hidden."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, "evidence", self)
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
        self.start_now.clicked.connect(lambda: self._stamp("time_in"))
        self.stop_now.clicked.connect(lambda: self._stamp("time_out"))
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
        self.look_fors = _text_box("One look-for per line, as agreed for the walk", 60)
        self.notes = _text_box("What you saw and heard", 120)
        self.strengths = _text_box("Strengths, one per line", 60)
        self.areas = _text_box("Areas for development, one per line", 60)
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
        # Ofsted no longer grades single lessons: the grades show only where the network grades
        # them, or where a lesson already has grades.
        self.lesson_grading = lesson_grading_enabled(session.db)
        self.grades_box = QGroupBox("Grades for this lesson (optional)")
        self.grades_layout = QFormLayout(self.grades_box)
        self.grade_combos: dict[str, QComboBox] = {}

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
        b.time(self.time_in, "time_in")
        b.time(self.time_out, "time_out")
        b.text(self.class_name, "class_name")
        b.text(self.subject, "subject")
        b.text(self.staff, "staff")
        b.text(self.who_what, "who_what")
        b.number(self.participants, "participants")
        b.text(self.notes, "notes")
        b.text(self.strengths, "strengths")
        b.text(self.areas, "areas_for_development")
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
        kind = self.session.value("evidence", self.evidence_id, "kind") if self.evidence_id else ""
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
        record = self.session.record("evidence", evidence_id) if evidence_id else {}
        kind = record.get("kind", "")
        self.kind_label.setText(evidence_title(record) if record else "")
        self.year_group.setCurrentText(record.get("year_group") or "")
        text = "\n".join(record.get("look_fors") or [])
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
        self._build_grades(lesson)
        self._loading = False

    def set_lesson_grading(self, on: bool) -> None:
        """The network switched grading single lessons on or off."""
        self.lesson_grading = on
        kind = self.session.value("evidence", self.evidence_id, "kind") if self.evidence_id else ""
        self._build_grades(kind == EvidenceKind.LESSON_OBSERVATION)

    def _build_grades(self, lesson: bool) -> None:
        while self.grades_layout.rowCount():
            self.grades_layout.removeRow(0)
        self.grade_combos.clear()
        framework = get_framework(self.session.visit["framework_key"])
        grades = (
            (self.session.value("evidence", self.evidence_id, "grades") or {})
            if self.evidence_id
            else {}
        )
        shown = (
            lesson
            and framework.graded
            and self.evidence_id is not None
            and (self.lesson_grading or bool(grades))
        )
        self.grades_box.setVisible(shown)
        if not shown:
            return
        phase = host_phase(self.session)
        for area in applicable_areas(framework, phase, grades):
            if area.key == SAFEGUARDING_KEY:
                continue
            combo = QuietComboBox()
            combo.addItem("–", "")
            for g in framework.scale:
                combo.addItem(g.label, g.key)
            combo.setCurrentIndex(max(combo.findData(grades.get(area.key, "")), 0))
            combo.activated.connect(
                lambda _i, key=area.key, c=combo: self._on_grade(key, c.currentData())
            )
            self.grade_combos[area.key] = combo
            self.grades_layout.addRow(area.name, combo)

    def _on_grade(self, area_key: str, grade: str) -> None:
        if not self.evidence_id:
            return
        grades = dict(self.session.value("evidence", self.evidence_id, "grades") or {})
        if grade:
            grades[area_key] = grade
        else:
            grades.pop(area_key, None)
        self.session.edit(
            "evidence", self.evidence_id, "grades", grades, text="Grade a lesson", merge=False
        )

    def _stamp(self, field: str) -> None:
        if self.evidence_id:
            self.session.edit(
                "evidence", self.evidence_id, field, _now(), text="Stamp the time", merge=False
            )

    def _on_year_group_changed(self, text: str) -> None:
        if not self._loading and self.evidence_id:
            self.session.edit(
                "evidence", self.evidence_id, "year_group", text, text="Edit year group"
            )

    def _on_look_fors_changed(self) -> None:
        if self._loading or not self.evidence_id:
            return
        items = [line.strip() for line in self.look_fors.toPlainText().splitlines() if line.strip()]
        self.session.edit("evidence", self.evidence_id, "look_fors", items, text="Edit look-fors")

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table != "evidence" or record_id != self.evidence_id:
            return
        record = self.session.record("evidence", record_id)
        self.kind_label.setText(evidence_title(record))
        self._loading = True
        if field == "year_group" and self.year_group.currentText() != (
            record.get("year_group") or ""
        ):
            self.year_group.setCurrentText(record.get("year_group") or "")
        if field == "look_fors":
            text = "\n".join(record.get("look_fors") or [])
            current = [x.strip() for x in self.look_fors.toPlainText().splitlines() if x.strip()]
            if current != list(record.get("look_fors") or []):
                self.look_fors.setPlainText(text)
        if field == "grades":
            for key, combo in self.grade_combos.items():
                combo.setCurrentIndex(
                    max(combo.findData((record.get("grades") or {}).get(key, "")), 0)
                )
        self._loading = False

    def add_drop_in(self) -> None:
        edits = (
            editing.add_drop_in(self.session.records, self.evidence_id, _now())
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
                "drop_in", self.drop_in_model.drop_in_id(index.row()), text="Remove a classroom"
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
            editing.add_evidence(self.session.records, self.session.visit_id, kind, _now())
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
                "evidence", self.model.evidence_id(index.row()), text="Delete evidence"
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


class EvidencePickerDialog(QDialog):
    """Tick the evidence that supports a judgement."""

    def __init__(
        self, session: VisitSession, chosen: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link evidence")
        self.list = QListWidget()
        for row in session.rows("evidence"):
            item = QListWidgetItem(evidence_title(row))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if row["id"] in chosen else Qt.CheckState.Unchecked
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


class JudgementsPage(QWidget):
    """One row per area: the school's grade beside the peer grade, agreement, rationale, evidence."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.framework = get_framework(session.visit["framework_key"])
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
        self.rationale = _text_box(
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
        text = (j or {}).get("rationale") or ""
        if self.rationale.toPlainText() != text and not self._writing:
            self.rationale.setPlainText(text)
        self.rationale.setEnabled(key is not None)
        self.link_button.setEnabled(key is not None)
        self.evidence_list.clear()
        for eid in (j or {}).get("evidence_ids") or []:
            if eid in self.session.records["evidence"] and not self.session.value(
                "evidence", eid, "deleted"
            ):
                self.evidence_list.addItem(evidence_title(self.session.record("evidence", eid)))
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
                self.session.edit("judgement", judgement_id, "rationale", text, merge=False)
                self.session.end_macro()
            finally:
                self._writing = False
        else:
            self.session.edit(
                "judgement",
                existing["id"],
                "rationale",
                self.rationale.toPlainText(),
                text="Write a rationale",
            )

    def _on_link_button_clicked(self) -> None:
        """Tick the evidence behind the chosen area's judgement in a dialog."""
        key = self.current_area()
        if key is None:
            return
        current = list((self.model.judgement_for(key) or {}).get("evidence_ids") or [])
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
        self.session.edit("judgement", judgement_id, "evidence_ids", chosen, merge=False)
        self.session.end_macro()

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if table == "visit" and field == "framework_key":
            self.set_framework(get_framework(self.session.visit["framework_key"]))
        elif table in ("judgement", "evidence"):
            self._show_area()


class PlanPage(QWidget):
    """Host school, date, kind, framework, focus areas, the review team, and the school's own
    self-evaluation for each area."""

    def __init__(
        self, session: VisitSession, schools: list[SchoolItem], reviewers: list[ReviewerItem]
    ) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, "visit", self)
        self.school = QuietComboBox()
        for s in schools:
            self.school.addItem(s.name, s.id)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        keep_calendar_on_screen(self.date)
        quiet_wheel(self.date)
        self.date.setDisplayFormat("dddd d MMMM yyyy")
        self.kind = QuietComboBox()
        for k in VisitKind:
            self.kind.addItem(k.label, k.value)
        self.framework = QuietComboBox()
        for key, fw in all_frameworks().items():
            self.framework.addItem(fw.name, key)
        self.status = QuietComboBox()
        for st in VisitStatus:
            self.status.addItem(st.label, st.value)
        self.focus = _text_box("One focus area per line, as agreed with the school", 70)
        self.focus.setMaximumHeight(120)
        self.focus.setUndoRedoEnabled(False)
        self.priorities_button = QToolButton()
        self.priorities_button.setText("Add from the school's priorities")
        self.priorities_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.priorities_menu = QMenu(self)
        self.priorities_button.setMenu(self.priorities_menu)
        self.priorities_menu.aboutToShow.connect(self._fill_priorities)
        self.team = QListWidget()
        self.team.setMinimumHeight(180)
        self.reviewers = reviewers
        for r in reviewers:
            item = QListWidgetItem(
                f"{r.name} – {r.role}" + (f", {r.home_school_name}" if r.home_school_name else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            self.team.addItem(item)
        self.lead = QuietComboBox()
        self.self_model = JudgementTableModel(
            session, get_framework(session.visit["framework_key"])
        )
        self.self_table = QTableView()
        self.self_table.setModel(self.self_model)
        self.self_table.setItemDelegateForColumn(
            JudgementTableModel.SELF, ChoiceDelegate(self.self_table)
        )
        self.self_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for col in range(2, len(JudgementTableModel.HEADERS)):
            self.self_table.setColumnHidden(col, True)
        self.self_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.self_table.horizontalHeader().setStretchLastSection(True)
        self.self_table.verticalHeader().hide()
        self.self_box = QGroupBox("The school's own self-evaluation")
        QVBoxLayout(self.self_box).addWidget(self.self_table)

        form = QFormLayout()
        form.addRow("Host school", self.school)
        form.addRow("Date", self.date)
        form.addRow("Kind of visit", self.kind)
        form.addRow("Framework", self.framework)
        form.addRow("Status", self.status)
        focus_row = QVBoxLayout()
        focus_row.addWidget(self.focus)
        focus_row.addWidget(self.priorities_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Agreed focus areas", focus_row)
        form.addRow("Review team", self.team)
        self.team_warning = QLabel()
        self.team_warning.setWordWrap(True)
        self.team_warning.setStyleSheet("color: #b45309; font-weight: 600;")
        self.team_warning.setVisible(False)
        form.addRow("", self.team_warning)
        form.addRow("Lead reviewer", self.lead)
        layout = QHBoxLayout(self)
        left = QWidget()
        left.setLayout(form)
        layout.addWidget(left, 3)
        layout.addWidget(self.self_box, 2)

        self.binder.choice(self.school, "host_school_id")
        self.binder.choice(self.kind, "kind")
        self.binder.choice(self.framework, "framework_key")
        self.binder.choice(self.status, "status")
        self._loading = False
        self.date.dateChanged.connect(self._on_date_changed)
        self.focus.textChanged.connect(self._on_focus_changed)
        self.team.itemChanged.connect(self._on_team_changed)
        self.lead.activated.connect(self._on_lead_changed)
        session.changed.connect(self._on_session_changed)
        self.binder.set_record(session.visit_id)
        self._show_visit()

    def _show_visit(self) -> None:
        self._loading = True
        v = self.session.visit
        day: dt.date = v["visit_date"]
        self.date.setDate(QDate(day.year, day.month, day.day))
        text = "\n".join(v.get("focus_areas") or [])
        if [x.strip() for x in self.focus.toPlainText().splitlines() if x.strip()] != list(
            v.get("focus_areas") or []
        ):
            self.focus.setPlainText(text)
        members = {m["reviewer_id"]: m for m in self.session.rows("visit_reviewer")}
        for i in range(self.team.count()):
            item = self.team.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in members
                else Qt.CheckState.Unchecked
            )
        self.lead.clear()
        lead_index = 0
        for pos, m in enumerate(sorted(members.values(), key=lambda m: m.get("position") or 0)):
            name = next(
                (r.name for r in self.reviewers if r.id == m["reviewer_id"]), m["reviewer_id"]
            )
            self.lead.addItem(name, m["reviewer_id"])
            if m.get("is_lead"):
                lead_index = pos
        self.lead.setCurrentIndex(lead_index)
        self._show_team_warning()
        self._loading = False

    def _show_team_warning(self) -> None:
        """A school's own head reviewing it is no peer review: say so beside the team."""
        team = [m["reviewer_id"] for m in self.session.rows("visit_reviewer")]
        own = editing.own_school_reviewers(
            self.reviewers, team, self.session.visit["host_school_id"]
        )
        self.team_warning.setText(editing.own_school_warning(own))
        self.team_warning.setVisible(bool(own))

    def _on_date_changed(self, qdate: QDate) -> None:
        if not self._loading:
            self.session.edit(
                "visit",
                self.session.visit_id,
                "visit_date",
                qdate.toPython(),
                text="Change the date",
                merge=False,
            )

    def _on_focus_changed(self) -> None:
        if self._loading:
            return
        items = [line.strip() for line in self.focus.toPlainText().splitlines() if line.strip()]
        self.session.edit(
            "visit", self.session.visit_id, "focus_areas", items, text="Edit focus areas"
        )

    def _fill_priorities(self) -> None:
        self.priorities_menu.clear()
        v = self.session.visit
        themes = visits.priorities_of(self.session.db, v["host_school_id"], v["visit_date"])
        if not themes:
            self.priorities_menu.addAction(
                "The school has shared no priorities for this year"
            ).setEnabled(False)
        for theme in themes:
            self.priorities_menu.addAction(theme, functools.partial(self.add_focus, theme))

    def add_focus(self, theme: str) -> None:
        current = list(self.session.visit.get("focus_areas") or [])
        if theme not in current:
            self.session.edit(
                "visit",
                self.session.visit_id,
                "focus_areas",
                [*current, theme],
                text="Add a focus area",
                merge=False,
            )

    def _on_team_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        reviewer_id = item.data(Qt.ItemDataRole.UserRole)
        ticked = item.checkState() == Qt.CheckState.Checked
        self.session.apply(
            editing.set_team_member(
                self.session.records, self.session.visit_id, reviewer_id, ticked
            )
        )

    def _on_lead_changed(self, _index: int) -> None:
        edits = editing.choose_lead(self.session.records, self.lead.currentData())
        self.session.begin_macro(edits.text)  # one step even when nothing changes, as before
        self.session.apply(edits)
        self.session.end_macro()

    def _on_session_changed(self, table: str, _record_id: str, field: str) -> None:
        if table == "visit_reviewer" or (
            table == "visit" and field in ("visit_date", "focus_areas", "host_school_id")
        ):
            self._show_visit()
        if table == "visit" and field == "framework_key":
            self.self_model.set_framework(get_framework(self.session.visit["framework_key"]))


class ReportPage(QWidget):
    """The report draft: summary, what went well, even better if, questions, next steps."""

    export_requested = Signal(str)  # "docx" or "pdf"

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, "visit", self)
        self.status = QuietComboBox()
        for st in VisitStatus:
            self.status.addItem(st.label, st.value)
        self.summary = _text_box("A short evaluative summary, in the Ofsted inspection style", 110)
        self.strengths = _text_box("What went well, one point per line")
        self.areas = _text_box("Even better if, one point per line")
        self.questions = _text_box("Thought-provoking questions for the school, one per line")
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
        b.choice(self.status, "status")
        b.text(self.summary, "summary")
        b.text(self.strengths, "strengths")
        b.text(self.areas, "areas_for_development")
        b.text(self.questions, "questions")
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
                "action", self.actions_model.action_id(index.row()), text="Remove a next step"
            )


class VisitEditor(QWidget):
    """A visit open for editing: its four pages over one visit session."""

    export_requested = Signal(str)

    def __init__(self, session: VisitSession) -> None:
        super().__init__()
        self.session = session
        people = visits.people(session.db)
        schools, reviewers = list(people.schools), list(people.reviewers)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: 600; padding: 4px 2px;")
        self._makers: dict[str, Callable[[], QWidget]] = {
            "plan": lambda: PlanPage(session, schools, reviewers),
            "evidence": lambda: EvidencePage(session),
            "judgements": lambda: JudgementsPage(session),
            "report": self._make_report,
        }
        self._built: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        # Each page is built when it is first shown or used (opening a visit builds one or two).
        for _key, label in self.PAGES:
            self.tabs.addTab(QWidget(), label)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs)
        self._schools = {s.id: s.name for s in schools}
        session.changed.connect(self._on_session_changed)
        self._show_heading()
        self.tabs.setCurrentWidget(self.evidence if session.rows("evidence") else self.plan)

    def _on_session_changed(self, table: str, _record_id: str, _field: str) -> None:
        if table == "visit":
            self._show_heading()

    PAGES = (
        ("plan", "Plan"),
        ("evidence", "Evidence log"),
        ("judgements", "Judgements"),
        ("report", "Report draft"),
    )

    def _make_report(self) -> ReportPage:
        page = ReportPage(self.session)
        page.export_requested.connect(self.export_requested)
        return page

    def _page(self, key: str) -> Any:
        """A page, built the first time it is wanted, in place of its tab's empty stand-in."""
        page = self._built.get(key)
        if page is None:
            page = self._makers[key]()
            self._built[key] = page
            index = [k for k, _label in self.PAGES].index(key)
            stand_in = self.tabs.widget(index)
            assert stand_in is not None
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, self.PAGES[index][1])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(blocked)
            stand_in.deleteLater()
        return page

    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(self.PAGES):
            self._page(self.PAGES[index][0])

    @property
    def plan(self) -> PlanPage:
        return self._page("plan")

    @property
    def evidence(self) -> EvidencePage:
        return self._page("evidence")

    @property
    def judgements(self) -> JudgementsPage:
        return self._page("judgements")

    @property
    def report(self) -> ReportPage:
        return self._page("report")

    def _show_heading(self) -> None:
        v = self.session.visit
        school = self._schools.get(v["host_school_id"], "")
        kind = (
            VisitKind(v["kind"]).label if v["kind"] in VisitKind._value2member_map_ else v["kind"]
        )
        day: dt.date = v["visit_date"]
        self.heading.setText(f"{school} · {kind} · {day:%A} {day.day} {day:%B %Y}")
