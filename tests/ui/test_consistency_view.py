"""Network → Consistency: the agreement figures of a year with filters, tables and charts,
driven as the network administrator drives them (pytest-qt, offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from nexus_review.demo import demo_years
from nexus_review.storage.database import Database
from tests.ui.network_page import network_window
from ui.consistency_view import ConsistencyTab, RowsTableModel
from ui.main_window import MainWindow

LAST_YEAR = demo_years()[1]


def _tab(qtbot, db: Database) -> tuple[MainWindow, ConsistencyTab]:  # type: ignore[no-untyped-def]
    window = network_window(qtbot, db, LAST_YEAR, (1400, 950))
    page = window.network
    tab = page.consistency
    bar = page.tabs.tabBar()
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(page.tabs.indexOf(tab)).center()
    )
    assert page.tabs.currentWidget() is tab
    return window, tab


def _choose(qtbot, box, text: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an entry as a person does: focus the box, then type to reach it and press Enter."""
    box.setFocus()
    index = box.findText(text)
    assert index >= 0, text
    while box.currentIndex() != index:
        qtbot.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < index else Qt.Key.Key_Up)


def test_the_year_in_figures_tables_and_charts(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    _window, tab = _tab(qtbot, demo_db)
    report = tab.report
    assert report is not None and report.year == LAST_YEAR
    text = tab.summary.text()
    assert (
        f"of {report.overall.n} paired judgements agree exactly" in text
        and "within one grade" in text
    )
    assert tab.areas_model.rowCount() == len(report.areas) > 3
    assert (
        tab.areas_model.index(tab.areas_model.rowCount() - 1, 0).data() == "Learning-walk look-fors"
    )
    assert tab.pairs_model.rowCount() == len(report.pairs) > 3
    assert tab.leans_model.rowCount() > 3 and tab.self_model.rowCount() > 3
    assert (
        "Inclusion" in tab.distribution.accessibleDescription()
        or "Quality of education" in tab.distribution.accessibleDescription()
    )
    assert "exact" in tab.over_time.accessibleDescription()
    assert "Fleiss, Cohen and Everitt 1969" in tab.method.text()
    if os.environ.get("NEXUS_SHOTS"):
        tab.grab().save(str(Path(os.environ["NEXUS_SHOTS"]) / "consistency-view.png"))


def test_filters_by_area_and_pair(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    _window, tab = _tab(qtbot, demo_db)
    first_pair = tab.pair.itemText(1)
    area = tab.area.itemText(1)
    with qtbot.waitSignal(tab.report_shown, timeout=5000):
        _choose(qtbot, tab.area, area)
        qtbot.keyClick(tab.area, Qt.Key.Key_Return)  # activated: the figures follow
    assert [tab.areas_model.index(r, 0).data() for r in range(tab.areas_model.rowCount())] == [area]
    _choose(qtbot, tab.area, "All")
    with qtbot.waitSignal(tab.report_shown, timeout=5000):
        _choose(qtbot, tab.pair, first_pair)
        qtbot.keyClick(tab.pair, Qt.Key.Key_Return)
    assert tab.report is not None
    assert [f"{p.first} and {p.second}" for p in tab.report.pairs] == [first_pair]


def test_a_year_with_no_own_grades_says_so(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    _window, tab = _tab(qtbot, demo_db)
    tab.show_year("2001-02")
    assert tab.summary.text() == "2001-02: no visits yet. Not enough paired judgements."
    assert tab.areas_model.rowCount() == 0


def test_the_rows_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RowsTableModel(["Area", "Pairs"])
    model.set_rows([["Inclusion", "4"], ["Achievement", "6"]])
    qtmodeltester.check(model)


def test_the_moderation_pack_is_exported_from_the_view(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import docx

    from tests.ui.answering import answering, click

    _window, tab = _tab(qtbot, demo_db)
    target = tmp_path / "pack.docx"
    with answering(tmp_path, save_as=[target]), qtbot.waitSignal(tab.pack_exported, timeout=10000):
        click(tab.pack_word)
    assert tab.last_export == target
    headings = [
        p.text
        for p in docx.Document(str(target)).paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert "Agreement per area" in headings
