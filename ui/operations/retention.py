"""Settings → Delete old visits: how many and from before when, a backup, then the deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from nexus_review import APP_NAME
from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error

if TYPE_CHECKING:
    from nexus_review.usecases.backups import RetentionResult


def apply_retention(context: AppContext, years: int) -> None:
    """Delete visits older than a number of years, after saying how many and a backup."""
    from nexus_review.usecases.backups import apply_retention as delete_old_visits

    db = context.db
    try:
        preview = delete_old_visits(db, years, dry_run=True)
    except NexusError as err:
        show_error(context.parent, err)
        return
    if not preview.anything:
        QMessageBox.information(
            context.parent,
            APP_NAME,
            f"No visit is older than {preview.cutoff:%d %B %Y}; nothing to delete.",
        )
        return
    answer = QMessageBox.question(
        context.parent,
        APP_NAME,
        f"Delete {preview.what()} from before {preview.cutoff:%d %B %Y}, with all their notes and answers? "
        + (
            "A backup is made first."
            if not preview.server
            else "The program makes no backup of a network server: the server's own backups keep a copy until they expire."
        ),
    )
    if answer != QMessageBox.StandardButton.Yes or not context.close_visit():
        return

    def done(result: RetentionResult) -> None:
        context.refresh()
        kept = (
            f"the backup made first is {result.backup}"
            if not result.server
            else "the server's own backups still hold them until they expire"
        )
        context.show_message(f"{result.what()} deleted; {kept}", 10000)

    context.tasks.run_task("Deleting the old visits…", lambda: delete_old_visits(db, years), done)
