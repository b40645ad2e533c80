"""The compilation gathers the schools' priorities under the network's aims."""

from __future__ import annotations

from pathlib import Path

import docx

from nexus_review.demo import demo_years
from nexus_review.reports.compilation import CompilationOptions
from nexus_review.usecases.reports import export_compilation
from nexus_review.usecases.trust import map_theme

LAST_YEAR = demo_years()[1]


def test_priorities_are_listed_under_each_aim_and_unmapped_ones_apart(
    demo_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    map_theme(demo_db, "Oracy", None)  # a theme under no aim
    out = export_compilation(demo_db, "docx", tmp_path / "c.docx", CompilationOptions(LAST_YEAR))
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    at = paragraphs.index(("Heading 1", "Priorities by aim"))
    assert at > paragraphs.index(("Heading 1", "Themes"))  # after the themes the reviews looked at
    end = next(i for i, p in enumerate(paragraphs) if i > at and p[0] == "Heading 1")
    section = paragraphs[at:end]
    subs = [t for s, t in section if s == "Heading 2"]
    assert subs[0] == "Aim 1: All children enjoy their learning and make at least good progress"
    assert subs[-1] == "Under no aim yet"
    items = [t for s, t in section if s.startswith("List")]
    assert any(t.startswith("Reading and phonics: ") for t in items)
    last = section.index(("Heading 2", "Under no aim yet"))
    assert all(t.startswith("Oracy: ") for s, t in section[last + 1 :] if s.startswith("List"))


def test_a_network_without_aims_has_no_such_section(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = export_compilation(db, "docx", tmp_path / "c.docx", CompilationOptions(LAST_YEAR))
    assert "Priorities by aim" not in [p.text for p in docx.Document(str(out)).paragraphs]
