"""The Consistency tab's two plain charts: the grades given per area, and agreement term by
term (exact, within one grade, and how many pairs each term rests on)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QWidget,
)

from nexus_review.usecases.consistency import (
    Distribution,
    TermAgreement,
)

# Grades best first: from a deep green to a deep red, whatever the scale's length.
GRADE_COLOURS = ("#1b7837", "#5aae61", "#a6dba0", "#f4a582", "#d6604d", "#b2182b")
EXACT, WITHIN, PAIRS = QColor("#2c7fb8"), QColor("#7fcdbb"), QColor("#e3e3e3")


def grade_colour(i: int, grades: int) -> QColor:
    """The colour of the i-th of so many grades, best first, spread over the whole range."""
    last = len(GRADE_COLOURS) - 1
    return QColor(GRADE_COLOURS[min(i * last // max(1, grades - 1), last)])


def start_chart(
    chart: QWidget, title: str, empty: str | None, antialiased: bool = False
) -> QPainter:
    """A painter over the chart's plain background with its title in bold above; when there
    is nothing to draw, the ``empty`` line is said under the title."""
    p = QPainter(chart)
    if antialiased:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(chart.rect(), chart.palette().base())
    p.setPen(chart.palette().text().color())
    bold = QFont(chart.font())
    bold.setBold(True)
    p.setFont(bold)
    p.drawText(QRectF(8, 4, chart.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, title)
    p.setFont(chart.font())
    if empty is not None:
        p.drawText(QRectF(8, 30, chart.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, empty)
    return p


class GradeDistributionChart(QWidget):
    """One bar per area: how many own grades of each grade were given, best grade on the left."""

    def __init__(self) -> None:
        super().__init__()
        self.data: tuple[Distribution, ...] = ()
        self.setAccessibleName("Grades given per area")
        self.setMinimumHeight(120)

    def set_data(self, data: Sequence[Distribution]) -> None:
        self.data = tuple(data)
        self.setAccessibleDescription(
            "; ".join(
                f"{d.area_name}: " + ", ".join(f"{g.count} {g.label}" for g in d.grades if g.count)
                for d in self.data
            )
            or "No own grades given."
        )
        self.setMinimumHeight(40 + 26 * max(1, len(self.data)) + 30)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 40 + 26 * max(1, len(self.data)) + 30)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = start_chart(
            self,
            "Own grades given per area (best grade on the left)",
            None if self.data else "No own grades given yet.",
            antialiased=True,
        )
        if not self.data:
            return
        metrics = p.fontMetrics()
        widest = max(metrics.horizontalAdvance(d.area_name) for d in self.data) + 12
        label_w = float(min(widest, self.width() * 0.45))
        total_w = metrics.horizontalAdvance("000 grades") + 8
        bar_w = max(40.0, self.width() - label_w - total_w - 24)
        y = 30.0
        for d in self.data:
            p.setPen(self.palette().text().color())
            name = metrics.elidedText(d.area_name, Qt.TextElideMode.ElideMiddle, int(label_w - 8))
            p.drawText(
                QRectF(8, y, label_w - 8, 22),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                name,
            )
            # Each bar is its own area's grades end to end, so areas graded often and rarely
            # compare by their mix; the count of grades stands at the end of the bar.
            x = label_w + 8
            total = d.total or 1
            for i, g in enumerate(d.grades):
                if not g.count:
                    continue
                w = bar_w * g.count / total
                colour = grade_colour(i, len(d.grades))
                p.fillRect(QRectF(x, y + 2, w, 18), colour)
                p.setPen(QColor("white") if colour.lightness() < 140 else QColor("black"))
                if w >= metrics.horizontalAdvance(str(g.count)) + 6:
                    p.drawText(QRectF(x, y + 2, w, 18), Qt.AlignmentFlag.AlignCenter, str(g.count))
                x += w
            p.setPen(self.palette().text().color())
            p.drawText(
                QRectF(x + 6, y, total_w, 22),
                Qt.AlignmentFlag.AlignVCenter,
                f"{d.total} {'grade' if d.total == 1 else 'grades'}",
            )
            y += 26
        # The key: the first area's scale (areas of one framework share it).
        x = label_w + 8
        key = max(self.data, key=lambda d: len(d.grades)).grades
        for i, g in enumerate(key):
            colour = grade_colour(i, len(key))
            p.fillRect(QRectF(x, y + 6, 12, 12), colour)
            p.setPen(self.palette().text().color())
            text_w = p.fontMetrics().horizontalAdvance(g.label) + 20
            p.drawText(QRectF(x + 16, y + 2, text_w, 20), Qt.AlignmentFlag.AlignVCenter, g.label)
            x += text_w + 16


class AgreementOverTimeChart(QWidget):
    """Term by term: paired judgements (grey), those within one grade, those exactly the same."""

    def __init__(self) -> None:
        super().__init__()
        self.data: tuple[TermAgreement, ...] = ()
        self.setAccessibleName("Agreement term by term")
        self.setFixedHeight(240)

    def set_data(self, data: Sequence[TermAgreement]) -> None:
        self.data = tuple(data)
        self.setAccessibleDescription(
            "; ".join(
                f"{t.term}: {t.agreement.exact} of {t.agreement.n} exact, {t.agreement.within_one} within one"
                for t in self.data
            )
            or "No paired judgements."
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 220)

    def paintEvent(self, _event: QPaintEvent) -> None:
        shown = [t for t in self.data if t.agreement.n]
        p = start_chart(
            self,
            "Agreement term by term (paired judgements)",
            None if shown else "Not enough paired judgements yet.",
        )
        if not shown:
            return
        text = self.palette().text().color()
        top, bottom = 52.0, self.height() - 40.0
        height = max(10.0, bottom - top)
        most = max(t.agreement.n for t in shown)
        slot = (self.width() - 16) / len(shown)
        bar = min(70.0, slot * 0.6)
        for i, t in enumerate(shown):
            a = t.agreement
            x = 8 + i * slot + (slot - bar) / 2
            for value, colour in ((a.n, PAIRS), (a.within_one, WITHIN), (a.exact, EXACT)):
                h = height * value / most
                p.fillRect(QRectF(x, bottom - h, bar, h), colour)
            p.setPen(text)
            p.drawText(
                QRectF(8 + i * slot, bottom + 2, slot, 18), Qt.AlignmentFlag.AlignHCenter, t.term
            )
            p.drawText(
                QRectF(8 + i * slot, bottom + 18, slot, 18),
                Qt.AlignmentFlag.AlignHCenter,
                f"{a.exact} of {a.n} exact",
            )
        x = 8.0
        for label, colour in (
            ("Paired judgements", PAIRS),
            ("Within one grade", WITHIN),
            ("Exactly the same", EXACT),
        ):
            p.fillRect(QRectF(x, 30, 12, 12), colour)
            p.setPen(text)
            w = p.fontMetrics().horizontalAdvance(label) + 12
            p.drawText(QRectF(x + 16, 26, w, 20), Qt.AlignmentFlag.AlignVCenter, label)
            x += w + 28
