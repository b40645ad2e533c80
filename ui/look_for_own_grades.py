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

from PySide6.QtWidgets import QGridLayout, QLabel, QTableView, QVBoxLayout, QWidget

from nexus_review.domain.enums import LookForResult
from nexus_review.domain.own_grades import VisibleGrades
from nexus_review.domain.working_copy import (
    DropInField,
    EvidenceField,
    Record,
    Table,
)
from nexus_review.usecases.own_grades import LOOK_FOR_LIMIT, LOOK_FOR_SCALE
from ui.own_grades_box import OwnGradesBox
from ui.visit.drop_in_model import DropInTableModel
from ui.visit.session import VisitSession
from ui.widgets import QuietComboBox

NO_GRADE = "No view of my own yet"


class LookForOwnGradesBox(OwnGradesBox):
    """The current reviewer's own view of each look-for in one classroom, and the team's."""

    def __init__(self, session: VisitSession, settings: Any = None) -> None:
        super().__init__("Your own view of the look-fors in this classroom", session, settings)
        self.evidence_id: str | None = None
        self.drop_in_id: str | None = None
        self.combos: dict[str, QuietComboBox] = {}
        self.others: dict[str, QLabel] = {}
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

    def _look_fors(self) -> list[str]:
        if not self.evidence_id or self.evidence_id not in self.session.records[Table.EVIDENCE]:
            return []
        look_fors = self.session.value(Table.EVIDENCE, self.evidence_id, EvidenceField.LOOK_FORS)
        return [str(x) for x in look_fors or []]

    def _live_drop_in(self) -> bool:
        return bool(
            self.drop_in_id
            and self.drop_in_id in self.session.records[Table.DROP_IN]
            and not self.session.value(Table.DROP_IN, self.drop_in_id, Record.DELETED)
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
            class_name = self.session.value(Table.DROP_IN, drop_in_id, DropInField.CLASS_NAME) or ""
            where = f"in {class_name}" if class_name else "in this classroom"
            self._say_who(
                "view",
                on_team,
                f"What you saw of each look-for {escape(where)}, before the team agrees "
                "what goes in the table.",
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

    def _others_text(self, grades: VisibleGrades, look_for: str) -> str:
        others = [
            g for g in grades.of("", self.drop_in_id, look_for) if g.reviewer_id != self.reviewer_id
        ]
        hidden = grades.hidden_of("", self.drop_in_id, look_for)
        leads = self._leads()
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
        self._record(combo.currentData(), drop_in_id=self.drop_in_id, look_for=look_for)

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (
            table == Table.EVIDENCE
            and record_id == self.evidence_id
            and field == EvidenceField.LOOK_FORS
        ) or (
            table == Table.VISIT_REVIEWER
            or (
                table == Table.DROP_IN
                and record_id == self.drop_in_id
                and field in (Record.DELETED, DropInField.CLASS_NAME)
            )
        ):
            self.refresh()
