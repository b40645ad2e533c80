"""What the two boxes of own grades share: the area's own grades under the judgements table
(:mod:`ui.own_grades_panel`) and the look-fors' own views under a learning walk's classrooms
(:mod:`ui.look_for_own_grades`).

Both know who the reviewer is and whether they are on the visit's team, say so in a line,
show only the grades the reviewer may see (the others' stay hidden until they have given their
own, unless the setting says otherwise), and record one grade as one small operation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel

from nexus_review.domain.own_grades import VisibleGrades
from nexus_review.domain.working_copy import Record, Table, VisitReviewerField
from nexus_review.errors import NexusError
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from ui.errors import show_error
from ui.settings import Settings
from ui.visit.session import VisitSession

HIDE_SETTING = "consistency/hide_until_own"


class OwnGradesBox(QGroupBox):
    """A box in which the current reviewer gives their own grades, with the team's beside them."""

    own_grade_saved = Signal(object)  # the OwnGrade as recorded (None: cleared)

    def __init__(self, title: str, session: VisitSession, settings: Any = None) -> None:
        super().__init__(title)
        self.session = session
        self.settings = settings or Settings()
        self._loading = False
        self.status = QLabel()
        self.status.setWordWrap(True)

    @property
    def reviewer_id(self) -> str:
        return str(self.settings.get("reviewer/id") or "")

    def _team(self) -> list[dict[str, Any]]:
        return [r for r in self.session.rows(Table.VISIT_REVIEWER) if not r.get(Record.DELETED)]

    def _on_team(self) -> bool:
        mine = self.reviewer_id
        return bool(mine) and any(
            r.get(VisitReviewerField.REVIEWER_ID) == mine for r in self._team()
        )

    def _leads(self) -> set[Any]:
        return {
            r.get(VisitReviewerField.REVIEWER_ID)
            for r in self._team()
            if r.get(VisitReviewerField.IS_LEAD)
        }

    def _say_who(self, what: str, on_team: bool, ready: str) -> None:
        """Say why the reviewer gives no own grade here (``what``: grade or view), or, when
        they do, what to give (``ready``)."""
        if not self.reviewer_id:
            self.status.setText(f"Say who you are (Settings) to give a {what} of your own.")
        elif not on_team:
            self.status.setText(
                f"You are not on this visit's review team, so you give no {what} of your own here."
            )
        else:
            self.status.setText(ready)

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

    def refresh(self) -> None:
        """Show the grades as they are saved; each box lays them out its own way."""
        raise NotImplementedError

    def _record(
        self,
        grade: str | None,
        *,
        area_key: str = "",
        reason: str = "",
        drop_in_id: str | None = None,
        look_for: str = "",
    ) -> None:
        """Record the reviewer's own grade of an area, or of a look-for in a classroom, then
        show what is saved; a refusal is said and nothing changes."""
        # The team, classrooms and look-fors as they are on screen are what the database checks.
        self.session.flush()
        try:
            saved = record_own_grade(
                self.session.db,
                self.session.visit_id,
                self.reviewer_id,
                grade=grade,
                area_key=area_key,
                reason=reason,
                drop_in_id=drop_in_id,
                look_for=look_for,
            )
        except NexusError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self.refresh()
        self.own_grade_saved.emit(saved)
