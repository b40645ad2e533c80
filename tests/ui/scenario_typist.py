"""A visiting head's morning, played on a real window system (run by test_reviewer_scenario).

Plans a visit, notes a lesson and a three-classroom learning walk, grades and links evidence,
drafts the report, exports it as Word and PDF and a review package, then types one more
sentence and says "typed": the test then kills the program with SIGKILL, as a dead battery
would, and checks what survived. Everything goes through clicks, keys and real dialogs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT, DB, OUT = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nexus_review.storage.database import open_database  # noqa: E402
from tests.ui.answering import ACCEPT, DialogAnswerer, click  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.settings import Settings  # noqa: E402

LAST_SENTENCE = "Pupils in Year 4 explained their methods with precise mathematical vocabulary."


def wait(ms: int = 60) -> None:
    QTest.qWait(ms)


def until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the program")
        wait(30)


def focus_back(window: MainWindow) -> None:
    """Back in the main window after a dialog (there is no window manager to do it)."""
    window.activateWindow()
    until(window.isActiveWindow)


def main() -> None:
    app = make_application()
    app.setQuitOnLastWindowClosed(False)  # the reviewer never quits: the battery dies
    settings = Settings()
    settings.set("export/folder", str(OUT))
    settings.set("export/open_after", False)
    db = open_database(DB)
    window = MainWindow(db, settings)
    window.resize(1280, 780)
    window.show()
    window.activateWindow()
    until(window.isActiveWindow)
    answerer = DialogAnswerer(OUT, ACCEPT)

    # Plan: New visit…, accept the dialog (host school not the reviewer's own).
    click(window.visits.new_button)
    until(lambda: window.editor is not None)
    focus_back(window)
    editor = window.editor
    assert editor is not None
    print("visit", window.session.visit_id, os.getpid(), flush=True)  # type: ignore[union-attr]

    # Evidence: a lesson (Ctrl+1), then a walk (Ctrl+2) of three classrooms (Ctrl+D).
    bar = editor.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    wait()
    editor.evidence.list.setFocus()
    QTest.keySequence(editor.evidence.list, QKeySequence("Ctrl+1"))
    wait()
    assert QApplication.focusWidget() is editor.evidence.form.class_name, (
        "the cursor is not in the class box"
    )
    QTest.keyClicks(editor.evidence.form.class_name, "Oak class")
    QTest.keyClicks(editor.evidence.form.notes, "Pupils reasoned aloud in pairs before writing.")
    QTest.keySequence(editor.evidence.form.notes, QKeySequence("Ctrl+2"))
    wait()
    assert QApplication.focusWidget() is editor.evidence.form.look_fors, (
        "the cursor is not in the look-fors"
    )
    QTest.keyClicks(editor.evidence.form.look_fors, "Talk partners used")
    for n in range(3):
        QTest.keySequence(QApplication.focusWidget(), QKeySequence("Ctrl+D"))
        wait()
        QTest.keyClicks(QApplication.focusWidget(), f"Class {n + 1}")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    until(lambda: editor.evidence.form.drop_in_model.rowCount() == 3)

    # Judgements: link all the evidence to the first area, and write why.
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    wait()

    def tick_all(dialog):  # type: ignore[no-untyped-def]
        if hasattr(dialog, "list") and hasattr(dialog, "chosen"):
            for i in range(dialog.list.count()):
                dialog.list.item(i).setCheckState(Qt.CheckState.Checked)
        return False

    answerer.fill = tick_all
    click(editor.judgements.link_button)
    until(lambda: editor.judgements.evidence_list.count() == 2)
    answerer.fill = None
    focus_back(window)
    QTest.keyClicks(editor.judgements.rationale, "Inclusion is strong: every pupil took part.")

    # Report draft, a next step, then Word, PDF and a review package.
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(3).center())
    wait()
    QTest.keyClicks(editor.report.summary, "A school where talk drives learning.")
    click(editor.report.add_button)
    wait()
    QTest.keyClicks(QApplication.focusWidget(), "Share the talk look-fors with governors")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    for button in (editor.report.export_word, editor.report.export_pdf):
        before = len(list(OUT.glob("answer-*")))
        click(button)
        until(
            lambda before=before: (
                len([p for p in OUT.glob("answer-*") if p.stat().st_size]) > before
                and not window.tasks.busy()
            )
        )
        focus_back(window)
    window.export_package_action.trigger()
    until(lambda: any(OUT.glob("*.nxr")) and not window.tasks.busy())
    focus_back(window)

    # One more sentence; autosave has it a second later. Then the battery dies.
    summary = editor.report.summary
    summary.setFocus()
    summary.moveCursor(summary.textCursor().MoveOperation.End)
    QTest.keyClicks(summary, " " + LAST_SENTENCE)
    started = time.monotonic()
    while time.monotonic() - started < 2.0:
        wait(50)
    print("typed", flush=True)
    answerer.stop()
    while True:
        wait(200)


if __name__ == "__main__":
    main()
