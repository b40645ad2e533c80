"""The list or table with the keyboard focus is framed in the highlight colour, and only it:
a reviewer moving with the mouse, Tab and the arrow keys always sees which list they are in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame

from nexus_review.storage.database import Database
from ui.app import make_application
from ui.focus_frame import FocusFrame
from ui.main_window import MainWindow


def _framed(view) -> bool:  # type: ignore[no-untyped-def]
    return (
        view.frameShape() == QFrame.Shape.Box
        and view.lineWidth() == 2
        and view.palette().color(QPalette.ColorRole.WindowText)
        == view.palette().color(QPalette.ColorRole.Highlight)
    )


def test_the_list_with_the_keyboard_is_framed_and_loses_the_frame_with_it(
    qtbot, demo_db: Database
) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    make_application()
    assert len(app.findChildren(FocusFrame)) == 1  # made with the application, once
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    page = window.visits
    shape, width = page.view.frameShape(), page.view.lineWidth()
    # A click in the list gives it the keyboard: it is framed.
    rect = page.view.visualRect(page.view.model().index(0, 1))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.view.hasFocus())
    assert _framed(page.view)
    assert not _framed(window.nav)
    # Into the search box: the list is as it was.
    qtbot.mouseClick(page.search, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.search.hasFocus())
    assert not _framed(page.view)
    assert (page.view.frameShape(), page.view.lineWidth()) == (shape, width)
    # Back with the keyboard (Tab from the last filter goes on to the list): framed again.
    page.search.setFocus()
    for _ in range(8):
        if page.view.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert page.view.hasFocus()
    assert _framed(page.view)
    # The navigation list takes it: only one list is framed at a time.
    qtbot.mouseClick(
        window.nav.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.nav.visualItemRect(window.nav.item(0)).center(),
    )
    qtbot.waitUntil(lambda: window.nav.hasFocus())
    assert _framed(window.nav) and not _framed(page.view)


def test_a_framed_list_closed_with_its_dialog_takes_its_frame_with_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Found by the suite: a choice list (a drop-down's own list, made by Qt) had the keyboard
    when its dialog was deleted, and the focus moving on gave the deleted list its old frame
    back, which raised in the middle of the event loop."""
    from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QVBoxLayout, QWidget

    make_application()
    home = QWidget()
    qtbot.addWidget(home)
    box = QLineEdit(home)
    home.show()
    qtbot.waitExposed(home)
    for _ in range(3):
        dialog = QDialog(home)
        choice = QComboBox(dialog)
        choice.addItems(["Aim 1: Every family", "Aim 2: Citizens"])
        QVBoxLayout(dialog).addWidget(choice)
        dialog.show()
        qtbot.waitExposed(dialog)
        choice.showPopup()
        qtbot.waitUntil(lambda: choice.view().isVisible())  # noqa: B023
        choice.view().setFocus()
        qtbot.waitUntil(choice.view().hasFocus)
        assert _framed(choice.view())
        dialog.deleteLater()  # as a dialog closed with WA_DeleteOnClose goes
        qtbot.wait(20)
        box.setFocus()
        qtbot.wait(20)
