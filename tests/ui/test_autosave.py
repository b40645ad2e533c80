"""Saving as the reviewer types: a second after the last keystroke, at once on Ctrl+S, again
after a failed save without losing the typing, and nothing lost when the program is killed
after the autosave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Evidence
from nexus_review.storage.repository import visit_detail
from tests.ui.planned_visit import new_visit
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_edits_are_saved_within_a_second_of_the_last_keystroke(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    evidence_id = editor.evidence.add_evidence(
        __import__("nexus_review.domain.enums", fromlist=["EvidenceKind"]).EvidenceKind.PUPIL_VOICE
    )
    qtbot.keyClicks(editor.evidence.form.notes, "Pupils said they feel safe")

    def saved() -> bool:
        with demo_db.reading() as s:
            row = s.get(Evidence, evidence_id)
            return row is not None and row.notes == "Pupils said they feel safe"

    assert not saved()  # nothing is written on each keystroke: the save waits for a pause
    with qtbot.waitSignal(window.session.saved, timeout=3000):
        pass  # the autosave timer (a second after the last keystroke) fires
    assert saved()
    assert window.saved_label.text().startswith("Saved ")


def test_ctrl_s_saves_at_once(qtbot, window: MainWindow, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window.settings.set("editing/autosave_ms", 30000)
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    qtbot.keyClicks(editor.report.summary, "Saved by hand")
    assert window.session is not None and window.session.has_unsaved()
    window.save_action.trigger()
    assert not window.session.has_unsaved()
    with demo_db.reading() as s:
        assert visit_detail(s, window.session.visit_id).summary == "Saved by hand"


def test_a_failed_save_keeps_the_typing_and_saves_it_later(
    qtbot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import ui.visit.session

    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None and window.session is not None
    real = ui.visit.session.save_changes
    calls = {"n": 0}

    def locked_once(db, changes):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise DatabaseError(
                "The database is busy in another program; close it there and try again."
            )
        return real(db, changes)

    monkeypatch.setattr(ui.visit.session, "save_changes", locked_once)
    qtbot.keyClicks(editor.report.summary, "Nothing lost")
    assert window.session.flush() is False
    assert window.saved_label.text() == "Not saved — retrying"
    assert window.session.has_unsaved()
    assert window.session.flush() is True
    with demo_db.reading() as s:
        assert visit_detail(s, window.session.visit_id).summary == "Nothing lost"


KILL_SCRIPT = r"""
import os, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
from nexus_review.storage.database import open_database
from ui.app import make_application
from ui.main_window import MainWindow
app = make_application()
db = open_database({db!r})
win = MainWindow(db)
win.show()
editor = win.open_visit({visit!r})
editor.tabs.setCurrentWidget(editor.report)
QTest.keyClicks(editor.report.summary, "Typed moments before the battery died")
deadline = time.monotonic() + 2.5
while time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
print("typed", flush=True)
time.sleep(60)
"""


def test_killing_the_program_after_autosave_loses_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    visit_id = new_visit(demo_db)
    path = demo_db.path
    demo_db.close()
    script = tmp_path / "typist.py"
    script.write_text(
        KILL_SCRIPT.format(root=str(ROOT), db=str(path), visit=visit_id), encoding="utf-8"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data"),
    }
    with subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stderr is not None
            line = proc.stdout.readline()
            if line.strip() != "typed":
                proc.kill()
                pytest.fail(proc.stderr.read())
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    db = open_database(path)
    try:
        with db.reading() as s:
            assert visit_detail(s, visit_id).summary == "Typed moments before the battery died"
    finally:
        db.close()
