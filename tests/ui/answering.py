"""Answering the program's dialogs in GUI tests, the way a person does.

The program reaches files, questions and options through real dialogs (file dialogs, message
boxes, its own dialogs). A test starts a :class:`DialogAnswerer`, then clicks; whenever a dialog
is on screen, the answerer fills it in and presses its OK (``accept``) or Cancel (``reject``)
button, and writes down what it saw, so a test can assert, for instance, that no crash dialog
appeared. Save dialogs are given a fresh file name in the test's folder; open dialogs choose the
newest matching file in the folder they show, or are cancelled when there is none.
"""

from __future__ import annotations

import contextlib
import fnmatch
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

ACCEPT, REJECT = "accept", "reject"
_NAMES = itertools.count(1)
CRASH_TITLE = "something went wrong"


def _later(action: Callable[[], object]) -> None:
    """Press a button once the answerer's own call has returned (see ``_tick``)."""
    QTimer.singleShot(0, action)


@dataclass
class Seen:
    kind: str
    title: str
    text: str
    answer: str


class DialogAnswerer(QObject):
    def __init__(
        self, folder: Path, mode: str = ACCEPT, fill: Callable[[QDialog], bool | None] | None = None
    ) -> None:
        super().__init__()
        self.folder = folder
        self.mode = mode
        self.fill = fill
        self.passphrase = "correct horse battery staple"
        self.note = "Reported at the spring heads' meeting: on track."
        self.seen: list[Seen] = []
        self.save_as: list[Path] = []  # names for the next save dialogs, in order
        self._busy = False
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def crashes(self) -> list[Seen]:
        return [s for s in self.seen if CRASH_TITLE in s.title]

    # ---- answering ---------------------------------------------------------------------

    def _tick(self) -> None:
        # Answer outside the timer's own call: an answer may open another dialog (a question
        # after a file is chosen), whose loop must find this timer free to answer it too.
        if self._busy:
            return
        self._busy = True
        try:
            self._answer_one()
        finally:
            self._busy = False

    def _answer_one(self) -> None:
        widget = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if widget is None:
            widget = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QDialog) and w.isVisible()
                ),
                None,
            )
        if widget is None or not widget.isVisible():
            return
        if isinstance(widget, QMenu):
            _later(widget.close)
            return
        # Counted on the dialog itself: Python ids are reused once a dialog is gone.
        tries = int(widget.property("answered_times") or 0)
        widget.setProperty("answered_times", tries + 1)
        mode = self.mode if tries == 0 else REJECT  # a dialog that refused our answer is cancelled
        if tries > 2:
            _later(widget.close)
            return
        if isinstance(widget, QFileDialog):
            self._file_dialog(widget, mode)
        elif isinstance(widget, QMessageBox):
            self._message_box(widget, mode)
        elif isinstance(widget, QInputDialog):
            self._record(widget, "input", mode)
            if mode == ACCEPT:
                secret = widget.textEchoMode() == QLineEdit.EchoMode.Password
                widget.setTextValue(self.passphrase if secret else self.note)
                _later(widget.accept)
            else:
                _later(widget.reject)
        elif isinstance(widget, QDialog):
            self._dialog(widget, mode)

    def _record(self, widget: QWidget, kind: str, answer: str, text: str = "") -> None:
        self.seen.append(Seen(kind, widget.windowTitle(), text, answer))

    def _file_dialog(self, dialog: QFileDialog, mode: str) -> None:
        self._record(dialog, "file", mode)
        if mode == REJECT:
            _later(dialog.reject)
            return
        patterns = re.findall(r"\*(\.[A-Za-z0-9]+)", ";".join(dialog.nameFilters()))
        if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave:
            suffix = patterns[0] if patterns else ""
            target = (
                self.save_as.pop(0)
                if self.save_as
                else self.folder / f"answer-{next(_NAMES)}{suffix}"
            )
        else:
            folder = Path(dialog.directory().absolutePath())
            found = sorted(
                (
                    p
                    for p in folder.glob("*")
                    if p.is_file()
                    and (not patterns or any(fnmatch.fnmatch(p.name, "*" + x) for x in patterns))
                ),
                key=lambda p: p.stat().st_mtime,
            )
            if not found:
                _later(dialog.reject)
                return
            target = found[-1]
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None, "the file dialog has no file name box"
        edit.setText(str(target))
        _later(dialog.accept)

    def _message_box(self, box: QMessageBox, mode: str) -> None:
        self._record(box, "message", mode, box.text())
        roles = (
            (QMessageBox.ButtonRole.YesRole, QMessageBox.ButtonRole.AcceptRole)
            if mode == ACCEPT
            else (QMessageBox.ButtonRole.NoRole, QMessageBox.ButtonRole.RejectRole)
        )
        for role in roles:
            for button in box.buttons():
                if box.buttonRole(button) == role:
                    _later(button.click)
                    return
        buttons = box.buttons()
        if buttons:
            _later(buttons[0].click)
        else:
            _later(box.close)

    def _dialog(self, dialog: QDialog, mode: str) -> None:
        self._record(dialog, "dialog", mode)
        if mode == ACCEPT:
            for edit in dialog.findChildren(QLineEdit):
                if edit.echoMode() == QLineEdit.EchoMode.Password and not edit.text():
                    edit.setText(self.passphrase)
            if self.fill is not None and self.fill(dialog):
                return  # the test works in the dialog itself; it is answered on a later round
        box = dialog.findChild(QDialogButtonBox)
        if box is not None:
            role = (
                QDialogButtonBox.ButtonRole.AcceptRole
                if mode == ACCEPT
                else QDialogButtonBox.ButtonRole.RejectRole
            )
            for button in box.buttons():
                if box.buttonRole(button) == role and button.isEnabled():
                    _later(button.click)
                    return
        if mode == ACCEPT:
            _later(dialog.accept)
        else:
            _later(dialog.reject)


@contextlib.contextmanager
def answering(
    folder: Path, mode: str = ACCEPT, *, save_as: Iterable[Path] = (), note: str | None = None
) -> Iterator[DialogAnswerer]:
    """Answer every dialog opened inside the block; fails the test if a crash dialog appeared."""
    answerer = DialogAnswerer(folder, mode)
    answerer.save_as = list(save_as)
    if note is not None:
        answerer.note = note
    try:
        yield answerer
    finally:
        answerer.stop()
    assert not answerer.crashes(), f"the program showed an unexpected error: {answerer.crashes()}"


def click(button: QAbstractButton) -> None:
    """A left click in the middle of a button, as a person makes it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
