"""Opening databases: settings on every connection, schema creation and migration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nexus_review.errors import DatabaseError
from nexus_review.storage.connection import database_url
from nexus_review.storage.database import get_info, open_database
from nexus_review.storage.models import School, Visit
from nexus_review.storage.schema import SCHEMA_HEAD

ROOT = Path(__file__).resolve().parents[2]

# The SQLite file: its pragmas, its migrations (the server is tested in test_postgres.py).
pytestmark = pytest.mark.sqlite_only


def test_every_connection_has_wal_full_sync_and_foreign_keys(db) -> None:
    for _ in range(2):
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(db) -> None:
    import datetime as dt

    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(
            Visit(
                host_school_id="00000000-0000-0000-0000-000000000000",
                visit_date=dt.date(2025, 10, 1),
                kind="evaluation-day",
                framework_key="ofsted-2025",
            )
        )


def test_new_records_are_stamped_and_edits_bump_revision(db) -> None:
    with db.transaction() as session:
        school = School(name="Blackhorse Primary")
        session.add(school)
    assert school.revision == 1
    assert school.device_id == db.device_id
    assert school.vclock == {db.device_id: 1}
    assert school.created_at.tzinfo is not None
    first_update = school.updated_at
    with db.transaction() as session:
        held = session.get(School, school.id)
        held.urn = "109123"
    with db.reading() as session:
        again = session.get(School, school.id)
        assert again.revision == 2
        assert again.vclock == {db.device_id: 2}
        assert again.updated_at >= first_update
        assert len(again.id) == 36


def test_device_id_is_kept_across_openings(tmp_path: Path) -> None:
    first = open_database(tmp_path / "a.db")
    device = first.device_id
    first.close()
    second = open_database(tmp_path / "a.db")
    with second.reading() as session:
        assert get_info(session, "device_id") == device
    assert second.device_id == device
    second.close()


def test_db_accepts_a_path_or_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert database_url(url) == url
    assert database_url(tmp_path / "b.db") == url
    open_database(url).close()
    assert (tmp_path / "b.db").exists()


def test_a_file_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE recipes (id INTEGER)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="not a Nexus Review database"):
        open_database(other)


def test_a_text_file_is_refused_plainly(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("These are not the droids. " * 400)
    with pytest.raises(DatabaseError) as info:
        open_database(bogus)
    assert "Traceback" not in str(info.value)
    assert str(bogus) in str(info.value)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(path)


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    from nexus_review.storage.migrate import head_revision

    assert head_revision() == SCHEMA_HEAD


def test_empty_database_migrated_to_head_matches_the_orm(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from nexus_review.storage.migrate import upgrade
    from nexus_review.storage.models import Base
    from nexus_review.storage.search import INDEX_TABLES

    def outside_search_index(name, type_, _parent):  # type: ignore[no-untyped-def]
        return not (type_ == "table" and name in INDEX_TABLES)

    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": outside_search_index}
        )
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_fresh_database_equals_migrated_database(tmp_path: Path) -> None:
    """The quick path for new files (create + stamp) gives the same schema as the migrations."""
    from sqlalchemy import inspect

    from nexus_review.storage.migrate import upgrade

    fresh = open_database(tmp_path / "fresh.db")
    migrated = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(migrated)

    def shape(engine):  # type: ignore[no-untyped-def]
        insp = inspect(engine)
        return {
            t: (
                sorted((c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(t)),
                sorted(tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(t)),
                sorted(i["name"] for i in insp.get_indexes(t)),
            )
            for t in insp.get_table_names()
        }

    assert shape(fresh.engine) == shape(migrated)
    fresh.close()
    migrated.dispose()


def test_older_database_is_migrated_on_open(tmp_path: Path) -> None:
    """A database at an older revision (here: before the first) is brought to head on open."""
    from sqlalchemy import inspect

    from nexus_review.storage.backups import list_backups
    from nexus_review.storage.migrate import upgrade

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    db = open_database(path)
    assert [b.reason for b in list_backups(path)] == ["before-migration"]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    assert "visit" in inspect(db.engine).get_table_names()
    db.close()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_database(path).close()
    code = (
        "import sys\n"
        "from nexus_review.storage.database import open_database\n"
        f"open_database({str(path)!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_in_place_changes_to_lists_are_saved_and_versioned(db) -> None:
    import datetime as dt

    with db.transaction() as session:
        school = School(name="Staple Hill")
        visit = Visit(
            host_school=school,
            visit_date=dt.date(2025, 10, 1),
            kind="learning-walk",
            framework_key="developmental",
        )
        session.add(visit)
    with db.transaction() as session:
        held = session.get(Visit, visit.id)
        held.focus_areas.append("Oracy")
    with db.reading() as session:
        again = session.get(Visit, visit.id)
        assert again.focus_areas == ["Oracy"]
        assert again.revision == 2
