"""What review packages leave behind in a database (the imports, the conflicts still to
choose, how far its own changes have gone out, the records merged under another id), and the
database's own notes about itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nexus_review.storage.models.base import Base, SyncMixin, utcnow


class ImportRecord(SyncMixin, Base):
    """What one imported review package brought into the network database."""

    __tablename__ = "import_record"

    file_name: Mapped[str] = mapped_column(String(500))
    package_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    source_device_id: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)


class Conflict(SyncMixin, Base):
    """Two versions of one record changed on both sides; both kept until someone chooses."""

    __tablename__ = "conflict"

    import_id: Mapped[str | None] = mapped_column(ForeignKey("import_record.id"), default=None)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    ours: Mapped[dict[str, Any]] = mapped_column()  # version held before the import
    theirs: Mapped[dict[str, Any]] = mapped_column()  # version the package brought
    shown: Mapped[str] = mapped_column(String(10), default="ours")  # which one the record holds
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(String(10), default=None)  # "ours"/"theirs"
    # The one field whose two versions disagree (a look-for or grade as "look_for_results[Oracy]");
    # None for conflicts recorded before fields merged one by one (the whole record).
    field_name: Mapped[str | None] = mapped_column(String(300), default=None)


class DatabaseInfo(Base):
    """Key-value facts about this database: its device id, when it last exported a package."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ExportMark(Base):
    """How far this database's own changes to a record have gone out in review packages:
    the record's version-vector entries for this database's device ids when last exported."""

    __tablename__ = "export_mark"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vclock: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RecordAlias(Base):
    """A record another laptop made for the same natural key (a judgement of the same visit
    and area, the same priority) under its own id; it merged into ``record_id`` here."""

    __tablename__ = "record_alias"

    alias_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
