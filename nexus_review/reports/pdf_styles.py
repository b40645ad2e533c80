"""The PDF's look: colours, paragraph and table styles, page sizes and the room a heading needs."""

from __future__ import annotations

from functools import cache
from typing import Any

from nexus_review.reports.pdf_fonts import BODY, BOLD

ACCENT = "#1f4e79"
RULE = "#9fb6cd"
SHADE = "#e8eef5"
MUTED = "#555555"
DRAFT_RED = "#a4262c"


def paragraph_styles() -> dict[str, Any]:
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


def page_size(paper: str) -> tuple[float, float]:
    from reportlab.lib import pagesizes

    return getattr(pagesizes, PAGE_SIZES.get(paper, "A4"))


@cache
def table_style(header: bool) -> Any:
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
