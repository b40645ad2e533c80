"""A data review shows the host school's figures and its groups behind on screen."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtWidgets import QToolButton

from nexus_review.domain.enums import EvidenceKind
from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers, list_schools
from nexus_review.usecases.editing import create_visit
from tests.ui.answering import click
from ui.main_window import MainWindow


def _visit(db: Database, school: str) -> str:
    with db.reading() as s:
        host = next(sc for sc in list_schools(s) if sc.name == school)
        lead = next(r for r in list_reviewers(s) if r.home_school_id != host.id)
    return create_visit(
        db, host_school_id=host.id, visit_date=dt.date.today(), kind="evaluation-day",
        framework_key="ofsted-2025", team=[lead.id], lead_id=lead.id, focus_areas=["Reading and phonics"],
    )  # fmt: skip


def test_a_data_review_shows_the_hosts_figures_and_a_lesson_does_not(
    qtbot, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    editor = window.open_visit(_visit(demo_db, "Staple Hill"))
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.evidence)
    page = editor.evidence
    buttons = page.findChildren(QToolButton)
    click(
        next(b for b in buttons if b.defaultAction() is page.add_actions[EvidenceKind.DATA_REVIEW])
    )
    box = page.form.host_figures
    assert box.isVisible()
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    assert "Key Stage 2 reading, writing and maths: expected standard" in names
    assert "Disadvantaged (" in box.groups.text() and "widening" in box.groups.text()
    if shots := os.environ.get("NEXUS_REVIEW_SCREENSHOTS"):
        window.grab().save(os.path.join(shots, "data-review-figures.png"))
    click(
        next(
            b
            for b in buttons
            if b.defaultAction() is page.add_actions[EvidenceKind.LESSON_OBSERVATION]
        )
    )
    assert not box.isVisible()
