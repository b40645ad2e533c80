"""The fixed vocabularies of a review, with the words screens and reports use for them."""

from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    """A fixed vocabulary: each member is stored as its value and shown as its label."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__, self.value]


# The words for each member, by vocabulary and stored value (values repeat across
# vocabularies: a visit and a piece of evidence can both be a "learning-walk").
_LABELS: dict[tuple[str, str], str] = {}


def _words(vocabulary: type[Vocabulary], labels: dict[str, str]) -> None:
    assert set(labels) == {m.value for m in vocabulary}, vocabulary.__name__
    _LABELS.update({(vocabulary.__name__, value): label for value, label in labels.items()})


class VisitKind(Vocabulary):
    EVALUATION_DAY = "evaluation-day"
    COLLABORATIVE_REVIEW = "collaborative-review"
    LEARNING_WALK = "learning-walk"
    FOLLOW_UP = "follow-up"


_words(
    VisitKind,
    {
        "evaluation-day": "Evaluation day",
        "collaborative-review": "Half-day collaborative review",
        "learning-walk": "Learning walk",
        "follow-up": "Follow-up visit",
    },
)


class VisitStatus(Vocabulary):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    REPORT_DRAFTED = "report-drafted"
    REPORT_SENT = "report-sent"


_words(
    VisitStatus,
    {
        "planned": "Planned",
        "in-progress": "In progress",
        "report-drafted": "Report drafted",
        "report-sent": "Report sent",
    },
)


class EvidenceKind(Vocabulary):
    LESSON_OBSERVATION = "lesson-observation"
    LEARNING_WALK = "learning-walk"
    WORK_SCRUTINY = "work-scrutiny"
    PUPIL_VOICE = "pupil-voice"
    LEADER_MEETING = "leader-meeting"
    DATA_REVIEW = "data-review"
    OTHER = "other"


_words(
    EvidenceKind,
    {
        "lesson-observation": "Lesson observation",
        "learning-walk": "Learning walk",
        "work-scrutiny": "Work scrutiny",
        "pupil-voice": "Pupil voice",
        "leader-meeting": "Meeting with leaders",
        "data-review": "Data review",
        "other": "Other",
    },
)


class LookForResult(Vocabulary):
    SEEN = "seen"
    PARTLY = "partly"
    NOT_SEEN = "not-seen"


_words(LookForResult, {"seen": "Seen", "partly": "Partly seen", "not-seen": "Not seen"})


class ActionStatus(Vocabulary):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"


_words(ActionStatus, {"open": "Open", "in-progress": "In progress", "done": "Done"})


def label_of(vocabulary: type[Vocabulary], value: str) -> str:
    """The display word for a stored value, or the value itself if it is unknown."""
    try:
        return vocabulary(value).label
    except ValueError:
        return value
