"""Own views of look-fors on a learning walk: each reviewer in a classroom records what they
saw of each look-for (seen, partly seen, not seen) before the team agrees; the others' stay
hidden until then; the lead sees them all. Driven as a reviewer drives the program."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from tests.ui.answering import DialogAnswerer
from tests.ui.planned_visit import visit_of_two
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.visit.editor import VisitEditor

LOOK_FORS = ("Talk partners used", "Working walls referred to")


def _open(qtbot, db: Database, visit: str, me: str) -> tuple[MainWindow, VisitEditor]:  # type: ignore[no-untyped-def]
    settings = Settings()
    settings.set("reviewer/id", me)
    win = MainWindow(db, settings)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.resize(1200, 900)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    editor = win.open_visit(visit)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.evidence)
    return win, editor


def _walk_typed(qtbot, editor: VisitEditor, class_name: str) -> None:  # type: ignore[no-untyped-def]
    """Add a learning walk with Ctrl+2, type its look-fors and its first classroom."""
    page = editor.evidence
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    form = page.form
    assert QApplication.focusWidget() is form.look_fors
    qtbot.keyClicks(form.look_fors, LOOK_FORS[0])
    qtbot.keyClick(form.look_fors, Qt.Key.Key_Return)
    qtbot.keyClicks(form.look_fors, LOOK_FORS[1])
    qtbot.mouseClick(form.add_drop_in_button, Qt.MouseButton.LeftButton)
    editor_box = QApplication.focusWidget()
    assert editor_box is not None
    qtbot.keyClicks(editor_box, class_name)
    qtbot.keyClick(editor_box, Qt.Key.Key_Tab)


def _choose(qtbot, combo, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open a combo box by clicking it and pick an entry with the keyboard, as a person does."""
    combo.setFocus()
    target = combo.findText(label)
    assert target >= 0
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)


