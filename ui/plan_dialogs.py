"""The network administrator's dialogs for the trust's aims and delivery plan, opened from the
Dashboard's Aims tab: an aim, where the priority themes sit, a delivery action, a term's
progress.

Each dialog saves through one use case of :mod:`nexus_review.usecases.trust` when OK is
pressed; a refusal is said in one sentence and the dialog stays open with what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
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
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.calendar import academic_year_of, term_of
from nexus_review.domain.trust import (
    PROGRESS_STATUSES,
    TERMS,
    AimItem,
    AimPriorities,
    DeliveryActionItem,
)
from nexus_review.errors import NexusError
from nexus_review.usecases.opening import Database
from nexus_review.usecases.trust import (
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
        fields = (
            self.what.toPlainText(),
            self.how.toPlainText(),
            self.outcome.toPlainText(),
            self.lead.text(),
            self.due_date(),
        )
        if self.action is None:
            self.saved_id = add_delivery_action(self.db, aim_id, self.year, *fields)
        else:
            edit_delivery_action(self.db, self.action.id, aim_id, *fields)


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


# The role under which the Aims tree's rows carry what they are: ("aim", id), ("action", id)
# or ("progress", action id, term).
PLAN_ROLE = Qt.ItemDataRole.UserRole + 7


class PlanButtons(QWidget):
    """The row of buttons over the Aims tab's tree: add and edit aims, place the themes, add
    and edit the delivery plan's actions and record their progress. A double click on a row
    edits it."""

    plan_changed = Signal()

    def __init__(
        self,
        tree: QTreeWidget,
        db_of: Callable[[], Database],
        year_of: Callable[[], str],
        plan_of: Callable[[], tuple[AimPriorities, ...]],
    ) -> None:
        super().__init__()
        self.tree, self.db_of, self.year_of, self.plan_of = tree, db_of, year_of, plan_of
        self.add_aim = QPushButton("Add aim…")
        self.edit_aim = QPushButton("Edit aim…")
        self.themes = QPushButton("Priority themes…")
        self.add_action = QPushButton("Add action…")
        self.edit_action = QPushButton("Edit action…")
        self.progress = QPushButton("Record progress…")
        self.add_aim.clicked.connect(lambda: self.open_aim(None))
        self.edit_aim.clicked.connect(lambda: self.open_aim(self._chosen_aim()))
        self.themes.clicked.connect(lambda: self.open_themes())
        self.add_action.clicked.connect(lambda: self.open_action(None))
        self.edit_action.clicked.connect(lambda: self.open_action(self._chosen_action()))
        self.progress.clicked.connect(lambda: self.open_progress())
        tree.itemSelectionChanged.connect(self._on_tree_item_selection_changed)
        tree.itemDoubleClicked.connect(self._on_tree_item_double_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_aim, self.edit_aim, self.themes):
            row.addWidget(button)
        row.addSpacing(18)
        for button in (self.add_action, self.edit_action, self.progress):
            row.addWidget(button)
        row.addStretch(1)
        self._on_tree_item_selection_changed()

    # ---- what is chosen ------------------------------------------------------------------

    def _chosen(self) -> tuple[str, ...]:
        item = self.tree.currentItem()
        while item is not None:
            data = item.data(0, PLAN_ROLE)
            if data:
                return tuple(data)
            item = item.parent()
        return ()

    def _aims(self) -> list[AimItem]:
        return [a.aim for a in self.plan_of()]

    def _chosen_aim(self) -> AimItem | None:
        chosen = self._chosen()
        if not chosen:
            return None
        aim_id = chosen[1] if chosen[0] == "aim" else None
        if aim_id is None and (action := self._chosen_action()) is not None:
            aim_id = action.aim_id
        return next((a for a in self._aims() if a.id == aim_id), None)

    def _chosen_action(self) -> DeliveryActionItem | None:
        chosen = self._chosen()
        if not chosen or chosen[0] not in ("action", "progress"):
            return None
        return next(
            (x for a in self.plan_of() for x in a.actions if x.id == chosen[1]),
            None,
        )

    def _on_tree_item_selection_changed(self) -> None:
        aims = bool(self._aims())
        self.edit_aim.setEnabled(self._chosen_aim() is not None)
        self.themes.setEnabled(aims)
        self.add_action.setEnabled(aims)
        action = self._chosen_action() is not None
        self.edit_action.setEnabled(action)
        self.progress.setEnabled(action)

    def _on_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        self.tree.setCurrentItem(item)
        chosen = self._chosen()
        if not chosen:
            return
        if chosen[0] == "aim":
            self.open_aim(self._chosen_aim())
        elif chosen[0] == "action":
            self.open_action(self._chosen_action())
        else:
            self.open_progress()

    # ---- the dialogs ---------------------------------------------------------------------

    def _done(self, accepted: int) -> None:
        if accepted:
            self.plan_changed.emit()

    def open_aim(self, aim: AimItem | None) -> None:
        self._done(AimDialog(self.db_of(), self._aims(), aim, self).exec())

    def open_themes(self) -> None:
        self._done(ThemesDialog(self.db_of(), self._aims(), self).exec())

    def open_action(self, action: DeliveryActionItem | None) -> None:
        aim = self._chosen_aim()
        dialog = DeliveryActionDialog(
            self.db_of(), self.year_of(), self._aims(), action, aim.id if aim else None, self
        )
        self._done(dialog.exec())

    def open_progress(self) -> None:
        action = self._chosen_action()
        if action is None:
            return
        year = self.year_of()
        chosen = self._chosen()
        if chosen[0] == "progress":
            term = chosen[2]
        elif academic_year_of(dt.date.today()) == year:
            term = term_of(dt.date.today())
        else:
            term = "summer"
        self._done(ProgressDialog(self.db_of(), year, action, term, self).exec())
