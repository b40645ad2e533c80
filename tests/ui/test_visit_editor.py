"""The visit editor, driven as a visiting head would drive it (pytest-qt, offscreen): a whole
visit typed at the keyboard and read back after the program is closed, the grades shown only
for a framework that has them, the editor's table and list models, and a visit planned in the
new-visit dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.repository import visit_detail, visit_summaries
from tests.ui.answering import answering, click
from tests.ui.planned_visit import new_visit
from ui.main_window import MainWindow
from ui.visit.drop_in_model import DropInTableModel
from ui.visit.judgement_model import JudgementTableModel
from ui.visit.models import ActionTableModel, EvidenceListModel
from ui.visit.session import VisitSession


def _wait_saved(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert win.session is not None
    qtbot.waitUntil(lambda: not win.session.has_unsaved(), timeout=4000)


def test_a_whole_visit_typed_at_the_keyboard_survives_closing_and_reopening(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    visit_id = new_visit(demo_db)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    editor = win.open_visit(visit_id)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.evidence)
    page = editor.evidence
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    page.list.setFocus()

    # A lesson observation, with the keyboard: Ctrl+1, then type.
    qtbot.keyClick(page.list, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    form = page.form
    assert form.evidence_id is not None
    assert QApplication.focusWidget() is form.class_name
    qtbot.keyClicks(form.class_name, "Oak class")
    form.year_group.setCurrentText("Year 2")
    qtbot.keyClicks(form.subject, "Phonics")
    qtbot.keyClicks(form.staff, "Mrs J. Patel")
    qtbot.keyClicks(form.notes, "Pupils blended sounds with confidence.")
    qtbot.keyClicks(form.strengths, "Precise modelling")
    lesson_id = form.evidence_id

    # A learning walk of three drop-ins: Ctrl+2, look-fors, then Ctrl+D, the class, Tab, three times.
    qtbot.keyClick(form.notes, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    walk_id = form.evidence_id
    assert walk_id != lesson_id
    qtbot.keyClicks(form.look_fors, "Talk partners used")
    for n in range(3):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
        )
        editor_widget = QApplication.focusWidget()
        qtbot.keyClicks(editor_widget, f"Class {n + 1}")
        qtbot.keyClick(editor_widget, Qt.Key.Key_Tab)
    model = form.drop_in_model
    assert model.rowCount() == 3
    assert [model.index(r, 0).data() for r in range(3)] == ["Class 1", "Class 2", "Class 3"]
    model.setData(model.index(0, 3), "seen")
    assert model.index(0, 3).data() == "Seen"

    # Judgements: grade two areas and link evidence.
    editor.tabs.setCurrentWidget(editor.judgements)
    jm = editor.judgements.model
    jm.setData(jm.index(1, JudgementTableModel.SELF), "expected-standard")
    jm.setData(jm.index(1, JudgementTableModel.PEER), "strong-standard")
    jm.setData(jm.index(0, JudgementTableModel.PEER), "expected-standard")
    assert jm.index(1, JudgementTableModel.AGREEMENT).data() == "▲ Peer higher"
    editor.judgements.table.selectRow(1)

    def tick_both(dialog):  # type: ignore[no-untyped-def]
        for i in range(dialog.list.count()):
            item = dialog.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in (lesson_id, walk_id):
                item.setCheckState(Qt.CheckState.Checked)

    with answering(tmp_path) as answerer:
        answerer.fill = tick_both
        click(editor.judgements.link_button)
    win.activateWindow()  # back from the dialog
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClicks(editor.judgements.rationale, "Phonics teaching is consistently strong.")

    # The report draft and a next step.
    editor.tabs.setCurrentWidget(editor.report)
    report = editor.report
    qtbot.keyClicks(report.summary, "A school where talk is at the heart of learning.")
    qtbot.keyClicks(report.questions, "How will you know oracy has improved?")
    report.add_action()
    qtbot.keyClicks(QApplication.focusWidget(), "Share the oracy look-fors with governors")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    _wait_saved(qtbot, win)
    assert win.saved_label.text().startswith("Saved ")

    win.close()
    demo_db.close()

    reopened = open_database(demo_db.path)
    try:
        with reopened.reading() as s:
            visit = visit_detail(s, visit_id)
        lesson = next(e for e in visit.evidence if e.id == lesson_id)
        assert (
            lesson.kind,
            lesson.class_name,
            lesson.year_group,
            lesson.subject,
            lesson.staff,
        ) == ("lesson-observation", "Oak class", "Year 2", "Phonics", "Mrs J. Patel")
        assert lesson.notes == "Pupils blended sounds with confidence."
        assert lesson.strengths == "Precise modelling"
        walk = next(e for e in visit.evidence if e.id == walk_id)
        assert walk.look_fors == ("Talk partners used",)
        assert [d.class_name for d in walk.drop_ins] == ["Class 1", "Class 2", "Class 3"]
        assert walk.drop_ins[0].look_for_results == {"Talk partners used": "seen"}
        teaching = visit.judgement("curriculum-and-teaching")
        assert teaching is not None
        assert (teaching.self_grade, teaching.peer_grade) == (
            "expected-standard",
            "strong-standard",
        )
        assert set(teaching.evidence_ids) == {lesson_id, walk_id}
        assert teaching.rationale == "Phonics teaching is consistently strong."
        assert visit.judgement("inclusion").peer_grade == "expected-standard"  # type: ignore[union-attr]
        assert visit.summary == "A school where talk is at the heart of learning."
        assert visit.questions == "How will you know oracy has improved?"
        assert [a.description for a in visit.actions] == [
            "Share the oracy look-fors with governors"
        ]
        assert visit.status == "in-progress"  # the first evidence started the visit

        # And the program shows it all again.
        win2 = MainWindow(reopened)
        qtbot.addWidget(win2)
        editor2 = win2.open_visit(visit_id)
        assert editor2 is not None
        titles = [
            editor2.evidence.model.index(r).data() for r in range(editor2.evidence.model.rowCount())
        ]
        assert any("Lesson observation – Year 2, Oak class, Phonics" in t for t in titles)
        assert (
            editor2.report.summary.toPlainText()
            == "A school where talk is at the heart of learning."
        )
        win2.close()
    finally:
        reopened.close()


def test_developmental_framework_shows_no_grades(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db, framework="developmental"))
    assert editor is not None
    table = editor.judgements.table
    for col in (JudgementTableModel.SELF, JudgementTableModel.PEER, JudgementTableModel.AGREEMENT):
        assert table.isColumnHidden(col)
    assert not table.isColumnHidden(JudgementTableModel.RATIONALE)
    ofsted = next(
        i
        for i in range(editor.plan.framework.count())
        if editor.plan.framework.itemData(i) == "ofsted-2025"
    )
    editor.plan.framework.setCurrentIndex(ofsted)
    editor.plan.framework.activated.emit(ofsted)
    assert not table.isColumnHidden(JudgementTableModel.PEER)


def test_every_custom_model_passes_the_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.frameworks import get_framework

    with demo_db.reading() as s:
        rows = visit_summaries(s)
    days = [
        v
        for v in rows
        if v.kind == "evaluation-day" and v.framework_key == "ofsted-2025" and v.status != "planned"
    ]
    # An evaluation day with a learning walk (some look at the school's data instead).
    session = next(
        s
        for s in (VisitSession(demo_db, v.id) for v in days)
        if any(r["kind"] == "learning-walk" for r in s.rows("evidence"))
    )
    qtmodeltester.check(EvidenceListModel(session))
    walk = next(r for r in session.rows("evidence") if r["kind"] == "learning-walk")
    qtmodeltester.check(DropInTableModel(session, walk["id"]))
    qtmodeltester.check(JudgementTableModel(session, get_framework("ofsted-2025")))
    qtmodeltester.check(ActionTableModel(session))


def test_new_visit_dialog_plans_a_visit_with_its_lead(
    qtbot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import NewVisitDialog

    def answer(dialog: NewVisitDialog) -> int:
        dialog.school.setCurrentIndex(dialog.school.findText("Staple Hill"))
        dialog.kind.setCurrentIndex(dialog.kind.findData("learning-walk"))
        dialog.lead.setCurrentIndex(dialog.lead.findText("Mr Gareth Price"))
        return NewVisitDialog.DialogCode.Accepted

    monkeypatch.setattr(NewVisitDialog, "exec", answer)
    window.new_visit_action.trigger()
    assert window.session is not None
    visit = window.session.visit
    assert visit["kind"] == "learning-walk" and visit["status"] == "planned"
    with demo_db.reading() as s:
        detail = visit_detail(s, window.session.visit_id)
    assert detail.host_school.name == "Staple Hill"
    assert [(m.name, m.is_lead) for m in detail.team] == [("Mr Gareth Price", True)]
    assert window.visits.model.rowCount() == 76
