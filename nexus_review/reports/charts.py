"""The reports' bar charts, drawn by reportlab.graphics: placed as a figure in the PDF and
rendered to a picture for Word, so both files show the same chart."""

from __future__ import annotations

from typing import Any

from nexus_review.reports.document import BarChart
from nexus_review.reports.pdf_fonts import BODY, register_fonts


def chart_drawing(block: BarChart, width: float, height: float = 200) -> Any:
    """A grouped bar chart drawn by reportlab.graphics (also rendered to PNG for Word):
    category labels in full (wrapped), an axis of whole numbers."""
    import math

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    palette = [colors.HexColor(c) for c in ("#1f4e79", "#6a9fd4", "#e0a100", "#b03a2e", "#5b8c3a")]
    chart = VerticalBarChart()
    slot = (width - 50) / max(1, len(block.categories))
    label_size = 7
    names = [_wrap_label(c, slot - 4, label_size, stringWidth) for c in block.categories]
    label_lines = max((n.count("\n") + 1 for n in names), default=1)
    bottom = 22 + label_lines * (label_size + 1.5)
    drawing = Drawing(width, height + bottom - 40)
    chart.x, chart.y = 36, bottom
    chart.width, chart.height = width - 50, height - 70
    chart.data = [list(values) for _name, values in block.series] or [[0] * len(block.categories)]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = label_size
    chart.categoryAxis.labels.leading = label_size + 1.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.textAnchor = "middle"
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7
    top = max((v for _n, values in block.series for v in values), default=0)
    step = max(1, math.ceil(top / 8))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step, step * math.ceil(top / step))
    chart.valueAxis.labelTextFormat = "%d"
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = palette[i % len(palette)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName = BODY
    legend.fontSize = 7.5
    legend.x, legend.y = 40, drawing.height - 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [
        (palette[i % len(palette)], name) for i, (name, _v) in enumerate(block.series)
    ]
    drawing.add(legend)
    return drawing


def _wrap_label(text: str, width: float, size: float, measure: Any) -> str:
    """A category label broken into lines that fit its place under the bars, never cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and measure(lines[-1] + " " + word, BODY, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
