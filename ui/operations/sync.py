"""File → Sync with the network server: asks for the server (remembered) and the password
(never kept), then syncs off the GUI thread through the window's task runner."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit

from nexus_review.errors import NexusError
from ui.errors import show_error


def ask_server(window: Any) -> tuple[str, str] | None:
    """The server address and the login's password, or None if the user cancelled."""
    remembered = window.settings.get("server/url")
    url, ok = QInputDialog.getText(
        window, "Sync with the network server",
        "The network server's address, from your network administrator\n"
        "(like postgresql+psycopg://LOGIN@SERVER/nexus?sslmode=verify-full):",
        QLineEdit.EchoMode.Normal, remembered,
    )  # fmt: skip
    if not ok or not url.strip():
        return None
    password, ok = QInputDialog.getText(
        window, "Sync with the network server", "Your password for the network server (leave empty if it is kept "
        "in your PostgreSQL password file):", QLineEdit.EchoMode.Password,
    )  # fmt: skip
    if not ok:
        return None
    return url.strip(), password


def sync_with_network(window: Any) -> None:
    """Sync the window's database with the network server."""
    from nexus_review.usecases.sync import (
        check_laptop,
        database_url,
        sync_with_server,
        with_password,
        without_password,
    )

    try:
        check_laptop(window.db)  # before asking for a server: this is one
    except NexusError as err:
        show_error(window, err)
        return
    answers = ask_server(window)
    if answers is None:
        return
    url, password = answers
    try:
        address = with_password(database_url(url), password) if password else database_url(url)
    except NexusError as err:
        show_error(window, err)
        return
    if window.session is not None:
        window.session.flush()
    db = window.db

    def work() -> Any:
        return sync_with_server(db, address)

    def done(result: Any) -> None:
        window.settings.set("server/url", without_password(url))  # the password is never kept
        window.statusBar().showMessage(result.sentence(), 10000)
        window.visits.refresh()

    window.run_task("Syncing with the network server…", work, done)
