"""Undo and redo keys typed in the open visit, sent to the visit's own history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext


class UndoRouter(QObject):
    """Ctrl+Z and Ctrl+Shift+Z typed in any field of the open visit undo and redo on the
    visit's own history. Text fields would otherwise take the keys for their own (switched
    off) undo, and the window's Undo would never see them."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context.parent)
        self.context = context
        self.watching = False

    def follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Watch the program's keys only while the typing cursor is in the open visit: a
        filter on every event of the program (each widget made, laid out and painted) cost
        a third of the time a visit takes to open."""
        editor = self.context.editor
        wanted = (
            new is not None and editor is not None and (new is editor or editor.isAncestorOf(new))
        )
        app = QApplication.instance()
        if wanted == self.watching or app is None:
            return
        if wanted:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.watching = wanted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        editor, session = self.context.editor, self.context.session
        if (
            editor is None
            or session is None
            or not isinstance(watched, QWidget)
            or not editor.isAncestorOf(watched)
        ):
            return False
        assert isinstance(event, QKeyEvent)
        for key, act in (
            (QKeySequence.StandardKey.Undo, session.undo_stack.undo),
            (QKeySequence.StandardKey.Redo, session.undo_stack.redo),
        ):
            if event.matches(key):
                if event.type() == QEvent.Type.KeyPress:
                    act()
                event.accept()
                return True
        return False
