"""Report commands: the host school's feedback report as a Word or PDF file."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="export a visit's feedback report as Word or PDF")
    p.add_argument("visit_id", metavar="ID", help="the visit's id (or the start of it)")
    p.add_argument("--format", required=True, choices=("docx", "pdf"), dest="fmt")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--notes", action="store_true", help="include each observation's own notes")
    p.add_argument(
        "--anonymise",
        action="store_true",
        help='replace staff names with "Teacher A", "Teacher B"...',
    )
    p.add_argument(
        "--evidence-points",
        action="store_true",
        help="add the strengths and areas for development noted in the evidence log",
    )
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.set_defaults(func=cmd_report)


def cmd_report(ctx: Any) -> int:
    from nexus_review.reports.export import ReportOptions
    from nexus_review.usecases.reports import export_visit_report
    from nexus_review.usecases.visits import resolve_visit_id

    args = ctx.args
    visit_id = resolve_visit_id(ctx.db, args.visit_id)
    options = ReportOptions(
        include_notes=args.notes,
        anonymise=args.anonymise,
        paper=args.paper,
        evidence_points=args.evidence_points,
    )
    path = export_visit_report(ctx.db, visit_id, args.fmt, args.out, options)
    ctx.print(f"Feedback report written to {path}.")
    return 0
