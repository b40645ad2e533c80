"""The Word renderer: python-docx with the template's own styles, so a school can restyle it.

Headings use Title, Heading 1 and Heading 2; lists use List Bullet; tables a built-in table
style. The footer carries the school, "Confidential" and PAGE / NUMPAGES fields, which Word and
LibreOffice fill in as "Page 2 of 3".
"""

from __future__ import annotations

import io
import re
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
from nexus_review.reports.pdf_tags import LANGUAGE

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


def _footer(section: Any, text: str, width_mm: float) -> None:
    """School · Confidential on the left, "Page X of Y" at a right tab on the text's edge (the
    Footer style's own tabs are set for US Letter, so they are cleared)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt, Twips

    para = section.footer.paragraphs[0]
    tabs = para.paragraph_format.tab_stops
    for position in (4680, 9360):
        tabs.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(clean_text(text) + "\tPage ").font.size = Pt(8)
    _field(para, "PAGE", 16)
    para.add_run(" of ").font.size = Pt(8)
    _field(para, "NUMPAGES", 16)


def _para(doc: Any, text: str = "", style_id: str | None = None) -> Any:
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


_STYLE_IDS: dict[tuple[int, str], str | None] = {}


def _style_id(doc: Any, name: str) -> str | None:
    key = (id(doc), name)
    if key not in _STYLE_IDS:
        _STYLE_IDS[key] = doc.styles[name].style_id if name in doc.styles else None
    return _STYLE_IDS[key]


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


def _add_table(
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
    style_id = _style_id(doc, style) or ""
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="{mask}" {look}/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    _append_block(doc, parse_xml(xml))
    _para(doc)


def _table(doc: Any, block: Table, width_mm: float) -> None:
    if block.caption:  # as the PDF has it: the caption above, kept with its table
        caption = _para(doc, block.caption, _style_id(doc, "Caption"))
        caption.paragraph_format.keep_with_next = True
    weights = block.widths or (1.0,) * len(block.header)
    total = sum(weights)
    _add_table(
        doc,
        TABLE_STYLE,
        [block.header, *block.rows],
        [width_mm * w / total for w in weights],
        header=True,
    )


def _key_value(doc: Any, block: KeyValue, width_mm: float) -> None:
    _add_table(
        doc,
        FACTS_STYLE,
        list(block.pairs),
        [width_mm * 0.26, width_mm * 0.74],
        header=False,
        bold_first=True,
    )


def _chart(doc: Any, block: BarChart, width_mm: float) -> None:
    """The same chart as the PDF's, drawn by reportlab.graphics and placed as a picture."""
    from docx.shared import Mm
    from reportlab.graphics import renderPM

    from nexus_review.reports.charts import chart_drawing

    points = width_mm / 25.4 * 72
    drawing = chart_drawing(block, points)
    png = renderPM.drawToString(drawing, fmt="PNG", dpi=200)
    caption = _para(doc, block.title, _style_id(doc, "Caption"))
    caption.paragraph_format.keep_with_next = True
    shape = doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
    properties = shape._inline.docPr
    properties.set("descr", clean_text(block.alt))
    properties.set("title", clean_text(block.title))


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
    instr.text = f' TOC \\o "1-1" \\h \\z \\u \\t "{LISTED_HEADING},2" '
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, instr, separate):
        run._r.append(element)


