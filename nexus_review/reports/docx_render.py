"""The Word renderer: python-docx with the template's own styles, so a school can restyle it.

Headings use Title, Heading 1 and Heading 2; lists use List Bullet; tables a built-in table
style. The footer carries the school, "Confidential" and PAGE / NUMPAGES fields, which Word and
LibreOffice fill in as "Page 2 of 3".
"""

from __future__ import annotations

from pathlib import Path

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
from nexus_review.reports.docx_blocks import (
    add_chart,
    add_key_value,
    add_paragraph,
    add_table,
    clean_text,
    style_id_of,
)
from nexus_review.reports.docx_contents import add_contents, end_contents, listed_heading
from nexus_review.reports.docx_page import add_draft_header, add_footer, fresh_properties

ACCENT = (0x1F, 0x4E, 0x79)

# Page sizes in millimetres.
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


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
    fresh_properties(doc, document)

    add_paragraph(doc, document.title, style_id_of(doc, "Title"))
    if document.subtitle:
        add_paragraph(doc, document.subtitle, style_id_of(doc, "Subtitle"))

    listed = [(b.text, b.level) for b in document.blocks if isinstance(b, Heading) and b.listed]
    break_before = False
    for block in document.blocks:
        if break_before and not isinstance(block, Heading):
            doc.add_page_break()
            break_before = False
        match block:
            case Heading(text=text, level=level):
                if level <= 1:
                    style_id = style_id_of(doc, "Heading 1")
                else:
                    style_id = (
                        listed_heading(doc) if block.in_contents else style_id_of(doc, "Heading 2")
                    )
                heading = add_paragraph(doc, text, style_id)
                if break_before:  # the break belongs to the heading: never a page of its own
                    heading.paragraph_format.page_break_before = True
                    break_before = False
            case Paragraph(text=text, style=style):
                para = add_paragraph(doc)
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
                    add_paragraph(doc, item, style_id_of(doc, "List Bullet"))
            case Table():
                add_table(doc, block, text_width)
            case KeyValue():
                add_key_value(doc, block, text_width)
            case BarChart():
                add_chart(doc, block, text_width)
            case PageBreak():
                break_before = True
                continue
            case TableOfContents(title=title):
                add_contents(doc, title)
                end_contents(doc, listed)

    add_footer(section, document.footer_text, text_width)
    if document.draft:
        add_draft_header(section)
    doc.save(str(path))
