"""The PDF renderer: reportlab platypus, with embedded Unicode fonts and page numbers.

Text from notes is plain text: it is escaped before reportlab's paragraph markup sees it, so
``<b>`` and ``&amp;`` print literally. Characters the body font lacks (emoji) are drawn in the
fallback font; right-to-left runs (Arabic, Hebrew) are shaped and put in display order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from nexus_review.reports.pdf_tags import Node, Tagger, finish_tagged_pdf

BODY = "NexusSans"
BOLD = "NexusSans-Bold"
ITALIC = "NexusSans-Oblique"
FALLBACK = "NexusSymbols"
CJK = "NexusCJK"
HANGUL = "NexusHangul"
DEVANAGARI = "NexusDevanagari"
ACCENT = "#1f4e79"
RULE = "#9fb6cd"
SHADE = "#e8eef5"
MUTED = "#555555"
DRAFT_RED = "#a4262c"

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


# Fonts for scripts the body font lacks, registered the first time a text needs them: the
# Chinese, Japanese and Korean subsets are large, and most reports never use them.
_FALLBACK_FILES = {
    FALLBACK: ("Symbola-emoji.ttf", False),
    CJK: ("NexusCJK-DroidSansFallback.ttf", False),
    HANGUL: ("NexusHangul-NanumGothic.ttf", False),
    DEVANAGARI: ("NotoSansDevanagari-Regular.ttf", True),  # shaped (conjuncts, vowel signs)
}
_SCRIPT_RANGES = (
    (HANGUL, ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))),
    (
        CJK,
        (
            (0x2E80, 0x2FFF),
            (0x3000, 0x312F),
            (0x3190, 0x9FFF),
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),
        ),
    ),
    (DEVANAGARI, ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))),
)


@cache
def _register_fonts() -> dict[str, frozenset[int]]:
    """Register the body fonts once; gives each font's set of characters."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    if not getattr(ttfonts.makeToUnicodeCMap, "_nexus", False):
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap(ttfonts.makeToUnicodeCMap)
        ttfonts.makeToUnicodeCMap._nexus = True

    files = {BODY: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
    covers: dict[str, frozenset[int]] = {}
    for name, file in files.items():
        font = TTFont(name, str(resource_path("fonts", file)), shapable=False)
        pdfmetrics.registerFont(font)
        covers[name] = frozenset(font.face.charToGlyph)
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD)
    return covers


