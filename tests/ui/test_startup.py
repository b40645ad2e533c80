"""Starting the desktop program: the main window is shown before the database is opened, and
filled when the open (off the GUI thread) has finished; whatever refuses the start still says
so in one sentence and changes nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

import ui.app
import ui.startup
from nexus_review.storage.backups import list_backups, make_backup
from nexus_review.storage.database import Database
from nexus_review.storage.lock import DatabaseLock
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.startup import start_main_window
from ui.visit_list_model import ID_ROLE

ROOT = Path(__file__).resolve().parents[2]


def _closed(db: Database) -> Path:
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db.path


def _fingerprint(path: Path) -> str:
    """The database file and its log, byte for byte."""
    digest = hashlib.sha256(path.read_bytes())
    wal = Path(str(path) + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the start shows in message boxes (recorded, not shown)."""
    sentences: list[str] = []
    record = lambda _parent, exc, *args: sentences.append(str(exc))  # noqa: E731
    monkeypatch.setattr(ui.startup, "show_error", record)
    monkeypatch.setattr(ui.app, "show_error", record)
    return sentences


def _wait_finished(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.refused or (window.opened is not None and not window.tasks.busy()),
        timeout=15000,
    )


def test_the_window_is_painted_before_sqlalchemy_is_imported_or_the_database_opened_and_the_editor_loads_behind(
    demo_db: Database,
) -> None:
    path = _closed(demo_db)
    code = f"""
import sys
from ui.tasks import TaskRunner
run = TaskRunner.run
seen = []
def first_task(self, fn, done, failed):
    if not seen:
        window = self.parent()
        seen.append(1)
        print("task", "sqlalchemy" in sys.modules, "ui.visit.editor" in sys.modules, window.isVisible(), window.opened is None, window.waiting.text(), flush=True)
    run(self, fn, done, failed)
TaskRunner.run = first_task
from ui.app import make_application
from ui.settings import Settings
from ui.startup import start_main_window
app = make_application()
window = start_main_window({str(path)!r}, Settings())
while window.opened is None and not window.refused:
    app.processEvents()
while window.tasks.busy():
    app.processEvents()
import gc
print("filled", window.visits.model.rowCount() > 0, "ui.visit.editor" in sys.modules, gc.get_freeze_count() > 0, flush=True)
window.opened.close()
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"task False False True True Opening {path}…"
    # The visit editor is loaded behind the filled window, before any visit is opened.
    # ... and what the start made is set aside from the garbage collector's sweeps.
    assert lines[-1] == "filled True True True"


def test_the_start_modules_import_no_sqlalchemy() -> None:
    code = "import sys, ui.app, ui.startup, ui.main_window; print('sqlalchemy' in sys.modules)"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.split() == ["False"]


def test_the_list_is_filled_when_the_open_has_finished_then_checked_and_backed_up(
    qtbot, demo_db: Database
) -> None:
    path = _closed(demo_db)
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    if window.opened is None:  # the open runs on the thread pool; the newest visits show
        assert window.visit_area.currentWidget() is window.visits
        assert not window.nav.isEnabled() and not window.new_visit_action.isEnabled()
        assert not window.visits.search.isEnabled()
        with qtbot.waitSignal(window.filled, timeout=15000):
            pass
    assert window.visit_area.currentWidget() is window.visits
    assert window.nav.isEnabled() and window.new_visit_action.isEnabled()
    assert window.visits.model.rowCount() == 75
    qtbot.waitUntil(lambda: window.visits.count.text() == "75 visits", timeout=15000)
    _wait_finished(qtbot, window)
    assert [b.reason for b in list_backups(path)] == ["daily"]  # made after the full check
    # The window holds the lock: a second copy of the program is kept out.
    with pytest.raises(Exception, match="already open"):
        DatabaseLock(path).acquire()
    assert window.opened is not None
    window.close()
    window.opened.close()


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The database open (on the thread pool) waits until the test lets it go on."""
    from nexus_review.usecases import opening

    go_on = threading.Event()
    real = opening.open_for_work

    def waiting(*args: Any, **kwargs: Any) -> Any:
        go_on.wait(15)
        return real(*args, **kwargs)

    monkeypatch.setattr(opening, "open_for_work", waiting)
    return go_on


def test_the_newest_visits_show_at_once_and_one_chosen_meanwhile_opens_when_ready(
    qtbot, demo_db: Database, held_open: threading.Event
) -> None:
    from nexus_review.usecases import visit_list

    newest = visit_list.rows(demo_db, visit_list.ordered_ids(demo_db, 0, True)[:1])[0]
    path = _closed(demo_db)
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    page = window.visits
    # Before the database is open: the visits are on screen, read straight from the file.
    assert window.opened is None
    assert window.visit_area.currentWidget() is page
    assert page.view.model().rowCount() == 75
    assert page.view.model().index(0, 1).data() == newest.host_school_name
    assert page.count.text() == "75 visits"
    assert not page.search.isEnabled() and not page.school.isEnabled()
    assert not page.new_button.isEnabled() and not window.nav.isEnabled()
    # A head picks the third visit and opens it: it opens as soon as the database is ready.
    third = page.view.model().index(2, 0)
    wanted = third.data(ID_ROLE)
    rect = page.view.visualRect(third)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor is None
    assert "as soon as the database is ready" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.filled, timeout=15000):
        held_open.set()
    qtbot.waitUntil(lambda: window.editor is not None, timeout=15000)
    assert window.session is not None and window.session.visit_id == wanted
    assert page.search.isEnabled() and page.school.isEnabled() and page.new_button.isEnabled()
    assert page.school.count() > 1  # the filters are filled
    assert page.selected_visit_id() == wanted  # still the chosen row, back in the list
    _wait_finished(qtbot, window)
    window.close()
    assert window.opened is not None
    window.opened.close()


