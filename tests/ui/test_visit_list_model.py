"""The visit list read from the database as it is shown: the same rows, order and filters as
every row read and sorted and filtered in Python here, rows read only a block at a time, and
the note search off the GUI thread."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import Qt

from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.records import VisitSummary
from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_schools, visit_summaries
from nexus_review.usecases import visit_list
from ui.main_window import MainWindow
from ui.visit.models import ID_ROLE
from ui.visit_list_model import VisitListFilter, VisitListModel, row_words

ORDERS = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)


def _models(
    db: Database, fetched: list[list[str]] | None = None
) -> tuple[VisitListModel, VisitListFilter]:
    def fetch(ids: list[str]) -> list[VisitSummary]:
        if fetched is not None:
            fetched.append(list(ids))
        return visit_list.rows(db, ids)

    model = VisitListModel(
        lambda column, descending: visit_list.ordered_ids(db, column, descending), fetch
    )
    proxy = VisitListFilter(
        lambda f: set(visit_list.ordered_ids(db, 0, True, visit_list.VisitFilters(**f)))
    )
    proxy.setSourceModel(model)
    model.reload()
    return model, proxy


def _reference(
    db: Database,
    column: int = 0,
    order: Qt.SortOrder = Qt.SortOrder.DescendingOrder,
    *,
    school_id: str = "",
    year: str = "",
    kind: str = "",
    status: str = "",
    matching_ids: set[str] | None = None,
) -> list[tuple[str, ...]]:
    """Every visit read whole, then sorted and filtered in Python as the list promises: by date
    (then id), or by a column's words ignoring case, then date, then id; descending reverses."""
    with db.reading() as s:
        rows = visit_summaries(s)
    words = {v.id: row_words(v) for v in rows}
    rows.sort(
        key=lambda v: (
            (v.visit_date, v.id)
            if column == 0
            else (words[v.id][column].lower(), v.visit_date, v.id)
        ),
        reverse=order == Qt.SortOrder.DescendingOrder,
    )
    kept = [
        v
        for v in rows
        if (not school_id or v.host_school_id == school_id)
        and (not year or academic_year_of(v.visit_date) == year)
        and (not kind or v.kind == kind)
        and (not status or v.status == status)
        and (matching_ids is None or v.id in matching_ids)
    ]
    return [(*words[v.id], v.id) for v in kept]


def _shown(proxy: Any) -> list[tuple[str, ...]]:
    return [
        (
            *tuple(proxy.index(r, c).data() for c in range(proxy.columnCount())),
            proxy.index(r, 0).data(ID_ROLE),
        )
        for r in range(proxy.rowCount())
    ]


def test_the_models_pass_the_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model, proxy = _models(demo_db)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.set_filters(kind="learning-walk")
    qtmodeltester.check(proxy)


@pytest.mark.parametrize("column", range(6))
def test_every_column_sorts_as_the_python_sort_does(demo_db: Database, column: int) -> None:
    model, proxy = _models(demo_db)
    for order in ORDERS:
        proxy.sort(column, order)
        assert model.rowCount() == 75
        assert _shown(proxy) == _reference(demo_db, column, order), (column, order)


def test_filters_give_the_rows_the_python_filter_gives(demo_db: Database) -> None:
    _model, proxy = _models(demo_db)
    with demo_db.reading() as s:
        school = list_schools(s)[0].id
    years = visit_list.list_choices(demo_db).years
    with demo_db.reading() as s:
        some = {v.id for v in visit_summaries(s)[::3]}
    for school_id, year, kind, status, search in itertools.product(
        ("", school),
        ("", years[0], years[-1]),
        ("", "learning-walk"),
        ("", "report-sent"),
        (None, some),
    ):
        filters = {"school_id": school_id, "year": year, "kind": kind, "status": status}
        proxy.matching_ids = search
        proxy.set_filters(**filters)
        assert _shown(proxy) == _reference(demo_db, matching_ids=search, **filters), filters
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    last = {"school_id": school_id, "year": year, "kind": kind, "status": status}
    assert _shown(proxy) == _reference(
        demo_db, 1, Qt.SortOrder.AscendingOrder, matching_ids=some, **last
    )


def test_rows_are_read_only_when_shown_a_block_at_a_time(demo_db: Database) -> None:
    fetched: list[list[str]] = []
    model, proxy = _models(demo_db, fetched)
    model.BLOCK = 10
    assert proxy.rowCount() == 75 and fetched == []  # ids only
    assert proxy.index(0, 0).data(ID_ROLE) == model.visit_id(0) and fetched == []
    proxy.index(42, 1).data()
    assert fetched == [model.ids()[40:50]]
    proxy.index(45, 3).data()
    assert len(fetched) == 1  # the block is kept
    model.reload()
    proxy.index(45, 3).data()
    assert len(fetched) == 2  # read again after a change


def test_the_selection_stays_on_its_visit_when_the_list_is_sorted(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(demo_db)
    win.tasks.run_inline = True
    qtbot.addWidget(win)
    win.show()
    page = win.visits
    page.view.selectRow(7)
    chosen = page.selected_visit_id()
    assert chosen is not None
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert page.selected_visit_id() == chosen
    page.kind.setCurrentIndex(page.kind.findData("learning-walk"))
    page.apply_filters()
    with demo_db.reading() as s:
        kind = next(v.kind for v in visit_summaries(s) if v.id == chosen)
    assert page.selected_visit_id() == (chosen if kind == "learning-walk" else None)


def test_the_note_search_runs_off_the_gui_thread(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    import threading

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    page = win.visits
    threads: list[threading.Thread] = []
    real = visit_list.search_ids

    def watched(db: Database, text: str) -> set[str]:
        threads.append(threading.current_thread())
        return real(db, text)

    visit_list.search_ids = watched  # type: ignore[assignment]
    try:
        page.search.setText("phonics")
        page._search_timer.stop()  # searched at once here, not after the typing pause
        page.apply_search()
        assert page.searching
        qtbot.waitUntil(lambda: not page.searching, timeout=5000)
    finally:
        visit_list.search_ids = real  # type: ignore[assignment]
    assert threads and threads[0] is not threading.main_thread()
    assert 0 < page.proxy.rowCount() < 75
    qtbot.waitUntil(lambda: win.tasks.pool.activeThreadCount() == 0, timeout=5000)