@cache
def _fallback_font(name: str) -> frozenset[int]:
    """Register one fallback font; gives its set of characters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _register_fonts()
    file, shaped = _FALLBACK_FILES[name]
    if shaped:
        try:
            import uharfbuzz  # noqa: F401
        except ImportError:  # drawn unshaped: every letter there, conjuncts apart
            shaped = False
    font = TTFont(name, str(resource_path("fonts", file)), shapable=shaped)
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


_DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]")


def shaped_style(style: Any, text: str) -> Any:
    """The paragraph style to draw a text in. reportlab shapes a paragraph only when the
    style's own font is shapable, and then each run in its own font: a text with Hindi takes
    the Devanagari font as its base (shaped with HarfBuzz, when it is there), and its other
    runs name the body font (:func:`markup` with ``base``), which stays unshaped."""
    if not _DEVANAGARI.search(text):
        return style
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return style
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics

    _fallback_font(DEVANAGARI)
    # reportlab shapes every run of such a paragraph, each in its own font, but readies for
    # shaping only the font it starts with: the others are readied here.
    for name in (
        BODY,
        BOLD,
        ITALIC,
        *(n for n in _FALLBACK_FILES if n in pdfmetrics.getRegisteredFontNames()),
    ):
        pdfmetrics.getFont(name).hbFont()
    shaped = ParagraphStyle(style.name + "-shaped", style, fontName=DEVANAGARI, shaping=1)
    return shaped


def _fallback_for(code: int) -> str | None:
    """The font to draw a character the body font lacks in, if one has it."""
    for name, ranges in _SCRIPT_RANGES:
        if any(lo <= code <= hi for lo, hi in ranges):
            return name if code in _fallback_font(name) else None
    return FALLBACK if code in _fallback_font(FALLBACK) else None


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


@cache
def _body_chars() -> frozenset[str]:
    """The characters the body font draws, other than the emoji selectors markup drops."""
    return frozenset(chr(c) for c in _register_fonts()[BODY]) - {"\ufe0f", "\ufe0e", "\u200d"}


def markup(text: str, base: str | None = None) -> str:
    """Plain text as reportlab paragraph markup: escaped, with fallback-font runs for the
    characters the body font lacks (emoji, Chinese, Japanese, Korean, Hindi). With ``base``
    the body font's runs name it too (for a paragraph whose own font is another)."""
    body = _register_fonts()[BODY]
    if (
        base is None
        and "\n" not in text
        and _body_chars().issuperset(text)
        and not _RTL.search(text)
    ):
        return escape(text)  # the common case, decided without a loop in Python
    out: list[str] = []
    run: list[str] = []
    font: str | None = None

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            name: str | None = font or base
            out.append(f'<font name="{name}">{chunk}</font>' if name else chunk)
            run.clear()

    for ch in _display_order(text):
        code = ord(ch)
        if ch == "\n":
            flush()
            out.append("<br/>")
            continue
        if code in (0xFE0F, 0xFE0E, 0x200D):  # emoji variation selectors and joiners
            continue
        wanted: str | None
        if font == DEVANAGARI and not ch.isspace() and code in _fallback_font(DEVANAGARI):
            wanted = DEVANAGARI  # punctuation inside a shaped word is shaped with it
        else:
            wanted = None if code in body else _fallback_for(code)
        if wanted != font:
            flush()
            font = wanted
        run.append(ch)
    flush()
    return "".join(out)


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    accent = colors.HexColor(ACCENT)
    base = ParagraphStyle("body", fontName=BODY, fontSize=10, leading=14, spaceAfter=6)
    return {
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=22, leading=27, textColor=accent, spaceAfter=2
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            base,
            fontSize=14,
            leading=18,
            textColor=colors.HexColor("#333333"),
            spaceAfter=12,
        ),
        "h1": ParagraphStyle(
            "h1",
            base,
            fontName=BOLD,
            fontSize=13.5,
            leading=17,
            textColor=accent,
            spaceBefore=12,
            spaceAfter=5,
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=7, spaceAfter=3
        ),
        "body": base,
        "lead": ParagraphStyle("lead", base, fontName=BOLD, spaceAfter=2, keepWithNext=1),
        "muted": ParagraphStyle("muted", base, textColor=colors.HexColor(MUTED)),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11),
        # Kept with what follows by the room left before its heading: keeping it with a table
        # would move the whole table to the next page.
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11),
        "bullet": ParagraphStyle("bullet", base, spaceAfter=3),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=12, spaceAfter=0),
        "cellhead": ParagraphStyle(
            "cellhead",
            base,
            fontName=BOLD,
            fontSize=9,
            leading=12,
            spaceAfter=0,
            textColor=colors.white,
        ),
        "key": ParagraphStyle(
            "key", base, fontName=BOLD, fontSize=9.5, leading=13, spaceAfter=0, textColor=accent
        ),
        "value": ParagraphStyle("value", base, fontSize=9.5, leading=13, spaceAfter=0),
        "toc1": ParagraphStyle("toc1", base, fontSize=10.5, leading=16, leftIndent=6),
    }


PAGE_SIZES = {"a4": "A4", "letter": "LETTER"}
# A table cell this long (characters) may be taller than a page, so its row may split.
LONG_CELL = 1000
# Room (points) a heading needs below it on the page, with what follows, or it starts a page.
HEADING_ROOM = {1: 150, 2: 120}


def _page_size(paper: str) -> tuple[float, float]:
    from reportlab.lib import pagesizes

    return getattr(pagesizes, PAGE_SIZES.get(paper, "A4"))


