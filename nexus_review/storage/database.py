"""Opening a database: the path or URL checked, the file checked for damage, the engine made,
the schema brought up to date and this device's id taken, in that order.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from nexus_review.errors import DatabaseError
from nexus_review.storage.connection import (
    database_url,
    make_engine,
    shown_location,
    sqlite_path,
    translate_error,
)
from nexus_review.storage.devices import take_device_id
from nexus_review.storage.info import get_info, set_info
from nexus_review.storage.models import SyncMixin
from nexus_review.storage.schema import ensure_schema
from nexus_review.storage.stamping import NexusSession

log = logging.getLogger(__name__)


@dataclass
class Database:
    """An open database: its URL, engine, session factory and this device's id."""

    url: str = field(repr=False)  # may hold a server login's password
    engine: Engine
    sessions: sessionmaker[NexusSession]
    device_id: str

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def location(self) -> str:
        """The database as a message names it (no user name or password)."""
        return shown_location(self.url)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[NexusSession]:
        """One unit of work: commits at the end, rolls back on any error."""
        try:
            with self.sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise translate_error(exc, self.url) from exc

    @contextlib.contextmanager
    def reading(self) -> Iterator[NexusSession]:
        """A read-only look; nothing is committed."""
        try:
            with self.sessions() as session:
                yield session
        except OperationalError as exc:
            raise translate_error(exc, self.url) from exc

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path, *, create: bool = True, checked: bool = False) -> Database:
    """Open (and create or migrate) the database at a path or URL. An existing SQLite file is
    checked for damage first, unless the caller has just checked it (``checked``): the check
    reads the whole file."""
    url = database_url(target)
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise DatabaseError(f"There is no database at {path}.")
    if path is not None and path.exists() and path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    if not checked and path is not None and path.exists() and path.stat().st_size > 0:
        # Checked read-only before anything else: a damaged database is never written to.
        from nexus_review.storage.backups import check_integrity, damaged_message

        if check_integrity(path) is not None:
            raise DatabaseError(damaged_message(path))
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(
            f"The database URL {make_url(url).render_as_string(hide_password=True)} needs a database "
            "driver that is not installed here."
        ) from exc
    except OSError as exc:
        raise DatabaseError(
            f"The database folder for {shown_location(url)} cannot be created ({exc.strerror})."
        ) from exc
    try:
        ensure_schema(engine, url)
        factory = sessionmaker(engine, class_=NexusSession, expire_on_commit=False)
        device = take_device_id(factory, url)
        factory.configure(info={"device_id": device})
    except DBAPIError as exc:
        engine.dispose()
        raise translate_error(exc, url) from exc
    except Exception:
        engine.dispose()
        raise
    log.info("opened database %s (device %s)", shown_location(url), device)
    return Database(url=url, engine=engine, sessions=factory, device_id=device)


def model_defaults(model: type[SyncMixin]) -> dict[str, Any]:
    """Each column of a table with the value a new record starts with (None if it has none)."""
    out: dict[str, Any] = {}
    for col in inspect(model).columns:
        default = col.default
        if default is None:
            out[col.key] = None
        elif default.is_scalar:
            out[col.key] = default.arg
        elif default.is_callable:
            out[col.key] = default.arg(None)
    return out


def active(query: Any, model: type[SyncMixin]) -> Any:
    """Restrict a select() to records that are not tombstoned."""
    return query.where(model.deleted.is_(False))


__all__ = [
    "Database",
    "Session",
    "active",
    "get_info",
    "model_defaults",
    "open_database",
    "select",
    "set_info",
]
