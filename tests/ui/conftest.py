"""The GUI tests' main window over the demo network, shown, its background work run at once.
A test module may give ``window`` its own meaning."""

from __future__ import annotations

import pytest

from nexus_review.storage.database import Database
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.show()
    return win
