"""File → Sync with the network server, through the program's task runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from tests.conftest import _demo_filled
from tests.pg import PgServer
from ui.main_window import MainWindow
from ui.operations import sync


def test_file_sync_sends_the_laptops_change_and_keeps_no_password(  # type: ignore[no-untyped-def]
    qtbot,
    pg_server: PgServer,
    _demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copyfile(_demo_template, tmp_path / "laptop.db")
    laptop = open_database(tmp_path / "laptop.db")
    with pg_server.database(pg_server.template("demo", _demo_filled)) as url:
        with laptop.transaction() as s:
            visit = s.scalars(select(Visit).order_by(Visit.visit_date)).first()
            assert visit is not None
            visit.summary = "Written on the laptop, sent from the File menu."
        address = url.replace(f":{pg_server.password}@", "@")
        monkeypatch.setattr(
            sync, "ask_server", lambda parent, remembered: (address, pg_server.password)
        )
        window = MainWindow(laptop)
        window.tasks.run_inline = True
        qtbot.addWidget(window)
        window.sync_action.trigger()
        assert "Synced with" in window.statusBar().currentMessage()
        assert window.settings.get("server/url") == address
        server = open_database(url)
        with server.reading() as s:
            assert "Written on the laptop, sent from the File menu." in set(
                s.scalars(select(Visit.summary))
            )
        server.close()
        window.close()
    laptop.close()


def test_file_sync_with_no_server_says_one_sentence(
    qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from tests.pg import free_port

    shown: list[str] = []
    monkeypatch.setattr(
        sync,
        "ask_server",
        lambda parent, remembered: (
            f"postgresql+psycopg://me@127.0.0.1:{free_port()}/nexus",
            "pw-Secret",
        ),
    )
    monkeypatch.setattr("ui.tasks.show_error", lambda parent, exc: shown.append(str(exc)))
    window = MainWindow(demo_db)
    window.tasks.run_inline = True
    qtbot.addWidget(window)
    window.sync_action.trigger()
    assert len(shown) == 1 and "cannot be reached" in shown[0] and "pw-Secret" not in shown[0]
    window.close()