class Contents:
    """The contents list, drawn in one pass: each entry is a line in the story (so a long list
    runs on to the next page), the headings note their pages as they are drawn, and the canvas
    writes the entries in when it saves (reportlab's own contents needs the document built
    twice)."""

    def __init__(self, entries: list[tuple[int, str, int]], style: Any, node: Node) -> None:
        self.entries = entries  # (heading's place in the document, title, level)
        self.style = style
        self.node = node
        self.pages: dict[int, int] = {}  # heading's place -> page number
        self.lines: list[tuple[int, float, float, float, int, str, int, Node]] = []

    def flowables(self) -> list[Any]:
        from reportlab.platypus.flowables import Flowable

        contents = self

        class _Line(Flowable):
            def __init__(self, key: int, title: str, level: int, node: Node) -> None:
                super().__init__()
                self.key, self.title, self.level, self.node = key, title, level, node

            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                self.width = avail_width
                return avail_width, contents.style.leading

            def draw(self) -> None:
                x, y = self.canv.absolutePosition(0, 0)
                contents.lines.append(
                    (
                        self.canv.getPageNumber(),
                        x,
                        y,
                        self.width,
                        self.key,
                        self.title,
                        self.level,
                        self.node,
                    )
                )

        return [
            _Line(key, title, level, self.node.add("TOCI")) for key, title, level in self.entries
        ]

    def draw(self, canvas: Any, tagger: Tagger, page: int) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size, leading = self.style.fontSize, self.style.leading
        dot = stringWidth(" .", BODY, size)
        for where, x, y0, width, key, title, level, node in self.lines:
            if where != page:
                continue
            indent = 6 if level <= 1 else 20
            y = y0 + (leading - size) / 2
            number = str(self.pages.get(key, ""))
            shown = _display_order(title)
            fitted = shown
            room = width - indent - stringWidth(number, BODY, size) - 24
            while stringWidth(fitted, BODY, size) > room and len(fitted) > 4:
                fitted = fitted[:-2] + "…"
            start = x + indent + stringWidth(fitted, BODY, size) + 6
            end = x + width - stringWidth(number, BODY, size) - 6

            def text(
                fitted: str = fitted,
                x: float = x,
                y: float = y,
                indent: int = indent,
                number: str = number,
                width: float = width,
            ) -> None:
                canvas.setFont(BODY, size)
                canvas.drawString(x + indent, y, fitted)
                canvas.drawRightString(x + width, y, number)

            canvas.saveState()
            tagger.mark(canvas, node, text, id(node))
            if end > start:  # the leader dots are decoration
                canvas.setFont(BODY, size)
                canvas.drawString(start, y, " ." * int((end - start) / dot))
            canvas.restoreState()


