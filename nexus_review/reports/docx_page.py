"""What a Word file carries besides its text: the footer with its page fields, the draft mark
in the header, and the file's own properties."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from nexus_review import __version__
from nexus_review.reports.document import DRAFT_MARK, Document
from nexus_review.reports.docx_blocks import clean_text
from nexus_review.reports.pdf_tags import LANGUAGE


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


def add_footer(section: Any, text: str, width_mm: float) -> None:
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


def fresh_properties(doc: Any, document: Document) -> None:
    """Core and application properties of this file, not of the template it started from:
    title, author, made and changed now, this program; British English; no compatibility mode."""
    import datetime as dt

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = document.full_title
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


def add_draft_header(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0xA4, 0x26, 0x2C)
