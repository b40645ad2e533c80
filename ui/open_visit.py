"""The visit open in the Visits area: its editing session and editor, opening and closing it,
and the status bar's word on saving ("Saved 10:42:07", "Not saved — retrying")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QStackedWidget, QWidget

from nexus_review import APP_NAME
from nexus_review.domain.wording import counted, plural
from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import report_crash, show_error
from ui.operations.export_report import export_report

if TYPE_CHECKING:  # the editor and its session load when a visit is first opened
    from ui.visit.editor import VisitEditor
    from ui.visit.session import VisitSession


class OpenVisit(QObject):
    """Opens a visit in ``area`` (over ``list_page``, the visit list) and closes it again."""

    changed = Signal()  # a visit was opened or closed, or its undo history changed

    def __init__(
        self,
        context: AppContext,
        area: QStackedWidget,
        list_page: QWidget,
        saved_label: QLabel,
        guard: Callable[[], bool],
    ) -> None:
        super().__init__(context.parent)
        self.context = context
        self.area = area
        self.list_page = list_page
        self.saved_label = saved_label
        self.guard = guard  # False once the database file was replaced under the program
        self.session: VisitSession | None = None
        self.editor: VisitEditor | None = None

    def open(self, visit_id: str) -> VisitEditor | None:
        context = self.context
        if self.session is not None and not self.close():
            return None
        try:
            from ui.visit.session import VisitSession

            session = VisitSession(
                context.db, visit_id, context.settings.get("editing/autosave_ms"), context.parent
            )
        except NexusError as err:
            show_error(context.parent, err)
            return None
        self.session = session
        session.saved.connect(self._on_session_saved)
        session.save_failed.connect(self._on_session_save_failed)
        session.record_refused.connect(self._on_session_record_refused)
        session.guard = self.guard
        session.set_aside.connect(self._on_session_set_aside)
        # What an earlier session could not save, now that the guard is in place and before the
        # pages are built from the working copy (so they show it).
        session.recover()
        session.undo_stack.canUndoChanged.connect(self._on_undo_stack_changed)
        session.undo_stack.canRedoChanged.connect(self._on_undo_stack_changed)
        from ui.visit.editor import VisitEditor

        # The evidence log is built when first shown, in the proportions the head left it in.
        self.editor = VisitEditor(session, context.settings.window_state("evidence-splitter"))
        self.editor.export_requested.connect(lambda fmt: export_report(context, fmt))
        self.area.addWidget(self.editor)
        self.area.setCurrentWidget(self.editor)
        context.show_section("Visits")
        self.saved_label.setText("All changes saved")
        self.saved_label.setStyleSheet("")
        if session.recovered:
            context.show_message(
                f"{counted(session.recovered, 'change')} that could not be saved last time {plural('was', session.recovered)} saved now.",
                10000,
            )
        elif session.has_unsaved():
            self._on_session_save_failed(
                session.last_error or "The changes kept from last time cannot be saved yet."
            )
        self.changed.emit()
        return self.editor

    def close(self) -> bool:
        """Save and close the open visit. If its last changes cannot be saved, ask: stay (the
        program keeps retrying) or close anyway (the changes are kept on disk and saved the
        next time the visit is opened). False if the visit stays open."""
        if self.session is None:
            return True
        if not self.session.flush() and not self._close_unsaved(self.session):
            return False
        self.save_splitter()
        if self.editor is not None:
            self.area.removeWidget(self.editor)
            self.editor.deleteLater()
        self.session.deleteLater()
        self.session, self.editor = None, None
        self.context.refresh_visits()
        self.area.setCurrentWidget(self.list_page)
        self.changed.emit()
        return True

    def _close_unsaved(self, session: VisitSession) -> bool:
        """Ask whether to close with changes not saved; True if they are kept on this computer."""
        parent = self.context.parent
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            f"Your latest changes are not saved yet: {session.last_error}",
            parent=parent,
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
        if not session.keep_unsaved():
            show_error(
                parent,
                NexusError(
                    f"Your latest changes could not be kept on this computer either ({session.keep_error}); "
                    "the visit stays open so that nothing is lost: free some disk space and try again."
                ),
            )
            return False
        session.discard_queue()
        return True

    def set_aside(self) -> str | None:
        """Keep the open visit's unsaved changes on this computer and close it, when its
        database can no longer be written (replaced or found damaged); its id, or None."""
        if self.session is None:
            return None
        visit_id = self.session.visit_id
        self.session.keep_unsaved()  # saved when the visit is opened again
        self.session.discard_queue()
        self.close()
        return visit_id

    def save_splitter(self) -> None:
        if self.editor is not None and self.editor.built("evidence"):
            self.context.settings.set_window_state(
                "evidence-splitter", self.editor.evidence.splitter.saveState()
            )

    def save_now(self) -> None:
        if self.session is not None:
            self.session.flush()

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.redo()

    def _on_undo_stack_changed(self, _can: bool) -> None:
        self.changed.emit()

    def _on_session_saved(self, when: dt.datetime) -> None:
        self.saved_label.setText(f"Saved {when:%H:%M:%S}")
        self.saved_label.setToolTip("")
        self.saved_label.setStyleSheet("")

    def _on_session_save_failed(self, reason: str) -> None:
        self.saved_label.setText("Not saved — retrying")
        self.saved_label.setToolTip(f"{reason} Your typing is kept and saved as soon as it can be.")
        self.saved_label.setStyleSheet("color: #c62828; font-weight: 600;")
        self.context.show_message(f"Not saved: {reason}", 10000)

    def _on_session_set_aside(self, sentence: str) -> None:
        show_error(self.context.parent, NexusError(sentence))

    def _on_session_record_refused(self, exc: BaseException) -> None:
        report_crash(type(exc), exc, exc.__traceback__, self.context.parent)
