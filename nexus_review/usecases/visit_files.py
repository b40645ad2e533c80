"""Visit files: one visit with everything in it, written to a JSON file or read back from one
(for interchange between programs, and for tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nexus_review.fileio import write_bytes_atomic
from nexus_review.interchange.visit_check import read_visit_file
from nexus_review.interchange.visit_json import (
    ImportResult,
    apply_visit_document,
    dumps,
    visit_document,
)
from nexus_review.storage.database import Database

__all__ = ["ImportResult", "export_visit_file", "import_visit_document", "import_visit_file"]


def export_visit_file(db: Database, visit_id: str, out: Path) -> Path:
    with db.reading() as session:
        document = visit_document(session, visit_id)
    return write_bytes_atomic(out, dumps(document))


def import_visit_document(db: Database, data: dict[str, Any], name: str) -> ImportResult:
    """A checked visit document into the database, in one transaction: all of it or none."""
    with db.transaction() as session:
        return apply_visit_document(session, data, name, db.device_id)


def import_visit_file(db: Database, path: Path) -> ImportResult:
    data = read_visit_file(Path(path))
    return import_visit_document(db, data, Path(path).name)
