"""The rules of editing an open visit, applied to its working copy, and saving it.

A visit open in the desktop program is a working copy (table → record id → fields) that the
program saves a change at a time. What one user action changes in it is decided here, as a
short list of edits, so that the rules are the same wherever the action starts and can be
tested without a window: the first piece of evidence starts the visit; the first reviewer on a
team leads it; one lead at a time; a school's own head is no peer reviewer of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nexus_review import workspace
from nexus_review.domain.calendar import half_a_term_after
from nexus_review.domain.enums import ActionStatus, EvidenceKind, VisitStatus
from nexus_review.domain.records import ReviewerItem
from nexus_review.domain.working_copy import (
    ActionField,
    DropInField,
    EvidenceField,
    Field,
    ListOrder,
    Record,
    Table,
    VisitField,
    VisitReviewerField,
)
from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.workspace import Change

WorkingCopy = Mapping[Table, Mapping[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class AddRecord:
    table: Table
    values: Mapping[Field, Any]


@dataclass(frozen=True)
class SetField:
    table: Table
    record_id: str
    field: Field
    value: Any


@dataclass(frozen=True)
class Edits:
    """What one user action changes: at most one new record (``add``), then field changes."""

    text: str
    add: AddRecord | None = None
    fields: tuple[SetField, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.add is not None or bool(self.fields)


def _live(records: WorkingCopy, table: Table) -> list[Mapping[str, Any]]:
    rows = [r for r in records.get(table, {}).values() if not r.get(Record.DELETED)]
    return sorted(rows, key=lambda r: r.get(ListOrder.POSITION) or 0)


def add_evidence(
    records: WorkingCopy, visit_id: str, kind: EvidenceKind, time_in: dt.time
) -> Edits:
    """A new piece of evidence at the end of the log; the first one moves a planned visit to
    "in progress"."""
    evidence = _live(records, Table.EVIDENCE)
    position = max((r.get(EvidenceField.POSITION) or 0 for r in evidence), default=-1) + 1
    values: dict[Field, Any] = {
        EvidenceField.VISIT_ID: visit_id,
        EvidenceField.KIND: kind.value,
        EvidenceField.POSITION: position,
        EvidenceField.TIME_IN: time_in,
    }
    visit = records[Table.VISIT][visit_id]
    started = (
        (SetField(Table.VISIT, visit_id, VisitField.STATUS, VisitStatus.IN_PROGRESS.value),)
        if visit.get(VisitField.STATUS) == VisitStatus.PLANNED
        else ()
    )
    return Edits(f"Add {kind.label.lower()}", AddRecord(Table.EVIDENCE, values), started)


def add_drop_in(records: WorkingCopy, evidence_id: str, time: dt.time) -> Edits:
    """A classroom visited on a learning walk, after the walk's others; nothing for evidence
    of any other kind."""
    evidence = records.get(Table.EVIDENCE, {}).get(evidence_id)
    if evidence is None or evidence.get(EvidenceField.KIND) != EvidenceKind.LEARNING_WALK:
        return Edits("")
    mine = [
        r for r in _live(records, Table.DROP_IN) if r.get(DropInField.EVIDENCE_ID) == evidence_id
    ]
    position = max((r.get(DropInField.POSITION) or 0 for r in mine), default=-1) + 1
    values: dict[Field, Any] = {
        DropInField.EVIDENCE_ID: evidence_id,
        DropInField.POSITION: position,
        DropInField.TIME: time,
        DropInField.LOOK_FOR_RESULTS: {},
    }
    return Edits("Add a classroom", AddRecord(Table.DROP_IN, values))


def add_next_step(records: WorkingCopy, visit_id: str) -> Edits:
    """An agreed next step at the end of the list, open, due half a term after the visit (when
    the network follows next steps up)."""
    actions = _live(records, Table.ACTION)
    position = max((r.get(ActionField.POSITION) or 0 for r in actions), default=-1) + 1
    due = half_a_term_after(records[Table.VISIT][visit_id][VisitField.VISIT_DATE])
    values: dict[Field, Any] = {
        ActionField.VISIT_ID: visit_id,
        ActionField.POSITION: position,
        ActionField.DESCRIPTION: "",
        ActionField.STATUS: ActionStatus.OPEN.value,
        ActionField.DUE_DATE: due,
        ActionField.FOLLOW_UP: [],
    }
    return Edits("Add a next step", AddRecord(Table.ACTION, values))


def set_team_member(records: WorkingCopy, visit_id: str, reviewer_id: str, on_team: bool) -> Edits:
    """Put a reviewer on a visit's team or take them off. Someone taken off and put back gets
    their old place again; the first member of an empty team is its lead."""
    existing = [
        m
        for m in records.get(Table.VISIT_REVIEWER, {}).values()
        if m[VisitReviewerField.REVIEWER_ID] == reviewer_id
    ]
    live = [m for m in existing if not m.get(Record.DELETED)]
    if on_team and not live:
        if existing:
            first = existing[0][Record.ID]
            return Edits(
                "Add to the team",
                fields=(SetField(Table.VISIT_REVIEWER, first, Record.DELETED, False),),
            )
        members = _live(records, Table.VISIT_REVIEWER)
        values: dict[Field, Any] = {
            VisitReviewerField.VISIT_ID: visit_id,
            VisitReviewerField.REVIEWER_ID: reviewer_id,
            VisitReviewerField.POSITION: len(members),
            VisitReviewerField.IS_LEAD: not members,
        }
        return Edits("Add to the team", AddRecord(Table.VISIT_REVIEWER, values))
    if not on_team and live:
        return Edits(
            "Remove from the team",
            fields=tuple(
                SetField(Table.VISIT_REVIEWER, m[Record.ID], Record.DELETED, True) for m in live
            ),
        )
    return Edits("")


def choose_lead(records: WorkingCopy, lead_reviewer_id: str | None) -> Edits:
    """One lead reviewer: the one chosen leads, every other member does not."""
    return Edits(
        "Choose the lead reviewer",
        fields=tuple(
            SetField(
                Table.VISIT_REVIEWER,
                m[Record.ID],
                VisitReviewerField.IS_LEAD,
                m[VisitReviewerField.REVIEWER_ID] == lead_reviewer_id,
            )
            for m in _live(records, Table.VISIT_REVIEWER)
        ),
    )


def team_in_order(records: WorkingCopy) -> list[Mapping[str, Any]]:
    """The visit's team as it is listed: by position."""
    return _live(records, Table.VISIT_REVIEWER)


