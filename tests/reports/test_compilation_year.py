"""The network's compilation of a school year, read back: its figures, one term or school, the year in progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from nexus_review.demo import demo_years
from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.domain.network import (
    tracked_actions,
)
from nexus_review.reports.compilation import CompilationOptions, build_compilation
from nexus_review.reports.consistency import consistency
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database
from nexus_review.usecases.network import (
    network_visits,
)
from nexus_review.usecases.reports import export_compilation

# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]
TODAY = academic_year_bounds(LAST_YEAR)[1] - dt.timedelta(
    days=42
)  # 20 July, the end of its summer term


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_compilation_reads_back_with_the_databases_figures(
    demo_db: Database, tmp_path: Path, fmt: str
) -> None:
    options = CompilationOptions(year=LAST_YEAR, today=TODAY)
    out = export_compilation(demo_db, fmt, tmp_path / f"compilation.{fmt}", options)
    text = _flat(read_document_text(out))  # type: ignore[arg-type]
    visits = network_visits(demo_db, LAST_YEAR)
    schools = sorted({v.host_school.name for v in visits})
    for heading in (
        "Contents",
        "Overview",
        "Themes",
        "Judgement consistency",
        "The reviews, school by school",
        "Thought-provoking questions",
        "Follow-up of agreed next steps",
    ):
        assert heading in text
    assert f"Reviews {len(visits)}" in text
    assert f"Schools reviewed {len(schools)}: {', '.join(schools)}" in text
    rows = consistency(visits)
    judged, agreed = sum(r.judged for r in rows), sum(r.agreed for r in rows)
    assert (
        f"the peer judgement agreed with the school's own self-evaluation {agreed} times ({agreed / judged:.0%})"
        in text
    )
    assert judged >= 10
    for r in rows:  # a share of a handful of judgements as a count, of more as a percentage
        share = f"{r.agreed} of {r.judged}" if r.judged < 10 else f"{r.rate:.0%}"
        assert f"{r.area_name} {r.judged} {r.agreed} {r.higher} {r.lower} {share}" in text
    for v in visits:  # each school's summary
        first_sentence = v.summary.split(". ")[0]
        assert _flat(first_sentence) in text
    for a in tracked_actions(visits):  # each next step
        assert _flat(a.description) in text
    staff = {e.staff for v in visits for e in v.evidence if e.staff}
    assert staff and not any(name in text for name in staff)  # anonymised by default
    if fmt == "pdf":
        reader = PdfReader(str(out))
        assert reader.metadata.title.startswith("Collaborative review compilation")
        assert len(reader.pages) < len(visits) + 12  # reviews run on, not a page each
    else:
        document = docx.Document(str(out))
        assert document.inline_shapes  # the chart, as a picture of the same chart
        assert any(p.style.name == "Heading 1" and p.text == "Themes" for p in document.paragraphs)


def test_a_compilation_for_one_term_or_school_holds_only_those_reviews(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR, term="autumn")
    assert visits and all(v.visit_date.month >= 9 for v in visits)
    one = network_visits(demo_db, LAST_YEAR, schools=["Staple Hill"])
    assert one and {v.host_school.name for v in one} == {"Staple Hill"}
    document = build_compilation(
        one, CompilationOptions(LAST_YEAR, schools=("Staple Hill",), named_staff=True, today=TODAY)
    )
    assert "Staple Hill" in document.subtitle
    text = document.text()
    assert "Blackhorse Primary:" not in text
    with pytest.raises(Exception, match="no school called"):
        network_visits(demo_db, LAST_YEAR, schools=["Nowhere Primary"])


def test_a_compilation_of_the_year_in_progress_holds_only_the_reviews_that_took_place(
    tmp_path: Path,
) -> None:
    """Visits still planned for later in the year have no outcomes to compile: they are
    counted, not listed as reviews."""
    from nexus_review.demo import fill_demo_network
    from nexus_review.domain.enums import VisitKind, label_of
    from nexus_review.storage.database import open_database

    db = open_database(tmp_path / "mid-year.db")
    try:
        fill_demo_network(db, today=dt.date(2027, 2, 10))
        visits = network_visits(db, "2026-27")
    finally:
        db.close()
    planned = [v for v in visits if v.status == "planned"]
    held = [v for v in visits if v.status != "planned"]
    assert planned and held
    document = build_compilation(visits, CompilationOptions("2026-27", today=dt.date(2027, 2, 10)))
    text = _flat(document.text())
    assert f"Reviews: {len(held)} " in text
    assert f"Still planned: {len(planned)} later in the year" in text
    headings = {b.text for b in document.blocks if type(b).__name__ == "Heading"}

    def page(v: object) -> str:
        return f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {v.visit_date.day} {v.visit_date:%b %Y}"  # type: ignore[attr-defined]

    assert all(page(v) in headings for v in held)
    assert not any(page(v) in headings for v in planned), "no empty page for a visit still to come"
    last = max(v.visit_date for v in held)
    assert f"to {last.day} {last:%b %Y}" in text
    nothing_yet = _flat(build_compilation(planned, CompilationOptions("2026-27")).text())
    assert (
        f"No reviews were recorded for 2026-27. {len(planned)} visits are planned later in the year."
        in nothing_yet
    )
