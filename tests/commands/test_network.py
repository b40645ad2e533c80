"""The network's commands: the compilation and the CSV spreadsheets, read back."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from nexus_review.demo import demo_years
from nexus_review.domain.network import (
    tracked_actions,
)
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database
from nexus_review.usecases.network import (
    network_visits,
)

ROOT = Path(__file__).resolve().parents[2]
# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]


def test_compile_and_csv_on_the_command_line(demo_db: Database, tmp_path: Path) -> None:
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "nexus_review", "--db", demo_db.url, *a],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    proc = run(
        "compile",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "c.pdf"),
        "--year",
        LAST_YEAR,
        "--term",
        "spring",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Collaborative review compilation" in read_document_text(tmp_path / "c.pdf")
    proc = run(
        "data",
        "export",
        "--format",
        "csv",
        "--what",
        "judgements",
        "--out",
        str(tmp_path / "j.csv"),
        "--year",
        LAST_YEAR,
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "j.csv").read_text(encoding="utf-8-sig"))))
    visits = network_visits(demo_db, LAST_YEAR)
    assert len(rows) == sum(len(v.judgements) for v in visits)
    assert {r["agreement"] for r in rows} <= {"agreed", "peer higher", "peer lower", ""}
    proc = run(
        "data", "export", "--format", "csv", "--what", "actions", "--out", str(tmp_path / "a.csv")
    )
    assert proc.returncode == 0
    actions = list(
        csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig")))
    )
    every_year = [v for year in demo_years() for v in network_visits(demo_db, year)]
    assert len(actions) == len(tracked_actions(every_year)) > 100
    bad = run("compile", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--year", "2025")
    assert bad.returncode == 1 and "is not an academic year" in bad.stderr
