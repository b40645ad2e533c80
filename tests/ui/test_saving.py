"""A failed save is never silent and never blocks later saves; nothing typed is ever lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy.exc import IntegrityError

import nexus_review.workspace as workspace
import ui.visit.session
from nexus_review import unsaved
from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database
from nexus_review.storage.repository import visit_detail
from nexus_review.workspace import InvalidChangeError
from tests.ui.answering import ACCEPT, REJECT, answering, click
from tests.ui.planned_visit import new_visit
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_value_no_column_can_hold_is_refused_at_once_and_later_edits_still_save(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None and window.session is not None
    session = window.session
    judgement = editor.judgements.model.ensure_judgement("inclusion")
    session.flush()
    # What Link evidence… queued when its clicked(bool) signal handed the slot False.
    with pytest.raises(InvalidChangeError):
        session.edit("judgement", judgement, "evidence_ids", False)
    with pytest.raises(InvalidChangeError):
        session.edit("evidence", judgement, "participants", 2**63)
    assert not session.has_unsaved()
    with qtbot.waitSignal(session.saved, timeout=3000):
        qtbot.keyClicks(editor.report.summary, "Still saved")
    with demo_db.reading() as s:
        assert visit_detail(s, session.visit_id).summary == "Still saved"


def test_a_record_the_database_refuses_does_not_hold_back_the_others(
    qtbot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None and window.session is not None
    session = window.session
    real_apply = workspace.apply_change

    def refuse_actions(db_session, change):  # type: ignore[no-untyped-def]
        if change.table == "action":
            raise IntegrityError("INSERT INTO action", {}, Exception("refused"))
        return real_apply(db_session, change)

    monkeypatch.setattr(workspace, "apply_change", refuse_actions)
    editor.tabs.setCurrentWidget(editor.report)
    click(editor.report.add_button)
    qtbot.keyClicks(editor.report.summary, "Saved although a next step was refused")
    refused: list[BaseException] = []
    session.record_refused.connect(refused.append)
    assert session.flush() is False
    assert refused and isinstance(refused[0], IntegrityError)
    with demo_db.reading() as s:
        assert visit_detail(s, session.visit_id).summary == "Saved although a next step was refused"
    assert window.saved_label.text() == "Not saved — retrying"
    assert "refused" in window.saved_label.toolTip()
    assert [c.table for c in session._pending] == ["action"]  # only the refused record waits
    # The crash dialog tells the reviewer (every different error is shown).
    crash = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.windowTitle().endswith("something went wrong")
    ]
    assert crash
    for w in crash:
        w.close()
    # Once the database takes it again, the waiting record is saved too.
    monkeypatch.setattr(workspace, "apply_change", real_apply)
    assert session.flush() is True
    assert window.saved_label.text().startswith("Saved ")


def test_closing_with_unsaved_work_asks_and_the_next_start_saves_it(
    qtbot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    visit_id = new_visit(demo_db)
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    editor = window.open_visit(visit_id)
    assert editor is not None and window.session is not None

    def locked(db, changes):  # type: ignore[no-untyped-def]
        raise DatabaseError(
            "The database is busy in another program; close it there and try again."
        )

    real_save = ui.visit.session.save_changes
    monkeypatch.setattr(ui.visit.session, "save_changes", locked)
    qtbot.keyClicks(editor.report.summary, "Typed while the database was locked")
    window.save_action.trigger()
    assert window.saved_label.text() == "Not saved — retrying"
    assert unsaved.journal_path(str(demo_db.path), visit_id).exists()  # kept on disk at once

    # Closing asks; "Stay" keeps the window open and the typing queued.
    with answering(tmp_path, REJECT) as answerer:
        window.close()
    assert window.isVisible() and window.session is not None and window.session.has_unsaved()
    assert any("not saved yet" in seen.text for seen in answerer.seen)
    # "Close anyway" closes; the typing stays on disk.
    with answering(tmp_path, ACCEPT):
        window.close()
    assert not window.isVisible()
    monkeypatch.setattr(ui.visit.session, "save_changes", real_save)  # the other program has let go

    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    again.show()
    reopened = again.open_visit(visit_id)
    assert reopened is not None
    with demo_db.reading() as s:
        assert visit_detail(s, visit_id).summary == "Typed while the database was locked"
    assert "saved now" in again.statusBar().currentMessage()
    assert not unsaved.journal_path(str(demo_db.path), visit_id).exists()
    assert reopened.report.summary.toPlainText() == "Typed while the database was locked"


def test_a_database_replaced_under_the_program_is_noticed_and_nothing_typed_vanishes(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil

    from nexus_review.storage.backups import make_backup
    from ui import errors

    assert demo_db.path is not None
    visit_id = new_visit(demo_db)
    editor = window.open_visit(visit_id)
    assert editor is not None and window.session is not None
    # Another program puts a copy in place of the database file (as a restore does).
    copy = make_backup(demo_db.path, "manual")
    staged = tmp_path / "staged.db"
    shutil.copyfile(copy, staged)
    os.replace(staged, demo_db.path)
    for suffix in ("-wal", "-shm"):
        Path(str(demo_db.path) + suffix).unlink(missing_ok=True)

    qtbot.keyClicks(editor.report.summary, "Typed after the file was replaced")
    window.save_action.trigger()
    qtbot.waitUntil(
        lambda: any("was replaced by another program" in s for s in errors.shown), timeout=5000
    )
    assert window.db is not demo_db  # the new file is open
    assert window.db.device_id != demo_db.device_id  # its next changes go under a new device id
    qtbot.waitUntil(
        lambda: window.session is not None and not window.session.has_unsaved(), timeout=5000
    )
    with window.db.reading() as s:
        assert visit_detail(s, visit_id).summary == "Typed after the file was replaced"


def test_a_kept_change_to_a_record_the_database_no_longer_has_is_set_aside_and_blocks_nothing(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    """A restore from an older backup can leave the journal editing a record that is gone."""
    from nexus_review.storage.models import new_id
    from nexus_review.workspace import Change
    from ui import errors

    visit_id = new_visit(demo_db)
    unsaved.keep(
        str(demo_db.path),
        visit_id,
        [Change("evidence", new_id(), {"notes": "Typed before the restore"})],
    )
    editor = window.open_visit(visit_id)
    assert editor is not None and window.session is not None
    assert any("no longer in the database was kept in" in s for s in errors.shown)
    aside = list(unsaved.journal_path(str(demo_db.path), visit_id).parent.glob("set-aside-*.json"))
    assert len(aside) == 1 and "Typed before the restore" in aside[0].read_text(encoding="utf-8")
    with qtbot.waitSignal(window.session.saved, timeout=3000):
        qtbot.keyClicks(editor.report.summary, "Later typing is saved")
    with demo_db.reading() as s:
        assert visit_detail(s, visit_id).summary == "Later typing is saved"


def test_a_kept_change_the_database_refuses_does_not_stop_the_visit_opening(
    qtbot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.workspace import Change

    visit_id = new_visit(demo_db)
    real_apply = workspace.apply_change

    def refuse_summary(db_session, change):  # type: ignore[no-untyped-def]
        if change.table == "visit" and "summary" in change.values:
            raise IntegrityError("UPDATE visit", {}, Exception("refused"))
        return real_apply(db_session, change)

    unsaved.keep(
        str(demo_db.path), visit_id, [Change("visit", visit_id, {"summary": "Kept from last time"})]
    )
    monkeypatch.setattr(workspace, "apply_change", refuse_summary)
    editor = window.open_visit(visit_id)
    assert editor is not None  # opened, with the kept text on screen and still queued
    assert editor.report.summary.toPlainText() == "Kept from last time"
    assert window.saved_label.text() == "Not saved — retrying"
    for w in [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.windowTitle().endswith("something went wrong")
    ]:
        w.close()
    monkeypatch.setattr(workspace, "apply_change", real_apply)
    assert window.session is not None and window.session.flush() is True
    with demo_db.reading() as s:
        assert visit_detail(s, visit_id).summary == "Kept from last time"


def test_close_anyway_stays_open_when_the_typing_cannot_be_kept_on_disk_either(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui import errors

    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None and window.session is not None

    def locked(db, changes):  # type: ignore[no-untyped-def]
        raise DatabaseError(
            "There is not enough disk space to save; free some space and try again."
        )

    def disk_full(*_args):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    real_save = ui.visit.session.save_changes
    monkeypatch.setattr(ui.visit.session, "save_changes", locked)
    monkeypatch.setattr(unsaved, "keep", disk_full)
    qtbot.keyClicks(editor.report.summary, "Nowhere to go")
    with answering(tmp_path, ACCEPT):
        window.close()
    assert window.isVisible() and window.session is not None and window.session.has_unsaved()
    assert any("could not be kept on this computer either" in s for s in errors.shown)
    monkeypatch.setattr(ui.visit.session, "save_changes", real_save)
    assert window.session.flush() is True
