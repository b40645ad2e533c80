"""Data-safety commands: back up, restore, and delete visits past their retention period."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nexus_review.errors import NexusError


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="make a backup of the database now")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="where to write it (default: the backups folder)"
    )
    p.set_defaults(func=cmd_backup, opens_database=False)
    p = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is backed up first)"
    )
    p.add_argument("backup", type=Path, metavar="BACKUP")
    p.set_defaults(func=cmd_restore, opens_database=False)
    p = sub.add_parser("backups", help="list the database's backups, newest first")
    p.set_defaults(func=cmd_backups, opens_database=False)
    p = sub.add_parser(
        "retention", help="delete visits older than a number of years, with all their notes"
    )
    p.add_argument("--older-than", type=int, required=True, metavar="YEARS")
    p.add_argument("--dry-run", action="store_true", help="list what would go, delete nothing")
    p.set_defaults(func=cmd_retention)


def _path(ctx: Any) -> Path:
    from nexus_review.storage.connection import database_url, sqlite_path

    path = sqlite_path(database_url(ctx.args.db or ctx.default_target()))
    if path is None:
        raise NexusError(
            "Backups here are for SQLite database files; back up a database server with its own tools."
        )
    return path


def cmd_backup(ctx: Any) -> int:
    from nexus_review.usecases.backups import make_backup

    path = _path(ctx)
    out = make_backup(path, "manual", out=ctx.args.out)
    ctx.print(f"Backup of {path} written to {out}.")
    return 0


def cmd_backups(ctx: Any) -> int:
    from nexus_review.usecases.backups import list_backups

    backups = list_backups(_path(ctx))
    if not backups:
        ctx.print("There are no backups of this database yet.")
    for b in backups:
        ctx.print(f"{b.made:%Y-%m-%d %H:%M:%S}  {b.reason:<18} {b.path}")
    return 0


def cmd_restore(ctx: Any) -> int:
    from nexus_review.usecases.backups import restore_backup

    path = _path(ctx)
    safety = restore_backup(path, ctx.args.backup)
    ctx.print(
        f"{path} restored from {ctx.args.backup}."
        + (f" The database as it was is kept in {safety}." if safety != ctx.args.backup else "")
    )
    return 0


def cmd_retention(ctx: Any) -> int:
    from nexus_review.usecases.backups import apply_retention

    result = apply_retention(ctx.db, ctx.args.older_than, dry_run=ctx.args.dry_run)
    if not result.anything:
        ctx.print(f"No visit is older than {result.cutoff:%d %B %Y}; nothing to delete.")
        return 0
    for _id, day, school in result.visits:
        ctx.print(f"{'would delete' if result.dry_run else 'deleted'}  {day.isoformat()}  {school}")
    for _id, year, title in result.exercises:
        ctx.print(
            f"{'would delete' if result.dry_run else 'deleted'}  {year}  calibration exercise: {title}"
        )
    if result.dry_run:
        ctx.print(
            f"{result.what()} from before {result.cutoff:%d %B %Y} would be deleted with all their notes and answers."
        )
    elif result.server:
        ctx.print(
            f"{result.what()} deleted with {result.records} records from {result.server}; "
            "the server's own backups (pg_dump, the provider's) still hold them until they expire."
        )
    else:
        ctx.print(
            f"{result.what()} deleted with {result.records} records; the backup made first is {result.backup}."
        )
    return 0
