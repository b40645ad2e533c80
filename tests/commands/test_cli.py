"""The command line: every foundation command, its output and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.cli import main
from nexus_review.storage.database import open_database
from tests.core.builders import make_visit
from tests.core.test_demo import NEXUS_SCHOOLS

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "cli.db"
    db = open_database(path)
    visit_id = make_visit(db)
    db.close()
    return path, visit_id


def test_schools_json_and_table(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str]
) -> None:
    path, _ = filled
    code, out, _ = run(capsys, "--db", str(path), "schools", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["Blackhorse Primary", "Kings Forest Primary"]
    assert set(rows[0]) == {"id", "name", "urn", "phase", "local_authority", "headteacher"}
    code, out, _ = run(capsys, "--db", str(path), "schools")
    assert code == 0 and "Blackhorse Primary" in out and "Headteacher" in out


def test_visits_json_lists_id_date_school_kind_status_reviewers(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str]
) -> None:
    path, visit_id = filled
    code, out, _ = run(capsys, "--db", str(path), "visits", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["id"] == visit_id
    assert row["date"] == "2025-11-18"
    assert row["host_school"] == "Blackhorse Primary"
    assert row["kind"] == "evaluation-day"
    assert row["status"] == "in-progress"
    assert row["reviewers"] == ["Mr D. Okafor", "Ms R. Lewandowska"]
    code, out, _ = run(capsys, "--db", str(path), "visits")
    assert "Evaluation day" in out and "In progress" in out and visit_id[:8] in out


def test_empty_database_says_how_to_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    open_database(tmp_path / "new.db").close()  # listing never creates a database (test_cli_input)
    code, out, _ = run(capsys, "--db", str(tmp_path / "new.db"), "visits")
    assert code == 0 and "nexus-review demo" in out
    code, out, _ = run(capsys, "--db", str(tmp_path / "new.db"), "visits", "--json")
    assert json.loads(out) == []


def test_visit_export_edit_import_shows_the_edit(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    out_file = tmp_path / "visit.json"
    code, out, _ = run(
        capsys, "--db", str(path), "visit", "export", visit_id[:8], "--out", str(out_file)
    )
    assert code == 0 and str(out_file) in out
    data = json.loads(out_file.read_text("utf-8"))
    data["visit"]["status"] = "report-drafted"
    out_file.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(path), "visit", "import", str(out_file))
    assert code == 0 and "1 updated" in out
    code, out, _ = run(capsys, "--db", str(path), "visits", "--json")
    assert json.loads(out)[0]["status"] == "report-drafted"


def test_visit_import_into_a_new_database_adds_it(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    out_file = tmp_path / "visit.json"
    run(capsys, "--db", str(path), "visit", "export", visit_id, "--out", str(out_file))
    code, out, _ = run(capsys, "--db", str(tmp_path / "admin.db"), "visit", "import", str(out_file))
    assert code == 0 and "added" in out
    code, out, _ = run(capsys, "--db", str(tmp_path / "admin.db"), "visits", "--json")
    assert json.loads(out)[0]["id"] == visit_id


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("visit", "export", "zzzzzzzz", "--out", "x.json"), "no visit with the id"),
        (("visit", "export", "ab", "--out", "x.json"), "too short"),
        (("visit", "import", "missing.json"), "There is no file"),
        (("visits", "--bogus"), "unrecognized arguments"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    filled: tuple[Path, str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    path, _ = filled
    code, _, err = run(capsys, "--db", str(path), *argv)
    assert code == 1
    assert message in err
    assert err.count("\n") == 1 and err.startswith("nexus-review: ")
    assert "Traceback" not in err


def test_export_to_an_unwritable_place_is_a_plain_error(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    out = tmp_path / "no" / "such" / "v.json"
    code, _, err = run(capsys, "--db", str(path), "visit", "export", visit_id, "--out", str(out))
    assert code == 1 and "does not exist" in err


def test_bad_database_url_is_a_plain_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "nosuchdriver://x/y", "schools")
    assert code == 1 and err.startswith("nexus-review: ") and "driver that is not installed" in err


def test_installed_command_runs_as_a_process(filled: tuple[Path, str]) -> None:
    path, _ = filled
    proc = subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", str(path), "visits", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["host_school"] == "Blackhorse Primary"
    proc = subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", str(path), "visit", "export", "00000000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_demo_fills_three_years_across_all_ten_schools_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(tmp_path / "x.db")
    code, out, _ = run(capsys, "--db", path, "demo")
    assert code == 0 and "10 schools" in out
    code, out, _ = run(capsys, "--db", path, "visits", "--json")
    visits = json.loads(out)
    assert {v["host_school"] for v in visits} == NEXUS_SCHOOLS
    import datetime as dt

    from nexus_review.domain.calendar import academic_year_of

    years = {academic_year_of(dt.date.fromisoformat(v["date"])) for v in visits}
    from nexus_review.demo import demo_years

    assert years == set(demo_years())  # dated from today: this year and the two before
    code, out, _ = run(capsys, "--db", path, "demo")
    assert code == 0 and "nothing changed" in out
    code, again, _ = run(capsys, "--db", path, "visits", "--json")
    assert json.loads(again) == visits