def _numbered_canvas(document: Document, tagger: Tagger, contents: list[Contents]) -> Any:
    """A canvas that knows the page count when it draws each footer ("Page 2 of 3"), and
    the page of every heading when it draws the contents. Footers and draft marks are
    artifacts: a screen reader skips them."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    left = " · ".join(
        x for x in (document.footer, "Confidential" if document.confidential else "") if x
    )

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = BODY
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            tagger.open_page(self)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()
            tagger.open_page(self)

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for listing in contents:
                    listing.draw(self, tagger, self._pageNumber)
                self._draw_footer(total)
                tagger.close_page(self)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(colors.HexColor(RULE))
            self.setLineWidth(0.5)
            self.line(50, 42, width - 50, 42)
            self.setFont(BODY, 8)
            self.setFillColor(colors.HexColor(MUTED))
            self.drawString(50, 30, _display_order(left))
            self.drawRightString(width - 50, 30, f"Page {self._pageNumber} of {total}")
            if document.draft:
                self.setFont(BOLD, 10)
                self.setFillColor(colors.HexColor(DRAFT_RED))
                self.drawRightString(width - 50, height - 30, "DRAFT – not yet sent to the school")
            self.restoreState()

    return NumberedCanvas


def _flowable_classes(tagger: Tagger, contents: list[Contents]) -> tuple[Any, Any, Any]:
    """reportlab flowables that draw their content as part of a structure element."""
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus.flowables import Flowable

    class TaggedParagraph(P):
        _nx_node: Node | None = None
        _nx_heading: tuple[int, str] | None = None  # (level, title) for the outline
        _nx_key: int | None = None  # place in the document, for the contents
        # (width, lines, size) of the last wrap: a table measures each cell's paragraph when
        # it sizes its rows, again when it splits and again when it draws, all at one width.
        _nx_wrapped: tuple[float, Any, tuple[float, float]] | None = None

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            wrapped = self._nx_wrapped
            if (
                wrapped is not None
                and wrapped[0] == avail_width
                and wrapped[1] is getattr(self, "blPara", None)
            ):
                self.width, self.height = wrapped[2]
                return wrapped[2]
            size = super().wrap(avail_width, avail_height)
            self._nx_wrapped = (avail_width, getattr(self, "blPara", None), size)
            return size

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            parts = super().split(avail_width, avail_height)
            for part in parts:
                part._nx_node = self._nx_node
            return parts

        def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
            if self._nx_heading is not None and id(self) not in tagger._drawn:
                tagger.heading(*self._nx_heading, canvas, y + self.height)
                if self._nx_key is not None:
                    for listing in contents:
                        listing.pages.setdefault(self._nx_key, canvas.getPageNumber())
            _space_line_ends(self)
            tagger.mark(canvas, self._nx_node, lambda: P.drawOn(self, canvas, x, y, _sW), id(self))

    class ListItemFlowable(Flowable):
        """A bullet (the item's label) and its text (the body), drawn side by side, on the
        same baseline so that they copy out together."""

        def __init__(self, body: Any, label: Node | None, indent: float, bullet: str = "•") -> None:
            super().__init__()
            self.body, self.label, self.indent, self.bullet = body, label, indent, bullet

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = avail_width
            _w, self.height = self.body.wrap(avail_width - self.indent, avail_height)
            return avail_width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            parts = self.body.split(avail_width - self.indent, avail_height)
            if len(parts) < 2:
                return []
            return [
                ListItemFlowable(parts[0], self.label, self.indent, self.bullet),
                *(ListItemFlowable(p, None, self.indent, self.bullet) for p in parts[1:]),
            ]

        def getSpaceAfter(self) -> float:
            return float(self.body.getSpaceAfter())

        def draw(self) -> None:
            canvas = self.canv
            if self.label is not None:
                style = self.body.style
                baseline = self.height - style.fontSize

                def bullet() -> None:
                    canvas.setFont(BODY, style.fontSize)
                    canvas.setFillColor(style.textColor)
                    canvas.drawString(3, baseline, self.bullet)

                tagger.mark(canvas, self.label, bullet, id(self.label))
            self.body.drawOn(canvas, self.indent, 0)

    class FigureFlowable(Flowable):
        def __init__(self, drawing: Any, node: Node) -> None:
            super().__init__()
            self.drawing, self.node = drawing, node

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = self.drawing.wrap(avail_width, avail_height)
            return self.width, self.height

        def draw(self) -> None:
            from reportlab.graphics import shapes

            # The drawing starts from reportlab's default font (Times, not embedded) unless told.
            default = shapes.STATE_DEFAULTS["fontName"]
            shapes.STATE_DEFAULTS["fontName"] = BODY
            try:
                tagger.mark(
                    self.canv, self.node, lambda: self.drawing.drawOn(self.canv, 0, 0), id(self)
                )
            finally:
                shapes.STATE_DEFAULTS["fontName"] = default

    return TaggedParagraph, ListItemFlowable, FigureFlowable


def _space_line_ends(paragraph: Any) -> None:
    """Draw the space where a line breaks (reportlab drops it): invisible on the page, it keeps
    the words apart for whoever reads the text out of the file ("the agreed", not "theagreed")."""
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    if not lines or getattr(paragraph, "_nx_spaced", False):
        return
    paragraph._nx_spaced = True
    if paragraph.blPara.kind == 0:
        for i, (extra, words) in enumerate(lines[:-1]):
            if words:
                lines[i] = (extra, [*words[:-1], words[-1] + " "])
        return
    for line in lines[:-1]:
        words = getattr(line, "words", None)
        if (
            words
            and isinstance(getattr(words[-1], "text", None), str)
            and not hasattr(words[-1], "cbDefn")
        ):
            words[-1] = words[-1].clone(text=words[-1].text + " ")


@cache
def _table_style(header: bool) -> Any:
    """The style of a table with a header row, or of a block of facts: made once, as every
    table of a kind shares it (a table copies the commands it is given)."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), BODY, 9),  # the table's own default is Helvetica, not embedded
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(SHADE)]),
        ]
    else:
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(ACCENT)),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(ACCENT)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    return TableStyle(commands)


def chart_drawing(block: BarChart, width: float, height: float = 200) -> Any:
    """A grouped bar chart drawn by reportlab.graphics (also rendered to PNG for Word):
    category labels in full (wrapped), an axis of whole numbers."""
    import math

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
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


