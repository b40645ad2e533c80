"""The moderation pack for the heads' meeting, read back from both formats."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from nexus_review.cli import main
from nexus_review.demo import demo_years
from nexus_review.errors import NexusError
from nexus_review.reports.moderation import build_moderation_pack
from nexus_review.storage.database import Database
from nexus_review.usecases.consistency import (
    AgreementFilter,
    agreement_report,
    export_moderation_pack,
)
from tests.reports.pdfua import problems, structure

LAST_YEAR = demo_years()[1]


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def test_both_formats_say_the_same_figures(demo_db: Database, tmp_path: Path) -> None:
    report = agreement_report(demo_db, AgreementFilter(year=LAST_YEAR))
    o = report.overall
    word = export_moderation_pack(
        demo_db, "docx", tmp_path / "pack.docx", AgreementFilter(year=LAST_YEAR)
    )
    pdf = export_moderation_pack(
        demo_db, "pdf", tmp_path / "pack.pdf", AgreementFilter(year=LAST_YEAR)
    )
    d = docx.Document(str(word))
    headings = [
        p.text for p in d.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    for wanted in (
        "Agreement at a glance",
        "Agreement per area",
        "Agreement term by term",
        "Pairs of heads",
        "Each head against the agreed grade",
        "Self-evaluation against the peer judgement",
        "About these figures",
    ):
        assert wanted in headings
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert f"{o.exact} of {o.n}" in cells and f"{o.within_one} of {o.n}" in cells
    area = report.areas[0]
    assert area.area_name in cells
    pair = report.pairs[0]
    assert f"{pair.first} and {pair.second}" in cells
    text = " ".join(_pdf_text(pdf).split())
    assert f"{o.exact} of {o.n} paired judgements agree exactly" in text
    assert "Fleiss, Cohen and Everitt 1969" in text
    assert "Moderation pack" in text and LAST_YEAR in text
    word_text = " ".join(" ".join(p.text for p in d.paragraphs).split())
    assert f"{o.exact} of {o.n} paired judgements agree exactly" in word_text


def test_the_pdf_is_tagged_with_a_described_figure(demo_db: Database, tmp_path: Path) -> None:
    pdf = export_moderation_pack(
        demo_db, "pdf", tmp_path / "pack.pdf", AgreementFilter(year=LAST_YEAR)
    )
    assert problems(pdf) == []
    with pikepdf.open(pdf) as opened:
        figures = [e for e in structure(opened).walk() if e.tag == "Figure"]
    assert figures and all(
        e.alt.startswith("Bar chart, How far apart heads' own grades were, term by term")
        for e in figures
    )


def test_a_year_without_own_grades_says_so(db: Database, tmp_path: Path) -> None:
    document = build_moderation_pack(agreement_report(db, AgreementFilter(year="2023-24")))
    assert "No two heads gave their own grades of the same area this year" in document.text()
    assert "Not enough paired judgements." in document.text()
    out = export_moderation_pack(db, "pdf", tmp_path / "empty.pdf", AgreementFilter(year="2023-24"))
    assert "nothing to compare yet" in " ".join(_pdf_text(out).split())


def test_bad_input_writes_no_file(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NexusError, match="is not an academic year"):
        export_moderation_pack(db, "pdf", tmp_path / "x.pdf", AgreementFilter(year="2025"))
    with pytest.raises(NexusError):
        export_moderation_pack(db, "rtf", tmp_path / "x.rtf", AgreementFilter(year="2025-26"))
    assert list(tmp_path.glob("x.*")) == []


def test_the_command_line_writes_the_pack(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_db.url.removeprefix("sqlite:///")
    out = tmp_path / "m.docx"
    code = main(
        ["--db", path, "moderation", "--format", "docx", "--out", str(out), "--year", LAST_YEAR]
    )
    printed = capsys.readouterr().out
    assert code == 0 and printed.strip() == f"Moderation pack for {LAST_YEAR} written to {out}."
    assert "Agreement per area" in [p.text for p in docx.Document(str(out)).paragraphs]
    code = main(
        [
            "--db",
            path,
            "moderation",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "n.pdf"),
            "--year",
            "2025",
        ]
    )
    assert code == 1 and "is not an academic year" in capsys.readouterr().err
    assert not (tmp_path / "n.pdf").exists()


def test_every_page_renders(demo_db: Database, tmp_path: Path) -> None:
    pdf = export_moderation_pack(
        demo_db, "pdf", tmp_path / "pack.pdf", AgreementFilter(year=LAST_YEAR)
    )
    if subprocess.run(["which", "pdftoppm"], capture_output=True).returncode:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == len(PdfReader(pdf).pages) >= 3


def test_the_years_calibration_exercise_is_in_the_pack(demo_db: Database, tmp_path: Path) -> None:
    from nexus_review.usecases.calibration import list_exercises

    (exercise,) = list_exercises(demo_db)
    pdf = export_moderation_pack(
        demo_db, "pdf", tmp_path / "pack.pdf", AgreementFilter(year=exercise.academic_year)
    )
    text = " ".join(_pdf_text(pdf).split())
    assert f"Calibration exercise: {exercise.title}" in text
    assert "10 heads graded it on their own" in text and "The reasons each head gave" in text
    word = export_moderation_pack(
        demo_db, "docx", tmp_path / "pack.docx", AgreementFilter(year=exercise.academic_year)
    )
    cells = [c.text for t in docx.Document(str(word)).tables for row in t.rows for c in row.cells]
    assert "As the evidence shows." in cells or any("consistently" in c for c in cells)
    other = export_moderation_pack(
        demo_db, "pdf", tmp_path / "other.pdf", AgreementFilter(year="2019-20")
    )
    assert "Calibration exercise" not in _pdf_text(other)
