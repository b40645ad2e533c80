"""Showing problems: one plain sentence for what the user can fix, a crash dialog for bugs.

Problems with files and the environment are :class:`NexusError`: shown as they are. Anything
else is a bug: logged with its traceback to the log file in the data folder and shown, with where
the log is (the same error again within a minute is folded into the dialog already shown); the
program keeps running.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from nexus_review import APP_NAME
from nexus_review.errors import NexusError

log = logging.getLogger("nexus_review.ui")

FOLD_SECONDS = 60.0
_last_shown: dict[str, float] = {}  # an error's text -> when its dialog was last shown
_crash_box: QMessageBox | None = None
# The sentences shown this run, newest last (the status of the program, and what tests read).
shown: list[str] = []


def show_error(parent: QWidget | None, exc: BaseException, title: str = APP_NAME) -> None:
    """The one way the program shows a failure: a plain sentence for problems the user can
    fix; the crash dialog for anything else. Over a window the box is window-modal and does
    not block the program's own work (autosave goes on)."""
    if not isinstance(exc, NexusError):
        report_crash(type(exc), exc, exc.__traceback__, parent)
        return
    shown.append(str(exc))
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, str(exc), QMessageBox.StandardButton.Ok, parent
    )
    if parent is None:
        box.exec()
    else:
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def log_file() -> str:
    from nexus_review.paths import log_path

    return str(log_path())


def setup_logging() -> None:
    """Log to the data folder's log file (once; again if the data folder has changed)."""
    from nexus_review.paths import log_path

    root = logging.getLogger()
    target = str(log_path())
    for h in list(root.handlers):
        if getattr(h, "_nexus", False):
            if getattr(h, "baseFilename", None) == target:
                return
            root.removeHandler(h)
            h.close()
    try:
        handler = logging.FileHandler(target, encoding="utf-8")
    except OSError:
        return
    handler._nexus = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def report_crash(
    kind: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> None:
    """Log an unexpected error and tell the user, with where the details are. The same error
    again within a minute is logged and counted, not shown in a second dialog."""
    global _crash_box
    setup_logging()
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    shown.append(f"unexpected: {exc!r}")
    # The database's own message (without the values it was given, which are what was typed).
    key = f"{kind.__name__}: {getattr(exc, 'orig', None) or exc}"
    now = time.monotonic()
    if now - _last_shown.get(key, -FOLD_SECONDS) < FOLD_SECONDS:
        return
    _last_shown[key] = now
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME}: something went wrong")
    box.setText(
        "Something went wrong that the program did not expect. Your saved work is safe; "
        "the program will keep running."
    )
    box.setInformativeText(
        f"The details are in {log_file()}; please send that file to your network administrator."
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _crash_box = box  # kept: a box without a parent would otherwise vanish at once
    box.open()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if isinstance(exc, NexusError):
            show_error(None, exc)
            return
        report_crash(kind, exc, tb)

    sys.excepthook = hook
