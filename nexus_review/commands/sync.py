"""Syncing this laptop's database with the network server."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync", help="send this laptop's changes to the network server and receive the network's"
    )
    p.add_argument(
        "--server", required=True, metavar="URL",
        help="the network server, e.g. postgresql+psycopg://LOGIN@HOST/DATABASE?sslmode=verify-full "
        "(the password from ~/.pgpass, PGPASSWORD or --password-file)",
    )  # fmt: skip
    p.add_argument(
        "--password-file",
        type=Path,
        metavar="F",
        help="read the server login's password from this file",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync, creates_database=True)


def server_url(url: str, password_file: Path | None) -> str:
    """The server address, with the password from a file when one is given."""
    from nexus_review.commands.packages import read_passphrase
    from nexus_review.storage.connection import database_url, with_password

    url = database_url(url)
    if password_file is None:
        return url
    return with_password(url, read_passphrase(password_file) or "")


def cmd_sync(ctx: Any) -> int:
    from nexus_review.usecases.sync import sync_with_server

    result = sync_with_server(ctx.db, server_url(ctx.args.server, ctx.args.password_file))
    if ctx.args.json:
        ctx.print_json(
            {
                "server": result.server, "visits_sent": result.pushed_visits,
                "sent": result.sent.as_dict() if result.sent else None,
                "received": result.received.as_dict() if result.received else None,
                "conflicts": result.conflicts, "finished_earlier_sync": result.finished_earlier,
            }
        )  # fmt: skip
        return 0
    if result.finished_earlier:
        ctx.print("An earlier sync that was cut off has been finished first.")
    ctx.print(result.sentence())
    return 0
