"""``nexus-review --selftest``: proves the program works on this computer.

Runs from a checkout and from the frozen build: opens a temporary database, migrates it, loads
the frameworks, fills the demo network, exports a feedback report in each format and reads them
back. The desktop program adds its own check (the main window opens). One line per check; the
exit code is 0 only if every check passed.
"""

from __future__ import annotations

import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

Check = tuple[str, Callable[[dict[str, Any]], str]]


def _check_database(state: dict[str, Any]) -> str:
    from nexus_review.storage.database import open_database
    from nexus_review.storage.migrate import head_revision, migrate_new_file
    from nexus_review.storage.revision import SCHEMA_HEAD

    folder: Path = state["folder"]
    db = open_database(folder / "selftest.db")
    state["db"] = db
    with db.engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    # The migration scripts themselves, on a second empty database.
    migrated = migrate_new_file(folder / "migrated.db")
    if head_revision() != SCHEMA_HEAD or migrated != SCHEMA_HEAD:
        raise AssertionError(f"schema {migrated} is not {SCHEMA_HEAD}")
    return f"schema {SCHEMA_HEAD}, journal {mode}"


def _check_frameworks(state: dict[str, Any]) -> str:
    from nexus_review.frameworks import load_frameworks

    found = load_frameworks()
    return f"{len(found)} loaded: " + ", ".join(found)


def _check_demo(state: dict[str, Any]) -> str:
    from nexus_review.demo import fill_demo_network
    from nexus_review.usecases.visits import all_visit_summaries

    counts = fill_demo_network(state["db"])
    visits = all_visit_summaries(state["db"])
    if len(visits) != counts.visits or not visits:
        raise AssertionError("the demo visits are not all listed")
    state["visit_id"] = next(
        v.id for v in visits if v.kind == "evaluation-day" and v.status != "planned"
    )
    return f"{counts.schools} schools, {counts.visits} visits"


def _check_report(fmt: str) -> Callable[[dict[str, Any]], str]:
    def check(state: dict[str, Any]) -> str:
        from nexus_review.reports.export import ReportOptions
        from nexus_review.usecases.reports import export_visit_report
        from nexus_review.usecases.visits import visit_detail

        db = state["db"]
        out = state["folder"] / f"report.{fmt}"
        export_visit_report(db, state["visit_id"], fmt, out, ReportOptions())
        school = visit_detail(db, state["visit_id"]).host_school.name
        text = read_document_text(out)
        if school not in text or "Peer review feedback" not in text:
            raise AssertionError(f"the {fmt} report does not read back")
        return f"{out.stat().st_size // 1024} KB, reads back"

    return check


def read_document_text(path: Path) -> str:
    """The words a reader sees in a .docx or .pdf file."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


CORE_CHECKS: Sequence[Check] = (
    ("database", _check_database),
    ("frameworks", _check_frameworks),
    ("demo network", _check_demo),
    ("Word report", _check_report("docx")),
    ("PDF report", _check_report("pdf")),
)


def run_selftest(out: TextIO, extra_checks: Sequence[Check] = ()) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="nexus-selftest-") as tmp:
        state: dict[str, Any] = {"folder": Path(tmp)}
        try:
            for name, check in (*CORE_CHECKS, *extra_checks):
                started = time.perf_counter()
                try:
                    detail = check(state)
                except Exception as exc:  # a self-test reports every failure and goes on
                    failures += 1
                    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    print(f"FAIL  {name}: {reason}", file=out)
                    traceback.print_exc(limit=3, file=out)
                else:
                    ms = (time.perf_counter() - started) * 1000
                    print(f"ok    {name}: {detail} ({ms:.0f} ms)", file=out)
                out.flush()
        finally:
            if "db" in state:
                state["db"].close()
    print(
        "selftest passed"
        if failures == 0
        else f"selftest FAILED: {failures} {'check' if failures == 1 else 'checks'}",
        file=out,
    )
    return 0 if failures == 0 else 1
