"""Starting the desktop program: the application object, the database, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from nexus_review import APP_NAME, __version__
from nexus_review.errors import NexusError
from nexus_review.storage.database import Database, open_database

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Nexus")
    app.setApplicationVersion(__version__)
    return app  # type: ignore[return-value]


def open_db(db_target: str | None) -> Database:
    from nexus_review.paths import default_database_path

    return open_database(db_target or default_database_path())


def run_app(db_target: str | None = None) -> int:
    app = make_application()
    try:
        db = open_db(db_target)
    except NexusError as err:
        QMessageBox.critical(None, APP_NAME, str(err))
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    code = app.exec()
    db.close()
    return int(code)


def screenshot(widget: object, path: Path) -> None:
    """Save a picture of a widget (for looking at screens during development and tests)."""
    widget.grab().save(str(path))  # type: ignore[attr-defined]
