"""Starting the desktop program: the application object, first run, the database, the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from nexus_review import APP_NAME, __version__
from nexus_review.errors import NexusError
from nexus_review.paths import resource_path
from ui.errors import install_excepthook, setup_logging, show_error
from ui.settings import Settings

if TYPE_CHECKING:  # the database loads after the main window is shown (ui.startup)
    from nexus_review.usecases.opening import Database, OpenDatabase

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Nexus")
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "nexus-review.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from ui.focus_frame import add_focus_frame

    add_focus_frame(app)  # the list or table with the keyboard is framed
    return app


def apply_theme(theme: str) -> None:
    """Light, dark, or whatever the system uses (the default)."""
    hints = QGuiApplication.styleHints()
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        theme, Qt.ColorScheme.Unknown
    )
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)


def database_target(cli_target: str | None, settings: Settings) -> str | Path:
    from nexus_review.paths import default_database_path

    return cli_target or settings.get("database/path") or default_database_path()


def first_run(settings: Settings, cli_target: str | None) -> Database | None:
    """Ask who the reviewer is and where to keep the reviews; None if the user cancels."""
    from nexus_review.usecases.opening import open_database
    from ui.dialogs import FirstRunDialog

    db = open_database(database_target(cli_target, settings))
    from nexus_review.usecases.visits import schools as list_schools

    schools = list_schools(db)
    dialog = FirstRunDialog(schools)
    dialog.demo.setChecked(not schools)
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            db.close()
            return None
        if dialog.name.text().strip():
            break
        QMessageBox.information(
            dialog, APP_NAME, "Please give your name: it goes on your review teams and reports."
        )
    if dialog.database_path() and not cli_target:
        db.close()
        settings.set("database/path", dialog.database_path())
        db = open_database(dialog.database_path())
    remember_identity(
        db,
        settings,
        dialog.name.text(),
        dialog.school_name(),
        dialog.school_id(),
        dialog.demo.isChecked(),
    )
    return db


def remember_identity(
    db: Database, settings: Settings, name: str, school_name: str, school_id: str, demo: bool
) -> None:
    from nexus_review.usecases.editing import ensure_reviewer, ensure_school

    if demo:
        from nexus_review.demo import fill_demo_network

        fill_demo_network(db)
    if school_name and not school_id:
        school_id = ensure_school(db, school_name)
    settings.set("reviewer/name", name.strip())
    settings.set("reviewer/home_school_id", school_id)
    settings.set("reviewer/id", ensure_reviewer(db, name, school_id or None))
    settings.set("program/first_run_done", True)


def offer_restore(path: Path, message: str, ask: bool = True) -> bool:
    """The database is damaged: say so, and offer the newest good backup. True if restored."""
    from nexus_review.usecases.backups import newest_good_backup, restore_backup

    good = newest_good_backup(path)
    if good is None:
        show_error(None, NexusError(message))
        return False
    if ask:
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
        restore = box.addButton(
            f"Restore the backup from {good.made:%d %B %Y %H:%M}", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("Close the program", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not restore:
            return False
    try:
        restore_backup(path, good.path)
    except NexusError as err:
        show_error(None, err)
        return False
    return True


def open_for_editing(target: str | Path) -> OpenDatabase:
    """Open the database the desktop program works on: checked, backed up once a day, and
    locked so that a second copy of the program is told where it is already open; a damaged
    one is opened only after the user restores its newest good backup."""
    from nexus_review.usecases.opening import open_for_work

    return open_for_work(target, lock=True, restore_damaged=offer_restore)


def run_app(db_target: str | None = None) -> int:
    setup_logging()
    app = make_application()
    install_excepthook()
    settings = Settings()
    apply_theme(settings.get("appearance/theme"))
    try:
        if not settings.get("program/first_run_done"):
            db = first_run(settings, db_target)
            if db is None:
                return 0
            db.close()
    except NexusError as err:
        if "damaged" not in str(err):
            show_error(None, err)
        return 1
    from ui.startup import start_main_window

    # The window first, the database opened behind it (a refusal ends the program with 1).
    window = start_main_window(database_target(db_target, settings), settings)
    code = app.exec()
    if window.opened is not None:
        window.opened.close()
    if window.context.open_db is not None:
        window.context.open_db.close()
    return 1 if window.refused else int(code)


def screenshot(widget: object, path: Path) -> None:
    """Save a picture of a widget (for looking at screens during development and tests)."""
    widget.grab().save(str(path))  # type: ignore[attr-defined]
