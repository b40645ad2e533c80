"""Own grades on the Judgements page: each reviewer gives their own grade before the team
agrees; the others' stay hidden until then; the lead sees them all side by side. Driven as a
reviewer drives the program (pytest-qt, offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers, list_schools
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from tests.ui.planned_visit import visit_of_two
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.visit.editor import VisitEditor


def _open(qtbot, db: Database, visit: str, me: str) -> tuple[MainWindow, VisitEditor]:  # type: ignore[no-untyped-def]
    settings = Settings()
    settings.set("reviewer/id", me)
    win = MainWindow(db, settings)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.resize(1200, 900)
    win.show()
    editor = win.open_visit(visit)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.judgements)
    table = editor.judgements.table
    rect = table.visualRect(table.model().index(1, 0))  # Curriculum and teaching
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return win, editor


def _grade_curriculum(
    db: Database, visit: str, reviewer: str, grade: str, reason: str = ""
) -> None:
    """The reviewer's own grade, and why, for Curriculum and teaching."""
    record_own_grade(
        db, visit, reviewer, area_key="curriculum-and-teaching", grade=grade, reason=reason
    )


def test_a_reviewer_sees_the_others_grade_only_after_giving_their_own(
    qtbot, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db)
    _grade_curriculum(demo_db, visit, lead, "strong-standard", "Sequenced well")
    _win, editor = _open(qtbot, demo_db, visit, second)
    panel = editor.judgements.own_grades
    assert panel.isVisible() and panel.area_key == "curriculum-and-teaching"
    assert "1 other reviewer's own grade stays hidden until you give yours" in panel.others.text()
    assert "Sequenced well" not in panel.others.text()
    panel.grade.setFocus()
    with qtbot.waitSignal(panel.own_grade_saved, timeout=3000):
        qtbot.keyClick(panel.grade, Qt.Key.Key_Down)  # "Exceptional"
    with qtbot.waitSignal(panel.own_grade_saved, timeout=3000):
        qtbot.keyClick(panel.grade, Qt.Key.Key_Down)  # "Strong standard"
    qtbot.mouseClick(panel.reason, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.reason, "Strong in phonics and maths")
    with qtbot.waitSignal(panel.own_grade_saved, timeout=3000):
        qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    text = panel.others.text()
    assert (
        "Sequenced well" in text
        and "<b>You</b>: Strong standard — Strong in phonics and maths" in text
    )
    grades = visit_own_grades(demo_db, visit, lead).of("curriculum-and-teaching")
    assert sorted((g.reviewer_id, g.grade, g.reason) for g in grades) == sorted(
        [
            (lead, "strong-standard", "Sequenced well"),
            (second, "strong-standard", "Strong in phonics and maths"),
        ]
    )
    # The agreed judgement is the team's, still not set.
    model = editor.judgements.model
    assert model.judgement_for("curriculum-and-teaching") is None
    if os.environ.get("NEXUS_SHOTS"):
        editor.judgements.grab().save(
            str(Path(os.environ["NEXUS_SHOTS"]) / "judgements-own-grades.png")
        )


def test_the_lead_sees_every_own_grade_side_by_side(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db)
    _grade_curriculum(demo_db, visit, second, "expected-standard", "Not yet in Year 6")
    _win, editor = _open(qtbot, demo_db, visit, lead)
    panel = editor.judgements.own_grades
    assert "Expected standard — Not yet in Year 6" in panel.others.text()
    assert "hidden" not in panel.others.text()


def test_with_the_setting_off_the_others_show_at_once(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db)
    _grade_curriculum(demo_db, visit, lead, "strong-standard")
    Settings().set("consistency/hide_until_own", False)
    _win, editor = _open(qtbot, demo_db, visit, second)
    assert "Strong standard" in editor.judgements.own_grades.others.text()


def test_someone_not_on_the_team_gives_no_own_grade(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    visit, lead, second = visit_of_two(demo_db)
    with demo_db.reading() as s:
        outsider = next(r.id for r in list_reviewers(s) if r.id not in (lead, second))
    _win, editor = _open(qtbot, demo_db, visit, outsider)
    panel = editor.judgements.own_grades
    assert not panel.grade.isEnabled()
    assert "not on this visit's review team" in panel.status.text()


def test_the_setting_is_turned_off_in_the_settings_dialog(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import SettingsDialog

    visit, lead, second = visit_of_two(demo_db)
    _grade_curriculum(demo_db, visit, lead, "strong-standard")
    with demo_db.reading() as s:
        schools = list_schools(s)
    settings = Settings()
    dialog = SettingsDialog(settings, schools)
    qtbot.addWidget(dialog)
    assert dialog.hide_until_own.isChecked()
    qtbot.mouseClick(
        dialog.hide_until_own, Qt.MouseButton.LeftButton, pos=dialog.hide_until_own.rect().center()
    )
    assert not dialog.hide_until_own.isChecked()
    dialog.apply()
    assert Settings().get("consistency/hide_until_own") is False
    _win, editor = _open(qtbot, demo_db, visit, second)
    assert "Strong standard" in editor.judgements.own_grades.others.text()
