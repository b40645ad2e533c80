"""The main window's menus (File, Edit, View, Evidence, Help), its toolbar and their actions.

The file actions call the operations in ``ui/operations`` with the window's context; the rest
call the window and its open visit. Which actions are enabled follows the open visit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QToolBar, QWidget

from nexus_review import APP_NAME, __version__
from ui.operations.backup_now import backup_now
from ui.operations.export_package import export_package
from ui.operations.export_report import export_report
from ui.operations.import_packages import import_packages
from ui.operations.new_visit import new_visit
from ui.operations.restore_backup import restore_backup
from ui.operations.settings import open_settings
from ui.operations.sync import sync_with_network

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Key = QKeySequence.StandardKey


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: Key | str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(window: MainWindow) -> None:
    """The window's actions (as its attributes), its menu bar and its toolbar."""
    ctx, visit, w = window.context, window.visit, window
    w.new_visit_action = _action(
        w, "&New visit…", lambda: new_visit(ctx), Key.New, "Plan a new visit"
    )
    w.save_action = _action(
        w, "&Save now", visit.save_now, Key.Save, "Work is saved as you type; this saves at once"
    )
    w.export_word_action = _action(w, "Export report as &Word…", lambda: export_report(ctx, "docx"))
    w.export_pdf_action = _action(w, "Export report as &PDF…", lambda: export_report(ctx, "pdf"))
    w.settings_action = _action(w, "Se&ttings…", lambda: open_settings(ctx), Key.Preferences)
    w.quit_action = _action(w, "&Quit", w.close, Key.Quit)
    w.undo_action = _action(w, "&Undo", visit.undo, Key.Undo)
    w.redo_action = _action(w, "&Redo", visit.redo, Key.Redo)
    w.find_action = _action(w, "&Find…", w.find_visits, Key.Find, "Find text in any note")
    w.back_action = _action(w, "&Back to visits", w.close_visit, "Alt+Left")
    w.about_action = _action(w, f"&About {APP_NAME}", lambda: about(w))
    w.shortcuts_action = _action(
        w, "&Keyboard shortcuts", lambda: show_shortcuts(w), "F1",
        "Every keyboard shortcut of the program",
    )  # fmt: skip
    w.export_package_action = _action(
        w, "Export review &package…", lambda: export_package(ctx), None,
        "Send your visits to the network administrator",
    )  # fmt: skip
    w.import_package_action = _action(
        w, "&Import review packages…", lambda: import_packages(ctx), None,
        "Merge reviewers' packages into this database",
    )  # fmt: skip
    w.sync_action = _action(
        w, "S&ync with the network server…", lambda: sync_with_network(ctx), None,
        "Send your changes to the network server and receive the network's",
    )  # fmt: skip
    w.backup_action = _action(
        w, "&Back up now", lambda: backup_now(ctx), None, "Make a backup of the database now"
    )
    w.restore_action = _action(
        w, "&Restore from backup…", lambda: restore_backup(ctx), None,
        "Replace the database with one of its backups",
    )  # fmt: skip
    menus = w.menuBar()
    file_menu = menus.addMenu("&File")
    for group in (
        (w.new_visit_action, w.save_action),
        (w.export_word_action, w.export_pdf_action),
        (w.export_package_action, w.import_package_action, w.sync_action),
        (w.backup_action, w.restore_action),
        (w.settings_action,),
        (w.quit_action,),
    ):
        if not file_menu.isEmpty():
            file_menu.addSeparator()
        for a in group:
            file_menu.addAction(a)
    edit = menus.addMenu("&Edit")
    for a in (w.undo_action, w.redo_action):
        edit.addAction(a)
    edit.addSeparator()
    edit.addAction(w.find_action)
    menus.addMenu("&View").addAction(w.back_action)
    w.evidence_menu = menus.addMenu("E&vidence")
    w.evidence_menu.aboutToShow.connect(lambda: fill_evidence_menu(w))
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(w.shortcuts_action)
    help_menu.addAction(w.about_action)
    toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for a in (
        w.new_visit_action, w.back_action, w.save_action, w.undo_action, w.redo_action,
        w.find_action, w.export_word_action, w.export_pdf_action,
    ):  # fmt: skip
        toolbar.addAction(a)
    w.addToolBar(toolbar)
    update_actions(w)


def database_actions(w: MainWindow) -> tuple[QAction, ...]:
    """The actions that need the open database (off while it is being opened, or damaged)."""
    return (
        w.new_visit_action, w.save_action, w.export_word_action, w.export_pdf_action,
        w.export_package_action, w.import_package_action, w.sync_action, w.backup_action,
        w.restore_action, w.settings_action, w.find_action,
    )  # fmt: skip


def update_actions(w: MainWindow) -> None:
    """Back, Undo, Redo and the Evidence menu follow the open visit."""
    session, editor = w.visit.session, w.visit.editor
    w.back_action.setEnabled(session is not None)
    stack = session.undo_stack if session else None
    w.undo_action.setEnabled(bool(stack and stack.canUndo()))
    w.redo_action.setEnabled(bool(stack and stack.canRedo()))
    w.evidence_menu.clear()
    w.evidence_menu.setEnabled(session is not None)
    if editor is not None and editor.built("evidence"):
        fill_evidence_menu(w)


def fill_evidence_menu(w: MainWindow) -> None:
    """The Evidence menu holds the open visit's evidence log's own actions: filled when the
    log has been built, or when the menu is first opened (which builds it)."""
    editor = w.visit.editor
    if editor is None or not w.evidence_menu.isEmpty():
        return
    for action in editor.evidence.add_actions.values():
        w.evidence_menu.addAction(action)
    w.evidence_menu.addSeparator()
    w.evidence_menu.addAction(editor.evidence.form.add_drop_in_action)


def show_shortcuts(parent: QWidget) -> None:
    from ui.shortcuts import shortcuts_html

    box = QMessageBox(
        QMessageBox.Icon.NoIcon,
        "Keyboard shortcuts",
        shortcuts_html(),
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.exec()


def about(w: MainWindow) -> None:
    db = w.context.open_db
    QMessageBox.about(
        w,
        f"About {APP_NAME}",
        f"{APP_NAME} {__version__}\n\nOffline-first peer review for networks of primary schools.\n\n"
        f"Database: {db.location if db is not None else 'not open'}",
    )
