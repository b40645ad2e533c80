"""The program's dialogs: first run, settings and a new visit (the export dialogs are in
``ui.export_dialogs``)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nexus_review import APP_NAME
from nexus_review.domain.enums import VisitKind
from nexus_review.domain.records import ReviewerItem, SchoolItem
from nexus_review.frameworks import all_frameworks
from nexus_review.paths import data_dir, default_database_path
from ui.settings import Settings
from ui.widgets import keep_calendar_on_screen


class RememberedDialog(QDialog):
    """A dialog that keeps its size and place between uses."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.setObjectName(name)

    def showEvent(self, event: QShowEvent) -> None:
        state = Settings().window_state(f"dialog-{self._name}")
        if state is not None:
            self.restoreGeometry(state)
        super().showEvent(event)

    def done(self, result: int) -> None:
        Settings().set_window_state(f"dialog-{self._name}", self.saveGeometry())
        super().done(result)


def ok_cancel(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    """OK (named for what it does) and Cancel, accepting and rejecting the dialog."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class FirstRunDialog(QDialog):
    """Who the reviewer is, and which database to use."""

    def __init__(self, schools: list[SchoolItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        intro = QLabel(
            "Nexus Review keeps your review notes on this laptop and saves every word as you type, "
            "with or without a network. First, tell it who you are."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Mrs Helen Ashworth")
        self.school = QComboBox()
        self.school.setEditable(True)
        self.school.addItem("", "")
        for s in schools:
            self.school.addItem(s.name, s.id)
        self.embedded = QRadioButton(
            f"Keep my reviews in this computer's data folder ({default_database_path()})"
        )
        self.embedded.setChecked(True)
        self.other = QRadioButton("Use another database file:")
        self.path = QLineEdit()
        self.path.setEnabled(False)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        self.other.toggled.connect(self.path.setEnabled)
        self.demo = QCheckBox(
            "Load the demo network (the ten NEXUS schools: this school year so far and the two before) to try things out"
        )
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Your school", self.school)
        other_row = QHBoxLayout()
        other_row.addWidget(self.other)
        other_row.addWidget(self.path, 1)
        other_row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Database"))
        layout.addWidget(self.embedded)
        layout.addLayout(other_row)
        layout.addWidget(self.demo)
        self.buttons = ok_cancel(self, "Start")
        layout.addWidget(self.buttons)
        self.resize(640, 300)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Database file", str(data_dir()), "Nexus Review database (*.db)"
        )
        if path:
            self.path.setText(path)

    def database_path(self) -> str:
        return self.path.text().strip() if self.other.isChecked() else ""

    def school_name(self) -> str:
        return self.school.currentText().strip()

    def school_id(self) -> str:
        index = self.school.findText(self.school.currentText())
        return str(self.school.itemData(index) or "") if index >= 0 else ""


class SettingsDialog(RememberedDialog):
    """Reviewer identity, default framework, data folder, autosave interval, theme."""

    def __init__(
        self,
        settings: Settings,
        schools: list[SchoolItem],
        parent: QWidget | None = None,
        lesson_grading: bool = False,
    ) -> None:
        super().__init__("settings", parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.name = QLineEdit(settings.get("reviewer/name"))
        self.school = QComboBox()
        self.school.addItem("", "")
        for s in schools:
            self.school.addItem(s.name, s.id)
        self.school.setCurrentIndex(
            max(self.school.findData(settings.get("reviewer/home_school_id")), 0)
        )
        self.framework = QComboBox()
        for key, fw in all_frameworks().items():
            self.framework.addItem(fw.name, key)
        self.framework.setCurrentIndex(
            max(self.framework.findData(settings.get("visits/default_framework")), 0)
        )
        self.database = QLineEdit(settings.get("database/path") or str(default_database_path()))
        self.database.setReadOnly(True)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        db_row = QHBoxLayout()
        db_row.addWidget(self.database, 1)
        db_row.addWidget(browse)
        self.data_folder = QLabel(str(data_dir()))
        self.data_folder.setToolTip("Backups, the log file and the settings live here")
        self.autosave = QSpinBox()
        self.autosave.setRange(1, 30)
        self.autosave.setSuffix(" s after the last keystroke")
        self.autosave.setValue(max(1, settings.get("editing/autosave_ms") // 1000))
        self.theme = QComboBox()
        for key, label in (
            ("system", "Follow the system (light or dark)"),
            ("light", "Light"),
            ("dark", "Dark"),
        ):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(self.theme.findData(settings.get("appearance/theme")), 0))
        form = QFormLayout(self)
        form.addRow("Your name", self.name)
        form.addRow("Your school", self.school)
        form.addRow("Framework for new visits", self.framework)
        form.addRow("Database", db_row)
        form.addRow("Data folder", self.data_folder)
        form.addRow("Save automatically", self.autosave)
        form.addRow("Appearance", self.theme)
        self.lesson_grading = QCheckBox(
            "Grade single lessons (off: Ofsted no longer grades lessons)"
        )
        self.lesson_grading.setToolTip(
            "For the whole network in this database: lesson observations get a grade for each area"
        )
        self.lesson_grading.setChecked(lesson_grading)
        form.addRow("Lesson observations", self.lesson_grading)
        self.hide_until_own = QCheckBox(
            "Hide the other reviewers' own grades until I have given mine"
        )
        self.hide_until_own.setChecked(bool(settings.get("consistency/hide_until_own")))
        form.addRow("Own grades", self.hide_until_own)
        self.retention_years = QSpinBox()
        self.retention_years.setRange(1, 30)
        self.retention_years.setValue(6)
        self.retention_years.setSuffix(" years")
        self.retention_button = QPushButton("Delete visits older than this…")
        self.retention_button.setToolTip(
            "Removes old visits with all their notes for good, after a backup (data protection)"
        )
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention_years)
        retention_row.addWidget(self.retention_button)
        retention_row.addStretch(1)
        form.addRow("Keep visits for", retention_row)
        self.note = QLabel("A new database is opened the next time the program starts.")
        self.note.setVisible(False)
        form.addRow(self.note)
        form.addRow(ok_cancel(self, "Save"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Database file", self.database.text(), "Nexus Review database (*.db)"
        )
        if path:
            self.database.setText(path)
            self.note.setVisible(True)

    def apply(self) -> None:
        s = self.settings
        s.set("reviewer/name", self.name.text().strip())
        s.set("reviewer/home_school_id", self.school.currentData() or "")
        s.set("visits/default_framework", self.framework.currentData())
        db = self.database.text().strip()
        s.set("database/path", "" if db == str(default_database_path()) else db)
        s.set("editing/autosave_ms", self.autosave.value() * 1000)
        s.set("consistency/hide_until_own", self.hide_until_own.isChecked())
        s.set("appearance/theme", self.theme.currentData())


class NewVisitDialog(RememberedDialog):
    """Plan a visit: host school, date, kind, framework, and the review team's lead."""

    def __init__(
        self,
        schools: list[SchoolItem],
        reviewers: list[ReviewerItem],
        default_framework: str,
        me: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("new-visit", parent)
        self.setWindowTitle("New visit")
        self.school = QComboBox()
        for s in schools:
            self.school.addItem(s.name, s.id)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        keep_calendar_on_screen(self.date)
        self.date.setDisplayFormat("dddd d MMMM yyyy")
        self.kind = QComboBox()
        for k in VisitKind:
            self.kind.addItem(k.label, k.value)
        self.framework = QComboBox()
        for key, fw in all_frameworks().items():
            self.framework.addItem(fw.name, key)
        self.framework.setCurrentIndex(max(self.framework.findData(default_framework), 0))
        self.lead = QComboBox()
        for r in reviewers:
            self.lead.addItem(r.name, r.id)
        self.lead.setCurrentIndex(max(self.lead.findData(me), 0))
        # A reviewer visits another school: the host starts as the first school that is not
        # the lead reviewer's own.
        self.reviewers = {r.id: r for r in reviewers}
        self._choose_host_away_from_lead()
        self.lead.activated.connect(lambda _i: self._choose_host_away_from_lead())
        form = QFormLayout(self)
        form.addRow("Host school", self.school)
        form.addRow("Date", self.date)
        form.addRow("Kind of visit", self.kind)
        form.addRow("Framework", self.framework)
        form.addRow("Lead reviewer", self.lead)
        hint = QLabel(
            "Add the rest of the team, the focus areas and the school's self-evaluation on the visit's Plan page."
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(ok_cancel(self, "Create visit"))

    def _choose_host_away_from_lead(self) -> None:
        lead = self.reviewers.get(self.lead.currentData())
        own = lead.home_school_id if lead is not None else None
        if own and self.school.currentData() == own:
            for i in range(self.school.count()):
                if self.school.itemData(i) != own:
                    self.school.setCurrentIndex(i)
                    break

    def values(self) -> dict[str, object]:
        lead = self.lead.currentData()
        return {
            "host_school_id": self.school.currentData(),
            "visit_date": self.date.date().toPython(),
            "kind": self.kind.currentData(),
            "framework_key": self.framework.currentData(),
            "team": [lead] if lead else [],
            "lead_id": lead,
        }
