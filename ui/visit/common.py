"""Shared pieces of the visit editor's pages: the quick-add shortcuts, year groups, text boxes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QPlainTextEdit,
)

from nexus_review.domain.enums import EvidenceKind

QUICK_ADD = (
    (EvidenceKind.LESSON_OBSERVATION, "Ctrl+1"),
    (EvidenceKind.LEARNING_WALK, "Ctrl+2"),
    (EvidenceKind.WORK_SCRUTINY, "Ctrl+3"),
    (EvidenceKind.PUPIL_VOICE, "Ctrl+4"),
    (EvidenceKind.LEADER_MEETING, "Ctrl+5"),
    (EvidenceKind.DATA_REVIEW, "Ctrl+6"),
    (EvidenceKind.OTHER, "Ctrl+7"),
)
YEAR_GROUPS = (
    "Nursery",
    "Reception",
    "Year 1",
    "Year 2",
    "Year 3",
    "Year 4",
    "Year 5",
    "Year 6",
    "Mixed",
)


def text_box(placeholder: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


def now_minute() -> dt.time:
    now = dt.datetime.now()
    return dt.time(now.hour, now.minute)
