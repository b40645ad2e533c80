"""English school years and terms: 2025-26 runs from 1 September 2025 to 31 August 2026."""

from __future__ import annotations

import datetime as dt
import re

_YEAR_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def academic_year_of(day: dt.date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def academic_year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """First and last day of an academic year written like "2025-26"."""
    match = _YEAR_RE.fullmatch(year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{year!r} is not an academic year like 2025-26")
    start = int(match.group(1))
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def term_of(day: dt.date) -> str:
    """autumn (Sep-Dec), spring (Jan-Easter, taken as to March) or summer (April-August)."""
    if day.month >= 9:
        return "autumn"
    if day.month <= 3:
        return "spring"
    return "summer"


HALF_TERM = dt.timedelta(weeks=6)


def half_a_term_after(day: dt.date) -> dt.date:
    """When an agreed next step is due unless the team says otherwise: about half a term
    (six school weeks) after the visit. A date in the summer holiday (after 22 July) moves to
    the second week of the autumn term, when the school can act on it."""
    due = day + HALF_TERM
    if due.month == 8 or (due.month == 7 and due.day > 22):
        start = dt.date(due.year, 9, 8)
        due = start + dt.timedelta(days=(7 - start.weekday()) % 7)  # the Monday of that week
    if due.weekday() >= 5:  # a school day: the Monday after a weekend
        due += dt.timedelta(days=7 - due.weekday())
    return due


def parse_typed_date(text: str) -> dt.date | None:
    """A date as a person types it: 2026-01-15, 15/01/2026, 15/1/26, 15 Jan 2026, 15 January 2026.
    None for empty text; ValueError for anything else."""
    text = " ".join(text.replace(",", " ").split())
    if not text:
        return None
    for fmt in (
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d.%m.%Y",
        "%d-%m-%Y",
        "%d %b %Y",
        "%d %B %Y",
        "%d %b %y",
        "%d %B %y",
    ):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date like 15/01/2027")


def previous_academic_year(year: str) -> str:
    """The year before: "2025-26" for "2026-27"."""
    start, _end = academic_year_bounds(year)
    return academic_year_of(start - dt.timedelta(days=1))
