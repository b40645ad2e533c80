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

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.network import tracked_actions
from nexus_review.errors import NexusError
from nexus_review.usecases.network import (
    copy_previous_year,
    network_visits,
    year_start,
)
from nexus_review.usecases.visits import network_years
from ui.confirm import confirm
from ui.consistency_view import ConsistencyTab
from ui.context import AppContext
from ui.dashboard_view import DashboardTab
from ui.errors import show_error
from ui.network_tabs import JudgementsTab, PrioritiesTab, RotaTab
from ui.next_steps_tab import ActionsTab
from ui.widgets import row_table, table_item

AGREED, HIGHER, LOWER = QColor("#d8ecd9"), QColor("#d6e4f5"), QColor("#f6d6d6")


_item = table_item
_table = row_table


class NetworkPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context  # the tabs reach the database and the status bar through it
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
        years = network_years(self.context.db)
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
        self.visits = network_visits(self.context.db, year) if year else []
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
            start = year_start(self.context.db, year)
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
            start = year_start(self.context.db, year)
            if not any(start.to_copy):
                return False
            if not confirm(self, start.confirmation(), "Copy"):
                return False
            copied = copy_previous_year(self.context.db, year)
        except NexusError as err:
            show_error(self, err)
            return False
        rota = "; the groups' hosting dates are in the Hosting rota tab" if copied.groups else ""
        self.context.show_message(
            f"Copied {copied.words()} from {copied.previous} into {year}{rota}.", 10000
        )
        self.show_year()
        return True

    def export_compilation(self, fmt: str) -> None:
        from nexus_review.reports.compilation import CompilationOptions
        from nexus_review.usecases.reports import export_compilation

        year = self.current_year()
        context = self.context
        suggested = context.export_folder() / f"Collaborative-review-compilation-{year}.{fmt}"
        kind = "Word document (*.docx)" if fmt == "docx" else "PDF document (*.pdf)"
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the compilation", str(suggested), kind
        )
        if not target:
            return
        context.remember_export_folder(target)
        db = context.db

        def done(path: Any) -> None:
            self.last_export = Path(str(path))
            context.show_message(f"Compilation written to {path}", 8000)

        context.tasks.run_task(
            "Compiling the collaborative review compilation…",
            lambda: export_compilation(db, fmt, target, CompilationOptions(year=year)),
            done,
        )

    def export_csv(self, what: str) -> None:
        from nexus_review.reports.csv_export import actions_csv, judgements_csv, write_csv

        year = self.current_year()
        context = self.context
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Export a spreadsheet",
            str(context.export_folder() / f"{what}-{year}.csv"),
            "CSV spreadsheet (*.csv)",
        )
        if not target:
            return
        context.remember_export_folder(target)
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
        context.show_message(f"Spreadsheet written to {path}", 8000)
