"""The export dialogs: a feedback report's options and where it is saved, and a review package
to send (which visits, a passphrase)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from nexus_review.reports.feedback import ReportOptions
from ui.dialogs import RememberedDialog, ok_cancel
from ui.settings import Settings


class ExportDialog(RememberedDialog):
    """The report options: observation notes, anonymised staff, evidence points, paper size."""

    def __init__(self, fmt: str, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("export-report", parent)
        self.settings = settings
        self.setWindowTitle("Export as Word" if fmt == "docx" else "Export as PDF")
        self.notes = QCheckBox("Include each observation's own notes")
        self.anonymise = QCheckBox('Anonymise staff (names become "Teacher A", "Teacher B"…)')
        self.points = QCheckBox("Add the strengths and areas for development from the evidence log")
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.open_after = QCheckBox("Open the file afterwards")
        self.anonymise.setToolTip("On by default for anything that leaves the school")
        self.notes.setChecked(settings.get("export/notes"))
        self.anonymise.setChecked(settings.get("export/anonymise"))
        self.points.setChecked(settings.get("export/evidence_points"))
        self.paper.setCurrentIndex(max(self.paper.findData(settings.get("export/paper")), 0))
        self.open_after.setChecked(settings.get("export/open_after"))
        form = QFormLayout(self)
        form.addRow(self.notes)
        form.addRow(self.anonymise)
        form.addRow(self.points)
        form.addRow("Paper", self.paper)
        form.addRow(self.open_after)
        form.addRow(ok_cancel(self, "Choose where to save…"))

    def remember(self) -> None:
        s = self.settings
        s.set("export/notes", self.notes.isChecked())
        s.set("export/anonymise", self.anonymise.isChecked())
        s.set("export/evidence_points", self.points.isChecked())
        s.set("export/paper", self.paper.currentData())
        s.set("export/open_after", self.open_after.isChecked())

    def options(self) -> ReportOptions:
        return ReportOptions(
            include_notes=self.notes.isChecked(),
            anonymise=self.anonymise.isChecked(),
            paper=self.paper.currentData(),
            evidence_points=self.points.isChecked(),
        )


def suggested_report_name(school: str, day: dt.date, fmt: str) -> str:
    safe = "".join(c for c in school if c.isalnum() or c in " -").strip().replace(" ", "-")
    return f"Peer-review-feedback-{safe}-{day.isoformat()}.{fmt}"


def default_export_folder() -> Path:
    docs = Path.home() / "Documents"
    return docs if docs.is_dir() else Path.home()


class ExportPackageDialog(RememberedDialog):
    """Which visits go in the review package, and an optional passphrase."""

    def __init__(self, selected_visit: str | None, parent: QWidget | None = None) -> None:
        super().__init__("export-package", parent)
        self.setWindowTitle("Export review package")
        self.changed = QRadioButton("Every visit changed since my last review package")
        self.changed.setChecked(True)
        self.everything = QRadioButton("Every visit in this database")
        self.selected = QRadioButton("Only the visit I have open or selected")
        self.selected.setEnabled(selected_visit is not None)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Optional: recommended when the package goes by email")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        form = QFormLayout(self)
        form.addRow(self.changed)
        form.addRow(self.everything)
        form.addRow(self.selected)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Passphrase again", self.confirm)
        note = QLabel(
            "Notes name staff: protect the package with a passphrase and tell the administrator it by phone, not in the same email."
        )
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.problem)
        form.addRow(ok_cancel(self, "Choose where to save…"))

    def accept(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.problem.setText("The two passphrases are not the same.")
            return
        super().accept()

    def choice(self) -> str:
        return (
            "all"
            if self.everything.isChecked()
            else "selected"
            if self.selected.isChecked()
            else "changed"
        )
