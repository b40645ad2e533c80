"""The machine-checkable parts of PDF/UA-1 (ISO 14289-1), checked with pikepdf.

No PDF/UA validator can be installed here (veraPDF ships outside the package registries this
project uses), so these are the checks of the Matterhorn protocol that a program can decide,
written against the file itself: every piece of content tagged or an artifact, structure
types standard, headings not skipping a level, figures with alternative text, table header
cells with a scope, the language, title and PDF/UA identification, fonts embedded with a
Unicode map.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

STANDARD_TYPES = {
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "Warichu",
    "Figure",
    "Formula",
    "Form",
}
PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "BI"}


@dataclass
class Element:
    tag: str
    alt: str
    attributes: dict[str, str]
    children: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)

    def walk(self) -> list[Element]:
        out = [self]
        for c in self.children:
            out += c.walk()
        return out


def structure(pdf: pikepdf.Pdf) -> Element:
    """The structure tree as plain objects, children in reading order."""
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

    def read(obj: Any, page: int | None) -> Element:
        tag = str(obj.S)[1:]
        attrs = {}
        if "/A" in obj:
            attrs = {
                str(k)[1:]: str(v)[1:] for k, v in obj.A.items() if isinstance(v, pikepdf.Name)
            }
        element = Element(tag, str(obj.get("/Alt", "")), attrs)
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        kids = obj.get("/K")
        if kids is None:
            return element
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                element.mcids.append((page, int(kid)))  # type: ignore[arg-type]
            elif kid.get("/Type") == "/MCR":
                element.mcids.append((pages[kid.Pg.objgen], int(kid.MCID)))
            else:
                element.children.append(read(kid, page))
        return element

    return read(pdf.Root.StructTreeRoot.K, None)


def reading_order(root: Element) -> list[str]:
    return [e.tag for e in root.walk()]


def problems(path: Path) -> list[str]:
    """Every machine-checkable PDF/UA-1 failure found in the file, as sentences."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not (root.get("/MarkInfo") and root.MarkInfo.get("/Marked")):
            found.append("MarkInfo /Marked is not true")
        if str(root.get("/Lang", "")) == "":
            found.append("no document language")
        if not (root.get("/ViewerPreferences") and root.ViewerPreferences.get("/DisplayDocTitle")):
            found.append("the window does not show the document title")
        meta = pdf.open_metadata()
        if meta.get("pdfuaid:part") != "1":
            found.append("no PDF/UA identification in the XMP metadata")
        if not meta.get("dc:title"):
            found.append("no dc:title in the XMP metadata")
        if "/StructTreeRoot" not in root:
            return [*found, "no structure tree"]
        tree = structure(pdf)
        elements = tree.walk()
        tagged = {m for e in elements for m in e.mcids}
        for e in elements:
            if e.tag not in STANDARD_TYPES:
                found.append(f"structure type {e.tag} is not a standard one")
            if e.tag == "Figure" and not e.alt.strip():
                found.append("a figure without alternative text")
            if e.tag == "TH" and e.attributes.get("Scope") not in ("Row", "Column", "Both"):
                found.append("a table header cell without a scope")
        levels = [int(e.tag[1]) for e in elements if e.tag in {f"H{i}" for i in range(1, 7)}]
        if levels and levels[0] != 1:
            found.append("the first heading is not H1")
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                found.append(f"a heading skips from H{before} to H{after}")
        parent_tree = root.StructTreeRoot.ParentTree.Nums
        parents = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
        for index, page in enumerate(pdf.pages):
            found += _page_problems(index, page, tagged, parents)
        for index, page in enumerate(pdf.pages):
            for name, font in (page.Resources.get("/Font") or {}).items():
                found += _font_problems(index, str(name), font)
    return found


def _page_problems(
    index: int, page: pikepdf.Page, tagged: set[tuple[int, int]], parents: dict[int, Any]
) -> list[str]:
    found = []
    stack: list[str] = []
    untagged = 0
    mcids = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcids.add(int(props.MCID))
                stack.append("mcid")
            else:
                stack.append(str(operands[0]))
        elif op == "BMC":
            stack.append(str(operands[0]))
        elif op == "EMC":
            if not stack:
                found.append(f"page {index + 1}: EMC without a marked-content sequence")
            else:
                stack.pop()
        elif op in PAINTING and not any(s in ("mcid", "/Artifact") for s in stack):
            untagged += 1
    if stack:
        found.append(f"page {index + 1}: a marked-content sequence is not closed")
    if untagged:
        found.append(
            f"page {index + 1}: {untagged} pieces of content are neither tagged nor artifacts"
        )
    if mcids:
        if "/StructParents" not in page.obj:
            found.append(f"page {index + 1}: no StructParents")
        else:
            owners = parents.get(int(page.obj.StructParents))
            for mcid in mcids:
                if owners is None or mcid >= len(owners) or owners[mcid] is None:
                    found.append(f"page {index + 1}: MCID {mcid} has no structure element")
                if (index, mcid) not in tagged:
                    found.append(f"page {index + 1}: MCID {mcid} is not in the structure tree")
    if "/Annots" in page.obj and page.obj.get("/Tabs") != "/S":
        found.append(f"page {index + 1}: annotations without /Tabs /S")
    return found


def _font_problems(index: int, name: str, font: Any) -> list[str]:
    found = []
    descriptors = [font.get("/FontDescriptor")]
    if font.get("/Subtype") == "/Type0":
        descriptors = [d.get("/FontDescriptor") for d in font.DescendantFonts]
    for descriptor in descriptors:
        if descriptor is None or not any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            found.append(f"page {index + 1}: font {name} ({font.get('/BaseFont')}) is not embedded")
    if "/ToUnicode" not in font and font.get("/Subtype") != "/Type3":
        found.append(f"page {index + 1}: font {name} has no ToUnicode map")
    return found
