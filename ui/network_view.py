"""The Network view: the administrator's dashboard for a year.

- Priorities: the matrix of schools × shared development priorities, with a suggested
  grouping into triads and quartets that the administrator can adjust and save;
- Rota: each review group's hosting dates (each school hosts once), editable;
- Judgements: areas × schools, the school's own grade beside the peer judgement;
- Next steps: every agreed next step, filtered by status, school or overdue, with progress
  marked and follow-up notes added from later meetings;
- the collaborative review compilation (Word, PDF) and spreadsheets (CSV).

A year with no school priorities or review groups yet (a new school year) says so above the
tabs, and offers to start from the year before's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.enums import ActionStatus
from nexus_review.domain.grouping import group_name, suggest_groups
from nexus_review.domain.network import PriorityMatrix, TrackedAction, tracked_actions
from nexus_review.errors import NexusError
from nexus_review.frameworks import get_framework
from nexus_review.usecases.network import (
    copy_previous_year,
    network_visits,
    priority_matrix,
    review_groups,
    save_groups,
    set_host_date,
    update_action,
    year_start,
)
from nexus_review.usecases.visits import network_years
from ui.confirm import confirm
from ui.consistency_view import ConsistencyTab
from ui.dashboard_view import DashboardTab, show_aims_on_matrix
from ui.errors import show_error
from ui.widgets import keep_calendar_on_screen, quiet_wheel, row_table, table_item

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
        self.matrix = m = priority_matrix(self.page.window_.db, year)
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
        show_aims_on_matrix(self.page.window_.db, self.grid, m.themes)
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
                self.page.window_.db,
                self.matrix.year,
                self.proposal,
                names=[group_name(self.matrix, g) for g in self.proposal],
                focus=[", ".join(self.matrix.shared_by(g)) for g in self.proposal],
            )
        except NexusError as err:
            show_error(self, err)
            return
        self.page.window_.statusBar().showMessage(
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
        groups = review_groups(self.page.window_.db, year)
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
                self.page.window_.db, member_id, dt.date(qdate.year(), qdate.month(), qdate.day())
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


class ActionsTab(QWidget):
    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.tracked: list[TrackedAction] = []
        self.status = QComboBox()
        self.status.addItem("Every status", "")
        for st in ActionStatus:
            self.status.addItem(st.label, st.value)
        self.school = QComboBox()
        self.overdue = QCheckBox("Only overdue")
        for w in (self.status, self.school):
            w.activated.connect(lambda _i: self.apply_filters())
        self.overdue.toggled.connect(lambda _b: self.apply_filters())
        self.table = _table(["Next step", "School", "Owner", "Due", "Status", "Follow-up notes"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.progress = QPushButton("Mark in progress")
        self.done = QPushButton("Mark done")
        self.note = QPushButton("Add a follow-up note…")
        self.progress.clicked.connect(lambda: self.mark("in-progress"))
        self.done.clicked.connect(lambda: self.mark("done"))
        self.note.clicked.connect(self.add_note)
        self.count = QLabel()
        top = QHBoxLayout()
        for shown in (QLabel("Show"), self.status, self.school, self.overdue):
            top.addWidget(shown)
        top.addStretch(1)
        top.addWidget(self.count)
        bottom = QHBoxLayout()
        for button in (self.progress, self.done, self.note):
            bottom.addWidget(button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        self.today = dt.date.today()

    def show_year(self, _year: str, visits: list[Any]) -> None:
        self.tracked = tracked_actions(visits)
        current = self.school.currentData()
        self.school.clear()
        self.school.addItem("Every school", "")
        for name in sorted({a.school for a in self.tracked}):
            self.school.addItem(name, name)
        self.school.setCurrentIndex(max(self.school.findData(current), 0))
        self.apply_filters()

    def shown(self) -> list[TrackedAction]:
        status, school = self.status.currentData(), self.school.currentData()
        return [
            a
            for a in self.tracked
            if (not status or a.status == status)
            and (not school or a.school == school)
            and (not self.overdue.isChecked() or a.overdue(self.today))
        ]

    def apply_filters(self) -> None:
        rows = self.shown()
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            notes = "\n".join(f"{d:%d %b %Y}: {n}" if d else n for d, n in a.follow_up)
            values = (
                a.description,
                a.school,
                a.owner,
                a.due_date.strftime("%d %b %Y") if a.due_date else "–",
                a.status_label(self.today),
                notes,
            )
            for c, text in enumerate(values):
                item = _item(text, a.id)
                if c == 4 and a.overdue(self.today):
                    item.setForeground(QBrush(QColor("#c62828")))
                self.table.setItem(r, c, item)
        self.count.setText(f"{len(rows)} of {len(self.tracked)} next steps")

    def selected_id(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def mark(self, status: str, note: str = "") -> None:
        action_id = self.selected_id()
        if not action_id:
            return
        try:
            update_action(self.page.window_.db, action_id, status=status, note=note)
        except NexusError as err:
            show_error(self, err)
            return
        self.page.refresh_visits()
        self._reselect(action_id)

    def add_note(self) -> None:
        action_id = self.selected_id()
        if not action_id:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "Follow-up note", "What was reported at the meeting:"
        )
        if not ok or not text.strip():
            return
        try:
            update_action(self.page.window_.db, action_id, note=text)
        except NexusError as err:
            show_error(self, err)
            return
        self.page.refresh_visits()
        self._reselect(action_id)

    def _reselect(self, action_id: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == action_id:
                self.table.selectRow(r)


class NetworkPage(QWidget):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.year = QComboBox()
        self.year.activated.connect(lambda _i: self.show_year())
        self.compile_word = QPushButton("Compilation as Word…")
        self.compile_pdf = QPushButton("Compilation as PDF…")
        self.compile_word.clicked.connect(lambda: self.export_compilation("docx"))
        self.compile_pdf.clicked.connect(lambda: self.export_compilation("pdf"))
        self.spreadsheets = QToolButton()
        self.spreadsheets.setText("Spreadsheets")
        self.spreadsheets.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.spreadsheets)
        menu.addAction("Judgements (CSV)…", lambda: self.export_csv("judgements"))
        menu.addAction("Next steps (CSV)…", lambda: self.export_csv("actions"))
        self.spreadsheets.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(QLabel("Academic year"))
        top.addWidget(self.year)
        top.addStretch(1)
        for b in (self.compile_word, self.compile_pdf, self.spreadsheets):
            top.addWidget(b)
        # A new school year: what the year lacks, and the offer to start from the year before's.
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.copy_button = QPushButton("Copy last year's priorities and groups")
        self.copy_button.clicked.connect(lambda: self.copy_last_year())
        self.notice_bar = QFrame()
        self.notice_bar.setObjectName("year-notice")
        self.notice_bar.setStyleSheet(
            "#year-notice { background: #fff4d6; border: 1px solid #e6c96a; border-radius: 4px; }"
        )
        bar = QHBoxLayout(self.notice_bar)
        bar.addWidget(self.notice, 1)
        bar.addWidget(self.copy_button)
        self.notice_bar.hide()
        self.priorities = PrioritiesTab(self)
        self.rota = RotaTab(self)
        self.judgements = JudgementsTab(self)
        self.next_steps = ActionsTab(self)
        self.consistency = ConsistencyTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.priorities, "Priorities and groups")
        self.tabs.addTab(self.rota, "Hosting rota")
        self.tabs.addTab(self.judgements, "Judgements")
        self.tabs.addTab(self.next_steps, "Next steps")
        self.tabs.addTab(self.consistency, "Consistency")
        self.dashboard = DashboardTab(self)
        self.tabs.addTab(self.dashboard, "Dashboard")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice_bar)
        layout.addWidget(self.tabs)
        self.visits: list[Any] = []

    def refresh(self) -> None:
        # This school year is always listed, and chosen at first, even before it has records.
        years = network_years(self.window_.db)
        current = self.year.currentText() or academic_year_of(dt.date.today())
        self.year.clear()
        self.year.addItems(years)
        if current in years:
            self.year.setCurrentText(current)
        self.show_year()

    def current_year(self) -> str:
        return self.year.currentText()

    def refresh_visits(self) -> None:
        year = self.current_year()
        self.visits = network_visits(self.window_.db, year) if year else []
        self.judgements.show_year(year, self.visits)
        self.next_steps.show_year(year, self.visits)
        self.consistency.show_year(year)

    def show_year(self) -> None:
        year = self.current_year()
        if not year:
            return
        self.show_notice(year)
        self.priorities.show_year(year)
        self.rota.show_year(year)
        self.refresh_visits()
        self.dashboard.show_year(year)

    def show_notice(self, year: str) -> None:
        try:
            start = year_start(self.window_.db, year)
        except NexusError as err:
            show_error(self, err)
            return
        self.notice.setText(start.notice())
        self.copy_button.setVisible(any(start.to_copy))
        self.copy_button.setToolTip(start.confirmation() if any(start.to_copy) else "")
        self.notice_bar.setVisible(start.missing)

    def copy_last_year(self) -> bool:
        """Copy the year before's priorities and groups into the chosen year, once the
        administrator has read what will be copied."""
        year = self.current_year()
        try:
            start = year_start(self.window_.db, year)
            if not any(start.to_copy):
                return False
            if not confirm(self, start.confirmation(), "Copy"):
                return False
            copied = copy_previous_year(self.window_.db, year)
        except NexusError as err:
            show_error(self, err)
            return False
        rota = "; the groups' hosting dates are in the Hosting rota tab" if copied.groups else ""
        self.window_.statusBar().showMessage(
            f"Copied {copied.words()} from {copied.previous} into {year}{rota}.", 10000
        )
        self.show_year()
        return True

    def export_compilation(self, fmt: str) -> None:
        from nexus_review.reports.compilation import CompilationOptions
        from nexus_review.usecases.reports import export_compilation

        year = self.current_year()
        window = self.window_
        suggested = window.export_folder() / f"Collaborative-review-compilation-{year}.{fmt}"
        kind = "Word document (*.docx)" if fmt == "docx" else "PDF document (*.pdf)"
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the compilation", str(suggested), kind
        )
        if not target:
            return
        window.remember_export_folder(target)
        db = window.db

        def done(path: Any) -> None:
            self.last_export = Path(str(path))
            window.statusBar().showMessage(f"Compilation written to {path}", 8000)

        window.run_task(
            "Compiling the collaborative review compilation…",
            lambda: export_compilation(db, fmt, target, CompilationOptions(year=year)),
            done,
        )

    def export_csv(self, what: str) -> None:
        from nexus_review.reports.csv_export import actions_csv, judgements_csv, write_csv

        year = self.current_year()
        window = self.window_
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Export a spreadsheet",
            str(window.export_folder() / f"{what}-{year}.csv"),
            "CSV spreadsheet (*.csv)",
        )
        if not target:
            return
        window.remember_export_folder(target)
        text = (
            judgements_csv(self.visits)
            if what == "judgements"
            else actions_csv(tracked_actions(self.visits))
        )
        try:
            path = write_csv(text, target)
        except NexusError as err:
            show_error(self, err)
            return
        self.last_export = path
        window.statusBar().showMessage(f"Spreadsheet written to {path}", 8000)
