"""The PDF renderer: reportlab platypus, with embedded Unicode fonts and page numbers.

Text from notes is plain text: it is escaped before reportlab's paragraph markup sees it, so
``<b>`` and ``&amp;`` print literally. Characters the body font lacks (emoji) are drawn in the
fallback font; right-to-left runs (Arabic, Hebrew) are shaped and put in display order.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from nexus_review import __version__
from nexus_review.paths import resource_path
from nexus_review.reports.document import (
    BarChart,
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)

BODY = "NexusSans"
BOLD = "NexusSans-Bold"
ITALIC = "NexusSans-Oblique"
FALLBACK = "NexusSymbols"
ACCENT = "#1f4e79"
RULE = "#9fb6cd"
SHADE = "#e8eef5"

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(original: Any) -> Any:
    """reportlab writes characters beyond U+FFFF (emoji) into the ToUnicode map as five hex
    digits, which readers reject; written as UTF-16 (surrogate pairs), they copy out again."""

    def make(fontname: str, subset: list[int]) -> str:
        text = str(original(fontname, subset))
        for i, code in enumerate(subset):
            if code > 0xFFFF:
                text = text.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{_utf16_hex(code)}>")
        return text

    return make


@cache
def _register_fonts() -> dict[str, frozenset[int]]:
    """Register the shipped fonts once; gives each font's set of characters."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    if not getattr(ttfonts.makeToUnicodeCMap, "_nexus", False):
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap(ttfonts.makeToUnicodeCMap)
        ttfonts.makeToUnicodeCMap._nexus = True

    files = {
        BODY: "DejaVuSans.ttf",
        BOLD: "DejaVuSans-Bold.ttf",
        ITALIC: "DejaVuSans-Oblique.ttf",
        FALLBACK: "Symbola-emoji.ttf",
    }
    covers: dict[str, frozenset[int]] = {}
    for name, file in files.items():
        font = TTFont(name, str(resource_path("fonts", file)))
        pdfmetrics.registerFont(font)
        covers[name] = frozenset(font.face.charToGlyph)
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD)
    return covers


