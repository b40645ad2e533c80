"""The PDF renderer: reportlab platypus, with embedded Unicode fonts and page numbers.

The story is built here, block by block, from the document tree; the fonts and markup
(:mod:`~nexus_review.reports.pdf_fonts`), the styles (:mod:`~nexus_review.reports.pdf_styles`),
the tagged flowables (:mod:`~nexus_review.reports.pdf_flowables`) and what every page carries
(:mod:`~nexus_review.reports.pdf_pages`) each have a module of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nexus_review import __version__
from nexus_review.reports.charts import chart_drawing
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
from nexus_review.reports.pdf_flowables import flowable_classes
from nexus_review.reports.pdf_fonts import markup, register_fonts, shaped_style
from nexus_review.reports.pdf_pages import Contents, numbered_canvas
from nexus_review.reports.pdf_styles import (
    HEADING_ROOM,
    LONG_CELL,
    page_size,
    paragraph_styles,
    table_style,
)
from nexus_review.reports.pdf_tags import Node, Tagger, finish_tagged_pdf


def render_pdf(document: Document, path: Path, paper: str = "a4") -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus.doctemplate import BaseDocTemplate, Frame, PageTemplate

    register_fonts()
    styles = paragraph_styles()
    size = page_size(paper)
    margin = 18 * mm
    frame_width = size[0] - 2 * margin

    tagger = Tagger()
    listings: list[Contents] = []
    TaggedParagraph, ListItemFlowable, FigureFlowable = flowable_classes(tagger, listings)
    title = document.full_title

    doc = BaseDocTemplate(
        str(path),
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=document.author,
        subject=document.subtitle,
        creator=f"Nexus Review {__version__}",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def para(text: str, style: str, node: Node | None) -> Any:
        base_style = styles.get(style, styles["body"])
        source = markup(text)  # registers the fallback fonts the text needs
        chosen = shaped_style(base_style, text)
        if chosen is not base_style:
            source = markup(text, base_style.fontName)
        if source == text and chosen is base_style:  # plain words: no markup to parse
            frag = plain_frag(style, chosen).clone(text=" ".join(text.split()))
            flowable = TaggedParagraph(None, chosen, frags=[frag])
        else:
            flowable = TaggedParagraph(source, chosen)
        if node is not None:
            node.actual = " ".join(text.split())
        flowable._nx_node = node
        return flowable

    def table(
        header: tuple[str, ...] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        key_column: bool = False,
    ) -> Any:
        node = tagger.root.add("Table")
        data = []
        if header is not None:
            tr = node.add("TR")
            data.append([para(h, "cellhead", tr.add("TH", Scope="Column")) for h in header])
        for row in rows:
            tr = node.add("TR")
            cells = []
            for c, text in enumerate(row):
                if key_column and c == 0:
                    cells.append(para(text, "key", tr.add("TH", Scope="Row")))
                else:
                    cells.append(
                        para(text, "cell" if header is not None else "value", tr.add("TD"))
                    )
            data.append(cells)
        # A row splits across pages only when it may be taller than a page (a next step of
        # many paragraphs); shorter rows move to the next page whole.
        long_cell = any(len(text) > LONG_CELL for row in rows for text in row)
        flowable = RLTable(
            data,
            colWidths=list(widths),
            repeatRows=1 if header is not None else 0,
            splitInRow=int(long_cell),
        )
        flowable.setStyle(table_style(header is not None))
        return flowable

    templates: dict[str, Any] = {}

    def plain_frag(name: str, style: Any) -> Any:
        """The one fragment reportlab's parser makes of plain text in a style, made once per
        style: parsing the markup of every table cell is a third of a long compilation's time."""
        if name not in templates:
            templates[name] = RLParagraph("x", style).frags[0]
        return templates[name]

    story: list[Any] = [para(document.title, "title", tagger.root.add("H1"))]
    if document.subtitle:
        story.append(para(document.subtitle, "subtitle", tagger.root.add("P")))
    for place, block in enumerate(document.blocks):
        match block:
            case Heading(text=text, level=level):
                flowable = para(
                    text,
                    "h1" if level <= 1 else "h2",
                    tagger.root.add("H2" if level <= 1 else "H3"),
                )
                flowable._nx_heading = (level, text)
                if block.listed:
                    flowable._nx_key = place
                # A heading starts where what it introduces can start too (a few lines, or a
                # table's header and first rows); else on the next page. Keeping it with the
                # next flowable instead would move a whole table to the next page.
                story += [CondPageBreak(HEADING_ROOM[min(level, 2)]), flowable]
            case Paragraph(text=text, style=style):
                story.append(para(text, style, tagger.root.add("P")))
            case BulletList(items=items):
                node = tagger.root.add("L")
                for item in items:
                    li = node.add("LI")
                    body = para(item, "bullet", li.add("LBody"))
                    story.append(ListItemFlowable(body, _label(li), 14))
            case Table(header=header, rows=rows, widths=widths, caption=caption):
                if caption:
                    story.append(para(caption, "lead", tagger.root.add("Caption")))
                weights = widths or (1.0,) * len(header)
                col_widths = [frame_width * w / sum(weights) for w in weights]
                story += [table(header, rows, col_widths), Spacer(1, 8)]
            case KeyValue(pairs=pairs):
                story += [
                    table(None, pairs, [frame_width * 0.24, frame_width * 0.76], key_column=True),
                    Spacer(1, 8),
                ]
            case BarChart(title=chart_title):
                caption = para(chart_title, "lead", tagger.root.add("Caption"))
                figure = FigureFlowable(
                    chart_drawing(block, frame_width), tagger.root.add("Figure", alt=block.alt)
                )
                story.append(KeepTogether([caption, figure, Spacer(1, 6)]))
            case PageBreak():
                story.append(RLPageBreak())
            case TableOfContents(title=toc_title):
                heading = para(toc_title, "h1", tagger.root.add("H2"))
                heading._nx_heading = (1, toc_title)
                listing = Contents(
                    [
                        (i, b.text, b.level)
                        for i, b in enumerate(document.blocks)
                        if isinstance(b, Heading) and b.listed
                    ],
                    styles["toc1"],
                    tagger.root.add("TOC"),
                )
                listings.append(listing)
                story += [heading, *listing.flowables()]
    doc.build(story, canvasmaker=numbered_canvas(document, tagger, listings))
    finish_tagged_pdf(path, tagger, title, document.author, document.subtitle)


def _label(item: Node) -> Node:
    """A list item's label element, placed before its body."""
    label = Node("Lbl")
    item.children.insert(0, label)
    return label
