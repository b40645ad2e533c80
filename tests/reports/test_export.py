"""Exporting a report to a file: a failed export keeps the good file and leaves no part of a
new one, and a target that cannot be written or a missing program file is said in one sentence,
in the program and on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from nexus_review.errors import ExportError
from nexus_review.storage.database import Database
from nexus_review.storage.repository import visit_summaries
from nexus_review.usecases.reports import export_visit_report
from tests.core.builders import make_visit

ROOT = Path(__file__).resolve().parents[2]


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def visit_id(db: Database) -> str:
    return make_visit(db)


def test_a_failed_export_keeps_the_good_file_and_leaves_no_part(
    db: Database, visit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"%PDF- the good one")

    def broken(*_args: object) -> None:
        raise RuntimeError("renderer fell over")

    from nexus_review.reports import export

    monkeypatch.setitem(export.EXPORTERS, "pdf", export.Exporter("pdf", "PDF", ".pdf", broken))
    with pytest.raises(ExportError, match="could not be made"):
        export_visit_report(db, visit_id, "pdf", target)
    assert target.read_bytes() == b"%PDF- the good one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "keep.pdf",
        "nexus.db",
        "nexus.db-shm",
        "nexus.db-wal",
    ]


def test_unwritable_target_gives_one_sentence(db: Database, visit_id: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_visit_report(db, visit_id, "docx", tmp_path / "no-such-folder" / "r.docx")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ExportError, match="cannot be written"):
            export_visit_report(db, visit_id, "pdf", locked / "r.pdf")


def _report_command(
    db: Database, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """``nexus_review --db … report …`` run as a user runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", db.url, "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_report_command_line(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.reading() as s:
        visit = next(v for v in visit_summaries(s) if v.kind == "evaluation-day")
    out = tmp_path / "cli.pdf"
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    proc = _report_command(
        demo_db,
        env,
        visit.id[:8],
        "--format",
        "pdf",
        "--out",
        str(out),
        "--anonymise",
        "--notes",
        "--paper",
        "letter",
    )
    assert proc.returncode == 0, proc.stderr
    assert f"Feedback report written to {out}" in proc.stdout
    assert visit.host_school_name in _pdf_text(out)
    bad = _report_command(
        demo_db, env, visit.id[:8], "--format", "pdf", "--out", str(tmp_path / "missing" / "x.pdf")
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1 and "does not exist" in bad.stderr


def test_a_missing_program_file_is_not_blamed_on_the_target_folder(
    db: Database, visit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_review.reports import export

    def missing_template(*_args: object) -> None:
        raise FileNotFoundError(
            2, "No such file or directory", "/opt/app/docx/templates/default-footer.xml"
        )

    monkeypatch.setitem(
        export.EXPORTERS, "docx", export.Exporter("docx", "Word", ".docx", missing_template)
    )
    with pytest.raises(ExportError, match=r"missing default-footer\.xml; reinstall"):
        export_visit_report(db, visit_id, "docx", tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
