"""Setting up aims, themes and the delivery plan from the command line."""

from __future__ import annotations

import json

import pytest

from nexus_review.cli import main


def run(path: str, *args: str) -> int:
    return main(["--db", path, *args])


def add_to_aim_1(path: str, year: str, *more: str) -> int:
    """A delivery action for aim 1 in the year, added from the command line."""
    return run(path, "delivery", "add", "--aim", "1", "--year", year, *more)


def autumn_progress(path: str, action: str, status: str, *more: str) -> int:
    """Progress on a delivery action in the autumn term of 2025-26, given from the command line."""
    when = ["--year", "2025-26", "--term", "autumn"]
    return run(path, "delivery", "progress", action, *when, "--status", status, *more)


def test_aims_themes_and_a_delivery_action_with_progress(
    db, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(db.path)
    db.close()
    assert (
        run(
            path, "aims", "add", "All children enjoy their learning and make at least good progress"
        )
        == 0
    )
    assert (
        run(path, "aims", "add", "All children are responsible citizens who contribute to society")
        == 0
    )
    assert run(path, "aims", "theme", "Attendance", "--aim", "2") == 0
    assert run(path, "aims", "theme", "Reading and phonics", "--aim", "1") == 0
    assert run(path, "aims", "theme", "Attendance", "--aim", "1") == 0  # moved under aim 1
    capsys.readouterr()
    assert run(path, "aims", "--json") == 0
    aims = json.loads(capsys.readouterr().out)
    assert [(a["number"], a["themes"]) for a in aims] == [
        (1, ["Attendance", "Reading and phonics"]),
        (2, []),
    ]
    what = ["--what", "Phonics refresher", "--outcome", "Phonics at national"]
    assert add_to_aim_1(path, "2025-26", *what, "--lead", "Miss Lomax", "--due", "2026-03-20") == 0
    action = capsys.readouterr().out.split()[2]
    assert autumn_progress(path, action, "on_track", "--note", "14 teachers trained") == 0
    assert autumn_progress(path, action, "at_risk", "--note", "Two left") == 0
    capsys.readouterr()
    assert run(path, "delivery", "--json") == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["aim"], item["due"], item["lead"]) == (1, "2026-03-20", "Miss Lomax")
    assert item["progress"] == [
        {"year": "2025-26", "term": "autumn", "status": "at_risk", "note": "Two left"}
    ]


def test_mistakes_get_one_sentence(db, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(db.path)
    db.close()
    assert run(path, "aims", "theme", "Attendance", "--aim", "3") == 1
    assert "There is no aim 3" in capsys.readouterr().err
    assert run(path, "aims", "add", "An aim") == 0
    assert add_to_aim_1(path, "2025-26", "--what", "x", "--due", "20/03/2026") == 1
    assert "is not a date written like" in capsys.readouterr().err
    assert add_to_aim_1(path, "2025-27", "--what", "x") == 1
    assert "not an academic year" in capsys.readouterr().err
    assert autumn_progress(path, "abcd", "on_track") == 1
    assert "No delivery action has the id" in capsys.readouterr().err
    assert run(path, "indicators", "thresholds", "--gap", "101") == 1
    assert "between 0 and 100" in capsys.readouterr().err
    assert run(path, "indicators", "thresholds", "--gap", "7.5", "--small", "5") == 0
    assert "more than 7.5 points behind; groups of fewer than 5 pupils" in capsys.readouterr().out
