"""The program's settings, declared once with their types and defaults.

User settings (who the reviewer is, the default framework, autosave) are kept apart from window
state (geometry, splitters). Both live in one INI file in the data folder, so a portable data
folder (``NEXUS_REVIEW_DATA_DIR``) carries them and tests never touch the user's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QByteArray, QSettings

from nexus_review.paths import data_dir


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    description: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("reviewer/name", str, "", "Your name, as it appears on review teams and reports"),
        Option("reviewer/home_school_id", str, "", "The school you lead"),
        Option("reviewer/id", str, "", "Your reviewer record in the database"),
        Option("database/path", str, "", "The database file (empty: the one in the data folder)"),
        Option("server/url", str, "", "The network server this laptop syncs with (no password)"),
        Option("visits/default_framework", str, "ofsted-2025", "Framework for new visits"),
        Option("editing/autosave_ms", int, 1000, "Save this long after the last keystroke"),
        Option("appearance/theme", str, "system", "system, light or dark"),
        # Not under "general/": QSettings keeps INI keys of a group named General in [%General]
        # and gave back the default when they were read, so the welcome returned on every start.
        Option("program/first_run_done", bool, False, "The first-run questions were answered"),
        Option(
            "export/anonymise",
            bool,
            True,
            "Anonymise staff in exported reports (anything leaving the school)",
        ),
        Option(
            "export/notes", bool, False, "Include each observation's own notes in exported reports"
        ),
        Option(
            "export/evidence_points",
            bool,
            False,
            "Add the evidence log's strengths and areas to reports",
        ),
        Option("export/paper", str, "a4", "Paper size of exported reports: a4 or letter"),
        Option("export/open_after", bool, True, "Open an exported report afterwards"),
        Option("export/folder", str, "", "The folder the last export went to"),
        Option(
            "consistency/hide_until_own",
            bool,
            True,
            "Hide the other reviewers' own grades of an area until you have given yours",
        ),
    )
}


# Keys earlier versions wrote elsewhere, read when the new key has not been written yet.
LEGACY = {"program/first_run_done": "first_run_done"}


def _qsettings() -> QSettings:
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class Settings:
    """Typed access to the declared options."""

    def __init__(self) -> None:
        self._store = _qsettings()

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        fallback = (
            self._store.value(LEGACY[key], option.default) if key in LEGACY else option.default
        )
        raw = self._store.value(key, fallback)
        if option.type is bool:
            return raw in (True, "true", "1", 1)
        if option.type is int:
            try:
                return int(cast(Any, raw))  # what the settings file holds: text or a number
            except (TypeError, ValueError):
                return option.default
        return option.type(raw) if raw is not None else option.default

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        self._store.setValue(key, option.type(value))
        self._store.sync()

    # Window state: not options a user sets, so kept under their own group.
    def window_state(self, name: str) -> QByteArray | None:
        value = self._store.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, name: str, value: QByteArray) -> None:
        self._store.setValue(f"window/{name}", value)
        self._store.sync()
