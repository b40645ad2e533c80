"""Syncing when things go wrong: a connection cut off at any statement, laptops syncing while
the administrator imports, and a server set up without two-phase commits; each ends clean and
loses nothing."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
)
from nexus_review.usecases.sync import (
    SyncError,
    finish_interrupted,
    sync_databases,
)
from tests.conftest import _schema_only
from tests.pg import REQUIRE_ENV, PgServer, copy_database, dump
from tests.sync.network import content, edit, visits

ROOT = Path(__file__).resolve().parents[2]


class Cut(Exception):
    pass


@contextlib.contextmanager
def cut_at(k: int, *databases: Database) -> Iterator[dict[str, int]]:
    """From the k-th statement on (counted over both databases), every statement fails as if
    the connection, or the program, had died: no cleanup gets through either."""
    seen = {"n": 0}

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen["n"] += 1
        if seen["n"] >= k:
            raise OperationalError(
                statement, None, ConnectionError("server closed the connection unexpectedly")
            )

    for database in databases:
        event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        for database in databases:
            event.remove(database.engine, "before_cursor_execute", before)


def _copy(
    pg_server: PgServer, server: Database, laptop: Database, folder: Path
) -> tuple[Database, Database]:
    """Copies of both sides, to sync without interruption for comparison."""
    from sqlalchemy.engine import make_url

    server.engine.dispose()
    name = pg_server.create_database(make_url(server.url).database)
    with laptop.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    folder.mkdir()
    shutil.copyfile(laptop.path, folder / "laptop.db")  # type: ignore[arg-type]
    return open_database(folder / "laptop.db"), open_database(pg_server.url(name))


@pytest.fixture
def prepared_pair(
    server: Database, laptop: Database, pg_server: PgServer, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    """A laptop and server with changes on both sides, and the state an uninterrupted sync
    (and a second one) gives them."""
    first, second = visits(laptop)
    edit(laptop, first, summary="Laptop summary", strengths="Laptop strengths")
    edit(server, first, summary="Office summary")
    edit(server, second, questions="Office question?")
    before = (content(laptop), content(server))
    ref_laptop, ref_server = _copy(pg_server, server, laptop, tmp_path / "reference")
    with cut_at(10**9, ref_laptop, ref_server) as counted:
        sync_databases(ref_laptop, ref_server)
    synced = (content(ref_laptop), content(ref_server))
    sync_databases(ref_laptop, ref_server)
    converged = (content(ref_laptop), content(ref_server))
    ref_laptop.close()
    ref_server.close()
    yield {"before": before, "synced": synced, "converged": converged, "statements": counted["n"]}


def _clean_after(prepared_pair: dict[str, Any], run_laptop: Database, run_server: Database) -> str:
    """After a sync was cut off: finish it as the next sync does first, check both sides are
    as before or fully synced, then check a second sync converges. Which of the two it was."""
    finish_interrupted(run_laptop, run_server)
    state = (content(run_laptop), content(run_server))
    assert state in (prepared_pair["before"], prepared_pair["synced"]), "half a sync"
    outcome = "before" if state == prepared_pair["before"] else "synced"
    sync_databases(run_laptop, run_server)
    assert (content(run_laptop), content(run_server)) in (
        prepared_pair["synced"],
        prepared_pair["converged"],
    )
    return outcome


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [("PREPARE TRANSACTION", "before"), ("COMMIT PREPARED", "synced")],
)
def test_a_server_connection_terminated_mid_sync_ends_clean(
    prepared_pair: dict[str, Any], server: Database, laptop: Database, pg_server: PgServer, tmp_path: Path,
    statement: str, outcome: str,
) -> None:  # fmt: skip
    """The server really ends the connection (pg_terminate_backend) as the sync prepares its
    work there, or as it commits it after the laptop committed."""
    run_laptop, run_server = _copy(pg_server, server, laptop, tmp_path / "run")

    def terminate(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if sql.startswith(statement):
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with contextlib.closing(pg_server.admin()) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    event.listen(run_server.engine, "before_cursor_execute", terminate)
    try:
        with pytest.raises(DatabaseError) as err:
            sync_databases(run_laptop, run_server)
    finally:
        event.remove(run_server.engine, "before_cursor_execute", terminate)
    assert pg_server.password not in str(err.value) and "\n" not in str(err.value)
    try:
        assert _clean_after(prepared_pair, run_laptop, run_server) == outcome
    finally:
        run_laptop.close()
        run_server.close()


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_sync_cut_off_at_any_statement_leaves_both_sides_clean_and_a_second_sync_finishes(
    data: st.DataObject,
    prepared_pair: dict[str, Any],
    server: Database,
    laptop: Database,
    pg_server: PgServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    k = data.draw(
        st.integers(min_value=1, max_value=prepared_pair["statements"]), label="cut at statement"
    )
    run_laptop, run_server = _copy(
        pg_server, server, laptop, tmp_path_factory.mktemp("run") / "copy"
    )
    try:
        with (
            cut_at(k, run_laptop, run_server),
            contextlib.suppress(DatabaseError, OperationalError),
        ):
            sync_databases(run_laptop, run_server)
        # The connection is back: the next sync first finishes or undoes what was cut off.
        _clean_after(prepared_pair, run_laptop, run_server)
    finally:
        run_laptop.close()
        run_server.close()


# ---------------------------------------------------------------------------- many at once


def test_laptops_syncing_while_an_administrator_imports_lose_nothing(
    server: Database, pg_server: PgServer, tmp_path: Path
) -> None:
    """Four laptops sync at once while an administrator imports a package: the server ends
    exactly as when the same work is done one after another."""
    import threading

    from benchmarks.sync_concurrency import add_visits

    together_server = server
    apart = copy_database(server, tmp_path / "unused")
    laptops = []
    for n in range(5):
        laptop = open_database(tmp_path / f"laptop-{n}.db")
        sync_databases(laptop, together_server)
        add_visits(laptop, 2, seed=n)
        laptops.append(laptop)
    package = tmp_path / "office.nxr"
    export_review_package(laptops.pop(), package, all_visits=True)
    copies = [copy_database(laptop, tmp_path / f"copy-{n}.db") for n, laptop in enumerate(laptops)]
    errors: list[BaseException] = []

    def run(work: Any) -> None:
        try:
            work()
        except BaseException as exc:
            errors.append(exc)

    def sync_one(laptop: Database) -> None:
        target = open_database(together_server.url)
        try:
            sync_databases(laptop, target)
        finally:
            target.close()

    def import_one() -> None:
        office = open_database(together_server.url)
        try:
            import_package_files(office, [package])
        finally:
            office.close()

    threads = [
        threading.Thread(target=run, args=(lambda laptop=laptop: sync_one(laptop),))
        for laptop in laptops
    ]
    threads.append(threading.Thread(target=run, args=(import_one,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for laptop in copies:
        sync_databases(laptop, apart)
    import_package_files(apart, [package])
    assert content(together_server) == content(apart)
    assert len(content(apart)["visit"]) == 75 + 10
    for database in (*laptops, *copies, apart):
        database.close()


# ---------------------------------------------------------------------------- a server set up without two-phase commits


@pytest.fixture(scope="module")
def no_prepared_server() -> Iterator[PgServer]:
    """A second throw-away server, set up as PostgreSQL comes: max_prepared_transactions = 0."""
    from tests.pg import start_server

    try:
        started = start_server({"max_prepared_transactions": "0"})
    except FileNotFoundError as exc:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"PostgreSQL is required here, and {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield started
    started.stop()


def test_a_server_without_prepared_transactions_refuses_in_one_sentence_and_changes_nothing(
    no_prepared_server: PgServer, laptop: Database, tmp_path: Path
) -> None:
    """A laptop holding visits meets a new network server whose administrator left
    max_prepared_transactions as PostgreSQL sets it."""
    edit(laptop, visits(laptop)[0], summary="Written on the laptop.")
    with no_prepared_server.database() as url:
        _schema_only(url)
        server = open_database(url)
        with server.reading() as s:
            setting = s.execute(text("SHOW max_prepared_transactions")).scalar()
        assert setting == "0"
        before = (dump(laptop), dump(server))
        with pytest.raises(SyncError) as err:
            sync_databases(laptop, server)
        message = str(err.value)
        assert "max_prepared_transactions" in message and "server guide" in message
        assert "\n" not in message and message.count(". ") == 0 and message.endswith(".")
        assert no_prepared_server.password not in message
        assert (dump(laptop), dump(server)) == before
        # The server guide quotes the sentence, and says how to change the setting.
        guide = (ROOT / "docs" / "server.md").read_text("utf-8").replace("\n> ", " ")
        assert re.sub(r"server .+? does not", "server SERVER does not", message) in guide
        assert "ALTER SYSTEM SET max_prepared_transactions = 50;" in guide
        assert "parameter group" in guide and "Server parameters" in guide
        # The same sentence on the command line, as one line, exit code not 0.
        laptop_path = str(laptop.path)
        laptop.close()
        secret = tmp_path / "password.txt"
        secret.write_text(no_prepared_server.password + "\n", "utf-8")
        address = url.replace(f":{no_prepared_server.password}@", "@")
        run = subprocess.run(  # as this laptop (the same data folder, so the same device)
            [sys.executable, "-m", "nexus_review", "--db", laptop_path, "sync", "--server", address,
             "--password-file", str(secret)],
            capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=60,
        )  # fmt: skip
        assert run.returncode != 0
        assert "max_prepared_transactions" in run.stderr + run.stdout
        assert len((run.stderr + run.stdout).strip().splitlines()) == 1
        assert no_prepared_server.password not in run.stderr + run.stdout
        assert dump(server) == before[1]
        server.close()
        reopened = open_database(laptop_path)
        assert dump(reopened) == before[0]
        reopened.close()
