"""The document model every report is built in, before it is rendered.

A report (the host school's feedback, the network's compilation) is built once as a small tree
of blocks; the Word and PDF renderers both walk the same tree, so the two files always say the
same thing. Text here is plain text: renderers escape it for their own format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = sub-section
    # Listed in the contents: every section is; a sub-section only when it says so (each
    # review of a compilation is).
    in_contents: bool = False

    @property
    def listed(self) -> bool:
        return self.level <= 1 or self.in_contents


@dataclass(frozen=True)
class Paragraph:
    text: str
    # "note": small print that belongs with what follows (a key to the grades above a table).
    style: Literal["body", "lead", "muted", "small", "note"] = "body"


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Relative column widths (any positive numbers); equal widths when empty.
    widths: tuple[float, ...] = ()
    caption: str = ""


@dataclass(frozen=True)
class KeyValue:
    """A block of labelled facts, e.g. the header of a feedback report."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BarChart:
    """A grouped bar chart; renderers draw it with a charting library, never by hand."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # (series name, one value per category)
    value_label: str = ""

    @property
    def alt(self) -> str:
        """The chart in words, for a reader who cannot see it (alternative text)."""
        parts = []
        for i, category in enumerate(self.categories):
            values = ", ".join(
                f"{_number(values[i])} {name.lower()}" for name, values in self.series
            )
            parts.append(f"{category}: {values}")
        what = f" ({self.value_label.lower()})" if self.value_label else ""
        return f"Bar chart, {self.title}{what}. " + "; ".join(parts) + "."


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class TableOfContents:
    """Contents listing of the level-1 headings that follow."""

    title: str = "Contents"


Block = Heading | Paragraph | BulletList | Table | KeyValue | BarChart | PageBreak | TableOfContents

# What every page of a draft says at its top, in the Word file and the PDF alike.
DRAFT_MARK = "DRAFT – not yet sent to the school"


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    author: str = ""
    # Shown on every page footer, e.g. the host school's name, with "Confidential".
    footer: str = ""
    confidential: bool = True
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    # A report not yet sent to the school: every page says "Draft".
    draft: bool = False

    @property
    def full_title(self) -> str:
        """The title with its subtitle, as the file's own properties give it."""
        return self.title + (f" – {self.subtitle}" if self.subtitle else "")

    @property
    def footer_text(self) -> str:
        """What the footer says beside the page number: "Staple Hill · Confidential"."""
        return " · ".join(
            x for x in (self.footer, "Confidential" if self.confidential else "") if x
        )

    def text(self) -> str:
        """Every word a reader sees, in order; used by tests and by search."""
        return "\n".join(_block_text(b) for b in self.blocks)


def _block_text(block: Block) -> str:
    match block:
        case Heading(text=t) | Paragraph(text=t):
            return t
        case BulletList(items=items):
            return "\n".join(items)
        case Table(header=h, rows=rows, caption=c):
            lines = [c] if c else []
            lines.append(" | ".join(h))
            lines.extend(" | ".join(r) for r in rows)
            return "\n".join(lines)
        case KeyValue(pairs=pairs):
            return "\n".join(f"{k}: {v}" for k, v in pairs)
        case BarChart(title=t, categories=cats):
            return t + "\n" + ", ".join(cats)
        case TableOfContents(title=t):
            return t
    return ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def lines_of(text: str) -> tuple[str, ...]:
    """Split a multi-line note into list items (one per line, bullets and blanks removed)."""
    items = []
    for raw in text.splitlines():
        line = raw.strip()
        for bullet in ("- ", "* ", "• ", "– "):
            if line.startswith(bullet):
                line = line[len(bullet) :].strip()
                break
        if line:
            items.append(line)
    return tuple(items)


def bullets(items: Sequence[str]) -> BulletList:
    return BulletList(tuple(items))
