"""The plan of a visit: host school, date, kind, framework, focus areas and team."""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import VisitKind, VisitStatus
from nexus_review.domain.records import ReviewerItem, SchoolItem
from nexus_review.domain.working_copy import Table, VisitField, VisitReviewerField
from nexus_review.frameworks import (
    all_frameworks,
    get_framework,
)
from nexus_review.usecases import editing, visits
from ui.visit.common import text_box
from ui.visit.judgement_model import JudgementTableModel
from ui.visit.session import VisitSession
from ui.widgets import (
    ChoiceDelegate,
    FieldBinder,
    QuietComboBox,
    keep_calendar_on_screen,
    quiet_wheel,
)


class PlanPage(QWidget):
    """Host school, date, kind, framework, focus areas, the review team, and the school's own
    self-evaluation for each area."""

    def __init__(
        self, session: VisitSession, schools: list[SchoolItem], reviewers: list[ReviewerItem]
    ) -> None:
        super().__init__()
        self.session = session
        self.binder = FieldBinder(session, Table.VISIT, self)
        self.school = QuietComboBox()
        for s in schools:
            self.school.addItem(s.name, s.id)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        keep_calendar_on_screen(self.date)
        quiet_wheel(self.date)
        self.date.setDisplayFormat("dddd d MMMM yyyy")
        self.kind = QuietComboBox()
        for k in VisitKind:
            self.kind.addItem(k.label, k.value)
        self.framework = QuietComboBox()
        for key, fw in all_frameworks().items():
            self.framework.addItem(fw.name, key)
        self.status = QuietComboBox()
        for st in VisitStatus:
            self.status.addItem(st.label, st.value)
        self.focus = text_box("One focus area per line, as agreed with the school", 70)
        self.focus.setMaximumHeight(120)
        self.focus.setUndoRedoEnabled(False)
        self.priorities_button = QToolButton()
        self.priorities_button.setText("Add from the school's priorities")
        self.priorities_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.priorities_menu = QMenu(self)
        self.priorities_button.setMenu(self.priorities_menu)
        self.priorities_menu.aboutToShow.connect(self._fill_priorities)
        self.team = QListWidget()
        self.team.setMinimumHeight(180)
        self.reviewers = reviewers
        for r in reviewers:
            item = QListWidgetItem(
                f"{r.name} – {r.role}" + (f", {r.home_school_name}" if r.home_school_name else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            self.team.addItem(item)
        self.lead = QuietComboBox()
        self.self_model = JudgementTableModel(
            session, get_framework(session.visit[VisitField.FRAMEWORK_KEY])
        )
        self.self_table = QTableView()
        self.self_table.setModel(self.self_model)
        self.self_table.setItemDelegateForColumn(
            JudgementTableModel.SELF, ChoiceDelegate(self.self_table)
        )
        self.self_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for col in range(2, len(JudgementTableModel.HEADERS)):
            self.self_table.setColumnHidden(col, True)
        self.self_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.self_table.horizontalHeader().setStretchLastSection(True)
        self.self_table.verticalHeader().hide()
        self.self_box = QGroupBox("The school's own self-evaluation")
        QVBoxLayout(self.self_box).addWidget(self.self_table)

        form = QFormLayout()
        form.addRow("Host school", self.school)
        form.addRow("Date", self.date)
        form.addRow("Kind of visit", self.kind)
        form.addRow("Framework", self.framework)
        form.addRow("Status", self.status)
        focus_row = QVBoxLayout()
        focus_row.addWidget(self.focus)
        focus_row.addWidget(self.priorities_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Agreed focus areas", focus_row)
        form.addRow("Review team", self.team)
        self.team_warning = QLabel()
        self.team_warning.setWordWrap(True)
        self.team_warning.setStyleSheet("color: #b45309; font-weight: 600;")
        self.team_warning.setVisible(False)
        form.addRow("", self.team_warning)
        form.addRow("Lead reviewer", self.lead)
        layout = QHBoxLayout(self)
        left = QWidget()
        left.setLayout(form)
        layout.addWidget(left, 3)
        layout.addWidget(self.self_box, 2)

        self.binder.choice(self.school, VisitField.HOST_SCHOOL_ID)
        self.binder.choice(self.kind, VisitField.KIND)
        self.binder.choice(self.framework, VisitField.FRAMEWORK_KEY)
        self.binder.choice(self.status, VisitField.STATUS)
        self._loading = False
        self.date.dateChanged.connect(self._on_date_changed)
        self.focus.textChanged.connect(self._on_focus_changed)
        self.team.itemChanged.connect(self._on_team_changed)
        self.lead.activated.connect(self._on_lead_changed)
        session.changed.connect(self._on_session_changed)
        self.binder.set_record(session.visit_id)
        self._show_visit()

    def _show_visit(self) -> None:
        self._loading = True
        v = self.session.visit
        day: dt.date = v[VisitField.VISIT_DATE]
        self.date.setDate(QDate(day.year, day.month, day.day))
        text = "\n".join(v.get(VisitField.FOCUS_AREAS) or [])
        if [x.strip() for x in self.focus.toPlainText().splitlines() if x.strip()] != list(
            v.get(VisitField.FOCUS_AREAS) or []
        ):
            self.focus.setPlainText(text)
        members = {
            m[VisitReviewerField.REVIEWER_ID]: m for m in self.session.rows(Table.VISIT_REVIEWER)
        }
        for i in range(self.team.count()):
            item = self.team.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in members
                else Qt.CheckState.Unchecked
            )
        self.lead.clear()
        lead_index = 0
        in_order = sorted(members.values(), key=lambda m: m.get(VisitReviewerField.POSITION) or 0)
        for pos, m in enumerate(in_order):
            reviewer_id = m[VisitReviewerField.REVIEWER_ID]
            name = next((r.name for r in self.reviewers if r.id == reviewer_id), reviewer_id)
            self.lead.addItem(name, reviewer_id)
            if m.get(VisitReviewerField.IS_LEAD):
                lead_index = pos
        self.lead.setCurrentIndex(lead_index)
        self._show_team_warning()
        self._loading = False

    def _show_team_warning(self) -> None:
        """A school's own head reviewing it is no peer review: say so beside the team."""
        team = [m[VisitReviewerField.REVIEWER_ID] for m in self.session.rows(Table.VISIT_REVIEWER)]
        own = editing.own_school_reviewers(
            self.reviewers, team, self.session.visit[VisitField.HOST_SCHOOL_ID]
        )
        self.team_warning.setText(editing.own_school_warning(own))
        self.team_warning.setVisible(bool(own))

    def _on_date_changed(self, qdate: QDate) -> None:
        if not self._loading:
            self.session.edit(
                Table.VISIT,
                self.session.visit_id,
                VisitField.VISIT_DATE,
                qdate.toPython(),
                text="Change the date",
                merge=False,
            )

    def _on_focus_changed(self) -> None:
        if self._loading:
            return
        items = [line.strip() for line in self.focus.toPlainText().splitlines() if line.strip()]
        self.session.edit(
            Table.VISIT,
            self.session.visit_id,
            VisitField.FOCUS_AREAS,
            items,
            text="Edit focus areas",
        )

    def _fill_priorities(self) -> None:
        self.priorities_menu.clear()
        v = self.session.visit
        themes = visits.priorities_of(
            self.session.db, v[VisitField.HOST_SCHOOL_ID], v[VisitField.VISIT_DATE]
        )
        if not themes:
            self.priorities_menu.addAction(
                "The school has shared no priorities for this year"
            ).setEnabled(False)
        for theme in themes:
            self.priorities_menu.addAction(theme, functools.partial(self.add_focus, theme))

    def add_focus(self, theme: str) -> None:
        current = list(self.session.visit.get(VisitField.FOCUS_AREAS) or [])
        if theme not in current:
            self.session.edit(
                Table.VISIT,
                self.session.visit_id,
                VisitField.FOCUS_AREAS,
                [*current, theme],
                text="Add a focus area",
                merge=False,
            )

    def _on_team_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        reviewer_id = item.data(Qt.ItemDataRole.UserRole)
        ticked = item.checkState() == Qt.CheckState.Checked
        self.session.apply(
            editing.set_team_member(
                self.session.records, self.session.visit_id, reviewer_id, ticked
            )
        )

    def _on_lead_changed(self, _index: int) -> None:
        edits = editing.choose_lead(self.session.records, self.lead.currentData())
        self.session.begin_macro(edits.text)  # one step even when nothing changes, as before
        self.session.apply(edits)
        self.session.end_macro()

    def _on_session_changed(self, table: str, _record_id: str, field: str) -> None:
        shown = (VisitField.VISIT_DATE, VisitField.FOCUS_AREAS, VisitField.HOST_SCHOOL_ID)
        if table == Table.VISIT_REVIEWER or (table == Table.VISIT and field in shown):
            self._show_visit()
        if table == Table.VISIT and field == VisitField.FRAMEWORK_KEY:
            framework = get_framework(self.session.visit[VisitField.FRAMEWORK_KEY])
            self.self_model.set_framework(framework)
