"""The Network dashboard: priority matrix and grouping, rota, judgements, next steps, exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from nexus_review.demo import demo_years, fill_demo_network
from nexus_review.domain.calendar import (
    academic_year_bounds,
    academic_year_of,
    previous_academic_year,
)
from nexus_review.selftest import read_document_text
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.repository import priority_matrix
from nexus_review.usecases.network import network_visits, review_groups, year_start
from tests.ui.answering import answering, click
from tests.ui.network_page import network_window
from ui.main_window import MainWindow

# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]


def _window(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    return network_window(qtbot, db, LAST_YEAR)


def test_matrix_grouping_and_rota(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_db)
    tab = window.network.priorities
    assert tab.grid.rowCount() == 10
    themes = [tab.grid.horizontalHeaderItem(c).text() for c in range(tab.grid.columnCount())]
    assert "Oracy" in themes and "Early years" in themes
    titles = [tab.groups.topLevelItem(i).text(0) for i in range(tab.groups.topLevelItemCount())]
    assert titles == [
        f"1. Oracy quartet {LAST_YEAR} (4 schools)",
        f"2. Early years triad {LAST_YEAR} (3 schools)",
        f"3. Writing triad {LAST_YEAR} (3 schools)",
    ]
    # The administrator moves a school, then saves.
    first = tab.proposal[0][0]
    tab.groups.setCurrentItem(tab.groups.topLevelItem(0).child(0))
    tab.move_to.setCurrentIndex(2)
    click(tab.move_button)
    assert first in tab.proposal[2] and len(tab.proposal[0]) == 3
    click(tab.save_button)
    groups = review_groups(demo_db, LAST_YEAR)
    assert sorted(len(g.members) for g in groups) == [3, 3, 4]
    rota = window.network.rota
    assert rota.table.rowCount() == 10
    member_id = next(iter(rota.editors))
    february = dt.date(int(LAST_YEAR[:4]) + 1, 2, 11)
    rota.editors[member_id].setDate(QDate(february.year, february.month, february.day))
    saved = {m[0]: m[3] for g in review_groups(demo_db, LAST_YEAR) for m in g.members}
    assert saved[member_id] == february


def test_judgement_overview_and_action_tracker(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_db)
    judgements = window.network.judgements.table
    assert judgements.columnCount() > 0 and judgements.rowCount() > 0
    texts = [
        judgements.item(r, c).text()
        for r in range(judgements.rowCount())
        for c in range(judgements.columnCount())
        if judgements.item(r, c)
    ]
    assert any(" / " in t for t in texts)
    tracker = window.network.next_steps
    tracker.today = academic_year_bounds(LAST_YEAR)[1] - dt.timedelta(days=42)  # 20 July
    total = len(tracker.tracked)
    assert (
        tracker.table.rowCount()
        == total
        == sum(len(v.actions) for v in network_visits(demo_db, LAST_YEAR))
    )
    tracker.overdue.setChecked(True)
    overdue = tracker.table.rowCount()
    assert 0 < overdue < total
    assert all("overdue" in tracker.table.item(r, 4).text() for r in range(overdue))
    tracker.table.selectRow(0)
    action_id = tracker.selected_id()
    with answering(Path("."), note="Checked at the summer group meeting"):
        click(tracker.note)
    click(tracker.done)
    after = next(
        a for v in network_visits(demo_db, LAST_YEAR) for a in v.actions if a.id == action_id
    )
    assert (
        after.status == "done" and after.follow_up[-1].note == "Checked at the summer group meeting"
    )
    assert tracker.table.rowCount() == overdue - 1  # done, so no longer overdue


def test_compilation_and_spreadsheets_from_the_dashboard(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_db)
    page = window.network
    with answering(tmp_path, save_as=[tmp_path / "c.pdf"]):
        click(page.compile_pdf)
    assert page.last_export == tmp_path / "c.pdf"
    text = read_document_text(tmp_path / "c.pdf")
    assert "Collaborative review compilation" in text and LAST_YEAR in text
    with answering(tmp_path, save_as=[tmp_path / "a.csv"]):
        next(
            a for a in page.spreadsheets.menu().actions() if a.text().startswith("Next steps")
        ).trigger()
    lines = (tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("action_id,school") and len(lines) > 10


# ---- a new school year ------------------------------------------------------------------------


def _answer_confirmation(qtbot, parent: QWidget, button: str, seen: list[str]) -> QTimer:  # type: ignore[no-untyped-def]
    """Click a button of the confirmation box as soon as it is open, as a person would."""
    timer = QTimer(parent)

    def answer() -> None:
        box = parent.findChild(QMessageBox, "confirmation")
        if box is None or not box.isVisible():
            return
        timer.stop()
        seen.append(box.text())
        target = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    timer.timeout.connect(answer)
    timer.start(20)
    return timer


def _last_years_network(tmp_path: Path) -> Database:
    """A network that used the program last school year: the demo as it was a year ago, and
    nothing yet for this year."""
    db = open_database(tmp_path / "last-year.db")
    fill_demo_network(db, today=dt.date.today() - dt.timedelta(days=365))
    return db


def test_a_new_year_offers_to_copy_last_years_priorities_and_groups(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _last_years_network(tmp_path)
    try:
        this_year = academic_year_of(dt.date.today())
        last_year = previous_academic_year(this_year)
        window = MainWindow(db)
        window.tasks.run_inline = True
        qtbot.addWidget(window)
        window.show()
        window.show_section("Network")
        page = window.network
        assert page.current_year() == this_year, "this school year is chosen at first"
        assert page.notice_bar.isVisible() and page.copy_button.isVisible()
        assert (
            page.notice.text()
            == f"{this_year} has no school priorities or review groups yet. You can start from {last_year}'s and change them."
        )
        assert page.rota.table.rowCount() == 0 and not page.priorities.save_button.isEnabled()
        with db.reading() as s:
            count = len(priority_matrix(s, last_year).cells)

        # Cancel first: nothing changes.
        seen: list[str] = []
        before = review_groups(db, this_year), year_start(db, this_year)
        _answer_confirmation(qtbot, window, "Cancel", seen)
        qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
        assert seen and (review_groups(db, this_year), year_start(db, this_year)) == before
        assert seen[0].startswith(
            f"Copy {count} school priorities and 3 review groups from {last_year} into {this_year}?"
        )
        assert page.notice_bar.isVisible()

        # Then copy.
        _answer_confirmation(qtbot, window, "Copy", seen)
        qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
        assert len(seen) == 2
        groups = review_groups(db, this_year)
        assert len(groups) == 3 and all(g.name.endswith(this_year) for g in groups)
        assert not page.notice_bar.isVisible()
        assert page.rota.table.rowCount() == 10
        assert page.priorities.grid.rowCount() == 10 and page.priorities.grid.columnCount() > 0
        assert (
            page.priorities.save_button.isEnabled()
            and page.priorities.groups.topLevelItemCount() == 3
        )
        assert (
            window.statusBar()
            .currentMessage()
            .startswith(
                f"Copied {count} school priorities and 3 review groups from {last_year} into {this_year}"
            )
        )
        # Last year is still there as it was, a click away.
        page.year.setCurrentText(last_year)
        page.show_year()
        assert not page.notice_bar.isVisible() and page.rota.table.rowCount() == 10
    finally:
        db.close()


def test_a_year_with_nothing_before_it_says_so_without_an_offer(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.show_section("Network")
    page = window.network
    this_year = academic_year_of(dt.date.today())
    assert page.current_year() == this_year
    assert page.notice_bar.isVisible() and not page.copy_button.isVisible()
    assert (
        page.notice.text()
        == f"{this_year} has no school priorities or review groups yet, and {previous_academic_year(this_year)} has none to copy."
    )
    # With no priorities there is nothing to group by, so nothing to suggest or save.
    tab = page.priorities
    assert tab.groups.topLevelItemCount() == 0
    assert not tab.save_button.isEnabled() and not tab.suggest_button.isEnabled()
