"""One start of the desktop program (or of a bare PySide6 window), for benchmarks/scale.py.

Prints ``painted`` once the main window has been shown and painted, ``usable`` once the
visit list shows its rows (the newest ones, read while the database opens), and ``opened`` once
the database is open for work (the whole list, its filters and search); the parent process times the lines as they arrive.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.repaint()
    print("painted", flush=True)
    print("usable", flush=True)
    print("opened", flush=True)


def program(target: str, first_open: bool = False) -> None:
    """The desktop program's own start path (ui.app.run_app without its event loop)."""
    from ui.app import apply_theme, make_application
    from ui.settings import Settings
    from ui.startup import start_main_window

    app = make_application()
    settings = Settings()
    apply_theme(settings.get("appearance/theme"))
    import logging

    import ui.startup

    shown: list[str] = []

    class OnScreen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said = {ui.startup.ON_SCREEN: "painted", ui.startup.LIST_ON_SCREEN: "usable"}
            if record.getMessage() in said:
                shown.append(said[record.getMessage()])
                print(said[record.getMessage()], flush=True)

    ui.startup.log.addHandler(OnScreen())
    ui.startup.log.setLevel(logging.DEBUG)
    window = start_main_window(target, settings)  # shown and painted before it returns
    from PySide6.QtCore import QEventLoop

    page = window.visits
    if page.view.model().rowCount() == 0 and window.opened is None:
        loop = QEventLoop()
        window.filled.connect(loop.quit)
        window.destroyed.connect(loop.quit)
        loop.exec()
    while page.view.model().rowCount() == 0 and not window.refused:
        app.processEvents()
    if "usable" not in shown:  # no first screen: the list is filled when the database is open
        page.view.viewport().repaint()
        print("usable", flush=True)
    while window.opened is None and not window.refused:  # the whole list, filters and search
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    print("opened", flush=True)
    # The full check and the day's backup go on in the background: wait for them to finish
    # before the process ends (not timed).
    while window.tasks.busy():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    if first_open and not window.refused:
        # The first visit opened after the start (the editor was loaded behind the window).
        import time

        visit_id = page.selected_visit_id() or page.model.visit_id(0)
        started = time.perf_counter()
        window.open_visit(visit_id)
        app.processEvents()
        window.repaint()
        print(f"first-open {time.perf_counter() - started:.5f}", flush=True)
        window.close_visit()
    if window.opened is not None:
        window.opened.close()


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        program(sys.argv[2], first_open="--first-open" in sys.argv)
