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
only show them and pass typed values back.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
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
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    PUPIL_GROUPS,
    TERMS,
    academic_years_back,
    format_value,
    network_figure,
    pupils_text,
)
from nexus_review.errors import NexusError
from nexus_review.usecases.trust import Dashboard, dashboard, list_figures, set_figure
from ui.errors import show_error
from ui.plan_dialogs import PLAN_ROLE, PlanButtons
from ui.widgets import row_table, table_item

SCHOOL_COLOUR, NETWORK_COLOUR, NATIONAL_COLOUR = (
    QColor("#1f4e79"),
    QColor("#c55a11"),
    QColor("#6b6b6b"),
)


_item = table_item


def _table(headers: list[str]) -> QTableWidget:
    table = row_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class TrendChart(QWidget):
    """Lines over the years: the school, the network and national where known."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(320, 160)
        self.years: list[str] = []
        self.series: list[tuple[str, QColor, list[float | None]]] = []
        self.unit = "%"
        self.title = ""

    def show_series(
        self,
        title: str,
        years: list[str],
        series: list[tuple[str, QColor, list[float | None]]],
        unit: str,
    ) -> None:
        self.title, self.years, self.series, self.unit = title, years, series, unit
        known = [v for _n, _c, values in series for v in values if v is not None]
        self.setAccessibleName(title)
        self.setAccessibleDescription(
            "; ".join(
                f"{name}: "
                + ", ".join(
                    f"{y} {format_value(v, unit)}" for y, v in zip(years, values, strict=True)
                )
                for name, _c, values in series
            )
            if known
            else "No figures to draw."
        )
        self.update()

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        known = [v for _n, _c, values in self.series for v in values if v is not None]
        painter.setPen(QColor("#222222"))
        painter.drawText(
            QRectF(10, 4, self.width() - 20, 20), Qt.AlignmentFlag.AlignLeft, self.title
        )
        if not known or not self.years:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No figures to draw for this choice."
            )
            return
        low, high = min(known), max(known)
        pad = max(2.0, (high - low) * 0.2)
        # Whole-number grid lines, four steps apart.
        low = max(0.0, float(math.floor(low - pad)))
        steps = max(1, math.ceil((high + pad - low) / 4))
        high = low + 4 * steps
        left, top, right, bottom = 56.0, 30.0, self.width() - 130.0, self.height() - 36.0
        painter.setPen(QPen(QColor("#bbbbbb"), 1))
        for i in range(5):
            value = low + (high - low) * i / 4
            y = bottom - (bottom - top) * i / 4
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight,
                format_value(round(value, 1), self.unit),
            )
        step = (right - left) / max(1, len(self.years) - 1)
        for i, year in enumerate(self.years):
            x = left + step * i if len(self.years) > 1 else (left + right) / 2
            painter.setPen(QColor("#444444"))
            painter.drawText(QRectF(x - 40, bottom + 6, 80, 18), Qt.AlignmentFlag.AlignCenter, year)
        for n, (name, colour, values) in enumerate(self.series):
            painter.setPen(QPen(colour, 2.5))
            points = []
            for i, point in enumerate(values):
                if point is None:
                    continue
                x = left + step * i if len(self.years) > 1 else (left + right) / 2
                y = bottom - (bottom - top) * (point - low) / (high - low)
                points.append(QPointF(x, y))
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            for p in points:
                painter.drawEllipse(p, 3.5, 3.5)
            painter.drawLine(
                QPointF(right + 14, top + 10 + n * 20), QPointF(right + 34, top + 10 + n * 20)
            )
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(right + 40, top + 2 + n * 20, 90, 18), Qt.AlignmentFlag.AlignLeft, name
            )
        painter.end()


class DashboardTab(QWidget):
    """The Network view's Dashboard tab."""

    figure_saved = Signal()

    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self.data: Dashboard | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()

        # Schools: an overview, and the chosen school's outcomes and judgements.
        self.schools = _table(
            ["School", "Latest review", "Open next steps", "Overdue", "Groups behind"]
        )
        self.schools.itemSelectionChanged.connect(self._on_schools_selection_changed)
        self.school_figures = _table(["Indicator", "School", "Network", "National"])
        self.school_areas = _table(["Area", "School's own", "Peer judgement"])
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
            lambda: self.page.window_.db,
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
        self.risks = _table(["School", "Group", "Indicator", "Points behind", "Pupils", "Trend"])
        self.tabs.addTab(self.risks, "Groups behind")

        # Typing figures in.
        self.grid_school = QComboBox()
        self.grid_year = QComboBox()
        self.grid_school.activated.connect(lambda _i: self.fill_grid())
        self.grid_year.activated.connect(lambda _i: self.fill_grid())
        self.grid = _table(["Indicator", "Group", "Value", "Pupils"])
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
                self.page.window_.db, year, visits=getattr(self.page, "visits", None)
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
        self.schools.setRowCount(len(data.schools))
        for r, s in enumerate(data.schools):
            self.schools.setItem(r, 0, _item(s.name, s.school_id))
            self.schools.setItem(
                r, 1, _item(f"{s.latest_review:%d %b %Y}" if s.latest_review else "–")
            )
            self.schools.setItem(r, 2, _item(str(s.open_steps)))
            overdue = _item(str(s.overdue_steps))
            if s.overdue_steps:
                overdue.setForeground(QColor("#a61b1b"))
            self.schools.setItem(r, 3, overdue)
            self.schools.setItem(r, 4, _item(str(s.groups_behind)))
        if data.schools:
            self.schools.selectRow(0)
        self._fill_aims()
        self._fill_risks()
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
        s = self.data.schools[rows[0].row()]
        small = self.data.thresholds.small_group
        self.school_figures.setRowCount(len(s.indicators))
        for r, i in enumerate(s.indicators):
            f = i.figure
            mine = (
                "–"
                if f is None
                else (
                    f"{pupils_text(f.pupils)}, too few to judge"
                    if f.pupils < small
                    else f"{format_value(f.value, i.unit)} ({pupils_text(f.pupils)})"
                )
            )
            self.school_figures.setItem(r, 0, _item(i.name))
            item = _item(mine)
            compare = i.national if i.national is not None else i.network
            definition = self.data.indicators.indicators.get(i.key)
            if (
                f is not None
                and f.pupils >= small
                and compare is not None
                and definition is not None
            ):
                behind = (compare - f.value) if definition.higher_is_better else (f.value - compare)
                if behind > self.data.thresholds.gap:
                    item.setForeground(QColor("#a61b1b"))
            self.school_figures.setItem(r, 1, item)
            self.school_figures.setItem(
                r, 2, _item(format_value(i.network, i.unit) if i.network is not None else "–")
            )
            self.school_figures.setItem(
                r,
                3,
                _item(
                    format_value(i.national, i.unit)
                    if i.national is not None
                    else "no checked figure"
                ),
            )
        self.school_areas.setRowCount(len(s.areas))
        for r, (area, own, peer) in enumerate(s.areas):
            self.school_areas.setItem(r, 0, _item(area))
            self.school_areas.setItem(r, 1, _item(own))
            self.school_areas.setItem(r, 2, _item(peer))
        self.school_areas.setToolTip(
            "" if s.areas else f"{s.name} has no review with judgements in {self.data.year} yet."
        )

    def _fill_aims(self) -> None:
        assert self.data is not None
        self.aims.clear()
        year = self.data.year
        for n, aim in enumerate(self.data.aims, start=1):
            top = QTreeWidgetItem([f"Aim {n}: {aim.aim.title}", ""])
            top.setData(0, PLAN_ROLE, ("aim", aim.aim.id))
            top.setToolTip(0, aim.aim.description or aim.aim.title)
            themes: dict[str, list[str]] = {}
            for school, theme in aim.priorities:
                themes.setdefault(theme, []).append(school)
            priorities = QTreeWidgetItem([f"Schools' priorities ({len(aim.priorities)})", ""])
            for theme, schools in sorted(themes.items()):
                row = QTreeWidgetItem([f"{theme}: {', '.join(schools)}", ""])
                row.setToolTip(0, f"{theme}: {', '.join(schools)}")
                priorities.addChild(row)
            top.addChild(priorities)
            count = len(aim.actions)
            plan = QTreeWidgetItem(
                [
                    f"Delivery plan ({count} {'action' if count == 1 else 'actions'})"
                    if count
                    else "Delivery plan (no actions yet: Add action…)",
                    "",
                ]
            )
            for a in aim.actions:
                latest = next((p for t in reversed(TERMS) if (p := a.progress_in(year, t))), None)
                status = (
                    f"{TERMS[latest.term]}: {PROGRESS_STATUSES.get(latest.status, latest.status)}"
                    if latest
                    else "Not reported yet"
                )
                action = QTreeWidgetItem([a.what, status])
                action.setData(0, PLAN_ROLE, ("action", a.id))
                action.setToolTip(
                    0, f"Outcome: {a.outcome}\nLead: {a.lead}\nDue: {a.due_date or '–'}"
                )
                for p in a.progress:
                    done = QTreeWidgetItem(
                        [
                            f"{TERMS[p.term]} {p.year}: {p.note}",
                            PROGRESS_STATUSES.get(p.status, p.status),
                        ]
                    )
                    done.setData(0, PLAN_ROLE, ("progress", a.id, p.term))
                    action.addChild(done)
                plan.addChild(action)
            top.addChild(plan)
            self.aims.addTopLevelItem(top)
            top.setExpanded(True)
            priorities.setExpanded(True)
            plan.setExpanded(True)
        if self.data.unmapped:
            other = QTreeWidgetItem(
                [f"Priorities under no aim yet ({len(self.data.unmapped)})", ""]
            )
            for school, theme in self.data.unmapped:
                other.addChild(QTreeWidgetItem([f"{theme}: {school}", ""]))
            self.aims.addTopLevelItem(other)

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
                    for i in self._plan_items(self.aims.invisibleRootItem())
                    if i.data(0, PLAN_ROLE) == chosen
                ),
                None,
            )
            if found is not None:
                self.aims.setCurrentItem(found)

    def _plan_items(self, item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(item.childCount()):
            child = item.child(i)
            if child is not None:
                out.append(child)
                out.extend(self._plan_items(child))
        return out

    def _fill_risks(self) -> None:
        assert self.data is not None
        risks = self.data.risks
        self.risks.setRowCount(len(risks))
        for r, risk in enumerate(risks):
            gap = (
                "too small to judge" if risk.too_small else f"{risk.gap:.1f} ({risk.compared_with})"
            )
            history = (
                ""
                if risk.too_small
                else " ("
                + ", ".join(
                    f"{t.shortfall:+.1f}" if t.shortfall is not None else "–" for t in risk.trend
                )
                + ")"
            )
            cells = (
                risk.school_name,
                PUPIL_GROUPS.get(risk.group, risk.group),
                risk.indicator_name,
                gap,
                pupils_text(risk.pupils),
                risk.trend_word + history,
            )
            for c, text in enumerate(cells):
                self.risks.setItem(r, c, _item(text))

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
            for f in list_figures(self.page.window_.db, years=[year])
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
                self.page.window_.db,
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
