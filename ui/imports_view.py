"""The Imports view: the network administrator takes in review packages from every laptop.

Packages arrive by a file dialog or dragged onto the view. Each is read and checked off the GUI
thread, then a preview says what it would add, update and where it conflicts; applying runs in
the background with a progress bar. Below: every import so far, and the open conflicts, one per
field two laptops changed differently, with both versions side by side and a choice of which
to keep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.wording import counted
from nexus_review.errors import InterchangeError, NexusError
from nexus_review.interchange.package import Package, read_package
from nexus_review.usecases.packages import (
    import_packages,
    preview_import,
)
from nexus_review.usecases.visits import import_history
from ui.context import AppContext
from ui.errors import show_error
from ui.import_dialogs import ConflictPanel, ImportPreviewDialog
from ui.widgets import fill_rows, row_table


class ImportsPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
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
        self.history = row_table(
            ["Imported", "Package", "Reviewer", "Added", "Updated", "Unchanged", "Conflicts"]
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
            for r in import_history(self.context.db)
        ]
        fill_rows(self.history, rows)
        self.conflicts.refresh()

    # ---- bringing packages in ------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import review packages",
            str(self.context.export_folder()),
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
        db = self.context.db
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
        db = self.context.db
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

        self.context.tasks.run(lambda: import_packages(db, [package], backup=first), done, failed)

    def _finished(self) -> None:
        results = self.last_results
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        conflicts = sum(r.conflicts for r in results)
        self.context.show_message(
            f"Imported {counted(len(results), 'review package')}: {counted(sum(r.added for r in results), 'record')} added, "
            f"{sum(r.updated for r in results):,} updated, {counted(conflicts, 'conflict')}.",
            10000,
        )
        self.refresh()
        self.context.refresh_visits()
