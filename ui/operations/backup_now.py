"""File → Back up now: a copy of the database file in its backups folder."""

from __future__ import annotations

from pathlib import Path

from ui.context import AppContext
from ui.errors import show_error


def backup_now(context: AppContext) -> None:
    from nexus_review.usecases.backups import backup_now as make_backup_now
    from nexus_review.usecases.backups import not_on_a_server

    db = context.db
    if db.path is None:
        show_error(context.parent, not_on_a_server(db, "backed up"))
        return
    context.save_open_visit()

    def done(path: Path) -> None:
        context.show_message(f"Backup written to {path}", 8000)

    context.tasks.run_task("Backing up the database…", lambda: make_backup_now(db), done)
