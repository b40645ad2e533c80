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
from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.workspace import Change

WorkingCopy = Mapping[str, Mapping[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class AddRecord:
    table: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class SetField:
    table: str
    record_id: str
    field: str
    value: Any


@dataclass(frozen=True)
class Edits:
    """What one user action changes: at most one new record (``add``), then field changes."""

    text: str
    add: AddRecord | None = None
    fields: tuple[SetField, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.add is not None or bool(self.fields)


def _live(records: WorkingCopy, table: str) -> list[Mapping[str, Any]]:
    rows = [r for r in records.get(table, {}).values() if not r.get("deleted")]
    return sorted(rows, key=lambda r: r.get("position") or 0)


def add_evidence(
    records: WorkingCopy, visit_id: str, kind: EvidenceKind, time_in: dt.time
) -> Edits:
    """A new piece of evidence at the end of the log; the first one moves a planned visit to
    "in progress"."""
    position = max((r.get("position") or 0 for r in _live(records, "evidence")), default=-1) + 1
    values = {"visit_id": visit_id, "kind": kind.value, "position": position, "time_in": time_in}
    visit = records["visit"][visit_id]
    started = (
        (SetField("visit", visit_id, "status", VisitStatus.IN_PROGRESS.value),)
        if visit.get("status") == VisitStatus.PLANNED
        else ()
    )
    return Edits(f"Add {kind.label.lower()}", AddRecord("evidence", values), started)


def add_drop_in(records: WorkingCopy, evidence_id: str, time: dt.time) -> Edits:
    """A classroom visited on a learning walk, after the walk's others; nothing for evidence
    of any other kind."""
    evidence = records.get("evidence", {}).get(evidence_id)
    if evidence is None or evidence.get("kind") != EvidenceKind.LEARNING_WALK:
        return Edits("")
    mine = [r for r in _live(records, "drop_in") if r.get("evidence_id") == evidence_id]
    position = max((r.get("position") or 0 for r in mine), default=-1) + 1
    values: dict[str, Any] = {
        "evidence_id": evidence_id,
        "position": position,
        "time": time,
        "look_for_results": {},
    }
    return Edits("Add a classroom", AddRecord("drop_in", values))


def add_next_step(records: WorkingCopy, visit_id: str) -> Edits:
    """An agreed next step at the end of the list, open, due half a term after the visit (when
    the network follows next steps up)."""
    position = max((r.get("position") or 0 for r in _live(records, "action")), default=-1) + 1
    due = half_a_term_after(records["visit"][visit_id]["visit_date"])
    values: dict[str, Any] = {
        "visit_id": visit_id,
        "position": position,
        "description": "",
        "status": ActionStatus.OPEN.value,
        "due_date": due,
        "follow_up": [],
    }
    return Edits("Add a next step", AddRecord("action", values))


def set_team_member(records: WorkingCopy, visit_id: str, reviewer_id: str, on_team: bool) -> Edits:
    """Put a reviewer on a visit's team or take them off. Someone taken off and put back gets
    their old place again; the first member of an empty team is its lead."""
    existing = [
        m for m in records.get("visit_reviewer", {}).values() if m["reviewer_id"] == reviewer_id
    ]
    live = [m for m in existing if not m.get("deleted")]
    if on_team and not live:
        if existing:
            return Edits(
                "Add to the team",
                fields=(SetField("visit_reviewer", existing[0]["id"], "deleted", False),),
            )
        members = _live(records, "visit_reviewer")
        values = {
            "visit_id": visit_id,
            "reviewer_id": reviewer_id,
            "position": len(members),
            "is_lead": not members,
        }
        return Edits("Add to the team", AddRecord("visit_reviewer", values))
    if not on_team and live:
        return Edits(
            "Remove from the team",
            fields=tuple(SetField("visit_reviewer", m["id"], "deleted", True) for m in live),
        )
    return Edits("")


def choose_lead(records: WorkingCopy, lead_reviewer_id: str | None) -> Edits:
    """One lead reviewer: the one chosen leads, every other member does not."""
    return Edits(
        "Choose the lead reviewer",
        fields=tuple(
            SetField("visit_reviewer", m["id"], "is_lead", m["reviewer_id"] == lead_reviewer_id)
            for m in _live(records, "visit_reviewer")
        ),
    )


def team_in_order(records: WorkingCopy) -> list[Mapping[str, Any]]:
    """The visit's team as it is listed: by position."""
    return _live(records, "visit_reviewer")


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


def working_copy(db: Database, visit_id: str) -> dict[str, dict[str, dict[str, Any]]]:
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
