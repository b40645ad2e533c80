"""What the network's compilation says, and how its pages fall, read back from both formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from nexus_review.reports.compilation import CompilationOptions, build_compilation
from nexus_review.reports.compilation_themes import THEME_FINDINGS
from nexus_review.reports.document import BulletList, Heading, Paragraph
from nexus_review.storage.database import Database
from nexus_review.storage.models import Action, Evidence, Visit
from nexus_review.storage.repository import visit_detail
from nexus_review.usecases.reports import export_compilation
from tests.core.builders import make_visit

TODAY = dt.date(2026, 7, 20)


def _theme_sections(document: object) -> dict[str, list[str]]:
    """Each theme's findings (the bullets under its heading), from the document tree."""
    blocks = document.blocks  # type: ignore[attr-defined]
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "Themes")
    end = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Heading) and b.text == "Judgement consistency"
    )
    sections: dict[str, list[str]] = {}
    current = ""
    for block in blocks[start + 1 : end]:
        if isinstance(block, Heading):
            current = block.text
            sections[current] = []
        elif isinstance(block, BulletList):
            sections[current] += list(block.items)
        elif isinstance(block, Paragraph) and current:
            sections[current].append(block.text)
    return sections


@pytest.fixture
def visit(db: Database) -> object:
    visit_id = make_visit(db)
    with db.transaction() as s:
        v = s.get(Visit, visit_id)
        v.focus_areas = ["Reading and phonics", "Oracy", "Writing"]
        v.strengths = "Visit-wide strength about the school\nWriting: Tagged point on writing"
        v.areas_for_development = "Even better if the visit-wide point were acted on"
        v.summary = "The review found a lot.\n\nLeaders agreed the next steps below and will report on them."
        s.add(
            Evidence(
                visit=v,
                kind="work-scrutiny",
                position=7,
                subject="English (writing)",
                strengths="Books show long pieces of writing",
                focus_links=["Writing"],
            )
        )
        for n in range(THEME_FINDINGS + 3):
            s.add(
                Evidence(
                    visit=v,
                    kind="lesson-observation",
                    position=10 + n,
                    strengths=f"Oracy finding {n}",
                    focus_links=["oracy "],
                )
            )
        s.add(
            Action(
                visit=v,
                position=3,
                description="Share the writing plan",
                owner="English lead",
                due_date=dt.date(2026, 3, 1),
                status="in-progress",
                follow_up=[
                    {"date": "2026-02-01", "note": "Reported at the group meeting."},
                    {"date": "2026-03-01", "note": "Checked in books."},
                ],
            )
        )
    with db.reading() as s:
        return visit_detail(s, visit_id)


def test_no_finding_appears_under_a_theme_it_was_not_linked_to(visit: object) -> None:
    document = build_compilation([visit], CompilationOptions("2025-26", today=TODAY))  # type: ignore[list-item]
    themes = _theme_sections(document)
    school = " (Blackhorse Primary)."
    reading, oracy, writing = themes["Reading and phonics"], themes["Oracy"], themes["Writing"]
    assert "Clear modelling of the sound" + school in reading  # its evidence was linked to reading
    assert "Books show long pieces of writing" + school in writing
    assert "Tagged point on writing" + school in writing  # a visit-wide line that names the theme
    everything = " ".join(reading + oracy + writing)
    assert "Visit-wide strength" not in everything and "visit-wide point" not in everything
    assert not any("writing" in line.lower() for line in reading + oracy)
    assert not any("Oracy finding" in line for line in reading + writing)
    # Shortened to six, saying how many were left out.
    assert sum("Oracy finding" in line for line in oracy) == THEME_FINDINGS
    assert (
        "3 further findings on this theme left out here; each review's own findings follow below."
        in oracy
    )


def test_summaries_flags_and_follow_up_read_well_in_the_compilation(visit: object) -> None:
    document = build_compilation([visit], CompilationOptions("2025-26", today=TODAY))  # type: ignore[list-item]
    text = document.text()
    assert "next steps below" not in text
    assert "Leaders agreed the agreed next steps" not in text
    assert (
        "Leaders agreed the next steps listed under Follow-up of agreed next steps and will report on them."
        in text
    )
    # The visit is in progress: flagged on its page and in the overview.
    assert "In progress: the report has not yet been sent to the school" in text
    assert "This review is not finished" in text
    assert "Reviews: 1 (1 not yet finished, marked as such below)" in text
    assert ".;" not in text  # one follow-up note a line
    assert "1 Feb 2026: Reported at the group meeting.\n1 Mar 2026: Checked in books." in text
    # Grouped by school under its own heading, without a school column.
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[headings.index("Follow-up of agreed next steps") + 1] == "Blackhorse Primary"
    # Each review is listed in the contents, under the reviews section.
    review = next(
        b
        for b in document.blocks
        if isinstance(b, Heading) and b.text.startswith("Blackhorse Primary: evaluation day")
    )
    assert review.listed and review.level == 2


def test_a_share_of_a_handful_of_judgements_is_a_count(visit: object) -> None:
    text = build_compilation([visit], CompilationOptions("2025-26", today=TODAY)).text()  # type: ignore[list-item]
    assert " of 1" in text
    assert "100%" not in text


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _last_line_is_a_heading(page: str, headings: set[str]) -> str | None:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    body = [
        line
        for line in lines
        if "Confidential" not in line
        and not line.startswith("Page ")
        and not line.startswith("DRAFT")
    ]
    return body[-1] if body and body[-1] in headings else None


