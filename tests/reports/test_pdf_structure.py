"""Tagged PDF: the structure a screen reader follows, read back from the files with pikepdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from nexus_review.reports.compilation import CompilationOptions
from nexus_review.storage.database import Database
from nexus_review.storage.models import Action, Visit
from nexus_review.usecases.reports import export_compilation, export_visit_report
from tests.core.builders import make_visit
from tests.reports.pdfua import problems, reading_order, structure


@pytest.fixture
def report(db: Database, tmp_path: Path) -> Path:
    return export_visit_report(db, make_visit(db), "pdf", tmp_path / "feedback.pdf")


def _headings(root: object) -> list[tuple[str, str]]:
    return [(e.tag, e.alt) for e in root.walk() if e.tag.startswith("H")]  # type: ignore[attr-defined]


def test_feedback_report_is_tagged_with_headings_lists_and_tables_in_reading_order(
    report: Path,
) -> None:
    with pikepdf.open(report) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        tree = structure(pdf)
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Peer review feedback – Blackhorse Primary"
        assert meta["pdfuaid:part"] == "1"
        actual = {str(e.get("/ActualText", "")) for e in _all_elements(pdf)}
    tags = reading_order(tree)
    assert tags[0] == "Document" and tags[1] == "H1"
    assert tags.count("H1") == 1 and tags.count("H2") >= 8
    # A list: items with a label (the bullet) and a body; a table: header cells, then data.
    first_list = tags.index("L")
    assert tags[first_list : first_list + 4] == ["L", "LI", "Lbl", "LBody"]
    assert "Table" in tags and "TH" in tags and "TD" in tags
    assert "Phonics is taught with fidelity" in actual
    assert "Track the lowest 20% of readers fortnightly" in actual
    order = [a for a in actual if a in ("Focus of the review", "Agreed next steps", "Judgements")]
    assert order  # the headings carry their words
    headers = [e for e in tree.walk() if e.tag == "TH"]
    assert headers and all(e.attributes["Scope"] in ("Column", "Row") for e in headers)


def _all_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") == "/MCR":
            continue
        out.append(obj)
        kids = obj.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack += list(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return out


def test_reports_pass_the_pdfua_machine_checks(report: Path) -> None:
    assert problems(report) == []
    assert PdfReader(str(report)).outline  # bookmarks of the headings


def test_the_pdfua_checks_catch_an_untagged_file(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, "Untagged words")
    canvas.save()
    found = problems(plain)
    assert "no structure tree" in found and "no document language" in found
    assert any("not embedded" in p for p in found) or len(found) >= 4


def test_a_next_step_longer_than_a_page_splits_across_pages(db: Database, tmp_path: Path) -> None:
    visit_id = make_visit(db)
    long_step = " ".join(
        f"Step{i} of the plan for reading." for i in range(900)
    )  # about four pages
    with db.transaction() as s:
        s.add(
            Action(
                visit=s.get(Visit, visit_id),
                position=9,
                description=long_step,
                owner="Reading lead",
            )
        )
    out = export_visit_report(db, visit_id, "pdf", tmp_path / "long.pdf")
    reader = PdfReader(str(out))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert len(reader.pages) >= 4
    assert all(f"Step{i} of the plan" in text for i in (0, 450, 899))
    assert problems(out) == []


def test_chinese_korean_and_hindi_are_drawn_in_an_embedded_font(
    db: Database, tmp_path: Path
) -> None:
    visit_id = make_visit(db)
    words = "家长会 很成功。 학부모 상담이 잘 되었습니다. अभिभावकों के साथ बैठक अच्छी रही।"
    with db.transaction() as s:
        s.get(Visit, visit_id).summary = words
    out = export_visit_report(db, visit_id, "pdf", tmp_path / "scripts.pdf")
    fonts = set()
    for page in PdfReader(str(out)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DroidSansFallback" in f for f in fonts)
    assert any("NanumGothic" in f for f in fonts)
    assert any("NotoSansDevanagari" in f for f in fonts)
    text = "".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "家长会很成功" in text and "학부모상담이" in text
    assert problems(out) == []  # embedded, with a Unicode map: no empty boxes, copies out


def test_the_compilation_has_bookmarks_a_figure_with_alt_text_and_passes(
    demo_db: Database, tmp_path: Path
) -> None:
    out = export_compilation(
        demo_db,
        "pdf",
        tmp_path / "c.pdf",
        CompilationOptions("2025-26", today=dt.date(2026, 7, 20)),
    )
    assert problems(out) == []  # type: ignore[arg-type]
    with pikepdf.open(out) as pdf:  # type: ignore[arg-type]
        tree = structure(pdf)
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            reviews = next(
                item for item in outline.root if item.title == "The reviews, school by school"
            )
            assert len(reviews.children) >= 10
    assert top[:3] == ["Contents", "Overview", "Themes"]
    figures = [e for e in tree.walk() if e.tag == "Figure"]
    assert figures and all(e.alt.startswith("Bar chart") and " agreed, " in e.alt for e in figures)
    assert any(e.tag == "TOCI" for e in tree.walk())
