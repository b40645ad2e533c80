"""What a reviewer expects of a well-made program: grades that scrolling never changes, keys
that move on, sensible defaults, and controls that are only offered when they can act."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox

from nexus_review.domain.enums import EvidenceKind
from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers, visit_summaries
from nexus_review.usecases.packages import export_review_package
from tests.ui.answering import ACCEPT, DialogAnswerer, answering, click
from tests.ui.planned_visit import new_visit
from ui.main_window import MainWindow
from ui.visit.judgement_model import JudgementTableModel


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def _wheel(widget, steps: int = -3) -> None:  # type: ignore[no-untyped-def]
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_mouse_wheel_over_a_grade_scrolls_and_changes_nothing(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    status = editor.plan.status
    before = status.currentIndex()
    _wheel(status)
    assert status.currentIndex() == before
    day = editor.plan.date.date()
    _wheel(editor.plan.date)
    assert editor.plan.date.date() == day
    editor.evidence.add_evidence(EvidenceKind.PUPIL_VOICE)
    window.session.flush()  # type: ignore[union-attr]
    form = editor.evidence.form
    stamped = form.time_in.time()
    _wheel(form.time_in)
    _wheel(form.participants)
    assert form.time_in.time() == stamped and form.participants.value() == 0
    assert window.session is not None and not window.session.has_unsaved()


def test_a_grade_cell_closes_when_a_grade_is_picked_and_the_arrows_move_on(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    bar = editor.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    table = editor.judgements.table
    index = editor.judgements.model.index(0, JudgementTableModel.PEER)
    table.setFocus()
    table.setCurrentIndex(index)  # moving to the cell opens its editor
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    chosen = combo.currentIndex()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # moves on: the grade is not changed
    assert editor.judgements.model.index(0, JudgementTableModel.PEER).data() in (
        "",
        None,
        combo.itemText(chosen),
    )
    assert table.currentIndex().row() == 1
    # Picking a grade saves it and closes the editor.
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    strong = combo.findText("Strong standard")
    combo.setCurrentIndex(strong)
    combo.activated.emit(strong)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    assert editor.judgements.model.index(1, JudgementTableModel.PEER).data() == "Strong standard"


def test_return_opens_the_selected_visit(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = window.visits.view
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.editor is not None


def test_delete_is_offered_only_when_something_is_selected(
    qtbot, window: MainWindow, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    editor = window.open_visit(new_visit(demo_db))
    assert editor is not None
    page = editor.evidence
    assert not page.delete_button.isEnabled()  # a new visit has no evidence
    page.add_evidence(EvidenceKind.LEARNING_WALK)
    assert page.delete_button.isEnabled()
    assert not page.form.delete_drop_in_button.isEnabled()
    click(page.form.add_drop_in_button)
    assert page.form.delete_drop_in_button.isEnabled()
    assert not editor.report.remove_button.isEnabled()
    click(editor.report.add_button)
    assert editor.report.remove_button.isEnabled()


def test_a_new_visit_is_planned_at_another_school_and_the_hosts_head_is_flagged(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reading() as s:
        me = next(r for r in list_reviewers(s) if r.name == "Mrs Helen Ashworth")
    window.settings.set("reviewer/id", me.id)
    with answering(tmp_path):
        click(window.visits.new_button)
    assert window.session is not None
    host = window.session.visit["host_school_id"]
    assert host != me.home_school_id  # a reviewer visits another school
    plan = window.editor.plan  # type: ignore[union-attr]
    assert not plan.team_warning.isVisibleTo(plan)
    head = next(r for r in plan.reviewers if r.home_school_id == host)
    item = next(
        plan.team.item(i)
        for i in range(plan.team.count())
        if plan.team.item(i).data(Qt.ItemDataRole.UserRole) == head.id
    )
    item.setCheckState(Qt.CheckState.Checked)
    assert plan.team_warning.isVisibleTo(plan)
    assert head.name in plan.team_warning.text()


def test_a_mistyped_passphrase_asks_again(
    qtbot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    package = tmp_path / "sealed.nxr"
    with demo_db.reading() as s:
        visit_id = next(v.id for v in visit_summaries(s) if v.status == "report-sent")
    export_review_package(demo_db, package, visit_ids=[visit_id], passphrase="the right words")
    window.settings.set("export/folder", str(tmp_path))
    answers = iter(["wrong words", "the right words"])
    prompts: list[str] = []

    answerer = DialogAnswerer(tmp_path, ACCEPT)
    original = answerer._answer_one

    def answer_passphrase() -> None:
        from PySide6.QtWidgets import QInputDialog

        widget = QApplication.activeModalWidget()
        if isinstance(widget, QInputDialog) and not widget.property("answered_times"):
            prompts.append(widget.labelText())
            answerer.passphrase = next(answers)
        original()

    answerer._answer_one = answer_passphrase  # type: ignore[method-assign]
    try:
        window.import_package_action.trigger()
    finally:
        answerer.stop()
    assert len(prompts) == 2 and "not the passphrase" in prompts[1]
    # Read at the second try: its preview was shown (the import changes nothing here, as the
    # package came from this very database).
    assert [seen.kind for seen in answerer.seen] == ["file", "input", "input", "dialog"]
    assert "import" in answerer.seen[-1].title.lower()


def test_a_date_cells_calendar_opens_wholly_on_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QTableWidget

    from ui.widgets import DateDelegate

    free = QApplication.primaryScreen().availableGeometry()
    table = QTableWidget(3, 3)
    qtbot.addWidget(table)
    table.setItemDelegateForColumn(2, DateDelegate(table))
    table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
    table.setGeometry(
        free.right() - 300, free.bottom() - 120, 300, 120
    )  # the corner of a small screen
    table.show()
    table.setCurrentCell(2, 2)  # the next step's "by when", bottom right
    editor = table.findChild(QDateEdit)
    assert editor is not None
    qtbot.mouseClick(
        editor, Qt.MouseButton.LeftButton, pos=QPoint(editor.width() - 8, editor.height() // 2)
    )
    popup = editor.calendarWidget().window()
    qtbot.waitUntil(popup.isVisible)
    assert free.contains(popup.frameGeometry())
    assert popup.width() >= editor.calendarWidget().sizeHint().width()
