"""The Network section for the GUI tests: the main window over a database showing one school
year's figures, its background work run at once, and a tab chosen by a click on its title."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from nexus_review.storage.database import Database
from ui.main_window import MainWindow


def network_window(
    qtbot: QtBot, db: Database, year: str, size: tuple[int, int] | None = None
) -> MainWindow:
    """The main window, at this size if one is given, showing the Network section for the year."""
    window = MainWindow(db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    window.show_section("Network")
    page = window.network
    page.year.setCurrentText(year)
    page.show_year()
    return window


def click_tab(tabs: QTabWidget, title: str) -> int:
    """Click the tab with this title, as a person does; its index."""
    bar = tabs.tabBar()
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    return index
