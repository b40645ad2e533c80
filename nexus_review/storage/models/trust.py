"""The trust's view: aims, indicators and the delivery plan. School-level figures only, never
a pupil's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nexus_review.storage.models.base import Base, SyncMixin


class Aim(SyncMixin, Base):
    """One of the network's aims (a trust's "Big 3"), under which schools' priorities gather."""

    __tablename__ = "aim"

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AimTheme(SyncMixin, Base):
    """A priority theme ("Reading and phonics") and the one aim it belongs under."""

    __tablename__ = "aim_theme"

    theme: Mapped[str] = mapped_column(String(100), index=True)
    aim_id: Mapped[str] = mapped_column(ForeignKey("aim.id"), index=True)


class Indicator(SyncMixin, Base):
    """An indicator the network tracks beyond (or instead of) the shipped defaults."""

    __tablename__ = "indicator"

    key: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(String(200))
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[str] = mapped_column(String(20), default="%")
    position: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(SyncMixin, Base):
    """One school-level figure: school x academic year x pupil group x indicator.

    The value is kept in tenths (67.7 is 677) so that it travels exactly; the pupil count is
    the number of pupils in the group, never anything about a pupil.
    """

    __tablename__ = "indicator_value"

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    pupil_group: Mapped[str] = mapped_column(String(40))
    indicator_key: Mapped[str] = mapped_column(String(60))
    value_tenths: Mapped[int] = mapped_column(Integer)
    pupils: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryAction(SyncMixin, Base):
    """A measurable action of the network's delivery plan under one aim."""

    __tablename__ = "delivery_action"

    aim_id: Mapped[str] = mapped_column(ForeignKey("aim.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    how: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")  # the measurable outcome
    lead: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)


class DeliveryProgress(SyncMixin, Base):
    """How a delivery action stands at the end of one term, as reported to the board."""

    __tablename__ = "delivery_progress"

    action_id: Mapped[str] = mapped_column(ForeignKey("delivery_action.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(7))
    term: Mapped[str] = mapped_column(String(10))  # autumn, spring, summer
    status: Mapped[str] = mapped_column(String(20), default="on_track")
    note: Mapped[str] = mapped_column(Text, default="")
