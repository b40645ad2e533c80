"""Calibration exercises in Network → Consistency: make one, grade it, see how heads spread.

The administrator makes an exercise from one written-up piece of evidence (its names taken
out); it goes to every head in the next review packages; each head grades it here on their own
laptop, area by area, with a reason; once their packages are back, the results show the spread
of grades per area, how far the heads agreed and what each of them said, for the next heads'
meeting.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import EvidenceKind, label_of
from nexus_review.errors import NexusError
from nexus_review.frameworks import get_framework
from nexus_review.usecases.calibration import (
    ExerciseItem,
    ExerciseResults,
    answer_exercise_areas,
    exercise_results,
    list_exercises,
    make_exercise,
)
from ui.consistency_view import RowsTableModel
from ui.errors import show_error
from ui.own_grades_box import HIDE_SETTING
from ui.settings import Settings
from ui.widgets import QuietComboBox

if TYPE_CHECKING:
    from ui.network_view import NetworkPage

GRADABLE = (EvidenceKind.LESSON_OBSERVATION.value, EvidenceKind.WORK_SCRUTINY.value)


class MakeExerciseDialog(QDialog):
    """Choose the evidence an exercise is made from, and give it a title."""

    def __init__(self, visits: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Make a calibration exercise")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("e.g. Year 4 reading lesson")
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence to grade")
        for v in visits:
            if not get_framework(v.framework_key).graded:
                continue
            for e in v.evidence:
                if e.kind in GRADABLE and e.notes.strip():
                    what = ", ".join(
                        x for x in (label_of(EvidenceKind, e.kind), e.year_group, e.subject) if x
                    )
                    item = QListWidgetItem(
                        f"{v.visit_date:%d %b %Y} · {v.host_school.name} · {what}"
                    )
                    item.setData(Qt.ItemDataRole.UserRole, e.id)
                    self.evidence.addItem(item)
        note = QLabel(
            "Staff, the school and its reviewers are taken out of the text before it goes to the heads."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Title", self.title)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Evidence to grade"))
        layout.addWidget(self.evidence, 1)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(640, 420)

    def chosen(self) -> str | None:
        item = self.evidence.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class AnswerExerciseDialog(QDialog):
    """A head's own grade of each area of an exercise, with a reason."""

    def __init__(
        self,
        exercise: ExerciseItem,
        mine: dict[str, tuple[str | None, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Grade: {exercise.title}")
        fw = get_framework(exercise.framework_key)
        text = QPlainTextEdit(exercise.evidence_text)
        text.setReadOnly(True)
        text.setAccessibleName("The evidence")
        form = QFormLayout()
        self.grades: dict[str, QComboBox] = {}
        self.reasons: dict[str, QLineEdit] = {}
        for key, name in zip(exercise.area_keys, exercise.area_names, strict=True):
            box = QuietComboBox()
            box.setAccessibleName(f"Your grade: {name}")
            box.addItem("No grade yet", None)
            for g in fw.scale_for(key):
                box.addItem(g.label, g.key)
            grade, reason = mine.get(key, (None, ""))
            box.setCurrentIndex(max(0, box.findData(grade)) if grade else 0)
            why = QLineEdit(reason)
            why.setPlaceholderText("Why, in a line")
            why.setAccessibleName(f"Your reason: {name}")
            self.grades[key], self.reasons[key] = box, why
            row = QHBoxLayout()
            row.addWidget(box)
            row.addWidget(why, 2)
            form.addRow(name, row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{exercise.evidence_kind}. Grade it on your own, before you see anyone else's.")
        )
        layout.addWidget(text, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def answers(self) -> dict[str, tuple[str | None, str]]:
        return {k: (self.grades[k].currentData(), self.reasons[k].text()) for k in self.grades}


class CalibrationPanel(QWidget):
    """The network's calibration exercises and, for the chosen one, the heads' results."""

    results_shown = Signal(object)  # ExerciseResults (None: no exercise)

    def __init__(self, page: NetworkPage, settings: Any = None) -> None:
        super().__init__()
        self.page = page
        self.settings = settings or Settings()
        self.exercises: list[ExerciseItem] = []
        self.results: ExerciseResults | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName("Calibration exercise")
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice.setMinimumContentsLength(12)
        self.choice.activated.connect(lambda _i: self.show_results())
        self.make_button = QPushButton("Make an exercise…")
        self.make_button.clicked.connect(lambda: self.make())
        self.grade_button = QPushButton("Grade this exercise…")
        self.grade_button.clicked.connect(lambda: self.grade())
        top = QHBoxLayout()
        top.addWidget(QLabel("Exercise"))
        top.addWidget(self.choice, 1)
        top.addWidget(self.grade_button)
        top.addWidget(self.make_button)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RowsTableModel(
            ["Area", "Grades given (best first)", "Agreement", "What each head said"], self
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Results of the exercise")
        self.table.verticalHeader().hide()
        # Rows as tall as their text at the width the columns have now (every head's reason).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.evidence)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    @property
    def db(self) -> Any:
        return self.page.context.db

    def current(self) -> ExerciseItem | None:
        index = self.choice.currentIndex()
        return self.exercises[index] if 0 <= index < len(self.exercises) else None

    def refresh(self) -> None:
        chosen = self.current()
        self.exercises = list_exercises(self.db)
        self.choice.clear()
        for e in self.exercises:
            self.choice.addItem(f"{e.title} ({e.academic_year})", e.id)
        if chosen is not None and self.choice.findData(chosen.id) >= 0:
            self.choice.setCurrentIndex(self.choice.findData(chosen.id))
        self.show_results()

    def show_results(self) -> None:
        exercise = self.current()
        self.grade_button.setEnabled(exercise is not None)
        if exercise is None:
            self.results = None
            self.evidence.setText(
                "No calibration exercise yet. Make one from a written-up lesson visit or work-scrutiny note."
            )
            self.summary.clear()
            self.model.set_rows([])
            self.results_shown.emit(None)
            return
        try:
            self.results = exercise_results(self.db, exercise.id)
        except NexusError as exc:
            show_error(self, exc)
            return
        body = escape(exercise.evidence_text).replace("\n", "<br>")
        self.evidence.setText(f"<b>{escape(exercise.evidence_kind)}</b><br>{body}")
        heads = len(self.results.heads)
        self.summary.setText(
            f"{heads} {'head has' if heads == 1 else 'heads have'} answered so far."
            if heads
            else "No head has answered yet."
        )
        me = str(self.settings.get("reviewer/id") or "")
        answered = any(
            x.reviewer_id == me and x.grade for a in self.results.areas for x in a.answers
        )
        if me and not answered and heads and self.settings.get(HIDE_SETTING):
            # A head who has not graded it yet grades it on their own first.
            self.summary.setText(
                self.summary.text() + " Grade it yourself to see how the others graded it."
            )
            self.model.set_rows([[a.area_name, "", "", ""] for a in self.results.areas])
            self.results_shown.emit(self.results)
            return
        self.model.set_rows(
            [
                [
                    a.area_name,
                    ", ".join(f"{label} {n}" for label, n in a.spread if n) or "–",
                    a.describe(),
                    "\n".join(
                        f"{x.head}: {x.grade_label or 'no grade'}"
                        + (f" — {x.reason}" if x.reason else "")
                        for x in a.answers
                    ),
                ]
                for a in self.results.areas
            ]
        )
        for column, width in enumerate((190, 230, 260)):
            self.table.setColumnWidth(column, width)
        self.results_shown.emit(self.results)

    def make(self) -> None:
        dialog = MakeExerciseDialog(list(getattr(self.page, "visits", [])), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        evidence, title = dialog.chosen(), dialog.title.text()
        dialog.deleteLater()
        if not accepted:
            return
        if evidence is None:
            show_error(self, NexusError("Choose the evidence the exercise is made from."))
            return
        try:
            made = make_exercise(self.db, evidence, title=title)
        except NexusError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.choice.setCurrentIndex(self.choice.findData(made.id))
        self.show_results()

    def grade(self) -> None:
        exercise = self.current()
        me = str(self.settings.get("reviewer/id") or "")
        if exercise is None:
            return
        if not me:
            show_error(self, NexusError("Say who you are (Settings) before grading an exercise."))
            return
        mine = {
            a.area_key: (x.grade, x.reason)
            for a in (self.results.areas if self.results else ())
            for x in a.answers
            if x.reviewer_id == me
        }
        dialog = AnswerExerciseDialog(exercise, mine, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        answers = dialog.answers()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            answer_exercise_areas(self.db, exercise.id, me, answers)
        except NexusError as exc:
            show_error(self, exc)
        self.show_results()