@pytest.mark.parametrize("which", ["compilation", "report"])
def test_no_pdf_page_ends_with_a_heading(demo_db: Database, tmp_path: Path, which: str) -> None:
    from nexus_review.reports.feedback import build_feedback_report
    from nexus_review.storage.repository import visit_summaries
    from nexus_review.usecases.reports import export_visit_report

    if which == "compilation":
        options = CompilationOptions("2025-26", today=TODAY)
        out = export_compilation(demo_db, "pdf", tmp_path / "c.pdf", options)
        from nexus_review.usecases.network import network_visits

        documents = [build_compilation(network_visits(demo_db, "2025-26"), options)]
        files = [out]
    else:
        with demo_db.reading() as s:
            details = [visit_detail(s, v.id) for v in visit_summaries(s)]
        files = [
            export_visit_report(demo_db, v.id, "pdf", tmp_path / f"{v.id}.pdf") for v in details
        ]
        documents = [build_feedback_report(v) for v in details]
    headings = {b.text for d in documents for b in d.blocks if isinstance(b, Heading)}
    for out in files:
        for number, page in enumerate(_pdf_pages(out), 1):  # type: ignore[arg-type]
            assert _last_line_is_a_heading(page, headings) is None, (out, number)


def test_word_compilation_has_alt_text_fresh_properties_and_british_english(
    demo_db: Database, tmp_path: Path
) -> None:
    out = export_compilation(
        demo_db, "docx", tmp_path / "c.docx", CompilationOptions("2025-26", today=TODAY)
    )
    document = docx.Document(str(out))
    for shape in document.inline_shapes:
        described = shape._inline.docPr.get("descr")
        assert described and described.startswith("Bar chart") and " agreed, " in described
    props = document.core_properties
    assert props.created and props.created.year >= 2026 and props.modified == props.created
    assert props.language == "en-GB" and props.title.startswith("Collaborative review compilation")
    package = document.part.package
    app = next(p for p in package.parts if str(p.partname) == "/docProps/app.xml").blob.decode()
    assert "Microsoft" not in app and "Nexus Review" in app
    settings = document.settings.element.xml
    assert 'w:name="compatibilityMode"' in settings and 'w:val="15"' in settings
    styles = document.styles.element.xml
    assert 'w:lang w:val="en-GB"' in styles and "en-US" not in styles
    # The contents reads well before Word updates it: every section and review, indented.
    toc = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert {p.style.name for p in toc} == {"toc 1", "toc 2"}
    assert any(p.text.startswith("Blackhorse Primary:") and p.style.name == "toc 2" for p in toc)
    # No table takes its first column bold from the table style.
    body = document.element.body.xml
    assert 'w:firstColumn="1"' not in body


def test_word_report_draft_mark_date_and_footer_on_a4(db: Database, tmp_path: Path) -> None:
    from nexus_review.reports.export import ReportOptions
    from nexus_review.usecases.reports import export_visit_report

    visit_id = make_visit(db)
    options = ReportOptions(today=dt.date(2026, 1, 5))
    document = docx.Document(
        str(export_visit_report(db, visit_id, "docx", tmp_path / "d.docx", options))
    )
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Status"] == "Draft of 5 January 2026: not yet sent to the school"
    footer = document.sections[0].footer.paragraphs[0]
    stops = [(round(t.position.mm), str(t.alignment)) for t in footer.paragraph_format.tab_stops]
    assert (170, "RIGHT (2)") in stops  # the text width of A4 with 20 mm margins
    with db.transaction() as s:
        s.get(Visit, visit_id).status = "report-sent"
    sent = docx.Document(
        str(export_visit_report(db, visit_id, "docx", tmp_path / "s.docx", options))
    )
    assert not sent.sections[0].header.paragraphs[0].text
    facts = {row.cells[0].text: row.cells[1].text for row in sent.tables[0].rows}
    assert "Date of issue" in facts and "Status" not in facts
    text = "\n".join(p.text for p in sent.paragraphs)
    assert (
        "Key to the grades (Ofsted 2025, highest first) – each area: Exceptional, Strong standard"
        in text
    )
    assert "Safeguarding: Met, Not met." in text
    ebis = [p.text for p in sent.paragraphs if p.style.name == "List Bullet"]
    assert not any(e.lower().startswith("even better if") for e in ebis)


def test_pdf_draft_mark_on_every_page_as_an_artifact(db: Database, tmp_path: Path) -> None:
    from nexus_review.usecases.reports import export_visit_report

    out = export_visit_report(db, make_visit(db), "pdf", tmp_path / "d.pdf")
    pages = _pdf_pages(out)
    assert all("DRAFT – not yet sent to the school" in p for p in pages)


def test_bullets_copy_out_with_their_items(db: Database, tmp_path: Path) -> None:
    from nexus_review.usecases.reports import export_visit_report

    out = export_visit_report(db, make_visit(db), "pdf", tmp_path / "b.pdf")
    pages = [p.extract_text(extraction_mode="layout") for p in PdfReader(str(out)).pages]
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    assert "• Phonics is taught with fidelity" in lines  # on one line, as a reader copies it


def test_word_page_breaks_belong_to_headings(demo_db: Database, tmp_path: Path) -> None:
    """A page break of its own can land alone on an otherwise empty page (after a full
    contents page); the break is on the heading that starts the new page instead."""
    out = export_compilation(
        demo_db, "docx", tmp_path / "c.docx", CompilationOptions("2025-26", today=TODAY)
    )
    document = docx.Document(str(out))
    assert 'w:type="page"' not in document.element.body.xml
    overview = next(
        p for p in document.paragraphs if p.text == "Overview" and p.style.name == "Heading 1"
    )
    assert overview.paragraph_format.page_break_before
    # The contents field ends in its last entry, not in a paragraph of its own.
    last_entry = [p for p in document.paragraphs if p.style.name.startswith("toc ")][-1]
    assert 'w:fldCharType="end"' in last_entry._p.xml
