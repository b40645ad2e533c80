"""The Dashboard's Aims tab: a network administrator adds and edits aims, places the priority
themes, adds and edits delivery actions and records their progress, clicking and typing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QTreeWidgetItem

from nexus_review.demo import demo_years
from nexus_review.storage.database import Database
from nexus_review.usecases.trust import delivery_plan, list_aims, theme_aims_now
from tests.ui.answering import DialogAnswerer, click
from tests.ui.network_page import click_tab, network_window
from ui.plan_buttons import PLAN_ROLE
from ui.plan_dialogs import (
    AimDialog,
    DeliveryActionDialog,
    ProgressDialog,
    ThemesDialog,
)

THIS_YEAR = demo_years()[2]
SHOTS = os.environ.get("NEXUS_REVIEW_SCREENSHOTS")  # a folder: the dialogs are saved there


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _aims_tab(qtbot, db: Database):  # type: ignore[no-untyped-def]
    window = network_window(qtbot, db, THIS_YEAR, (1280, 860))
    page = window.network
    for tabs, title in ((page.tabs, "Dashboard"), (page.dashboard.tabs, "Aims")):
        index = click_tab(tabs, title)
        assert tabs.currentIndex() == index
    return window, page.dashboard


def _items(dash) -> list[QTreeWidgetItem]:  # type: ignore[no-untyped-def]
    out: list[QTreeWidgetItem] = []

    def walk(item: QTreeWidgetItem) -> None:
        for i in range(item.childCount()):
            out.append(item.child(i))
            walk(item.child(i))

    walk(dash.aims.invisibleRootItem())
    return out


def _click_row(dash, wanted: Callable[[QTreeWidgetItem], bool]) -> QTreeWidgetItem:  # type: ignore[no-untyped-def]
    item = next(i for i in _items(dash) if wanted(i))
    dash.aims.scrollToItem(item)
    rect = dash.aims.visualItemRect(item)
    QTest.mouseClick(dash.aims.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dash.aims.currentItem() is item
    return item


def _replace(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select all that the box holds and type over it."""
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)


