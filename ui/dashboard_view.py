"""Network → Dashboard: the trust's high-level view of a year, beside the reviews.

- Schools: each school's outcomes against the network and national figures, its latest
  judgements (its own beside its peers'), its open and overdue next steps;
- Aims: the schools' priorities gathered under each of the network's aims, and the delivery
  plan's actions with their progress term by term;
- Trends: one indicator over three years for a school, the network and national, drawn;
- Groups behind: the pupil groups further behind than the network allows, small groups by
  their count;
- Figures: a grid to type a school's figures for a year, group by group.

Every figure shown comes from the use cases in :mod:`nexus_review.usecases.trust`; the widgets
only show them and pass typed values back. The tables and the tree of aims are filled by
:mod:`ui.dashboard_tables`, the trend drawn by :mod:`ui.trend_chart`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.trust import PUPIL_GROUPS, academic_years_back, network_figure
from nexus_review.errors import NexusError
from nexus_review.usecases.trust import Dashboard, dashboard, list_figures, set_figure
from ui.dashboard_tables import (
    fill_aims,
    fill_risks,
    fill_school_detail,
    fill_schools,
    fitted_table,
    plan_items,
)
from ui.errors import show_error
from ui.plan_buttons import PLAN_ROLE, PlanButtons
from ui.trend_chart import NATIONAL_COLOUR, NETWORK_COLOUR, SCHOOL_COLOUR, TrendChart
from ui.widgets import table_item

if TYPE_CHECKING:
    from ui.network_view import NetworkPage

_item = table_item


class DashboardTab(QWidget):
    """The Network view's Dashboard tab."""

    figure_saved = Signal()

    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.data: Dashboard | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()

        # Schools: an overview, and the chosen school's outcomes and judgements.
        self.schools = fitted_table(
            ["School", "Latest review", "Open next steps", "Overdue", "Groups behind"]
        )
        self.schools.itemSelectionChanged.connect(self._on_schools_selection_changed)
        self.school_figures = fitted_table(["Indicator", "School", "Network", "National"])
        self.school_areas = fitted_table(["Area", "School's own", "Peer judgement"])
        detail = QSplitter(Qt.Orientation.Horizontal)
        detail.addWidget(self.school_figures)
        detail.addWidget(self.school_areas)
        detail.setStretchFactor(0, 3)
        detail.setStretchFactor(1, 2)
        schools_page = QSplitter(Qt.Orientation.Vertical)
        schools_page.addWidget(self.schools)
        schools_page.addWidget(detail)
        schools_page.setSizes([240, 420])
        self.tabs.addTab(schools_page, "Schools")

        # Aims: priorities and the delivery plan under each.
        self.aims = QTreeWidget()
        self.aims.setHeaderLabels(["Aim, priority or action", "Progress"])
        self.aims.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.plan_buttons = PlanButtons(
            self.aims,
            lambda: self.page.context.db,
            lambda: self.data.year if self.data else "",
            lambda: self.data.aims if self.data else (),
        )
        self.plan_buttons.plan_changed.connect(self._on_plan_buttons_plan_changed)
        aims_page = QWidget()
        box = QVBoxLayout(aims_page)
        box.addWidget(self.plan_buttons)
        box.addWidget(self.aims, 1)
        self.tabs.addTab(aims_page, "Aims")

        # Trends.
        self.trend_indicator = QComboBox()
        self.trend_school = QComboBox()
        self.trend_indicator.activated.connect(lambda _i: self.draw_trend())
        self.trend_school.activated.connect(lambda _i: self.draw_trend())
        self.chart = TrendChart()
        trends = QWidget()
        box = QVBoxLayout(trends)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Indicator"))
        pick.addWidget(self.trend_indicator, 2)
        pick.addWidget(QLabel("School"))
        pick.addWidget(self.trend_school, 1)
        box.addLayout(pick)
        box.addWidget(self.chart, 1)
        self.tabs.addTab(trends, "Trends")

        # Groups behind.
        self.risks = fitted_table(
            ["School", "Group", "Indicator", "Points behind", "Pupils", "Trend"]
        )
        self.tabs.addTab(self.risks, "Groups behind")

        # Typing figures in.
        self.grid_school = QComboBox()
        self.grid_year = QComboBox()
        self.grid_school.activated.connect(lambda _i: self.fill_grid())
        self.grid_year.activated.connect(lambda _i: self.fill_grid())
        self.grid = fitted_table(["Indicator", "Group", "Value", "Pupils"])
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.itemChanged.connect(self._on_grid_item_changed)
        self._filling = False
        figures = QWidget()
        box = QVBoxLayout(figures)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("School"))
        pick.addWidget(self.grid_school, 2)
        pick.addWidget(QLabel("Year"))
        pick.addWidget(self.grid_year)
        pick.addStretch(1)
        box.addLayout(pick)
        hint = QLabel(
            "Type each group's figure and its number of pupils; a figure is saved once both are in. School-level figures only."
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        box.addWidget(self.grid, 1)
        self.tabs.addTab(figures, "Figures")

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)

    # ---- filling -------------------------------------------------------------------------

    def show_year(self, year: str) -> None:
        try:
            self.data = dashboard(
                self.page.context.db, year, visits=getattr(self.page, "visits", None)
            )
        except NexusError as err:
            show_error(self, err)
            return
        data = self.data
        small = data.thresholds.small_group
        self.note.setText(
            f"{year}: outcomes for {data.figures_year or 'no year yet'} beside the network and national figures "
            f"(national only where published with its source). Groups of fewer than {small} pupils are too small to judge."
        )
        fill_schools(self.schools, data)
        if data.schools:
            self.schools.selectRow(0)
        fill_aims(self.aims, data)
        fill_risks(self.risks, data)
        current_indicator = self.trend_indicator.currentData()
        self.trend_indicator.clear()
        for d in data.indicators.ordered():
            if any(f.indicator_key == d.key for f in data.figures):
                self.trend_indicator.addItem(d.name, d.key)
        if current_indicator is not None and self.trend_indicator.findData(current_indicator) >= 0:
            self.trend_indicator.setCurrentIndex(self.trend_indicator.findData(current_indicator))
        for combo in (self.trend_school, self.grid_school):
            chosen = combo.currentData()
            combo.clear()
            for s in data.schools:
                combo.addItem(s.name, s.school_id)
            if chosen is not None and combo.findData(chosen) >= 0:
                combo.setCurrentIndex(combo.findData(chosen))
        chosen_year = self.grid_year.currentText()
        self.grid_year.clear()
        last = data.figures_year or year
        years = sorted(
            set(academic_years_back(last, 3)) | set(academic_years_back(year, 2)[:1]), reverse=True
        )
        self.grid_year.addItems(years)
        if chosen_year in years:
            self.grid_year.setCurrentText(chosen_year)
        self.draw_trend()
        self.fill_grid()

    def _on_schools_selection_changed(self) -> None:
        rows = self.schools.selectionModel().selectedRows()
        if self.data is None or not rows:
            return
        fill_school_detail(self.school_figures, self.school_areas, self.data, rows[0].row())

    def _on_plan_buttons_plan_changed(self) -> None:
        """Show the saved plan, with the same row chosen."""
        item = self.aims.currentItem()
        chosen = item.data(0, PLAN_ROLE) if item is not None else None
        if self.data is not None:
            self.show_year(self.data.year)
        if chosen:
            found = next(
                (
                    i
                    for i in plan_items(self.aims.invisibleRootItem())
                    if i.data(0, PLAN_ROLE) == chosen
                ),
                None,
            )
            if found is not None:
                self.aims.setCurrentItem(found)

    def draw_trend(self) -> None:
        if self.data is None or not self.data.figures_year:
            self.chart.show_series("", [], [], "%")
            return
        key, school_id = self.trend_indicator.currentData(), self.trend_school.currentData()
        definition = self.data.indicators.indicators.get(key) if key else None
        if definition is None:
            self.chart.show_series("", [], [], "%")
            return
        years = academic_years_back(self.data.figures_year, 3)
        by = {
            (f.school_id, f.year): f
            for f in self.data.figures
            if f.indicator_key == key and f.group == "all"
        }
        school_values: list[float | None] = [
            f.value if (f := by.get((school_id, y))) else None for y in years
        ]
        network = [
            n[0] if (n := network_figure(self.data.figures, key, y, "all")) else None for y in years
        ]
        national = [m.value if (m := definition.national_for(y, "all")) else None for y in years]
        series = [
            (self.trend_school.currentText(), SCHOOL_COLOUR, school_values),
            ("Network", NETWORK_COLOUR, network),
        ]
        if any(v is not None for v in national):
            series.append(("National", NATIONAL_COLOUR, national))
        self.chart.show_series(f"{definition.name}, all pupils", years, series, definition.unit)

    # ---- typing figures ------------------------------------------------------------------

    def fill_grid(self) -> None:
        if self.data is None:
            return
        school_id, year = self.grid_school.currentData(), self.grid_year.currentText()
        if not school_id or not year:
            return
        held = {
            (f.indicator_key, f.group): f
            for f in list_figures(self.page.context.db, years=[year])
            if f.school_id == school_id
        }
        indicators = self.data.indicators.ordered()
        self._filling = True
        try:
            self.grid.setRowCount(len(indicators) * len(PUPIL_GROUPS))
            r = 0
            for d in indicators:
                for group, label in PUPIL_GROUPS.items():
                    f = held.get((d.key, group))
                    self.grid.setItem(r, 0, _item(d.name, d.key))
                    self.grid.setItem(r, 1, _item(label, group))
                    self.grid.setItem(r, 2, _item(f"{f.value:g}" if f else "", editable=True))
                    self.grid.setItem(r, 3, _item(str(f.pupils) if f else "", editable=True))
                    r += 1
        finally:
            self._filling = False

    def _on_grid_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (2, 3):
            return
        row = item.row()
        cells = [self.grid.item(row, column) for column in range(4)]
        if any(cell is None for cell in cells):
            return
        key_cell, group_cell, value_cell, pupils_cell = (c for c in cells if c is not None)
        key = key_cell.data(Qt.ItemDataRole.UserRole)
        group = group_cell.data(Qt.ItemDataRole.UserRole)
        value_text, pupils_text_ = value_cell.text().strip(), pupils_cell.text().strip()
        if bool(value_text) != bool(pupils_text_):
            return  # saved once both are in (or both cleared)
        try:
            value = float(value_text) if value_text else None
            pupils = int(pupils_text_) if pupils_text_ else None
        except ValueError:
            show_error(
                self, NexusError("Type the value as a number and the pupils as a whole number.")
            )
            self.fill_grid()
            return
        try:
            set_figure(
                self.page.context.db,
                self.grid_school.currentData(),
                self.grid_year.currentText(),
                group,
                key,
                value,
                pupils,
            )
        except NexusError as err:
            self._refused(err)
            return
        self.figure_saved.emit()

    def _refused(self, err: NexusError) -> None:
        """Say why, and show again what is saved, once the cell's editor has closed."""

        def later() -> None:
            self.fill_grid()
            show_error(self, err)

        QTimer.singleShot(0, later)


def show_aims_on_matrix(db: Any, grid: QTableWidget, themes: tuple[str, ...]) -> None:
    """The priority matrix's theme columns say which of the network's aims each is under."""
    from nexus_review.usecases.trust import aim_of_themes

    under = aim_of_themes(db)
    for c, theme in enumerate(themes):
        header = grid.horizontalHeaderItem(c)
        if header is not None:
            header.setToolTip(
                f"{theme}: under {under[theme]}" if theme in under else f"{theme}: under no aim yet"
            )
