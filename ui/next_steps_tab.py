"""The Network view's Next steps tab: every agreed next step of the year's visits, narrowed by
status, school or overdue, marked in progress or done, with follow-up notes from the meetings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import ActionStatus
from nexus_review.domain.network import TrackedAction, tracked_actions
from nexus_review.errors import NexusError
from nexus_review.usecases.network import update_action
from ui.errors import show_error
from ui.widgets import row_table, table_item

if TYPE_CHECKING:
    from ui.network_view import NetworkPage

_item = table_item
_table = row_table


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
            update_action(self.page.context.db, action_id, status=status, note=note)
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
            update_action(self.page.context.db, action_id, note=text)
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
