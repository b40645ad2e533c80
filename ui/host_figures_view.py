"""The host school's figures beside a data review: what the reviewers look at on screen.

Shown on a data-review evidence record: the school's latest all-pupil outcomes against the
network and national, and the pupil groups further behind than the network allows (small
groups by their count, never a percentage).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from nexus_review.domain.trust import PUPIL_GROUPS, format_value, pupils_text
from nexus_review.domain.working_copy import VisitField
from nexus_review.errors import NexusError
from nexus_review.usecases.trust import school_figures
from ui.dashboard_tables import fitted_table, set_comparison
from ui.widgets import table_item


class HostFiguresBox(QGroupBox):
    def __init__(self, session: Any) -> None:
        super().__init__("The school's figures")
        self.session = session
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = fitted_table(["Indicator", "School", "Network", "National"])
        self.groups = QLabel()
        self.groups.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.groups)
        self.hide()

    def show_for(self, shown: bool) -> None:
        """Show the host's figures (on a data review), or hide the box."""
        self.setVisible(shown)
        if not shown:
            return
        visit = self.session.visit
        day = visit.get(VisitField.VISIT_DATE)
        on = dt.date.fromisoformat(day) if isinstance(day, str) else (day or dt.date.today())
        try:
            data = school_figures(self.session.db, visit.get(VisitField.HOST_SCHOOL_ID) or "", on)
        except NexusError as err:
            self.note.setText(str(err))
            return
        if not data.figures_year:
            self.note.setText("The network holds no figures for this school yet.")
            self.table.setRowCount(0)
            self.groups.setText("")
            return
        self.note.setText(
            f"Outcomes for {data.figures_year}, all pupils, with the number of pupils in brackets."
        )
        self.table.setRowCount(len(data.indicators))
        for r, i in enumerate(data.indicators):
            f = i.figure
            mine = (
                "–"
                if f is None
                else (
                    f"{pupils_text(f.pupils)}, too few to judge"
                    if f.pupils < data.small_group
                    else f"{format_value(f.value, i.unit)} ({f.pupils})"
                )
            )
            self.table.setItem(r, 0, table_item(i.name))
            self.table.setItem(r, 1, table_item(mine))
            set_comparison(self.table, r, i)
        judged = [r for r in data.risks if not r.too_small]
        small = [r for r in data.risks if r.too_small]
        lines = [
            f"{PUPIL_GROUPS.get(r.group, r.group)} ({pupils_text(r.pupils)}): {r.gap:g} points behind {r.compared_with} in {r.indicator_name}, {r.trend_word}"
            for r in judged
        ]
        lines += [
            f"{PUPIL_GROUPS.get(r.group, r.group)} ({pupils_text(r.pupils)}) in {r.indicator_name}: too small to judge"
            for r in small
        ]
        self.groups.setText(
            "Groups behind: "
            + ("; ".join(lines) if lines else "none beyond the network's threshold")
            + "."
        )
