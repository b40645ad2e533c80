"""The main window: a navigation pane on the left and the chosen view in the centre."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
)

from nexus_review import APP_NAME
from nexus_review.domain.enums import VisitKind, VisitStatus, label_of
from nexus_review.domain.records import VisitSummary
from nexus_review.storage.database import Database
from nexus_review.storage.repository import visit_summaries

Index = QModelIndex | QPersistentModelIndex


class VisitTableModel(QAbstractTableModel):
    """The visit list: date, host school, kind, status, review team."""

    HEADERS = ("Date", "Host school", "Kind", "Status", "Review team")

    def __init__(self, rows: list[VisitSummary] | None = None) -> None:
        super().__init__()
        self._rows = rows or []

    def set_rows(self, rows: list[VisitSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        v = self._rows[index.row()]
        return (
            v.visit_date.strftime("%d %b %Y"),
            v.host_school_name,
            label_of(VisitKind, v.kind),
            label_of(VisitStatus, v.status),
            ", ".join(v.reviewers),
        )[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class MainWindow(QMainWindow):
    SECTIONS = ("Visits", "Schools", "Network", "Imports")

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(APP_NAME)
        self.resize(1100, 700)
        self.nav = QListWidget()
        self.nav.addItems(self.SECTIONS)
        self.nav.setMaximumWidth(180)
        self.stack = QStackedWidget()
        self.visit_model = VisitTableModel()
        self.visit_view = QTableView()
        self.visit_view.setModel(self.visit_model)
        self.visit_view.horizontalHeader().setStretchLastSection(True)
        self.stack.addWidget(self.visit_view)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.nav.setCurrentRow(0)
        self.refresh()

    def refresh(self) -> None:
        with self.db.reading() as session:
            self.visit_model.set_rows(visit_summaries(session))
