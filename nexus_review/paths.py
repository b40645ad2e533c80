"""Where the program finds its resources and keeps its data.

Resources are looked up in one place that works from a checkout, from an installed copy and
from the PyInstaller bundle. The data folder comes from platformdirs and can be moved for tests
and portable use with ``NEXUS_REVIEW_DATA_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "NexusReview"
APP_AUTHOR = "Nexus"


def resources_dir() -> Path:
    """The ``resources/`` folder (frameworks, fonts, icons, styles, schemas)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder; created on first use."""
    override = os.environ.get("NEXUS_REVIEW_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_DIR_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "nexus-review.db"


def log_path() -> Path:
    return data_dir() / "nexus-review.log"


def devices_path() -> Path:
    """This installation's device ids, one per database it has opened (kept outside the
    database files, so a copied database never shares a device id with its original)."""
    return data_dir() / "devices.json"
