"""The visit list's queries: which visits, in what order, without loading the rows.

The list holds only visit ids in order; it reads whole rows (:func:`repository.visit_summaries`
with ``ids``) for the few on screen. Sorting and filtering happen here, in SQL, so that a
network database of ten thousand visits refreshes in a few milliseconds.

The orders are those the list has always had: by date (then id), or by a column's words
ignoring case, then date, then id; a descending order reverses every key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from nexus_review.domain.enums import VisitKind, VisitStatus
from nexus_review.storage.models import Reviewer, School, Visit, VisitReviewer

# The visit list's columns, in the order the screen shows them.
DATE, HOST_SCHOOL, KIND, STATUS, REVIEW_TEAM, FOCUS = range(6)

# A select over visits, of whatever columns: narrowing it keeps its columns.
VisitQuery = TypeVar("VisitQuery", bound=Select[*tuple[Any, ...]])


def _label_key(column: Any, labels: type[VisitKind] | type[VisitStatus]) -> Any:
    """The column's display words in lower case, as a key SQL can sort by."""
    return case({k.value: k.label.lower() for k in labels}, value=column, else_=func.lower(column))


def narrowed(
    query: VisitQuery,
    *,
    school_id: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> VisitQuery:
    """A query over visits narrowed to the list's filters (an empty filter narrows nothing)."""
    if school_id:
        query = query.where(Visit.host_school_id == school_id)
    if since:
        query = query.where(Visit.visit_date >= since)
    if until:
        query = query.where(Visit.visit_date <= until)
    if kind:
        query = query.where(Visit.kind == kind)
    if status:
        query = query.where(Visit.status == status)
    return query


def team_names(session: Session, visit_ids: list[str] | None = None) -> dict[str, list[str]]:
    """Each visit's review team by name, the lead first, then in the team's order (every
    visit's, or only these visits')."""
    team = (
        select(VisitReviewer.visit_id, Reviewer.name)
        .join(Reviewer, Reviewer.id == VisitReviewer.reviewer_id)
        .where(VisitReviewer.deleted.is_(False))
        .order_by(VisitReviewer.visit_id, VisitReviewer.is_lead.desc(), VisitReviewer.position)
    )
    if visit_ids is not None:
        team = team.where(VisitReviewer.visit_id.in_(visit_ids))
    names: dict[str, list[str]] = {}
    for visit_id, name in session.execute(team):
        names.setdefault(visit_id, []).append(name)
    return names


def ordered_visit_ids(
    session: Session,
    column: int = DATE,
    descending: bool = True,
    *,
    school_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    kind: str = "",
    status: str = "",
) -> list[str]:
    """Ids of the live visits that pass the filters, in the list's order for a column."""
    query = narrowed(
        select(Visit.id, Visit.visit_date).where(Visit.deleted.is_(False)),
        school_id=school_id,
        since=since,
        until=until,
        kind=kind,
        status=status,
    )
    if column in (REVIEW_TEAM, FOCUS):
        return _ordered_by_words(session, query, column, descending)
    only_ids = query.with_only_columns(Visit.id)
    first: Any = {
        DATE: None,
        HOST_SCHOOL: func.lower(School.name),
        KIND: _label_key(Visit.kind, VisitKind),
        STATUS: _label_key(Visit.status, VisitStatus),
    }.get(column)
    if column == HOST_SCHOOL:
        only_ids = only_ids.join(School, School.id == Visit.host_school_id)
    keys = [k for k in (first, Visit.visit_date, Visit.id) if k is not None]
    only_ids = only_ids.order_by(*(k.desc() if descending else k.asc() for k in keys))
    return list(session.scalars(only_ids))


def _ordered_by_words(
    session: Session, query: Select[str, dt.date], column: int, descending: bool
) -> list[str]:
    """The review team's or the focus areas' words: joined as the list shows them, sorted here
    (they are lists, which SQL of both databases would join differently)."""
    rows = {r[0]: r[1] for r in session.execute(query)}
    words: dict[str, str] = {}
    if column == REVIEW_TEAM:
        words = {v: ", ".join(n) for v, n in team_names(session).items()}
    else:
        focus = select(Visit.id, Visit.focus_areas).where(Visit.deleted.is_(False))
        words = {v: "; ".join(str(f) for f in areas or ()) for v, areas in session.execute(focus)}
    return sorted(rows, key=lambda v: (words.get(v, "").lower(), rows[v], v), reverse=descending)


def visit_months(session: Session) -> list[tuple[int, int]]:
    """(year, month) of every month with a live visit (for the list's choice of academic
    years), counted by the database rather than read date by date."""
    if session.get_bind().dialect.name == "sqlite":
        month: Any = func.substr(Visit.visit_date, 1, 7)
    else:
        month = func.to_char(Visit.visit_date, "YYYY-MM")
    rows = session.scalars(select(month).where(Visit.deleted.is_(False)).distinct())
    return [(int(m[:4]), int(m[5:7])) for m in rows if m]
