"""The grades of one lesson observation, an area a row, where the network grades single lessons."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox

from nexus_review.domain.enums import EvidenceKind
from nexus_review.domain.working_copy import EvidenceField, Table, VisitField
from nexus_review.frameworks import SAFEGUARDING_KEY, applicable_areas, get_framework
from nexus_review.usecases.network import lesson_grading_enabled
from ui.visit.judgement_model import host_phase
from ui.visit.session import VisitSession
from ui.widgets import QuietComboBox


class LessonGradesBox(QGroupBox):
    """A grade for each area that applies to the host school, for the lesson shown in the
    evidence form. Ofsted no longer grades single lessons: the grades show only where the
    network grades them, or where a lesson already has grades."""

    def __init__(self, session: VisitSession) -> None:
        super().__init__("Grades for this lesson (optional)")
        self.session = session
        self.evidence_id: str | None = None
        self.lesson_grading = lesson_grading_enabled(session.db)
        self.grades_layout = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}
        session.changed.connect(self._on_session_changed)

    def set_lesson_grading(self, on: bool) -> None:
        """The network switched grading single lessons on or off."""
        self.lesson_grading = on
        self.show_for(self.evidence_id)

    def _grades(self) -> dict[str, str]:
        if not self.evidence_id:
            return {}
        return self.session.value(Table.EVIDENCE, self.evidence_id, EvidenceField.GRADES) or {}

    def show_for(self, evidence_id: str | None) -> None:
        """The grades of this piece of evidence, if it is a lesson; hidden otherwise."""
        self.evidence_id = evidence_id
        while self.grades_layout.rowCount():
            self.grades_layout.removeRow(0)
        self.combos.clear()
        framework = get_framework(self.session.visit[VisitField.FRAMEWORK_KEY])
        kind = (
            self.session.value(Table.EVIDENCE, evidence_id, EvidenceField.KIND)
            if evidence_id
            else ""
        )
        grades = self._grades()
        shown = (
            kind == EvidenceKind.LESSON_OBSERVATION
            and framework.graded
            and evidence_id is not None
            and (self.lesson_grading or bool(grades))
        )
        self.setVisible(shown)
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
            self.combos[area.key] = combo
            self.grades_layout.addRow(area.name, combo)

    def _on_grade(self, area_key: str, grade: str) -> None:
        if not self.evidence_id:
            return
        grades = dict(self._grades())
        if grade:
            grades[area_key] = grade
        else:
            grades.pop(area_key, None)
        self.session.edit(
            Table.EVIDENCE,
            self.evidence_id,
            EvidenceField.GRADES,
            grades,
            text="Grade a lesson",
            merge=False,
        )

    def _on_session_changed(self, table: str, record_id: str, field: str) -> None:
        if (
            table == Table.EVIDENCE
            and record_id == self.evidence_id
            and field == EvidenceField.GRADES
        ):
            grades = self._grades()
            for key, combo in self.combos.items():
                combo.setCurrentIndex(max(combo.findData(grades.get(key, "")), 0))
