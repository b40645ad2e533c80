"""Judgements of a visit's agreed focus areas in the host school's report, read back from the
Word and PDF files; areas a school does not have are not printed."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from nexus_review.frameworks import focus_key
from nexus_review.reports.compilation import CompilationOptions, build_compilation
from nexus_review.reports.csv_export import judgements_csv
from nexus_review.reports.document import Table
from nexus_review.storage.database import Database
from nexus_review.storage.models import Judgement, Visit
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.reports import export_visit_report
from tests.core.builders import make_visit


def _pdf_text(path: Path) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages).split()
    )


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables
    ]


def _docx_headings(path: Path, style: str) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == style]


@pytest.fixture
def visit_id(db: Database) -> str:
    visit_id = make_visit(db)
    with db.transaction() as s:
        s.add(
            Judgement(
                visit_id=visit_id,
                area_key=focus_key("Reading and phonics"),
                peer_grade="strong-standard",
                self_grade="expected-standard",
                rationale="Phonics sessions started promptly and every adult used the same actions.",
            )
        )
        s.add(
            Judgement(
                visit_id=visit_id,
                area_key=focus_key("Oracy"),
                peer_grade="expected-standard",
                self_grade="expected-standard",
            )
        )
    return visit_id


def test_focus_areas_are_judged_in_word_under_the_judgements(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    out = export_visit_report(db, visit_id, "docx", tmp_path / "feedback.docx")
    tables = _docx_tables(out)
    focus = next(t for t in tables if t[0][0] == "Agreed focus area")
    assert focus[1:] == [
        ["Reading and phonics", "Expected standard", "Strong standard", "Peer judgement higher"],
        ["Oracy", "Expected standard", "Expected standard", "Agreed"],
    ]
    # The focus table follows the framework's own, inside the Judgements section.
    framework = next(t for t in tables if t[0][0] == "Area")
    assert tables.index(framework) < tables.index(focus)
    assert not any(r[0].startswith("focus:") for t in tables for r in t)
    subheadings = _docx_headings(out, "Heading 2")
    assert "Focus area: Reading and phonics" in subheadings
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    rationale = paragraphs.index(
        "Phonics sessions started promptly and every adult used the same actions."
    )
    assert (
        paragraphs.index("Judgements")
        < paragraphs.index("Focus area: Reading and phonics")
        < rationale
    )
    assert rationale < paragraphs.index("What went well")


def test_focus_areas_are_judged_in_the_pdf_too(db: Database, visit_id: str, tmp_path: Path) -> None:
    text = _pdf_text(export_visit_report(db, visit_id, "pdf", tmp_path / "feedback.pdf"))
    judgements = text.index("Judgements")
    assert judgements < text.index("Agreed focus area") < text.index("What went well")
    assert "Focus area: Reading and phonics" in text
    assert "Phonics sessions started promptly and every adult used the same actions." in text
    assert "focus:" not in text


def test_a_developmental_review_evaluates_its_focus_areas_in_words(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    with db.transaction() as s:
        s.get(Visit, visit_id).framework_key = "developmental"
    for fmt in ("docx", "pdf"):
        out = export_visit_report(db, visit_id, fmt, tmp_path / f"developmental.{fmt}")
        text = (
            _pdf_text(out)
            if fmt == "pdf"
            else "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        )
        assert "Evaluation of the agreed focus areas" in text
        assert "Focus area: Reading and phonics" in text
        assert "Phonics sessions started promptly" in text
        # No grades in a developmental review, and Oracy was not written about.
        assert "Strong standard" not in text and "Focus area: Oracy" not in text


def test_a_focus_area_taken_off_the_list_keeps_its_judgement_in_the_report(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    with db.transaction() as s:
        s.get(Visit, visit_id).focus_areas = ["Oracy"]
    tables = _docx_tables(export_visit_report(db, visit_id, "docx", tmp_path / "f.docx"))
    focus = next(t for t in tables if t[0][0] == "Agreed focus area")
    assert [r[0] for r in focus[1:]] == ["Oracy", "Reading and phonics"]


def test_an_area_the_school_does_not_have_is_printed_only_when_judged(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    out = export_visit_report(db, visit_id, "docx", tmp_path / "a.docx")
    assert not any(r[0] == "Sixth form" for t in _docx_tables(out) for r in t)
    with db.transaction() as s:
        s.add(Judgement(visit_id=visit_id, area_key="sixth-form", peer_grade="strong-standard"))
    # A primary school has no sixth form, but a grade that was given is never hidden.
    out = export_visit_report(db, visit_id, "docx", tmp_path / "b.docx")
    assert any(r[0] == "Sixth form" for t in _docx_tables(out) for r in t)


def test_the_judgements_spreadsheet_names_focus_areas_as_agreed(
    db: Database, visit_id: str
) -> None:
    import csv
    import io

    with db.reading() as s:
        rows = list(csv.DictReader(io.StringIO(judgements_csv([visit_detail(s, visit_id)]))))
    reading = next(r for r in rows if r["area"] == "Reading and phonics")
    assert (reading["self_evaluation"], reading["peer_judgement"], reading["agreement"]) == (
        "Expected standard",
        "Strong standard",
        "peer higher",
    )
    assert not any(r["area"].startswith("focus:") for r in rows)


def test_the_network_compilation_lists_the_focus_areas_judged(db: Database, visit_id: str) -> None:
    with db.reading() as s:
        visit = visit_detail(s, visit_id)
    document = build_compilation([visit], CompilationOptions("2025-26"))
    tables = [b for b in document.blocks if isinstance(b, Table) and b.header[0] == "Area"]
    rows = [r for t in tables for r in t.rows]
    assert (
        "Focus area: Reading and phonics",
        "Expected standard",
        "Strong standard",
        "Peer higher",
    ) in rows
    assert ("Focus area: Oracy", "Expected standard", "Expected standard", "Agreed") in rows
