"""Background work: exports, imports and compilations run on a thread pool, never on the GUI.

One helper runs a function on ``QThreadPool`` and posts its result or exception back to the
main thread by signal. The worker opens its own database session (use cases do). Tests can set
``run_inline`` to run tasks at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


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


class TaskRunner(QObject):
    """Runs callables off the GUI thread; keeps their signal objects alive until done."""

    run_inline = False
    idle = Signal()  # the last running task has finished (its result handled)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._live: set[_Signals] = set()
        self.pool = QThreadPool.globalInstance()

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

    def busy(self) -> bool:
        return bool(self._live)
