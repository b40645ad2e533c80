"""Syncing through a reviewer's own login: a laptop receives its team's visits and sends them
back, one planned on the laptop included, and a conflict resolved on it; a change to another
team's visit is refused whole, and only the administrator's login deletes old visits from the
server."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from nexus_review.errors import DatabaseError
from nexus_review.storage.database import open_database
from nexus_review.storage.models import Evidence, Reviewer, Visit, VisitReviewer
from nexus_review.usecases.packages import export_review_package, import_package_files
from nexus_review.usecases.sync import sync_with_server
from tests.pg import PgServer, dump
from tests.sync.logins import PASSWORD, connect


def test_a_reviewers_laptop_syncs_its_own_visits_and_cannot_send_another_teams(
    pg_server: PgServer, network: dict[str, Any], tmp_path: Path
) -> None:
    db, own, other = network["db"], network["own"], network["other"]
    package = tmp_path / "visits.nxr"
    export_review_package(db, package, visit_ids=[own[0], other])
    laptop = open_database(tmp_path / "laptop.db")
    import_package_files(laptop, [package])
    url = make_url(network["url"]).set(username=network["logins"]["reviewer"], password=PASSWORD)
    address = url.render_as_string(hide_password=False)
    with laptop.transaction() as s:
        s.get(Visit, own[0]).summary = "Sent by the reviewer's laptop."
    result = sync_with_server(laptop, address)
    assert result.pushed_visits == 1
    with db.reading() as s:
        assert s.get(Visit, own[0]).summary == "Sent by the reviewer's laptop."
    # A change to another team's visit (held from an old package) is refused whole.
    with laptop.transaction() as s:
        s.get(Visit, other).summary = "Not ours to change."
    before = dump(db)
    with pytest.raises(DatabaseError) as err:
        sync_with_server(laptop, address)
    assert "may not change" in str(err.value) and PASSWORD not in str(err.value)
    assert dump(db) == before
    laptop.close()


def test_a_new_laptop_receives_its_reviewers_visits_and_no_others(
    pg_server: PgServer, network: dict[str, Any], tmp_path: Path
) -> None:
    url = make_url(network["url"]).set(username=network["logins"]["reviewer"], password=PASSWORD)
    laptop = open_database(tmp_path / "new-laptop.db")
    sync_with_server(laptop, url.render_as_string(hide_password=False))
    with laptop.reading() as s:
        assert sorted(s.scalars(select(Visit.id))) == network["own"]
        assert len(list(s.scalars(select(Reviewer.id)))) == 12  # the network's reference data
    laptop.close()


def test_a_reviewer_sends_a_visit_planned_on_their_laptop(
    pg_server: PgServer, network: dict[str, Any], tmp_path: Path
) -> None:
    import datetime as dt

    from nexus_review.storage.models import School

    address = (
        make_url(network["url"])
        .set(username=network["logins"]["reviewer"], password=PASSWORD)
        .render_as_string(hide_password=False)
    )
    laptop = open_database(tmp_path / "planning.db")
    sync_with_server(laptop, address)
    with laptop.transaction() as s:
        me = s.get(Reviewer, network["reviewer_id"])
        colleague = s.scalars(
            select(Reviewer).where(Reviewer.id != me.id).order_by(Reviewer.id)
        ).first()
        host = s.scalars(select(School).order_by(School.id)).first()
        visit = Visit(
            host_school=host,
            visit_date=dt.date(2026, 3, 3),
            kind="learning-walk",
            framework_key="ofsted-2025",
        )
        s.add(visit)
        # The colleague first: the team may arrive in any order.
        s.add(VisitReviewer(visit=visit, reviewer=colleague, is_lead=True, position=0))
        s.add(VisitReviewer(visit=visit, reviewer=me, is_lead=False, position=1))
        s.add(
            Evidence(visit=visit, kind="learning-walk", position=0, notes="Year 3 reading corners.")
        )
        s.flush()
        new_id = visit.id
    assert sync_with_server(laptop, address).pushed_visits == 1
    with network["db"].reading() as s:
        assert s.get(Visit, new_id) is not None
        assert (
            len(list(s.scalars(select(VisitReviewer).where(VisitReviewer.visit_id == new_id)))) == 2
        )
    with contextlib.closing(connect(pg_server, network, "reviewer")) as conn:
        assert conn.execute(
            "SELECT count(*) FROM evidence WHERE visit_id = %s", (new_id,)
        ).fetchone() == (1,)
    laptop.close()


def test_only_an_administrators_login_deletes_old_visits_from_the_server(
    network: dict[str, Any],
) -> None:
    """A reviewer's login (which may change its team's visits, and delete none) is refused in
    one sentence, and nothing is deleted, not even its own team's old visits."""
    import datetime as dt

    from nexus_review.usecases.backups import apply_retention

    url = make_url(network["url"]).set(username=network["logins"]["reviewer"], password=PASSWORD)
    before = dump(network["db"])
    login = open_database(url.render_as_string(hide_password=False))
    try:
        assert apply_retention(login, 2, dry_run=True, today=dt.date(2040, 1, 1)).visits  # its own
        with pytest.raises(DatabaseError) as err:
            apply_retention(login, 2, today=dt.date(2040, 1, 1))
    finally:
        login.close()
    message = str(err.value)
    assert "network administrator's login" in message and "nothing was deleted" in message
    assert "\n" not in message and PASSWORD not in message
    assert dump(network["db"]) == before
    # The administrator's login may.
    admin_url = make_url(network["url"]).set(
        username=network["logins"]["administrator"], password=PASSWORD
    )
    admin = open_database(admin_url.render_as_string(hide_password=False))
    try:
        result = apply_retention(admin, 2, today=dt.date(2026, 12, 2))
    finally:
        admin.close()
    assert result.visits and result.records > 0


def test_a_reviewer_resolving_a_conflict_on_the_laptop_syncs_and_the_server_keeps_the_choice(
    network: dict[str, Any], tmp_path: Path
) -> None:
    from nexus_review.usecases.packages import list_conflicts, resolve_conflict

    db, own = network["db"], network["own"]
    package = tmp_path / "visits.nxr"
    export_review_package(db, package, visit_ids=[own[0]])
    laptop = open_database(tmp_path / "laptop.db")
    import_package_files(laptop, [package])
    url = make_url(network["url"]).set(username=network["logins"]["reviewer"], password=PASSWORD)
    address = url.render_as_string(hide_password=False)
    with laptop.transaction() as s:
        s.get(Visit, own[0]).summary = "The reviewer's summary."
    with db.transaction() as s:
        s.get(Visit, own[0]).summary = "The office's summary."
    sync_with_server(laptop, address)
    (mirrored,) = [c for c in list_conflicts(laptop) if c.record_id == own[0]]
    resolve_conflict(laptop, mirrored.id, "ours")
    result = sync_with_server(laptop, address)
    assert result.pushed_visits == 1
    with db.reading() as s:
        assert s.get(Visit, own[0]).summary == "The reviewer's summary."
    # The reviewer's login may not read the server's conflicts: the administrator closes it.
    assert len([c for c in list_conflicts(db) if c.record_id == own[0]]) == 1
    assert list_conflicts(laptop) == []
    laptop.close()
