"""Calibration exercises in Network → Consistency: the administrator makes one, a head grades
it, the results show spread, agreement and reasons. Driven as people drive it (pytest-qt)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from nexus_review.demo import demo_years
from nexus_review.storage.database import Database
from nexus_review.storage.models import Reviewer
from nexus_review.usecases.calibration import exercise_results, list_exercises
from tests.ui.answering import ACCEPT, DialogAnswerer, click
from tests.ui.network_page import network_window
from ui.calibration_view import AnswerExerciseDialog, CalibrationPanel, MakeExerciseDialog
from ui.settings import Settings

LAST_YEAR = demo_years()[1]


def _panel(qtbot, db: Database) -> CalibrationPanel:  # type: ignore[no-untyped-def]
    page = network_window(qtbot, db, LAST_YEAR, (1400, 950)).network
    page.tabs.setCurrentWidget(page.consistency)
    sections = page.consistency.sections
    bar = sections.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert sections.currentWidget() is page.consistency.calibration
    return page.consistency.calibration


def test_the_demo_exercise_shows_spread_agreement_and_reasons(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, demo_db)
    assert panel.choice.count() == 1 and panel.results is not None
    assert panel.summary.text() == "10 heads have answered so far."
    first = panel.model.rows[0]
    assert first[0] == "Curriculum and teaching"
    assert "of 10 heads gave" in first[2] and "pairs of heads were within one grade" in first[2]
    assert first[3].count("\n") == 9  # each head's grade and reason, one a line
    if os.environ.get("NEXUS_SHOTS"):
        panel.grab().save(str(Path(os.environ["NEXUS_SHOTS"]) / "calibration-results.png"))


def test_a_head_grades_the_exercise_in_the_dialog(qtbot, demo_db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with demo_db.transaction() as s:
        me = Reviewer(name="Mrs New Head", role="Headteacher")
        s.add(me)
        s.flush()
        me_id = me.id
    Settings().set("reviewer/id", me_id)
    panel = _panel(qtbot, demo_db)
    # Not graded yet: the others' grades wait until this head has given their own.
    assert (
        panel.summary.text()
        == "10 heads have answered so far. Grade it yourself to see how the others graded it."
    )
    assert all(row[1:] == ["", "", ""] for row in panel.model.rows)

    def fill(dialog: QDialog) -> bool:
        if isinstance(dialog, AnswerExerciseDialog):
            box = next(iter(dialog.grades.values()))
            box.setFocus()
            for _ in range(2):
                qtbot.keyClick(box, Qt.Key.Key_Down)  # "Exceptional", then "Strong standard"
            reason = next(iter(dialog.reasons.values()))
            qtbot.keyClicks(reason, "Precise modelling, little time to apply")
            if os.environ.get("NEXUS_SHOTS"):
                dialog.grab().save(str(Path(os.environ["NEXUS_SHOTS"]) / "calibration-answer.png"))
        return False

    answerer = DialogAnswerer(tmp_path, ACCEPT, fill)
    try:
        with qtbot.waitSignal(panel.results_shown, timeout=5000):
            click(panel.grade_button)
    finally:
        answerer.stop()
    (exercise,) = list_exercises(demo_db)
    results = exercise_results(demo_db, exercise.id)
    mine = [a for area in results.areas for a in area.answers if a.reviewer_id == me_id]
    assert [(a.grade, a.reason) for a in mine] == [
        ("strong-standard", "Precise modelling, little time to apply")
    ]
    assert panel.summary.text() == "11 heads have answered so far."


def test_the_administrator_makes_an_exercise_from_evidence(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, demo_db)

    def fill(dialog: QDialog) -> bool:
        if isinstance(dialog, MakeExerciseDialog):
            assert dialog.evidence.count() > 5
            dialog.evidence.setCurrentRow(0)
            qtbot.keyClicks(dialog.title, "Spring moderation: a reading lesson")
        return False

    answerer = DialogAnswerer(tmp_path, ACCEPT, fill)
    try:
        with qtbot.waitSignal(panel.results_shown, timeout=5000):
            click(panel.make_button)
    finally:
        answerer.stop()
    titles = [e.title for e in list_exercises(demo_db)]
    assert "Spring moderation: a reading lesson" in titles
    assert (
        panel.current() is not None
        and panel.current().title == "Spring moderation: a reading lesson"
    )  # type: ignore[union-attr]
    assert panel.summary.text() == "No head has answered yet."
