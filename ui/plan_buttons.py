"""The row of buttons over the Dashboard's Aims tab: it opens the plan's dialogs
(:mod:`ui.plan_dialogs`) for what is chosen in the tree of aims and says when one saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget, QTreeWidgetItem, QWidget

from nexus_review.domain.calendar import academic_year_of, term_of
from nexus_review.domain.trust import AimItem, AimPriorities, DeliveryActionItem
from nexus_review.usecases.opening import Database
from ui.plan_dialogs import AimDialog, DeliveryActionDialog, ProgressDialog, ThemesDialog

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
