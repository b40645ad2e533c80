"""Where a database lies and how the program connects to it: paths and URLs, the engine with
the settings every connection gets, and one plain sentence for each problem a user can meet.

This is the only place that knows the database is SQLite: WAL journal, ``synchronous=FULL``
(a committed note survives a power cut) and foreign keys on every connection. ``--db`` accepts
a file path or any SQLAlchemy URL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from nexus_review.errors import DatabaseError


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
