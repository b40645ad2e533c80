"""The same schema and migrations on a PostgreSQL network server; plain messages about it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from nexus_review.domain.wording import counted
from nexus_review.errors import DatabaseError
from nexus_review.storage.database import open_database
from nexus_review.storage.schema import SCHEMA_HEAD
from tests.pg import PgServer, free_port

ROOT = Path(__file__).resolve().parents[2]


def _shape(engine):  # type: ignore[no-untyped-def]
    insp = inspect(engine)
    return {
        t: (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(t)),
            sorted(tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(t)),
            sorted(i["name"] for i in insp.get_indexes(t)),
        )
        for t in insp.get_table_names()
    }


def test_the_migrations_run_on_postgresql_and_give_the_orm_schema(pg_server: PgServer) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from nexus_review.storage.migrate import upgrade
    from nexus_review.storage.models import Base

    with pg_server.database() as migrated_url, pg_server.database() as fresh_url:
        engine = create_engine(migrated_url)
        upgrade(engine, "base")
        upgrade(engine)
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == SCHEMA_HEAD
            )
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        fresh = open_database(fresh_url)
        assert _shape(fresh.engine) == _shape(engine)
        fresh.close()
        engine.dispose()


def test_an_older_network_database_is_migrated_on_open(pg_server: PgServer) -> None:
    from nexus_review.storage.migrate import upgrade

    with pg_server.database() as url:
        engine = create_engine(url)
        upgrade(engine, "0001_initial")
        engine.dispose()
        db = open_database(url)
        with db.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == SCHEMA_HEAD
            )
        db.close()


def test_the_demo_network_reads_the_same_on_both_databases(demo_db, database_kind: str) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.storage.models import SYNCED_MODELS
    from nexus_review.storage.repository import count_active

    with demo_db.reading() as s:
        counts = {
            m.__tablename__: count_active(s, m) for m in SYNCED_MODELS if hasattr(m, "deleted")
        }  # type: ignore[attr-defined]
    assert counts["school"] == 10 and counts["visit"] > 0
    assert demo_db.url.startswith("postgresql") == (database_kind == "postgresql")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nexus_review", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg"])
def test_an_unreachable_server_is_one_sentence_without_the_password(scheme: str) -> None:
    url = f"{scheme}://headteacher:Tr0ub4dor-secret@127.0.0.1:{free_port()}/network"
    result = _cli("--db", url, "schools")
    assert result.returncode == 1
    assert "Tr0ub4dor" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot be reached" in lines[0] and "127.0.0.1" in lines[0]


def test_a_wrong_password_is_one_sentence_without_it(pg_server: PgServer) -> None:
    url = pg_server.url(password="not-the-Pa55word")
    with pytest.raises(DatabaseError) as err:
        open_database(url)
    message = str(err.value)
    assert "not-the-Pa55word" not in message and pg_server.password not in message
    assert "\n" not in message
    assert "refused the login" in message


def test_a_missing_network_database_is_one_sentence(pg_server: PgServer) -> None:
    with pytest.raises(DatabaseError) as err:
        open_database(pg_server.url("no_such_network"))
    assert "no database called no_such_network" in str(err.value)
    assert pg_server.password not in str(err.value)


def test_an_open_server_database_shows_no_password(pg_server: PgServer) -> None:
    with pg_server.database() as url:
        db = open_database(url)
        assert pg_server.password in db.url  # it connects with it
        assert pg_server.password not in repr(db) and pg_server.password not in db.location
        db.close()


# ---------------------------------------------------------------------------- retention on a server


@pytest.fixture
def network_server(pg_server: PgServer):  # type: ignore[no-untyped-def]
    from tests.conftest import _demo_filled

    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        db = open_database(url)
        yield db
        db.close()


def _visit_dates(db) -> list[str]:  # type: ignore[no-untyped-def]
    from nexus_review.storage.models import Evidence, Visit

    with db.reading() as s:
        dates = sorted(str(d) for d in s.scalars(select(Visit.visit_date)))
        orphans = s.scalars(
            select(Evidence.id).where(Evidence.visit_id.not_in(select(Visit.id)))
        ).all()
    assert orphans == []
    return dates


def test_retention_on_a_server_deletes_old_visits_in_one_transaction(
    network_server, pg_server: PgServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import os

    from nexus_review.usecases.backups import apply_retention

    before = _visit_dates(network_server)
    result = apply_retention(network_server, 2, today=dt.date(2026, 12, 2))
    assert result.cutoff == dt.date(2024, 12, 2)
    old = [d for d in before if d < "2024-12-02"]
    assert old and len(result.visits) == len(old) and result.records > len(old)
    assert _visit_dates(network_server) == [d for d in before if d >= "2024-12-02"]
    # No SQLite backup of a server: the server's own backups cover it.
    assert result.backup is None and result.server and pg_server.password not in result.server
    assert list(Path(os.environ["NEXUS_REVIEW_DATA_DIR"]).rglob("*retention*")) == []
    # Run again, nothing is left to delete and nothing changes.
    again = apply_retention(network_server, 2, today=dt.date(2026, 12, 2))
    assert again.visits == [] and again.records == 0


def test_retention_on_the_command_line_against_a_server(
    network_server, pg_server: PgServer
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import os

    from nexus_review.usecases.backups import apply_retention

    today = dt.date.today()
    due = apply_retention(network_server, 1, dry_run=True, today=today).visits
    url = network_server.url.replace(f":{pg_server.password}@", "@")
    run = subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", url, "retention", "--older-than", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "PGPASSWORD": pg_server.password},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert pg_server.password not in run.stdout + run.stderr
    if due:
        last = run.stdout.strip().splitlines()[-1]
        assert f"{counted(len(due), 'visit')} deleted" in last and "server's own backups" in last
        assert "None" not in last
    assert apply_retention(network_server, 1, dry_run=True, today=today).visits == []


@pytest.mark.parametrize("years", [0, 101])
def test_retention_refused_on_a_server_changes_nothing(network_server, years: int) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.errors import NexusError
    from nexus_review.usecases.backups import apply_retention
    from tests.pg import dump

    before = dump(network_server)
    with pytest.raises(NexusError) as err:
        apply_retention(network_server, years)
    assert "\n" not in str(err.value) and "year" in str(err.value)
    assert dump(network_server) == before
