"""The visit list: which visits a head sees, in which order, and the rows on screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nexus_review.domain.calendar import academic_year_bounds, academic_year_of
from nexus_review.domain.records import SchoolItem, VisitSummary
from nexus_review.storage import visit_list as queries
from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_schools, search_visit_ids, visit_summaries


@dataclass(frozen=True)
class VisitFilters:
    """What the list is narrowed to: empty strings mean everything."""

    school_id: str = ""
    year: str = ""  # an academic year like "2025-26"
    kind: str = ""
    status: str = ""
    search: str = ""  # text in any note


@dataclass(frozen=True)
class VisitListChoices:
    """What the list's filters offer."""

    schools: tuple[SchoolItem, ...]
    years: tuple[str, ...]  # academic years with visits, newest first


def list_choices(db: Database) -> VisitListChoices:
    with db.reading() as s:
        schools = tuple(list_schools(s))
        years = {
            academic_year_of(dt.date(year, month, 1)) for year, month in queries.visit_months(s)
        }
    return VisitListChoices(schools, tuple(sorted(years, reverse=True)))


def ordered_ids(
    db: Database, column: int, descending: bool, filters: VisitFilters | None = None
) -> list[str]:
    """The ids of the visits shown, in the list's order for a column."""
    f = filters or VisitFilters()
    since, until = academic_year_bounds(f.year) if f.year else (None, None)
    with db.reading() as s:
        ids = queries.ordered_visit_ids(
            s,
            column,
            descending,
            school_id=f.school_id,
            since=since,
            until=until,
            kind=f.kind,
            status=f.status,
        )
        if f.search.strip():
            found = search_visit_ids(s, f.search)
            ids = [i for i in ids if i in found]
    return ids


def rows(db: Database, ids: list[str]) -> list[VisitSummary]:
    """The list's rows for these visits, in the order given (missing ones left out)."""
    with db.reading() as s:
        by_id = {v.id: v for v in visit_summaries(s, ids=ids)}
    return [by_id[i] for i in ids if i in by_id]


def search_ids(db: Database, text: str) -> set[str]:
    """Visits with the text anywhere in their notes."""
    with db.reading() as s:
        return search_visit_ids(s, text)
