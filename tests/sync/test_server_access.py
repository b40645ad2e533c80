"""Access enforced by the server: a reviewer's own connection, with plain SQL, cannot read or
change another team's visit, nor another head's calibration answers; a reader sees only
published outcomes, staff anonymised; an administrator reads and changes everything."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from nexus_review.storage.models import Evidence, Reviewer, Visit
from tests.pg import PgServer, dump
from tests.sync.logins import connect


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
