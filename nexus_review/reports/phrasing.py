"""How the reports put what they list into words: dates as their tables give them, items joined
as a sentence lists them, the evidence seen as a reader counts it (never naming staff), and
"even better if" points as they read under that heading."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from nexus_review.domain.enums import EvidenceKind
from nexus_review.domain.records import EvidenceItem


def short_date(d: dt.date | None) -> str:
    """ "3 Oct 2025", or a dash where there is no date."""
    return f"{d.day} {d:%b %Y}" if d else "–"


def _count(n: int, one: str, many: str) -> str:
    return f"{'a' if n == 1 else n} {one if n == 1 else many}"


def join_words(parts: Sequence[str]) -> str:
    """ "a, b and c": items as a sentence lists them."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# Subjects written with a capital inside a sentence.
_PROPER = {"english", "french", "spanish", "german", "re", "pshe", "pe", "rse"}


def _subject_word(subject: str) -> str:
    first = subject.split()[0].strip("(),").lower() if subject.split() else ""
    if subject.isupper() or subject.lower() in _PROPER or first in _PROPER:
        return subject
    return subject[0].lower() + subject[1:]


def _subjects(items: Sequence[EvidenceItem]) -> str:
    """ " in English and mathematics": the subjects seen, each once."""
    subjects: list[str] = []
    for e in items:
        if e.subject.strip() and e.subject.lower() not in (s.lower() for s in subjects):
            subjects.append(e.subject.strip())
    return f" in {join_words([_subject_word(s) for s in subjects])}" if subjects else ""


def describe_evidence(evidence: Sequence[EvidenceItem]) -> list[str]:
    """What was seen, as a reader counts it: "6 lesson observations", "a learning walk through
    8 classes", "pupil voice with 6 pupils", "work scrutiny in English". Never names staff."""
    by_kind: dict[str, list[EvidenceItem]] = {}
    for e in evidence:
        by_kind.setdefault(e.kind, []).append(e)
    parts: list[str] = []
    for kind in EvidenceKind:
        items = by_kind.pop(kind.value, [])
        if not items:
            continue
        n = len(items)
        if kind is EvidenceKind.LESSON_OBSERVATION:
            parts.append(_count(n, "lesson observation", "lesson observations") + _subjects(items))
        elif kind is EvidenceKind.LEARNING_WALK:
            classes = sum(len(e.drop_ins) for e in items)
            walks = _count(n, "learning walk", "learning walks")
            parts.append(f"{walks} through {classes} classes" if classes else walks)
        elif kind is EvidenceKind.PUPIL_VOICE:
            pupils = sum(e.participants or 0 for e in items)
            text = "pupil voice" if n == 1 else f"{n} pupil voice discussions"
            parts.append(f"{text} with {pupils} pupils" if pupils else text)
        elif kind is EvidenceKind.WORK_SCRUTINY:
            text = "work scrutiny" if n == 1 else f"{n} work scrutiny sessions"
            parts.append(text + _subjects(items))
        elif kind is EvidenceKind.LEADER_MEETING:
            parts.append(_count(n, "meeting with leaders", "meetings with leaders"))
        elif kind is EvidenceKind.DATA_REVIEW:
            parts.append(
                "a review of the school's data" if n == 1 else f"{n} reviews of the school's data"
            )
        else:
            parts.append(_count(n, "other activity", "other activities"))
    for other, items in by_kind.items():  # kinds from a newer program
        parts.append(f"{len(items)} × {other}")
    return parts


_EBI = re.compile(r"^\s*(even better if|ebi)\b\s*[:,.–-]?\s*", re.IGNORECASE)


# Words that keep their capital when an "even better if" point goes on from the heading.
_CAPITALISED = {
    "Year",
    "Key",
    "Reception",
    "English",
    "French",
    "Spanish",
    "German",
    "I",
    "Ofsted",
    "Christmas",
}


def ebi_text(line: str, continuing: bool = True) -> str:
    """An "even better if" point as it reads under that heading: the heading's words are not
    repeated, and the point goes on from them ("…the reading areas were more inviting").
    Under another heading (``continuing`` false) the point starts with a capital."""
    rest = _EBI.sub("", line, count=1)
    if not rest or rest == line:
        return line
    if not continuing:
        return rest[0].upper() + rest[1:]
    first = rest.split()[0]
    if first.isupper() or first.strip(",.;:") in _CAPITALISED:
        return rest
    return rest[0].lower() + rest[1:]
