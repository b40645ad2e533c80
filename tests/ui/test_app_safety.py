"""The desktop program opens its database locked, checked and backed up, offers the backup of a damaged one, and shows an unexpected error once."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from nexus_review.errors import DatabaseError
from nexus_review.storage.backups import (
    list_backups,
    make_backup,
)
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from tests.storage.files import visit_count

# Backups, locks and damage are about the SQLite file on a laptop; a network server is backed
# up with its own tools (docs/server.md).
pytestmark = pytest.mark.sqlite_only


def test_the_program_offers_the_backup_and_restores_it(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.app import offer_restore

    assert demo_db.path is not None
    path = demo_db.path
    make_backup(path, "daily")
    demo_db.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage-garbage!"
    path.write_bytes(bytes(data))
    assert offer_restore(path, "damaged", ask=False) is True
    fixed = open_database(path)
    try:
        assert visit_count(fixed) == 75
    finally:
        fixed.close()


def test_restore_from_backup_in_the_program(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    assert demo_db.path is not None
    backup = make_backup(demo_db.path, "manual")
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with window.db.transaction() as s:
        s.scalars(select(Visit)).first().summary = "typed after the backup"  # type: ignore[union-attr]
    from tests.ui.answering import answering

    seen_while_restoring: list[tuple[str, bool, bool]] = []
    real_run_task = window.tasks.run_task

    def watching(message, work, done, failed=None):  # type: ignore[no-untyped-def]
        # What the head sees while the file is replaced off the GUI thread.
        seen_while_restoring.append(
            (window.waiting.text(), window.nav.isEnabled(), window.new_visit_action.isEnabled())
        )
        real_run_task(message, work, done, failed)

    window.tasks.run_task = watching  # type: ignore[method-assign]
    with answering(backup.parent), qtbot.waitSignal(window.tasks.idle, timeout=30000):
        window.restore_action.trigger()  # the file is replaced and checked off the GUI thread
    assert seen_while_restoring == [(f"Restoring the backup {backup.name}…", False, False)]
    assert window.visit_area.currentWidget() is window.visits
    assert window.nav.isEnabled() and window.new_visit_action.isEnabled()
    with window.db.reading() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(Visit)
                .where(Visit.summary == "typed after the backup")
            )
            == 0
        )
    assert any(b.reason == "before-restore" for b in list_backups(demo_db.path))
    assert window.visits.model.rowCount() == 75
    window.db.close()


def test_back_up_now_in_the_program(qtbot: QtBot, demo_db: Database) -> None:
    from ui.main_window import MainWindow

    assert demo_db.path is not None
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    assert window.tasks.run_inline is False  # the copy is made on the thread pool
    with qtbot.waitSignal(window.tasks.idle, timeout=30000):
        window.backup_action.trigger()
    manual = [b for b in list_backups(demo_db.path) if b.reason == "manual"]
    assert len(manual) == 1
    assert window.statusBar().currentMessage() == f"Backup written to {manual[0].path}"
    window.close()


def test_an_unexpected_error_is_logged_and_shown_once_a_minute(qtbot) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.paths import log_path
    from ui import errors

    errors._last_shown.clear()
    try:
        raise RuntimeError("a bug the program did not expect")
    except RuntimeError as exc:
        errors.report_crash(type(exc), exc, exc.__traceback__)
        errors.report_crash(type(exc), exc, exc.__traceback__)
    log = log_path().read_text(encoding="utf-8")
    assert log.count("a bug the program did not expect") >= 2 and "Traceback" in log
    boxes = [
        w
        for w in __import__(
            "PySide6.QtWidgets", fromlist=["QApplication"]
        ).QApplication.topLevelWidgets()
        if w.windowTitle().endswith("something went wrong")
    ]
    assert len(boxes) == 1  # the same error again within a minute is folded into the first
    assert str(log_path()) in boxes[0].informativeText()
    try:
        raise KeyError("another bug")
    except KeyError as exc:
        errors.report_crash(type(exc), exc, exc.__traceback__)
    boxes = [
        w
        for w in __import__(
            "PySide6.QtWidgets", fromlist=["QApplication"]
        ).QApplication.topLevelWidgets()
        if w.isVisible() and w.windowTitle().endswith("something went wrong")
    ]
    assert len(boxes) == 2  # every different error is shown
    for box in boxes:
        box.close()


def test_the_program_opens_its_database_locked_checked_and_backed_up(
    qtbot, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    from ui.app import open_for_editing

    assert demo_db.path is not None
    path = demo_db.path
    demo_db.close()
    opened = open_for_editing(path)
    try:
        assert opened.lock is not None
        assert [b.reason for b in list_backups(path)] == ["daily"]
        with pytest.raises(DatabaseError, match="already open"):
            open_for_editing(path)
    finally:
        opened.close()
    again = open_for_editing(path)  # released: it opens again, and no second backup today
    again.close()
    assert len(list_backups(path)) == 1
