"""Paragraphs, tables and pictures of a Word file, written as WordprocessingML directly.

python-docx looks styles up by name, finds a paragraph's place among all the paragraphs so far
and builds a table row by row: on the hundreds of rows of a network compilation that takes
seconds. These write the same elements in one go, with the template's own styles.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from nexus_review.reports.document import BarChart, KeyValue, Table

TABLE_STYLE = "Light Grid Accent 1"
FACTS_STYLE = "Light List Accent 1"

# Characters XML 1.0 (and so Word) cannot hold: control characters other than tab and newline.
_XML_BAD = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def clean_text(text: str) -> str:
    return text.translate(_XML_BAD)


def add_paragraph(doc: Any, text: str = "", style_id: str | None = None) -> Any:
    """A paragraph in a style given by its id, its text in one run: the same elements as
    python-docx's ``add_paragraph``, ``style`` and ``add_run`` make, built directly (looking
    styles up by name, finding the section's place among all the paragraphs so far and
    reading the text a character at a time is what makes python-docx slow on a long
    document)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph as DocxParagraph

    p = OxmlElement("w:p")
    if style_id:
        p_style = OxmlElement("w:pStyle")
        p_style.set(qn("w:val"), style_id)
        p_pr = OxmlElement("w:pPr")
        p_pr.append(p_style)
        p.append(p_pr)
    para = DocxParagraph(p, doc._body)
    _append_block(doc, p)
    if text:
        clean = clean_text(text)
        if _PLAIN_RUN.fullmatch(clean):
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = clean
            if len(clean.strip()) < len(clean):
                t.set(qn("xml:space"), "preserve")
            run.append(t)
            p.append(run)
        else:  # tabs and line breaks: python-docx's own run
            para.add_run(clean)
    return para


# Text a run holds in one <w:t>: no tab or line break, which python-docx writes as elements.
_PLAIN_RUN = re.compile(r"[^\t\r\n]+")


def _append_block(doc: Any, element: Any) -> None:
    """Add a paragraph or table at the end of the body, before its section properties."""
    body = doc.element.body
    try:
        last = body[-1]  # found from the end: len(body) would count every paragraph
    except IndexError:
        last = None
    if last is not None and last.tag.endswith("}sectPr"):
        last.addprevious(element)
    else:
        body.append(element)


STYLE_IDS: dict[tuple[int, str], str | None] = {}


def style_id_of(doc: Any, name: str) -> str | None:
    key = (id(doc), name)
    if key not in STYLE_IDS:
        STYLE_IDS[key] = doc.styles[name].style_id if name in doc.styles else None
    return STYLE_IDS[key]


# Table text, in half-points: a little smaller than the body, as in the PDF.
CELL_SIZE = 19
# A cell this long (characters) may be taller than a page, so its row may split.
LONG_CELL = 1000


def _cell_xml(text: str, width: int, bold: bool = False, keep: bool = False) -> str:
    """One table cell as WordprocessingML: its width, one paragraph per line of text."""
    runs = []
    paragraph = (
        '<w:pPr><w:keepNext/><w:spacing w:after="0"/></w:pPr>'
        if keep
        else '<w:pPr><w:spacing w:after="0"/></w:pPr>'
    )
    for line in clean_text(text).split("\n") or [""]:
        props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{CELL_SIZE}"/></w:rPr>'
        runs.append(
            f'<w:p>{paragraph}<w:r>{props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(runs)}</w:tc>'


def _write_table(
    doc: Any,
    style: str,
    rows: list[tuple[str, ...]],
    widths_mm: list[float],
    *,
    header: bool,
    bold_first: bool = False,
) -> None:
    """A whole table written as XML in one go: python-docx's row-by-row building takes seconds
    for the hundreds of rows of a network compilation, this takes milliseconds."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    twips = [round(w / 25.4 * 1440) for w in widths_mm]
    flags = (
        ("firstRow", header, 0x20),
        ("lastRow", False, 0x40),
        ("firstColumn", False, 0x80),
        ("lastColumn", False, 0x100),
        ("noHBand", False, 0x200),
        ("noVBand", True, 0x400),
    )
    look = " ".join(f'w:{k}="{int(on)}"' for k, on, _b in flags)
    mask = f"{sum(bit for _k, on, bit in flags if on):04X}"
    body = []
    # Rows stay whole on a page unless one may be taller than a page; a block of facts (no
    # header) stays together and with what follows it.
    whole = not any(len(text) > LONG_CELL for row in rows for text in row)
    for i, row in enumerate(rows):
        flags_xml = ("<w:cantSplit/>" if whole else "") + (
            '<w:tblHeader w:val="true"/>' if header and i == 0 else ""
        )
        row_props = f"<w:trPr>{flags_xml}</w:trPr>" if flags_xml else ""
        cells = "".join(
            _cell_xml(text, w, bold_first and c == 0, keep=not header)
            for c, (text, w) in enumerate(zip(row, twips, strict=True))
        )
        body.append(f"<w:tr>{row_props}{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    style_id = style_id_of(doc, style) or ""
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="{mask}" {look}/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    _append_block(doc, parse_xml(xml))
    add_paragraph(doc)


def add_table(doc: Any, block: Table, width_mm: float) -> None:
    if block.caption:  # as the PDF has it: the caption above, kept with its table
        caption = add_paragraph(doc, block.caption, style_id_of(doc, "Caption"))
        caption.paragraph_format.keep_with_next = True
    weights = block.widths or (1.0,) * len(block.header)
    total = sum(weights)
    _write_table(
        doc,
        TABLE_STYLE,
        [block.header, *block.rows],
        [width_mm * w / total for w in weights],
        header=True,
    )


def add_key_value(doc: Any, block: KeyValue, width_mm: float) -> None:
    _write_table(
        doc,
        FACTS_STYLE,
        list(block.pairs),
        [width_mm * 0.26, width_mm * 0.74],
        header=False,
        bold_first=True,
    )


def add_chart(doc: Any, block: BarChart, width_mm: float) -> None:
    """The same chart as the PDF's, drawn by reportlab.graphics and placed as a picture."""
    from docx.shared import Mm
    from reportlab.graphics import renderPM

    from nexus_review.reports.charts import chart_drawing

    points = width_mm / 25.4 * 72
    drawing = chart_drawing(block, points)
    png = renderPM.drawToString(drawing, fmt="PNG", dpi=200)
    caption = add_paragraph(doc, block.title, style_id_of(doc, "Caption"))
    caption.paragraph_format.keep_with_next = True
    shape = doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
    properties = shape._inline.docPr
    properties.set("descr", clean_text(block.alt))
    properties.set("title", clean_text(block.title))
