"""The open visit: its plan, the evidence log, the judgements and the report draft.

Everything typed goes through the visit's :class:`VisitSession`, which saves it a moment after
the last keystroke and keeps one undo history for the whole visit. The evidence log is built
for speed in the classroom: one shortcut adds a lesson observation (Ctrl+1) or a learning
walk (Ctrl+2) and puts the cursor where typing starts; "Start now" stamps the time; on a walk,
Ctrl+D adds the next classroom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.enums import VisitKind
from nexus_review.domain.working_copy import Table, VisitField
from nexus_review.usecases import visits
from ui.visit.evidence_page import EvidencePage
from ui.visit.judgements_page import JudgementsPage
from ui.visit.plan_page import PlanPage
from ui.visit.report_page import ReportPage
from ui.visit.session import VisitSession


class VisitEditor(QWidget):
    """A visit open for editing: its four pages over one visit session."""

    export_requested = Signal(str)

    def __init__(self, session: VisitSession, evidence_splitter: QByteArray | None = None) -> None:
        super().__init__()
        self.session = session
        people = visits.people(session.db)
        schools, reviewers = list(people.schools), list(people.reviewers)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: 600; padding: 4px 2px;")
        self._makers: dict[str, Callable[[], QWidget]] = {
            "plan": lambda: PlanPage(session, schools, reviewers),
            "evidence": lambda: self._make_evidence(evidence_splitter),
            "judgements": lambda: JudgementsPage(session),
            "report": self._make_report,
        }
        self._built: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        # Each page is built when it is first shown or used (opening a visit builds one or two).
        for _key, label in self.PAGES:
            self.tabs.addTab(QWidget(), label)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs)
        self._schools = {s.id: s.name for s in schools}
        session.changed.connect(self._on_session_changed)
        self._show_heading()
        self.tabs.setCurrentWidget(self.evidence if session.rows(Table.EVIDENCE) else self.plan)

    def _on_session_changed(self, table: str, _record_id: str, _field: str) -> None:
        if table == Table.VISIT:
            self._show_heading()

    PAGES = (
        ("plan", "Plan"),
        ("evidence", "Evidence log"),
        ("judgements", "Judgements"),
        ("report", "Report draft"),
    )

    def _make_evidence(self, splitter: QByteArray | None) -> EvidencePage:
        page = EvidencePage(self.session)
        if splitter is not None:  # the proportions the head left it in
            page.splitter.restoreState(splitter)
        return page

    def built(self, key: str) -> bool:
        """Whether a page has been built (shown or used) yet."""
        return key in self._built

    def _make_report(self) -> ReportPage:
        page = ReportPage(self.session)
        page.export_requested.connect(self.export_requested)
        return page

    def _page(self, key: str) -> Any:
        """A page, built the first time it is wanted, in place of its tab's empty stand-in."""
        page = self._built.get(key)
        if page is None:
            page = self._makers[key]()
            self._built[key] = page
            index = [k for k, _label in self.PAGES].index(key)
            stand_in = self.tabs.widget(index)
            assert stand_in is not None
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, self.PAGES[index][1])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(blocked)
            stand_in.deleteLater()
        return page

    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(self.PAGES):
            self._page(self.PAGES[index][0])

    @property
    def plan(self) -> PlanPage:
        return self._page("plan")

    @property
    def evidence(self) -> EvidencePage:
        return self._page("evidence")

    @property
    def judgements(self) -> JudgementsPage:
        return self._page("judgements")

    @property
    def report(self) -> ReportPage:
        return self._page("report")

    def _show_heading(self) -> None:
        v = self.session.visit
        school = self._schools.get(v[VisitField.HOST_SCHOOL_ID], "")
        kind = v[VisitField.KIND]
        kind = VisitKind(kind).label if kind in VisitKind._value2member_map_ else kind
        day: dt.date = v[VisitField.VISIT_DATE]
        self.heading.setText(f"{school} · {kind} · {day:%A} {day.day} {day:%B %Y}")
