"""The fixed vocabularies of a review, with the words screens and reports use for them."""

from __future__ import annotations

from enum import StrEnum


class VisitKind(StrEnum):
    EVALUATION_DAY = "evaluation-day"
    COLLABORATIVE_REVIEW = "collaborative-review"
    LEARNING_WALK = "learning-walk"
    FOLLOW_UP = "follow-up"

    @property
    def label(self) -> str:
        return _VISIT_KIND_LABELS[self]


_VISIT_KIND_LABELS = {
    VisitKind.EVALUATION_DAY: "Evaluation day",
    VisitKind.COLLABORATIVE_REVIEW: "Half-day collaborative review",
    VisitKind.LEARNING_WALK: "Learning walk",
    VisitKind.FOLLOW_UP: "Follow-up visit",
}


class VisitStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    REPORT_DRAFTED = "report-drafted"
    REPORT_SENT = "report-sent"

    @property
    def label(self) -> str:
        return _VISIT_STATUS_LABELS[self]


_VISIT_STATUS_LABELS = {
    VisitStatus.PLANNED: "Planned",
    VisitStatus.IN_PROGRESS: "In progress",
    VisitStatus.REPORT_DRAFTED: "Report drafted",
    VisitStatus.REPORT_SENT: "Report sent",
}


class EvidenceKind(StrEnum):
    LESSON_OBSERVATION = "lesson-observation"
    LEARNING_WALK = "learning-walk"
    WORK_SCRUTINY = "work-scrutiny"
    PUPIL_VOICE = "pupil-voice"
    LEADER_MEETING = "leader-meeting"
    DATA_REVIEW = "data-review"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _EVIDENCE_KIND_LABELS[self]


_EVIDENCE_KIND_LABELS = {
    EvidenceKind.LESSON_OBSERVATION: "Lesson observation",
    EvidenceKind.LEARNING_WALK: "Learning walk",
    EvidenceKind.WORK_SCRUTINY: "Work scrutiny",
    EvidenceKind.PUPIL_VOICE: "Pupil voice",
    EvidenceKind.LEADER_MEETING: "Meeting with leaders",
    EvidenceKind.DATA_REVIEW: "Data review",
    EvidenceKind.OTHER: "Other",
}


class LookForResult(StrEnum):
    SEEN = "seen"
    PARTLY = "partly"
    NOT_SEEN = "not-seen"

    @property
    def label(self) -> str:
        return {"seen": "Seen", "partly": "Partly seen", "not-seen": "Not seen"}[self.value]


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "Open", "in-progress": "In progress", "done": "Done"}[self.value]


def label_of(enum_type: type[StrEnum], value: str) -> str:
    """The display word for a stored value, or the value itself if it is unknown."""
    try:
        return enum_type(value).label  # type: ignore[attr-defined]
    except ValueError:
        return value
