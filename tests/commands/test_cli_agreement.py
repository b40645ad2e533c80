"""nexus-review agreement: the agreement figures on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nexus_review.cli import main
from nexus_review.storage.database import open_database
from nexus_review.usecases.consistency import current_year
from tests.usecases.test_consistency import GRADES, grade_many, team_visit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def graded(tmp_path: Path) -> Path:
    path = tmp_path / "agree.db"
    db = open_database(path)
    grade_many(db)
    db.close()
    return path


def test_json_per_area_and_pair(capsys: pytest.CaptureFixture[str], graded: Path) -> None:
    code, out, err = run(capsys, "--db", str(graded), "agreement", "--year", "2025-26", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    inclusion = next(a for a in data["areas"] if a["area"] == "inclusion")
    assert {k: inclusion[k] for k in ("n", "exact", "within_one")} == {
        "n": 6,
        "exact": 3,
        "within_one": 4,
    }
    assert {"kappa", "kappa_low", "kappa_high"} <= set(inclusion)
    assert inclusion["kappa_low"] <= inclusion["kappa"] <= inclusion["kappa_high"]
    pair = next(p for p in data["pairs"] if p["reviewers"] == ["Ann", "Ben"])
    assert (pair["n"], pair["exact"]) == (8, 6)
    code, out, _ = run(
        capsys,
        "--db",
        str(graded),
        "agreement",
        "--year",
        "2025-26",
        "--area",
        "achievement",
        "--json",
    )
    assert [a["area"] for a in json.loads(out)["areas"]] == ["achievement"]


def test_table_in_words(capsys: pytest.CaptureFixture[str], graded: Path) -> None:
    code, out, _ = run(capsys, "--db", str(graded), "agreement", "--year", "2025-26")
    assert code == 0
    assert "8 of 12 paired judgements agree exactly; 10 of 12 within one grade" in out
    assert "Ann and Ben" in out and "Inclusion" in out and "Cy: 2 grades compared" in out


def test_the_year_defaults_to_the_current_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "now.db"
    db = open_database(path)
    visit, ids = team_visit(db, "Oak Primary", dt.date.today(), ("Ann", "Ben"))
    from nexus_review.usecases.own_grades import record_own_grade

    for rid in ids:
        record_own_grade(db, visit, rid, area_key="inclusion", grade=GRADES[1])
    db.close()
    code, out, _ = run(capsys, "--db", str(path), "agreement", "--json")
    assert (
        code == 0
        and json.loads(out)["year"] == current_year()
        and json.loads(out)["overall"]["n"] == 1
    )


def test_no_pairs_and_bad_input(capsys: pytest.CaptureFixture[str], graded: Path) -> None:
    code, out, _ = run(capsys, "--db", str(graded), "agreement", "--year", "2022-23")
    assert (
        code == 0
        and out.strip()
        == "Agreement of reviewers' own grades, 2022-23: Not enough paired judgements."
    )
    code, out, err = run(capsys, "--db", str(graded), "agreement", "--year", "2025")
    assert (
        code == 1
        and out == ""
        and err.strip() == "nexus-review: '2025' is not an academic year like 2025-26."
    )
    code, _, err = run(capsys, "--db", str(graded), "agreement", "--group", "Nowhere")
    assert code == 1 and "no review group called 'Nowhere'" in err and err.count("\n") == 1
