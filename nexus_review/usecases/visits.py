"""Finding and reading visits and the people and schools they involve, each in one read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.records import (
    ImportItem,
    ReviewerItem,
    SchoolItem,
    VisitDetail,
    VisitSummary,
)
from nexus_review.storage import repository as repo
from nexus_review.storage.database import Database


@dataclass(frozen=True)
class VisitList:
    """What the visit list shows: every visit, and the schools to filter by."""

    visits: tuple[VisitSummary, ...]
    schools: tuple[SchoolItem, ...]


@dataclass(frozen=True)
class People:
    """The schools and reviewers a visit can be planned with."""

    schools: tuple[SchoolItem, ...]
    reviewers: tuple[ReviewerItem, ...]


@dataclass(frozen=True)
class SchoolPriorities:
    """Each school's shared priorities for one academic year, and the years that have any."""

    year: str
    years: tuple[str, ...]
    rows: tuple[tuple[SchoolItem, tuple[str, ...]], ...]


def visit_list(db: Database) -> VisitList:
    with db.reading() as session:
        return VisitList(tuple(repo.visit_summaries(session)), tuple(repo.list_schools(session)))


def all_visit_summaries(db: Database) -> list[VisitSummary]:
    with db.reading() as session:
        return repo.visit_summaries(session)


def search_visits(db: Database, text: str) -> set[str]:
    """The ids of visits whose words match the search."""
    with db.reading() as session:
        return repo.search_visit_ids(session, text)


def resolve_visit_id(db: Database, given: str) -> str:
    """A whole visit id from the id or its first characters, as the command line takes it."""
    with db.reading() as session:
        return repo.resolve_visit_id(session, given)


def visit_detail(db: Database, visit_id: str) -> VisitDetail:
    with db.reading() as session:
        return repo.visit_detail(session, visit_id)


def every_visit(db: Database) -> list[VisitDetail]:
    """Every visit in the database, whole."""
    with db.reading() as session:
        return repo.visit_details(
            session, repo.visit_ids_between(session, dt.date.min, dt.date.max)
        )


def schools(db: Database) -> list[SchoolItem]:
    with db.reading() as session:
        return repo.list_schools(session)


def people(db: Database) -> People:
    with db.reading() as session:
        return People(tuple(repo.list_schools(session)), tuple(repo.list_reviewers(session)))


def host_phase(db: Database, school_id: str | None) -> str:
    """A school's phase ("Primary", "Junior"…): it says which evaluation areas apply."""
    return next((sc.phase for sc in schools(db) if sc.id == school_id), "")


def priorities_of(db: Database, school_id: str, visit_date: dt.date) -> list[str]:
    """The priorities a school shared for the academic year of a visit."""
    with db.reading() as session:
        return repo.school_priorities(session, school_id, academic_year_of(visit_date))


def school_priorities(
    db: Database, wanted_year: str, today: dt.date | None = None
) -> SchoolPriorities:
    """The schools with their priorities for a year: the one wanted if it has any or is this
    year, otherwise this school year."""
    this_year = academic_year_of(today or dt.date.today())
    with db.reading() as session:
        years = sorted(set(repo.priority_years(session)) | {this_year}, reverse=True)
        year = wanted_year if wanted_year in years else this_year
        rows = tuple(
            (sc, tuple(repo.school_priorities(session, sc.id, year)))
            for sc in repo.list_schools(session)
        )
    return SchoolPriorities(year, tuple(years), rows)


def network_years(db: Database, today: dt.date | None = None) -> list[str]:
    """The academic years the network view offers: every year with priorities or visits, and
    this school year, even before it has records; newest first."""
    this_year = academic_year_of(today or dt.date.today())
    with db.reading() as session:
        years = set(repo.priority_years(session))
        years |= {academic_year_of(v.visit_date) for v in repo.visit_summaries(session)}
    return sorted(years | {this_year}, reverse=True)


def import_history(db: Database) -> list[ImportItem]:
    """Every review package imported, newest first."""
    with db.reading() as session:
        return repo.import_history(session)
