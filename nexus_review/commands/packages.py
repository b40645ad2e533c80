"""Review package commands: export a reviewer's visits, import packages, settle conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nexus_review.errors import NexusError


def register(sub: Any) -> None:
    package = sub.add_parser("package", help="export or import review packages (.nxr)")
    psub = package.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    p = psub.add_parser("export", help="write a review package for the network administrator")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.nxr")
    p.add_argument(
        "--visit",
        action="append",
        dest="visits",
        metavar="ID",
        help="a visit to include (repeatable)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="every visit, not only those changed since the last package",
    )
    p.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="F",
        help="protect the package with the passphrase in this file",
    )
    p.set_defaults(func=cmd_package_export)
    p = psub.add_parser("import", help="merge review packages into this database")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.nxr")
    p.add_argument("--passphrase-file", type=Path, metavar="F")
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_package_import, creates_database=True)

    conflicts = sub.add_parser(
        "conflicts", help="list records changed on two laptops, or resolve one"
    )
    conflicts.add_argument("--json", action="store_true")
    conflicts.add_argument("--all", action="store_true", help="resolved ones too")
    conflicts.set_defaults(func=cmd_conflicts)
    csub = conflicts.add_subparsers(dest="conflicts_command", metavar="ACTION")
    p = csub.add_parser(
        "resolve",
        help="choose which version of a field (or, for older conflicts, a record) to keep",
    )
    p.add_argument("conflict_id", metavar="CONFLICT_ID")
    p.add_argument("--keep", required=True, choices=("theirs", "ours"))
    p.set_defaults(func=cmd_conflicts_resolve)


def read_passphrase(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NexusError(f"The passphrase file {path} cannot be read ({exc.strerror}).") from exc
    except UnicodeDecodeError:
        raise NexusError(f"The passphrase file {path} is not text.") from None
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise NexusError(f"The passphrase file {path} is empty.")
    return passphrase


def cmd_package_export(ctx: Any) -> int:
    from nexus_review.usecases.packages import export_review_package

    args = ctx.args
    result = export_review_package(
        ctx.db,
        args.out,
        visit_ids=args.visits,
        all_visits=args.all,
        passphrase=read_passphrase(args.passphrase_file),
    )
    protected = ", protected with a passphrase" if result.encrypted else ""
    ctx.print(
        f"Review package written to {result.path}: {result.visits} visits, {sum(result.counts.values())} records{protected}."
    )
    return 0


def cmd_package_import(ctx: Any) -> int:
    from nexus_review.usecases.packages import import_package_files

    args = ctx.args
    results = import_package_files(
        ctx.db, args.files, passphrase=read_passphrase(args.passphrase_file), dry_run=args.dry_run
    )
    if args.json:
        ctx.print_json([r.as_dict() for r in results])
        return 0
    verb = "would add" if args.dry_run else "added"
    for r in results:
        ctx.print(
            f"{r.file_name} (from {r.reviewer or 'an unnamed reviewer'}): {r.visits} visits; {verb} {r.added}, "
            f"updated {r.updated}, unchanged {r.unchanged}, conflicts {r.conflicts}"
            + ("" if r.applied or args.dry_run else " (nothing to change)")
            + "."
        )
    conflicts = sum(r.conflicts for r in results)
    if conflicts and not args.dry_run:
        ctx.print(
            f"{conflicts} field(s) were changed differently on two laptops; see 'nexus-review conflicts'."
        )
    return 0


def cmd_conflicts(ctx: Any) -> int:
    from nexus_review.usecases.packages import list_conflicts

    items = list_conflicts(ctx.db, open_only=not ctx.args.all)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": c.id,
                    "table": c.table,
                    "record_id": c.record_id,
                    "what": c.title,
                    "field": c.field,
                    "shown": c.shown,
                    "resolved": c.resolved,
                    "differences": [
                        {"field": f, "ours": o, "theirs": t} for f, o, t in c.differences()
                    ],
                }
                for c in items
            ]
        )
        return 0
    if not items:
        ctx.print("There are no open conflicts.")
        return 0
    for c in items:
        ctx.print(f"{c.id[:8]}  {c.title}{': ' + c.field if c.field else ''} (showing {c.shown})")
        for name, ours, theirs in c.differences():
            ctx.print(f"    {name}: ours {_short(ours)!s}  |  theirs {_short(theirs)!s}")
    return 0


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def cmd_conflicts_resolve(ctx: Any) -> int:
    from nexus_review.usecases.packages import resolve_conflict

    item = resolve_conflict(ctx.db, ctx.args.conflict_id, ctx.args.keep)
    what = (
        f"the {item.field.replace('_', ' ')} of {item.title[0].lower() + item.title[1:]}"
        if item.field
        else item.title
    )
    ctx.print(f"Conflict {item.id[:8]} resolved: {what} now keeps {ctx.args.keep}.")
    return 0
