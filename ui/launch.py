"""Entry point of ``nexus-review``: commands run without Qt; no command opens the program.

Kept free of Qt imports so that command-line use starts fast; Qt is loaded only when the
desktop program is opened (or its self-test check runs).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from nexus_review.cli import main as cli_main


def _open_gui(args: argparse.Namespace) -> int:
    from ui.app import run_app

    return run_app(db_target=args.db)


def _check_main_window(state: dict[str, Any]) -> str:
    """The desktop program's part of --selftest: the main window opens on the demo network."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application()
    window = MainWindow(state["db"])
    window.show()
    app.processEvents()
    shot = os.environ.get("NEXUS_SELFTEST_SCREENSHOT")
    if shot:
        window.grab().save(shot)
    shown = window.isVisible()
    platform = app.platformName()
    window.close()
    app.processEvents()
    if not shown:
        raise AssertionError("the main window did not appear")
    return f"main window shown ({platform})"


def _check_qt_references(state: dict[str, Any]) -> str:
    """Qt for Python must keep None referenced (PySide6 6.12.0 on Python 3.11 does not)."""
    from ui.app import make_application
    from ui.qt_guard import none_refcount_drop, qt_version

    make_application()
    drop = none_refcount_drop(100_000)
    if drop >= 50:
        raise AssertionError(
            f"PySide6 {qt_version()} loses a reference to None on each Qt call; "
            "install a release without this fault (see the README)"
        )
    return f"PySide6 {qt_version()}, 100,000 calls keep None referenced"


GUI_CHECKS = (("Qt references", _check_qt_references), ("desktop program", _check_main_window))


def main(argv: list[str] | None = None) -> int:
    return cli_main(
        sys.argv[1:] if argv is None else argv, open_gui=_open_gui, gui_checks=GUI_CHECKS
    )


if __name__ == "__main__":
    sys.exit(main())