def test_a_reviewer_records_their_own_view_of_each_look_for(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    visit, _lead, second = visit_of_two(demo_db, kind="learning-walk", focus_areas=())
    answerer = DialogAnswerer(tmp_path)
    try:
        _win, editor = _open(qtbot, demo_db, visit, second)
        _walk_typed(qtbot, editor, "Class 4")
        box = editor.evidence.form.own_look_fors
        qtbot.waitUntil(lambda: box.isVisible() and list(box.combos) == list(LOOK_FORS))
        assert "in Class 4" in box.status.text()
        with qtbot.waitSignal(box.own_grade_saved, timeout=3000):
            _choose(qtbot, box.combos[LOOK_FORS[0]], "Seen")
        _choose(qtbot, box.combos[LOOK_FORS[1]], "Partly seen")
        assert box.combos[LOOK_FORS[1]].currentText() == "Partly seen"
    finally:
        answerer.stop()
    assert not answerer.seen  # no error, no crash dialog
    grades = visit_own_grades(demo_db, visit, second)
    mine = sorted((g.look_for, g.grade, g.area_key) for g in grades.shown)
    assert mine == [(LOOK_FORS[0], "seen", ""), (LOOK_FORS[1], "partly", "")]
    (drop_in,) = {g.drop_in_id for g in grades.shown}
    # The table of what the team agreed is untouched.
    session = editor.evidence.form.session
    assert session.value("drop_in", drop_in, "look_for_results") == {}
    # Choosing "no view of my own" again clears it.
    with qtbot.waitSignal(box.own_grade_saved, timeout=3000):
        _choose(qtbot, box.combos[LOOK_FORS[1]], "No view of my own yet")
    after = visit_own_grades(demo_db, visit, second).shown
    assert sorted((g.look_for, g.grade) for g in after) == [
        (LOOK_FORS[0], "seen"),
        (LOOK_FORS[1], None),
    ]


def test_the_others_views_stay_hidden_until_you_give_yours(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db, kind="learning-walk", focus_areas=())
    _win, editor = _open(qtbot, demo_db, visit, lead)
    _walk_typed(qtbot, editor, "Class 2")
    box = editor.evidence.form.own_look_fors
    qtbot.waitUntil(lambda: list(box.combos) == list(LOOK_FORS))
    with qtbot.waitSignal(box.own_grade_saved, timeout=3000):
        _choose(qtbot, box.combos[LOOK_FORS[0]], "Not seen")
    drop_in = box.drop_in_id
    assert drop_in is not None
    assert _win.close_visit()
    record_own_grade(
        demo_db, visit, second, grade="seen", drop_in_id=drop_in, look_for=LOOK_FORS[1]
    )

    # The second reviewer has given no view of the first look-for: the lead's stays hidden.
    _win2, editor2 = _open(qtbot, demo_db, visit, second)
    form = editor2.evidence.form
    page = editor2.evidence
    walk_row = page.model.row_of(form.evidence_id or "")
    assert walk_row >= 0
    table = form.drop_ins
    rect = table.visualRect(form.drop_in_model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    box2 = form.own_look_fors
    qtbot.waitUntil(lambda: box2.isVisible() and box2.drop_in_id == drop_in)
    first = box2.others[LOOK_FORS[0]].text()
    assert "1 other reviewer's view stays hidden until you give yours" in first
    assert "Not seen" not in first
    assert box2.combos[LOOK_FORS[1]].currentText() == "Seen"  # their own, shown as theirs
    with qtbot.waitSignal(box2.own_grade_saved, timeout=3000):
        _choose(qtbot, box2.combos[LOOK_FORS[0]], "Partly seen")
    revealed = box2.others[LOOK_FORS[0]].text()
    assert "(lead)</b>: Not seen" in revealed and "hidden" not in revealed
    if os.environ.get("NEXUS_SHOTS"):
        qtbot.wait(100)
        form.walk_box.grab().save(str(Path(os.environ["NEXUS_SHOTS"]) / "look-for-own-views.png"))
        page.form_page.ensureWidgetVisible(box2)
        qtbot.wait(50)
        _win2.grab().save(str(Path(os.environ["NEXUS_SHOTS"]) / "look-for-own-views-window.png"))

    # The lead sees the second reviewer's view of the look-for the lead has not given.
    assert _win2.close_visit()
    _win3, editor3 = _open(qtbot, demo_db, visit, lead)
    form3 = editor3.evidence.form
    table3 = form3.drop_ins
    rect3 = table3.visualRect(form3.drop_in_model.index(0, 0))
    qtbot.mouseClick(table3.viewport(), Qt.MouseButton.LeftButton, pos=rect3.center())
    box3 = form3.own_look_fors
    qtbot.waitUntil(lambda: box3.drop_in_id == drop_in)
    assert ": Seen" in box3.others[LOOK_FORS[1]].text()
    assert box3.combos[LOOK_FORS[1]].currentText() == "No view of my own yet"


def test_someone_not_on_the_team_gives_no_view(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db, kind="learning-walk", focus_areas=())
    with demo_db.reading() as s:
        outsider = next(r.id for r in list_reviewers(s) if r.id not in (lead, second))
    _win, editor = _open(qtbot, demo_db, visit, outsider)
    _walk_typed(qtbot, editor, "Class 1")
    box = editor.evidence.form.own_look_fors
    qtbot.waitUntil(lambda: list(box.combos) == list(LOOK_FORS))
    assert not box.combos[LOOK_FORS[0]].isEnabled()
    assert "not on this visit's review team" in box.status.text()


def test_a_look_for_too_long_for_a_view_of_your_own_says_so(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, _lead, second = visit_of_two(demo_db, kind="learning-walk", focus_areas=())
    _win, editor = _open(qtbot, demo_db, visit, second)
    _walk_typed(qtbot, editor, "Class 3")
    form = editor.evidence.form
    long = "Pupils use the sentence stems on the working wall " * 5
    form.look_fors.setFocus()
    qtbot.keyClick(form.look_fors, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(form.look_fors, Qt.Key.Key_Return)
    qtbot.keyClicks(form.look_fors, long.strip())
    box = form.own_look_fors
    qtbot.waitUntil(lambda: len(box.combos) == 3)
    combo = box.combos[long.strip()]
    assert not combo.isEnabled() and box.combos[LOOK_FORS[0]].isEnabled()
    assert "Too long for a view of your own" in box.others[long.strip()].text()


def test_the_view_follows_the_classroom_and_goes_with_it(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, _lead, second = visit_of_two(demo_db, kind="learning-walk", focus_areas=())
    _win, editor = _open(qtbot, demo_db, visit, second)
    _walk_typed(qtbot, editor, "Class 5")
    form = editor.evidence.form
    box = form.own_look_fors
    first = box.drop_in_id
    qtbot.mouseClick(form.add_drop_in_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(QApplication.focusWidget(), "Class 6")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: box.drop_in_id not in (None, first))
    assert "in Class 6" in box.status.text()
    table = form.drop_ins
    rect = table.visualRect(form.drop_in_model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: box.drop_in_id == first)
    assert "in Class 5" in box.status.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.mouseClick(form.delete_drop_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert form.drop_in_model.rowCount() == 1
