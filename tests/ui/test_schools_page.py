"""The Schools page: each school with its head and its priorities for a named school year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nexus_review.demo import fill_demo_network
from nexus_review.domain.calendar import academic_year_of, previous_academic_year
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.repository import list_schools, school_priorities
from ui.main_window import MainWindow


def _schools_page(qtbot, db: Database):  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.show_section("Schools")
    return window.schools


def _priorities_shown(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        page.table.item(r, 0).text(): page.table.item(r, 4).text()
        for r in range(page.table.rowCount())
    }


def _priorities_in(db: Database, year: str) -> dict[str, str]:
    with db.reading() as s:
        return {
            sc.name: ", ".join(school_priorities(s, sc.id, year)) or "–" for sc in list_schools(s)
        }


def test_the_schools_page_says_which_year_its_priorities_are_for(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    page = _schools_page(qtbot, demo_db)
    this_year = academic_year_of(dt.date.today())
    assert page.current_year() == this_year, "this school year at first"
    assert page.table.horizontalHeaderItem(4).text() == f"Priorities for {this_year}"
    shown = _priorities_shown(page)
    assert len(shown) == 10 and shown == _priorities_in(demo_db, this_year)
    assert not page.note.isVisible()
    # The head looks back at last year's.
    last_year = previous_academic_year(this_year)
    index = page.year.findText(last_year)
    page.year.setCurrentIndex(index)
    page.year.activated.emit(index)
    assert page.table.horizontalHeaderItem(4).text() == f"Priorities for {last_year}"
    assert _priorities_shown(page) == _priorities_in(demo_db, last_year) != shown


def test_a_year_with_no_priorities_yet_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "last-year.db")
    try:
        fill_demo_network(db, today=dt.date.today() - dt.timedelta(days=365))
        page = _schools_page(qtbot, db)
        this_year = academic_year_of(dt.date.today())
        assert page.current_year() == this_year
        assert set(_priorities_shown(page).values()) == {"–"}, (
            "last year's are not passed off as this year's"
        )
        assert page.note.isVisible()
        assert (
            page.note.text()
            == f"No school has shared its priorities for {this_year} yet: the Network view can copy last year's as a start."
        )
    finally:
        db.close()
