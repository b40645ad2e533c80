"""What the program's pages and file actions are given of the running program.

:class:`AppContext` holds the open database (replaced when a backup is restored), the settings,
the one task runner, the status bar and the widget that dialogs and error messages sit over. The
open visit and the navigation belong to the main window: the context reaches them through the
narrow :class:`Workbench` the window offers, so a page sees only what it needs of the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QMainWindow, QWidget

from nexus_review.errors import NexusError
from ui.settings import Settings
from ui.tasks import BusyBar, TaskRunner

if TYPE_CHECKING:
    from nexus_review.usecases.opening import Database
    from ui.visit.editor import VisitEditor
    from ui.visit.session import VisitSession


class Workbench(Protocol):
    """What the main window does for its pages and file actions."""

    @property
    def session(self) -> VisitSession | None: ...

    @property
    def editor(self) -> VisitEditor | None: ...

    def open_visit(self, visit_id: str) -> VisitEditor | None: ...

    def close_visit(self) -> bool: ...

    def selected_visit_id(self) -> str | None: ...

    def show_section(self, name: str) -> QWidget: ...

    def refresh(self) -> None: ...

    def refresh_visits(self) -> None: ...

    def reopen(self, db: Database) -> None: ...

    def set_aside(self, sentence: str) -> None: ...

    def update_title(self) -> None: ...


class AppContext:
    """The open database, the settings, the task runner, the status bar and the open visit,
    for the pages and the file actions (``ui/operations``)."""

    def __init__(
        self, window: QMainWindow, bench: Workbench, settings: Settings, db: Database | None
    ) -> None:
        self.parent = window  # dialogs and error messages sit over it
        self.bench = bench
        self.settings = settings
        self._db = db
        self.tasks = TaskRunner(window, BusyBar(window.statusBar()), window)
        self.last_export: Path | None = None  # the last report written
        self.last_package: Path | None = None  # the last review package written

    # ---- the database -------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The open database; a plain sentence if asked for while there is none (the window is
        still opening it, or it was found damaged: then nothing more is written to it)."""
        if self._db is None:
            raise NexusError("The database is not open: nothing can be read or saved just now.")
        return self._db

    @property
    def open_db(self) -> Database | None:
        return self._db

    def set_database(self, db: Database | None) -> None:
        self._db = db

    def reopen(self, db: Database) -> None:
        """Show ``db`` (the database file opened again, after a restore) on every page."""
        self.bench.reopen(db)

    def set_aside(self, sentence: str) -> None:
        """No database for a moment (its file is being replaced): the window says so in one
        sentence, and nothing that reads or writes the database can be chosen until
        :meth:`reopen`."""
        self._db = None
        self.bench.set_aside(sentence)

    # ---- the status bar and files -------------------------------------------------------

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self.parent.statusBar().showMessage(text, timeout_ms)

    def export_folder(self) -> Path:
        remembered = self.settings.get("export/folder")
        from ui.export_dialogs import default_export_folder

        return (
            Path(remembered)
            if remembered and Path(remembered).is_dir()
            else default_export_folder()
        )

    def remember_export_folder(self, target: str) -> None:
        self.settings.set("export/folder", str(Path(target).parent))

    # ---- the open visit and the pages ---------------------------------------------------

    @property
    def session(self) -> VisitSession | None:
        return self.bench.session

    @property
    def editor(self) -> VisitEditor | None:
        return self.bench.editor

    def save_open_visit(self) -> None:
        """Write the open visit's last changes (if a visit is open) before a file is made."""
        if self.bench.session is not None:
            self.bench.session.flush()

    def chosen_visit_id(self) -> str | None:
        """The open visit, or else the one selected in the visit list."""
        session = self.bench.session
        return session.visit_id if session is not None else self.bench.selected_visit_id()

    def open_visit(self, visit_id: str) -> VisitEditor | None:
        return self.bench.open_visit(visit_id)

    def close_visit(self) -> bool:
        return self.bench.close_visit()

    def show_section(self, name: str) -> QWidget:
        return self.bench.show_section(name)

    def refresh(self) -> None:
        self.bench.refresh()

    def refresh_visits(self) -> None:
        self.bench.refresh_visits()

    def update_title(self) -> None:
        self.bench.update_title()
