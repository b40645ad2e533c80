"""Network commands: the collaborative review compilation and spreadsheet exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "compile", help="export the network's collaborative review compilation as Word or PDF"
    )
    p.add_argument("--format", required=True, choices=("docx", "pdf"), dest="fmt")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--year", help="academic year like 2025-26 (default: the current one)")
    p.add_argument("--term", choices=("autumn", "spring", "summer"))
    p.add_argument("--group", metavar="NAME", help="only the reviews of one review group")
    p.add_argument(
        "--school",
        action="append",
        dest="schools",
        default=[],
        metavar="NAME",
        help="only these schools (repeatable)",
    )
    p.add_argument(
        "--named-staff",
        action="store_true",
        help="keep staff names (they are anonymised by default)",
    )
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.set_defaults(func=cmd_compile)

    data = sub.add_parser("data", help="export the network's data for its own analysis")
    dsub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    p = dsub.add_parser("export", help="judgements or next steps as a CSV spreadsheet")
    p.add_argument("--format", required=True, choices=("csv",), dest="fmt")
    p.add_argument("--what", required=True, choices=("judgements", "actions"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--year", help="only this academic year (default: every visit)")
    p.add_argument(
        "--anonymise",
        action="store_true",
        help='replace staff names with "Teacher A", "Teacher B"...',
    )
    p.set_defaults(func=cmd_data_export)


def _current_year() -> str:
    import datetime as dt

    from nexus_review.domain.calendar import academic_year_of

    return academic_year_of(dt.date.today())


def cmd_compile(ctx: Any) -> int:
    from nexus_review.reports.compilation import CompilationOptions
    from nexus_review.usecases.reports import export_compilation

    a = ctx.args
    options = CompilationOptions(
        year=a.year or _current_year(),
        term=a.term,
        group=a.group,
        schools=tuple(a.schools),
        named_staff=a.named_staff,
        paper=a.paper,
    )
    path = export_compilation(ctx.db, a.fmt, a.out, options)
    ctx.print(f"Collaborative review compilation for {options.year} written to {path}.")
    return 0


def cmd_data_export(ctx: Any) -> int:

    from nexus_review.domain.network import tracked_actions
    from nexus_review.reports.csv_export import actions_csv, judgements_csv, staff_of, write_csv
    from nexus_review.usecases.network import network_visits
    from nexus_review.usecases.visits import every_visit

    a = ctx.args
    visits = network_visits(ctx.db, a.year) if a.year else every_visit(ctx.db)
    staff = staff_of(visits) if a.anonymise else None
    text = (
        judgements_csv(visits)
        if a.what == "judgements"
        else actions_csv(tracked_actions(visits), staff=staff)
    )
    path = write_csv(text, a.out)
    rows = text.count("\n") - 1
    ctx.print(f"{rows} {a.what} written to {path}.")
    return 0
