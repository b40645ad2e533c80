"""Entry point of ``nexus-review``: commands run without Qt; no command opens the program.

Kept free of Qt imports so that command-line use starts fast; Qt is loaded only when the
desktop program is opened.
"""

from __future__ import annotations

import argparse
import sys

from nexus_review.cli import main as cli_main


def _open_gui(args: argparse.Namespace) -> int:
    from ui.app import run_app

    return run_app(db_target=args.db)


def main(argv: list[str] | None = None) -> int:
    return cli_main(sys.argv[1:] if argv is None else argv, open_gui=_open_gui)


if __name__ == "__main__":
    sys.exit(main())
