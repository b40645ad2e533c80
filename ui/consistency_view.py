"""Network → Consistency: how far heads' own grades agree, for the heads' meetings.

For the chosen year (and a review group, an area, a framework, a pair of reviewers): the number
of paired judgements, exact agreement, agreement within one grade and the weighted kappa with
its 95 % confidence interval, per area and per pair of reviewers; each reviewer's lean against
the agreed grade; each school's self-evaluation against its peers over the years; and two plain
charts (drawn by ``ui.consistency_charts``): the grades given per area, and agreement term by
term. The figures are worked out off the GUI thread by the agreement use case.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nexus_review.domain.agreement import MIN_PAIRS_FOR_KAPPA, TOO_FEW, Agreement, Kappa
from nexus_review.usecases.consistency import (
    AgreementFilter,
    AgreementReport,
    agreement_report,
)
from ui.consistency_charts import AgreementOverTimeChart, GradeDistributionChart
from ui.errors import show_error

if TYPE_CHECKING:
    from ui.network_view import NetworkPage

ALL = "All"


def kappa_text(k: Kappa) -> str:
    if k.value is None:
        if k.reason == TOO_FEW:
            return f"– (fewer than {MIN_PAIRS_FOR_KAPPA} pairs)"
        if "same grade" in k.reason:
            return "– (the same grade throughout)"
        return "–"
    if k.low is None or k.high is None:
        return f"{k.value:.2f}"
    return f"{k.value:.2f} ({k.low:.2f} to {k.high:.2f})"


def _row(name: str, a: Agreement) -> list[str]:
    fleiss = kappa_text(a.fleiss) if a.fleiss is not None else ""
    return [
        name,
        str(a.n),
        f"{a.exact} of {a.n}",
        f"{a.within_one} of {a.n}",
        kappa_text(a.kappa),
        fleiss,
    ]


class RowsTableModel(QAbstractTableModel):
    """A read-only table of text rows (the figures are few: areas, pairs, schools)."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[str]] = []

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.rows[index.row()][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


def _view(model: RowsTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(150)
    return view


class ConsistencyTab(QWidget):
    """The agreement figures of a year, with filters, tables and charts."""

    report_shown = Signal(object)  # the AgreementReport now on screen
    pack_exported = Signal(object)  # the path of the moderation pack written

    def __init__(self, page: NetworkPage) -> None:
        super().__init__()
        self.page = page
        self.year = ""
        self.report: AgreementReport | None = None
        self._asked = 0
        self.group = QComboBox()
        self.area = QComboBox()
        self.framework = QComboBox()
        self.pair = QComboBox()
        filters = QHBoxLayout()
        for label, box in (
            ("Group", self.group),
            ("Area", self.area),
            ("Framework", self.framework),
            ("Reviewers", self.pair),
        ):
            box.setAccessibleName(label)
            # Long names (a pair of heads) must not widen the window: the box shows what fits.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
            box.addItem(ALL, None)
            box.activated.connect(lambda _i: self.apply_filters())
            filters.addWidget(QLabel(label))
            filters.addWidget(box, 1)
        self.pack_word = QPushButton("Moderation pack as Word…")
        self.pack_pdf = QPushButton("Moderation pack as PDF…")
        self.pack_word.clicked.connect(lambda: self.export_pack("docx"))
        self.pack_pdf.clicked.connect(lambda: self.export_pack("pdf"))
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.pack_word)
        exports.addWidget(self.pack_pdf)
        self.last_export: Path | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        headers = [
            "",
            "Paired judgements",
            "Exactly the same",
            "Within one grade",
            "Weighted kappa (95 % CI)",
            "Fleiss' kappa (95 % CI)",
        ]
        self.areas_model = RowsTableModel(["Area", *headers[1:]], self)
        self.pairs_model = RowsTableModel(["Reviewers", *headers[1:5]], self)
        self.leans_model = RowsTableModel(
            ["Reviewer", "Own grades compared", "Kinder", "The same", "Harsher", "On average"], self
        )
        self.self_model = RowsTableModel(
            [
                "School",
                "Year",
                "Areas compared",
                "School higher",
                "The same",
                "School lower",
                "Over the years",
            ],
            self,
        )
        self.distribution = GradeDistributionChart()
        self.over_time = AgreementOverTimeChart()
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.method.setStyleSheet("color: palette(mid);")
        inner = QWidget()
        grid = QGridLayout(inner)
        areas_view = _view(self.areas_model, "Agreement per area")
        areas_view.setMinimumHeight(260)
        grid.addWidget(self._heading("Agreement per area"), 0, 0, 1, 2)
        grid.addWidget(areas_view, 1, 0, 1, 2)
        grid.addWidget(self.distribution, 2, 0)
        grid.addWidget(self.over_time, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._heading("Agreement per pair of reviewers"), 3, 0, 1, 2)
        grid.addWidget(_view(self.pairs_model, "Agreement per pair of reviewers"), 4, 0, 1, 2)
        grid.addWidget(self._heading("Each reviewer against the agreed grade"), 5, 0)
        grid.addWidget(_view(self.leans_model, "Each reviewer against the agreed grade"), 6, 0)
        grid.addWidget(self._heading("Self-evaluation against the peer judgement"), 5, 1)
        grid.addWidget(_view(self.self_model, "Self-evaluation against the peer judgement"), 6, 1)
        grid.addWidget(self.method, 7, 0, 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        from ui.calibration_view import CalibrationPanel  # it borrows this module's table model

        agreement = QWidget()
        figures = QVBoxLayout(agreement)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.addLayout(filters)
        figures.addLayout(exports)
        figures.addWidget(self.summary)
        figures.addWidget(scroll, 1)
        self.calibration = CalibrationPanel(page)
        self.sections = QTabWidget()
        self.sections.addTab(agreement, "Agreement")
        self.sections.addTab(self.calibration, "Calibration exercises")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600;")
        return label

    # ---- filters ------------------------------------------------------------------------

    def current_filter(self) -> AgreementFilter:
        pair = self.pair.currentData()
        return AgreementFilter(
            year=self.year,
            group=self.group.currentData(),
            area=self.area.currentData(),
            framework=self.framework.currentData(),
            pair=tuple(pair) if pair else None,
        )

    def show_year(self, year: str) -> None:
        """A new year: its groups in the filter, every other filter back to all."""
        from nexus_review.usecases.network import review_groups

        self.year = year
        for box in (self.group, self.area, self.framework, self.pair):
            box.clear()
            box.addItem(ALL, None)
        for g in review_groups(self.page.context.db, year) if year else []:
            self.group.addItem(g.name, g.name)
        self.apply_filters(refill=True)
        self.calibration.refresh()

    def apply_filters(self, refill: bool = False) -> None:
        if not self.year:
            return
        flt = self.current_filter()
        db = self.page.context.db
        self._asked += 1
        asked = self._asked

        def done(report: AgreementReport) -> None:
            if asked == self._asked:  # an answer to an earlier choice of filters is not shown
                self.show_report(report, refill)

        # Off the GUI thread, but without a message in the status bar: the figures are quick,
        # and a message the page has just shown there (a year copied) must stay.
        self.page.context.tasks.run(
            lambda: agreement_report(db, flt), done, lambda exc: show_error(self, exc)
        )

    def export_pack(self, fmt: str) -> None:
        """The moderation pack of the figures on screen (the same filters), as Word or PDF."""
        from nexus_review.usecases.consistency import export_moderation_pack

        context = self.page.context
        flt = self.current_filter()
        suggested = context.export_folder() / f"Moderation-pack-{self.year}.{fmt}"
        kind = "Word document (*.docx)" if fmt == "docx" else "PDF document (*.pdf)"
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the moderation pack", str(suggested), kind
        )
        if not target:
            return
        context.remember_export_folder(target)
        db, paper = context.db, context.settings.get("export/paper")

        def done(path: Any) -> None:
            self.last_export = Path(str(path))
            context.show_message(f"Moderation pack written to {path}", 8000)
            self.pack_exported.emit(self.last_export)

        context.tasks.run_task(
            "Writing the moderation pack…",
            lambda: export_moderation_pack(db, fmt, target, flt, paper),
            done,
        )

    def _refill(self, report: AgreementReport) -> None:
        for a in report.areas:
            if self.area.findData(a.area_key) < 0:
                self.area.addItem(a.area_name, a.area_key)
        from nexus_review.frameworks import get_framework

        for key in report.frameworks:
            self.framework.addItem(get_framework(key).short_name, key)
        for p in report.pairs:
            self.pair.addItem(f"{p.first} and {p.second}", [p.first, p.second])

    def show_report(self, report: AgreementReport, refill: bool = False) -> None:
        self.report = report
        if refill:
            self._refill(report)
        graded = report.graded_visits
        lead = (
            f"{report.year}: {graded} of {report.visits} visits had own grades from two or more reviewers. "
            if report.visits
            else f"{report.year}: no visits yet. "
        )
        self.summary.setText(lead + report.overall.describe())
        self.areas_model.set_rows([_row(a.area_name, a.agreement) for a in report.areas])
        self.pairs_model.set_rows(
            [_row(f"{p.first} and {p.second}", p.agreement)[:5] for p in report.pairs]
        )
        self.leans_model.set_rows(
            [
                [
                    x.who,
                    str(x.n),
                    str(x.higher),
                    str(x.same),
                    str(x.lower),
                    _tilt(x.mean_difference, "kinder", "harsher"),
                ]
                for x in report.leans
            ]
        )
        self.self_model.set_rows(
            [
                [
                    s.school,
                    y.year,
                    str(y.lean.n),
                    str(y.lean.higher),
                    str(y.lean.same),
                    str(y.lean.lower),
                    s.trend if i == len(s.years) - 1 else "",
                ]
                for s in report.self_evaluation
                for i, y in enumerate(s.years)
            ]
        )
        self.distribution.set_data(report.distributions)
        self.over_time.set_data(report.over_time)
        methods = (
            {report.overall.kappa.method}
            | {a.agreement.kappa.method for a in report.areas}
            | {a.agreement.fleiss.method for a in report.areas if a.agreement.fleiss is not None}
        )
        self.method.setText(
            "Paired judgements: two reviewers' own grades of the same area of a visit. Weighted kappa is quadratic-weighted "
            "Cohen's kappa (1 is full agreement, 0 no better than chance; 0.7 is the usual bar). Intervals: "
            + "; ".join(sorted(m for m in methods if m))
            + "."
        )
        self.report_shown.emit(report)


def _tilt(diff: float | None, up: str, down: str) -> str:
    if diff is None or abs(diff) < 0.25:
        return "no clear lean"
    return f"{abs(diff):.1f} of a grade {up if diff > 0 else down}"
