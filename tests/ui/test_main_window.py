"""The main window around the visits: the visit list's filters and note search, the window's
size and panes remembered, a report exported from it, and the settings dialog (its choices
kept, old visits deleted from it)."""

from __future__ import annotations

from pathlib import Path

from nexus_review.demo import demo_years
from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.storage.database import Database
from nexus_review.storage.models import Evidence
from nexus_review.storage.repository import list_schools, visit_summaries
from tests.ui.answering import answering, click
from ui.main_window import MainWindow
from ui.settings import Settings


def test_visit_list_filters_and_searches_notes(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    page = window.visits
    assert page.proxy.rowCount() == 75
    kind = page.kind.findData("learning-walk")
    page.kind.setCurrentIndex(kind)
    page.apply_filters()
    assert 0 < page.proxy.rowCount() < 75
    assert all(
        page.model.visit(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).kind
        == "learning-walk"
        for r in range(page.proxy.rowCount())
    )
    page.kind.setCurrentIndex(0)
    first_year = demo_years()[0]
    page.year.setCurrentIndex(page.year.findData(first_year))
    page.apply_filters()
    assert page.proxy.rowCount() == sum(
        1
        for r in range(75)
        if page.model.visit(r).visit_date <= academic_year_bounds(first_year)[1]
    )
    page.year.setCurrentIndex(0)
    with demo_db.transaction() as s:
        s.get(
            Evidence, next(iter(s.scalars(__import__("sqlalchemy").select(Evidence.id).limit(1))))
        ).notes = "A zebra crossing in the playground"
    window.find_action.trigger()
    qtbot.keyClicks(page.search, "ZEBRA")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert page.count.text() == "1 of 75 visits"
    page.search.clear()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 75, timeout=2000)


def test_window_geometry_and_splitters_are_remembered(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    win.resize(760, 540)
    qtbot.waitUntil(lambda: win.splitter.width() > 700)
    room = win.splitter.width() - win.splitter.handleWidth() - win.stack.minimumSizeHint().width()
    nav = min(150, room)
    assert nav >= 125  # the views fit beside the navigation pane on a small screen
    win.splitter.setSizes([nav, 760 - nav])
    assert win.splitter.sizes()[0] == nav
    win.close()
    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    again.show()
    assert (again.size().width(), again.size().height()) == (760, 540)
    assert again.splitter.sizes()[0] == nav


def test_report_export_from_the_window_reads_back(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.selftest import read_document_text

    with demo_db.reading() as s:
        visit = next(v for v in visit_summaries(s) if v.kind == "evaluation-day")
    window.open_visit(visit.id)
    target = tmp_path / "feedback.docx"
    with answering(tmp_path, save_as=[target]):
        window.export_word_action.trigger()
    assert window.context.last_export == target
    assert visit.host_school_name in read_document_text(target)
    assert window.settings.get("export/folder") == str(tmp_path)  # remembered for next time
    from ui import errors

    with answering(tmp_path, save_as=[tmp_path / "missing" / "f.pdf"]):
        window.export_pdf_action.trigger()
    # The failure is shown as one sentence, not raised.
    assert errors.shown[-1].endswith("does not exist; choose another place to save.")
    assert not (tmp_path / "missing").exists()


def test_settings_dialog_keeps_the_choices(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import SettingsDialog

    with window.db.reading() as s:
        schools = list_schools(s)
    dialog = SettingsDialog(window.settings, schools, window)
    qtbot.addWidget(dialog)
    dialog.name.setText("Mrs A. Reviewer")
    dialog.autosave.setValue(3)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.framework.setCurrentIndex(dialog.framework.findData("eif-2019"))
    dialog.apply()
    fresh = Settings()
    assert fresh.get("reviewer/name") == "Mrs A. Reviewer"
    assert fresh.get("editing/autosave_ms") == 3000
    assert fresh.get("appearance/theme") == "dark"
    assert fresh.get("visits/default_framework") == "eif-2019"


def test_retention_from_the_settings_page(qtbot, window: MainWindow, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from ui.dialogs import SettingsDialog

    with demo_db.reading() as s:
        before = len(visit_summaries(s))
    used: list[SettingsDialog] = []

    def delete_old(dialog) -> bool:  # type: ignore[no-untyped-def]
        if not isinstance(dialog, SettingsDialog) or used:
            return False
        used.append(dialog)
        assert dialog.retention_button.isVisibleTo(dialog)
        dialog.retention_years.setValue(1)
        QTimer.singleShot(0, lambda: click(dialog.retention_button))
        return True

    with answering(Path(".")) as answerer:
        answerer.fill = delete_old
        window.settings_action.trigger()
    assert any(
        seen.text.startswith("Delete ") and "visits from before" in seen.text
        for seen in answerer.seen
    )
    deleted = before - window.visits.model.rowCount()
    assert deleted > 0
    with demo_db.reading() as s:
        assert len(visit_summaries(s)) == before - deleted
