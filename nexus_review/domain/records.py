"""Frozen views of the records, handed to screens, reports and the command line.

Widgets and reports never see ORM objects: a use case reads what it needs in one unit of work
and returns these plain values, safe to pass across threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchoolItem:
    id: str
    name: str
    urn: str
    phase: str
    local_authority: str
    headteacher: str


@dataclass(frozen=True)
class ReviewerItem:
    id: str
    name: str
    role: str
    home_school_id: str | None
    home_school_name: str


@dataclass(frozen=True)
class TeamMember:
    reviewer_id: str
    name: str
    role: str
    home_school_name: str
    is_lead: bool


@dataclass(frozen=True)
class VisitSummary:
    """One row of the visit list."""

    id: str
    visit_date: dt.date
    host_school_id: str
    host_school_name: str
    kind: str
    status: str
    framework_key: str
    reviewers: tuple[str, ...]  # names, lead first
    focus_areas: tuple[str, ...]
    updated_at: dt.datetime


@dataclass(frozen=True)
class DropInItem:
    id: str
    position: int
    class_name: str
    year_group: str
    time: dt.time | None
    look_for_results: dict[str, str]
    note: str


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    kind: str
    position: int
    time_in: dt.time | None
    time_out: dt.time | None
    class_name: str
    year_group: str
    subject: str
    staff: str
    who_what: str
    participants: int | None
    notes: str
    strengths: str
    areas_for_development: str
    focus_links: tuple[str, ...]
    grades: dict[str, str]
    look_fors: tuple[str, ...]
    drop_ins: tuple[DropInItem, ...] = ()


@dataclass(frozen=True)
class JudgementItem:
    id: str
    area_key: str
    peer_grade: str | None
    self_grade: str | None
    rationale: str
    evidence_ids: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpNote:
    date: dt.date | None
    note: str


@dataclass(frozen=True)
class ActionItem:
    id: str
    position: int
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    follow_up: tuple[FollowUpNote, ...]


@dataclass(frozen=True)
class VisitDetail:
    """A whole visit with everything in it (tombstoned records left out)."""

    id: str
    visit_date: dt.date
    host_school: SchoolItem
    kind: str
    status: str
    framework_key: str
    focus_areas: tuple[str, ...]
    summary: str
    strengths: str
    areas_for_development: str
    questions: str
    team: tuple[TeamMember, ...]
    evidence: tuple[EvidenceItem, ...]
    judgements: tuple[JudgementItem, ...]
    actions: tuple[ActionItem, ...]
    updated_at: dt.datetime
    revision: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    # The staff field of every evidence record the visit has had, deleted ones too, live ones
    # first: the people an anonymised document must protect.
    staff_named: tuple[str, ...] = ()

    @property
    def lead(self) -> TeamMember | None:
        return next((m for m in self.team if m.is_lead), None)

    def judgement(self, area_key: str) -> JudgementItem | None:
        return next((j for j in self.judgements if j.area_key == area_key), None)


@dataclass(frozen=True)
class ImportItem:
    """One review package brought into this database, as the Imports view lists it."""

    id: str
    file_name: str
    reviewer_name: str
    imported_at: dt.datetime
    added: int
    updated: int
    unchanged: int
    conflicts: int
