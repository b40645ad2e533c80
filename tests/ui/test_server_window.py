"""The desktop program opened on the network server itself (an administrator at the office:
``nexus-review --db postgresql+psycopg://…``): it opens, shows the network, and the features
that are about a database file (backups, restore, the file's identity, a sync) say plainly
that they do not apply to a server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from nexus_review.demo import demo_years
from tests.conftest import _demo_filled
from tests.pg import PgServer, dump
from ui import errors
from ui.main_window import MainWindow
from ui.operations import sync as sync_operation
from ui.operations.retention import apply_retention
from ui.settings import Settings

LAST_YEAR = demo_years()[1]


def _check_window(window: MainWindow, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    window.tasks.run_inline = True
    assert window.isVisible()
    assert window.db.path is None and window.db.url.startswith("postgresql")
    assert pg_server.password not in window.windowTitle()
    # The network: its schools' priorities for last year, as on a file.
    window.show_section("Network")
    page = window.network
    page.year.setCurrentText(LAST_YEAR)
    page.show_year()
    assert page.priorities.grid.rowCount() == 10
    window.show_section("Visits")
    assert window.visits.model.rowCount() > 0
    before = dump(window.db)

    # Backups, restore, sync: one plain sentence each, nothing asked, nothing changed.
    def no_file_dialog(*_a: Any, **_k: Any) -> tuple[str, str]:
        raise AssertionError("no file dialog on a server")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", no_file_dialog)
    monkeypatch.setattr(
        sync_operation, "ask_server", lambda *a: pytest.fail("no server to ask for")
    )
    errors.shown.clear()
    window.backup_action.trigger()
    window.restore_action.trigger()
    window.sync_action.trigger()
    assert len(errors.shown) == 3, errors.shown
    backup, restore, sync = errors.shown
    for sentence in (backup, restore):
        assert "network server" in sentence and "server's own" in sentence, sentence
        assert "SQLite" not in sentence and "\n" not in sentence
    assert "network server" in sync and "laptop" in sync and "\n" not in sync
    assert all(pg_server.password not in s for s in errors.shown)
    # The check that the database file was not replaced under the program has no file to
    # look at: it never reports a replacement.
    assert window.database_file_unchanged()
    assert dump(window.db) == before

    # Retention from the Settings dialog: asked without promising a backup the program does
    # not make; the result names the server's own backups.
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: pytest.fail(f"not expected: {a[2]}"))
    listed = window.visits.model.rowCount()
    apply_retention(window.context, 1)
    assert window.visits.model.rowCount() < listed and len(asked) == 1
    assert "A backup is made first" not in asked[0] and "server's own backups" in asked[0]
    status = window.statusBar().currentMessage()
    assert "None" not in status and "server's own backups" in status


def test_the_program_opened_on_the_server_works_and_says_what_does_not_apply(  # type: ignore[no-untyped-def]
    qtbot,
    pg_server: PgServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.app import run_app

    settings = Settings()
    settings.set("program/first_run_done", True)
    settings.set("reviewer/name", "Ms Office Administrator")
    checked: list[MainWindow] = []

    def exec_(_app: Any = None) -> int:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        assert len(windows) == 1
        qtbot.addWidget(windows[0])
        # The window is shown first and the server opened behind it: wait until it is open,
        # filled and its opening work (nothing to check or back up on a server) is done.
        qtbot.waitUntil(
            lambda: windows[0].opened is not None and not windows[0].tasks.busy(), timeout=30000
        )
        _check_window(windows[0], pg_server, monkeypatch)
        checked.append(windows[0])
        windows[0].close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        assert run_app(db_target=url) == 0
        assert checked
        # No database file, backup or lock was made for the server in the data folder.
        data = Path(os.environ["NEXUS_REVIEW_DATA_DIR"])
        assert [p.name for p in data.rglob("*") if p.suffix in (".db", ".lock")] == []