def test_a_database_open_in_another_copy_is_refused_in_one_sentence_and_left_unchanged(
    qtbot, demo_db: Database, said: list[str]
) -> None:
    path = _closed(demo_db)
    other = DatabaseLock(path)
    other.acquire()
    try:
        before = _fingerprint(path)
        window = start_main_window(path, Settings())
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.refused, timeout=15000)
    finally:
        other.release()
    assert len(said) == 1 and "already open" in said[0] and "\n" not in said[0]
    assert window.opened is None and not window.isVisible()
    assert _fingerprint(path) == before and list_backups(path) == []


def test_a_database_from_a_newer_program_is_refused_in_one_sentence_and_left_unchanged(
    qtbot, demo_db: Database, said: list[str]
) -> None:
    path = _closed(demo_db)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _fingerprint(path)
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.refused, timeout=15000)
    assert len(said) == 1 and "newer version" in said[0]
    assert _fingerprint(path) == before and list_backups(path) == []
    # The lock was given back.
    lock = DatabaseLock(path)
    lock.acquire()
    lock.release()


def test_a_damaged_database_is_refused_in_one_sentence_and_left_unchanged(
    qtbot, demo_db: Database, said: list[str]
) -> None:
    path = _closed(demo_db)
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage-garbage!"
    path.write_bytes(bytes(data))
    before = _fingerprint(path)
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.refused, timeout=15000)
    assert len(said) == 1 and "is damaged" in said[0] and "\n" not in said[0]
    assert _fingerprint(path) == before and list_backups(path) == []


def test_damage_found_after_the_window_is_filled_stops_all_writing(
    qtbot, demo_db: Database, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The light check passes, the full one in the background does not: nothing more is
    written (no daily backup of the damaged file either); with no backup to offer, the program
    says so and closes."""
    import nexus_review.usecases.opening as opening

    path = _closed(demo_db)
    monkeypatch.setattr(opening, "check_integrity", lambda p: "page 3 is damaged")
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.refused, timeout=15000)
    assert len(said) == 1 and "is damaged" in said[0] and "stopped writing" in said[0]
    assert window.visit_area.currentWidget() is window.waiting and said[0] in window.waiting.text()
    assert not window.nav.isEnabled() and not window.new_visit_action.isEnabled()
    with pytest.raises(Exception, match="not open"):
        window.db  # noqa: B018
    assert list_backups(path) == []
    assert window.opened is not None
    window.opened.close()


def test_damage_found_after_the_window_is_filled_can_be_mended_from_the_newest_good_backup(
    qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexus_review.usecases.opening as opening

    path = _closed(demo_db)
    make_backup(path, "manual")
    monkeypatch.setattr(opening, "check_integrity", lambda p: "page 3 is damaged")
    offered: list[str] = []
    restore = ui.app.offer_restore

    def answer_restore(p: Path, message: str, ask: bool = True) -> bool:
        offered.append(message)
        return restore(p, message, ask=False)

    monkeypatch.setattr(ui.app, "offer_restore", answer_restore)
    window = start_main_window(path, Settings())
    qtbot.addWidget(window)
    qtbot.waitUntil(
        lambda: bool(offered) and window.visit_area.currentWidget() is window.visits, timeout=15000
    )
    assert "is damaged" in offered[0] and not window.refused
    assert window.nav.isEnabled() and window.visits.model.rowCount() == 75
    assert any(b.reason != "manual" for b in list_backups(path))  # what was replaced is kept
    window.close()
    window.db.close()
    assert window.opened is not None
    window.opened.close()


@pytest.fixture
def quiet_app(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """run_app as the program runs it, without its logging set-up and crash hook."""
    monkeypatch.setattr(ui.app, "setup_logging", lambda: None)
    monkeypatch.setattr(ui.app, "install_excepthook", lambda: None)
    settings = Settings()
    settings.set("program/first_run_done", True)
    return settings


def test_the_program_runs_on_its_database_and_ends_with_0(
    qtbot, demo_db: Database, quiet_app: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed(demo_db)
    started: list[MainWindow] = []
    start = ui.startup.start_main_window

    def start_and_close_when_done(target: str | Path, settings: Settings) -> MainWindow:
        window = start(target, settings)
        started.append(window)
        window.tasks.idle.connect(window.close)  # opened, filled, checked and backed up
        return window

    monkeypatch.setattr(ui.startup, "start_main_window", start_and_close_when_done)
    assert ui.app.run_app(str(path)) == 0
    (window,) = started
    assert window.visits.model.rowCount() == 75
    assert [b.reason for b in list_backups(path)] == ["daily"]
    lock = DatabaseLock(path)
    lock.acquire()  # given back at the end
    lock.release()


def test_the_program_ends_with_1_when_its_database_is_open_elsewhere(
    demo_db: Database, quiet_app: Settings, said: list[str]
) -> None:
    path = _closed(demo_db)
    other = DatabaseLock(path)
    other.acquire()
    try:
        before = _fingerprint(path)
        assert ui.app.run_app(str(path)) == 1
    finally:
        other.release()
    assert len(said) == 1 and "already open" in said[0]
    assert _fingerprint(path) == before
