"""The names of what the desktop program edits: the tables of an open visit and their fields.

An open visit is kept as plain values (table → record id → field → value) and saved a change at
a time. Its tables and each table's fields are named here once, so a misspelt name is caught by
mypy rather than on a head's laptop, and a renamed column by the tests, which hold these names
against the database's columns. Each name is a ``StrEnum``: it is the very string the database,
the save queue and the files of unsaved changes use (``EvidenceField.KIND == "kind"``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias


class Table(StrEnum):
    """The kinds of record the program edits a change at a time."""

    VISIT = "visit"
    VISIT_REVIEWER = "visit_reviewer"
    EVIDENCE = "evidence"
    DROP_IN = "drop_in"
    JUDGEMENT = "judgement"
    ACTION = "action"
    REVIEWER = "reviewer"
    SCHOOL = "school"


# The tables an open visit holds: the visit, its team, evidence, classrooms, judgements, next steps.
VISIT_TABLES = (
    Table.VISIT,
    Table.VISIT_REVIEWER,
    Table.EVIDENCE,
    Table.DROP_IN,
    Table.JUDGEMENT,
    Table.ACTION,
)


class Record(StrEnum):
    """What every record has: its id (given when it is added) and its tombstone."""

    ID = "id"
    DELETED = "deleted"


class ListOrder(StrEnum):
    """What a table's records are listed by on screen: their place in the list, where the table
    keeps one, and then a judgement's area."""

    POSITION = "position"
    AREA_KEY = "area_key"


class VisitField(StrEnum):
    HOST_SCHOOL_ID = "host_school_id"
    VISIT_DATE = "visit_date"
    KIND = "kind"
    FRAMEWORK_KEY = "framework_key"
    STATUS = "status"
    FOCUS_AREAS = "focus_areas"
    SUMMARY = "summary"
    STRENGTHS = "strengths"
    AREAS_FOR_DEVELOPMENT = "areas_for_development"
    QUESTIONS = "questions"
    REVIEW_GROUP_ID = "review_group_id"
    FOLLOW_UP_OF_ID = "follow_up_of_id"


class VisitReviewerField(StrEnum):
    VISIT_ID = "visit_id"
    REVIEWER_ID = "reviewer_id"
    IS_LEAD = "is_lead"
    POSITION = "position"


class EvidenceField(StrEnum):
    VISIT_ID = "visit_id"
    KIND = "kind"
    POSITION = "position"
    TIME_IN = "time_in"
    TIME_OUT = "time_out"
    CLASS_NAME = "class_name"
    YEAR_GROUP = "year_group"
    SUBJECT = "subject"
    STAFF = "staff"
    WHO_WHAT = "who_what"
    PARTICIPANTS = "participants"
    NOTES = "notes"
    STRENGTHS = "strengths"
    AREAS_FOR_DEVELOPMENT = "areas_for_development"
    FOCUS_LINKS = "focus_links"
    GRADES = "grades"
    LOOK_FORS = "look_fors"


class DropInField(StrEnum):
    EVIDENCE_ID = "evidence_id"
    POSITION = "position"
    CLASS_NAME = "class_name"
    YEAR_GROUP = "year_group"
    TIME = "time"
    LOOK_FOR_RESULTS = "look_for_results"
    NOTE = "note"


class JudgementField(StrEnum):
    VISIT_ID = "visit_id"
    AREA_KEY = "area_key"
    PEER_GRADE = "peer_grade"
    SELF_GRADE = "self_grade"
    RATIONALE = "rationale"
    EVIDENCE_IDS = "evidence_ids"


class ActionField(StrEnum):
    VISIT_ID = "visit_id"
    POSITION = "position"
    DESCRIPTION = "description"
    OWNER = "owner"
    DUE_DATE = "due_date"
    STATUS = "status"
    FOLLOW_UP = "follow_up"


class ReviewerField(StrEnum):
    NAME = "name"
    ROLE = "role"
    HOME_SCHOOL_ID = "home_school_id"
    EMAIL = "email"


class SchoolField(StrEnum):
    NAME = "name"
    URN = "urn"
    PHASE = "phase"
    LOCAL_AUTHORITY = "local_authority"
    HEADTEACHER = "headteacher"


# A field a change may set: the tombstone, or one of a table's own fields.
Field: TypeAlias = (
    Record
    | VisitField
    | VisitReviewerField
    | EvidenceField
    | DropInField
    | JudgementField
    | ActionField
    | ReviewerField
    | SchoolField
)

# Each table's own fields (besides its id, its tombstone and the bookkeeping of syncing).
FIELDS: dict[Table, type[StrEnum]] = {
    Table.VISIT: VisitField,
    Table.VISIT_REVIEWER: VisitReviewerField,
    Table.EVIDENCE: EvidenceField,
    Table.DROP_IN: DropInField,
    Table.JUDGEMENT: JudgementField,
    Table.ACTION: ActionField,
    Table.REVIEWER: ReviewerField,
    Table.SCHOOL: SchoolField,
}
