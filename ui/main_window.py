"""The main window: a navigation pane (Visits, Schools, Network, Imports) and the chosen view.

Opening a visit shows its editor in the Visits area; the status bar always says when the work
was last saved. Window geometry and splitter positions are remembered between runs.

The window can be built before its database is open (``MainWindow(None, opening=...)``): it is
shown at once saying which file it is opening, and filled by :meth:`MainWindow.database_opened`.
So this module imports no SQLAlchemy: the use cases load when the window first asks them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from nexus_review import APP_NAME, __version__
from nexus_review.domain.wording import counted, plural
from nexus_review.errors import NexusError
from ui.errors import report_crash, show_error
from ui.schools_page import SchoolsPage
from ui.settings import Settings
from ui.sync_action import sync_with_network
from ui.tasks import TaskRunner
from ui.undo_router import UndoRouter
from ui.visit_list_page import VisitListPage

if (
    TYPE_CHECKING
):  # the editor, the dialogs, the network's rules and the database load when first used
    from nexus_review.usecases.opening import Database, OpenDatabase
    from ui.imports_view import ImportsPage
    from ui.visit.editor import VisitEditor
    from ui.visit.session import VisitSession


class MainWindow(QMainWindow):
    SECTIONS = ("Visits", "Schools", "Network", "Imports")
    filled = Signal()  # the database is open and the window shows it

    def __init__(
        self, db: Database | None, settings: Settings | None = None, *, opening: str = ""
    ) -> None:
        super().__init__()
        self._db = db
        self.opened: OpenDatabase | None = None  # the database opened for work, with its lock
        self.refused = False  # the database could not be opened (or was found damaged and left)
        self.settings = settings or Settings()
        self.tasks = TaskRunner(self)
        self.session: VisitSession | None = None
        self.editor: VisitEditor | None = None
        self.resize(1200, 760)
        self.nav = QListWidget()
        self.nav.addItems(self.SECTIONS)
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(120)
        self.nav.setObjectName("navigation")
        self.visits = VisitListPage(self)
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
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.saved_label)
        self._build_actions()
        self.undo_router = UndoRouter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.undo_router.follow_focus)
        self._identity: object = None
        self._replaced_notice = False
        self._restore_state()
        self.nav.setCurrentRow(0)
        if db is None:
            self._show_closed(f"Opening {opening}…", Path(opening).name if opening else "")
        else:
            self._fill()

    # ---- the database -------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The open database; a plain sentence if asked for while there is none (the window is
        still opening it, or it was found damaged: then nothing more is written to it)."""
        if self._db is None:
            raise NexusError("The database is not open: nothing can be read or saved just now.")
        return self._db

    def _database_actions(self) -> tuple[QAction, ...]:
        return (
            self.new_visit_action,
            self.save_action,
            self.export_word_action,
            self.export_pdf_action,
            self.export_package_action,
            self.import_package_action,
            self.sync_action,
            self.backup_action,
            self.restore_action,
            self.settings_action,
            self.find_action,
        )

    def _show_closed(self, sentence: str, where: str) -> None:
        """The frame and navigation without a database: one sentence in the list area."""
        self.waiting.setText(sentence)
        self.visit_area.setCurrentWidget(self.waiting)
        self.stack.setCurrentIndex(0)
        self.nav.setEnabled(False)
        for action in self._database_actions():
            action.setEnabled(False)
        who = self.settings.get("reviewer/name")
        self.setWindowTitle(" – ".join(p for p in (APP_NAME, who, where) if p))

    def _fill(self) -> None:
        self.nav.setEnabled(True)
        for action in self._database_actions():
            action.setEnabled(True)
        self.visit_area.setCurrentWidget(self.visits)
        self._identity = self._file_identity()
        self._update_title()
        self.visits.refresh()  # the other pages are filled when shown
        if self.stack.currentWidget() is self.schools:
            self.schools.refresh()

    def database_opened(self, opened: OpenDatabase) -> None:
        """Fill the window with the database it was opening."""
        self.opened = opened
        self._db = opened.db
        self.schools.db = opened.db
        self._fill()
        self.filled.emit()

    def database_found_damaged(self, message: str) -> None:
        """The full check after opening found the file damaged: nothing more is written to it.
        Unsaved changes of the open visit are kept on this computer (saved when the visit is
        next opened); the window says so in one sentence and offers the newest good backup."""
        if self._db is None:
            return
        if self.session is not None:
            self.session.keep_unsaved()
            self.session.discard_queue()
            self.close_visit()
        db, self._db = self._db, None
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
            self._db = restored
            self.schools.db = restored
            self._fill()
            self.statusBar().showMessage("The newest good backup was restored.", 8000)
        else:
            self.refused = True
            self.close()

    # ---- building -----------------------------------------------------------------------

    @property
    def network(self) -> Any:
        return self._section_page("Network")

    @property
    def imports(self) -> Any:
        return self._section_page("Imports")

    def _section_page(self, name: str) -> QWidget:
        """A page of the navigation built on first use, in place of its empty stand-in."""
        page = self._section_pages.get(name)
        if page is None:
            page = self._network_page() if name == "Network" else self._imports_page()
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

    def _network_page(self) -> QWidget:
        from ui.network_view import NetworkPage

        return NetworkPage(self)

    def _imports_page(self) -> ImportsPage:
        from ui.imports_view import ImportsPage

        return ImportsPage(self)

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_visit_action = self._action(
            "&New visit…", self.new_visit, QKeySequence.StandardKey.New, "Plan a new visit"
        )
        self.save_action = self._action(
            "&Save now",
            self.save_now,
            QKeySequence.StandardKey.Save,
            "Work is saved as you type; this saves at once",
        )
        self.export_word_action = self._action(
            "Export report as &Word…", lambda: self.export_report("docx")
        )
        self.export_pdf_action = self._action(
            "Export report as &PDF…", lambda: self.export_report("pdf")
        )
        self.settings_action = self._action(
            "Se&ttings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self._action("&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("&Redo", self.redo, QKeySequence.StandardKey.Redo)
        self.find_action = self._action(
            "&Find…", self.find_visits, QKeySequence.StandardKey.Find, "Find text in any note"
        )
        self.back_action = self._action("&Back to visits", self.close_visit, "Alt+Left")
        self.about_action = self._action(f"&About {APP_NAME}", self.about)
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            "F1",
            "Every keyboard shortcut of the program",
        )
        file_menu = self.menuBar().addMenu("&File")
        for a in (self.new_visit_action, self.save_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.export_word_action)
        file_menu.addAction(self.export_pdf_action)
        self.file_menu = file_menu
        file_menu.addSeparator()
        self.export_package_action = self._action(
            "Export review &package…",
            self.export_package,
            None,
            "Send your visits to the network administrator",
        )
        self.import_package_action = self._action(
            "&Import review packages…",
            self.import_packages,
            None,
            "Merge reviewers' packages into this database",
        )
        file_menu.addAction(self.export_package_action)
        file_menu.addAction(self.import_package_action)
        self.sync_action = self._action(
            "S&ync with the network server…",
            lambda: sync_with_network(self),
            None,
            "Send your changes to the network server and receive the network's",
        )
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        self.backup_action = self._action(
            "&Back up now", self.backup_now, None, "Make a backup of the database now"
        )
        self.restore_action = self._action(
            "&Restore from backup…",
            self.restore_from_backup,
            None,
            "Replace the database with one of its backups",
        )
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = self.menuBar().addMenu("&Edit")
        for a in (self.undo_action, self.redo_action):
            edit.addAction(a)
        edit.addSeparator()
        edit.addAction(self.find_action)
        view = self.menuBar().addMenu("&View")
        view.addAction(self.back_action)
        self.evidence_menu = self.menuBar().addMenu("E&vidence")
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (
            self.new_visit_action,
            self.back_action,
            self.save_action,
            self.undo_action,
            self.redo_action,
            self.find_action,
            self.export_word_action,
            self.export_pdf_action,
        ):
            toolbar.addAction(a)
        self.addToolBar(toolbar)
        self._update_actions()

    def _update_actions(self) -> None:
        open_visit = self.session is not None
        self.back_action.setEnabled(open_visit)
        stack = self.session.undo_stack if self.session else None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.evidence_menu.clear()
        self.evidence_menu.setEnabled(open_visit)
        if self.editor is not None:
            for action in self.editor.evidence.add_actions.values():
                self.evidence_menu.addAction(action)
            self.evidence_menu.addSeparator()
            self.evidence_menu.addAction(self.editor.evidence.form.add_drop_in_action)

    def _restore_state(self) -> None:
        geometry = self.settings.window_state("main-geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("main-state")
        if state is not None:
            self.restoreState(state)

    def showEvent(self, event: Any) -> None:
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
        if self.editor is not None:
            self.settings.set_window_state(
                "evidence-splitter", self.editor.evidence.splitter.saveState()
            )

    # ---- navigation ---------------------------------------------------------------------

    def refresh(self) -> None:
        self.visits.refresh()
        self.schools.refresh()

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.SECTIONS) and self.SECTIONS[row] in ("Network", "Imports"):
            self._section_page(self.SECTIONS[row])
        self.stack.setCurrentIndex(max(row, 0))
        page = self.stack.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh) and page is not self.visit_area:
            refresh()

    def show_section(self, name: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index(name))

    def find_visits(self) -> None:
        if self.session is not None and not self.close_visit():
            return
        self.show_section("Visits")
        self.visits.search.setFocus()
        self.visits.search.selectAll()

    # ---- visits -------------------------------------------------------------------------

    def new_visit(self) -> None:
        from nexus_review.usecases import visits
        from nexus_review.usecases.editing import create_visit

        people = visits.people(self.db)
        schools, reviewers = list(people.schools), list(people.reviewers)
        if not schools:
            show_error(
                self,
                NexusError(
                    "There are no schools in this database yet; load the demo network or import a review package first."
                ),
            )
            return
        from ui.dialogs import NewVisitDialog

        dialog = NewVisitDialog(
            schools,
            reviewers,
            self.settings.get("visits/default_framework"),
            self.settings.get("reviewer/id"),
            self,
        )
        accepted = dialog.exec() == dialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        try:
            visit_id = create_visit(self.db, **dialog.values())
        except NexusError as err:
            show_error(self, err)
            return
        self.visits.refresh()
        self.open_visit(visit_id)

    def open_visit(self, visit_id: str) -> VisitEditor | None:
        if self.session is not None and not self.close_visit():
            return None
        try:
            from ui.visit.session import VisitSession

            session = VisitSession(
                self.db, visit_id, self.settings.get("editing/autosave_ms"), self
            )
        except NexusError as err:
            show_error(self, err)
            return None
        self.session = session
        session.saved.connect(self._on_session_saved)
        session.save_failed.connect(self._on_session_save_failed)
        session.record_refused.connect(self._on_session_record_refused)
        session.guard = self.database_file_unchanged
        session.set_aside.connect(self._on_session_set_aside)
        # What an earlier session could not save, now that the guard is in place and before the
        # pages are built from the working copy (so they show it).
        session.recover()
        session.undo_stack.canUndoChanged.connect(self._on_undo_stack_changed)
        session.undo_stack.canRedoChanged.connect(self._on_undo_stack_changed)
        from ui.visit.editor import VisitEditor

        self.editor = VisitEditor(session)
        self.editor.export_requested.connect(self.export_report)
        state = self.settings.window_state("evidence-splitter")
        if state is not None:
            self.editor.evidence.splitter.restoreState(state)
        self.visit_area.addWidget(self.editor)
        self.visit_area.setCurrentWidget(self.editor)
        self.show_section("Visits")
        self.saved_label.setText("All changes saved")
        self.saved_label.setStyleSheet("")
        if session.recovered:
            self.statusBar().showMessage(
                f"{counted(session.recovered, 'change')} that could not be saved last time {plural('was', session.recovered)} saved now.",
                10000,
            )
        elif session.has_unsaved():
            self._on_session_save_failed(
                session.last_error or "The changes kept from last time cannot be saved yet."
            )
        self._update_actions()
        return self.editor

    def close_visit(self) -> bool:
        """Save and close the open visit. If its last changes cannot be saved, ask: stay (the
        program keeps retrying) or close anyway (the changes are kept on disk and saved the
        next time the visit is opened). False if the visit stays open."""
        if self.session is None:
            return True
        if not self.session.flush():
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                APP_NAME,
                f"Your latest changes are not saved yet: {self.session.last_error}",
                parent=self,
            )
            box.setInformativeText(
                "Stay here and the program keeps trying to save them. Close anyway and they are kept on this computer and saved the next time you open the visit."
            )
            stay = box.addButton("Stay and keep trying", QMessageBox.ButtonRole.RejectRole)
            box.addButton("Close anyway", QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(stay)
            box.exec()
            if box.clickedButton() is stay or box.clickedButton() is None:
                return False
            if not self.session.keep_unsaved():
                show_error(
                    self,
                    NexusError(
                        f"Your latest changes could not be kept on this computer either ({self.session.keep_error}); "
                        "the visit stays open so that nothing is lost: free some disk space and try again."
                    ),
                )
                return False
            self.session.discard_queue()
        if self.editor is not None:
            self.settings.set_window_state(
                "evidence-splitter", self.editor.evidence.splitter.saveState()
            )
            self.visit_area.removeWidget(self.editor)
            self.editor.deleteLater()
        self.session.deleteLater()
        self.session, self.editor = None, None
        self.visits.refresh()
        self.visit_area.setCurrentWidget(self.visits)
        self._update_actions()
        return True

    def _on_undo_stack_changed(self, _can: bool) -> None:
        self._update_actions()

    def save_now(self) -> None:
        if self.session is not None:
            self.session.flush()

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.redo()

    def _on_session_saved(self, when: dt.datetime) -> None:
        self.saved_label.setText(f"Saved {when:%H:%M:%S}")
        self.saved_label.setToolTip("")
        self.saved_label.setStyleSheet("")

    def _on_session_save_failed(self, reason: str) -> None:
        self.saved_label.setText("Not saved — retrying")
        self.saved_label.setToolTip(f"{reason} Your typing is kept and saved as soon as it can be.")
        self.saved_label.setStyleSheet("color: #c62828; font-weight: 600;")
        self.statusBar().showMessage(f"Not saved: {reason}", 10000)

    def _on_session_set_aside(self, sentence: str) -> None:
        show_error(self, NexusError(sentence))

    def _on_session_record_refused(self, exc: BaseException) -> None:
        report_crash(type(exc), exc, exc.__traceback__, self)

    # ---- reports ------------------------------------------------------------------------

    def export_report(self, fmt: str) -> None:
        """Export the open (or selected) visit's feedback report: options, then where to save."""
        visit_id = self.session.visit_id if self.session else self.visits.selected_visit_id()
        if not visit_id:
            show_error(self, NexusError("Choose a visit first: open it, or select it in the list."))
            return
        if self.session is not None:
            self.session.flush()
        from ui.export_dialogs import ExportDialog

        dialog = ExportDialog(fmt, self.settings, self)
        accepted = dialog.exec() == dialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        dialog.remember()
        options = dialog.options()
        open_after = dialog.open_after.isChecked()
        from nexus_review.usecases import visits
        from ui.export_dialogs import suggested_report_name

        detail = visits.visit_detail(self.db, visit_id)

        suggested = self.export_folder() / suggested_report_name(
            detail.host_school.name, detail.visit_date, fmt
        )
        kind = "Word document (*.docx)" if fmt == "docx" else "PDF document (*.pdf)"
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the feedback report", str(suggested), kind
        )
        if not target:
            return
        self.remember_export_folder(target)
        from nexus_review.usecases.reports import export_visit_report

        db = self.db

        def done(path: Path) -> None:
            self.statusBar().showMessage(f"Feedback report written to {path}", 8000)
            self.last_export = path
            if open_after and not os.environ.get("NEXUS_REVIEW_NO_OPEN"):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self.run_task(
            "Exporting the feedback report…",
            lambda: export_visit_report(db, visit_id, fmt, target, options),
            done,
        )

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

    def run_task(self, message: str, work: Any, done: Any) -> None:
        """Run slow work off the GUI thread; a busy bar shows only if it takes a while, and a
        failure goes to the one error display."""
        self.statusBar().showMessage(message)
        busy = QTimer(self)
        busy.setSingleShot(True)

        def show_busy() -> None:
            self.progress.setRange(0, 0)
            self.progress.setVisible(True)

        busy.timeout.connect(show_busy)
        busy.start(600)

        def finished() -> None:
            busy.stop()
            busy.deleteLater()
            self.progress.setVisible(False)
            self.statusBar().clearMessage()

        def on_done(result: Any) -> None:
            finished()
            done(result)

        def on_failed(exc: BaseException) -> None:
            finished()
            show_error(self, exc)

        self.tasks.run(work, on_done, on_failed)

    # ---- review packages ------------------------------------------------------------------

    def export_package(self) -> None:
        """Export a review package for the network administrator: which visits, then where."""
        from nexus_review.usecases.packages import export_review_package
        from ui.export_dialogs import ExportPackageDialog

        if self.session is not None:
            self.session.flush()
        selected = self.session.visit_id if self.session else self.visits.selected_visit_id()
        dialog = ExportPackageDialog(selected, self)
        accepted = dialog.exec() == dialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        choice, passphrase = dialog.choice(), dialog.passphrase.text()
        name = f"review-package-{dt.date.today().isoformat()}.nxr"
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Export review package",
            str(self.export_folder() / name),
            "Review packages (*.nxr)",
        )
        if not target:
            return
        self.remember_export_folder(target)
        db, me = self.db, self.settings.get("reviewer/name")
        visit_ids = [selected] if choice == "selected" and selected else None

        def work() -> Any:
            return export_review_package(
                db,
                target,
                visit_ids=visit_ids,
                all_visits=choice == "all",
                passphrase=passphrase or None,
                reviewer=me,
            )

        def done(result: Any) -> None:
            self.statusBar().showMessage(
                f"Review package written to {result.path}: {counted(result.visits, 'visit')}.",
                10000,
            )
            self.last_package = result.path

        self.run_task("Writing the review package…", work, done)

    def import_packages(self) -> None:
        self.show_section("Imports")
        self.imports.choose_files()

    # ---- backups ------------------------------------------------------------------------

    def backup_now(self) -> None:
        from nexus_review.usecases.backups import backup_now, not_on_a_server

        if self.db.path is None:
            show_error(self, not_on_a_server(self.db, "backed up"))
            return
        if self.session is not None:
            self.session.flush()
        try:
            path = backup_now(self.db)
        except NexusError as err:
            show_error(self, err)
            return
        self.statusBar().showMessage(f"Backup written to {path}", 8000)

    def restore_from_backup(self) -> None:
        """Choose a backup, confirm, back up the database as it is now, restore, reopen."""
        from nexus_review.usecases.backups import backups_dir, not_on_a_server, restore_backup
        from nexus_review.usecases.opening import open_database

        path = self.db.path
        if path is None:
            show_error(self, not_on_a_server(self.db, "restored"))
            return
        backup, _ = QFileDialog.getOpenFileName(
            self, "Restore from backup", str(backups_dir(path)), "Nexus Review backups (*.db)"
        )
        if not backup:
            return
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Replace the database with the backup {Path(backup).name}? The database as it is now is backed up first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self.close_visit():
            return
        self.db.close()
        try:
            restore_backup(path, Path(backup))
        except NexusError as err:
            self._reopen(open_database(path))
            show_error(self, err)
            return
        self._reopen(open_database(path))
        self.statusBar().showMessage(f"Restored from {Path(backup).name}", 8000)

    def _file_identity(self) -> object:
        from nexus_review.usecases.backups import file_identity

        return file_identity(self.db.path) if self.db.path is not None else None

    def database_file_unchanged(self) -> bool:
        """True while the database file is the one the program opened. When another program
        has put another file in its place (a restore), the program says so and opens the new
        file, so that nothing is written into the old one, where it would vanish."""
        if self._db is None or self.db.path is None or self._file_identity() == self._identity:
            return True
        if not self._replaced_notice:
            self._replaced_notice = True
            QTimer.singleShot(0, self._on_database_replaced)
        return False

    def _on_database_replaced(self) -> None:
        from nexus_review.usecases.opening import forget_device_id, open_database

        visit_id = self.session.visit_id if self.session is not None else None
        if self.session is not None:
            self.session.keep_unsaved()  # saved into the new file when the visit is opened again
            self.session.discard_queue()
            self.close_visit()
        self.db.close()
        if self.db.path is not None:
            forget_device_id(self.db.path)  # the new file's counters may be behind what was sent
        try:
            self._reopen(open_database(self.db.path or ""))
        except NexusError as err:
            show_error(self, err)
            return
        finally:
            self._replaced_notice = False
        show_error(
            self,
            NexusError(
                "The database file was replaced by another program (a restore from a backup, perhaps); "
                "the program has opened the new file. Changes not yet saved are kept and saved when you open the visit again."
            ),
        )
        if visit_id is not None:
            self.open_visit(visit_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.database_file_unchanged()

    def _reopen(self, db: Database) -> None:
        self._db = db
        self._identity = self._file_identity()
        self.schools.db = db
        self._update_title()
        self.refresh()

    def apply_retention(self, years: int) -> int:
        """Delete visits older than a number of years, after saying how many and a backup."""
        from nexus_review.usecases.backups import apply_retention

        try:
            preview = apply_retention(self.db, years, dry_run=True)
            if not preview.anything:
                QMessageBox.information(
                    self,
                    APP_NAME,
                    f"No visit is older than {preview.cutoff:%d %B %Y}; nothing to delete.",
                )
                return 0
            answer = QMessageBox.question(
                self,
                APP_NAME,
                f"Delete {preview.what()} from before {preview.cutoff:%d %B %Y}, with all their notes and answers? "
                + (
                    "A backup is made first."
                    if not preview.server
                    else "The program makes no backup of a network server: the server's own backups keep a copy until they expire."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return 0
            if not self.close_visit():
                return 0
            result = apply_retention(self.db, years)
        except NexusError as err:
            show_error(self, err)
            return 0
        self.refresh()
        kept = (
            f"the backup made first is {result.backup}"
            if not result.server
            else "the server's own backups still hold them until they expire"
        )
        self.statusBar().showMessage(f"{result.what()} deleted; {kept}", 10000)
        return len(result.visits)

    # ---- settings and the rest ------------------------------------------------------------

    def open_settings(self) -> None:
        from nexus_review.usecases import visits

        schools = visits.schools(self.db)
        from nexus_review.usecases.network import lesson_grading_enabled, set_lesson_grading
        from ui.dialogs import SettingsDialog

        grading = lesson_grading_enabled(self.db)
        dialog = SettingsDialog(self.settings, schools, self, lesson_grading=grading)
        years = dialog.retention_years
        dialog.retention_button.clicked.connect(lambda: self.apply_retention(years.value()))
        accepted = dialog.exec() == dialog.DialogCode.Accepted
        wanted = dialog.lesson_grading.isChecked()
        if accepted:
            dialog.apply()
        dialog.deleteLater()
        if accepted:
            from ui.app import apply_theme

            apply_theme(self.settings.get("appearance/theme"))
            self._update_title()
            if self.session is not None:
                self.session.set_autosave_ms(self.settings.get("editing/autosave_ms"))
            if wanted != grading:
                set_lesson_grading(self.db, wanted)
                if self.editor is not None:
                    self.editor.evidence.form.set_lesson_grading(wanted)

    def show_shortcuts(self) -> None:
        from ui.shortcuts import shortcuts_html

        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            "Keyboard shortcuts",
            shortcuts_html(),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def _update_title(self) -> None:
        who = self.settings.get("reviewer/name")
        where = self.db.path.name if self.db.path is not None else self.db.url.split("@")[-1]
        self.setWindowTitle(" – ".join(p for p in (APP_NAME, who, where) if p))
        self.setWindowFilePath(str(self.db.path or ""))

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nOffline-first peer review for networks of primary schools.\n\n"
            f"Database: {self._db.location if self._db is not None else 'not open'}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tasks.busy():  # an export or import is being written: finish it first
            doing = (
                "opening the database"
                if self._db is None
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
