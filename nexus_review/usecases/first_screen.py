"""What the visit list shows while the desktop program opens its database.

Read without SQLAlchemy (:mod:`nexus_review.storage.first_screen`), so that it is on screen
a few milliseconds after the window, while the database is still being opened for work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nexus_review.domain.records import VisitSummary
from nexus_review.storage.first_screen import newest_visits


@dataclass(frozen=True)
class FirstScreen:
    """The newest visits, in the list's default order, and how many visits there are."""

    visits: tuple[VisitSummary, ...]
    total: int


def first_screen(target: str | Path, rows: int = 100) -> FirstScreen | None:
    """The list's first ``rows`` visits, or None if the list must wait for the database."""
    found = newest_visits(target, rows)
    if found is None:
        return None
    visits, total = found
    return FirstScreen(tuple(visits), total)
