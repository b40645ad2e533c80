"""Syncing laptops with the network server: both ways, conflicts kept, exactly once."""

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
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import SYNCED_MODELS, Visit
from nexus_review.storage.serialize import to_dict
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from nexus_review.usecases.sync import (
    SyncError,
    finish_interrupted,
    sync_databases,
    sync_with_server,
)
from tests.conftest import _demo_filled, _schema_only
from tests.pg import REQUIRE_ENV, PgServer, copy_database, dump, free_port

ROOT = Path(__file__).resolve().parents[2]


def content(db: Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced record as serialised: what "the same data" means."""
    with db.reading() as s:
        return {
            m.__tablename__: {o.id: to_dict(o, versions=True) for o in s.scalars(select(m))}  # type: ignore[attr-defined]
            for m in SYNCED_MODELS
        }


def visits(db: Database) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(Visit.id).order_by(Visit.visit_date, Visit.id)))


def edit(db: Database, visit_id: str, **values: Any) -> None:
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        for key, value in values.items():
            setattr(visit, key, value)


def field(db: Database, visit_id: str, name: str) -> Any:
    with db.reading() as s:
        return getattr(s.get(Visit, visit_id), name)


@pytest.fixture
def server(pg_server: PgServer) -> Iterator[Database]:
    """The network server holding the demo network."""
    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        database = open_database(url)
        yield database
        database.close()


def take_visits(server: Database, path: Path, chosen: list[str]) -> Database:
    """A laptop that received some of the network's visits in a review package."""
    package = path.with_suffix(".nxr")
    export_review_package(server, package, visit_ids=chosen)
    laptop = open_database(path)
    import_package_files(laptop, [package])
    return laptop


@pytest.fixture
def laptop(server: Database, tmp_path: Path) -> Iterator[Database]:
    database = take_visits(server, tmp_path / "laptop.db", visits(server)[:2])
    yield database
    database.close()


def test_a_sync_sends_the_laptops_changes_and_brings_the_networks(
    server: Database, laptop: Database
) -> None:
    first, second = visits(laptop)
    edit(laptop, first, summary="Written on the laptop in Year 4.")
    edit(server, second, questions="Asked by the network office?")
    result = sync_databases(laptop, server)
    assert result.pushed_visits == 1
    assert field(server, first, "summary") == "Written on the laptop in Year 4."
    assert field(laptop, second, "questions") == "Asked by the network office?"
    assert "Synced with" in result.sentence() and "sent" in result.sentence()
    # The network's reference data came too, and the two sides now agree on the laptop's visits.
    ours, theirs = content(laptop), content(server)
    assert set(ours["school"]) == set(theirs["school"])
    for table in ("visit", "evidence", "judgement", "action"):
        assert {k: v for k, v in theirs[table].items() if k in ours[table]} == ours[table]
    # Nothing left to do: a second sync sends and receives nothing, and changes nothing.
    before = (dump(laptop), content(server))
    again = sync_databases(laptop, server)
    assert again.pushed_visits == 0 and again.received is None
    assert content(server) == before[1]
    assert content(laptop) == content(laptop) and again.conflicts == 0


def test_a_field_changed_on_both_sides_is_a_conflict_kept_both_ways(
    server: Database, laptop: Database
) -> None:
    first = visits(laptop)[0]
    edit(laptop, first, summary="The laptop's summary.")
    edit(server, first, summary="The office's summary.")
    result = sync_databases(laptop, server)
    assert result.conflicts >= 1
    on_server = [c for c in list_conflicts(server) if c.record_id == first]
    on_laptop = [c for c in list_conflicts(laptop) if c.record_id == first]
    assert on_server and on_laptop
    values = {str(v) for c in on_server for d in c.differences() for v in d[1:]}
    assert {"The laptop's summary.", "The office's summary."} <= values
    assert field(server, first, "summary") == field(laptop, first, "summary")


def _one_conflict_both_sides(server: Database, laptop: Database) -> str:
    first = visits(laptop)[0]
    edit(laptop, first, summary="The laptop's summary.")
    edit(server, first, summary="The office's summary.")
    sync_databases(laptop, server)
    assert len([c for c in list_conflicts(server) if c.record_id == first]) == 1
    assert len([c for c in list_conflicts(laptop) if c.record_id == first]) == 1
    return first


def _conflicts_of(db: Database, record_id: str) -> list[Any]:
    return [c for c in list_conflicts(db, open_only=False) if c.record_id == record_id]


@pytest.mark.parametrize("resolved_on", ["laptop", "server"])
@pytest.mark.parametrize("keep", ["laptop's", "office's"])
def test_a_conflict_resolved_on_one_side_is_closed_on_the_other_by_the_next_sync(
    server: Database, laptop: Database, resolved_on: str, keep: str
) -> None:
    first = _one_conflict_both_sides(server, laptop)
    here = laptop if resolved_on == "laptop" else server
    conflict = _conflicts_of(here, first)[0]
    # On each side "ours" is the version that side held: the laptop's, or the office's.
    own = "The laptop's summary." if here is laptop else "The office's summary."
    keep_side = "ours" if own == f"The {keep} summary." else "theirs"
    resolve_conflict(here, conflict.id, keep_side)
    chosen = f"The {keep} summary."
    assert field(here, first, "summary") == chosen
    result = sync_databases(laptop, server)
    assert "closed on the other" in result.sentence()
    # Both sides agree: the record holds the choice, and the one conflict is closed on each
    # with the same version kept (named from each side's own point of view).
    for db in (laptop, server):
        assert field(db, first, "summary") == chosen
        (closed,) = _conflicts_of(db, first)
        assert closed.resolved is not None
        kept = closed.ours if closed.resolved == "ours" else closed.theirs
        assert kept["summary"] == chosen
    assert [c for c in list_conflicts(server) if c.record_id == first] == []
    assert [c for c in list_conflicts(laptop) if c.record_id == first] == []
    # Exactly once: another sync changes nothing and opens nothing.
    before = [(content(db), list_conflicts(db, open_only=False)) for db in (laptop, server)]
    again = sync_databases(laptop, server)
    assert again.conflicts == 0 and "closed" not in again.sentence()
    assert [(content(db), list_conflicts(db, open_only=False)) for db in (laptop, server)] == before


def test_the_conflicted_record_passed_on_unresolved_leaves_the_conflict_open(
    server: Database, laptop: Database, tmp_path: Path
) -> None:
    """A second laptop that received the record as the conflict left it, and changed another
    field, has chosen nothing: its sync closes no conflict."""
    first = _one_conflict_both_sides(server, laptop)
    other = take_visits(server, tmp_path / "other.db", [first])
    edit(other, first, strengths="Reading for pleasure")
    result = sync_databases(other, server)
    assert "closed" not in result.sentence()
    assert len([c for c in list_conflicts(server) if c.record_id == first]) == 1
    other.close()


def test_a_resolution_travels_in_a_review_package_too(
    server: Database, laptop: Database, tmp_path: Path
) -> None:
    first = _one_conflict_both_sides(server, laptop)
    resolve_conflict(laptop, _conflicts_of(laptop, first)[0].id, "ours")
    package = tmp_path / "resolved.nxr"
    export_review_package(laptop, package, visit_ids=[first])
    (result,) = import_package_files(server, [package])
    assert result.closed == 1 and result.conflicts == 0
    (closed,) = _conflicts_of(server, first)
    assert (
        closed.resolved == "theirs" and field(server, first, "summary") == "The laptop's summary."
    )
    # The sync after it finds both sides agreeing.
    again = sync_databases(laptop, server)
    assert again.conflicts == 0 and "closed" not in again.sentence()
    assert [c for c in list_conflicts(laptop) if c.record_id == first] == []


def test_a_laptop_that_has_never_synced_receives_the_reference_data(
    server: Database, tmp_path: Path
) -> None:
    fresh = open_database(tmp_path / "new-laptop.db")
    result = sync_databases(fresh, server)
    assert result.pushed_visits == 0
    assert set(content(fresh)["school"]) == set(content(server)["school"])
    assert visits(fresh) == []  # only its own visits travel
    fresh.close()


def test_two_laptops_meet_through_the_server(server: Database, tmp_path: Path) -> None:
    chosen = visits(server)[:1]
    a = take_visits(server, tmp_path / "a.db", chosen)
    b = take_visits(server, tmp_path / "b.db", chosen)
    edit(a, chosen[0], strengths="Reading for pleasure")
    edit(b, chosen[0], questions="How is phonics assessed?")
    for laptop in (a, b, a):
        sync_databases(laptop, server)
    assert (
        field(a, chosen[0], "strengths")
        == field(b, chosen[0], "strengths")
        == "Reading for pleasure"
    )
    assert field(a, chosen[0], "questions") == "How is phonics assessed?"
    assert list_conflicts(server) == []
    a.close()
    b.close()


def test_no_connection_is_one_sentence_and_changes_nothing(laptop: Database) -> None:
    edit(laptop, visits(laptop)[0], summary="Kept offline.")
    before = dump(laptop)
    url = f"postgresql+psycopg://reviewer:Sekr1t-pw@127.0.0.1:{free_port()}/network"
    with pytest.raises(DatabaseError) as err:
        sync_with_server(laptop, url)
    message = str(err.value)
    assert "cannot be reached" in message and "Sekr1t" not in message and "\n" not in message
    assert dump(laptop) == before


def test_sync_on_the_command_line(
    server: Database, laptop: Database, pg_server: PgServer, tmp_path: Path
) -> None:
    edit(laptop, visits(laptop)[0], summary="From the command line.")
    url = server.url.replace(f":{pg_server.password}@", "@")
    secret = tmp_path / "password.txt"
    secret.write_text(pg_server.password + "\n", "utf-8")
    laptop_path = str(laptop.path)
    laptop.close()
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", laptop_path, "sync", "--server", url, "--password-file", str(secret)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Synced with" in run.stdout and pg_server.password not in run.stdout + run.stderr
    assert field(server, visits(server)[0], "summary") is not None
    with server.reading() as s:
        assert "From the command line." in set(s.scalars(select(Visit.summary)))


# ---------------------------------------------------------------------------- cut off at any moment


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
