"""A visit and what is recorded on it: the review team, the evidence and the classrooms of a
learning walk, the judgements and the agreed next steps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexus_review.storage.models.base import Base, SyncMixin
from nexus_review.storage.models.network import Reviewer, School


class Visit(SyncMixin, Base):
    """One review of a host school: an evaluation day, a half-day review, a walk or a follow-up.

    Child records (team, evidence, judgements, actions) are loaded with their tombstones, so that
    deletions travel in files; screens and reports read them through the repository, which
    leaves tombstones out.
    """

    __tablename__ = "visit"

    host_school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    framework_key: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(40), default="planned")
    focus_areas: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")  # "what went well", one per line
    areas_for_development: Mapped[str] = mapped_column(Text, default="")  # "even better if"
    questions: Mapped[str] = mapped_column(Text, default="")  # thought-provoking questions
    # Soft references (no foreign key), so a visit can arrive from a laptop before the group or
    # the earlier visit it names: the review group whose rota it belongs to (collaborative
    # reviews), and the earlier visit whose next steps a follow-up visit checks.
    review_group_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    follow_up_of_id: Mapped[str | None] = mapped_column(String(36), default=None)

    host_school: Mapped[School] = relationship()
    team: Mapped[list[VisitReviewer]] = relationship(
        back_populates="visit", order_by="VisitReviewer.position"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="visit", order_by="Evidence.position"
    )
    judgements: Mapped[list[Judgement]] = relationship(
        back_populates="visit", order_by="Judgement.area_key"
    )
    actions: Mapped[list[Action]] = relationship(back_populates="visit", order_by="Action.position")


class VisitReviewer(SyncMixin, Base):
    """A member of a visit's review team; one of them leads."""

    __tablename__ = "visit_reviewer"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewer.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    visit: Mapped[Visit] = relationship(back_populates="team")
    reviewer: Mapped[Reviewer] = relationship()


class Evidence(SyncMixin, Base):
    """One activity of a visit: a lesson observation, a learning walk, work scrutiny, ..."""

    __tablename__ = "evidence"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    time_in: Mapped[dt.time | None] = mapped_column(Time, default=None)
    time_out: Mapped[dt.time | None] = mapped_column(Time, default=None)
    class_name: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(100), default="")
    staff: Mapped[str] = mapped_column(String(200), default="")  # named staff; anonymised on export
    who_what: Mapped[str] = mapped_column(String(300), default="")  # e.g. "6 pupils from Year 5"
    participants: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    focus_links: Mapped[list[Any]] = mapped_column(default=list)  # focus areas it speaks to
    grades: Mapped[dict[str, Any]] = mapped_column(default=dict)  # area key -> grade key
    look_fors: Mapped[list[Any]] = mapped_column(default=list)  # learning walk look-fors

    visit: Mapped[Visit] = relationship(back_populates="evidence")
    drop_ins: Mapped[list[DropIn]] = relationship(
        back_populates="evidence", order_by="DropIn.position"
    )


class DropIn(SyncMixin, Base):
    """One classroom visited on a learning walk."""

    __tablename__ = "drop_in"

    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    class_name: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(40), default="")
    time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    look_for_results: Mapped[dict[str, Any]] = mapped_column(default=dict)  # look-for -> result
    note: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[Evidence] = relationship(back_populates="drop_ins")


class Judgement(SyncMixin, Base):
    """The peer judgement of one area of the framework, beside the school's own."""

    __tablename__ = "judgement"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(60))
    peer_grade: Mapped[str | None] = mapped_column(String(60), default=None)
    self_grade: Mapped[str | None] = mapped_column(String(60), default=None)
    rationale: Mapped[str] = mapped_column(Text, default="")
    evidence_ids: Mapped[list[Any]] = mapped_column(default=list)

    visit: Mapped[Visit] = relationship(back_populates="judgements")


class Action(SyncMixin, Base):
    """An agreed next step, followed up at later meetings."""

    __tablename__ = "action"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(40), default="open")
    follow_up: Mapped[list[Any]] = mapped_column(default=list)  # [{"date": ..., "note": ...}]

    visit: Mapped[Visit] = relationship(back_populates="actions")


Index("ix_visit_status_date", Visit.status, Visit.visit_date)

# The visit list's order and filters read from this index alone (it holds every column they
# use), never from the visits' rows with their long texts.
Index(
    "ix_visit_list",
    Visit.deleted,
    Visit.visit_date,
    Visit.id,
    Visit.host_school_id,
    Visit.kind,
    Visit.status,
)
