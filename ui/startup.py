"""Starting the desktop program on its database: the main window first, the database after.

The window is shown at once (its frame, navigation and "Opening <file>…" in the list area),
before SQLAlchemy is imported and before the database is opened. The database is then opened
for work off the GUI thread (the lock, the light check, migrations) and the window is filled
when it is ready; the full integrity check and the day's backup follow in the background.

Whatever refuses the start (the database open in another copy of the program, damaged, from a
newer version of the program) gives its one sentence and changes nothing, as before: the
window closes and the program ends with status 1. A damaged file is offered its newest good
backup first, as it always was. Damage found by the background check stops all writing at
once (:meth:`ui.main_window.MainWindow.database_found_damaged`).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from nexus_review.errors import NexusError
from ui.errors import show_error
from ui.settings import Settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)
# Logged as the start reaches the screen (the start-up benchmark times them).
ON_SCREEN = "the main window is on screen"
LIST_ON_SCREEN = "the newest visits are on screen"


def start_main_window(target: str | Path, settings: Settings) -> MainWindow:
    """Show the main window now and open ``target`` for work behind it."""
    from ui.main_window import MainWindow

    window = MainWindow(None, settings, opening=str(target))
    window.show()
    QApplication.processEvents()
    window.repaint()  # on screen before the database work starts competing for the processor
    log.debug(ON_SCREEN)
    show_first_screen(window, target)
    open_in_window(window, target)
    return window


def show_first_screen(window: MainWindow, target: str | Path) -> None:
    """The newest visits in the list at once, read straight from the file (a few milliseconds,
    without SQLAlchemy), while the database is opened for work behind them."""
    from nexus_review.usecases.first_screen import first_screen

    screen = first_screen(target)
    if screen is None or not screen.visits:
        return  # the list is filled when the database is open
    window.visits.show_first_screen(screen)
    window.visit_area.setCurrentWidget(window.visits)
    window.visits.view.viewport().repaint()
    log.debug(LIST_ON_SCREEN)


def open_in_window(window: MainWindow, target: str | Path) -> None:
    """Open the database for work off the GUI thread and fill the window with it."""

    def work() -> Any:
        from nexus_review.usecases.opening import open_for_work

        return open_for_work(target, lock=True, full_check=False)

    def opened(result: Any) -> None:
        window.database_opened(result)
        check_in_background(window)
        load_the_visit_editor(window)

    def refused(exc: BaseException) -> None:
        from nexus_review.usecases.opening import DatabaseDamagedError

        if isinstance(exc, DatabaseDamagedError):
            from ui.app import offer_restore

            if offer_restore(exc.path, str(exc)):  # restored: open it again
                window.tasks.run(work, opened, refused)
                return
        else:
            show_error(None, exc)
        window.refused = True
        window.close()  # the last window: the program ends (run_app returns 1)

    window.tasks.run(work, opened, refused)


def check_in_background(window: MainWindow) -> None:
    """The full integrity check and the day's backup, after the window is filled."""
    opened = window.opened
    if opened is None:
        return
    db = opened.db

    def work() -> str | None:
        from nexus_review.usecases.opening import finish_opening

        return finish_opening(db)

    def checked(message: str | None) -> None:
        if message is not None and window.opened is opened:
            window.database_found_damaged(message)

    def not_checked(exc: BaseException) -> None:
        # Busy in another program or unreadable just now: the next start checks it again.
        if isinstance(exc, NexusError):
            log.warning("the database could not be checked in the background: %s", exc)
            window.statusBar().showMessage(str(exc), 10000)
        else:
            show_error(window, exc)

    window.tasks.run(work, checked, not_checked)


def load_the_visit_editor(window: MainWindow) -> None:
    """Load the visit editor's modules on the thread pool once the window is filled, and read
    the newest visit there once as the editor reads it, so that the first visit a head opens
    opens as quickly as the next (importing the editor is a tenth of a second, and the first
    reading of a visit prepares its queries: they are not on the start path)."""
    db = window.opened.db if window.opened is not None else None
    newest = window.visits.model.ids()[:1]

    def work() -> None:
        import ui.visit.editor
        import ui.visit.session  # noqa: F401

        if db is not None and newest:
            from nexus_review.usecases.editing import working_copy
            from nexus_review.usecases.visits import people

            working_copy(db, newest[0])
            people(db)

    def not_loaded(exc: BaseException) -> None:
        # Nothing is lost: the editor then loads when the first visit is opened, and says
        # there what is wrong.
        log.warning("the visit editor could not be loaded ahead: %s", exc)

    window.tasks.run(work, lambda _none: settle(), not_loaded)


def settle() -> None:
    """What the start made stays: Python's garbage collector is told not to look through it
    again, so that its rare full sweeps (tens of milliseconds once a network database's list
    is in memory) do not fall in the middle of opening a visit or typing a note."""
    gc.freeze()
