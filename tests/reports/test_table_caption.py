"""A table's caption is in the Word file as it is in the PDF: both say the same thing."""

from __future__ import annotations

from pathlib import Path

from nexus_review.reports.document import Document, Table
from nexus_review.reports.export import export_document


def test_a_table_caption_is_written_above_the_table_in_word(tmp_path: Path) -> None:
    import docx

    document = Document(
        "Captions",
        blocks=(
            Table(
                ("School", "2024-25"),
                (("Blackhorse Primary", "61%"),),
                caption="Attendance, all pupils",
            ),
        ),
    )
    path = export_document(document, "docx", tmp_path / "c.docx")
    word = docx.Document(str(path))
    body = list(word.element.body.iterchildren())
    captions = [p for p in word.paragraphs if p.text == "Attendance, all pupils"]
    assert captions and captions[0].style.name == "Caption"
    assert captions[0].paragraph_format.keep_with_next
    table_at = next(i for i, el in enumerate(body) if el.tag.endswith("}tbl"))
    assert body[table_at - 1] is captions[0]._p
