"""What the desktop program saves as a head types: changes to a visit's records, checked,
and applied in the caller's transaction (the use cases in :mod:`nexus_review.usecases.editing`
open it).

The program keeps a queue of field changes (``Change``) and saves them in one unit of work a
moment after the last keystroke. A change names a table, a record id and the new values; a
record the database has not seen yet is created with the id the program gave it, so undoing
and redoing an "add" or a "delete" is only a change of the ``deleted`` flag (a tombstone). A
failed save raises a :class:`DatabaseError` and changes nothing, so the queue can try again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nexus_review.domain.enums import VisitStatus
from nexus_review.domain.working_copy import (
    VISIT_TABLES,
    ActionField,
    DropInField,
    EvidenceField,
    JudgementField,
    Table,
    VisitField,
    VisitReviewerField,
)
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.storage.database import Session, model_defaults
from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    School,
    SyncMixin,
    Visit,
    VisitReviewer,
    new_id,
)
from nexus_review.storage.repository import reviewer_named, school_named

EDITABLE: dict[Table, type[SyncMixin]] = {
    Table.VISIT: Visit,
    Table.VISIT_REVIEWER: VisitReviewer,
    Table.EVIDENCE: Evidence,
    Table.DROP_IN: DropIn,
    Table.JUDGEMENT: Judgement,
    Table.ACTION: Action,
    Table.REVIEWER: Reviewer,
    Table.SCHOOL: School,
}
# Columns a change may never set: identity and the sync bookkeeping the session stamps itself.
PROTECTED = frozenset(
    {"id", "created_at", "updated_at", "device_id", "revision", "vclock", "field_versions"}
)


def column_defaults(table: Table) -> dict[str, Any]:
    """The values a new record of a table starts with (what the database would give it)."""
    return {k: v for k, v in model_defaults(EDITABLE[table]).items() if k not in PROTECTED}


@dataclass
class Change:
    """New values for one record; ``create`` holds the values a new record starts with."""

    table: Table
    record_id: str
    values: dict[str, Any] = field(default_factory=dict)
    create: dict[str, Any] | None = None

    def merged_with(self, later: Change) -> Change:
        values = {**self.values, **later.values}
        create = self.create if self.create is not None else later.create
        return Change(self.table, self.record_id, values, create)


class InvalidChangeError(ValueError):
    """The program tried to queue a value its database column cannot hold: a bug in the
    program, refused before it can reach the save queue (and block every later save)."""


# The shape of each JSON column a reviewer's edits can set: a list of what, or a dict of what.
JSON_SHAPES: dict[str, tuple[type, type]] = {
    VisitField.FOCUS_AREAS: (list, str),
    EvidenceField.FOCUS_LINKS: (list, str),
    EvidenceField.LOOK_FORS: (list, str),
    JudgementField.EVIDENCE_IDS: (list, str),
    EvidenceField.GRADES: (dict, str),
    DropInField.LOOK_FOR_RESULTS: (dict, str),
    ActionField.FOLLOW_UP: (list, dict),
}
_INT64 = 2**63
_Name = TypeVar("_Name", bound=str)  # a field's name: declared (a Field) or read from a file


def _column_kinds(model: type[SyncMixin]) -> dict[str, tuple[type, bool]]:
    """Each column's Python type and whether it may be empty (None)."""
    out: dict[str, tuple[type, bool]] = {}
    for col in model.__table__.columns:
        try:
            kind = col.type.python_type
        except NotImplementedError:
            kind = object
        out[col.key] = (kind, bool(col.nullable))
    return out


def check_change(table: Table, values: Mapping[_Name, Any]) -> None:
    """Refuse at once a value that could never be saved: an unknown field, a protected one, or
    a value of the wrong type or shape. Raises :class:`InvalidChangeError`."""
    model = EDITABLE.get(table)
    if model is None:
        raise InvalidChangeError(f"records of the kind {table!r} cannot be edited")
    kinds = _column_kinds(model)
    for field_name, value in values.items():
        if field_name in PROTECTED or field_name not in kinds:
            raise InvalidChangeError(f"{table}.{field_name} cannot be set")
        kind, nullable = kinds[field_name]
        if value is None:
            if not nullable:
                raise InvalidChangeError(f"{table}.{field_name} cannot be empty")
            continue
        shape = JSON_SHAPES.get(field_name)
        if shape is not None:
            outer, inner = shape
            items = value.values() if isinstance(value, dict) else value
            if not isinstance(value, outer) or not all(isinstance(x, inner) for x in items):
                raise InvalidChangeError(
                    f"{table}.{field_name} must be a {outer.__name__} of {inner.__name__}, not {value!r}"
                )
            if isinstance(value, dict) and not all(isinstance(k, str) for k in value):
                raise InvalidChangeError(f"{table}.{field_name} must have text keys")
            continue
        if kind is bool:
            ok = isinstance(value, bool)
        elif kind is int:
            ok = (
                isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64
            )
        elif kind is dt.date:
            ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        elif kind is object:
            ok = True
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise InvalidChangeError(f"{table}.{field_name} cannot hold {value!r}")


