"""File → Restore from backup: choose a backup, confirm, then the file is replaced and reopened."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from nexus_review import APP_NAME
from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error

if TYPE_CHECKING:
    from nexus_review.usecases.opening import Database


def restore_backup(context: AppContext) -> None:
    """Choose a backup, confirm, back up the database as it is now, restore, reopen."""
    from nexus_review.usecases.backups import backups_dir, not_on_a_server
    from nexus_review.usecases.backups import restore_backup as replace_with_backup
    from nexus_review.usecases.opening import open_database

    db = context.db
    path = db.path
    if path is None:
        show_error(context.parent, not_on_a_server(db, "restored"))
        return
    backup, _ = QFileDialog.getOpenFileName(
        context.parent,
        "Restore from backup",
        str(backups_dir(path)),
        "Nexus Review backups (*.db)",
    )
    if not backup:
        return
    answer = QMessageBox.question(
        context.parent,
        APP_NAME,
        f"Replace the database with the backup {Path(backup).name}? The database as it is now is backed up first.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    if not context.close_visit():
        return
    db.close()
    # Nothing reads or writes the file while it is replaced: the window says so meanwhile.
    context.set_aside(f"Restoring the backup {Path(backup).name}…")

    def work() -> Database:
        replace_with_backup(path, Path(backup))
        return open_database(path)

    def done(restored: Database) -> None:
        context.reopen(restored)
        context.show_message(f"Restored from {Path(backup).name}", 8000)

    def failed(_exc: BaseException) -> None:
        # The file as it was (the error is shown next); if even that cannot be opened, the
        # window keeps saying there is no database, and the error says why.
        try:
            context.reopen(open_database(path))
        except NexusError:
            context.set_aside(
                "The database could not be opened again: close the program and start it again."
            )

    context.tasks.run_task("Restoring the backup…", work, done, failed)
