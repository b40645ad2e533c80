"""Visit files carry the reviewers' own grades (of areas and of look-fors) as an optional part:
a file round-trips them exactly, a file without them (as older programs wrote) still reads and
takes none away, and a file whose own grades are wrong or too many is refused, changing nothing."""

from __future__ import annotations

import copy
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from nexus_review.errors import InterchangeError
from nexus_review.interchange.visit_check import MAX_OWN_GRADES
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from nexus_review.usecases.visit_files import export_visit_file, import_visit_file
from tests.core.builders import make_visit


def _graded_visit(db: Database) -> tuple[str, str, str, str]:
    """A visit whose two reviewers gave own grades of an area and of a walk's look-fors."""
    visit_id = make_visit(db)
    with db.reading() as s:
        detail = visit_detail(s, visit_id)
    lead, second = (m.reviewer_id for m in detail.team)
    drop_in = detail.evidence[1].drop_ins[0].id
    record_own_grade(
        db,
        visit_id,
        lead,
        area_key="curriculum-and-teaching",
        grade="strong-standard",
        reason="Well sequenced — “Year 2” phonics",
    )
    record_own_grade(
        db, visit_id, second, area_key="curriculum-and-teaching", grade="expected-standard"
    )
    record_own_grade(
        db, visit_id, second, grade="seen", drop_in_id=drop_in, look_for="Talk partners used"
    )
    record_own_grade(
        db, visit_id, lead, grade="partly", drop_in_id=drop_in, look_for="Vocabulary on display"
    )
    record_own_grade(
        db, visit_id, lead, grade=None, drop_in_id=drop_in, look_for="Vocabulary on display"
    )
    return visit_id, lead, second, drop_in


def _grades(db: Database, visit_id: str, viewer: str) -> list[tuple[Any, ...]]:
    shown = visit_own_grades(db, visit_id, viewer, hide_until_own=False).shown
    return sorted(
        (g.id, g.reviewer_id, g.area_key, g.drop_in_id, g.look_for, g.grade, g.reason)
        for g in shown
    )


def _dump(db: Database) -> list[str]:
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(db.path) as raw:
        return list(raw.iterdump())


def test_a_visit_file_round_trips_the_own_grades(db: Database, tmp_path: Path) -> None:
    visit_id, lead, _second, _drop_in = _graded_visit(db)
    first = tmp_path / "visit.json"
    export_visit_file(db, visit_id, first)
    data = json.loads(first.read_text("utf-8"))
    assert len(data["own_grades"]) == 4
    assert {g["grade"] for g in data["own_grades"]} == {
        "strong-standard",
        "expected-standard",
        "seen",
        None,
    }
    other = open_database(tmp_path / "other.db")
    try:
        result = import_visit_file(other, first)
        assert result.created
        assert _grades(other, visit_id, lead) == _grades(db, visit_id, lead)
        again = tmp_path / "again.json"
        export_visit_file(other, visit_id, again)
        assert again.read_bytes() == first.read_bytes()
        # Importing the same file once more changes nothing.
        before = _dump(other)
        repeat = import_visit_file(other, first)
        assert (repeat.added, repeat.updated) == (0, 0)
        assert _dump(other) == before
    finally:
        other.close()


def test_a_file_without_own_grades_still_reads_and_takes_none_away(
    db: Database, tmp_path: Path
) -> None:
    plain = make_visit(db, school_name="Staple Hill Primary")
    path = tmp_path / "plain.json"
    export_visit_file(db, plain, path)
    assert "own_grades" not in json.loads(path.read_text("utf-8"))  # as older programs wrote it

    visit_id, lead, _second, _drop_in = _graded_visit(db)
    graded = tmp_path / "graded.json"
    export_visit_file(db, visit_id, graded)
    older = json.loads(graded.read_text("utf-8"))
    older.pop("own_grades")
    graded.write_text(json.dumps(older), encoding="utf-8")
    held = _grades(db, visit_id, lead)
    result = import_visit_file(db, graded)
    assert (result.added, result.updated) == (0, 0)
    assert _grades(db, visit_id, lead) == held
    fresh = open_database(tmp_path / "fresh.db")
    try:
        import_visit_file(fresh, graded)
        assert _grades(fresh, visit_id, lead) == []
    finally:
        fresh.close()


