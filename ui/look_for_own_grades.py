"""Your own seen / partly seen / not seen of each look-for, in one classroom of a learning walk.

Shown under the classrooms of a learning walk, for the classroom chosen in the table. Each
reviewer of the visit who was in that classroom records what they saw of each look-for before
the team agrees what goes in the table; the lead sees every reviewer's own view side by side.
So that views stay independent, the others' stay hidden until you have given your own, unless
the setting says otherwise (the same setting as for the areas' own grades).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QTableView, QVBoxLayout, QWidget

from nexus_review.domain.enums import LookForResult
from nexus_review.domain.own_grades import VisibleGrades
from nexus_review.errors import NexusError
from nexus_review.usecases.own_grades import (
    LOOK_FOR_LIMIT,
    LOOK_FOR_SCALE,
    record_own_grade,
    visit_own_grades,
)
from ui.errors import show_error
from ui.own_grades_panel import HIDE_SETTING
from ui.settings import Settings
from ui.visit.drop_in_model import DropInTableModel
from ui.visit.session import VisitSession
from ui.widgets import QuietComboBox

NO_GRADE = "No view of my own yet"


class LookForOwnGradesBox(QGroupBox):
    """The current reviewer's own view of each look-for in one classroom, and the team's."""

    own_grade_saved = Signal(object)  # the OwnGrade as recorded (None: cleared)

    def __init__(self, session: VisitSession, settings: Any = None) -> None:
        super().__init__("Your own view of the look-fors in this classroom")
        self.session = session
        self.settings = settings or Settings()
        self.evidence_id: str | None = None
        self.drop_in_id: str | None = None
        self.combos: dict[str, QuietComboBox] = {}
        self.others: dict[str, QLabel] = {}
        self._loading = False
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.rows)
        session.changed.connect(self._on_session_changed)
        self.setVisible(False)

    # ---- what is shown ------------------------------------------------------------------

    @property
    def reviewer_id(self) -> str:
        return str(self.settings.get("reviewer/id") or "")

    def _team(self) -> list[dict[str, Any]]:
        return [r for r in self.session.rows("visit_reviewer") if not r.get("deleted")]

    def _on_team(self) -> bool:
        mine = self.reviewer_id
        return bool(mine) and any(r.get("reviewer_id") == mine for r in self._team())

    def _look_fors(self) -> list[str]:
        if not self.evidence_id or self.evidence_id not in self.session.records["evidence"]:
            return []
        return [str(x) for x in self.session.value("evidence", self.evidence_id, "look_fors") or []]

    def _live_drop_in(self) -> bool:
        return bool(
            self.drop_in_id
            and self.drop_in_id in self.session.records["drop_in"]
            and not self.session.value("drop_in", self.drop_in_id, "deleted")
        )

    def follow(self, view: QTableView, model: DropInTableModel) -> None:
        """Show the classroom that is current in a walk's table of classrooms."""

        def show() -> None:
            index = view.currentIndex()
            valid = index.isValid() and index.row() < model.rowCount()
            self.set_drop_in(model.evidence_id, model.drop_in_id(index.row()) if valid else None)

        def after_reset() -> None:
            # The table's rows were read again (a look-for typed, a classroom added or
            # removed): the same classroom of the same walk stays shown while it is there
            # (a change to the look-fors refreshes it through the session's signal).
            rows = {model.drop_in_id(r) for r in range(model.rowCount())}
            if view.currentIndex().isValid() or self.evidence_id != model.evidence_id:
                show()
            elif self.drop_in_id not in rows:
                self.set_drop_in(model.evidence_id, None)

        view.selectionModel().currentRowChanged.connect(lambda *_: show())
        model.modelReset.connect(after_reset)

    def set_drop_in(self, evidence_id: str | None, drop_in_id: str | None) -> None:
        """Follow the classroom chosen in the walk's table (None: no classroom chosen)."""
        self.evidence_id, self.drop_in_id = evidence_id, drop_in_id
        self.refresh()

    def refresh(self) -> None:
        look_fors = self._look_fors()
        drop_in_id = self.drop_in_id if self._live_drop_in() else None
        self.setVisible(drop_in_id is not None and bool(look_fors))
        if drop_in_id is None or not look_fors:
            return
        self._loading = True
        try:
            self._build_rows(look_fors)
            grades = self._visible()
            on_team = self._on_team()
            class_name = self.session.value("drop_in", drop_in_id, "class_name") or ""
            where = f"in {class_name}" if class_name else "in this classroom"
            if not self.reviewer_id:
                self.status.setText("Say who you are (Settings) to give a view of your own.")
            elif not on_team:
                self.status.setText(
                    "You are not on this visit's review team, so you give no view of your own here."
                )
            else:
                self.status.setText(
                    f"What you saw of each look-for {escape(where)}, before the team agrees "
                    "what goes in the table."
                )
            for look_for, combo in self.combos.items():
                mine = next(
                    (
                        g
                        for g in grades.of("", self.drop_in_id, look_for)
                        if g.reviewer_id == self.reviewer_id
                    ),
                    None,
                )
                index = combo.findData(mine.grade) if mine and mine.grade else 0
                combo.setCurrentIndex(max(0, index))
                fits = len(look_for) <= LOOK_FOR_LIMIT
                combo.setEnabled(on_team and fits)
                self.others[look_for].setText(
                    self._others_text(grades, look_for)
                    if fits
                    else f"Too long for a view of your own (at most {LOOK_FOR_LIMIT} characters); "
                    "shorten the look-for above."
                )
        finally:
            self._loading = False

    def _build_rows(self, look_fors: list[str]) -> None:
        if list(self.combos) == look_fors:
            return
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos.clear()
        self.others.clear()
        for row, look_for in enumerate(look_fors):
            name = QLabel(escape(look_for))
            name.setWordWrap(True)
            combo = QuietComboBox()
            combo.setAccessibleName(f"Your own view: {look_for}")
            combo.addItem(NO_GRADE, None)
            for result in reversed(LOOK_FOR_SCALE):  # seen first, as in the table
                combo.addItem(LookForResult(result).label, str(result))
            combo.currentIndexChanged.connect(
                lambda _i, key=look_for: self._on_combo_current_index_changed(key)
            )
            others = QLabel()
            others.setWordWrap(True)
            others.setAccessibleName(f"The review team's own views: {look_for}")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(combo, row, 1)
            self.grid.addWidget(others, row, 2)
            self.combos[look_for] = combo
            self.others[look_for] = others

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

    def _others_text(self, grades: VisibleGrades, look_for: str) -> str:
        others = [
            g for g in grades.of("", self.drop_in_id, look_for) if g.reviewer_id != self.reviewer_id
        ]
        hidden = grades.hidden_of("", self.drop_in_id, look_for)
        leads = {r.get("reviewer_id") for r in self._team() if r.get("is_lead")}
        parts = []
        for g in others:
            who = escape(g.reviewer_name) + (" (lead)" if g.reviewer_id in leads else "")
            parts.append(f"<b>{who}</b>: {escape(g.grade_label) or 'no view'}")
        if hidden == 1:
            parts.append("1 other reviewer's view stays hidden until you give yours.")
        elif hidden:
            parts.append(f"{hidden} other reviewers' views stay hidden until you give yours.")
        return "; ".join(parts) if parts else "No other reviewer's view yet."

    # ---- what the reviewer does ---------------------------------------------------------

    def _on_combo_current_index_changed(self, look_for: str) -> None:
        if not self._loading:
            self.save(look_for)

    def save(self, look_for: str) -> None:
        """Record the chosen view of one look-for as this reviewer's own (one small operation)."""
        combo = self.combos.get(look_for)
        if combo is None or not self._live_drop_in() or not self._on_team():
            return
        # The classroom, look-fors and team as they are on screen are what the database checks.
        self.session.flush()
        try:
            saved = record_own_grade(
                self.session.db,
                self.session.visit_id,
                self.reviewer_id,
                grade=combo.currentData(),
                drop_in_id=self.drop_in_id,
                look_for=look_for,
            )
        except NexusError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self.refresh()
        self.own_grade_saved.emit(saved)

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (table == "evidence" and record_id == self.evidence_id and field == "look_fors") or (
            table == "visit_reviewer"
            or (
                table == "drop_in"
                and record_id == self.drop_in_id
                and field in ("deleted", "class_name")
            )
        ):
            self.refresh()
