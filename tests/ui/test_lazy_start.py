"""What the first screen does not need loads when first used: the visit editor, the network
and imports pages, the dialogs and the network's rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nexus_review.storage.database import Database
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
LATER = (
    "ui.visit.editor",
    "ui.visit.evidence_page",
    "ui.visit.session",
    "ui.network_view",
    "ui.imports_view",
    "ui.dialogs",
    "ui.export_dialogs",
    "nexus_review.usecases.network",
    "ui.visit.models",
)


def test_the_main_window_module_imports_none_of_the_later_screens() -> None:
    code = f"import sys, ui.main_window; print(' '.join(m for m in {LATER!r} if m in sys.modules))"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.split() == []


def test_the_network_and_imports_pages_are_built_when_first_shown(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.imports_view import ImportsPage
    from ui.network_view import NetworkPage

    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.show()
    assert window._section_pages == {}
    window.nav.setCurrentRow(MainWindow.SECTIONS.index("Network"))
    assert isinstance(window.stack.currentWidget(), NetworkPage)
    assert window.stack.currentWidget() is window.network
    assert window.network.year.count() > 0  # filled when shown
    window.nav.setCurrentRow(MainWindow.SECTIONS.index("Imports"))
    assert isinstance(window.stack.currentWidget(), ImportsPage)
    window.nav.setCurrentRow(MainWindow.SECTIONS.index("Network"))
    assert window.stack.currentWidget() is window.network  # built once
    assert window.stack.count() == len(MainWindow.SECTIONS)


def test_a_visit_opens_with_only_the_page_it_shows_built(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.storage.repository import visit_detail, visit_summaries
    from ui.visit.judgements_page import JudgementsPage
    from ui.visit.report_page import ReportPage

    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.show()
    with demo_db.reading() as s:
        visit_id = next(v.id for v in visit_summaries(s) if visit_detail(s, v.id).evidence)
    editor = window.open_visit(visit_id)
    assert editor is not None
    assert set(editor._built) == {"evidence"}  # the page shown (and the Evidence menu's actions)
    assert editor.tabs.currentWidget() is editor.evidence
    editor.tabs.tabBar().setCurrentIndex(2)  # as a click on "Judgements" does
    assert isinstance(editor.tabs.currentWidget(), JudgementsPage)
    assert editor.tabs.currentWidget() is editor.judgements
    assert [editor.tabs.tabText(i) for i in range(editor.tabs.count())] == [
        "Plan",
        "Evidence log",
        "Judgements",
        "Report draft",
    ]
    editor.tabs.setCurrentWidget(editor.report)
    assert isinstance(editor.tabs.currentWidget(), ReportPage)
    assert set(editor._built) == {"evidence", "judgements", "report"}


def test_a_visit_without_evidence_opens_on_its_plan_alone_and_the_evidence_menu_builds_the_log(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from nexus_review.storage.repository import visit_detail, visit_summaries
    from ui.settings import Settings

    settings = Settings()  # the test's own (tests/conftest.py)
    with demo_db.reading() as s:
        planned = next(v.id for v in visit_summaries(s) if not visit_detail(s, v.id).evidence)
        logged = next(v.id for v in visit_summaries(s) if visit_detail(s, v.id).evidence)
    # The head left the evidence log's list narrow last time.
    window = MainWindow(demo_db, settings)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    editor = window.open_visit(logged)
    assert editor is not None
    splitter = editor.evidence.splitter
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 600)
    total = sum(splitter.sizes())
    splitter.setSizes([200, total - 200])
    narrow = splitter.sizes()
    assert window.close_visit()
    # A planned visit: only its Plan page is built, the evidence log waits.
    editor = window.open_visit(planned)
    assert editor is not None
    assert set(editor._built) == {"plan"}
    assert window.evidence_menu.isEnabled()
    # Opening the Evidence menu (as a click on it does) builds the log and lists its actions,
    # and the log comes back in the proportions it was left in.
    menu = window.evidence_menu
    QTimer.singleShot(0, menu.close)
    menu.exec(window.mapToGlobal(window.rect().center()))
    assert editor.built("evidence")
    titles = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "Add the next classroom" in titles and len(titles) > 3
    editor.tabs.setCurrentWidget(editor.evidence)
    qtbot.waitUntil(lambda: editor.evidence.splitter.sizes() == narrow)
    assert window.close_visit()
    window.close()