def _model(table: Table) -> type[SyncMixin]:
    try:
        return EDITABLE[table]
    except KeyError:
        raise NexusError(f"The program cannot edit records of the kind '{table}'.") from None


def apply_change(session: Session, change: Change) -> None:
    model = _model(change.table)
    bad = PROTECTED & set(change.values)
    if bad:
        raise NexusError(f"The program tried to change {', '.join(sorted(bad))} by hand.")
    obj = session.get(model, change.record_id)
    if obj is None:
        if change.create is None:
            raise NotFoundError(f"The record {change.record_id} is no longer in the database.")
        obj = model(id=change.record_id, **{**change.create, **change.values})  # type: ignore[call-arg]
        session.add(obj)
        return
    for key, value in change.values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def coalesce(changes: Iterable[Change]) -> list[Change]:
    """One change per record, in the order records were first touched."""
    out: dict[tuple[str, str], Change] = {}
    for change in changes:
        key = (change.table, change.record_id)
        out[key] = out[key].merged_with(change) if key in out else change
    return list(out.values())


# ---------------------------------------------------------------------------- creating


def new_visit_change(
    *,
    host_school_id: str,
    visit_date: dt.date,
    kind: str,
    framework_key: str,
    team: Sequence[str] = (),
    lead_id: str | None = None,
    focus_areas: Sequence[str] = (),
) -> list[Change]:
    """The changes that create a planned visit with its review team."""
    visit_id = new_id()
    changes = [
        Change(
            Table.VISIT,
            visit_id,
            create={
                VisitField.HOST_SCHOOL_ID: host_school_id,
                VisitField.VISIT_DATE: visit_date,
                VisitField.KIND: kind,
                VisitField.FRAMEWORK_KEY: framework_key,
                VisitField.STATUS: VisitStatus.PLANNED.value,
                VisitField.FOCUS_AREAS: list(focus_areas),
            },
        )
    ]
    for position, reviewer_id in enumerate(team):
        changes.append(
            Change(
                Table.VISIT_REVIEWER,
                new_id(),
                create={
                    VisitReviewerField.VISIT_ID: visit_id,
                    VisitReviewerField.REVIEWER_ID: reviewer_id,
                    VisitReviewerField.POSITION: position,
                    VisitReviewerField.IS_LEAD: reviewer_id == (lead_id or team[0]),
                },
            )
        )
    return changes


def reviewer_for(
    session: Session, name: str, home_school_id: str | None, role: str = "Headteacher"
) -> str:
    """The id of the reviewer with this name (their home school brought up to date), or of a
    new reviewer record for them."""
    found = reviewer_named(session, name)
    if found is not None:
        if home_school_id and found.home_school_id != home_school_id:
            found.home_school_id = home_school_id
        return found.id
    reviewer = Reviewer(name=name, role=role, home_school_id=home_school_id)
    session.add(reviewer)
    session.flush()
    return reviewer.id


def school_for(session: Session, name: str) -> str:
    """The id of the school with this name, or of a new school record for it."""
    found = school_named(session, name)
    if found is not None:
        return found.id
    school = School(name=name)
    session.add(school)
    session.flush()
    return school.id


# ---------------------------------------------------------------------------- reading


def visit_records(session: Session, visit_id: str) -> dict[Table, dict[str, dict[str, Any]]]:
    """Every live record of a visit as plain column values, by table and id: the editor's
    working copy. Lists and dicts are copies, so editing them never touches the session."""
    from nexus_review.storage.repository import load_visit

    visit = load_visit(session, visit_id)
    out: dict[Table, dict[str, dict[str, Any]]] = {t: {} for t in VISIT_TABLES}

    def put(table: Table, obj: SyncMixin) -> None:
        values = {}
        for col in obj.__table__.columns:
            value = getattr(obj, col.key)
            # Plain copies: editing the working copy never touches the session's tracked lists.
            values[col.key] = (
                list(value)
                if isinstance(value, list)
                else dict(value)
                if isinstance(value, dict)
                else value
            )
        out[table][obj.id] = values

    put(Table.VISIT, visit)
    for table, records in (
        (Table.VISIT_REVIEWER, visit.team),
        (Table.JUDGEMENT, visit.judgements),
        (Table.ACTION, visit.actions),
    ):
        for record in records:
            if not record.deleted:
                put(table, record)
    for e in visit.evidence:
        if not e.deleted:
            put(Table.EVIDENCE, e)
            for d in e.drop_ins:
                if not d.deleted:
                    put(Table.DROP_IN, d)
    return out
