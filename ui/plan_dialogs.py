"""The network administrator's dialogs for the trust's aims and delivery plan, opened from the
Dashboard's Aims tab: an aim, where the priority themes sit, a delivery action, a term's
progress.

Each dialog saves through one use case of :mod:`nexus_review.usecases.trust` when OK is
pressed; a refusal is said in one sentence and the dialog stays open with what was typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    TERMS,
    AimItem,
    DeliveryActionItem,
)
from nexus_review.errors import NexusError
from nexus_review.usecases.opening import Database
from nexus_review.usecases.trust import (
    ActionWording,
    add_aim,
    add_delivery_action,
    edit_aim,
    edit_delivery_action,
    map_themes,
    priority_themes,
    record_progress,
)
from ui.dialogs import RememberedDialog, ok_cancel
from ui.errors import show_error
from ui.widgets import QuietComboBox, keep_calendar_on_screen, quiet_wheel


def _text_box(text: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class _SavingDialog(RememberedDialog):
    """OK saves; a refusal is shown and the dialog stays open."""

    def save(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.save()
        except NexusError as err:
            show_error(self, err)
            return
        super().accept()


class AimDialog(_SavingDialog):
    """Add an aim, or reword one and give it its number."""

    def __init__(
        self, db: Database, aims: list[AimItem], aim: AimItem | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("aim", parent)
        self.db, self.aim = db, aim
        self.setWindowTitle("Edit aim" if aim else "Add aim")
        self.title = QLineEdit(aim.title if aim else "")
        self.title.setMaxLength(300)
        self.title.setPlaceholderText(
            "e.g. All children enjoy their learning and make at least good progress"
        )
        self.description = _text_box(aim.description if aim else "", 4)
        self.number = QSpinBox()
        count = len(aims) + (0 if aim else 1)
        self.number.setRange(1, max(1, count))
        self.number.setValue(
            next((n for n, a in enumerate(aims, start=1) if aim and a.id == aim.id), count)
        )
        self.number.setEnabled(aim is not None)
        self.number.setToolTip(
            "Its place among the aims: the other aims keep their order around it."
            if aim
            else "A new aim comes last; edit it afterwards to move it."
        )
        quiet_wheel(self.number)
        self.saved_id = aim.id if aim else ""
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Description", self.description)
        form.addRow("Aim &number", self.number)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save aim" if aim else "Add aim"))
        self.resize(560, self.sizeHint().height())

    def save(self) -> None:
        title, description = self.title.text(), self.description.toPlainText()
        if self.aim is None:
            self.saved_id = add_aim(self.db, title, description)
        else:
            edit_aim(self.db, self.aim.id, title, description, self.number.value())


class ThemesDialog(_SavingDialog):
    """Each priority theme the schools use, and the aim it is under."""

    NO_AIM = "Under no aim"

    def __init__(self, db: Database, aims: list[AimItem], parent: QWidget | None = None) -> None:
        super().__init__("aim-themes", parent)
        self.db = db
        self.setWindowTitle("Priority themes under the aims")
        intro = QLabel(
            "Choose the aim each priority theme belongs under. The themes are those the "
            "schools' development-plan priorities use; the compilation, the dashboard and "
            "the standards report gather priorities under their aim."
        )
        intro.setWordWrap(True)
        self.themes = priority_themes(db)
        self.table = QTableWidget(len(self.themes), 2)
        self.table.setHorizontalHeaderLabels(["Priority theme", "Aim"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.choices: list[QComboBox] = []
        for row, (theme, aim_id) in enumerate(self.themes):
            self.table.setItem(row, 0, QTableWidgetItem(theme))
            combo = QuietComboBox()
            combo.setAccessibleName(f"Aim for {theme}")
            combo.addItem(self.NO_AIM, None)
            for n, a in enumerate(aims, start=1):
                combo.addItem(f"Aim {n}: {a.title}", a.id)
            combo.setCurrentIndex(max(0, combo.findData(aim_id)) if aim_id else 0)
            self.table.setCellWidget(row, 1, combo)
            self.choices.append(combo)
        self.table.resizeRowsToContents()
        empty = QLabel("No school has a priority yet, so there is no theme to place.")
        empty.setVisible(not self.themes)
        self.moved = 0
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(ok_cancel(self, "Save"))
        self.resize(720, 560)

    def save(self) -> None:
        chosen = {
            theme: combo.currentData()
            for (theme, aim_id), combo in zip(self.themes, self.choices, strict=True)
            if combo.currentData() != aim_id
        }
        self.moved = map_themes(self.db, chosen) if chosen else 0


class DeliveryActionDialog(_SavingDialog):
    """Add a measurable action to the year's delivery plan, or edit one."""

    def __init__(
        self,
        db: Database,
        year: str,
        aims: list[AimItem],
        action: DeliveryActionItem | None,
        aim_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("delivery-action", parent)
        self.db, self.year, self.action = db, action.year if action else year, action
        self.setWindowTitle(
            f"Edit delivery action ({self.year})"
            if action
            else f"Add delivery action ({self.year})"
        )
        self.aim = QuietComboBox()
        for n, a in enumerate(aims, start=1):
            self.aim.addItem(f"Aim {n}: {a.title}", a.id)
        wanted = action.aim_id if action else aim_id
        if wanted and self.aim.findData(wanted) >= 0:
            self.aim.setCurrentIndex(self.aim.findData(wanted))
        self.what = _text_box(action.what if action else "", 2)
        self.how = _text_box(action.how if action else "", 3)
        self.outcome = _text_box(action.outcome if action else "", 2)
        self.outcome.setPlaceholderText(
            "How the board will know it worked, e.g. phonics check at or above national"
        )
        self.lead = QLineEdit(action.lead if action else "")
        self.lead.setMaxLength(200)
        self.has_due = QCheckBox("Due by")
        self.due = keep_calendar_on_screen(QDateEdit())
        self.due.setDisplayFormat("d MMM yyyy")
        quiet_wheel(self.due)
        start = int(self.year[:4]) if self.year[:4].isdigit() else dt.date.today().year
        due = action.due_date if action and action.due_date else dt.date(start + 1, 7, 17)
        self.due.setDate(QDate(due.year, due.month, due.day))
        self.has_due.setChecked(bool(action and action.due_date) or action is None)
        self.due.setEnabled(self.has_due.isChecked())
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        self.saved_id = action.id if action else ""
        form = QFormLayout()
        form.addRow("&Aim", self.aim)
        form.addRow("&What", self.what)
        form.addRow("&How", self.how)
        form.addRow("Measurable &outcome", self.outcome)
        form.addRow("&Lead", self.lead)
        form.addRow("Due", due_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save action" if action else "Add action"))
        self.resize(620, self.sizeHint().height())

    def due_date(self) -> dt.date | None:
        if not self.has_due.isChecked():
            return None
        d = self.due.date()
        return dt.date(d.year(), d.month(), d.day())

    def save(self) -> None:
        aim_id = self.aim.currentData()
        if not aim_id:
            raise NexusError("Add an aim first: every delivery action sits under an aim.")
        wording = ActionWording(
            self.what.toPlainText(),
            self.how.toPlainText(),
            self.outcome.toPlainText(),
            self.lead.text(),
            self.due_date(),
        )
        if self.action is None:
            self.saved_id = add_delivery_action(self.db, aim_id, self.year, wording)
        else:
            edit_delivery_action(self.db, self.action.id, aim_id, wording)


class ProgressDialog(_SavingDialog):
    """How a delivery action stands at the end of a term, with a note for the board."""

    def __init__(
        self,
        db: Database,
        year: str,
        action: DeliveryActionItem,
        term: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("delivery-progress", parent)
        self.db, self.year, self.action = db, year, action
        self.setWindowTitle(f"Progress on a delivery action ({year})")
        what = QLabel(action.what)
        what.setWordWrap(True)
        self.term = QuietComboBox()
        for key, label in TERMS.items():
            self.term.addItem(label, key)
        self.status = QuietComboBox()
        for key, label in PROGRESS_STATUSES.items():
            self.status.addItem(label, key)
        self.note = _text_box("", 4)
        self.note.setPlaceholderText("What was done this term and what the figures show")
        self.term.currentIndexChanged.connect(lambda _i: self._show_term())
        self.term.setCurrentIndex(max(0, self.term.findData(term)))
        self._show_term()
        form = QFormLayout()
        form.addRow("Action", what)
        if action.outcome:
            outcome = QLabel(action.outcome)
            outcome.setWordWrap(True)
            form.addRow("Outcome", outcome)
        form.addRow("&Term", self.term)
        form.addRow("&Status", self.status)
        form.addRow("&Note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Record progress"))
        self.resize(560, self.sizeHint().height())

    def _show_term(self) -> None:
        """Show what is already recorded for the chosen term, to be changed."""
        held = self.action.progress_in(self.year, self.term.currentData())
        self.status.setCurrentIndex(
            max(0, self.status.findData(held.status if held else "on_track"))
        )
        self.note.setPlainText(held.note if held else "")

    def save(self) -> None:
        record_progress(
            self.db,
            self.action.id,
            self.year,
            self.term.currentData(),
            self.status.currentData(),
            self.note.toPlainText(),
        )