def own_school_reviewers(
    reviewers: Iterable[ReviewerItem], team: Sequence[str], host_school_id: str | None
) -> list[str]:
    """The names of team members whose home school is the host: a peer review is made by
    heads from other schools."""
    members = set(team)
    return [r.name for r in reviewers if r.id in members and r.home_school_id == host_school_id]


def own_school_warning(names: Sequence[str]) -> str:
    if not names:
        return ""
    verb = "leads" if len(names) == 1 else "lead"
    return f"{' and '.join(names)} {verb} the host school: a peer review is made by heads from other schools."


# ---------------------------------------------------------------------------- saving


def working_copy(db: Database, visit_id: str) -> dict[Table, dict[str, dict[str, Any]]]:
    """Every live record of a visit as plain values, by table and id: what the editor edits."""
    with db.reading() as session:
        return workspace.visit_records(session, visit_id)


def save_changes(db: Database, changes: Sequence[Change]) -> int:
    """Write queued changes in one transaction (all or none); gives how many records changed."""
    pending = workspace.coalesce(changes)
    if not pending:
        return 0
    with db.transaction() as session:
        for change in pending:
            workspace.apply_change(session, change)
            session.flush()  # parents before children, in the order they were made
    return len(pending)


def create_visit(db: Database, **kwargs: Any) -> str:
    """A planned visit with its review team; its id."""
    changes = workspace.new_visit_change(**kwargs)
    save_changes(db, changes)
    return changes[0].record_id


def ensure_reviewer(
    db: Database, name: str, home_school_id: str | None, role: str = "Headteacher"
) -> str:
    """The reviewer record for the person using this laptop (found by name, or made)."""
    name = name.strip()
    if not name:
        raise NexusError("Give the reviewer's name.")
    with db.transaction() as session:
        return workspace.reviewer_for(session, name, home_school_id, role)


def ensure_school(db: Database, name: str) -> str:
    """The school record with this name (found, or made)."""
    name = name.strip()
    if not name:
        raise NexusError("Give the school's name.")
    with db.transaction() as session:
        return workspace.school_for(session, name)
