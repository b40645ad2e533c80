"""The sync tests' server (the demo network on a throw-away PostgreSQL) and a laptop that
took two of its visits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nexus_review.storage.database import Database, open_database
from tests.conftest import _demo_filled
from tests.pg import PgServer
from tests.sync.network import take_visits, visits


@pytest.fixture
def server(pg_server: PgServer) -> Iterator[Database]:
    """The network server holding the demo network."""
    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        database = open_database(url)
        yield database
        database.close()


@pytest.fixture
def laptop(server: Database, tmp_path: Path) -> Iterator[Database]:
    database = take_visits(server, tmp_path / "laptop.db", visits(server)[:2])
    yield database
    database.close()
