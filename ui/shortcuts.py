"""The keyboard shortcuts, declared once: Help → Keyboard shortcuts lists them, and the tests
press every one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    keys: str  # as QKeySequence reads it ("Ctrl+1")
    what: str
    where: str  # "anywhere", "visit list", "evidence log", "learning walk"


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Ctrl+N", "Plan a new visit", "anywhere"),
    Shortcut("Ctrl+S", "Save now (work is also saved a second after you stop typing)", "anywhere"),
    Shortcut("Ctrl+Z", "Undo, across the whole open visit", "anywhere"),
    Shortcut("Ctrl+Shift+Z", "Redo", "anywhere"),
    Shortcut("Ctrl+F", "Find text in any note", "anywhere"),
    Shortcut("Alt+Left", "Back to the visit list", "anywhere"),
    Shortcut("Return", "Open the selected visit", "visit list"),
    Shortcut("Ctrl+1", "Add a lesson observation", "evidence log"),
    Shortcut("Ctrl+2", "Add a learning walk", "evidence log"),
    Shortcut("Ctrl+3", "Add a work scrutiny", "evidence log"),
    Shortcut("Ctrl+4", "Add pupil voice", "evidence log"),
    Shortcut("Ctrl+5", "Add a meeting with leaders", "evidence log"),
    Shortcut("Ctrl+6", "Add a data review", "evidence log"),
    Shortcut("Ctrl+7", "Add another activity", "evidence log"),
    Shortcut("Delete", "Delete the selected evidence (Undo brings it back)", "evidence log"),
    Shortcut("Ctrl+D", "Add the next classroom", "learning walk"),
    Shortcut("Ctrl+Q", "Quit (everything is saved first)", "anywhere"),
)


def shortcuts_html() -> str:
    rows = "".join(
        f"<tr><td style='padding:2px 14px 2px 0'><b>{s.keys.replace('+', '&#8239;+&#8239;')}</b></td><td>{s.what}</td><td style='padding-left:14px;color:gray'>{s.where}</td></tr>"
        for s in SHORTCUTS
    )
    return f"<table>{rows}</table>"
