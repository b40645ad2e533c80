"""A throw-away PostgreSQL server for the tests: one per test session, in a temporary folder,
on a free port of the loopback interface, started from the installed server binaries.

The binaries are looked for under ``/usr/lib/postgresql/*/bin`` (Debian and Ubuntu), then on
``PATH``. Without them the PostgreSQL half of the tests is skipped, unless
``NEXUS_REVIEW_REQUIRE_POSTGRES`` is set (CI sets it), when it fails instead.

``initdb`` refuses to run as root, and tests run as root in CI: then the server runs as the
``postgres`` user the server package creates (or ``nobody``), through ``runuser``; its folder is
given to that user. Each test gets a database of its own, copied from a template that already
holds the schema (``CREATE DATABASE ... TEMPLATE``), and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPERUSER = "nexus_test"
REQUIRE_ENV = "NEXUS_REVIEW_REQUIRE_POSTGRES"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first; None when not installed."""

    def version(path: str) -> tuple[int, ...]:
        found = re.search(r"postgresql/([\d.]+)/bin", path)
        return tuple(int(p) for p in found.group(1).split(".")) if found else (0,)

    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK):
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    """The unprivileged user to run the server as, or None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and there is no unprivileged user to run PostgreSQL as")


@dataclass
class PgServer:
    """A running throw-away server."""

    bindir: Path
    folder: Path
    port: int
    password: str
    user: str | None
    templates: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)  # server settings over the defaults

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        pw = self.password if password is None else password
        return f"postgresql+psycopg://{user}:{pw}@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in argv]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n", "utf-8")
        if self.user is not None:
            info = pwd.getpwnam(self.user)
            os.chown(self.folder, info.pw_uid, info.pw_gid)
            os.chown(pwfile, info.pw_uid, info.pw_gid)
        self._run(
            self.bindir / "initdb", "-D", self.data, "-U", SUPERUSER, f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "-N",
        )  # fmt: skip
        pwfile.unlink()
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=120",
                "-c max_prepared_transactions=120",  # a sync commits in two phases
                "-c shared_buffers=32MB",
                *(f"-c {name}={value}" for name, value in self.settings.items()),
            ]
        )
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.folder / "log",
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        if self in RUNNING:
            RUNNING.remove(self)
        with contextlib.suppress(Exception):
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def admin(self) -> Any:
        """A plain autocommit connection as the superuser (for CREATE and DROP DATABASE)."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self, template: str | None = None) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        with contextlib.closing(self.admin()) as conn:
            conn.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.closing(self.admin()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def template(self, key: str, fill: Any) -> str:
        """A database made once per session by ``fill(url)``, to copy for each test."""
        if key not in self.templates:
            name = self.create_database()
            fill(self.url(name))
            self.templates[key] = name
        return self.templates[key]

    @contextlib.contextmanager
    def database(self, template: str | None = None) -> Iterator[str]:
        """A fresh database for one test; its URL."""
        name = self.create_database(template)
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)


def start_server(settings: dict[str, str] | None = None) -> PgServer:
    """A new throw-away server; ``settings`` (name: value) override the defaults above, for a
    test of a server set up differently (one that refuses prepared transactions, say)."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise FileNotFoundError(
            "psycopg is not installed (pip install 'nexus-review[server]')"
        ) from exc
    folder = Path(tempfile.mkdtemp(prefix="nexus-review-pg-"))
    server = PgServer(
        bindir=bindir,
        folder=folder,
        port=free_port(),
        password=uuid.uuid4().hex,
        user=_server_user(),
        settings=dict(settings or {}),
    )
    for attempt in range(3):
        try:
            server.start()
            RUNNING.append(server)
            return server
        except subprocess.CalledProcessError:
            # Another program took the port between choosing and starting: try another.
            if attempt == 2:
                log = server.folder / "log"
                detail = log.read_text("utf-8", "replace") if log.exists() else ""
                server.stop()
                raise RuntimeError(f"PostgreSQL did not start:\n{detail}") from None
            shutil.rmtree(server.data, ignore_errors=True)
            server.port = free_port()
            time.sleep(0.2)
    raise AssertionError("unreachable")


RUNNING: list[PgServer] = []  # the servers running, for helpers that copy their databases


def copy_database(src: Any, dest: Path) -> Any:
    """An open copy of a database: its file copied to ``dest``, or on the server a new
    database made from it (dropped with the server at the end of the session)."""
    from sqlalchemy.engine import make_url

    from nexus_review.storage.database import open_database

    if src.path is not None:
        with src.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(src.path, dest)
        return open_database(dest)
    server = next(s for s in RUNNING if s.port == make_url(src.url).port)
    src.engine.dispose()  # a database is copied only while nobody is connected to it
    return open_database(server.url(server.create_database(make_url(src.url).database)))


def dump(db: Any) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every row of every table of an open database, in a stable order: what "unchanged"
    means on either kind of database."""
    from sqlalchemy import inspect, text

    out = []
    with db.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out.append((table, sorted((tuple(r) for r in rows), key=repr)))
    return out
