"""The Imports view: the network administrator takes in review packages from every laptop.

Packages arrive by a file dialog or dragged onto the view. Each is read and checked off the GUI
thread, then a preview says what it would add, update and where it conflicts; applying runs in
the background with a progress bar. Below: every import so far, and the open conflicts, one per
field two laptops changed differently, with both versions side by side and a choice of which
to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.wording import counted, plural
from nexus_review.errors import InterchangeError, NexusError
from nexus_review.interchange.package import Package, read_package
from nexus_review.merge import ConflictItem, ImportPlan
from nexus_review.usecases.packages import (
    import_packages,
    list_conflicts,
    preview_import,
    resolve_conflict,
)
from nexus_review.usecases.visits import import_history
from ui.errors import show_error


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


class ImportPreviewDialog(QDialog):
    """What the packages would change, before anything is changed."""

    def __init__(self, plans: list[ImportPlan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import review packages")
        self.table = _table(
            ("Package", "From", "Visits", "New records", "Updated", "Unchanged", "Conflicts")
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
        _fill(self.table, rows)
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
        self.sides = _table(("Field", "Held before the import (ours)", "From the package (theirs)"))
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
        self.items = list_conflicts(self.page.window_.db)
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
            resolve_conflict(self.page.window_.db, self.items[row].id, keep)
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


class ImportsPage(QWidget):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.setAcceptDrops(True)
        self.import_button = QPushButton("Import review packages…")
        self.import_button.clicked.connect(self.choose_files)
        hint = QLabel("or drag .nxr files from reviewers onto this page")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(hint)
        top.addStretch(1)
        top.addWidget(self.progress)
        self.history = _table(
            ("Imported", "Package", "Reviewer", "Added", "Updated", "Unchanged", "Conflicts")
        )
        self.conflicts = ConflictPanel(self)
        split = QSplitter(Qt.Orientation.Vertical)
        history_box = QWidget()
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QLabel("Import history"))
        hl.addWidget(self.history)
        split.addWidget(history_box)
        split.addWidget(self.conflicts)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split)
        self.last_results: list[Any] = []
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def refresh(self) -> None:
        rows = [
            (
                f"{r.imported_at:%d %b %Y %H:%M}",
                r.file_name,
                r.reviewer_name,
                str(r.added),
                str(r.updated),
                str(r.unchanged),
                str(r.conflicts),
            )
            for r in import_history(self.window_.db)
        ]
        _fill(self.history, rows)
        self.conflicts.refresh()

    # ---- bringing packages in ------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import review packages",
            str(self.window_.export_folder()),
            "Review packages (*.nxr)",
        )
        if paths:
            self.import_files([Path(p) for p in paths])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(
            u.toLocalFile().lower().endswith(".nxr") for u in event.mimeData().urls()
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [
            Path(u.toLocalFile())
            for u in event.mimeData().urls()
            if u.toLocalFile().lower().endswith(".nxr")
        ]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def ask_passphrase(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Protected package", prompt, QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    def read_packages(self, paths: list[Path]) -> list[Package] | None:
        packages = []
        for path in paths:
            try:
                packages.append(read_package(path))
            except InterchangeError as err:
                if "protected with a passphrase" not in str(err):
                    show_error(self, err)
                    return None
                prompt = f"{path.name} is protected. Its passphrase:"
                while True:  # a mistyped passphrase asks again; Cancel ends the import
                    passphrase = self.ask_passphrase(prompt)
                    if passphrase is None:
                        return None
                    try:
                        packages.append(read_package(path, passphrase))
                        break
                    except NexusError as again:
                        if "passphrase is not" not in str(again):
                            show_error(self, again)
                            return None
                        prompt = (
                            f"That is not the passphrase {path.name} was protected with. Try again:"
                        )
        return packages

    def import_files(self, paths: list[Path]) -> None:
        packages = self.read_packages(paths)
        if not packages:
            return
        db = self.window_.db
        try:
            plans = [preview_import(db, p) for p in packages]
        except NexusError as err:
            show_error(self, err)
            return
        dialog = ImportPreviewDialog(plans, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.progress.setRange(0, len(packages))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        self._pending = list(packages)
        self.last_results = []
        self._import_next()

    def _import_next(self) -> None:
        """One package per background task, so the progress bar moves package by package."""
        db = self.window_.db
        if not self._pending:
            self._finished()
            return
        package = self._pending.pop(0)
        first = not self.last_results

        def done(results: list[Any]) -> None:
            self.last_results += results
            self.progress.setValue(len(self.last_results))
            self._import_next()

        def failed(exc: BaseException) -> None:
            self._pending = []
            self.progress.setVisible(False)
            self.import_button.setEnabled(True)
            show_error(self, exc)
            self.refresh()

        self.window_.tasks.run(lambda: import_packages(db, [package], backup=first), done, failed)

    def _finished(self) -> None:
        results = self.last_results
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        conflicts = sum(r.conflicts for r in results)
        self.window_.statusBar().showMessage(
            f"Imported {counted(len(results), 'review package')}: {counted(sum(r.added for r in results), 'record')} added, "
            f"{sum(r.updated for r in results):,} updated, {counted(conflicts, 'conflict')}.",
            10000,
        )
        self.refresh()
        self.window_.visits.refresh()
