"""The sync tests' server (the demo network on a throw-away PostgreSQL) and a laptop that
took two of its visits; for the access tests, the server set up with a reviewer's, a reader's
and an administrator's login."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Reviewer, Visit, VisitReviewer
from nexus_review.usecases.server import add_user, init_server
from tests.conftest import _demo_filled
from tests.pg import PgServer
from tests.sync.logins import PASSWORD
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


@pytest.fixture
def network(pg_server: PgServer) -> Iterator[dict[str, Any]]:
    """A set-up server with a reviewer's, a reader's and an administrator's login; the
    reviewer's own visit and another team's."""
    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        db = open_database(url)
        init_server(db)
        with db.reading() as s:
            reviewer = s.scalars(select(Reviewer).where(Reviewer.name == "Mrs Kate Brennan")).one()
            own = set(
                s.scalars(
                    select(VisitReviewer.visit_id).where(VisitReviewer.reviewer_id == reviewer.id)
                )
            )
            other = s.scalars(
                select(Visit.id).where(Visit.id.not_in(own)).order_by(Visit.id)
            ).first()
        suffix = uuid.uuid4().hex[:6]
        logins = {kind: f"{kind}_{suffix}" for kind in ("reviewer", "reader", "administrator")}
        add_user(db, logins["reviewer"], "reviewer", PASSWORD, reviewer.name)
        add_user(db, logins["reader"], "reader", PASSWORD)
        add_user(db, logins["administrator"], "administrator", PASSWORD)
        yield {
            "db": db, "url": url, "logins": logins, "own": sorted(own), "other": other,
            "database": make_url(url).database, "reviewer_id": reviewer.id,
        }  # fmt: skip
        db.close()
        with contextlib.closing(pg_server.admin()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
            for login in logins.values():
                admin.execute(f'DROP ROLE IF EXISTS "{login}"')
