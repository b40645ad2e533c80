"""The database file under the open program: noticed when another program puts another file
in its place (a restore from a backup, perhaps), and then opened again."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error
from ui.open_visit import OpenVisit


class DatabaseFile(QObject):
    """Which file the program opened, and what it does when that file is replaced."""

    def __init__(self, context: AppContext, visit: OpenVisit) -> None:
        super().__init__(context.parent)
        self.context = context
        self.visit = visit
        self._identity: object = None
        self._replaced_notice = False

    def _file_identity(self) -> object:
        from nexus_review.usecases.backups import file_identity

        path = self.context.db.path
        return file_identity(path) if path is not None else None

    def remember(self) -> None:
        """The file now open is the one the program works on."""
        self._identity = self._file_identity()

    def unchanged(self) -> bool:
        """True while the database file is the one the program opened. When another program
        has put another file in its place (a restore), the program says so and opens the new
        file, so that nothing is written into the old one, where it would vanish."""
        db = self.context.open_db
        if db is None or db.path is None or self._file_identity() == self._identity:
            return True
        if not self._replaced_notice:
            self._replaced_notice = True
            QTimer.singleShot(0, self._on_replaced)
        return False

    def _on_replaced(self) -> None:
        from nexus_review.usecases.opening import forget_device_id, open_database

        context = self.context
        visit_id = self.visit.set_aside()  # saved into the new file when opened again
        db = context.db
        db.close()
        if db.path is not None:
            forget_device_id(db.path)  # the new file's counters may be behind what was sent
        try:
            context.reopen(open_database(db.path or ""))
        except NexusError as err:
            show_error(context.parent, err)
            return
        finally:
            self._replaced_notice = False
        show_error(
            context.parent,
            NexusError(
                "The database file was replaced by another program (a restore from a backup, perhaps); "
                "the program has opened the new file. Changes not yet saved are kept and saved when you open the visit again."
            ),
        )
        if visit_id is not None:
            context.open_visit(visit_id)
