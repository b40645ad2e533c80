"""Background work: exports, imports and compilations run on a thread pool, never on the GUI.

One runner for the whole program. :meth:`TaskRunner.run` runs a function on ``QThreadPool`` and
posts its result or exception back to the main thread by signal. :meth:`TaskRunner.run_task`
is what the program's file actions use: it says in the status bar what is being done, shows a
busy bar only if the work takes longer than :data:`BUSY_AFTER_MS`, and sends a failure to the
one error display (:func:`ui.errors.show_error`). The worker opens its own database session
(use cases do). Tests can set ``run_inline`` to run tasks at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget

from ui.errors import show_error

log = logging.getLogger(__name__)

BUSY_AFTER_MS = 600  # quicker work shows no busy bar: it would only flicker


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # posted to the main thread, shown there
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class BusyBar:
    """The status bar's side of slow work: the sentence saying what is being done, and a busy
    bar beside the saved label."""

    def __init__(self, status: QStatusBar) -> None:
        self.status = status
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setVisible(False)
        status.addPermanentWidget(self.bar)

    def say(self, message: str) -> None:
        self.status.showMessage(message)

    def show_busy(self) -> None:
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)

    def done(self) -> None:
        self.bar.setVisible(False)
        self.status.clearMessage()


class TaskRunner(QObject):
    """Runs callables off the GUI thread; keeps their signal objects alive until done."""

    run_inline = False
    idle = Signal()  # the last running task has finished (its result handled)
    busy_shown = Signal(str)  # slow work's busy bar has appeared (with what is being done)

    def __init__(
        self,
        parent: QObject | None = None,
        busy_bar: BusyBar | None = None,
        error_parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._live: set[_Signals] = set()
        self.pool = QThreadPool.globalInstance()
        self.busy_bar = busy_bar
        self.error_parent = error_parent

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        if self.run_inline:
            try:
                result = fn()
            except BaseException as exc:
                on_error(exc)
            else:
                on_done(result)
            return
        signals = _Signals()
        self._live.add(signals)

        def done(result: Any) -> None:
            self._live.discard(signals)
            try:
                on_done(result)
            finally:
                if not self._live:
                    self.idle.emit()

        def failed(exc: BaseException) -> None:
            self._live.discard(signals)
            try:
                on_error(exc)
            finally:
                if not self._live:
                    self.idle.emit()

        signals.finished.connect(done)
        signals.failed.connect(failed)
        self.pool.start(_Runnable(fn, signals))

    def run_task(
        self,
        message: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run a user's slow work off the GUI thread: ``message`` in the status bar, a busy bar
        only if it takes a while, ``done`` with its result, and a failure to the one error
        display (after ``failed``, if given, has put things back)."""
        bar = self.busy_bar
        if bar is not None:
            bar.say(message)
        busy = QTimer(self)
        busy.setSingleShot(True)

        def show_busy() -> None:
            if bar is not None:
                bar.show_busy()
            self.busy_shown.emit(message)

        busy.timeout.connect(show_busy)
        busy.start(BUSY_AFTER_MS)

        def finished() -> None:
            busy.stop()
            busy.deleteLater()
            if bar is not None:
                bar.done()

        def on_done(result: Any) -> None:
            finished()
            done(result)

        def on_failed(exc: BaseException) -> None:
            finished()
            if failed is not None:
                failed(exc)
            show_error(self.error_parent, exc)

        self.run(work, on_done, on_failed)

    def busy(self) -> bool:
        return bool(self._live)
