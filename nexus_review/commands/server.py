"""Setting up the network server: roles and policies, and the logins of the network."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from nexus_review.errors import NexusError


def register(sub: Any) -> None:
    server = sub.add_parser(
        "server", help="set up a network server (PostgreSQL): roles, access rules, logins"
    )
    ssub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    p = ssub.add_parser(
        "init", help="create the schema, the roles and the row-level security policies"
    )
    p.set_defaults(func=cmd_server_init, creates_database=True)
    p = ssub.add_parser("add-user", help="add a login: administrator, reviewer or reader")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--role", required=True, choices=("administrator", "reviewer", "reader"))
    p.add_argument(
        "--reviewer", metavar="NAME", help="the reviewer of the network a reviewer's login is"
    )
    p.add_argument(
        "--password-file",
        type=Path,
        metavar="F",
        help="read the password from this file (else asked)",
    )
    p.set_defaults(func=cmd_server_add_user)


def cmd_server_init(ctx: Any) -> int:
    from nexus_review.usecases.server import init_server

    setup = init_server(ctx.db)
    ctx.print(
        f"The network server {setup.server} is set up: roles {', '.join(setup.roles.values())}, "
        "with row-level security on the visits."
    )
    return 0


def read_password(path: Path | None, login: str) -> str:
    """From the file, or asked twice at the terminal; never from the command line."""
    if path is not None:
        from nexus_review.commands.packages import read_passphrase

        return read_passphrase(path) or ""
    if not sys.stdin.isatty():
        raise NexusError(
            "Give the password with --password-file, or run the command at a terminal to be asked."
        )
    first = getpass.getpass(f"Password for {login}: ")
    if getpass.getpass("The same password again: ") != first:
        raise NexusError("The two passwords differ; nothing was changed.")
    return first


def cmd_server_add_user(ctx: Any) -> int:
    from nexus_review.usecases.server import add_user

    args = ctx.args
    password = read_password(args.password_file, args.login)
    made = add_user(ctx.db, args.login, args.role, password, args.reviewer)
    tied = f", tied to the reviewer {made.reviewer}" if made.reviewer else ""
    ctx.print(f"Login {made.login} added as {made.kind}{tied}.")
    return 0
