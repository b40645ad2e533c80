"""The network: its schools, their review groups and rota, the reviewers and each school's
priorities.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexus_review.storage.models.base import Base, SyncMixin


class School(SyncMixin, Base):
    __tablename__ = "school"

    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str] = mapped_column(String(20), default="")
    phase: Mapped[str] = mapped_column(String(40), default="Primary")
    local_authority: Mapped[str] = mapped_column(String(100), default="")
    headteacher: Mapped[str] = mapped_column(String(200), default="")


class ReviewGroup(SyncMixin, Base):
    """A triad or quartet of schools for one academic year; members hold the hosting rota."""

    __tablename__ = "review_group"

    name: Mapped[str] = mapped_column(String(200))
    academic_year: Mapped[str] = mapped_column(String(7), index=True)  # "2025-26"
    focus: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[ReviewGroupMember]] = relationship(
        back_populates="group", order_by="ReviewGroupMember.position"
    )


class ReviewGroupMember(SyncMixin, Base):
    """A school in a review group, with the date it hosts the group's review (the rota)."""

    __tablename__ = "review_group_member"

    group_id: Mapped[str] = mapped_column(ForeignKey("review_group.id"), index=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    host_date: Mapped[dt.date | None] = mapped_column(Date, default=None)

    group: Mapped[ReviewGroup] = relationship(back_populates="members")
    school: Mapped[School] = relationship()


class Reviewer(SyncMixin, Base):
    __tablename__ = "reviewer"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="Headteacher")
    home_school_id: Mapped[str | None] = mapped_column(ForeignKey("school.id"), default=None)
    email: Mapped[str] = mapped_column(String(200), default="")

    home_school: Mapped[School | None] = relationship()


class SchoolPriority(SyncMixin, Base):
    """One development-plan priority of a school for an academic year."""

    __tablename__ = "school_priority"

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    theme: Mapped[str] = mapped_column(String(100))  # e.g. "Reading and phonics"
    description: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School] = relationship()
