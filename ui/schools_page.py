"""The Schools section: the network's schools and the priorities they have shared."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from nexus_review.usecases.opening import Database


class SchoolsPage(QWidget):
    """The network's schools with their headteachers and their priorities for a school year
    (this one at first)."""

    def __init__(self, db: Database | None) -> None:
        super().__init__()
        self.db = db
        self.year = QComboBox()
        self.year.activated.connect(lambda _i: self.refresh())
        self.year.setAccessibleName("Priorities for the academic year")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        top = QHBoxLayout()
        intro = QLabel(
            "The schools of the network, with the development priorities they have shared."
        )
        intro.setWordWrap(True)  # on a small screen the line wraps rather than widen the window
        top.addWidget(intro, 1)
        top.addWidget(QLabel("Priorities for"))
        top.addWidget(self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table)

    def current_year(self) -> str:
        return self.year.currentText()

    def refresh(self) -> None:
        if self.db is None:  # the window is still opening its database
            return
        from nexus_review.usecases import visits

        shown = visits.school_priorities(self.db, self.year.currentText())
        years, year, rows = list(shown.years), shown.year, shown.rows
        self.year.clear()
        self.year.addItems(years)
        self.year.setCurrentText(year)
        shared = any(themes for _sc, themes in rows)
        self.note.setText(
            ""
            if shared or not rows
            else f"No school has shared its priorities for {year} yet: the Network view can copy last year's as a start."
        )
        self.note.setVisible(not shared and bool(rows))
        headers = ("School", "URN", "Phase", "Headteacher", f"Priorities for {year}")
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, (sc, themes) in enumerate(rows):
            for c, text in enumerate(
                (sc.name, sc.urn, sc.phase, sc.headteacher, ", ".join(themes) or "–")
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
