"""The Imports view: every review package this database has taken in, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.storage.repository import import_history


class ImportsPage(QWidget):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.history = QTableWidget()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Review packages imported into this database"))
        layout.addWidget(self.history)

    def refresh(self) -> None:
        with self.window_.db.reading() as s:
            rows = import_history(s)
            data = [
                (f"{r.imported_at:%d %b %Y %H:%M}", r.file_name, r.reviewer_name, str(r.added), str(r.updated), str(r.unchanged), str(r.conflicts))
                for r in rows
            ]
        headers = ("Imported", "Package", "Reviewer", "Added", "Updated", "Unchanged", "Conflicts")
        self.history.setColumnCount(len(headers))
        self.history.setHorizontalHeaderLabels(headers)
        self.history.setRowCount(len(data))
        for r, row in enumerate(data):
            for c, text in enumerate(row):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()