def _choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open a combo box with a click and click the entry whose text starts so."""
    QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    assert view.isVisible(), "the combo box's list did not open"
    row = next(r for r in range(combo.count()) if combo.itemText(r).startswith(text))
    index = view.model().index(row, combo.modelColumn())
    view.scrollTo(index)
    QTest.qWait(
        QApplication.doubleClickInterval() + 50
    )  # a person's click comes after the list opens
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    QTest.qWait(50)
    assert not view.isVisible()
    assert combo.currentText().startswith(text), combo.currentText()


def _answer(
    qtbot, tmp_path: Path, fill: Callable[[QDialog], None], press: Callable[[], None]
) -> DialogAnswerer:  # type: ignore[no-untyped-def]
    """Press a button; fill in the dialog it opens like a person, then press its OK button."""
    filled: list[QDialog] = []

    def once(dialog: QDialog) -> None:
        if dialog not in filled:
            filled.append(dialog)
            fill(dialog)

    answerer = DialogAnswerer(tmp_path, fill=once)
    try:
        press()
        qtbot.waitUntil(lambda: bool(filled) and not filled[0].isVisible(), timeout=5000)
    finally:
        answerer.stop()
    assert not answerer.crashes()
    return answerer


def test_aims_are_added_edited_and_given_their_themes(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, dash = _aims_tab(qtbot, demo_db)
    buttons = dash.plan_buttons
    assert not buttons.edit_aim.isEnabled() and not buttons.progress.isEnabled()
    before = [a.id for a in list_aims(demo_db)]

    def new_aim(dialog: QDialog) -> None:
        assert isinstance(dialog, AimDialog)
        QTest.keyClicks(dialog.title, "Every family is a partner in learning")
        dialog.description.setFocus()
        QTest.keyClicks(dialog.description, "Families join in the schools' work.")
        _shot(dialog, "aim-dialog")

    _answer(qtbot, tmp_path, new_aim, lambda: click(buttons.add_aim))
    aims = list_aims(demo_db)
    assert len(aims) == len(before) + 1
    assert (aims[-1].title, aims[-1].description) == (
        "Every family is a partner in learning",
        "Families join in the schools' work.",
    )
    tops = [dash.aims.topLevelItem(i).text(0) for i in range(dash.aims.topLevelItemCount())]
    assert f"Aim {len(aims)}: Every family is a partner in learning" in tops

    # Edit it: a new title, and first place among the aims.
    new_id = aims[-1].id
    _click_row(
        dash, lambda i: i.data(0, PLAN_ROLE) and tuple(i.data(0, PLAN_ROLE)) == ("aim", new_id)
    )
    assert buttons.edit_aim.isEnabled()

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, AimDialog)
        assert dialog.title.text() == "Every family is a partner in learning"
        _replace(dialog.title, "Every family is a partner")
        _replace(dialog.number, "1")

    _answer(qtbot, tmp_path, edit, lambda: click(buttons.edit_aim))
    aims = list_aims(demo_db)
    assert [a.id for a in aims] == [new_id, *before]
    assert dash.aims.topLevelItem(0).text(0) == "Aim 1: Every family is a partner"
    assert tuple(dash.aims.currentItem().data(0, PLAN_ROLE)) == ("aim", new_id)

    # Place a theme under it.
    theme = "Attendance"

    def themes(dialog: QDialog) -> None:
        assert isinstance(dialog, ThemesDialog)
        names = [t for t, _a in dialog.themes]
        assert theme in names
        _choose(dialog.choices[names.index(theme)], "Aim 1: Every family")
        _shot(dialog, "themes-dialog")

    _answer(qtbot, tmp_path, themes, lambda: click(buttons.themes))
    assert theme_aims_now(demo_db)[theme] == new_id
    assert any(
        i.text(0).startswith(f"{theme}: ")
        for i in _items(dash)
        if i.parent() and i.parent().parent() is dash.aims.topLevelItem(0)
    )
    _shot(window, "dashboard-aims-added")


def test_a_blank_aim_is_refused_in_one_sentence_and_nothing_changes(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _window, dash = _aims_tab(qtbot, demo_db)
    before = list_aims(demo_db)
    seen = _answer(qtbot, tmp_path, lambda d: None, lambda: click(dash.plan_buttons.add_aim))
    assert any(s.kind == "message" and "needs a title" in s.text for s in seen.seen)
    assert list_aims(demo_db) == before


def test_a_delivery_action_is_added_edited_and_its_progress_recorded(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, dash = _aims_tab(qtbot, demo_db)
    buttons = dash.plan_buttons
    second = list_aims(demo_db)[1]
    _click_row(
        dash,
        lambda i: bool(i.data(0, PLAN_ROLE)) and tuple(i.data(0, PLAN_ROLE)) == ("aim", second.id),
    )
    before = {a.id for a in delivery_plan(demo_db, THIS_YEAR)}

    def new_action(dialog: QDialog) -> None:
        assert isinstance(dialog, DeliveryActionDialog)
        assert dialog.aim.currentData() == second.id  # the chosen aim
        for box, text in (
            (dialog.what, "Pupil parliament in every school"),
            (dialog.how, "Termly meetings of the schools' councils"),
            (dialog.outcome, "Every school's council meets three times"),
            (dialog.lead, "Mr Okafor"),
        ):
            box.setFocus()
            QTest.keyClicks(box, text)
        _shot(dialog, "action-dialog")

    _answer(qtbot, tmp_path, new_action, lambda: click(buttons.add_action))
    [added] = [a for a in delivery_plan(demo_db, THIS_YEAR) if a.id not in before]
    assert (added.aim_id, added.what, added.how, added.outcome, added.lead) == (
        second.id,
        "Pupil parliament in every school",
        "Termly meetings of the schools' councils",
        "Every school's council meets three times",
        "Mr Okafor",
    )
    assert added.due_date is not None and added.year == THIS_YEAR

    item = _click_row(
        dash,
        lambda i: (
            bool(i.data(0, PLAN_ROLE)) and tuple(i.data(0, PLAN_ROLE)) == ("action", added.id)
        ),
    )
    assert item.text(1) == "Not reported yet"
    assert buttons.edit_action.isEnabled() and buttons.progress.isEnabled()

    def progress(dialog: QDialog) -> None:
        assert isinstance(dialog, ProgressDialog)
        _choose(dialog.term, "Spring")
        _choose(dialog.status, "At risk")
        dialog.note.setFocus()
        QTest.keyClicks(dialog.note, "Two councils have not met yet.")
        _shot(dialog, "progress-dialog")

    _answer(qtbot, tmp_path, progress, lambda: click(buttons.progress))
    [now] = [a for a in delivery_plan(demo_db, THIS_YEAR) if a.id == added.id]
    assert [(p.term, p.status, p.note) for p in now.progress] == [
        ("spring", "at_risk", "Two councils have not met yet.")
    ]
    item = dash.aims.currentItem()
    assert tuple(item.data(0, PLAN_ROLE)) == ("action", added.id)
    assert item.text(1) == "Spring: At risk"

    # A double click on the term's row (the action opened with the right arrow key) opens it
    # again, with what is recorded, to change.
    QTest.keyClick(dash.aims, Qt.Key.Key_Right)
    assert item.isExpanded() or dash.aims.currentItem().isExpanded()
    row = next(
        i
        for i in _items(dash)
        if i.data(0, PLAN_ROLE) and tuple(i.data(0, PLAN_ROLE)) == ("progress", added.id, "spring")
    )
    dash.aims.scrollToItem(row)

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, ProgressDialog)
        assert dialog.term.currentData() == "spring" and dialog.status.currentData() == "at_risk"
        assert dialog.note.toPlainText() == "Two councils have not met yet."
        _choose(dialog.status, "On track")

    rect = dash.aims.visualItemRect(row)

    def double_click() -> None:
        """A double click: the first press and release, then the second."""
        QTest.mouseClick(dash.aims.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(dash.aims.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    _answer(qtbot, tmp_path, change, double_click)
    [now] = [a for a in delivery_plan(demo_db, THIS_YEAR) if a.id == added.id]
    assert [(p.term, p.status) for p in now.progress] == [("spring", "on_track")]

    # Edit the action: another lead, and no due date.
    _click_row(
        dash,
        lambda i: (
            bool(i.data(0, PLAN_ROLE)) and tuple(i.data(0, PLAN_ROLE)) == ("action", added.id)
        ),
    )

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, DeliveryActionDialog)
        _replace(dialog.lead, "Mrs Ade")
        click(dialog.has_due)

    _answer(qtbot, tmp_path, edit, lambda: click(buttons.edit_action))
    [now] = [a for a in delivery_plan(demo_db, THIS_YEAR) if a.id == added.id]
    assert (now.lead, now.due_date, now.what) == (
        "Mrs Ade",
        None,
        "Pupil parliament in every school",
    )
    _shot(window, "dashboard-aims-edited")
