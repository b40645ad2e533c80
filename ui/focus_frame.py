"""Where the keyboard is, clearly: the list or table with the keyboard focus gets a
highlight-coloured frame, so a reviewer moving with Tab and the arrow keys always sees which
list they are in.

Drawn by the list's own frame, changed when the focus moves (one signal of the application),
rather than by a style sheet for the whole program: a style sheet makes every widget of every
screen slower to build, and opening a visit builds many.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFrame, QWidget
from shiboken6 import isValid

WIDTH = 2  # pixels


class FocusFrame(QObject):
    """Follows the keyboard focus and frames the list or table that has it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._framed: QAbstractItemView | None = None
        self._before: tuple[QFrame.Shape, QFrame.Shadow, int, QPalette] | None = None
        app.focusChanged.connect(self._on_focus_changed)

    @property
    def framed(self) -> QAbstractItemView | None:
        """The list or table framed now, if any."""
        return self._framed

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        view = new if isinstance(new, QAbstractItemView) else None
        if view is self._framed:
            return
        self._unframe()
        if view is not None:
            self._frame(view)

    def _frame(self, view: QAbstractItemView) -> None:
        self._before = (view.frameShape(), view.frameShadow(), view.lineWidth(), view.palette())
        palette = QPalette(view.palette())
        palette.setColor(
            QPalette.ColorRole.WindowText, view.palette().color(QPalette.ColorRole.Highlight)
        )
        view.setPalette(palette)
        view.setFrameShape(QFrame.Shape.Box)
        view.setFrameShadow(QFrame.Shadow.Plain)
        view.setLineWidth(WIDTH)
        self._framed = view

    def _unframe(self) -> None:
        view, before = self._framed, self._before
        self._framed = self._before = None
        # A list deleted with its window (a drop-down's own list, say) moves the focus on as it
        # goes, when it is already gone: there is no frame left to give back.
        if view is None or before is None or not isValid(view):
            return
        shape, shadow, width, palette = before
        view.setFrameShape(shape)
        view.setFrameShadow(shadow)
        view.setLineWidth(width)
        view.setPalette(palette)


def add_focus_frame(app: QApplication) -> FocusFrame:
    """The focus frame for the whole program (once per application)."""
    existing = app.findChild(FocusFrame)
    return existing if isinstance(existing, FocusFrame) else FocusFrame(app)
