"""Nexus Review core: peer review of primary schools, without Qt.

The core holds the data model, the judgement frameworks, reports, interchange files and the
command line. The desktop program in ``ui/`` is built on top of it and never the reverse.
"""

__version__ = "0.1.0"
APP_NAME = "Nexus Review"
