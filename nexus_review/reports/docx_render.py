"""The Word renderer: python-docx with the template's own styles, so a school can restyle it.

Headings use Title, Heading 1 and Heading 2; lists use List Bullet; tables a built-in table
style. The footer carries the school, "Confidential" and PAGE / NUMPAGES fields, which Word and
LibreOffice fill in as "Page 2 of 3".
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from nexus_review import __version__
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

TABLE_STYLE = "Light Grid Accent 1"
FACTS_STYLE = "Light List Accent 1"
ACCENT = (0x1F, 0x4E, 0x79)

# Page sizes in millimetres.
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

# Characters XML 1.0 (and so Word) cannot hold: control characters other than tab and newline.
_XML_BAD = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def clean_text(text: str) -> str:
    return text.translate(_XML_BAD)


def _field(para: Any, code: str, half_points: int) -> None:
    """A simple Word field (PAGE, NUMPAGES) with a placeholder value, in the footer's size."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(half_points))
    props.append(size)
    value = OxmlElement("w:t")
    value.text = "1"
    run.append(props)
    run.append(value)
    field.append(run)
    para._p.append(field)


def _footer(section: Any, text: str) -> None:
    """School · Confidential on the left, "Page X of Y" at the Footer style's right tab."""
    from docx.shared import Pt

    para = section.footer.paragraphs[0]
    para.add_run(clean_text(text) + "\t\tPage ").font.size = Pt(8)
    _field(para, "PAGE", 16)
    para.add_run(" of ").font.size = Pt(8)
    _field(para, "NUMPAGES", 16)


def _look(table: Any, first_row: bool) -> None:
    """Which parts of the table style apply: a header row or none, never banded columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    for old in props.findall(qn("w:tblLook")):
        props.remove(old)
    look = OxmlElement("w:tblLook")
    flags = (("firstRow", first_row, 0x20), ("lastRow", False, 0x40), ("firstColumn", True, 0x80),
             ("lastColumn", False, 0x100), ("noHBand", False, 0x200), ("noVBand", True, 0x400))
    for key, on, _bit in flags:
        look.set(qn(f"w:{key}"), "1" if on else "0")
    # The older bit mask, which LibreOffice reads.
    look.set(qn("w:val"), f"{sum(bit for _k, on, bit in flags if on):04X}")
    props.append(look)


def _widths(table: Any, widths_mm: list[float]) -> None:
    """Column widths Word and LibreOffice both honour: the grid and every cell."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _set_cell(cell: Any, text: str, bold: bool = False) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(clean_text(text))
    run.bold = bold or None


def _table(doc: Any, block: Table, width_mm: float) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles[TABLE_STYLE]
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _set_cell(cell, text)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _set_cell(cell, text)
    weights = block.widths or (1.0,) * len(block.header)
    total = sum(weights)
    _widths(table, [width_mm * w / total for w in weights])
    _look(table, first_row=True)
    _mark_header_row(table)
    doc.add_paragraph()


def _mark_header_row(table: Any) -> None:
    """The first row repeats on every page, as a table heading does in Word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _key_value(doc: Any, block: KeyValue, width_mm: float) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles[FACTS_STYLE]
    for key, value in block.pairs:
        cells = table.add_row().cells
        _set_cell(cells[0], key, bold=True)
        _set_cell(cells[1], value)
    _widths(table, [width_mm * 0.26, width_mm * 0.74])
    _look(table, first_row=False)
    doc.add_paragraph()


def _chart(doc: Any, block: BarChart, width_mm: float) -> None:
    """The same chart as the PDF's, drawn by reportlab.graphics and placed as a picture."""
    from docx.shared import Mm
    from reportlab.graphics import renderPM

    from nexus_review.reports.pdf_render import chart_drawing

    points = width_mm / 25.4 * 72
    drawing = chart_drawing(block, points)
    png = renderPM.drawToString(drawing, fmt="PNG", dpi=200)
    doc.add_paragraph(clean_text(block.title), style="Caption" if "Caption" in doc.styles else None)
    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))


def _contents(doc: Any, title: str) -> None:
    """A table-of-contents field Word fills in (F9), with the headings listed meanwhile."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.add_heading(clean_text(title), level=1)
    para = doc.add_paragraph()
    run = para.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-1" \\h \\z \\u '
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, instr, separate):
        run._r.append(element)


def _end_contents(doc: Any, headings: list[str]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # The cached result of the TOC field: the headings themselves, until Word updates it.
    for text in headings:
        doc.add_paragraph(clean_text(text), style="List Paragraph" if "List Paragraph" in doc.styles else None)
    end_para = doc.add_paragraph()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    end_para.add_run()._r.append(end)


def render_docx(document: Document, path: Path, paper: str = "a4") -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt, RGBColor

    doc = docx.Document()
    width, height = PAPER_MM.get(paper, PAPER_MM["a4"])
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    text_width = width - 40

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = RGBColor(*ACCENT)

    props = doc.core_properties
    props.title = document.title + (f" – {document.subtitle}" if document.subtitle else "")
    props.author = document.author
    props.subject = document.subtitle
    props.comments = f"Made with Nexus Review {__version__}"

    doc.add_heading(clean_text(document.title), level=0)
    if document.subtitle:
        doc.add_paragraph(clean_text(document.subtitle), style="Subtitle")

    level_one = [b.text for b in document.blocks if isinstance(b, Heading) and b.level <= 1]
    for block in document.blocks:
        match block:
            case Heading(text=text, level=level):
                doc.add_heading(clean_text(text), level=1 if level <= 1 else 2)
            case Paragraph(text=text, style=style):
                para = doc.add_paragraph()
                run = para.add_run(clean_text(text))
                if style == "lead":
                    run.bold = True
                elif style == "muted":
                    run.italic = True
                elif style == "small":
                    run.font.size = Pt(8.5)
            case BulletList(items=items):
                for item in items:
                    doc.add_paragraph(clean_text(item), style="List Bullet")
            case Table():
                _table(doc, block, text_width)
            case KeyValue():
                _key_value(doc, block, text_width)
            case BarChart():
                _chart(doc, block, text_width)
            case PageBreak():
                doc.add_page_break()
            case TableOfContents(title=title):
                _contents(doc, title)
                _end_contents(doc, [h for h in level_one if h != title])

    footer = " · ".join(x for x in (document.footer, "Confidential" if document.confidential else "") if x)
    _footer(section, footer)
    doc.save(str(path))
