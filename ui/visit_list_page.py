"""The Visits section: every visit, sortable, filtered and searchable, opened with a double click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from nexus_review.domain.enums import VisitKind, VisitStatus
from ui.errors import show_error
from ui.operations.new_visit import new_visit
from ui.visit_list_model import ID_ROLE, VisitListFilter, VisitListModel

if TYPE_CHECKING:
    from nexus_review.usecases.first_screen import FirstScreen
    from ui.context import AppContext


def _visit_list() -> Any:
    from nexus_review.usecases import visit_list

    return visit_list


class VisitListPage(QWidget):
    """Every visit, sortable, filtered by school, year, kind and status, and searchable."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.model = VisitListModel(
            order=lambda column, descending: _visit_list().ordered_ids(
                self.context.db, column, descending
            ),
            fetch=lambda ids: _visit_list().rows(self.context.db, ids),
        )
        self.proxy = VisitListFilter(accept=self._passing_filters)
        self.proxy.setSourceModel(self.model)
        self._search_generation = 0
        self.first_screen = False  # showing the newest visits while the database opens
        self._open_when_ready: str | None = None
        self.searching = False  # a note search is running off the GUI thread
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((120, 200, 190, 110, 260)):
            header.resizeSection(col, width)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.open_action = QAction("Open the selected visit", self.view)
        self.open_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(self.open_selected)
        self.view.addAction(self.open_action)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find text in any note (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.school = QComboBox()
        self.year = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("Every kind", "")
        for k in VisitKind:
            self.kind.addItem(k.label, k.value)
        self.status = QComboBox()
        self.status.addItem("Every status", "")
        for st in VisitStatus:
            self.status.addItem(st.label, st.value)
        for combo in (self.school, self.year, self.kind, self.status):
            combo.activated.connect(lambda _i: self.apply_filters())
            # Narrow laptop screens: the filters shrink rather than push the list off screen.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        for w in (self.school, self.year, self.kind, self.status):
            bar.addWidget(w)
        bar.addWidget(self.count)
        self.open_button = QPushButton("Open visit")
        self.open_button.clicked.connect(self.open_selected)
        self.new_button = QPushButton("New visit…")
        self.new_button.clicked.connect(lambda: new_visit(context))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def show_first_screen(self, screen: FirstScreen) -> None:
        """The newest visits, read while the database is still being opened: they can be
        looked at, scrolled and chosen at once; sorting, filters and search (and opening the
        chosen visit) wait for the database, which fills the whole list (:meth:`refresh`)."""
        self.model.show_first(screen.visits)
        self.first_screen = True
        for control in self._needs_database():
            control.setEnabled(False)
        self.view.horizontalHeader().setSectionsClickable(False)
        shown = len(screen.visits)
        self.count.setText(
            f"{shown} of {screen.total} visits, opening…"
            if shown < screen.total
            else f"{screen.total} visits"
        )

    def _needs_database(self) -> tuple[QWidget, ...]:
        return (self.search, self.school, self.year, self.kind, self.status, self.new_button)

    def refresh(self) -> None:
        choices = _visit_list().list_choices(self.context.db)
        chosen = self.selected_visit_id() if self.first_screen else None
        self.model.reload()
        current_school = self.school.currentData()
        self.school.clear()
        self.school.addItem("Every school", "")
        for sc in choices.schools:
            self.school.addItem(sc.name, sc.id)
        self.school.setCurrentIndex(max(self.school.findData(current_school), 0))
        current_year = self.year.currentData()
        self.year.clear()
        self.year.addItem("Every year", "")
        for year in choices.years:
            self.year.addItem(year, year)
        self.year.setCurrentIndex(max(self.year.findData(current_year), 0))
        self.apply_search()
        if self.first_screen:
            self._leave_first_screen(chosen)

    def _leave_first_screen(self, chosen: str | None) -> None:
        """The database is open: the whole list is there; the visit chosen meanwhile stays
        chosen, and the one asked for is opened."""
        self.first_screen = False
        for control in self._needs_database():
            control.setEnabled(True)
        self.view.horizontalHeader().setSectionsClickable(True)
        if chosen is not None:
            self.select_visit(chosen)
        waiting, self._open_when_ready = self._open_when_ready, None
        if waiting is not None:
            QTimer.singleShot(0, lambda: self.context.open_visit(waiting))

    def select_visit(self, visit_id: str) -> None:
        """Make this visit the chosen row (if the list shows it)."""
        try:
            row = self.model.ids().index(visit_id)
        except ValueError:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _open(self, visit_id: str) -> None:
        if self.first_screen:  # the database is still opening: opened as soon as it is
            self._open_when_ready = visit_id
            self.context.show_message("The visit opens as soon as the database is ready…", 5000)
            return
        self.context.open_visit(visit_id)

    def _passing_filters(self, filters: dict[str, str]) -> set[str]:
        visit_list = _visit_list()
        return set(
            visit_list.ordered_ids(self.context.db, 0, True, visit_list.VisitFilters(**filters))
        )

    def apply_filters(self) -> None:
        self.proxy.set_filters(
            school_id=self.school.currentData() or "",
            year=self.year.currentData() or "",
            kind=self.kind.currentData() or "",
            status=self.status.currentData() or "",
        )
        self._show_count()

    def apply_search(self) -> None:
        """Search the notes off the GUI thread; a result that a newer search overtook is dropped."""
        text = self.search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self.searching = False
            self.proxy.matching_ids = None
            self.apply_filters()
            return
        db = self.context.db

        def done(found: set[str]) -> None:
            if generation == self._search_generation and isValid(self):  # not overtaken, not closed
                self.searching = False
                self.proxy.matching_ids = found
                self.apply_filters()

        def failed(exc: BaseException) -> None:
            if generation == self._search_generation and isValid(self):
                self.searching = False
                show_error(self, exc)

        self.searching = True
        self.context.tasks.run(lambda: _visit_list().search_ids(db, text), done, failed)

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} visits" if shown != total else f"{total} visits")

    def selected_visit_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.proxy.data(index, ID_ROLE) if index.isValid() else None

    def open_selected(self) -> None:
        visit_id = self.selected_visit_id()
        if visit_id:
            self._open(visit_id)

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        visit_id = self.proxy.data(index, ID_ROLE)
        if visit_id:
            self._open(visit_id)
