"""The Dashboard's trend chart: one indicator over the years for a school, the network and
national figures where known, drawn as lines with a legend."""

from __future__ import annotations

import itertools
import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from nexus_review.domain.trust import format_value

SCHOOL_COLOUR, NETWORK_COLOUR, NATIONAL_COLOUR = (
    QColor("#1f4e79"),
    QColor("#c55a11"),
    QColor("#6b6b6b"),
)


class TrendChart(QWidget):
    """Lines over the years: the school, the network and national where known."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(320, 160)
        self.years: list[str] = []
        self.series: list[tuple[str, QColor, list[float | None]]] = []
        self.unit = "%"
        self.title = ""

    def show_series(
        self,
        title: str,
        years: list[str],
        series: list[tuple[str, QColor, list[float | None]]],
        unit: str,
    ) -> None:
        self.title, self.years, self.series, self.unit = title, years, series, unit
        known = [v for _n, _c, values in series for v in values if v is not None]
        self.setAccessibleName(title)
        self.setAccessibleDescription(
            "; ".join(
                f"{name}: "
                + ", ".join(
                    f"{y} {format_value(v, unit)}" for y, v in zip(years, values, strict=True)
                )
                for name, _c, values in series
            )
            if known
            else "No figures to draw."
        )
        self.update()

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        known = [v for _n, _c, values in self.series for v in values if v is not None]
        painter.setPen(QColor("#222222"))
        painter.drawText(
            QRectF(10, 4, self.width() - 20, 20), Qt.AlignmentFlag.AlignLeft, self.title
        )
        if not known or not self.years:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No figures to draw for this choice."
            )
            return
        low, high = min(known), max(known)
        pad = max(2.0, (high - low) * 0.2)
        # Whole-number grid lines, four steps apart.
        low = max(0.0, float(math.floor(low - pad)))
        steps = max(1, math.ceil((high + pad - low) / 4))
        high = low + 4 * steps
        left, top, right, bottom = 56.0, 30.0, self.width() - 130.0, self.height() - 36.0
        painter.setPen(QPen(QColor("#bbbbbb"), 1))
        for i in range(5):
            value = low + (high - low) * i / 4
            y = bottom - (bottom - top) * i / 4
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight,
                format_value(round(value, 1), self.unit),
            )
        step = (right - left) / max(1, len(self.years) - 1)
        for i, year in enumerate(self.years):
            x = left + step * i if len(self.years) > 1 else (left + right) / 2
            painter.setPen(QColor("#444444"))
            painter.drawText(QRectF(x - 40, bottom + 6, 80, 18), Qt.AlignmentFlag.AlignCenter, year)
        for n, (name, colour, values) in enumerate(self.series):
            painter.setPen(QPen(colour, 2.5))
            points = []
            for i, point in enumerate(values):
                if point is None:
                    continue
                x = left + step * i if len(self.years) > 1 else (left + right) / 2
                y = bottom - (bottom - top) * (point - low) / (high - low)
                points.append(QPointF(x, y))
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            for p in points:
                painter.drawEllipse(p, 3.5, 3.5)
            painter.drawLine(
                QPointF(right + 14, top + 10 + n * 20), QPointF(right + 34, top + 10 + n * 20)
            )
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(right + 40, top + 2 + n * 20, 90, 18), Qt.AlignmentFlag.AlignLeft, name
            )
        painter.end()
