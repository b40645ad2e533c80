"""Tagged PDF: the structure a screen reader follows, for reports a school publishes.

reportlab draws the pages but knows nothing of structure, so the two halves are kept apart:

- while drawing, every piece of real content (a heading, a paragraph, a list label, a table
  cell, a chart) is wrapped in a marked-content sequence with its own number (MCID), and
  everything else on the page (rules, shading, bullets' spacing, the footer) is marked as an
  artifact;
- when the file is written, :func:`finish_tagged_pdf` adds with pikepdf the structure tree
  built alongside the story (headings at their levels, paragraphs, lists with labels and
  bodies, tables with header cells, figures with alternative text), the parent tree that ties
  each MCID back to its element, the document language, the title shown as the window title,
  the outline of headings and the PDF/UA identification in the XMP metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGE = "en-GB"


@dataclass(eq=False, slots=True)
class Node:
    """One structure element: its standard type, children in reading order, and the
    marked-content pieces (page index, MCID) drawn for it."""

    tag: str
    children: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    alt: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    # The words as typed: reportlab drops the space where a line breaks, and draws
    # right-to-left text in display order; a reader of the structure gets this instead.
    actual: str = ""

    def add(self, tag: str, alt: str = "", actual: str = "", **attributes: str) -> Node:
        child = Node(tag, alt=alt, actual=actual, attributes=attributes)
        self.children.append(child)
        return child


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    page: int
    top: float


class Tagger:
    """Writes the marked-content operators into reportlab's page streams while it draws."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.pages: dict[int, list[Node]] = {}  # page index -> element of each MCID
        self.outline: list[OutlineEntry] = []
        self._drawn: set[int] = set()

    # Each page's stream opens as an artifact; real content closes it and opens it again.
    @staticmethod
    def open_page(canvas: Any) -> None:
        canvas._code.append("/Artifact BMC")

    @staticmethod
    def close_page(canvas: Any) -> None:
        canvas._code.append("EMC")

    def mark(self, canvas: Any, node: Node | None, draw: Callable[[], None], key: int) -> None:
        """Draw one piece of content as part of ``node``. A piece drawn a second time (a
        table's header row repeated on the next page) stays an artifact."""
        if node is None or key in self._drawn:
            draw()
            return
        self._drawn.add(key)
        page = canvas.getPageNumber() - 1
        owners = self.pages.setdefault(page, [])
        mcid = len(owners)
        owners.append(node)
        node.content.append((page, mcid))
        code = canvas._code
        code.append(f"EMC /{node.tag} <</MCID {mcid}>> BDC")
        draw()
        code.append("EMC /Artifact BMC")

    def heading(self, level: int, title: str, canvas: Any, top: float) -> None:
        self.outline.append(OutlineEntry(level, title, canvas.getPageNumber() - 1, top))


def _pdf_text(text: str) -> Any:
    import pikepdf

    return pikepdf.String(text)


def finish_tagged_pdf(path: Path, tagger: Tagger, title: str, author: str, subject: str) -> None:
    """Add the structure tree, language, outline and metadata to the file reportlab wrote."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    from nexus_review import __version__

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pages = pdf.pages
        page_refs = [p.obj for p in pages]
        root_dict = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        parents: dict[int, list[Any]] = {
            i: [None] * len(owners) for i, owners in tagger.pages.items()
        }

        def build(node: Node, parent: Any) -> Any | None:
            if not node.content and not node.children:
                return None
            # Every key but the kids in one go: each later change is a call into qpdf.
            entries: dict[str, Any] = {
                "/Type": Name.StructElem,
                "/S": Name("/" + node.tag),
                "/P": parent,
            }
            first_page = node.content[0][0] if node.content else None
            if first_page is not None:
                entries["/Pg"] = page_refs[first_page]
            if node.alt:
                entries["/Alt"] = _pdf_text(node.alt)
            if node.actual:
                entries["/ActualText"] = _pdf_text(node.actual)
            if node.attributes:
                entries["/A"] = Dictionary(
                    {"/" + k: Name("/" + v) for k, v in node.attributes.items()}
                )
            element = pdf.make_indirect(Dictionary(entries))
            kids: list[Any] = []
            # An element holds either content or children, never both, in these documents.
            for page, mcid in node.content:
                if page == first_page:
                    kids.append(mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=page_refs[page], MCID=mcid))
                parents[page][mcid] = element
            for child in node.children:
                built = build(child, element)
                if built is not None:
                    kids.append(built)
            if not kids:
                return None
            element.K = Array(kids) if len(kids) > 1 else kids[0]
            return element

        document = build(tagger.root, root_dict)
        root_dict.K = document if document is not None else Array()
        nums: list[Any] = []
        for index in sorted(parents):
            nums += [index, Array(parents[index])]
            pages[index].obj.StructParents = index
        root_dict.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
        root_dict.ParentTreeNextKey = len(pages)
        for page in pages:
            page.obj.Tabs = Name.S

        catalog = pdf.Root
        catalog.StructTreeRoot = root_dict
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = _pdf_text(LANGUAGE)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)

        if tagger.outline:
            catalog.PageMode = Name.UseOutlines
            with pdf.open_outline() as outline:
                stack: list[tuple[int, Any]] = []
                for entry in tagger.outline:
                    item = pikepdf.OutlineItem(
                        entry.title, entry.page, "XYZ", left=0, top=entry.top
                    )
                    while stack and stack[-1][0] >= entry.level:
                        stack.pop()
                    (stack[-1][1].children if stack else outline.root).append(item)
                    stack.append((entry.level, item))

        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:creator"] = [author] if author else []
            if subject:
                meta["dc:description"] = subject
            meta["dc:language"] = [LANGUAGE]
            meta["pdf:Producer"] = f"Nexus Review {__version__} (reportlab, pikepdf)"
            meta["xmp:CreatorTool"] = f"Nexus Review {__version__}"
            meta.register_xml_namespace("http://www.aiim.org/pdfua/ns/id/", "pdfuaid")
            meta["pdfuaid:part"] = "1"
        pdf.docinfo[Name.Producer] = _pdf_text(f"Nexus Review {__version__} (reportlab, pikepdf)")
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
