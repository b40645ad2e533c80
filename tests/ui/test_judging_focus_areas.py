"""Judging what was agreed: the Judgements page lists the areas that apply to the host school
and then the visit's agreed focus areas; grading single lessons waits for the network to
switch it on. Driven as a reviewer drives the program (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QToolButton

from nexus_review.domain.enums import EvidenceKind
from nexus_review.frameworks import focus_key
from nexus_review.storage.database import Database
from nexus_review.storage.models import Evidence, Judgement
from nexus_review.storage.repository import list_reviewers, list_schools, visit_detail
from nexus_review.usecases.editing import create_visit
from nexus_review.usecases.network import lesson_grading_enabled
from tests.ui.answering import answering, click
from ui.main_window import MainWindow
from ui.visit.editor import VisitEditor
from ui.visit.judgement_model import JudgementTableModel


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    return win


def _new_visit(
    db: Database,
    school: str = "Blackhorse Primary",
    framework: str = "ofsted-2025",
    focus: tuple[str, ...] = ("Oracy",),
) -> str:
    with db.reading() as s:
        host = next(sc for sc in list_schools(s) if sc.name == school)
        lead = next(r for r in list_reviewers(s) if r.home_school_id != host.id)
    return create_visit(
        db,
        host_school_id=host.id,
        visit_date=dt.date(2026, 11, 24),
        kind="evaluation-day",
        framework_key=framework,
        team=[lead.id],
        lead_id=lead.id,
        focus_areas=list(focus),
    )


def _rows(model: JudgementTableModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _click_row(qtbot, editor: VisitEditor, row: int) -> None:  # type: ignore[no-untyped-def]
    table = editor.judgements.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _wait_saved(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert win.session is not None
    qtbot.waitUntil(lambda: not win.session.has_unsaved(), timeout=4000)


def test_a_primary_school_is_judged_on_early_years_not_sixth_form_then_on_its_focus_areas(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db, focus=("Oracy", "Reading for pleasure"))
    editor = window.open_visit(visit_id)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.judgements)
    model = editor.judgements.model
    assert _rows(model) == [
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Attendance and behaviour",
        "Personal development and well-being",
        "Leadership and governance",
        "Early years",
        "Safeguarding",
        "Focus area: Oracy",
        "Focus area: Reading for pleasure",
    ]
    oracy = _rows(model).index("Focus area: Oracy")
    # A focus area is graded on the framework's own scale, as any area is.
    choices = model.index(oracy, JudgementTableModel.PEER).data(Qt.ItemDataRole.UserRole + 2)
    assert [label for _key, label in choices][1:] == [
        "Exceptional",
        "Strong standard",
        "Expected standard",
        "Needs attention",
        "Urgent improvement",
    ]
    model.setData(model.index(oracy, JudgementTableModel.SELF), "strong-standard")
    model.setData(model.index(oracy, JudgementTableModel.PEER), "expected-standard")
    assert model.index(oracy, JudgementTableModel.AGREEMENT).data() == "▼ Peer lower"
    _click_row(qtbot, editor, oracy)
    assert editor.judgements.area_label.text() == "Oracy"
    editor.judgements.rationale.setFocus()
    qtbot.keyClicks(editor.judgements.rationale, "Talk partners were used well in every class.")
    _wait_saved(qtbot, window)
    with demo_db.reading() as s:
        j = visit_detail(s, visit_id).judgement(focus_key("Oracy"))
    assert j is not None
    assert (j.self_grade, j.peer_grade, j.rationale) == (
        "strong-standard",
        "expected-standard",
        "Talk partners were used well in every class.",
    )

    # A focus area agreed on the Plan page is at once a row to judge, there and on the Plan's
    # self-evaluation table; the row being judged stays chosen.
    editor.tabs.setCurrentWidget(editor.plan)
    editor.plan.focus.setFocus()
    editor.plan.focus.moveCursor(editor.plan.focus.textCursor().MoveOperation.End)
    qtbot.keyClick(editor.plan.focus, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.plan.focus, "Writing")
    assert _rows(model)[-1] == "Focus area: Writing"
    assert _rows(editor.plan.self_model)[-1] == "Focus area: Writing"
    assert editor.judgements.current_area() == focus_key("Oracy")
    editor.tabs.setCurrentWidget(editor.judgements)
    qtbot.waitExposed(editor.judgements.table)
    if os.environ.get("NEXUS_SCREENSHOT_DIR"):  # for a person to look at the page
        editor.grab().save(str(Path(os.environ["NEXUS_SCREENSHOT_DIR"]) / "judgements.png"))


def test_a_junior_school_has_no_early_years_row_unless_it_was_judged(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db, school="Bromley Heath Junior")
    editor = window.open_visit(visit_id)
    assert editor is not None
    rows = _rows(editor.judgements.model)
    assert "Early years" not in rows and "Sixth form" not in rows
    # A grade given before (in another program, or before the phase was known) stays in sight.
    with demo_db.transaction() as s:
        s.add(Judgement(visit_id=visit_id, area_key="early-years", peer_grade="strong-standard"))
    editor = window.open_visit(visit_id)
    assert editor is not None
    rows = _rows(editor.judgements.model)
    assert "Early years" in rows and rows.index("Early years") < rows.index("Safeguarding")


def test_a_developmental_review_evaluates_its_focus_areas_in_words(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db, framework="developmental", focus=("Early reading",))
    editor = window.open_visit(visit_id)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.judgements)
    table = editor.judgements.table
    assert table.isColumnHidden(JudgementTableModel.PEER)
    row = _rows(editor.judgements.model).index("Focus area: Early reading")
    _click_row(qtbot, editor, row)
    editor.judgements.rationale.setFocus()
    qtbot.keyClicks(
        editor.judgements.rationale, "Books are matched closely to the sounds pupils know."
    )
    _wait_saved(qtbot, window)
    with demo_db.reading() as s:
        j = visit_detail(s, visit_id).judgement(focus_key("Early reading"))
    assert j is not None and j.peer_grade is None
    assert j.rationale == "Books are matched closely to the sounds pupils know."


def test_single_lessons_are_graded_only_once_the_network_switches_it_on(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert not lesson_grading_enabled(demo_db)
    editor = window.open_visit(_new_visit(demo_db))
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.evidence)
    page = editor.evidence
    lesson = page.add_actions[EvidenceKind.LESSON_OBSERVATION]
    click(next(b for b in page.findChildren(QToolButton) if b.defaultAction() is lesson))
    form = page.form
    assert form.evidence_id is not None
    assert form.grades_box.isHidden()

    ticked: list[bool] = []

    def tick(dialog):  # type: ignore[no-untyped-def]
        box = getattr(dialog, "lesson_grading", None)
        if isinstance(box, QCheckBox) and not ticked:
            click(box)
            ticked.append(box.isChecked())

    with answering(tmp_path) as answerer:
        answerer.fill = tick
        window.settings_action.trigger()
    assert ticked == [True]
    assert lesson_grading_enabled(demo_db)
    assert not form.grades_box.isHidden()
    # The areas that apply to a primary school: early years, no sixth form, no safeguarding.
    assert "early-years" in form.grades_box.combos and "sixth-form" not in form.grades_box.combos
    assert "safeguarding" not in form.grades_box.combos

    with answering(tmp_path) as answerer:
        answerer.fill = lambda dialog: click(dialog.lesson_grading)
        window.settings_action.trigger()
    assert not lesson_grading_enabled(demo_db)
    assert form.grades_box.isHidden()


def test_a_lesson_graded_before_keeps_its_grades_in_sight(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db)
    with demo_db.transaction() as s:
        s.add(
            Evidence(
                visit_id=visit_id,
                kind="lesson-observation",
                position=0,
                class_name="Oak class",
                grades={"inclusion": "strong-standard"},
            )
        )
    editor = window.open_visit(visit_id)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.evidence)
    form = editor.evidence.form
    assert not lesson_grading_enabled(demo_db)
    assert not form.grades_box.isHidden()
    assert form.grades_box.combos["inclusion"].currentText() == "Strong standard"


def test_the_first_letter_of_a_rationale_for_an_area_not_yet_judged_is_kept(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db)
    editor = window.open_visit(visit_id)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.judgements)
    _click_row(qtbot, editor, 0)
    editor.judgements.rationale.setFocus()
    qtbot.keyClicks(editor.judgements.rationale, "Leaders know every pupil.")
    assert editor.judgements.rationale.toPlainText() == "Leaders know every pupil."
    _wait_saved(qtbot, window)
    with demo_db.reading() as s:
        j = visit_detail(s, visit_id).judgement("inclusion")
    assert j is not None and j.rationale == "Leaders know every pupil."


def test_choosing_another_host_school_changes_the_areas_at_once(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(_new_visit(demo_db))
    assert editor is not None
    assert "Early years" in _rows(editor.judgements.model)
    combo = editor.plan.school
    junior = combo.findText("St Stephens Junior")
    combo.setCurrentIndex(junior)
    combo.activated.emit(junior)
    assert "Early years" not in _rows(editor.judgements.model)
    assert "Early years" not in _rows(editor.plan.self_model)
    assert _rows(editor.judgements.model)[-1] == "Focus area: Oracy"


def test_clearing_the_grade_of_a_row_kept_for_its_grade_does_not_take_the_row_away(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    visit_id = _new_visit(demo_db, school="Bromley Heath Junior")
    with demo_db.transaction() as s:
        s.add(Judgement(visit_id=visit_id, area_key="early-years", peer_grade="strong-standard"))
    editor = window.open_visit(visit_id)
    assert editor is not None
    model = editor.judgements.model
    row = _rows(model).index("Early years")
    model.setData(model.index(row, JudgementTableModel.PEER), "")
    assert _rows(model)[row] == "Early years"
    _wait_saved(qtbot, window)
    with demo_db.reading() as s:
        assert visit_detail(s, visit_id).judgement("early-years").peer_grade is None  # type: ignore[union-attr]
