"""The Word renderer: python-docx with the template's own styles, so a school can restyle it.

Headings use Title, Heading 1 and Heading 2; lists use List Bullet; tables a built-in table
style. The footer carries the school, "Confidential" and PAGE / NUMPAGES fields, which Word and
LibreOffice fill in as "Page 2 of 3".
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

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


def _para(doc: Any, text: str = "", style_id: str | None = None) -> Any:
    """A paragraph in a style given by its id (looking styles up by name each time is what
    makes python-docx slow on a long document)."""
    para = doc.add_paragraph()
    if style_id:
        para._p.style = style_id
    if text:
        para.add_run(clean_text(text))
    return para


_STYLE_IDS: dict[tuple[int, str], str | None] = {}


def _style_id(doc: Any, name: str) -> str | None:
    key = (id(doc), name)
    if key not in _STYLE_IDS:
        _STYLE_IDS[key] = doc.styles[name].style_id if name in doc.styles else None
    return _STYLE_IDS[key]


def _cell_xml(text: str, width: int, bold: bool = False) -> str:
    """One table cell as WordprocessingML: its width, one paragraph per line of text."""
    runs = []
    for line in clean_text(text).split("\n") or [""]:
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        runs.append(f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>')
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(runs)}</w:tc>'


def _add_table(doc: Any, style: str, rows: list[tuple[str, ...]], widths_mm: list[float], *, header: bool, bold_first: bool = False) -> None:
    """A whole table written as XML in one go: python-docx's row-by-row building takes seconds
    for the hundreds of rows of a network compilation, this takes milliseconds."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    twips = [round(w / 25.4 * 1440) for w in widths_mm]
    flags = (("firstRow", header, 0x20), ("lastRow", False, 0x40), ("firstColumn", True, 0x80),
             ("lastColumn", False, 0x100), ("noHBand", False, 0x200), ("noVBand", True, 0x400))
    look = " ".join(f'w:{k}="{int(on)}"' for k, on, _b in flags)
    mask = f"{sum(bit for _k, on, bit in flags if on):04X}"
    body = []
    for i, row in enumerate(rows):
        row_props = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header and i == 0 else ""
        cells = "".join(_cell_xml(text, w, bold_first and c == 0) for c, (text, w) in enumerate(zip(row, twips, strict=True)))
        body.append(f"<w:tr>{row_props}{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    style_id = _style_id(doc, style) or ""
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="{mask}" {look}/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    doc.element.body._insert_tbl(parse_xml(xml))
    doc.add_paragraph()


def _table(doc: Any, block: Table, width_mm: float) -> None:
    weights = block.widths or (1.0,) * len(block.header)
    total = sum(weights)
    _add_table(doc, TABLE_STYLE, [block.header, *block.rows], [width_mm * w / total for w in weights], header=True)


def _key_value(doc: Any, block: KeyValue, width_mm: float) -> None:
    _add_table(doc, FACTS_STYLE, list(block.pairs), [width_mm * 0.26, width_mm * 0.74], header=False, bold_first=True)


def _chart(doc: Any, block: BarChart, width_mm: float) -> None:
    """The same chart as the PDF's, drawn by reportlab.graphics and placed as a picture."""
    from docx.shared import Mm
    from reportlab.graphics import renderPM

    from nexus_review.reports.pdf_render import chart_drawing

    points = width_mm / 25.4 * 72
    drawing = chart_drawing(block, points)
    png = renderPM.drawToString(drawing, fmt="PNG", dpi=200)
    _para(doc, block.title, _style_id(doc, "Caption"))
    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))


def _contents(doc: Any, title: str) -> None:
    """A table-of-contents field Word fills in (F9), with the headings listed meanwhile."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _para(doc, title, _style_id(doc, "Heading 1"))
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
        _para(doc, text, _style_id(doc, "List Paragraph"))
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

    _para(doc, document.title, _style_id(doc, "Title"))
    if document.subtitle:
        _para(doc, document.subtitle, _style_id(doc, "Subtitle"))

    level_one = [b.text for b in document.blocks if isinstance(b, Heading) and b.level <= 1]
    for block in document.blocks:
        match block:
            case Heading(text=text, level=level):
                _para(doc, text, _style_id(doc, "Heading 1" if level <= 1 else "Heading 2"))
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
                    _para(doc, item, _style_id(doc, "List Bullet"))
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
