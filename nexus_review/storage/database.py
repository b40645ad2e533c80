"""Opening a database: engine set-up, connection settings, schema check and migration.

This is the only place that knows the database is SQLite: WAL journal, ``synchronous=FULL``
(a committed note survives a power cut) and foreign keys on every connection. ``--db`` accepts
a file path or any SQLAlchemy URL.

Checking that the schema is current reads ``alembic_version`` with plain SQLAlchemy; Alembic is
imported only when a migration is really needed (it costs most of a second to import).
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from nexus_review.errors import DatabaseError
from nexus_review.storage.models import Base, DatabaseInfo, SyncMixin, utcnow
from nexus_review.storage.schema import SCHEMA_HEAD

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version"


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path or URL given by the user."""
    raw = str(target)
    if "://" in raw:
        try:
            make_url(raw)
        except ArgumentError as exc:
            raise DatabaseError(f"'{raw}' is not a database path or URL the program understands.") from exc
        return raw
    path = Path(raw).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, pool_pre_ping=True)


class NexusSession(Session):
    """A session that stamps every change with this database's device and a new revision."""


@event.listens_for(NexusSession, "before_flush")
def _stamp_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get("raw_sync"):
        return  # a merge writes records exactly as they arrived
    device = session.info.get("device_id", "")
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            obj.device_id = device
            obj.vclock = {device: 1}
            obj.revision = 1
            obj.created_at = obj.created_at or now
            obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            bump(obj, device, now)


def bump(obj: SyncMixin, device: str, now: Any = None) -> None:
    """Record one local change to a record: a new revision by this device."""
    clock = dict(obj.vclock or {})
    clock[device] = int(clock.get(device, 0)) + 1
    obj.vclock = clock
    obj.revision = (obj.revision or 0) + 1
    obj.device_id = device
    obj.updated_at = now or utcnow()


@dataclass
class Database:
    """An open database: its URL, engine, session factory and this device's id."""

    url: str
    engine: Engine
    sessions: sessionmaker[NexusSession]
    device_id: str

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

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


def translate_error(exc: DBAPIError, url: str) -> DatabaseError:
    """One plain sentence for the database problems a user can meet."""
    where = sqlite_path(url) or url
    msg = str(getattr(exc, "orig", exc)).lower()
    if "locked" in msg or "busy" in msg:
        return DatabaseError(
            f"The database {where} is busy in another program; close it there and try again."
        )
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        path = sqlite_path(url)
        if path is not None:
            from nexus_review.storage.safety import damaged_message

            return DatabaseError(damaged_message(path))
        return DatabaseError(f"The database {where} is damaged; restore it from a backup.")
    if "readonly" in msg or "read-only" in msg:
        path = sqlite_path(url)
        if path is not None and not os.access(path.parent, os.W_OK):
            return DatabaseError(
                f"The database {where} is in a read-only folder, and the program needs to write beside it; "
                "copy it to a folder you can write to, or check the folder's permissions."
            )
        return DatabaseError(f"The database {where} is read-only; check the file's permissions.")
    if "disk is full" in msg or "disk full" in msg:
        return DatabaseError(f"The disk holding {where} is full; free some space and try again.")
    if "unable to open" in msg:
        return DatabaseError(
            f"The database {where} cannot be opened; check that its folder exists and is writable."
        )
    return DatabaseError(f"The database {where} could not be used ({msg}).")


def _read_info(session: Session, key: str) -> str | None:
    row = session.get(DatabaseInfo, key)
    return row.value if row else None


def get_info(session: Session, key: str, default: str = "") -> str:
    value = _read_info(session, key)
    return default if value is None else value


def set_info(session: Session, key: str, value: str) -> None:
    row = session.get(DatabaseInfo, key)
    if row is None:
        session.add(DatabaseInfo(key=key, value=value))
    else:
        row.value = value


EMPTY = ""  # the database has no tables yet
NOT_OURS = "-"  # tables, but no schema version: some other program's file


def current_revision(engine: Engine) -> str | None:
    """The schema revision in the database: EMPTY, NOT_OURS, None (version table, no
    revision yet: migrate from the start) or the revision id."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if not names:
            return EMPTY
        if VERSION_TABLE not in names:
            return NOT_OURS
        return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _create_fresh(engine: Engine) -> None:
    """A new database: create the newest schema and record it, as Alembic's stamp would."""
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        conn.execute(text(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": SCHEMA_HEAD})


def run_migrations(engine: Engine, revision: str = "head") -> None:
    """Bring the database to a schema revision with Alembic (imported only here)."""
    from nexus_review.storage.migrate import upgrade

    upgrade(engine, revision)


# Called before a migration changes an existing database (the data-safety layer installs a backup).
before_migration_hooks: list[Any] = []


def ensure_schema(engine: Engine, url: str) -> None:
    revision = current_revision(engine)
    if revision == EMPTY:
        _create_fresh(engine)
    elif revision == NOT_OURS:
        raise DatabaseError(
            f"{sqlite_path(url) or url} is not a Nexus Review database; choose another file."
        )
    elif revision != SCHEMA_HEAD:
        from nexus_review.storage.migrate import known_revisions

        if revision is not None and revision not in known_revisions():
            raise DatabaseError(
                f"The database {sqlite_path(url) or url} was made by a newer version of Nexus Review; "
                "update the program to open it."
            )
        for hook in before_migration_hooks:
            hook(engine, url)
        run_migrations(engine)


def open_database(target: str | Path, *, create: bool = True) -> Database:
    """Open (and create or migrate) the database at a path or URL."""
    url = database_url(target)
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise DatabaseError(f"There is no database at {path}.")
    if path is not None and path.exists() and path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    if path is not None and path.exists() and path.stat().st_size > 0:
        # Checked read-only before anything else: a damaged database is never written to.
        from nexus_review.storage.safety import check_integrity, damaged_message

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
            f"The database folder for {path or url} cannot be created ({exc.strerror})."
        ) from exc
    try:
        ensure_schema(engine, url)
        factory = sessionmaker(engine, class_=NexusSession, expire_on_commit=False)
        with factory.begin() as session:
            device = _read_info(session, "device_id")
            if device is None:
                device = uuid.uuid4().hex[:16]
                set_info(session, "device_id", device)
        factory.configure(info={"device_id": device})
    except DBAPIError as exc:
        engine.dispose()
        raise translate_error(exc, url) from exc
    except Exception:
        engine.dispose()
        raise
    log.info("opened database %s (device %s)", path or url, device)
    return Database(url=url, engine=engine, sessions=factory, device_id=device)


def active(query: Any, model: type[SyncMixin]) -> Any:
    """Restrict a select() to records that are not tombstoned."""
    return query.where(model.deleted.is_(False))


__all__ = [
    "Database",
    "active",
    "bump",
    "database_url",
    "get_info",
    "open_database",
    "select",
    "set_info",
    "sqlite_path",
]