def render_pdf(document: Document, path: Path, paper: str = "a4") -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus.doctemplate import BaseDocTemplate, Frame, PageTemplate

    _register_fonts()
    styles = _styles()
    size = _page_size(paper)
    margin = 18 * mm
    frame_width = size[0] - 2 * margin

    tagger = Tagger()
    listings: list[Contents] = []
    TaggedParagraph, ListItemFlowable, FigureFlowable = _flowable_classes(tagger, listings)
    title = document.title + (f" – {document.subtitle}" if document.subtitle else "")

    doc = BaseDocTemplate(
        str(path),
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=document.author,
        subject=document.subtitle,
        creator=f"Nexus Review {__version__}",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def para(text: str, style: str, node: Node | None) -> Any:
        base_style = styles.get(style, styles["body"])
        source = markup(text)  # registers the fallback fonts the text needs
        chosen = shaped_style(base_style, text)
        if chosen is not base_style:
            source = markup(text, base_style.fontName)
        if source == text and chosen is base_style:  # plain words: no markup to parse
            frag = plain_frag(style, chosen).clone(text=" ".join(text.split()))
            flowable = TaggedParagraph(None, chosen, frags=[frag])
        else:
            flowable = TaggedParagraph(source, chosen)
        if node is not None:
            node.actual = " ".join(text.split())
        flowable._nx_node = node
        return flowable

    def table(
        header: tuple[str, ...] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        key_column: bool = False,
    ) -> Any:
        node = tagger.root.add("Table")
        data = []
        if header is not None:
            tr = node.add("TR")
            data.append([para(h, "cellhead", tr.add("TH", Scope="Column")) for h in header])
        for row in rows:
            tr = node.add("TR")
            cells = []
            for c, text in enumerate(row):
                if key_column and c == 0:
                    cells.append(para(text, "key", tr.add("TH", Scope="Row")))
                else:
                    cells.append(
                        para(text, "cell" if header is not None else "value", tr.add("TD"))
                    )
            data.append(cells)
        # A row splits across pages only when it may be taller than a page (a next step of
        # many paragraphs); shorter rows move to the next page whole.
        long_cell = any(len(text) > LONG_CELL for row in rows for text in row)
        flowable = RLTable(
            data,
            colWidths=list(widths),
            repeatRows=1 if header is not None else 0,
            splitInRow=int(long_cell),
        )
        flowable.setStyle(_table_style(header is not None))
        return flowable

    templates: dict[str, Any] = {}

    def plain_frag(name: str, style: Any) -> Any:
        """The one fragment reportlab's parser makes of plain text in a style, made once per
        style: parsing the markup of every table cell is a third of a long compilation's time."""
        if name not in templates:
            templates[name] = RLParagraph("x", style).frags[0]
        return templates[name]

    story: list[Any] = [para(document.title, "title", tagger.root.add("H1"))]
    if document.subtitle:
        story.append(para(document.subtitle, "subtitle", tagger.root.add("P")))
    for place, block in enumerate(document.blocks):
        match block:
            case Heading(text=text, level=level):
                flowable = para(
                    text,
                    "h1" if level <= 1 else "h2",
                    tagger.root.add("H2" if level <= 1 else "H3"),
                )
                flowable._nx_heading = (level, text)
                if block.listed:
                    flowable._nx_key = place
                # A heading starts where what it introduces can start too (a few lines, or a
                # table's header and first rows); else on the next page. Keeping it with the
                # next flowable instead would move a whole table to the next page.
                story += [CondPageBreak(HEADING_ROOM[min(level, 2)]), flowable]
            case Paragraph(text=text, style=style):
                story.append(para(text, style, tagger.root.add("P")))
            case BulletList(items=items):
                node = tagger.root.add("L")
                for item in items:
                    li = node.add("LI")
                    body = para(item, "bullet", li.add("LBody"))
                    story.append(ListItemFlowable(body, _label(li), 14))
            case Table(header=header, rows=rows, widths=widths, caption=caption):
                if caption:
                    story.append(para(caption, "lead", tagger.root.add("Caption")))
                weights = widths or (1.0,) * len(header)
                col_widths = [frame_width * w / sum(weights) for w in weights]
                story += [table(header, rows, col_widths), Spacer(1, 8)]
            case KeyValue(pairs=pairs):
                story += [
                    table(None, pairs, [frame_width * 0.24, frame_width * 0.76], key_column=True),
                    Spacer(1, 8),
                ]
            case BarChart(title=chart_title):
                caption = para(chart_title, "lead", tagger.root.add("Caption"))
                figure = FigureFlowable(
                    chart_drawing(block, frame_width), tagger.root.add("Figure", alt=block.alt)
                )
                story.append(KeepTogether([caption, figure, Spacer(1, 6)]))
            case PageBreak():
                story.append(RLPageBreak())
            case TableOfContents(title=toc_title):
                heading = para(toc_title, "h1", tagger.root.add("H2"))
                heading._nx_heading = (1, toc_title)
                listing = Contents(
                    [
                        (i, b.text, b.level)
                        for i, b in enumerate(document.blocks)
                        if isinstance(b, Heading) and b.listed
                    ],
                    styles["toc1"],
                    tagger.root.add("TOC"),
                )
                listings.append(listing)
                story += [heading, *listing.flowables()]
    doc.build(story, canvasmaker=_numbered_canvas(document, tagger, listings))
    finish_tagged_pdf(path, tagger, title, document.author, document.subtitle)


def _label(item: Node) -> Node:
    """A list item's label element, placed before its body."""
    label = Node("Lbl")
    item.children.insert(0, label)
    return label
