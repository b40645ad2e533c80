"""Exporting documents: one small exporter per format, each writing through a temporary file.

A report is built once (:mod:`nexus_review.reports.feedback`) and handed to the exporter of the
chosen format. The file is written beside the target and renamed over it only when complete, so
a failed export leaves no half file and never replaces a good one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nexus_review.errors import ExportError, NexusError
from nexus_review.fileio import atomic_write
from nexus_review.reports.document import Document
from nexus_review.reports.feedback import PAPER_SIZES, ReportOptions

__all__ = ["EXPORTERS", "Exporter", "ReportOptions", "export_document"]


@dataclass(frozen=True)
class Exporter:
    key: str
    name: str  # as menus say it: "Word"
    extension: str
    render: Callable[[Document, Path, str], None]


def _render_docx(document: Document, path: Path, paper: str) -> None:
    from nexus_review.reports.docx_render import render_docx

    render_docx(document, path, paper)


def _render_pdf(document: Document, path: Path, paper: str) -> None:
    from nexus_review.reports.pdf_render import render_pdf

    render_pdf(document, path, paper)


EXPORTERS: dict[str, Exporter] = {
    "docx": Exporter("docx", "Word", ".docx", _render_docx),
    "pdf": Exporter("pdf", "PDF", ".pdf", _render_pdf),
}


def exporter_for(fmt: str) -> Exporter:
    try:
        return EXPORTERS[fmt.lower().lstrip(".")]
    except KeyError:
        raise ExportError(
            f"'{fmt}' is not a format the program can export; choose docx or pdf."
        ) from None


def export_document(document: Document, fmt: str, out: Path | str, paper: str = "a4") -> Path:
    """Render a document to a file of the given format, atomically."""
    exporter = exporter_for(fmt)
    if paper not in PAPER_SIZES:
        raise ExportError(f"'{paper}' is not a paper size the program knows; choose a4 or letter.")
    target = Path(out).expanduser()
    with atomic_write(target) as tmp:
        try:
            exporter.render(document, tmp, paper)
        except NexusError:
            raise
        except OSError as exc:
            if exc.filename not in (None, str(tmp)):  # a file the renderer needs, not ours
                raise ExportError(
                    f"The {exporter.name} file {target.name} could not be made: the program is "
                    f"missing {Path(exc.filename).name}; reinstall Nexus Review."
                ) from exc
            raise
        except Exception as exc:  # a renderer's own failure, never a half file
            raise ExportError(
                f"The {exporter.name} file {target.name} could not be made ({type(exc).__name__}: {exc})."
            ) from exc
    return target
