"""Network → Dashboard: schools against national and network, aims, trends, groups, typing figures."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from nexus_review.demo import demo_years
from nexus_review.storage.database import Database
from nexus_review.usecases.trust import list_figures
from tests.ui.answering import answering
from tests.ui.network_page import click_tab, network_window

THIS_YEAR = demo_years()[2]
SHOTS = os.environ.get(
    "NEXUS_REVIEW_SCREENSHOTS"
)  # a folder: the dashboard's tabs are saved there to look at


def _dashboard(qtbot, db: Database):  # type: ignore[no-untyped-def]
    window = network_window(qtbot, db, THIS_YEAR, (1280, 860))
    page = window.network
    click_tab(page.tabs, "Dashboard")
    assert page.tabs.currentWidget() is page.dashboard
    return window, page.dashboard


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _open(qtbot, dash, title: str) -> None:  # type: ignore[no-untyped-def]
    index = click_tab(dash.tabs, title)
    assert dash.tabs.currentIndex() == index


def test_schools_aims_trends_and_groups_are_shown(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window, dash = _dashboard(qtbot, demo_db)
    schools = [dash.schools.item(r, 0).text() for r in range(dash.schools.rowCount())]
    assert len(schools) == 10 and "Staple Hill" in schools
    row = schools.index("Staple Hill")
    rect = dash.schools.visualItemRect(dash.schools.item(row, 0))
    QTest.mouseClick(dash.schools.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    names = [dash.school_figures.item(r, 0).text() for r in range(dash.school_figures.rowCount())]
    assert "Key Stage 2 reading, writing and maths: expected standard" in names
    r = names.index("Key Stage 2 reading, writing and maths: expected standard")
    assert dash.school_figures.item(r, 1).text().endswith("pupils)")
    assert dash.school_figures.item(r, 2).text().endswith("%")  # the network's figure
    _shot(window, "dashboard-schools")

    _open(qtbot, dash, "Aims")
    top = [dash.aims.topLevelItem(i).text(0) for i in range(dash.aims.topLevelItemCount())]
    assert top[0].startswith("Aim 1: All children enjoy their learning")
    plan = dash.aims.topLevelItem(0).child(1)
    assert plan.text(0).startswith("Delivery plan") and plan.childCount() == 2
    assert plan.child(0).text(1).startswith("Autumn: ")
    _shot(window, "dashboard-aims")

    _open(qtbot, dash, "Trends")
    index = dash.trend_indicator.findData("ks2_rwm_expected")
    dash.trend_indicator.setCurrentIndex(index)
    dash.trend_indicator.activated.emit(index)
    school = dash.trend_school.findText("Staple Hill")
    dash.trend_school.setCurrentIndex(school)
    dash.trend_school.activated.emit(school)
    assert [name for name, _c, _v in dash.chart.series][:2] == ["Staple Hill", "Network"]
    assert all(v is not None for v in dash.chart.series[0][2])
    assert "Staple Hill:" in dash.chart.accessibleDescription()
    _shot(window, "dashboard-trends")

    _open(qtbot, dash, "Groups behind")
    rows = [[dash.risks.item(r, c).text() for c in range(6)] for r in range(dash.risks.rowCount())]
    staple = [r for r in rows if r[0] == "Staple Hill" and r[1] == "Disadvantaged"]
    assert staple and all(r[5].startswith("widening") for r in staple)
    small = [r for r in rows if r[3] == "too small to judge"]
    assert small and not any("%" in cell for r in small for cell in r)
    _shot(window, "dashboard-groups")


def test_a_figure_typed_in_the_grid_is_saved_and_a_bad_one_refused(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, dash = _dashboard(qtbot, demo_db)
    _open(qtbot, dash, "Figures")
    dash.grid_school.setCurrentIndex(dash.grid_school.findText("Blackhorse Primary"))
    dash.grid_school.activated.emit(dash.grid_school.currentIndex())
    year = dash.grid_year.itemText(0)
    dash.grid_year.setCurrentIndex(0)
    dash.grid_year.activated.emit(0)
    row = next(
        r
        for r in range(dash.grid.rowCount())
        if dash.grid.item(r, 0).data(Qt.ItemDataRole.UserRole) == "suspensions"
        and dash.grid.item(r, 1).text() == "SEND"
    )

    def type_into(column: int, text: str) -> None:
        """Click the cell, type over it (typing starts the editor), press Return."""
        item = dash.grid.item(row, column)
        dash.grid.scrollToItem(item)
        rect = dash.grid.visualItemRect(item)
        QTest.mouseClick(dash.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert dash.grid.currentItem() is item
        QTest.keyClicks(dash.grid, text[0])
        editor = dash.grid.viewport().focusWidget()
        assert editor is not dash.grid.viewport()
        QTest.keyClicks(editor, text[1:])
        QTest.keyClick(editor, Qt.Key.Key_Return)
        qtbot.wait(
            20
        )  # the closed editor goes before the next click, as between a person's keystrokes

    with qtbot.waitSignal(dash.figure_saved, timeout=2000):
        type_into(2, "3.5")
        type_into(3, "14")
    [saved] = [
        f
        for f in list_figures(demo_db, "Blackhorse Primary", [year])
        if f.indicator_key == "suspensions" and f.group == "send"
    ]
    assert (saved.value, saved.pupils) == (3.5, 14)
    _shot(window, "dashboard-figures")
    # A value with two decimal places is refused in one sentence, and the grid shows what is saved.
    with answering(tmp_path) as seen:
        type_into(2, "3.25")
        qtbot.waitUntil(
            lambda: bool(seen.seen) and dash.grid.item(row, 2).text() == "3.5", timeout=3000
        )
    assert any("at most one decimal place" in s.text for s in seen.seen)
    assert dash.grid.item(row, 2).text() == "3.5"
    [still] = [
        f
        for f in list_figures(demo_db, "Blackhorse Primary", [year])
        if f.indicator_key == "suspensions" and f.group == "send"
    ]
    assert still.value == 3.5
