"""The ground every record stands on: the declarative base with its naming convention, UTC
times, and the columns that let a record merge safely.

Every record carries a UUID key, when it was created and last changed (UTC), the device that
last changed it, a revision number, a version vector (how many changes each device has made to
it, which is what lets a merge tell "newer" from "changed on both sides") and a tombstone flag:
normal use never deletes a row, it marks it deleted so that the deletion can travel to the
network database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import FromClause

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC without a zone (portable across databases) and gives back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a UTC time")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # JSON lists and dicts track in-place changes (``visit.focus_areas.append(...)`` is saved).
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: MutableDict.as_mutable(JSON()),
        list[Any]: MutableList.as_mutable(JSON()),
    }


class SyncMixin:
    """The columns that let a record be merged from many laptops without loss."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    vclock: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version of each field (see nexus_review.domain.vclock): what lets two laptops that
    # changed different fields of one record merge without a conflict. Empty for records
    # written before fields had versions: every field then has the record's own version.
    field_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)

    if TYPE_CHECKING:  # what every table class mixing this in has (declared by Base)
        __tablename__: Any
        __table__: ClassVar[FromClause]
