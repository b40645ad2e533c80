"""The Network view: the matrix of schools × shared development priorities for a year."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.storage.repository import priority_matrix, priority_years


class NetworkPage(QWidget):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.year = QComboBox()
        self.year.activated.connect(lambda _i: self.show_matrix())
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(QLabel("Shared development priorities in"))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        hint = QLabel("Schools that share priorities can review each other in triads and quartets.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.matrix)

    def refresh(self) -> None:
        with self.window_.db.reading() as s:
            years = priority_years(s)
        current = self.year.currentText()
        self.year.clear()
        self.year.addItems(years)
        if current in years:
            self.year.setCurrentText(current)
        self.show_matrix()

    def show_matrix(self) -> None:
        year = self.year.currentText()
        if not year:
            self.matrix.setRowCount(0)
            self.matrix.setColumnCount(0)
            return
        with self.window_.db.reading() as s:
            m = priority_matrix(s, year)
        self.matrix.setRowCount(len(m.schools))
        self.matrix.setColumnCount(len(m.themes))
        self.matrix.setHorizontalHeaderLabels(list(m.themes))
        self.matrix.setVerticalHeaderLabels([name for _id, name in m.schools])
        shade = QBrush(QColor("#cfe0f1"))
        for r, (school_id, _name) in enumerate(m.schools):
            for c, theme in enumerate(m.themes):
                item = QTableWidgetItem("●" if m.has(school_id, theme) else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if m.has(school_id, theme):
                    item.setBackground(shade)
                self.matrix.setItem(r, c, item)
        self.matrix.resizeColumnsToContents()
