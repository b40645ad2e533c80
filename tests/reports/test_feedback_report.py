"""The host school's feedback report, read back from the Word and PDF files a school receives."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from nexus_review.reports.export import ReportOptions
from nexus_review.reports.feedback import build_feedback_report
from nexus_review.reports.phrasing import describe_evidence
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database
from nexus_review.storage.models import Evidence, Visit
from nexus_review.storage.repository import visit_detail, visit_summaries
from nexus_review.usecases.reports import export_visit_report
from tests.core.builders import ADVERSARIAL, make_visit

ROOT = Path(__file__).resolve().parents[2]


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def visit_id(db: Database) -> str:
    return make_visit(db)


def test_word_report_has_every_section_in_order_with_real_styles(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    out = export_visit_report(db, visit_id, "docx", tmp_path / "feedback.docx")
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Focus of the review",
        "Summary",
        "Agreed next steps",
        "Judgements",
        "What went well",
        "Even better if",
        "Evidence base",
        "Thought-provoking questions",
    ]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [
        "Peer review feedback"
    ]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Reading and phonics" in bullets and "Phonics is taught with fidelity" in bullets
    assert "Sharpen checks on the lowest 20% of readers" in bullets
    assert "How do you know the catch-up sessions close gaps quickly enough?" in bullets
    facts, actions, judgements = document.tables
    header = {row.cells[0].text: row.cells[1].text for row in facts.rows}
    assert header["School"] == "Blackhorse Primary"
    assert header["Date of visit"] == "Tuesday 18 November 2025"
    assert header["Kind of visit"] == "Evaluation day"
    assert (
        "Mr D. Okafor (Headteacher, Kings Forest Primary) – lead reviewer" in header["Review team"]
    )
    assert header["Framework"].startswith("Ofsted renewed framework")
    rows = [[c.text for c in row.cells] for row in judgements.rows]
    assert rows[0] == ["Area", "School's self-evaluation", "Peer judgement", "Agreement"]
    assert [
        "Curriculum and teaching",
        "Expected standard",
        "Strong standard",
        "Peer judgement higher",
    ] in rows
    assert ["Safeguarding", "Met", "Met", "Agreed"] in rows
    assert judgements.style.name == "Light Grid Accent 1"
    assert [[c.text for c in r.cells] for r in actions.rows][1] == [
        "Track the lowest 20% of readers fortnightly",
        "Reading lead",
        "1 February 2026",
    ]
    assert document.core_properties.title == "Peer review feedback – Blackhorse Primary"
    assert document.core_properties.author == "Mr D. Okafor"
    footer = document.sections[0].footer._element.xml
    assert "Blackhorse Primary · Confidential" in footer and "NUMPAGES" in footer


def test_pdf_report_says_what_the_word_report_says(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    pdf = _flat(_pdf_text(export_visit_report(db, visit_id, "pdf", tmp_path / "feedback.pdf")))
    for words in (
        "Peer review feedback",
        "Focus of the review",
        "Summary",
        "Judgements",
        "What went well",
        "Even better if",
        "Evidence base",
        "Thought-provoking questions",
        "Agreed next steps",
        "Curriculum and teaching Expected standard Strong standard Peer judgement higher",
        "Track the lowest 20% of readers fortnightly Reading lead 1 February 2026",
        "Blackhorse Primary · Confidential",
        "Page 1 of",
    ):
        assert words in pdf
    reader = PdfReader(str(tmp_path / "feedback.pdf"))
    assert reader.metadata.title == "Peer review feedback – Blackhorse Primary"
    assert reader.metadata.author == "Mr D. Okafor"
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts)  # the shipped font, embedded
    assert any("Symbola" in f for f in fonts)  # emoji drawn in the fallback font


def test_sections_follow_the_house_order_in_the_pdf(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    text = _flat(_pdf_text(export_visit_report(db, visit_id, "pdf", tmp_path / "f.pdf")))
    # The next steps, what a head acts on, straight after the summary.
    order = [
        "Focus of the review",
        "Summary",
        "Agreed next steps",
        "Judgements",
        "What went well",
        "Even better if",
        "Evidence base",
        "Thought-provoking questions",
    ]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)


def test_adversarial_text_appears_exactly_as_typed(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    big = "Long note. " * 10_000  # 110 kB
    with db.transaction() as s:
        s.get(Visit, visit_id).summary = ADVERSARIAL + "\n\n" + big
    options = ReportOptions(include_notes=True)
    word = "\n".join(
        _docx_paragraphs(export_visit_report(db, visit_id, "docx", tmp_path / "a.docx", options))
    )
    assert ADVERSARIAL in word
    assert big.strip() in word
    pdf = _flat(_pdf_text(export_visit_report(db, visit_id, "pdf", tmp_path / "a.pdf", options)))
    latin = ADVERSARIAL.split(" 🙂")[0]
    assert _flat(latin) in pdf  # <b>, &amp;, quotes, Zoë & Łukasz, € as typed, not as markup
    assert "🙂" in pdf and "📚" in pdf
    # Right-to-left words are drawn shaped and in display order; a reader copies them out in
    # typing order (Arabic in its joined letter forms, which NFKC folds back).
    folded = unicodedata.normalize("NFKC", pdf)
    assert "مرحبا بالعالم" in folded and "שלום עולם" in folded
    body = re.sub(
        r"Blackhorse Primary · Confidential Page \d+ of \d+ ",
        "",
        pdf.replace("DRAFT – not yet sent to the school ", ""),
    )  # footers
    assert body.count("Long note.") == 10_000


def test_anonymised_report_names_no_staff_and_is_consistent(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        s.add(
            Evidence(
                visit=visit,
                kind="lesson-observation",
                position=5,
                staff="Mr K. Obi",
                notes="Mrs J. Patel joined Mr K. Obi's class for the plenary.",
            )
        )
        s.add(
            Evidence(
                visit=visit,
                kind="lesson-observation",
                position=6,
                staff="Mrs J. Patel",
                notes="Second visit.",
            )
        )
    options = ReportOptions(include_notes=True, anonymise=True)
    for fmt in ("docx", "pdf"):
        text = read_document_text(
            export_visit_report(db, visit_id, fmt, tmp_path / f"anon.{fmt}", options)
        )
        assert "Patel" not in text and "Obi" not in text
        assert "Teacher A" in text and "Teacher B" in text
        assert "Teacher A joined Teacher B's class for the plenary." in _flat(text)
    named = read_document_text(
        export_visit_report(
            db, visit_id, "docx", tmp_path / "named.docx", ReportOptions(include_notes=True)
        )
    )
    assert "Mrs J. Patel" in named


def test_observation_notes_only_when_asked(db: Database, visit_id: str, tmp_path: Path) -> None:
    plain = read_document_text(export_visit_report(db, visit_id, "docx", tmp_path / "p.docx"))
    assert "Observation notes" not in plain and "Mrs J. Patel" not in plain
    notes = read_document_text(
        export_visit_report(
            db, visit_id, "docx", tmp_path / "n.docx", ReportOptions(include_notes=True)
        )
    )
    assert "Observation notes" in notes
    assert "Drop-in 2: pupils explained their thinking" in notes


def test_evidence_points_option_adds_the_logs_strengths(
    db: Database, visit_id: str, tmp_path: Path
) -> None:
    without = read_document_text(export_visit_report(db, visit_id, "docx", tmp_path / "a.docx"))
    assert "Clear modelling of the sound" not in without
    with_points = read_document_text(
        export_visit_report(
            db, visit_id, "docx", tmp_path / "b.docx", ReportOptions(evidence_points=True)
        )
    )
    assert "Clear modelling of the sound" in with_points
    assert "More time for pupils to apply" in with_points


def test_evidence_base_counts_what_was_seen_not_who(db: Database, visit_id: str) -> None:
    with db.reading() as s:
        visit = visit_detail(s, visit_id)
    assert describe_evidence(visit.evidence) == [
        "a lesson observation in phonics",
        "a learning walk through 3 classes",
    ]
    document = build_feedback_report(visit)
    evidence = document.text().split("Evidence base")[1]
    assert "Patel" not in evidence


def test_empty_sections_are_left_out(db: Database, visit_id: str, tmp_path: Path) -> None:
    with db.transaction() as s:
        visit = s.get(Visit, visit_id)
        visit.questions = ""
        visit.areas_for_development = "  \n"
        visit.framework_key = "developmental"
    text = read_document_text(export_visit_report(db, visit_id, "docx", tmp_path / "d.docx"))
    assert "Thought-provoking questions" not in text
    assert "Even better if" not in text
    assert "Judgements" not in text and "Peer judgement" not in text  # developmental: no grades
    assert "What went well" in text


def test_letter_paper(db: Database, visit_id: str, tmp_path: Path) -> None:
    options = ReportOptions(paper="letter")
    page = PdfReader(
        str(export_visit_report(db, visit_id, "pdf", tmp_path / "l.pdf", options))
    ).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    section = docx.Document(
        str(export_visit_report(db, visit_id, "docx", tmp_path / "l.docx", options))
    ).sections[0]
    assert round(section.page_width.mm) == 216 and round(section.page_height.mm) == 279
    a4 = PdfReader(str(export_visit_report(db, visit_id, "pdf", tmp_path / "a4.pdf"))).pages[0]
    assert round(float(a4.mediabox.width)) == 595


def test_every_demo_visit_exports_in_both_formats_and_names_only_its_school(
    demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.reading() as s:
        visits = visit_summaries(s)
        schools = {v.host_school_name for v in visits}
        details = [visit_detail(s, v.id) for v in visits]
    assert len(details) == 75  # three years, the current one partly still planned
    for visit in details:
        school = visit.host_school.name
        others = schools - {school}
        for fmt in ("docx", "pdf"):
            out = export_visit_report(
                demo_db,
                visit.id,
                fmt,
                tmp_path / f"{visit.id}.{fmt}",
                ReportOptions(anonymise=True),
            )
            text = _flat(read_document_text(out))
            assert "Peer review feedback" in text and school in text
            assert all(_flat(a.description) in text for a in visit.actions)
            staff = {e.staff for e in visit.evidence if e.staff}
            assert not any(name in text for name in staff)
            # No text from another school's visits: its name appears only as a reviewer's home.
            homes = {m.home_school_name for m in visit.team}
            assert not any(other in text for other in others - homes)
