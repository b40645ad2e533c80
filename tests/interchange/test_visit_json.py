"""Visit files: exact round trips, edits travelling back, and bad files refused cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nexus_review.errors import InterchangeError
from nexus_review.storage.database import open_database
from nexus_review.storage.models import Evidence
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.visit_files import export_visit_file, import_visit_file
from tests.core.builders import ADVERSARIAL, make_visit


def _export(db, visit_id: str, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    export_visit_file(db, visit_id, path)
    return path.read_bytes()


def test_round_trip_is_exact_with_hostile_and_huge_text(db, tmp_path: Path) -> None:
    big = ("Lorem <i>ipsum</i> & dolor — " * 4000)[:100_000]
    visit_id = make_visit(db, note=ADVERSARIAL + "\n" + big)
    first = _export(db, visit_id, tmp_path / "visit.json")
    other = open_database(tmp_path / "other.db")
    result = import_visit_file(other, tmp_path / "visit.json")
    assert result.created and result.updated == 0 and result.added > 10
    second = _export(other, visit_id, tmp_path / "again.json")
    assert first == second
    with other.reading() as session:
        detail = visit_detail(session, visit_id)
    assert detail.evidence[0].notes == ADVERSARIAL + "\n" + big
    assert ADVERSARIAL in detail.summary
    assert [d.class_name for d in detail.evidence[1].drop_ins] == [
        "Willow class",
        "Ash class",
        "Beech class",
    ]
    assert detail.judgement("curriculum-and-teaching").peer_grade == "strong-standard"
    other.close()


def test_importing_the_same_file_twice_changes_nothing(db, tmp_path: Path) -> None:
    visit_id = make_visit(db)
    path = tmp_path / "v.json"
    before = _export(db, visit_id, path)
    result = import_visit_file(db, path)
    assert (result.added, result.updated) == (0, 0)
    assert _export(db, visit_id, tmp_path / "after.json") == before


def test_an_edited_file_updates_the_visit(db, tmp_path: Path) -> None:
    visit_id = make_visit(db)
    path = tmp_path / "v.json"
    _export(db, visit_id, path)
    data = json.loads(path.read_text("utf-8"))
    data["visit"]["summary"] = "Rewritten after the feedback meeting."
    data["evidence"][0]["notes"] = "Corrected note"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = import_visit_file(db, path)
    assert not result.created and result.updated == 2
    with db.reading() as session:
        detail = visit_detail(session, visit_id)
        assert detail.summary == "Rewritten after the feedback meeting."
        assert detail.evidence[0].notes == "Corrected note"
        assert detail.revision == 2
        assert session.get(Evidence, data["evidence"][0]["id"]).vclock[db.device_id] == 2


def _db_bytes(db) -> bytes:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(db.path).read_bytes()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["evidence"][0].__setitem__("time_in", "25:99"), "evidence[0].time_in"),
        (lambda d: d["visit"].__setitem__("kind", "picnic"), "visit.kind"),
        (
            lambda d: d["evidence"][1]["drop_ins"][2].__setitem__(
                "look_for_results", {"x": "maybe"}
            ),
            "evidence[1].drop_ins[2].look_for_results",
        ),
        (lambda d: d["visit"].pop("visit_date"), "visit"),
        (
            lambda d: d["judgements"][0].__setitem__(
                "evidence_ids", ["11111111-1111-1111-1111-111111111111"]
            ),
            "judgements[0].evidence_ids[0]",
        ),
        (
            lambda d: d["team"][0].__setitem__(
                "reviewer_id", "11111111-1111-1111-1111-111111111111"
            ),
            "team[0].reviewer_id",
        ),
        (lambda d: d["visit"].__setitem__("framework_key", "made-up"), "visit.framework_key"),
        (lambda d: d["actions"][0].__setitem__("revision", "two"), "actions[0].revision"),
        (lambda d: d["visit"].__setitem__("created_at", "2025-13-45T00:00:00+00:00"), "visit"),
    ],
)
def test_invalid_file_names_the_bad_field_and_leaves_the_database_alone(
    db, tmp_path: Path, mutate, expected: str
) -> None:  # type: ignore[no-untyped-def]
    visit_id = make_visit(db)
    path = tmp_path / "v.json"
    _export(db, visit_id, path)
    data = json.loads(path.read_text("utf-8"))
    data["visit"]["summary"] = "must not arrive"
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _db_bytes(db)
    with pytest.raises(InterchangeError) as info:
        import_visit_file(db, path)
    assert expected in str(info.value)
    assert "v.json" in str(info.value)
    assert _db_bytes(db) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b'{"format": "nexus-review-visit", ', "not valid JSON"),
        (b"[1, 2, 3]", "not a Nexus Review visit file"),
        (b'{"format": "nexus-review-visit", "version": 7}', "newer version"),
    ],
)
def test_unreadable_files_are_refused_in_one_sentence(
    db, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InterchangeError, match=expected):
        import_visit_file(db, path)


def test_missing_file(db, tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match="There is no file"):
        import_visit_file(db, tmp_path / "nowhere.json")