def _display_order(text: str) -> str:
    """Right-to-left runs shaped (Arabic joining forms) and put in the order they are drawn."""
    if not _RTL.search(text):
        return text
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:  # the text is still all there, in typing order
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, with fallback-font runs for emoji."""
    covers = _register_fonts()
    body, fallback = covers[BODY], covers[FALLBACK]
    out: list[str] = []
    run: list[str] = []
    in_fallback = False

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(f'<font name="{FALLBACK}">{chunk}</font>' if in_fallback else chunk)
            run.clear()

    for ch in _display_order(text):
        code = ord(ch)
        if ch == "\n":
            flush()
            out.append("<br/>")
            continue
        if code in (0xFE0F, 0xFE0E, 0x200D):  # emoji variation selectors and joiners
            continue
        wants_fallback = code not in body and code in fallback
        if wants_fallback != in_fallback:
            flush()
            in_fallback = wants_fallback
        run.append(ch)
    flush()
    return "".join(out)


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    accent = colors.HexColor(ACCENT)
    base = ParagraphStyle("body", fontName=BODY, fontSize=10, leading=14, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=22, leading=27, textColor=accent, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=14, leading=18, textColor=colors.HexColor("#333333"), spaceAfter=12),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=13.5, leading=17, textColor=accent, spaceBefore=12, spaceAfter=5, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "body": base,
        "lead": ParagraphStyle("lead", base, fontName=BOLD, spaceAfter=2, keepWithNext=1),
        "muted": ParagraphStyle("muted", base, textColor=colors.HexColor("#555555")),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11),
        "bullet": ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=3, spaceAfter=3),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=12, spaceAfter=0),
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=9, leading=12, spaceAfter=0, textColor=colors.white),
        "key": ParagraphStyle("key", base, fontName=BOLD, fontSize=9.5, leading=13, spaceAfter=0, textColor=accent),
        "value": ParagraphStyle("value", base, fontSize=9.5, leading=13, spaceAfter=0),
        "toc1": ParagraphStyle("toc1", base, fontSize=10.5, leading=16, leftIndent=6),
    }


PAGE_SIZES = {"a4": "A4", "letter": "LETTER"}


def _page_size(paper: str) -> tuple[float, float]:
    from reportlab.lib import pagesizes

    return getattr(pagesizes, PAGE_SIZES.get(paper, "A4"))


class Contents:
    """The contents list, drawn in one pass: its flowable keeps room for the entries on the
    first pages, the headings note their pages as they are laid out, and the canvas writes the
    page numbers in when it saves (reportlab's own contents needs the document built twice)."""

    def __init__(self, titles: list[str], style: Any) -> None:
        self.titles = titles
        self.style = style
        self.pages: dict[str, int] = {}
        self.where: tuple[int, float, float, float] | None = None  # page, x, top y, width

    def flowable(self) -> Any:
        from reportlab.platypus.flowables import Flowable

        contents = self

        class _Room(Flowable):
            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                self.width = avail_width
                return avail_width, contents.style.leading * len(contents.titles)

            def draw(self) -> None:
                x, y = self.canv.absolutePosition(0, 0)
                contents.where = (self.canv.getPageNumber(), x, y + contents.style.leading * len(contents.titles), self.width)

        return _Room()

    def draw(self, canvas: Any) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        assert self.where is not None
        _page, x, top, width = self.where
        size, leading = self.style.fontSize, self.style.leading
        canvas.saveState()
        canvas.setFont(BODY, size)
        dot = stringWidth(" .", BODY, size)
        for i, title in enumerate(self.titles):
            y = top - leading * (i + 1) + (leading - size) / 2
            number = str(self.pages.get(title, ""))
            canvas.drawString(x + 6, y, _display_order(title))
            canvas.drawRightString(x + width, y, number)
            start = x + 12 + stringWidth(_display_order(title), BODY, size)
            end = x + width - stringWidth(number, BODY, size) - 6
            if end > start:
                canvas.drawString(start, y, " ." * int((end - start) / dot))
        canvas.restoreState()


def _numbered_canvas(footer: str, confidential: bool, contents: Contents | None = None) -> Any:
    """A canvas that knows the page count when it draws each footer ("Page 2 of 3"), and
    the page of every heading when it draws the contents."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    left = " · ".join(x for x in (footer, "Confidential" if confidential else "") if x)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if contents is not None and contents.where is not None and contents.where[0] == self._pageNumber:
                    contents.draw(self)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(colors.HexColor(RULE))
            self.setLineWidth(0.5)
            self.line(50, 42, width - 50, 42)
            self.setFont(BODY, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(50, 30, _display_order(left))
            self.drawRightString(width - 50, 30, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def _table(block: Table, styles: dict[str, Any], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    weights = block.widths or (1.0,) * len(block.header)
    total = sum(weights)
    col_widths = [width * w / total for w in weights]
    data = [[P(markup(h), styles["cellhead"]) for h in block.header]]
    data += [[P(markup(c), styles["cell"]) for c in row] for row in block.rows]
    table = T(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(SHADE)]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _key_value(block: KeyValue, styles: dict[str, Any], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    data = [[P(markup(k), styles["key"]), P(markup(v), styles["value"])] for k, v in block.pairs]
    table = T(data, colWidths=[width * 0.24, width * 0.76])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(ACCENT)),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(ACCENT)),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def chart_drawing(block: BarChart, width: float, height: float = 190) -> Any:
    """A grouped bar chart drawn by reportlab.graphics (also rendered to PNG for Word)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    _register_fonts()
    palette = [colors.HexColor(c) for c in ("#1f4e79", "#6a9fd4", "#e0a100", "#b03a2e", "#5b8c3a")]
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 58
    chart.width, chart.height = width - 50, height - 90
    chart.data = [list(values) for _name, values in block.series] or [[0] * len(block.categories)]
    chart.categoryAxis.categoryNames = [c if len(c) <= 18 else c[:17] + "…" for c in block.categories]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 25
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = palette[i % len(palette)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName = BODY
    legend.fontSize = 7.5
    legend.x, legend.y = 40, height - 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [(palette[i % len(palette)], name) for i, (name, _v) in enumerate(block.series)]
    drawing.add(legend)
    return drawing


def render_pdf(document: Document, path: Path, paper: str = "a4") -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus.doctemplate import BaseDocTemplate, Frame, PageTemplate

    _register_fonts()
    styles = _styles()
    size = _page_size(paper)
    margin = 18 * mm
    frame_width = size[0] - 2 * margin

    contents: Contents | None = None

    class _Template(BaseDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:
            title = getattr(flowable, "_nexus_title", None)
            if contents is not None and title is not None and title not in contents.pages:
                contents.pages[title] = self.page

    doc = _Template(
        str(path),
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        title=document.title + (f" – {document.subtitle}" if document.subtitle else ""),
        author=document.author,
        subject=document.subtitle,
        creator=f"Nexus Review {__version__}",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    story: list[Any] = [P(markup(document.title), styles["title"])]
    if document.subtitle:
        story.append(P(markup(document.subtitle), styles["subtitle"]))
    for block in document.blocks:
        match block:
            case Heading(text=text, level=level):
                para = P(markup(text), styles["h1" if level <= 1 else "h2"])
                if level <= 1:
                    para._nexus_title = text
                story.append(para)
            case Paragraph(text=text, style=style):
                story.append(P(markup(text), styles.get(style, styles["body"])))
            case BulletList(items=items):
                story.append(
                    ListFlowable(
                        [ListItem(P(markup(i), styles["bullet"]), leftIndent=14) for i in items],
                        bulletType="bullet",
                        start="•",
                        bulletFontName=BODY,
                        leftIndent=14,
                    )
                )
            case Table():
                story += [_table(block, styles, frame_width), Spacer(1, 6)]
            case KeyValue():
                story += [_key_value(block, styles, frame_width), Spacer(1, 8)]
            case BarChart(title=title):
                story.append(
                    KeepTogether([P(markup(title), styles["lead"]), chart_drawing(block, frame_width)])
                )
            case PageBreak():
                story.append(RLPageBreak())
            case TableOfContents(title=title):
                titles = [b.text for b in document.blocks if isinstance(b, Heading) and b.level <= 1]
                contents = Contents(titles, styles["toc1"])
                story += [P(markup(title), styles["h1"]), contents.flowable()]
    doc.build(story, canvasmaker=_numbered_canvas(document.footer, document.confidential, contents))
