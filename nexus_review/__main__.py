"""``python -m nexus_review``: the command line (the desktop program starts from ``ui.launch``)."""

import sys

from nexus_review.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
