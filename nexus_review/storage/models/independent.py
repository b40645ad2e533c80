"""Grades each reviewer gives on their own: before the team agrees on a visit, and in a
calibration exercise that shows how far the heads' judgements agree.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexus_review.storage.models.base import Base, SyncMixin
from nexus_review.storage.models.network import Reviewer
from nexus_review.storage.models.visits import DropIn, Visit


class IndependentGrade(SyncMixin, Base):
    """One reviewer's own grade, given before the team agrees: of an area of a visit, or
    (``drop_in_id`` and ``look_for`` set, ``area_key`` empty) of a look-for in one classroom of
    a learning walk, as seen / partly seen / not seen. Kept apart from the agreed judgement;
    its natural key includes the reviewer, so one reviewer's grade never replaces another's."""

    __tablename__ = "independent_grade"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60), default="")
    drop_in_id: Mapped[str | None] = mapped_column(ForeignKey("drop_in.id"), default=None)
    look_for: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

    # So that a flush writes the visit, reviewer and classroom before the grade.
    visit: Mapped[Visit] = relationship()
    reviewer: Mapped[Reviewer] = relationship()
    drop_in: Mapped[DropIn | None] = relationship()


Index(
    "ix_independent_grade_visit_reviewer", IndependentGrade.visit_id, IndependentGrade.reviewer_id
)


class CalibrationExercise(SyncMixin, Base):
    """A piece of anonymised evidence (a written-up lesson visit, a work-scrutiny note) that
    every head grades on their own, so the network can see how far their judgements agree."""

    __tablename__ = "calibration_exercise"

    title: Mapped[str] = mapped_column(String(200))
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    framework_key: Mapped[str] = mapped_column(String(60))
    evidence_kind: Mapped[str] = mapped_column(String(40), default="")
    evidence_text: Mapped[str] = mapped_column(Text, default="")  # staff and school names removed
    area_keys: Mapped[str] = mapped_column(Text, default="")  # the areas to grade, one key a line


class CalibrationAnswer(SyncMixin, Base):
    """One head's grade of one area of a calibration exercise, with their reason."""

    __tablename__ = "calibration_answer"

    exercise_id: Mapped[str] = mapped_column(ForeignKey("calibration_exercise.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60))
    grade: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

    exercise: Mapped[CalibrationExercise] = relationship()
    reviewer: Mapped[Reviewer] = relationship()