def test_a_reviewer_no_longer_on_the_team_travels_with_their_own_grade(
    db: Database, tmp_path: Path
) -> None:
    from nexus_review.storage.models import VisitReviewer

    visit_id, lead, second, _drop_in = _graded_visit(db)
    with db.transaction() as s:
        member = s.query(VisitReviewer).filter_by(visit_id=visit_id, reviewer_id=second).one()
        s.delete(member)  # gone from the team altogether (as a package may leave it)
    path = tmp_path / "visit.json"
    export_visit_file(db, visit_id, path)
    other = open_database(tmp_path / "other.db")
    try:
        import_visit_file(other, path)
        assert _grades(other, visit_id, lead) == _grades(db, visit_id, lead)
        data = json.loads(path.read_text("utf-8"))
        assert second in {r["id"] for r in data["reviewers"]}
        assert second not in {m["reviewer_id"] for m in data["team"]}
    finally:
        other.close()


ELSEWHERE = "11111111-1111-1111-1111-111111111111"


def _too_many(data: dict[str, Any]) -> None:
    one = data["own_grades"][0]
    data["own_grades"] = [
        {**copy.deepcopy(one), "id": str(uuid.UUID(int=i))} for i in range(MAX_OWN_GRADES + 1)
    ]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["own_grades"][0].__setitem__("visit_id", ELSEWHERE),
            "at own_grades[0].visit_id, it belongs to another visit",
        ),
        (
            lambda d: d["own_grades"][1].__setitem__("reviewer_id", ELSEWHERE),
            "at own_grades[1].reviewer_id, the reviewer is not in the file",
        ),
        (
            lambda d: d["own_grades"][3].__setitem__("drop_in_id", ELSEWHERE),
            "at own_grades[3].drop_in_id, the learning-walk classroom is not in the file",
        ),
        (lambda d: d["own_grades"][0].__setitem__("look_for", "x" * 201), "own_grades[0].look_for"),
        (lambda d: d["own_grades"][0].__setitem__("grade", 3), "own_grades[0].grade"),
        (lambda d: d["own_grades"][0].__setitem__("pupil_name", "Amy"), "own_grades[0]"),
        (
            lambda d: d["own_grades"][2].__setitem__("id", d["own_grades"][0]["id"]),
            "is used by two records",
        ),
        (lambda d: d.__setitem__("own_grades", {"not": "a list"}), "own_grades"),
        (_too_many, "at own_grades, it holds 5,001 own grades, more than the 5,000"),
    ],
)
def test_bad_own_grades_are_refused_and_change_nothing(
    db: Database, tmp_path: Path, mutate, expected: str
) -> None:  # type: ignore[no-untyped-def]
    visit_id, _lead, _second, _drop_in = _graded_visit(db)
    path = tmp_path / "v.json"
    export_visit_file(db, visit_id, path)
    data = json.loads(path.read_text("utf-8"))
    data["visit"]["summary"] = "must not arrive"
    data["own_grades"].sort(
        key=lambda g: (g["drop_in_id"] is not None, g["look_for"], g["reviewer_id"])
    )
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _dump(db)
    with pytest.raises(InterchangeError) as info:
        import_visit_file(db, path)
    message = str(info.value)
    assert expected in message and "v.json" in message and "\n" not in message
    assert _dump(db) == before


def test_the_schema_bounds_own_grades_as_the_reader_does() -> None:
    from nexus_review.paths import resource_path

    schema = json.loads(resource_path("schemas", "visit-v1.schema.json").read_text("utf-8"))
    assert schema["properties"]["own_grades"]["maxItems"] == MAX_OWN_GRADES
    assert "own_grades" not in schema["required"]


def test_an_own_grade_under_another_id_updates_the_reviewers_own(
    db: Database, tmp_path: Path
) -> None:
    visit_id, lead, second, _drop_in = _graded_visit(db)
    path = tmp_path / "v.json"
    export_visit_file(db, visit_id, path)
    data = json.loads(path.read_text("utf-8"))
    (mine,) = [g for g in data["own_grades"] if g["reviewer_id"] == lead and g["area_key"]]
    mine["id"] = str(uuid.uuid4())
    mine["grade"] = "exceptional"
    path.write_text(json.dumps(data), encoding="utf-8")
    count = len(_grades(db, visit_id, lead))
    result = import_visit_file(db, path)
    assert result.updated == 1 and result.added == 0
    grades = _grades(db, visit_id, lead)
    assert len(grades) == count
    area = {g[1]: g[5] for g in grades if g[2] == "curriculum-and-teaching"}
    assert area == {lead: "exceptional", second: "expected-standard"}
    again = import_visit_file(db, path)
    assert (again.added, again.updated) == (0, 0)
