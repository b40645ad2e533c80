"""What the Imports view shows of one package and of one conflict: the preview of an import
before it is applied, and the two versions of a field side by side with the choice to keep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.wording import counted, plural
from nexus_review.errors import NexusError
from nexus_review.merge import ConflictItem, ImportPlan
from nexus_review.usecases.packages import (
    list_conflicts,
    resolve_conflict,
)
from ui.errors import show_error
from ui.widgets import fill_rows, row_table

if TYPE_CHECKING:
    from ui.imports_view import ImportsPage


class ImportPreviewDialog(QDialog):
    """What the packages would change, before anything is changed."""

    def __init__(self, plans: list[ImportPlan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import review packages")
        self.table = row_table(
            ["Package", "From", "Visits", "New records", "Updated", "Unchanged", "Conflicts"]
        )
        rows = []
        for plan in plans:
            p, n = plan.package, plan.summary()
            rows.append(
                (
                    p.name,
                    p.reviewer or "–",
                    str(p.visit_count),
                    str(n["add"]),
                    str(n["update"]),
                    str(n["unchanged"]),
                    str(n["conflict"]),
                )
            )
        fill_rows(self.table, rows)
        self.details = QListWidget()
        for plan in plans:
            for action, words in (
                ("add", "New visit"),
                ("update", "Updated visit"),
                ("conflict", "Changed on both sides"),
            ):
                for v in plan.visits(action):
                    self.details.addItem(f"{words}: {v.get('visit_date')} ({plan.package.name})")
        if not self.details.count():
            if any(plan.changes for plan in plans):
                self.details.addItem(
                    "No visit itself changes; only the records inside them, as counted above."
                )
            else:
                self.details.addItem(
                    "Everything in these packages is already in this database: importing changes nothing."
                )
        total = sum(plan.count("conflict") for plan in plans)
        note = QLabel(
            "Nothing is changed until you choose Import. The database is backed up first."
            + (
                f" {counted(total, 'field')} {plural('was', total)} changed differently on two laptops: both versions will be kept for you to choose."
                if total
                else ""
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(QLabel("Visits"))
        layout.addWidget(self.details)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(760, 460)


class ConflictPanel(QWidget):
    """The open conflicts; for the chosen one, the two versions side by side."""

    def __init__(self, page: ImportsPage) -> None:
        super().__init__()
        self.page = page
        self.items: list[ConflictItem] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.sides = row_table(
            ["Field", "Held before the import (ours)", "From the package (theirs)"]
        )
        self.sides.setWordWrap(True)
        self.keep_ours = QPushButton("Keep ours")
        self.keep_theirs = QPushButton("Keep theirs")
        self.keep_ours.clicked.connect(lambda: self.resolve("ours"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.shown = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.shown, 1)
        buttons.addWidget(self.keep_ours)
        buttons.addWidget(self.keep_theirs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        layout.addWidget(self.title)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.sides)
        right_layout.addLayout(buttons)
        split.addWidget(right)
        split.setSizes([300, 600])
        layout.addWidget(split, 1)
        header = self.sides.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def refresh(self) -> None:
        self.items = list_conflicts(self.page.context.db)
        self.title.setText(
            f"Open conflicts ({len(self.items)})"
            if self.items
            else "No open conflicts: every record agrees."
        )
        self.list.clear()
        for c in self.items:
            # One conflict per field: the record, then the field both laptops changed.
            self.list.addItem(
                QListWidgetItem(f"{c.title}: {c.field.replace('_', ' ')}" if c.field else c.title)
            )
        if self.items:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        enabled = 0 <= row < len(self.items)
        self.keep_ours.setEnabled(enabled)
        self.keep_theirs.setEnabled(enabled)
        if not enabled:
            self.sides.setRowCount(0)
            self.shown.setText("")
            return
        c = self.items[row]
        rows = [
            (name.replace("_", " "), _text(ours, name), _text(theirs, name))
            for name, ours, theirs in c.differences()
        ]
        self.sides.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for col, text in enumerate(cells):
                self.sides.setItem(r, col, QTableWidgetItem(text))
        self.sides.resizeRowsToContents()
        where = "This field now shows" if c.field else "The record now shows"
        self.shown.setText(
            f"{where} {'ours' if c.shown == 'ours' else 'theirs'} (the newer change); the record's other fields keep every change."
        )

    def resolve(self, keep: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        try:
            resolve_conflict(self.page.context.db, self.items[row].id, keep)
        except NexusError as err:
            show_error(self, err)
        self.page.refresh()


def _text(value: Any, field: str = "") -> str:
    from nexus_review.domain.enums import (
        ActionStatus,
        EvidenceKind,
        VisitKind,
        VisitStatus,
        label_of,
    )

    if value is None:
        return "–"
    vocabulary = {"status": (VisitStatus, ActionStatus), "kind": (VisitKind, EvidenceKind)}.get(
        field, ()
    )
    for enum in vocabulary:
        if value in enum._value2member_map_:
            return label_of(enum, value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "deleted" if value else "kept"
    return str(value)