def _end_contents(doc: Any, headings: list[tuple[str, int]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # The cached result of the TOC field: the headings themselves, indented by level, until
    # Word updates it and adds the page numbers.
    end_para = None
    for text, level in headings:
        end_para = _para(doc, text, _contents_style(doc, level))
    if end_para is None:
        end_para = doc.add_paragraph()
    # The field ends in its last entry: a paragraph of its own could spill onto a page alone.
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    end_para.add_run()._r.append(end)


LISTED_HEADING = "Listed Heading 2"


def _contents_style(doc: Any, level: int) -> str | None:
    """Word's own "toc 1" / "toc 2" styles, made when the template lacks them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt

    name = f"toc {min(level, 2)}"
    if _STYLE_IDS.get((id(doc), name)) is None and name not in doc.styles:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Mm(0 if level <= 1 else 6)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
        _STYLE_IDS.pop((id(doc), name), None)
    return _style_id(doc, name)


def _listed_heading(doc: Any) -> str | None:
    """A sub-section heading listed in the contents (each review of a compilation): Heading 2
    as it looks and reads, with a style of its own that the contents field collects."""
    from docx.enum.style import WD_STYLE_TYPE

    if _STYLE_IDS.get((id(doc), LISTED_HEADING)) is None and LISTED_HEADING not in doc.styles:
        style = doc.styles.add_style(LISTED_HEADING, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Heading 2"]
        style.next_paragraph_style = doc.styles["Normal"]
        _STYLE_IDS.pop((id(doc), LISTED_HEADING), None)
    return _style_id(doc, LISTED_HEADING)


def _fresh_properties(doc: Any, document: Document) -> None:
    """Core and application properties of this file, not of the template it started from:
    title, author, made and changed now, this program; British English; no compatibility mode."""
    import datetime as dt

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = document.title + (f" – {document.subtitle}" if document.subtitle else "")
    props.author = document.author
    props.last_modified_by = document.author
    props.subject = document.subtitle
    props.comments = f"Made with Nexus Review {__version__}"
    props.created = props.modified = now
    props.revision = 1
    props.language = LANGUAGE
    props.keywords = ""
    props.category = ""

    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f"<Template>Normal.dotm</Template><Application>Nexus Review {escape(__version__)}</Application>"
                "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
                "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
                f"<AppVersion>{escape(_app_version())}</AppVersion></Properties>"
            ).encode()

    settings = doc.settings.element
    for compat in settings.findall(qn("w:compat")):
        for setting in compat.findall(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")  # Word 2013 and later: no "Compatibility Mode"
    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), "zh-CN")
    if not list(styles.iter(qn("w:lang"))):  # pragma: no cover - the shipped template has one
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            element = OxmlElement("w:lang")
            element.set(qn("w:val"), LANGUAGE)
            defaults.append(element)


def _app_version() -> str:
    """Word's AppVersion field is "major.minor" with two-digit minor (e.g. "0.01")."""
    parts = ([*__version__.split("."), "0", "0"])[:2]
    digits = [int(p) if p.isdigit() else 0 for p in parts]
    return f"{digits[0]}.{digits[1]:02d}"


def _draft_header(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run("DRAFT – not yet sent to the school")
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0xA4, 0x26, 0x2C)


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
    for name in ("Title", "Heading 1"):
        doc.styles[name].font.color.rgb = RGBColor(*ACCENT)
    doc.styles["Heading 2"].font.color.rgb = RGBColor(0, 0, 0)  # as the PDF's sub-sections
    _fresh_properties(doc, document)

    _para(doc, document.title, _style_id(doc, "Title"))
    if document.subtitle:
        _para(doc, document.subtitle, _style_id(doc, "Subtitle"))

    listed = [(b.text, b.level) for b in document.blocks if isinstance(b, Heading) and b.listed]
    break_before = False
    for block in document.blocks:
        if break_before and not isinstance(block, Heading):
            doc.add_page_break()
            break_before = False
        match block:
            case Heading(text=text, level=level):
                if level <= 1:
                    style_id = _style_id(doc, "Heading 1")
                else:
                    style_id = (
                        _listed_heading(doc) if block.in_contents else _style_id(doc, "Heading 2")
                    )
                heading = _para(doc, text, style_id)
                if break_before:  # the break belongs to the heading: never a page of its own
                    heading.paragraph_format.page_break_before = True
                    break_before = False
            case Paragraph(text=text, style=style):
                para = _para(doc)
                run = para.add_run(clean_text(text))
                if style == "lead":
                    run.bold = True
                    para.paragraph_format.keep_with_next = True
                elif style == "muted":
                    run.italic = True
                    para.paragraph_format.keep_with_next = True
                elif style in ("small", "note"):
                    run.font.size = Pt(8.5)
                    para.paragraph_format.keep_with_next = style == "note"
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
                break_before = True
                continue
            case TableOfContents(title=title):
                _contents(doc, title)
                _end_contents(doc, listed)

    footer = " · ".join(
        x for x in (document.footer, "Confidential" if document.confidential else "") if x
    )
    _footer(section, footer, text_width)
    if document.draft:
        _draft_header(section)
    doc.save(str(path))
