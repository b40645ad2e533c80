"""Undo and redo in the visit editor: an edit and a delete undone and redone, and Ctrl+Z in a
note undoing on the visit's own history."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nexus_review.storage.database import Database
from nexus_review.storage.models import Evidence
from nexus_review.storage.repository import visit_detail
from tests.ui.planned_visit import new_visit
from ui.main_window import MainWindow


def test_undo_and_redo_an_edit_and_a_delete(qtbot, window: MainWindow, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.domain.enums import EvidenceKind

    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None and window.session is not None
    page = editor.evidence
    first = page.add_evidence(EvidenceKind.WORK_SCRUTINY)
    qtbot.keyClicks(page.form.notes, "Books show progress")
    second = page.add_evidence(EvidenceKind.PUPIL_VOICE)
    assert page.model.rowCount() == 2

    page.select(first)
    page.delete_selected()
    assert page.model.rowCount() == 1
    window.session.flush()
    with demo_db.reading() as s:
        assert s.get(Evidence, first).deleted is True  # a tombstone, not a hard delete
        assert [e.id for e in visit_detail(s, window.session.visit_id).evidence] == [second]

    window.undo_action.trigger()  # the delete
    assert page.model.rowCount() == 2
    window.session.flush()
    with demo_db.reading() as s:
        assert s.get(Evidence, first).deleted is False
    window.redo_action.trigger()
    assert page.model.rowCount() == 1
    window.undo_action.trigger()

    page.select(first)
    assert page.form.notes.toPlainText() == "Books show progress"
    window.undo_action.trigger()  # the adding of the second evidence
    window.undo_action.trigger()  # the typing, merged into one step
    assert page.form.notes.toPlainText() == ""
    window.redo_action.trigger()
    assert page.form.notes.toPlainText() == "Books show progress"
    window.session.flush()
    with demo_db.reading() as s:
        assert s.get(Evidence, first).notes == "Books show progress"


def test_ctrl_z_in_a_note_undoes_on_the_visits_history(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.report)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    box = editor.report.questions
    box.setFocus()
    qtbot.keyClicks(box, "What will you stop doing?")
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == ""
    qtbot.keyClick(
        box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert box.toPlainText() == "What will you stop doing?"
