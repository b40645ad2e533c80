"""A long session: every page visited hundreds of times and thousands of keystrokes typed, with
autosave on. The program must still be running and every keystroke saved (PySide6 6.12.0 on
Python 3.11 aborted the interpreter after about thirty visits to the Network view)."""

from __future__ import annotations

import sys

import pytest

from nexus_review.storage.database import Database
from nexus_review.storage.repository import visit_detail, visit_summaries
from ui.main_window import MainWindow

pytestmark = pytest.mark.slow

ROUNDS = 200
SENTENCE = "Pupils explained their reasoning using the stem sentences on the working wall. "


def test_a_long_session_keeps_running_and_saves_every_keystroke(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_db)
    window.settings.set("editing/autosave_ms", 300)
    qtbot.addWidget(window)
    window.show()
    none_before = sys.getrefcount(None)

    for _ in range(ROUNDS):
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            qtbot.wait(0)

    with demo_db.reading() as s:
        visit_id = next(v.id for v in visit_summaries(s) if v.kind == "evaluation-day")
    window.show_section("Visits")
    editor = window.open_visit(visit_id)
    assert editor is not None
    for _ in range(ROUNDS):
        for index in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(index)
            qtbot.wait(0)

    editor.tabs.setCurrentWidget(editor.report)
    summary = editor.report.summary
    summary.clear()
    typed = ""
    while len(typed) < 3000:
        qtbot.keyClicks(summary, SENTENCE)
        typed += SENTENCE
    assert window.session is not None
    qtbot.waitUntil(lambda: not window.session.has_unsaved(), timeout=10_000)

    with demo_db.reading() as s:
        assert visit_detail(s, visit_id).summary == typed
    assert sys.getrefcount(None) >= none_before - 50
    window.close()
