"""Alembic environment: migrations run on a connection the program hands over."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from nexus_review.storage.models import Base
from nexus_review.storage.search import INDEX_TABLES

config = context.config
target_metadata = Base.metadata


def _outside_search_index(name: str | None, type_: str, _parent: Any) -> bool:
    """The note search index is made by its own SQL (SQLite only), not from the models."""
    return not (type_ == "table" and name in INDEX_TABLES)


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=_outside_search_index,
    )


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    # Developer use: `alembic` against a URL given in the config (e.g. to autogenerate).
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
