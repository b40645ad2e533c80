"""The reviewer's workspace, driven as a visiting head would drive it (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from nexus_review.demo import demo_years
from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Evidence
from nexus_review.storage.repository import (
    list_reviewers,
    list_schools,
    visit_detail,
    visit_summaries,
)
from nexus_review.usecases.editing import create_visit
from tests.ui.answering import answering, click
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.visit.drop_in_model import DropInTableModel
from ui.visit.judgement_model import JudgementTableModel
from ui.visit.models import ActionTableModel, EvidenceListModel
from ui.visit.session import VisitSession

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.show()
    return win


def _new_visit(db: Database, framework: str = "ofsted-2025") -> str:
    with db.reading() as s:
        school = next(sc for sc in list_schools(s) if sc.name == "Blackhorse Primary")
        lead = next(r for r in list_reviewers(s) if r.name == "Mrs Helen Ashworth")
    return create_visit(
        db,
        host_school_id=school.id,
        visit_date=dt.date(2026, 11, 24),
        kind="evaluation-day",
        framework_key=framework,
        team=[lead.id],
        lead_id=lead.id,
        focus_areas=["Oracy"],
    )


def _wait_saved(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert win.session is not None
    qtbot.waitUntil(lambda: not win.session.has_unsaved(), timeout=4000)


def test_a_whole_visit_typed_at_the_keyboard_survives_closing_and_reopening(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db)
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


def test_edits_are_saved_within_a_second_of_the_last_keystroke(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(_new_visit(demo_db))
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
    editor = window.open_visit(_new_visit(demo_db))
    assert editor is not None
    qtbot.keyClicks(editor.report.summary, "Saved by hand")
    assert window.session is not None and window.session.has_unsaved()
    window.save_action.trigger()
    assert not window.session.has_unsaved()
    with demo_db.reading() as s:
        assert visit_detail(s, window.session.visit_id).summary == "Saved by hand"


def test_undo_and_redo_an_edit_and_a_delete(qtbot, window: MainWindow, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.domain.enums import EvidenceKind

    editor = window.open_visit(_new_visit(demo_db))
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


def test_a_failed_save_keeps_the_typing_and_saves_it_later(
    qtbot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import ui.visit.session

    editor = window.open_visit(_new_visit(demo_db))
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


def test_developmental_framework_shows_no_grades(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(_new_visit(demo_db, framework="developmental"))
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


def test_visit_list_filters_and_searches_notes(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    page = window.visits
    assert page.proxy.rowCount() == 75
    kind = page.kind.findData("learning-walk")
    page.kind.setCurrentIndex(kind)
    page.apply_filters()
    assert 0 < page.proxy.rowCount() < 75
    assert all(
        page.model.visit(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).kind
        == "learning-walk"
        for r in range(page.proxy.rowCount())
    )
    page.kind.setCurrentIndex(0)
    first_year = demo_years()[0]
    page.year.setCurrentIndex(page.year.findData(first_year))
    page.apply_filters()
    assert page.proxy.rowCount() == sum(
        1
        for r in range(75)
        if page.model.visit(r).visit_date <= academic_year_bounds(first_year)[1]
    )
    page.year.setCurrentIndex(0)
    with demo_db.transaction() as s:
        s.get(
            Evidence, next(iter(s.scalars(__import__("sqlalchemy").select(Evidence.id).limit(1))))
        ).notes = "A zebra crossing in the playground"
    window.find_action.trigger()
    qtbot.keyClicks(page.search, "ZEBRA")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert page.count.text() == "1 of 75 visits"
    page.search.clear()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 75, timeout=2000)


def test_window_geometry_and_splitters_are_remembered(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    win.resize(760, 540)
    qtbot.waitUntil(lambda: win.splitter.width() > 700)
    room = win.splitter.width() - win.splitter.handleWidth() - win.stack.minimumSizeHint().width()
    nav = min(150, room)
    assert nav >= 125  # the views fit beside the navigation pane on a small screen
    win.splitter.setSizes([nav, 760 - nav])
    assert win.splitter.sizes()[0] == nav
    win.close()
    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    again.show()
    assert (again.size().width(), again.size().height()) == (760, 540)
    assert again.splitter.sizes()[0] == nav


def test_report_export_from_the_window_reads_back(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.selftest import read_document_text

    with demo_db.reading() as s:
        visit = next(v for v in visit_summaries(s) if v.kind == "evaluation-day")
    window.open_visit(visit.id)
    target = tmp_path / "feedback.docx"
    with answering(tmp_path, save_as=[target]):
        window.export_word_action.trigger()
    assert window.context.last_export == target
    assert visit.host_school_name in read_document_text(target)
    assert window.settings.get("export/folder") == str(tmp_path)  # remembered for next time
    from ui import errors

    with answering(tmp_path, save_as=[tmp_path / "missing" / "f.pdf"]):
        window.export_pdf_action.trigger()
    # The failure is shown as one sentence, not raised.
    assert errors.shown[-1].endswith("does not exist; choose another place to save.")
    assert not (tmp_path / "missing").exists()


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


def test_settings_dialog_keeps_the_choices(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import SettingsDialog

    with window.db.reading() as s:
        schools = list_schools(s)
    dialog = SettingsDialog(window.settings, schools, window)
    qtbot.addWidget(dialog)
    dialog.name.setText("Mrs A. Reviewer")
    dialog.autosave.setValue(3)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.framework.setCurrentIndex(dialog.framework.findData("eif-2019"))
    dialog.apply()
    fresh = Settings()
    assert fresh.get("reviewer/name") == "Mrs A. Reviewer"
    assert fresh.get("editing/autosave_ms") == 3000
    assert fresh.get("appearance/theme") == "dark"
    assert fresh.get("visits/default_framework") == "eif-2019"


def test_first_run_records_who_the_reviewer_is(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.app import remember_identity

    settings = Settings()
    remember_identity(db, settings, "Mr New Head", "Emersons Green Primary", "", demo=True)
    assert settings.get("program/first_run_done") is True
    with db.reading() as s:
        me = next(r for r in list_reviewers(s) if r.id == settings.get("reviewer/id"))
        assert len(visit_summaries(s)) == 75
    assert me.name == "Mr New Head" and me.home_school_name == "Emersons Green Primary"


def test_the_welcome_is_shown_once_the_next_start_reads_it_back(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    """The first-run answers are read back by a new start of the program (a new process)."""
    from ui.app import remember_identity

    remember_identity(db, Settings(), "Mrs Second Start", "", "", demo=False)
    code = "from ui.settings import Settings; print(Settings().get('program/first_run_done'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "True"


def test_first_run_dialog_asks_name_school_and_database(qtbot) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.domain.records import SchoolItem
    from ui.dialogs import FirstRunDialog

    dialog = FirstRunDialog([SchoolItem("s1", "Staple Hill", "", "", "", "")])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Mr G. Price")
    dialog.school.setCurrentIndex(1)
    assert dialog.school_id() == "s1" and dialog.school_name() == "Staple Hill"
    assert dialog.database_path() == ""
    dialog.other.setChecked(True)
    dialog.path.setText("/tmp/elsewhere.db")
    assert dialog.database_path() == "/tmp/elsewhere.db"
    assert isinstance(dialog.school, QComboBox)


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
    visit_id = _new_visit(demo_db)
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


def test_retention_from_the_settings_page(qtbot, window: MainWindow, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from ui.dialogs import SettingsDialog

    with demo_db.reading() as s:
        before = len(visit_summaries(s))
    used: list[SettingsDialog] = []

    def delete_old(dialog) -> bool:  # type: ignore[no-untyped-def]
        if not isinstance(dialog, SettingsDialog) or used:
            return False
        used.append(dialog)
        assert dialog.retention_button.isVisibleTo(dialog)
        dialog.retention_years.setValue(1)
        QTimer.singleShot(0, lambda: click(dialog.retention_button))
        return True

    with answering(Path(".")) as answerer:
        answerer.fill = delete_old
        window.settings_action.trigger()
    assert any(
        seen.text.startswith("Delete ") and "visits from before" in seen.text
        for seen in answerer.seen
    )
    deleted = before - window.visits.model.rowCount()
    assert deleted > 0
    with demo_db.reading() as s:
        assert len(visit_summaries(s)) == before - deleted


def test_ctrl_z_in_a_note_undoes_on_the_visits_history(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(_new_visit(demo_db))
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


def test_first_run_asks_then_opens_the_chosen_database(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui import app as app_module
    from ui.dialogs import FirstRunDialog

    def answer(dialog: FirstRunDialog) -> int:
        dialog.name.setText("Mrs Helen Ashworth")
        dialog.demo.setChecked(True)
        dialog.other.setChecked(True)
        dialog.path.setText(str(tmp_path / "chosen.db"))
        return FirstRunDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    settings = Settings()
    db = app_module.first_run(settings, None)
    assert db is not None
    try:
        assert db.path == tmp_path / "chosen.db"
        assert settings.get("database/path") == str(tmp_path / "chosen.db")
        assert settings.get("program/first_run_done") is True
        with db.reading() as s:
            assert len(visit_summaries(s)) == 75
            me = next(r for r in list_reviewers(s) if r.id == settings.get("reviewer/id"))
        assert me.name == "Mrs Helen Ashworth"
    finally:
        db.close()


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
