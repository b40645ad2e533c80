"""The main window: a navigation pane (Visits, Schools, Network, Imports) and the chosen view.

Opening a visit shows its editor in the Visits area; the status bar always says when the work
was last saved. Window geometry and splitter positions are remembered between runs. The pages
and the file actions (``ui/operations``) are given the window's :class:`ui.context.AppContext`;
the menus are built in ``ui/window_actions.py`` and the open visit is ``ui/open_visit.py``.

The window can be built before its database is open (``MainWindow(None, opening=...)``): it is
shown at once saying which file it is opening, and filled by :meth:`MainWindow.database_opened`.
So this module imports no SQLAlchemy: the use cases load when the window first asks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from nexus_review import APP_NAME
from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.database_file import DatabaseFile
from ui.errors import show_error
from ui.open_visit import OpenVisit
from ui.schools_page import SchoolsPage
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.undo_router import UndoRouter
from ui.visit_list_page import VisitListPage
from ui.window_actions import build_actions, database_actions, update_actions

if TYPE_CHECKING:  # the editor, the pages shown later and the database load when first used
    from nexus_review.usecases.opening import Database, OpenDatabase
    from ui.imports_view import ImportsPage
    from ui.network_view import NetworkPage
    from ui.visit.editor import VisitEditor
    from ui.visit.session import VisitSession


class MainWindow(QMainWindow):
    SECTIONS = ("Visits", "Schools", "Network", "Imports")
    filled = Signal()  # the database is open and the window shows it

    # Built by ui.window_actions.build_actions.
    new_visit_action: QAction
    save_action: QAction
    export_word_action: QAction
    export_pdf_action: QAction
    settings_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    back_action: QAction
    about_action: QAction
    shortcuts_action: QAction
    export_package_action: QAction
    import_package_action: QAction
    sync_action: QAction
    backup_action: QAction
    restore_action: QAction
    evidence_menu: QMenu

    def __init__(
        self, db: Database | None, settings: Settings | None = None, *, opening: str = ""
    ) -> None:
        super().__init__()
        self.opened: OpenDatabase | None = None  # the database opened for work, with its lock
        self.refused = False  # the database could not be opened (or was found damaged and left)
        self.settings = settings or Settings()
        self.context = AppContext(self, self, self.settings, db)
        self.resize(1200, 760)
        self.nav = QListWidget()
        self.nav.addItems(self.SECTIONS)
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(120)
        self.nav.setObjectName("navigation")
        self.visits = VisitListPage(self.context)
        self.visit_area = QStackedWidget()
        self.visit_area.addWidget(self.visits)
        # Shown while the database is being opened, or once it has been found damaged.
        self.waiting = QLabel()
        self.waiting.setObjectName("opening")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setWordWrap(True)
        self.visit_area.addWidget(self.waiting)
        self.schools = SchoolsPage(db)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.visit_area)
        self.stack.addWidget(self.schools)
        # The network and imports pages (and what they import) are built when first shown.
        self._section_pages: dict[str, QWidget] = {}
        self.stack.addWidget(QWidget())
        self.stack.addWidget(QWidget())
        self.splitter = QSplitter()
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([160, 1040])
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.saved_label = QLabel("Nothing to save yet")
        self.statusBar().addPermanentWidget(self.saved_label)  # after the runner's busy bar
        self.visit = OpenVisit(
            self.context,
            self.visit_area,
            self.visits,
            self.saved_label,
            self.database_file_unchanged,
        )
        self.database_file = DatabaseFile(self.context, self.visit)
        build_actions(self)
        self.visit.changed.connect(lambda: update_actions(self))
        self.undo_router = UndoRouter(self.context)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.undo_router.follow_focus)
        self._restore_state()
        self.nav.setCurrentRow(0)
        if db is None:
            self._show_closed(f"Opening {opening}…", Path(opening).name if opening else "")
        else:
            self._fill()

    # ---- what the pages are given (ui.context.Workbench) --------------------------------

    @property
    def db(self) -> Database:
        return self.context.db

    @property
    def tasks(self) -> TaskRunner:
        return self.context.tasks

    @property
    def session(self) -> VisitSession | None:
        return self.visit.session

    @property
    def editor(self) -> VisitEditor | None:
        return self.visit.editor

    def open_visit(self, visit_id: str) -> VisitEditor | None:
        return self.visit.open(visit_id)

    def close_visit(self) -> bool:
        return self.visit.close()

    def selected_visit_id(self) -> str | None:
        return self.visits.selected_visit_id()

    def refresh(self) -> None:
        self.visits.refresh()
        self.schools.refresh()

    def refresh_visits(self) -> None:
        self.visits.refresh()

    def show_section(self, name: str) -> QWidget:
        self.nav.setCurrentRow(self.SECTIONS.index(name))
        page = self.stack.currentWidget()
        assert page is not None
        return page

    def reopen(self, db: Database) -> None:
        self.context.set_database(db)
        self.schools.db = db
        self._fill()  # the navigation and the database's actions back, every page read again
        if self.stack.currentWidget() is not self.schools:
            self.schools.refresh()

    def set_aside(self, sentence: str) -> None:
        self.schools.db = None
        self._show_closed(sentence, Path(self.windowFilePath()).name)

    def update_title(self) -> None:
        who = self.settings.get("reviewer/name")
        where = self.db.path.name if self.db.path is not None else self.db.url.split("@")[-1]
        self.setWindowTitle(" – ".join(p for p in (APP_NAME, who, where) if p))
        self.setWindowFilePath(str(self.db.path or ""))

    def database_file_unchanged(self) -> bool:
        return self.database_file.unchanged()

    # ---- the database -------------------------------------------------------------------

    def _show_closed(self, sentence: str, where: str) -> None:
        """The frame and navigation without a database: one sentence in the list area."""
        self.waiting.setText(sentence)
        self.visit_area.setCurrentWidget(self.waiting)
        self.stack.setCurrentIndex(0)
        self.nav.setEnabled(False)
        for action in database_actions(self):
            action.setEnabled(False)
        who = self.settings.get("reviewer/name")
        self.setWindowTitle(" – ".join(p for p in (APP_NAME, who, where) if p))

    def _fill(self) -> None:
        self.nav.setEnabled(True)
        for action in database_actions(self):
            action.setEnabled(True)
        self.visit_area.setCurrentWidget(self.visits)
        self.database_file.remember()
        self.update_title()
        self.visits.refresh()  # the other pages are filled when shown
        if self.stack.currentWidget() is self.schools:
            self.schools.refresh()

    def database_opened(self, opened: OpenDatabase) -> None:
        """Fill the window with the database it was opening."""
        self.opened = opened
        self.context.set_database(opened.db)
        self.schools.db = opened.db
        self._fill()
        self.filled.emit()

    def database_found_damaged(self, message: str) -> None:
        """The full check after opening found the file damaged: nothing more is written to it.
        Unsaved changes of the open visit are kept on this computer (saved when the visit is
        next opened); the window says so in one sentence and offers the newest good backup."""
        db = self.context.open_db
        if db is None:
            return
        self.visit.set_aside()
        self.context.set_database(None)
        self.schools.db = None
        db.close()
        path = db.path
        self._show_closed(message, path.name if path is not None else "")
        from ui.app import offer_restore

        if path is not None and offer_restore(path, message):
            from nexus_review.usecases.opening import open_database

            try:
                restored = open_database(path)
            except NexusError as err:
                show_error(self, err)
                return
            self.context.set_database(restored)
            self.schools.db = restored
            self._fill()
            self.statusBar().showMessage("The newest good backup was restored.", 8000)
        else:
            self.refused = True
            self.close()

    # ---- the pages ----------------------------------------------------------------------

    @property
    def network(self) -> NetworkPage:
        from ui.network_view import NetworkPage

        page = self._section_page("Network")
        assert isinstance(page, NetworkPage)
        return page

    @property
    def imports(self) -> ImportsPage:
        from ui.imports_view import ImportsPage

        page = self._section_page("Imports")
        assert isinstance(page, ImportsPage)
        return page

    def _section_page(self, name: str) -> QWidget:
        """A page of the navigation built on first use, in place of its empty stand-in."""
        page = self._section_pages.get(name)
        if page is None:
            if name == "Network":
                from ui.network_view import NetworkPage

                page = NetworkPage(self.context)
            else:
                from ui.imports_view import ImportsPage

                page = ImportsPage(self.context)
            self._section_pages[name] = page
            index = self.SECTIONS.index(name)
            stand_in = self.stack.widget(index)
            assert stand_in is not None
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self.stack.setCurrentIndex(current)
        return page

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.SECTIONS) and self.SECTIONS[row] in ("Network", "Imports"):
            self._section_page(self.SECTIONS[row])
        self.stack.setCurrentIndex(max(row, 0))
        page = self.stack.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh) and page is not self.visit_area:
            refresh()

    def find_visits(self) -> None:
        if self.session is not None and not self.close_visit():
            return
        self.show_section("Visits")
        self.visits.search.setFocus()
        self.visits.search.selectAll()

    # ---- the window's state -------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.window_state("main-geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("main-state")
        if state is not None:
            self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not getattr(self, "_splitter_restored", False):
            # Once the window has its size, so the saved proportions come back exactly.
            self._splitter_restored = True
            splitter = self.settings.window_state("main-splitter")
            if splitter is not None:
                self.splitter.restoreState(splitter)

    def _save_state(self) -> None:
        self.settings.set_window_state("main-geometry", self.saveGeometry())
        self.settings.set_window_state("main-state", self.saveState())
        self.settings.set_window_state("main-splitter", self.splitter.saveState())
        self.visit.save_splitter()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.database_file_unchanged()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tasks.busy():  # an export or import is being written: finish it first
            doing = (
                "opening the database"
                if self.context.open_db is None
                else "writing a file or checking the database"
            )
            self.statusBar().showMessage(
                f"Wait a moment: the program is still {doing}; then close it again.", 8000
            )
            event.ignore()
            return
        if not self.close_visit():
            event.ignore()
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.undo_router)
        self._save_state()
        event.accept()
