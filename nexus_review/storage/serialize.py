"""Records as plain JSON-ready dicts and back, column by column.

Used by visit files and review packages alike, so both carry every column, the sync metadata
included, in one way: dates and times as ISO 8601 text, UTC datetimes with their offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, Integer, Time
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import JSON

from nexus_review.storage.models import BOOKKEEPING, KEYED_FIELDS, SyncMixin, UTCDateTime


def _columns(model: type[DeclarativeBase] | type[SyncMixin]) -> list[Any]:
    return list(model.__table__.columns)


def column_names(model: type[DeclarativeBase] | type[SyncMixin]) -> list[str]:
    return [c.key for c in _columns(model)]


def to_dict(obj: DeclarativeBase | SyncMixin, *, versions: bool = False) -> dict[str, Any]:
    """Every column of a record, JSON-ready, in table order; the field versions only with
    ``versions`` (review packages carry them, visit files do not)."""
    out: dict[str, Any] = {}
    for col in _columns(type(obj)):
        if col.key == "field_versions" and not versions:
            continue
        value = getattr(obj, col.key)
        out[col.key] = _dump(value)
    return out


def dump_value(value: Any) -> Any:
    return _dump(value)


def _dump(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def from_dict(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """Column values parsed from a dict made by :func:`to_dict` (raises ValueError if bad)."""
    values: dict[str, Any] = {}
    for col in _columns(model):
        if col.key not in data:
            continue
        values[col.key] = _load(col.type, data[col.key], col.key)
    return values


def _load(col_type: Any, raw: Any, name: str) -> Any:
    if raw is None:
        return None
    if isinstance(col_type, UTCDateTime):
        value = dt.datetime.fromisoformat(str(raw))
        if value.tzinfo is None:
            raise ValueError(f"{name} needs a time zone")
        return value.astimezone(dt.UTC)
    if isinstance(col_type, Date):
        return dt.date.fromisoformat(str(raw))
    if isinstance(col_type, Time):
        return dt.time.fromisoformat(str(raw))
    if isinstance(col_type, Boolean):
        if not isinstance(raw, bool):
            raise ValueError(f"{name} must be true or false")
        return raw
    if isinstance(col_type, Integer):
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ValueError(f"{name} must be a whole number")
        return raw
    if isinstance(col_type, JSON):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"{name} must be text")
    return raw


def content_equal(obj: DeclarativeBase | SyncMixin, data: dict[str, Any]) -> bool:
    """True if a record already holds exactly these values (compared as serialised)."""
    current = to_dict(obj)
    return all(current.get(k) == v for k, v in data.items())


def column_kind(column: Any) -> str:
    """What a column holds, as the package schema declares it: boolean, integer, json,
    datetime, date, time or text."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, UTCDateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Time):
        return "time"
    return "text"


def keyed_name(column: str, key: str) -> str:
    """The name of one entry of a keyed mapping column: "look_for_results[Talk partners]"."""
    return f"{column}[{key}]"


def expand(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A record's content as {field name: value}, keyed mappings one entry per key."""
    out: dict[str, Any] = {}
    keyed = KEYED_FIELDS.get(table, ())
    for column, value in row.items():
        if column in BOOKKEEPING:
            continue
        if column in keyed and isinstance(value, dict):
            for key, item in value.items():
                out[keyed_name(column, str(key))] = item
        else:
            out[column] = value
    return out
