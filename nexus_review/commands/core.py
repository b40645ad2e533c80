"""Foundation commands: the demo network, schools, visits, and visit files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nexus_review.domain.enums import VisitKind, VisitStatus, label_of


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="fill the database with the demo network (NEXUS alliance)")
    p.set_defaults(func=cmd_demo, creates_database=True)

    p = sub.add_parser("schools", help="list the schools")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_schools)

    p = sub.add_parser("visits", help="list the visits, newest first")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_visits)

    visit = sub.add_parser("visit", help="export or import one visit as a JSON file")
    vsub = visit.add_subparsers(dest="visit_command", metavar="ACTION", required=True)
    p = vsub.add_parser("export", help="write one visit with everything in it to a JSON file")
    p.add_argument("visit_id", metavar="ID", help="the visit's id (or the start of it)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.json")
    p.set_defaults(func=cmd_visit_export)
    p = vsub.add_parser("import", help="add a visit from a JSON file, or update it by its id")
    p.add_argument("file", type=Path, metavar="FILE.json")
    p.set_defaults(func=cmd_visit_import, creates_database=True)


def cmd_demo(ctx: Any) -> int:
    from nexus_review.demo import fill_demo_network

    counts = fill_demo_network(ctx.db)
    if counts.added:
        ctx.print(
            f"Demo network ready: {counts.schools} schools, {counts.reviewers} reviewers, "
            f"{counts.visits} visits ({counts.added} records added)."
        )
    else:
        ctx.print("The demo network is already in this database; nothing changed.")
    return 0


def cmd_schools(ctx: Any) -> int:
    from nexus_review.usecases.visits import schools as list_schools

    schools = list_schools(ctx.db)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "urn": s.urn,
                    "phase": s.phase,
                    "local_authority": s.local_authority,
                    "headteacher": s.headteacher,
                }
                for s in schools
            ]
        )
    else:
        ctx.print_table(
            ("ID", "School", "URN", "Phase", "Headteacher"),
            [(s.id[:8], s.name, s.urn, s.phase, s.headteacher) for s in schools],
        )
    return 0


def cmd_visits(ctx: Any) -> int:
    from nexus_review.usecases.visits import all_visit_summaries

    visits = all_visit_summaries(ctx.db)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": v.id,
                    "date": v.visit_date.isoformat(),
                    "host_school": v.host_school_name,
                    "kind": v.kind,
                    "status": v.status,
                    "framework": v.framework_key,
                    "reviewers": list(v.reviewers),
                    "focus_areas": list(v.focus_areas),
                }
                for v in visits
            ]
        )
    elif not visits:
        ctx.print("There are no visits in this database yet (try 'nexus-review demo').")
    else:
        ctx.print_table(
            ("ID", "Date", "Host school", "Kind", "Status", "Reviewers"),
            [
                (
                    v.id[:8],
                    v.visit_date.isoformat(),
                    v.host_school_name,
                    label_of(VisitKind, v.kind),
                    label_of(VisitStatus, v.status),
                    ", ".join(v.reviewers),
                )
                for v in visits
            ],
        )
    return 0


def cmd_visit_export(ctx: Any) -> int:
    from nexus_review.usecases.visit_files import export_visit_file
    from nexus_review.usecases.visits import resolve_visit_id

    visit_id = resolve_visit_id(ctx.db, ctx.args.visit_id)
    path = export_visit_file(ctx.db, visit_id, ctx.args.out)
    ctx.print(f"Visit {visit_id} written to {path}.")
    return 0


def cmd_visit_import(ctx: argparse.Namespace | Any) -> int:
    from nexus_review.usecases.visit_files import import_visit_file

    result = import_visit_file(ctx.db, ctx.args.file)
    ctx.print(
        f"Visit {result.visit_id} {'added' if result.created else 'imported'}: "
        f"{result.added} records added, {result.updated} updated, {result.unchanged} unchanged."
    )
    return 0
