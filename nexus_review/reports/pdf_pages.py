"""What the PDF's canvas draws on every page once the story is laid out: the contents list with
its page numbers, the footer ("Page 2 of 3") and the draft mark."""

from __future__ import annotations

from typing import Any

from nexus_review.reports.document import DRAFT_MARK, Document
from nexus_review.reports.pdf_fonts import BODY, BOLD, display_order
from nexus_review.reports.pdf_styles import DRAFT_RED, MUTED, RULE
from nexus_review.reports.pdf_tags import Node, Tagger


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
            shown = display_order(title)
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


def numbered_canvas(document: Document, tagger: Tagger, contents: list[Contents]) -> Any:
    """A canvas that knows the page count when it draws each footer ("Page 2 of 3"), and
    the page of every heading when it draws the contents. Footers and draft marks are
    artifacts: a screen reader skips them."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    left = document.footer_text

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
            self.drawString(50, 30, display_order(left))
            self.drawRightString(width - 50, 30, f"Page {self._pageNumber} of {total}")
            if document.draft:
                self.setFont(BOLD, 10)
                self.setFillColor(colors.HexColor(DRAFT_RED))
                self.drawRightString(width - 50, height - 30, DRAFT_MARK)
            self.restoreState()

    return NumberedCanvas
