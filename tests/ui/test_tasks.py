"""The one task runner: slow work runs on the thread pool, the busy bar appears only when the
work takes a while, and a failure reaches the one error display as one sentence."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from nexus_review.errors import NexusError
from ui import errors
from ui.tasks import BusyBar, TaskRunner


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def _runner(window: QMainWindow) -> tuple[TaskRunner, BusyBar, list[str]]:
    bar = BusyBar(window.statusBar())
    runner = TaskRunner(window, bar, window)
    assert runner.run_inline is False  # the real thread pool
    shown: list[str] = []
    runner.busy_shown.connect(shown.append)
    return runner, bar, shown


def test_quick_work_shows_no_busy_bar(qtbot: QtBot, window: QMainWindow) -> None:
    runner, bar, shown = _runner(window)
    results: list[int] = []
    with qtbot.waitSignal(runner.idle, timeout=10000):
        runner.run_task("Counting…", lambda: 1, results.append)
    assert results == [1]
    assert shown == [] and not bar.bar.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_slow_work_shows_the_busy_bar_until_it_is_done(qtbot: QtBot, window: QMainWindow) -> None:
    runner, bar, shown = _runner(window)
    release = threading.Event()
    results: list[int] = []

    def slow() -> int:
        release.wait(30)  # lasts until the busy bar has been seen
        return 2

    try:
        runner.run_task("Writing the compilation…", slow, results.append)
        assert window.statusBar().currentMessage() == "Writing the compilation…"
        assert not bar.bar.isVisible()  # not at once
        qtbot.waitUntil(bar.bar.isVisible, timeout=10000)
        assert shown == ["Writing the compilation…"] and results == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=10000)
    assert results == [2]
    assert not bar.bar.isVisible() and window.statusBar().currentMessage() == ""


def test_a_failure_reaches_the_error_display_as_one_sentence(
    qtbot: QtBot, window: QMainWindow
) -> None:
    runner, bar, _shown = _runner(window)
    errors.shown.clear()
    put_back: list[BaseException] = []

    def fails() -> None:
        raise NexusError("The folder cannot be written to: it is read-only.")

    with qtbot.waitSignal(runner.idle, timeout=10000):
        runner.run_task(
            "Writing the report…", fails, lambda _r: pytest.fail("not done"), put_back.append
        )
    assert errors.shown == ["The folder cannot be written to: it is read-only."]
    assert len(put_back) == 1 and not bar.bar.isVisible()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert [b.text() for b in boxes] == ["The folder cannot be written to: it is read-only."]
    for box in boxes:
        box.close()
