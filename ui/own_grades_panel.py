"""Your own grade of an area, given before the team agrees, and the others' beside it.

Shown under the judgements table. Each reviewer of the visit chooses their own grade for the
chosen area (and may say why in a line); the lead sees every reviewer's own grade side by side
when the team agrees its judgement. So that grades stay independent, the others' grades stay
hidden until you have given your own, unless the setting says otherwise.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout

from nexus_review.domain.own_grades import VisibleGrades
from nexus_review.errors import NexusError
from nexus_review.frameworks import get_framework
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from ui.errors import show_error
from ui.settings import Settings
from ui.visit.session import VisitSession
from ui.widgets import QuietComboBox

HIDE_SETTING = "consistency/hide_until_own"


class OwnGradesPanel(QGroupBox):
    """The current reviewer's own grade of one area, and the team's own grades of it."""

    own_grade_saved = Signal(object)  # the OwnGrade as recorded (None: cleared)

    def __init__(self, session: VisitSession, settings: Any = None) -> None:
        super().__init__("Own grades before agreeing")
        self.session = session
        self.settings = settings or Settings()
        self.area_key: str | None = None
        self._loading = False
        self.grade = QuietComboBox()
        self.grade.setAccessibleName("Your own grade")
        self.grade.currentIndexChanged.connect(self._on_grade_current_index_changed)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why, in a line (optional)")
        self.reason.setAccessibleName("Your reason")
        self.reason.editingFinished.connect(self._on_reason_editing_finished)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.others = QLabel()
        self.others.setWordWrap(True)
        self.others.setAccessibleName("The review team's own grades")
        form = QFormLayout()
        form.addRow("Your own grade", self.grade)
        form.addRow("Your reason", self.reason)
        self.others.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>The team's own grades</b>"))
        layout.addWidget(self.others, 1)

    # ---- what is shown ------------------------------------------------------------------

    @property
    def reviewer_id(self) -> str:
        return str(self.settings.get("reviewer/id") or "")

    def _team(self) -> list[dict[str, Any]]:
        return [r for r in self.session.rows("visit_reviewer") if not r.get("deleted")]

    def _on_team(self) -> bool:
        return any(r.get("reviewer_id") == self.reviewer_id for r in self._team()) and bool(
            self.reviewer_id
        )

    def set_area(self, area_key: str | None) -> None:
        self.area_key = area_key
        self.refresh()

    def refresh(self) -> None:
        framework = get_framework(self.session.visit["framework_key"])
        self.setVisible(framework.graded and self.area_key is not None)
        if not framework.graded or self.area_key is None:
            return
        self._loading = True
        try:
            grades = self._visible()
            mine = next(
                (g for g in grades.of(self.area_key) if g.reviewer_id == self.reviewer_id), None
            )
            self.grade.clear()
            self.grade.addItem("No grade of my own yet", None)
            for g in framework.scale_for(self.area_key):
                self.grade.addItem(g.label, g.key)
            index = self.grade.findData(mine.grade) if mine and mine.grade else 0
            self.grade.setCurrentIndex(max(0, index))
            if self.reason.text() != (mine.reason if mine else ""):
                self.reason.setText(mine.reason if mine else "")
            on_team = self._on_team()
            self.grade.setEnabled(on_team)
            self.reason.setEnabled(on_team)
            if not self.reviewer_id:
                self.status.setText("Say who you are (Settings) to give a grade of your own.")
            elif not on_team:
                self.status.setText(
                    "You are not on this visit's review team, so you give no grade of your own here."
                )
            else:
                self.status.setText(
                    "Choose your own grade before the team agrees; the agreed grade stays the team's."
                )
            self.others.setText(self._others_text(grades))
        finally:
            self._loading = False

    def _visible(self) -> VisibleGrades:
        try:
            return visit_own_grades(
                self.session.db,
                self.session.visit_id,
                self.reviewer_id or None,
                hide_until_own=bool(self.settings.get(HIDE_SETTING)),
            )
        except NexusError:
            return VisibleGrades(())

    def _others_text(self, grades: VisibleGrades) -> str:
        assert self.area_key is not None
        shown = grades.of(self.area_key)
        hidden = grades.hidden_of(self.area_key)
        leads = {r.get("reviewer_id") for r in self._team() if r.get("is_lead")}
        lines = []
        for g in shown:
            who = "You" if g.reviewer_id == self.reviewer_id else escape(g.reviewer_name)
            who += " (lead)" if g.reviewer_id in leads else ""
            reason = f" — {escape(g.reason)}" if g.reason else ""
            lines.append(f"<b>{who}</b>: {escape(g.grade_label) or 'no grade'}{reason}")
        if hidden == 1:
            lines.append("1 other reviewer's own grade stays hidden until you give yours.")
        elif hidden:
            lines.append(f"{hidden} other reviewers' own grades stay hidden until you give yours.")
        if not lines:
            return "No reviewer has given an own grade of this area yet."
        return "<br>".join(lines)

    # ---- what the reviewer does ---------------------------------------------------------

    def _on_grade_current_index_changed(self, _index: int) -> None:
        if not self._loading:
            self.save()

    def _on_reason_editing_finished(self) -> None:
        if not self._loading and self.grade.currentData() is not None:
            self.save()

    def save(self) -> None:
        """Record the chosen grade and reason as this reviewer's own (one small operation)."""
        if self.area_key is None or not self._on_team():
            return
        self.session.flush()  # the team as it is on screen is the team the database checks
        try:
            saved = record_own_grade(
                self.session.db,
                self.session.visit_id,
                self.reviewer_id,
                area_key=self.area_key,
                grade=self.grade.currentData(),
                reason=self.reason.text(),
            )
        except NexusError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self.refresh()
        self.own_grade_saved.emit(saved)
