"""The command line: the same use cases the desktop program calls.

Commands live in small modules under :mod:`nexus_review.commands`, each with a
``register(subparsers)`` function; heavy libraries are imported inside the commands that need
them. Errors are one line on stderr and exit code 1, never a traceback: problems the user can
fix are :class:`NexusError`; anything else is logged to the data folder's log file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TextIO

from nexus_review import __version__
from nexus_review.errors import DatabaseError, NexusError

PROG = "nexus-review"

# Each module adds its sub-commands; order is the order of `--help`.
COMMAND_MODULES = (
    "nexus_review.commands.core",
    "nexus_review.commands.reports",
    "nexus_review.commands.packages",
    "nexus_review.commands.safety",
    "nexus_review.commands.network",
    "nexus_review.commands.sync",
    "nexus_review.commands.server",
    "nexus_review.commands.consistency",
    "nexus_review.commands.calibration",
    "nexus_review.commands.trust",
    "nexus_review.commands.trust_plan",
)

log = logging.getLogger("nexus_review")


class UsageError(NexusError):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


@dataclass
class Context:
    """What a command needs: the parsed arguments, the database (opened on first use), output."""

    args: argparse.Namespace
    out: TextIO = field(default_factory=lambda: sys.stdout)
    _db: Any = None

    @property
    def db(self) -> Any:
        if self._db is None:
            from nexus_review.fileio import shown_name
            from nexus_review.storage.connection import database_url, sqlite_path
            from nexus_review.usecases.opening import open_for_work

            target = self.args.db or default_db_target()
            path = sqlite_path(database_url(target))
            if path is not None and not self.creates_database and not path.exists():
                # Only a command that writes may start a new database; a mistyped --db must
                # not leave folders and an empty database behind.
                raise DatabaseError(
                    f"There is no database at {shown_name(path, 400)}; check the path, or start one with "
                    f"'{PROG} demo', 'visit import' or 'package import'."
                )
            self._db = open_for_work(target, create=self.creates_database).db
        return self._db

    @property
    def creates_database(self) -> bool:
        """Whether this command may create the database it is given (it writes, for real)."""
        return bool(getattr(self.args, "creates_database", False)) and not getattr(
            self.args, "dry_run", False
        )

    def default_target(self) -> Path:
        return default_db_target()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def print_json(self, data: Any) -> None:
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")

    def print_table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        widths = [len(h) for h in header]
        for row in rows:
            widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        self.print(fmt.format(*header).rstrip())
        for row in rows:
            self.print(fmt.format(*(str(c) for c in row)).rstrip())


def default_db_target() -> Path:
    from nexus_review.paths import default_database_path

    return default_database_path()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Nexus Review: peer review for networks of primary schools. "
        "With no command, opens the desktop program.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: the database in your data folder)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check that the program works on this computer, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _setup_logging() -> Path | None:
    try:
        from nexus_review.paths import log_path

        path = log_path()
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _unexpected(argv: Sequence[str]) -> int:
    """A bug: the traceback goes to the log file, the user gets one sentence."""
    where = _setup_logging()
    log.exception("unexpected error in %s %s", PROG, " ".join(argv))
    place = f"; the details are in {where}" if where else ""
    print(f"{PROG}: something went wrong that the program did not expect{place}.", file=sys.stderr)
    return 1


GuiOpener = Callable[[argparse.Namespace], int]


def main(
    argv: Sequence[str] | None = None,
    *,
    open_gui: GuiOpener | None = None,
    gui_checks: Sequence[Any] = (),
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ctx: Context | None = None
    try:
        args = build_parser().parse_args(argv)
        if args.selftest:
            from nexus_review.selftest import run_selftest

            return run_selftest(sys.stdout, gui_checks)
        if args.command is None:
            if open_gui is None:
                raise NexusError(
                    "The desktop program is not part of this installation; give a command."
                )
            return open_gui(args)
        ctx = Context(args)
        result = args.func(ctx)
        return int(result or 0)
    except NexusError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.filename is None:
            return _unexpected(argv)
        # A file the user named that the system refuses (a name too long, a device that
        # fails): the command stopped before changing anything it had not finished.
        from nexus_review.fileio import shown_name

        reason = exc.strerror or type(exc).__name__
        print(f"{PROG}: {shown_name(exc.filename)} cannot be used ({reason}).", file=sys.stderr)
        return 1
    except Exception:
        return _unexpected(argv)
    finally:
        if ctx is not None:
            ctx.close()
