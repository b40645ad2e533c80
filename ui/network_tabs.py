"""Three tabs of the Network view: priorities and grouping, the hosting rota, and judgements
beside the schools' own grades (the agreed next steps are in :mod:`ui.next_steps_tab`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.grouping import group_name, suggest_groups
from nexus_review.domain.network import PriorityMatrix
from nexus_review.errors import NexusError
from nexus_review.frameworks import get_framework
from nexus_review.usecases.network import (
    priority_matrix,
    review_groups,
    save_groups,
    set_host_date,
)
from ui.dashboard_view import show_aims_on_matrix
from ui.errors import show_error
from ui.widgets import keep_calendar_on_screen, quiet_wheel, row_table, table_item

if TYPE_CHECKING:
    from ui.network_view import NetworkPage

AGREED, HIGHER, LOWER = QColor("#d8ecd9"), QColor("#d6e4f5"), QColor("#f6d6d6")


_item = table_item
_table = row_table


class PrioritiesTab(QWidget):
    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.matrix: PriorityMatrix | None = None
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups = QTreeWidget()
        self.groups.setHeaderLabels(["Suggested group / school", "Shared priorities"])
        self.groups.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.move_to = QComboBox()
        self.move_button = QPushButton("Move the school to this group")
        self.move_button.clicked.connect(self.move_selected)
        self.suggest_button = QPushButton("Suggest again")
        self.suggest_button.clicked.connect(self.suggest)
        self.save_button = QPushButton("Save as this year's review groups")
        self.save_button.clicked.connect(self.save)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("Triads and quartets of schools sharing the most priorities"))
        rl.addWidget(self.groups)
        move = QHBoxLayout()
        move.addWidget(self.move_to, 1)
        move.addWidget(self.move_button)
        rl.addLayout(move)
        buttons = QHBoxLayout()
        buttons.addWidget(self.suggest_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        rl.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.grid)
        split.addWidget(right)
        split.setSizes([640, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.proposal: list[list[str]] = []

    def show_year(self, year: str) -> None:
        self.matrix = m = priority_matrix(self.page.context.db, year)
        self.grid.setRowCount(len(m.schools))
        self.grid.setColumnCount(len(m.themes))
        self.grid.setHorizontalHeaderLabels(list(m.themes))
        self.grid.setVerticalHeaderLabels([name for _id, name in m.schools])
        shade = QBrush(QColor("#cfe0f1"))
        for r, (school_id, _name) in enumerate(m.schools):
            for c, theme in enumerate(m.themes):
                cell = _item("●" if m.has(school_id, theme) else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if m.has(school_id, theme):
                    cell.setBackground(shade)
                self.grid.setItem(r, c, cell)
        self.grid.resizeColumnsToContents()
        show_aims_on_matrix(self.page.context.db, self.grid, m.themes)
        # With no priorities there is nothing to group by: no suggestion to save.
        for control in (self.suggest_button, self.save_button, self.move_button, self.move_to):
            control.setEnabled(bool(m.themes))
        self.suggest()

    def suggest(self) -> None:
        if self.matrix is None:
            return
        self.proposal = suggest_groups(self.matrix) if self.matrix.themes else []
        self.show_proposal()

    def show_proposal(self) -> None:
        m = self.matrix
        assert m is not None
        names = dict(m.schools)
        self.groups.clear()
        self.move_to.clear()
        for i, members in enumerate(self.proposal):
            title = group_name(m, members)
            top = QTreeWidgetItem(
                [
                    f"{i + 1}. {title} ({len(members)} schools)",
                    ", ".join(m.shared_by(members)) or "–",
                ]
            )
            top.setData(0, Qt.ItemDataRole.UserRole, None)
            for school in members:
                child = QTreeWidgetItem([names[school], ""])
                child.setData(0, Qt.ItemDataRole.UserRole, school)
                top.addChild(child)
            self.groups.addTopLevelItem(top)
            self.move_to.addItem(f"{i + 1}. {title}", i)
        self.groups.expandAll()

    def move_selected(self) -> None:
        """Move the school chosen in the groups to the group chosen beside "Move to"."""
        item = self.groups.currentItem()
        school_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        target = self.move_to.currentData()
        if not school_id or target is None:
            return
        for group in self.proposal:
            if school_id in group:
                group.remove(school_id)
        self.proposal[target].append(school_id)
        self.proposal = [g for g in self.proposal if g]
        self.show_proposal()

    def save(self) -> None:
        if self.matrix is None or not self.proposal:
            return
        try:
            save_groups(
                self.page.context.db,
                self.matrix.year,
                self.proposal,
                names=[group_name(self.matrix, g) for g in self.proposal],
                focus=[", ".join(self.matrix.shared_by(g)) for g in self.proposal],
            )
        except NexusError as err:
            show_error(self, err)
            return
        self.page.context.show_message(
            f"{len(self.proposal)} review groups saved for {self.matrix.year}, each with a hosting rota.",
            8000,
        )
        self.page.rota.show_year(self.matrix.year)


class RotaTab(QWidget):
    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.table = _table(["Review group", "Hosting school", "Hosts on"])
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Each school in a group hosts one half-day review in the year. Change a date and it is saved at once."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        self.editors: dict[str, QDateEdit] = {}

    def show_year(self, year: str) -> None:
        groups = review_groups(self.page.context.db, year)
        rows = [(g, m) for g in groups for m in g.members]
        self.table.setRowCount(len(rows))
        self.editors = {}
        for r, (g, (member_id, _school_id, school, day)) in enumerate(rows):
            self.table.setItem(r, 0, _item(g.name))
            self.table.setItem(r, 1, _item(school))
            edit = keep_calendar_on_screen(QDateEdit())
            quiet_wheel(edit)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
            if day:
                edit.setDate(QDate(day.year, day.month, day.day))
            edit.dateChanged.connect(lambda q, mid=member_id: self._on_date_changed(mid, q))
            self.table.setCellWidget(r, 2, edit)
            self.editors[member_id] = edit
        if not rows:
            self.table.setRowCount(0)

    def _on_date_changed(self, member_id: str, qdate: QDate) -> None:
        try:
            set_host_date(
                self.page.context.db, member_id, dt.date(qdate.year(), qdate.month(), qdate.day())
            )
        except NexusError as err:
            show_error(self, err)


class JudgementsTab(QWidget):
    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)

    def show_year(self, year: str, visits: list[Any]) -> None:
        graded = [v for v in visits if get_framework(v.framework_key).graded]
        schools = sorted({v.host_school.name for v in graded})
        areas: list[tuple[str, str, str]] = []  # (framework, area key, label)
        for v in graded:
            fw = get_framework(v.framework_key)
            for a in fw.judged_areas():
                key = (fw.key, a.key, f"{a.name} ({fw.short_name})")
                if key not in areas and v.judgement(a.key):
                    areas.append(key)
        self.table.setRowCount(len(areas))
        self.table.setColumnCount(len(schools))
        self.table.setHorizontalHeaderLabels(schools)
        self.table.setVerticalHeaderLabels([label for _f, _a, label in areas])
        for r, (fw_key, area_key, _label) in enumerate(areas):
            fw = get_framework(fw_key)
            for c, school in enumerate(schools):
                cells = []
                colour = None
                for v in graded:
                    if v.host_school.name != school or v.framework_key != fw_key:
                        continue
                    j = v.judgement(area_key)
                    if j is None:
                        continue
                    cells.append(
                        f"{fw.grade_label(area_key, j.self_grade) or '–'} / {fw.grade_label(area_key, j.peer_grade) or '–'}"
                    )
                    order = fw.compare(area_key, j.peer_grade, j.self_grade)
                    colour = (
                        {0: AGREED, 1: HIGHER, -1: LOWER}.get(order, colour)
                        if order is not None
                        else colour
                    )
                item = _item("\n".join(cells))
                if colour is not None:
                    item.setBackground(QBrush(colour))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.note.setText(
            f"{year}: each cell is the school's own grade / the peer judgement. Green: agreed; blue: peer higher; red: peer lower."
        )
