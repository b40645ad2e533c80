"""The PDF's own flowables: paragraphs, list items and figures drawn as part of their
structure element, so that the file reads out in order and a screen reader finds its way."""

from __future__ import annotations

from typing import Any

from nexus_review.reports.pdf_fonts import BODY
from nexus_review.reports.pdf_pages import Contents
from nexus_review.reports.pdf_tags import Node, Tagger


def flowable_classes(tagger: Tagger, contents: list[Contents]) -> tuple[Any, Any, Any]:
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
