"""The schema: the newest revision this program knows, and bringing a database to it.

Checking that the schema is current reads ``alembic_version`` with plain SQLAlchemy; Alembic is
imported only when a migration is really needed (it costs most of a second to import). A test
proves ``SCHEMA_HEAD`` (from :mod:`revision`) equals the head of the migration scripts.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from nexus_review.errors import DatabaseError
from nexus_review.storage.connection import shown_location, sqlite_path
from nexus_review.storage.models import Base
from nexus_review.storage.revision import SCHEMA_HEAD

__all__ = ["SCHEMA_HEAD", "VERSION_TABLE", "current_revision"]

VERSION_TABLE = "alembic_version"


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
