"""Opening a database: engine set-up, connection settings, schema check and migration.

This is the only place that knows the database is SQLite: WAL journal, ``synchronous=FULL``
(a committed note survives a power cut) and foreign keys on every connection. ``--db`` accepts
a file path or any SQLAlchemy URL.

Checking that the schema is current reads ``alembic_version`` with plain SQLAlchemy; Alembic is
imported only when a migration is really needed (it costs most of a second to import).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from nexus_review.domain import vclock
from nexus_review.errors import DatabaseError
from nexus_review.storage.models import (
    BOOKKEEPING,
    KEYED_FIELDS,
    Base,
    DatabaseInfo,
    SyncMixin,
    utcnow,
)
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
            raise DatabaseError(
                f"'{raw}' is not a database path or URL the program understands."
            ) from exc
        return raw
    path = Path(raw).expanduser().resolve()
    return f"sqlite:///{path}"


def with_password(url: str, password: str) -> str:
    """A server URL with this password in it (for a connection; never shown)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """A server URL with any password taken out (to remember it)."""
    try:
        return make_url(url).set(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and other databases."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def shown_location(url: str) -> str:
    """How a database is named in messages: its file, or its server and database name. Never
    the user name or password a URL may carry."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "the database"
    if parsed.get_backend_name() == "sqlite":
        return "the database in memory"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.database or ''} on {host}{port}".strip()


def _server_error(msg: str, url: str) -> DatabaseError | None:
    """One sentence for a network server's connection problems; None when it is not one."""
    parsed = make_url(url)
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    server = f"{host}{port}"
    if (
        "password authentication failed" in msg
        or "no password supplied" in msg
        or "pg_hba.conf" in msg
    ):
        return DatabaseError(
            f"The database server at {server} refused the login for {parsed.username or 'this user'}; "
            "check the user name and password, or ask the network administrator."
        )
    if re.search(r'database "[^"]*" does not exist', msg):
        return DatabaseError(
            f"The database server at {server} has no database called {parsed.database}; check the address."
        )
    if "certificate" in msg or "ssl" in msg:
        return DatabaseError(
            f"The database server at {server} could not be trusted over an encrypted connection; "
            "check its certificate and the connection settings."
        )
    if any(
        words in msg
        for words in (
            "connection refused", "could not connect", "connection failed", "could not translate host",
            "name or service not known", "timeout", "timed out", "network is unreachable",
            "no route to host", "server closed the connection", "terminating connection",
            "connection is lost", "connection already closed", "the connection is closed",
        )
    ):  # fmt: skip
        return DatabaseError(
            f"The database server at {server} cannot be reached; check the network connection and "
            "try again (work on this laptop carries on offline)."
        )
    return None


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
        # hide_parameters: an error message never carries what a reviewer typed into the log.
        engine = create_engine(url, connect_args={"timeout": 5}, hide_parameters=True)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # A network server many people write to at once: every unit of work is serialisable,
        # so two writers never both act on what the other is changing; the few that collide are
        # retried (is_retryable) by the use cases that write in bulk (imports, syncs).
        return create_engine(
            url, pool_pre_ping=True, hide_parameters=True, isolation_level="SERIALIZABLE"
        )
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


RETRYABLE_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def is_retryable(exc: BaseException) -> bool:
    """Whether a server's error means "collided with another writer; run it again"."""
    orig = getattr(exc, "orig", exc)
    return (
        str(getattr(orig, "sqlstate", "") or getattr(orig, "pgcode", "") or "") in RETRYABLE_STATES
    )


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
            obj.field_versions = {
                "base": vclock.stamp({device: 1}, vclock.later_time(now, None), device),
                "fields": {},
            }
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            bump(obj, device, now, changed_fields(session, obj))


def changed_fields(session: Session, obj: SyncMixin) -> list[str]:
    """The fields a local change touched (keyed mappings: the keys whose value changed)."""
    from sqlalchemy import inspect as inspect_object

    state = inspect_object(obj)
    keyed = KEYED_FIELDS.get(getattr(obj, "__tablename__", ""), ())
    names: list[str] = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in BOOKKEEPING:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        if key not in keyed:
            names.append(key)
            continue
        new = getattr(obj, key)
        if history.deleted:
            old = history.deleted[0]
        else:  # changed in place: what the database holds is the value before the change
            table = type(obj).__table__
            with session.no_autoflush:
                old = session.execute(select(table.c[key]).where(table.c.id == obj.id)).scalar()
        if not isinstance(old, dict) or not isinstance(new, dict):
            names.append(key)
            continue
        names += [
            f"{key}[{k}]" for k in sorted(set(old) | set(new), key=str) if old.get(k) != new.get(k)
        ]
    return names


def bump(obj: SyncMixin, device: str, now: Any = None, fields: Any = None) -> None:
    """Record one local change to a record: a new revision by this device, and a new
    version of each field it changed."""
    now = now or utcnow()
    before = vclock.record_stamp(
        obj.vclock or {},
        obj.updated_at.astimezone(dt.UTC).isoformat() if obj.updated_at else "",
        obj.device_id or "",
    )
    clock = dict(obj.vclock or {})
    clock[device] = int(clock.get(device, 0)) + 1
    obj.vclock = clock
    obj.revision = (obj.revision or 0) + 1
    obj.device_id = device
    obj.updated_at = now
    if fields:
        obj.field_versions = vclock.with_changes(
            obj.field_versions, fields, clock, now, device, before
        )


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


def translate_error(exc: DBAPIError, url: str) -> DatabaseError:
    """One plain sentence for the database problems a user can meet."""
    where = shown_location(url)
    msg = str(getattr(exc, "orig", exc)).lower()
    if sqlite_path(url) is None and make_url(url).get_backend_name() != "sqlite":
        if is_retryable(exc):
            return DatabaseError(
                f"Someone else changed the same records on {where} at the same moment; try again."
            )
        found = _server_error(msg, url)
        if found is not None:
            return found
        # A server's own message may repeat the address it was given: not shown.
        return DatabaseError(
            f"The database {where} could not be used ({type(getattr(exc, 'orig', exc)).__name__})."
        )
    if "locked" in msg or "busy" in msg:
        return DatabaseError(
            f"The database {where} is busy in another program; close it there and try again."
        )
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        path = sqlite_path(url)
        if path is not None:
            from nexus_review.storage.backups import damaged_message

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
        from nexus_review.storage.search import install as install_search_index

        install_search_index(conn)
        conn.execute(
            text(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        )
        conn.execute(
            text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": SCHEMA_HEAD}
        )


def run_migrations(engine: Engine, revision: str = "head") -> None:
    """Bring the database to a schema revision with Alembic (imported only here)."""
    from nexus_review.storage.migrate import upgrade

    upgrade(engine, revision)


def ensure_schema(engine: Engine, url: str) -> None:
    revision = current_revision(engine)
    if revision == EMPTY:
        _create_fresh(engine)
    elif revision == NOT_OURS:
        raise DatabaseError(
            f"{shown_location(url)} is not a Nexus Review database; choose another file."
        )
    elif revision != SCHEMA_HEAD:
        from nexus_review.storage.migrate import known_revisions

        if revision is not None and revision not in known_revisions():
            raise DatabaseError(
                f"The database {shown_location(url)} was made by a newer version of Nexus Review; "
                "update the program to open it."
            )
        path = sqlite_path(url)
        if path is not None and path.exists():
            from nexus_review.storage.backups import make_backup

            make_backup(path, "before-migration")
        run_migrations(engine)


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
        device = _take_device_id(factory, url)
        factory.configure(info={"device_id": device})
    except DBAPIError as exc:
        engine.dispose()
        raise translate_error(exc, url) from exc
    except Exception:
        engine.dispose()
        raise
    log.info("opened database %s (device %s)", shown_location(url), device)
    return Database(url=url, engine=engine, sessions=factory, device_id=device)


# ---------------------------------------------------------------------------- device ids
#
# A device id names the one installation that writes changes under it. It is kept in this
# installation's data folder (``devices.json``), bound to a database by the database's own
# random id and where it lies, never in the database file alone: a database copied to another
# laptop (or beside itself) finds no id for itself there and takes a new one for its future
# changes, so two laptops set up from one file never write changes under the same id.
# The database remembers every id it has written under (``device_ids``), so that what it
# exports includes its own changes made before a move.

OWN_DEVICES_KEY = "device_ids"


def _location(url: str) -> str | None:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return None  # in memory: a new database every time
    return parsed.render_as_string(hide_password=True)


def _read_devices() -> dict[str, Any]:
    from nexus_review.paths import devices_path

    try:
        data = json.loads(devices_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    databases = data.get("databases") if isinstance(data, dict) else None
    return databases if isinstance(databases, dict) else {}


def _write_devices(databases: dict[str, Any]) -> None:
    from nexus_review.fileio import write_bytes_atomic
    from nexus_review.paths import devices_path

    try:
        write_bytes_atomic(
            devices_path(),
            json.dumps({"databases": databases}, indent=1, sort_keys=True).encode("utf-8"),
        )
    except Exception:  # not fatal: the next opening takes a new id, which is always safe
        log.warning("could not record this installation's device id", exc_info=True)


def own_device_ids(session: Session) -> list[str]:
    """Every device id this database has written its own changes under."""
    return [d for d in get_info(session, OWN_DEVICES_KEY).split() if d]


def _take_device_id(factory: sessionmaker[NexusSession], url: str) -> str:
    with factory() as session:
        uid = _read_info(session, "database_uid")
        previous = _read_info(session, "device_id")  # databases from before ids lived outside
        own = own_device_ids(session)
    new_uid = uid is None
    uid = uid or uuid.uuid4().hex
    location = _location(url)
    databases = _read_devices() if location is not None else {}
    entry = databases.get(location or "")
    device = (
        entry.get("device") if isinstance(entry, dict) and entry.get("database") == uid else None
    )
    if not isinstance(device, str) or not device:
        device = uuid.uuid4().hex[:16]
        if location is not None:
            databases[location] = {"device": device, "database": uid}
            _write_devices(databases)
    known = [d for d in (*own, previous, device) if d]
    known = list(dict.fromkeys(known))
    if new_uid or known != own or previous != device:
        try:
            with factory.begin() as session:
                set_info(session, "database_uid", uid)
                set_info(session, OWN_DEVICES_KEY, " ".join(known))
                set_info(session, "device_id", device)
        except (DBAPIError, StaleDataError) as exc:
            if sqlite_path(url) is None and make_url(url).get_backend_name() != "sqlite":
                # A network server: a login that may not write there (row-level security
                # hides the row, or refuses the write), or another client recording its id
                # at the same moment; the id is recorded next time.
                log.info("device id %s not recorded on the server (%s)", device, type(exc).__name__)
            elif not isinstance(exc, OperationalError) or "readonly" not in str(exc.orig).lower():
                raise
            else:
                log.info("database is read-only: device id %s not recorded in it", device)
    return device


def forget_device_id(target: str | Path) -> None:
    """Make the database at ``target`` take a new device id when next opened (after its file
    was replaced, e.g. restored from a backup, whose versions this device may already have
    used)."""
    location = _location(database_url(target))
    if location is None:
        return
    databases = _read_devices()
    if databases.pop(location, None) is not None:
        _write_devices(databases)


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
    "NexusSession",
    "Session",
    "active",
    "bump",
    "database_url",
    "get_info",
    "open_database",
    "select",
    "set_info",
    "sqlite_path",
]
