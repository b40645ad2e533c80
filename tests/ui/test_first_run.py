"""The program's first start: the welcome asks the reviewer's name, school and database,
records who the reviewer is, opens the database they chose, and the next start reads the
answers back instead of asking again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers, visit_summaries
from ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_first_run_records_who_the_reviewer_is(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from ui.app import remember_identity

    settings = Settings()
    remember_identity(db, settings, "Mr New Head", "Emersons Green Primary", "", demo=True)
    assert settings.get("program/first_run_done") is True
    with db.reading() as s:
        me = next(r for r in list_reviewers(s) if r.id == settings.get("reviewer/id"))
        assert len(visit_summaries(s)) == 75
    assert me.name == "Mr New Head" and me.home_school_name == "Emersons Green Primary"


def test_the_welcome_is_shown_once_the_next_start_reads_it_back(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    """The first-run answers are read back by a new start of the program (a new process)."""
    from ui.app import remember_identity

    remember_identity(db, Settings(), "Mrs Second Start", "", "", demo=False)
    code = "from ui.settings import Settings; print(Settings().get('program/first_run_done'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "True"


def test_first_run_dialog_asks_name_school_and_database(qtbot) -> None:  # type: ignore[no-untyped-def]
    from nexus_review.domain.records import SchoolItem
    from ui.dialogs import FirstRunDialog

    dialog = FirstRunDialog([SchoolItem("s1", "Staple Hill", "", "", "", "")])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Mr G. Price")
    dialog.school.setCurrentIndex(1)
    assert dialog.school_id() == "s1" and dialog.school_name() == "Staple Hill"
    assert dialog.database_path() == ""
    dialog.other.setChecked(True)
    dialog.path.setText("/tmp/elsewhere.db")
    assert dialog.database_path() == "/tmp/elsewhere.db"
    assert isinstance(dialog.school, QComboBox)


def test_first_run_asks_then_opens_the_chosen_database(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui import app as app_module
    from ui.dialogs import FirstRunDialog

    def answer(dialog: FirstRunDialog) -> int:
        dialog.name.setText("Mrs Helen Ashworth")
        dialog.demo.setChecked(True)
        dialog.other.setChecked(True)
        dialog.path.setText(str(tmp_path / "chosen.db"))
        return FirstRunDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    settings = Settings()
    db = app_module.first_run(settings, None)
    assert db is not None
    try:
        assert db.path == tmp_path / "chosen.db"
        assert settings.get("database/path") == str(tmp_path / "chosen.db")
        assert settings.get("program/first_run_done") is True
        with db.reading() as s:
            assert len(visit_summaries(s)) == 75
            me = next(r for r in list_reviewers(s) if r.id == settings.get("reviewer/id"))
        assert me.name == "Mrs Helen Ashworth"
    finally:
        db.close()
