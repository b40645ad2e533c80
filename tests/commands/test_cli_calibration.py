"""nexus-review calibration list / make / results: the calibration exercises on the command
line; bad input is one plain sentence and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.cli import main
from nexus_review.storage.database import open_database
from nexus_review.storage.models import Evidence, Reviewer
from nexus_review.usecases.calibration import answer_exercise
from tests.core.builders import make_visit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def laptop(tmp_path: Path) -> tuple[Path, str]:
    """A database with one written-up lesson visit; gives its path and the lesson's id."""
    path = tmp_path / "network.db"
    db = open_database(path)
    make_visit(db)
    with db.reading() as s:
        lesson = s.scalars(select(Evidence.id).where(Evidence.kind == "lesson-observation")).one()
    db.close()
    return path, lesson


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return list(raw.iterdump())


def test_make_list_and_results(
    capsys: pytest.CaptureFixture[str], laptop: tuple[Path, str]
) -> None:
    path, lesson = laptop
    db = str(path)
    code, out, err = run(capsys, "--db", db, "calibration", "list")
    assert code == 0 and "no calibration exercises" in out
    code, out, err = run(
        capsys,
        "--db",
        db,
        "calibration",
        "make",
        "--evidence",
        lesson[:8],
        "--title",
        "Phonics in Year 2",
        "--areas",
        "curriculum-and-teaching, inclusion",
    )
    assert code == 0 and err == ""
    assert "Calibration exercise 'Phonics in Year 2'" in out
    assert "2 areas to grade (Curriculum and teaching, Inclusion)" in out
    code, out, _ = run(capsys, "--db", db, "calibration", "list", "--json")
    (exercise,) = json.loads(out)
    assert exercise["title"] == "Phonics in Year 2"
    assert exercise["areas"] == ["curriculum-and-teaching", "inclusion"]
    code, out, _ = run(capsys, "--db", db, "calibration", "list")
    assert exercise["id"][:8] in out and "Phonics in Year 2" in out

    code, out, _ = run(capsys, "--db", db, "calibration", "results", exercise["id"][:8])
    assert code == 0 and "no head has answered yet" in out
    assert "Curriculum and teaching: No head has graded this area yet." in out

    network = open_database(path)
    with network.reading() as s:
        heads = {r.name: r.id for r in network_reviewers(s)}
    answer_exercise(
        network,
        exercise["id"],
        heads["Mr D. Okafor"],
        "curriculum-and-teaching",
        "strong-standard",
        "Precise modelling of the sound",
    )
    answer_exercise(
        network,
        exercise["id"],
        heads["Ms R. Lewandowska"],
        "curriculum-and-teaching",
        "expected-standard",
        "Too little time to apply",
    )
    network.close()

    code, out, _ = run(capsys, "--db", db, "calibration", "results", exercise["id"])
    assert code == 0 and "2 heads answered" in out
    assert "Curriculum and teaching: 1 of 2 heads gave Strong standard" in out
    assert "Mr D. Okafor, Strong standard: Precise modelling of the sound" in out
    assert "Ms R. Lewandowska, Expected standard: Too little time to apply" in out
    code, out, _ = run(capsys, "--db", db, "calibration", "results", exercise["id"], "--json")
    data = json.loads(out)
    curriculum = next(a for a in data["areas"] if a["area"] == "curriculum-and-teaching")
    assert (
        curriculum["answered"],
        curriculum["n"],
        curriculum["exact"],
        curriculum["within_one"],
    ) == (2, 1, 0, 1)
    assert {s["grade"]: s["heads"] for s in curriculum["spread"]}["Strong standard"] == 1
    assert sorted(a["reason"] for a in curriculum["answers"]) == [
        "Precise modelling of the sound",
        "Too little time to apply",
    ]
    inclusion = next(a for a in data["areas"] if a["area"] == "inclusion")
    assert (inclusion["answered"], inclusion["n"]) == (0, 0)


def network_reviewers(session):  # type: ignore[no-untyped-def]
    return session.scalars(select(Reviewer))


def test_make_without_title_or_areas_grades_every_area(
    capsys: pytest.CaptureFixture[str], laptop: tuple[Path, str]
) -> None:
    path, lesson = laptop
    code, out, err = run(capsys, "--db", str(path), "calibration", "make", "--evidence", lesson)
    assert code == 0 and err == ""
    assert "Calibration exercise 'Calibration exercise, " in out
    code, out, _ = run(capsys, "--db", str(path), "calibration", "list", "--json")
    (exercise,) = json.loads(out)
    assert "curriculum-and-teaching" in exercise["areas"] and len(exercise["areas"]) > 3


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["make", "--evidence", "{lesson}", "--areas", "made-up-area"],
            "'made-up-area' is not an area of the",
        ),
        (
            ["make", "--evidence", "{lesson}", "--areas", " , "],
            "Give the areas to grade by their keys",
        ),
        (
            ["make", "--evidence", "{lesson}", "--title", "   "],
            "Give the calibration exercise a title",
        ),
        (
            ["make", "--evidence", "{lesson}", "--title", "x" * 201],
            "A title can be at most 200 characters",
        ),
        (["make", "--evidence", "0000-nothing"], "There is no piece of evidence with the id"),
        (
            ["make", "--evidence", "abcdef01"],
            "There is no piece of evidence with the id 'abcdef01'",
        ),
        (["make", "--evidence", "ab"], "too short to name a piece of evidence"),
        (["results", "abcdef01"], "There is no calibration exercise with the id 'abcdef01'"),
        (["make"], "the following arguments are required: --evidence"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], laptop: tuple[Path, str], argv: list[str], expected: str
) -> None:
    path, lesson = laptop
    before = _dump(path)
    code, out, err = run(
        capsys, "--db", str(path), "calibration", *(a.replace("{lesson}", lesson) for a in argv)
    )
    assert code == 1 and out == ""
    assert expected in err and err.count("\n") == 1 and err.startswith("nexus-review: ")
    assert _dump(path) == before


def test_evidence_of_a_visit_without_grades_is_refused(
    capsys: pytest.CaptureFixture[str], laptop: tuple[Path, str]
) -> None:
    path, lesson = laptop
    db = open_database(path)
    with db.transaction() as s:
        visit = s.get(Evidence, lesson).visit
        visit.framework_key = "developmental"
    db.close()
    before = _dump(path)
    code, out, err = run(capsys, "--db", str(path), "calibration", "make", "--evidence", lesson)
    assert code == 1 and out == "" and "gives no grades" in err
    assert _dump(path) == before
