"""Access enforced by the server: a reviewer's own connection, with plain SQL, cannot read or
change another team's visit; a reader sees only published outcomes, staff anonymised."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from nexus_review.errors import DatabaseError, NexusError
from nexus_review.storage.database import open_database
from nexus_review.storage.models import Evidence, Reviewer, Visit, VisitReviewer
from nexus_review.usecases.packages import export_review_package, import_package_files
from nexus_review.usecases.server import add_user, init_server
from nexus_review.usecases.sync import sync_with_server
from tests.conftest import _demo_filled
from tests.pg import PgServer, dump

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


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


def connect(
    pg_server: PgServer, network: dict[str, Any], kind: str, password: str = PASSWORD
) -> Any:
    """A plain connection as one of the network's logins, as any other client would make."""
    return psycopg.connect(
        host="127.0.0.1", port=pg_server.port, dbname=network["database"], user=network["logins"][kind],
        password=password, autocommit=True,
    )  # fmt: skip


def test_a_reviewer_reads_and_writes_only_their_teams_visits(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    own, other = network["own"], network["other"]
    before = dump(network["db"])
    with contextlib.closing(connect(pg_server, network, "reviewer")) as conn:
        seen = {r[0] for r in conn.execute("SELECT id FROM visit")}
        assert seen == set(own)
        assert conn.execute("SELECT * FROM visit WHERE id = %s", (other,)).fetchall() == []
        assert conn.execute(
            "SELECT count(*) FROM evidence WHERE visit_id = %s", (other,)
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM judgement WHERE visit_id = %s", (other,)
        ).fetchone() == (0,)
        # Changing it changes nothing; adding to it or joining its team is refused.
        assert (
            conn.execute("UPDATE visit SET summary = 'changed' WHERE id = %s", (other,)).rowcount
            == 0
        )
        assert (
            conn.execute(
                "UPDATE judgement SET rationale = 'x' WHERE visit_id = %s", (other,)
            ).rowcount
            == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO evidence (id, visit_id, kind, position, class_name, year_group, subject, staff, who_what, notes,"
                " strengths, areas_for_development, focus_links, grades, look_fors, created_at, updated_at, device_id,"
                " revision, vclock, deleted, field_versions) VALUES (%s, %s, 'meeting', 0, '', '', '', '', '', 'x', '', '',"
                " '[]', '{}', '[]', now(), now(), 'x', 1, '{}', false, '{}')",
                (str(uuid.uuid4()), other),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO visit_reviewer (id, visit_id, reviewer_id, is_lead, created_at, updated_at, device_id,"
                " revision, vclock, deleted, field_versions) VALUES (%s, %s, %s, false, now(), now(), 'x', 1, '{}',"
                " false, '{}')",
                (str(uuid.uuid4()), other, network["reviewer_id"]),
            )
        # The network's reference data: read, never changed; the logins table: not even read.
        assert conn.execute("SELECT count(*) FROM school").fetchone()[0] == 10
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE school SET name = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM nexus_login")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM visit")
        # Their own visit they may change.
        assert (
            conn.execute(
                "UPDATE visit SET summary = 'Our team wrote this.' WHERE id = %s", (own[0],)
            ).rowcount
            == 1
        )
    after = dump(network["db"])
    changed = [t for (t, rows), (_, old) in zip(after, before, strict=True) if rows != old]
    assert changed == ["visit"]
    with network["db"].reading() as s:
        assert s.get(Visit, own[0]).summary == "Our team wrote this."


def test_a_reader_sees_only_published_outcomes_with_staff_anonymised(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    with network["db"].reading() as s:
        published = set(
            s.scalars(
                select(Visit.id).where(Visit.status == "report-sent", Visit.deleted.is_(False))
            )
        )
        staff = set(s.scalars(select(Evidence.staff).where(Evidence.staff != "")))
    assert published and staff
    with contextlib.closing(connect(pg_server, network, "reader")) as conn:
        for table in ("visit", "evidence", "school", "reviewer", "judgement"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}")
        assert {r[0] for r in conn.execute("SELECT visit_id FROM published_visit")} == published
        shown = {r[0] for r in conn.execute("SELECT staff FROM published_evidence")}
        assert shown <= {"", "a member of staff"} and not (shown & staff)
        assert conn.execute("SELECT count(*) FROM published_judgement").fetchone()[0] > 0


def test_an_administrator_reads_and_changes_everything(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    with contextlib.closing(connect(pg_server, network, "administrator")) as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 75
        assert (
            conn.execute(
                "UPDATE visit SET summary = 'office' WHERE id = %s", (network["other"],)
            ).rowcount
            == 1
        )


def test_logins_store_no_password_and_a_wrong_one_is_refused(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    with contextlib.closing(pg_server.admin()) as admin:
        stored = admin.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (network["logins"]["reviewer"],)
        ).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored
    with pytest.raises(psycopg.OperationalError):
        connect(pg_server, network, "reviewer", password="not the password")


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


def test_add_user_refuses_plainly(network: dict[str, Any]) -> None:
    db = network["db"]
    with pytest.raises(NexusError, match="tied to a reviewer"):
        add_user(db, "someone_new", "reviewer", PASSWORD)
    with pytest.raises(NexusError, match="no reviewer called"):
        add_user(db, "someone_new", "reviewer", PASSWORD, "Nobody Atall")
    with pytest.raises(NexusError, match="already a login"):
        add_user(db, network["logins"]["reader"], "reader", PASSWORD)
    with pytest.raises(NexusError, match="too short"):
        add_user(db, "someone_new", "reader", "short")
    with pytest.raises(NexusError, match="lower-case letters"):
        add_user(db, 'x"; DROP TABLE visit; --', "reader", PASSWORD)


def test_server_commands_take_the_password_from_a_file_and_never_show_it(
    pg_server: PgServer, network: dict[str, Any], tmp_path: Path
) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("a-long-Secret-of-the-office\n", "utf-8")
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    login = f"office_{uuid.uuid4().hex[:6]}"

    def run(*args: str, stdin: Any = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", network["url"], "server", *args],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, stdin=stdin,
        )  # fmt: skip

    init = run("init")
    assert init.returncode == 0 and "is set up" in init.stdout
    added = run("add-user", login, "--role", "administrator", "--password-file", str(secret))
    assert added.returncode == 0, added.stderr
    assert (
        "a-long-Secret" not in added.stdout + added.stderr
        and pg_server.password not in added.stdout + added.stderr
    )
    asked = run("add-user", f"{login}_b", "--role", "reader")
    assert asked.returncode == 1 and "--password-file" in asked.stderr
    with contextlib.closing(
        psycopg.connect(
            host="127.0.0.1",
            port=pg_server.port,
            dbname=network["database"],
            user=login,
            password="a-long-Secret-of-the-office",
        )
    ) as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 75
    with contextlib.closing(pg_server.admin()) as admin:
        admin.execute(f'DROP OWNED BY "{login}"')
        admin.execute(f'DROP ROLE "{login}"')


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


def test_a_reviewer_writes_only_their_own_calibration_answers_and_reads_the_trusts_figures(
    pg_server: PgServer, network: dict[str, Any]
) -> None:
    from nexus_review.storage.models import (
        CalibrationAnswer,
        CalibrationExercise,
        IndependentGrade,
    )

    with network["db"].reading() as s:
        exercise = s.scalars(select(CalibrationExercise.id)).first()
        others = s.scalars(
            select(CalibrationAnswer.id).where(
                CalibrationAnswer.reviewer_id != network["reviewer_id"]
            )
        ).all()
        other_reviewer = s.scalars(
            select(Reviewer.id).where(Reviewer.id != network["reviewer_id"])
        ).first()
        graded_elsewhere = s.scalars(
            select(IndependentGrade.visit_id).where(
                IndependentGrade.visit_id.not_in(network["own"])
            )
        ).first()
    assert exercise is not None and others and graded_elsewhere is not None
    row = (
        "INSERT INTO calibration_answer (id, exercise_id, reviewer_id, area_key, grade, reason, created_at,"
        " updated_at, device_id, revision, vclock, deleted, field_versions) VALUES (%s, %s, %s, 'quality',"
        " 'good', '', now(), now(), 'x', 1, '{}', false, '{}')"
    )
    with contextlib.closing(connect(pg_server, network, "reviewer")) as conn:
        # Every head's answers are read (for the heads' meeting); the trust's data is read.
        assert conn.execute("SELECT count(*) FROM calibration_answer").fetchone()[0] >= len(others)
        assert conn.execute("SELECT count(*) FROM calibration_exercise").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM indicator_value").fetchone()[0] > 0
        # Their own answer may be written; another head's neither added nor changed.
        conn.execute(row, (str(uuid.uuid4()), exercise, network["reviewer_id"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(row, (str(uuid.uuid4()), exercise, other_reviewer))
        assert (
            conn.execute(
                "UPDATE calibration_answer SET reason = 'changed' WHERE id = %s", (others[0],)
            ).rowcount
            == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE indicator_value SET pupils = 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE calibration_exercise SET title = 'x'")
        # Own grades follow their visit: another team's are not seen.
        assert conn.execute(
            "SELECT count(*) FROM independent_grade WHERE visit_id = %s", (graded_elsewhere,)
        ).fetchone() == (0,)


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
