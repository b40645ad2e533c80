"""File → Sync with the network server: asks for the server (remembered) and the password
(never kept), then syncs off the GUI thread through the one task runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from nexus_review.errors import NexusError
from ui.context import AppContext
from ui.errors import show_error

if TYPE_CHECKING:
    from nexus_review.usecases.sync import SyncResult


def ask_server(parent: QWidget, remembered: str) -> tuple[str, str] | None:
    """The server address and the login's password, or None if the user cancelled."""
    url, ok = QInputDialog.getText(
        parent, "Sync with the network server",
        "The network server's address, from your network administrator\n"
        "(like postgresql+psycopg://LOGIN@SERVER/nexus?sslmode=verify-full):",
        QLineEdit.EchoMode.Normal, remembered,
    )  # fmt: skip
    if not ok or not url.strip():
        return None
    password, ok = QInputDialog.getText(
        parent, "Sync with the network server", "Your password for the network server (leave empty if it is kept "
        "in your PostgreSQL password file):", QLineEdit.EchoMode.Password,
    )  # fmt: skip
    if not ok:
        return None
    return url.strip(), password


def sync_with_network(context: AppContext) -> None:
    """Sync the open database with the network server."""
    from nexus_review.usecases.sync import (
        check_laptop,
        database_url,
        sync_with_server,
        with_password,
        without_password,
    )

    db = context.db
    try:
        check_laptop(db)  # before asking for a server: this is one
    except NexusError as err:
        show_error(context.parent, err)
        return
    answers = ask_server(context.parent, context.settings.get("server/url"))
    if answers is None:
        return
    url, password = answers
    try:
        address = with_password(database_url(url), password) if password else database_url(url)
    except NexusError as err:
        show_error(context.parent, err)
        return
    context.save_open_visit()

    def done(result: SyncResult) -> None:
        context.settings.set("server/url", without_password(url))  # the password is never kept
        context.show_message(result.sentence(), 10000)
        context.refresh_visits()

    context.tasks.run_task(
        "Syncing with the network server…", lambda: sync_with_server(db, address), done
    )
