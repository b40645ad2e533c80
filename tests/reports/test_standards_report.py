"""The termly standards report, read back from both formats."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from nexus_review.cli import main
from nexus_review.usecases.trust import export_standards_report
from tests.reports.pdfua import problems


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _year(demo_db) -> str:  # type: ignore[no-untyped-def]
    from nexus_review.demo import demo_years

    return demo_years()[2]


@pytest.fixture
def both(demo_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    year = _year(demo_db)
    docx_path = export_standards_report(
        demo_db, year, "autumn", "docx", tmp_path / "standards.docx"
    )
    pdf_path = export_standards_report(demo_db, year, "autumn", "pdf", tmp_path / "standards.pdf")
    return year, docx_path, pdf_path


def test_the_word_report_has_each_aim_with_its_plan_figures_groups_and_reviews(both) -> None:  # type: ignore[no-untyped-def]
    import docx

    _y, path, _pdf = both
    word = docx.Document(str(path))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    aims = [t for s, t in headings if s == "Heading 1" and t.startswith("Aim ")]
    assert aims == [
        "Aim 1: All children enjoy their learning and make at least good progress",
        "Aim 2: All children are responsible citizens who contribute to society",
        "Aim 3: All academies are continually improving the quality of provision",
    ]
    subs = [t for s, t in headings if s == "Heading 2"]
    assert (
        "Delivery plan" in subs
        and "Pupil groups behind" in subs
        and "Reviews in the autumn term" in subs
    )
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in word.tables]
    plan = next(t for t in tables if t[0][0] == "Action")
    assert plan[0] == ["Action", "Measurable outcome", "Lead", "Due", "Progress, autumn term"]
    assert any(row[4].startswith("On track:") for row in plan[1:])
    groups = next(t for t in tables if t[0][:2] == ["School", "Group"])
    staple = [row for row in groups if row[0] == "Staple Hill" and row[1] == "Disadvantaged"]
    assert staple and all(
        row[5].startswith("widening") and row[4].endswith("pupils") for row in staple
    )
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert any(
        c.startswith("Key Stage 2 reading, writing and maths: expected standard, all pupils")
        for c in captions
    )
    figures = next(
        t
        for t in tables
        if t[0][0] == "School" and t[0][1:] and t[0][1][:2] == "20" and t[-1][0] == "National"
    )
    assert figures[-2][0] == "Network"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "too small to judge" in text and "6 pupils" in text
    assert "explore-education-statistics.service.gov.uk" in text  # the national figures' sources
    reviews = next(t for t in tables if t[0][0] == "Date")
    assert reviews[0] == ["Date", "School", "Kind", "Focus"]
    # Each review's judgements come once, in a section of their own, the peers' judgement of
    # each area beside the school's own.
    top = [t for s, t in headings if s == "Heading 1"]
    assert "The term's reviews and their judgements" in top
    judged = [t for t in tables if t[0] == ["Area", "Peer judgement", "School's own evaluation"]]
    assert judged and all(len(row) == 3 and row[1] for t in judged for row in t[1:])
    at = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    listed = at[at.index("Reviews in the autumn term") :]
    assert any(": evaluation day, " in h for h in listed)


def test_each_review_is_told_once_and_figures_read_alike(both) -> None:  # type: ignore[no-untyped-def]
    import re

    import docx

    _y, docx_path, _pdf = both
    word = docx.Document(str(docx_path))
    titles = [
        p.text
        for p in word.paragraphs
        if p.style.name == "Heading 2" and re.search(r": .+, \d{1,2} \w{3} \d{4}$", p.text)
    ]
    assert titles and len(titles) == len(set(titles))
    judged = [t for t in word.tables if t.rows[0].cells[0].text == "Area"]
    assert len(judged) == len(titles)
    for table in word.tables:
        if table.rows[0].cells[0].text == "School" and table.rows[-1].cells[0].text == "National":
            for row in table.rows[1:]:
                for cell in row.cells[1:]:
                    for number in re.findall(r"(\d+(?:\.\d+)?)%", cell.text):
                        assert "." in number, cell.text  # 66.0%, never 66% beside 67.4%


def test_the_pdf_says_what_the_word_file_says_and_is_tagged(both) -> None:  # type: ignore[no-untyped-def]
    import docx

    _y, docx_path, pdf_path = both
    pdf = " ".join(_pdf_text(pdf_path).split())
    word = docx.Document(str(docx_path))
    for p in word.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "Caption":
            assert " ".join(p.text.split()) in pdf
    assert "Standards report to the trust board" in pdf
    assert problems(pdf_path) == []


def test_small_groups_are_never_given_as_a_percentage(both) -> None:  # type: ignore[no-untyped-def]
    import docx

    _y, docx_path, _pdf = both
    word = docx.Document(str(docx_path))
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                if "too few to judge" in cell.text:
                    assert "%" not in cell.text
    small = [p.text for p in word.paragraphs if "pupils) in" in p.text]
    assert small and not any("%" in line for line in small)


def test_the_command_line_writes_the_report_and_refuses_a_bad_year(
    demo_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = _year(demo_db)
    path = str(demo_db.path)
    demo_db.close()
    out = tmp_path / "board.pdf"
    assert (
        main(
            [
                "--db",
                path,
                "standards-report",
                "--term",
                "autumn",
                "--year",
                year,
                "--format",
                "pdf",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "Aim 1:" in _pdf_text(out)
    assert (
        main(
            [
                "--db",
                path,
                "standards-report",
                "--term",
                "autumn",
                "--year",
                "2025/26",
                "--format",
                "pdf",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "not an academic year" in capsys.readouterr().err


def test_no_page_ends_with_a_heading(both) -> None:  # type: ignore[no-untyped-def]
    import docx

    from tests.reports.test_compilation import _last_line_is_a_heading, _pdf_pages

    _y, docx_path, pdf_path = both
    headings = {
        p.text
        for p in docx.Document(str(docx_path)).paragraphs
        if p.style.name.startswith("Heading")
    }
    for number, page in enumerate(_pdf_pages(pdf_path), 1):
        assert _last_line_is_a_heading(page, headings) is None, number
