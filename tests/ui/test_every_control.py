"""Every control of the program, used as a person uses it, on the demo network.

For every page (the visit list, each page of an open visit, the schools, each tab of the
network view, the imports) the test clicks every enabled button, opens every drop-down button's
menu and triggers its entries, triggers every menu and toolbar action of the window and presses
every documented keyboard shortcut. Each control is used twice: once cancelling whatever dialog
it opens, once accepting it. Background work runs on the real thread pool. Afterwards nothing
unexpected may have been raised, logged or shown, and a sentence typed into a visit must be in
the database a moment later. Controls added later are found and used without being listed here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMenu,
    QTabBar,
    QToolBar,
    QToolButton,
    QWidget,
)

from nexus_review.storage.database import Database
from nexus_review.storage.repository import visit_detail, visit_summaries
from tests.ui.answering import ACCEPT, REJECT, DialogAnswerer, click
from ui import errors
from ui.main_window import MainWindow
from ui.shortcuts import SHORTCUTS
from ui.visit.models import ID_ROLE

pytestmark = pytest.mark.slow

SENTENCE = (
    "Typed after every control had been used: pupils talked confidently about their learning."
)


@dataclass
class Tally:
    clicked: dict[str, int]

    def add(self, page: str) -> None:
        self.clicked[page] = self.clicked.get(page, 0) + 1


def _visible_buttons(page: QWidget) -> list[QAbstractButton]:
    found = []
    for button in page.findChildren(QAbstractButton):
        if (
            isinstance(button.parentWidget(), QTabBar)
            or not button.isVisibleTo(page.window())
            or not button.isVisible()
        ):
            continue
        if button.objectName().startswith(
            "qt_"
        ):  # Qt's own parts (spin box arrows, scroll buttons)
            continue
        found.append(button)
    return found


def _key(button: QAbstractButton) -> str:
    return f"{type(button).__name__}:{button.objectName()}:{button.text() or button.toolTip()}"


class Sweep:
    def __init__(self, qtbot, window: MainWindow, folder: Path, visit_id: str) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.window = window
        self.folder = folder
        self.visit_id = visit_id
        self.tally = Tally({})

    # ---- getting somewhere, as a user does ----------------------------------------------

    def settle(self) -> None:
        tasks = self.window.tasks
        if tasks.busy():
            with self.qtbot.waitSignal(tasks.idle, timeout=60_000):
                pass
        QApplication.processEvents()

    def section(self, name: str) -> Callable[[], QWidget]:
        def go() -> QWidget:
            if self.window.session is not None:
                self.window.back_action.trigger()
            row = self.window.SECTIONS.index(name)
            item = self.window.nav.item(row)
            rect = self.window.nav.visualItemRect(item)
            QTest.mouseClick(
                self.window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
            )
            return self.window.stack.currentWidget()

        return go

    def network_tab(self, index: int) -> Callable[[], QWidget]:
        def go() -> QWidget:
            self.section("Network")()
            bar = self.window.network.tabs.tabBar()
            QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
            return self.window.network

        return go

    def visit_tab(self, index: int) -> Callable[[], QWidget]:
        def go() -> QWidget:
            window = self.window
            if window.session is None or window.session.visit_id != self.visit_id:
                if window.session is not None:
                    window.back_action.trigger()
                self.section("Visits")()
                page = window.visits
                row = next(
                    r
                    for r in range(page.proxy.rowCount())
                    if page.proxy.index(r, 0).data(ID_ROLE) == self.visit_id
                )
                page.view.setCurrentIndex(page.proxy.index(row, 0))
                click(page.open_button)
            assert window.editor is not None
            bar = window.editor.tabs.tabBar()
            QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
            return window.editor.tabs.currentWidget()

        return go

    # ---- using controls -------------------------------------------------------------------

    def answering(self, mode: str) -> DialogAnswerer:
        return DialogAnswerer(self.folder, mode)

    def use_buttons(self, name: str, go: Callable[[], QWidget]) -> None:
        page = go()
        keys: list[str] = []
        for button in _visible_buttons(page):
            key = _key(button)
            keys.append(f"{key}#{keys.count(key)}" if key in keys else key)
        for key in keys:
            for mode in (REJECT, ACCEPT):
                page = go()
                button = self._find(page, key)
                if button is None or not button.isEnabled():
                    continue
                answerer = self.answering(mode)
                try:
                    if isinstance(button, QToolButton) and button.menu() is not None:
                        self._use_menu(button.menu(), button)
                    else:
                        click(button)
                    self.settle()
                finally:
                    answerer.stop()
                self._check(answerer, f"{name}: {key} ({mode})")
                self.tally.add(name)

    def _find(self, page: QWidget, key: str) -> QAbstractButton | None:
        base, _, nth = key.partition("#")
        matches = [b for b in _visible_buttons(page) if _key(b) == base]
        index = int(nth) if nth else 0
        return matches[index] if index < len(matches) else None

    def _use_menu(self, menu: QMenu, button: QWidget) -> None:
        for n in range(len(menu.actions())):
            menu.popup(button.mapToGlobal(button.rect().bottomLeft()))  # fills it, as opening does
            actions = [a for a in menu.actions() if not a.isSeparator()]
            if n >= len(actions):
                menu.hide()
                break
            action = actions[n]
            menu.hide()
            if action.isEnabled():
                action.trigger()
                self.settle()

    def use_actions(
        self, name: str, go: Callable[[], QWidget], skip: tuple[QAction, ...] = ()
    ) -> None:
        go()
        actions = self._window_actions()
        for index, _action in enumerate(actions):
            for mode in (REJECT, ACCEPT):
                go()
                current = self._window_actions()
                if index >= len(current):
                    break
                action = current[index]
                if action in skip or not action.isEnabled() or not action.isVisible():
                    continue
                answerer = self.answering(mode)
                try:
                    action.trigger()
                    self.settle()
                finally:
                    answerer.stop()
                self._check(answerer, f"{name}: action {action.text()!r} ({mode})")
                self.tally.add(name)

    def _window_actions(self) -> list[QAction]:
        seen: list[QAction] = []

        def walk(actions: list[QAction]) -> None:
            for a in actions:
                if a.menu() is not None:
                    walk(a.menu().actions())
                elif not a.isSeparator() and a not in seen:
                    seen.append(a)

        walk(self.window.menuBar().actions())
        for toolbar in self.window.findChildren(QToolBar):
            walk(toolbar.actions())
        return seen

    def press_shortcuts(self, name: str, go: Callable[[], QWidget], where: tuple[str, ...]) -> None:
        for shortcut in SHORTCUTS:
            if shortcut.where not in where or shortcut.keys == "Ctrl+Q":
                continue
            for mode in (REJECT, ACCEPT):
                page = go()
                target = QApplication.focusWidget() or page
                answerer = self.answering(mode)
                try:
                    QTest.keySequence(target, QKeySequence(shortcut.keys))
                    self.settle()
                finally:
                    answerer.stop()
                self._check(answerer, f"{name}: shortcut {shortcut.keys} ({mode})")
                self.tally.add(f"{name} (shortcuts)")

    def _check(self, answerer: DialogAnswerer, what: str) -> None:
        unexpected = [s for s in errors.shown if s.startswith("unexpected")]
        assert not unexpected, f"{what}: {unexpected}"
        assert not answerer.crashes(), f"{what}: a crash dialog appeared"


def test_every_control_works_when_used(
    qtbot, demo_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    errors.shown.clear()
    window = MainWindow(demo_db)
    assert window.tasks.run_inline is False  # the real thread pool
    window.settings.set("export/folder", str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with demo_db.reading() as s:
        visit_id = next(
            v.id
            for v in visit_summaries(s)
            if v.kind == "evaluation-day" and v.status == "report-sent"
        )
    sweep = Sweep(qtbot, window, tmp_path, visit_id)

    sweep.use_buttons("visit list", sweep.section("Visits"))
    sweep.use_buttons("schools", sweep.section("Schools"))
    for index in range(window.network.tabs.count()):
        sweep.use_buttons(
            f"network: {window.network.tabs.tabText(index)}", sweep.network_tab(index)
        )
    sweep.use_buttons("imports", sweep.section("Imports"))
    for index, title in enumerate(("Plan", "Evidence log", "Judgements", "Report draft")):
        sweep.use_buttons(f"visit: {title}", sweep.visit_tab(index))
    sweep.use_actions("window, visit list", sweep.section("Visits"), skip=(window.quit_action,))
    sweep.use_actions("window, visit open", sweep.visit_tab(1), skip=(window.quit_action,))
    sweep.press_shortcuts("visit list", sweep.section("Visits"), ("anywhere", "visit list"))
    sweep.press_shortcuts("visit open", sweep.visit_tab(1), ("anywhere", "evidence log"))

    # Nothing unexpected raised, logged or shown...
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records
    ]
    # ...and saving still works: a sentence typed now is in the database a moment later.
    sweep.visit_tab(3)()
    assert window.editor is not None and window.session is not None
    summary = window.editor.report.summary
    summary.setFocus()
    summary.moveCursor(summary.textCursor().MoveOperation.End)
    with qtbot.waitSignal(window.session.saved, timeout=5000):
        qtbot.keyClicks(summary, " " + SENTENCE)
    with window.db.reading() as s:
        assert visit_detail(s, window.session.visit_id).summary.endswith(SENTENCE)

    report = "\n".join(f"{page}: {count}" for page, count in sweep.tally.clicked.items())
    print(
        f"\nControls used (each cancelled and accepted counts twice):\n{report}\ntotal: {sum(sweep.tally.clicked.values())}"
    )
    assert sum(sweep.tally.clicked.values()) > 100

    window.quit_action.trigger()
    assert not window.isVisible()
