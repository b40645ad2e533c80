"""One start of the desktop program (or of a bare PySide6 window), for benchmarks/scale.py.

Prints ``painted`` once the main window has been shown and painted, and ``usable`` once the
visit list holds its rows; the parent process times the lines as they arrive.
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


def program(target: str) -> None:
    from ui.app import apply_theme, make_application, open_for_editing
    from ui.settings import Settings

    app = make_application()
    settings = Settings()
    apply_theme(settings.get("appearance/theme"))
    db, _lock = open_for_editing(target)
    from ui.main_window import MainWindow

    window = MainWindow(db, settings)
    window.show()
    app.processEvents()
    window.repaint()
    print("painted", flush=True)
    page = window.visits
    while page.view.model().rowCount() == 0:
        app.processEvents()
    page.view.viewport().repaint()
    print("usable", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        program(sys.argv[2])
