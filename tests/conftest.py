"""Shared test set-up: Qt offscreen, a private data folder, and fresh databases."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Before any QApplication exists: no screen is needed, and nothing touches the user's data.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Exported files are never opened in another program during tests.
os.environ.setdefault("NEXUS_REVIEW_NO_OPEN", "1")
# Nothing a test does, session fixtures included, touches the user's own data folder; each test
# also gets a folder of its own (below).
os.environ["NEXUS_REVIEW_DATA_DIR"] = tempfile.mkdtemp(prefix="nexus-review-tests-")

import pytest
from hypothesis import settings as hypothesis_settings

# In CI the generated inputs are the same on every run, so a run passes or fails for a reason
# anyone can reproduce; on a developer's machine they differ each run and keep finding new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("NEXUS_REVIEW_DATA_DIR", str(folder))
    return folder


# The storage, merge, network and sync tests run on SQLite and on a real PostgreSQL server: each
# test there that takes ``db`` or ``demo_db`` runs once per kind of database (a test that is
# about the SQLite file itself is marked ``sqlite_only``).
BOTH_DATABASES = {"storage", "merge", "network", "sync"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_kind" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if Path(str(metafunc.definition.path)).parent.name in BOTH_DATABASES:
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """One throw-away PostgreSQL server for the whole test session (tests/pg.py)."""
    from tests.pg import REQUIRE_ENV, start_server

    try:
        server = start_server()
    except FileNotFoundError as exc:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"PostgreSQL is required here, and {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


def _schema_only(url: str) -> None:
    from nexus_review.storage.connection import make_engine
    from nexus_review.storage.schema import ensure_schema

    engine = make_engine(url)
    ensure_schema(engine, url)
    engine.dispose()


def _demo_filled(url: str) -> None:
    from nexus_review.demo import fill_demo_network
    from nexus_review.storage.database import open_database

    database = open_database(url)
    fill_demo_network(database)
    database.close()


@pytest.fixture
def db(tmp_path: Path, database_kind: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    from nexus_review.storage.database import open_database

    if database_kind == "postgresql":
        server = request.getfixturevalue("pg_server")
        with server.database(server.template("schema", _schema_only)) as url:
            database = open_database(url)
            yield database
            database.close()
        return
    database = open_database(tmp_path / "nexus.db")
    yield database
    database.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network filled once per test run; tests get a copy."""
    from nexus_review.demo import fill_demo_network
    from nexus_review.storage.database import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    fill_demo_network(database)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, database_kind: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh copy of the demo network database."""
    import shutil

    from nexus_review.storage.database import open_database

    if database_kind == "postgresql":
        server = request.getfixturevalue("pg_server")
        with server.database(server.template("demo", _demo_filled)) as url:
            database = open_database(url)
            yield database
            database.close()
        return
    _demo_template = request.getfixturevalue("_demo_template")
    path = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, path)
    database = open_database(path)
    yield database
    database.close()
