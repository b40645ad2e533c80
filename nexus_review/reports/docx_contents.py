"""The contents of a Word file: a field Word fills in with page numbers, listing the headings
meanwhile, and the styles its entries and its listed sub-section headings take."""

from __future__ import annotations

from typing import Any

from nexus_review.reports.docx_blocks import STYLE_IDS, add_paragraph, style_id_of


def add_contents(doc: Any, title: str) -> None:
    """A table-of-contents field Word fills in (F9), with the headings listed meanwhile."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    add_paragraph(doc, title, style_id_of(doc, "Heading 1"))
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


def end_contents(doc: Any, headings: list[tuple[str, int]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # The cached result of the TOC field: the headings themselves, indented by level, until
    # Word updates it and adds the page numbers.
    end_para = None
    for text, level in headings:
        end_para = add_paragraph(doc, text, _contents_style(doc, level))
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
    if STYLE_IDS.get((id(doc), name)) is None and name not in doc.styles:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Mm(0 if level <= 1 else 6)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
        STYLE_IDS.pop((id(doc), name), None)
    return style_id_of(doc, name)


def listed_heading(doc: Any) -> str | None:
    """A sub-section heading listed in the contents (each review of a compilation): Heading 2
    as it looks and reads, with a style of its own that the contents field collects."""
    from docx.enum.style import WD_STYLE_TYPE

    if STYLE_IDS.get((id(doc), LISTED_HEADING)) is None and LISTED_HEADING not in doc.styles:
        style = doc.styles.add_style(LISTED_HEADING, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Heading 2"]
        style.next_paragraph_style = doc.styles["Normal"]
        STYLE_IDS.pop((id(doc), LISTED_HEADING), None)
    return style_id_of(doc, LISTED_HEADING)
