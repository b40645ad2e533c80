"""Calibration exercises (frame-of-reference moderation) for the heads' meetings.

The network administrator makes an exercise from one piece of evidence (a written-up lesson
visit, a work-scrutiny note) with its staff, school and reviewers' names removed; it travels
to every head in a review package; each head grades it on their own laptop, with a reason;
the answers come back in their packages; the program then shows, area by area, the spread of
grades, how far the heads agreed and the reasons each gave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from nexus_review.domain import agreement as ag
from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.calibration import AreaResult, ExerciseItem, ExerciseResults, HeadAnswer
from nexus_review.domain.enums import EvidenceKind, label_of
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.frameworks import Framework, get_framework
from nexus_review.storage import own_grades as store
from nexus_review.storage.database import Database
from nexus_review.storage.models import CalibrationExercise, Evidence

TITLE_LIMIT = 200
TEXT_LIMIT = 20_000
REASON_LIMIT = 5000


def _keys(text: str) -> tuple[str, ...]:
    return tuple(k for k in (line.strip() for line in text.splitlines()) if k)


def _item(row: CalibrationExercise) -> ExerciseItem:
    fw = get_framework(row.framework_key)
    keys = _keys(row.area_keys)
    return ExerciseItem(
        row.id,
        row.title,
        row.academic_year,
        row.framework_key,
        row.evidence_kind,
        row.evidence_text,
        keys,
        tuple(fw.area_name(k) for k in keys),
    )


def _scale(fw: Framework, area_key: str) -> list[str]:
    return [g.key for g in sorted(fw.scale_for(area_key), key=lambda g: g.rank)]


def _without(text: str, names: list[str], replacement: str) -> str:
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(name), replacement, text, flags=re.IGNORECASE)
    return text


def anonymised_evidence(
    notes: str,
    strengths: str,
    development: str,
    *,
    staff: list[str],
    reviewers: list[str],
    school: str,
) -> str:
    """The text of an exercise: what was seen, the strengths and the areas for development,
    with every member of staff ("Teacher A"...), the reviewers and the school taken out."""
    parts = [
        ("What was seen", notes),
        ("Strengths", strengths),
        ("Areas for development", development),
    ]
    text = "\n\n".join(
        f"{label}:\n{body.strip()}" for label, body in parts if body and body.strip()
    )
    text = Anonymiser(staff).clean(text)
    text = _without(text, reviewers, "a reviewer")
    text = _without(text, [school], "the school")
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def make_exercise(
    db: Database,
    evidence_id: str,
    *,
    title: str,
    area_keys: list[str] | None = None,
    today: dt.date | None = None,
) -> ExerciseItem:
    """An exercise from one piece of evidence: its notes, strengths and areas for development,
    with every member of staff named in the visit's evidence, the host school, its
    headteacher and the review team taken out. Areas: those given (default: the framework's)."""
    title = " ".join(title.split())
    if not title:
        raise NexusError(
            "Give the calibration exercise a title, so heads know which one they are grading."
        )
    if len(title) > TITLE_LIMIT:
        raise NexusError(
            f"A title can be at most {TITLE_LIMIT} characters; this one has {len(title)}."
        )
    with db.transaction() as session:
        found = store.evidence_for_exercise(session, evidence_id)
        if found is None:
            raise NotFoundError("That evidence is not in this database (it may have been deleted).")
        ev, visit = found
        fw = get_framework(visit.framework_key)
        if not fw.graded:
            raise NexusError(
                f"The {fw.short_name} framework gives no grades, so heads would have nothing to grade; choose evidence from a graded visit."
            )
        areas = list(area_keys) if area_keys else [a.key for a in fw.areas]
        unknown = [k for k in areas if fw.area(k) is None]
        if unknown:
            raise NexusError(f"'{unknown[0]}' is not an area of the {fw.short_name} framework.")
        text = anonymised_evidence(
            ev.notes,
            ev.strengths,
            ev.areas_for_development,
            staff=[e.staff for e in visit.evidence if e.staff]
            + [visit.host_school.headteacher or ""],
            reviewers=[m.reviewer.name for m in visit.team],
            school=visit.host_school.name,
        )
        if not text:
            raise NexusError(
                "That evidence has no notes to grade; choose a written-up lesson visit or work-scrutiny note."
            )
        context = ", ".join(
            x for x in (label_of(EvidenceKind, ev.kind), ev.year_group, ev.subject) if x
        )
        row = store.add_exercise(
            session,
            title=title,
            academic_year=academic_year_of(today or dt.date.today()),
            framework_key=fw.key,
            evidence_kind=context[:40],
            evidence_text=text,
            area_keys="\n".join(dict.fromkeys(areas)),
        )
        return _item(row)


def resolve_exercise_id(db: Database, given: str) -> str:
    """An exercise's whole id from the id or its first characters, as the command line takes it."""
    with db.reading() as session:
        return store.resolve_id(session, CalibrationExercise, given, "calibration exercise")


def resolve_evidence_id(db: Database, given: str) -> str:
    """A piece of evidence's whole id from the id or its first characters."""
    with db.reading() as session:
        return store.resolve_id(session, Evidence, given, "piece of evidence")


def list_exercises(db: Database) -> list[ExerciseItem]:
    with db.reading() as session:
        return [_item(r) for r in store.exercises(session)]


def answer_exercise(
    db: Database,
    exercise_id: str,
    reviewer_id: str,
    area_key: str,
    grade: str | None,
    reason: str = "",
) -> HeadAnswer | None:
    """A head's own grade (and reason) of one area of an exercise; ``grade=None`` clears it."""
    return answer_exercise_areas(db, exercise_id, reviewer_id, {area_key: (grade, reason)}).get(
        area_key
    )


def answer_exercise_areas(
    db: Database, exercise_id: str, reviewer_id: str, answers: dict[str, tuple[str | None, str]]
) -> dict[str, HeadAnswer]:
    """A head's grades of several areas of an exercise at once (one unit of work: all of them
    or, on any bad answer, none)."""
    for _grade, reason in answers.values():
        if len(reason.strip()) > REASON_LIMIT:
            raise NexusError(
                f"A reason can be at most {REASON_LIMIT} characters; this one has {len(reason.strip())}."
            )
    out: dict[str, HeadAnswer] = {}
    with db.transaction() as session:
        row = store.exercise(session, exercise_id)
        if row is None:
            raise NotFoundError("That calibration exercise is not in this database.")
        if not store.reviewer_exists(session, reviewer_id):
            raise NotFoundError(
                "Say who you are (your reviewer record) before answering an exercise."
            )
        fw = get_framework(row.framework_key)
        for area_key, (grade, _reason) in answers.items():
            if area_key not in _keys(row.area_keys):
                raise NexusError(f"'{area_key}' is not one of the areas this exercise asks about.")
            if grade is not None and grade not in _scale(fw, area_key):
                raise NexusError(f"'{grade}' is not a grade for {fw.area_name(area_key)}.")
        for area_key, (grade, reason) in answers.items():
            reason = reason.strip()
            answer = store.find_answer(session, exercise_id, reviewer_id, area_key)
            if answer is None:
                if grade is None:
                    continue
                answer = store.add_answer(
                    session,
                    exercise_id=exercise_id,
                    reviewer_id=reviewer_id,
                    area_key=area_key,
                    grade=grade,
                    reason=reason,
                )
            elif (answer.grade, answer.reason) != (grade, reason):
                answer.grade, answer.reason = grade, reason
                session.flush()
            out[area_key] = HeadAnswer(
                reviewer_id,
                answer.reviewer.name,
                answer.grade,
                fw.grade_label(area_key, answer.grade),
                answer.reason,
            )
    return out


def exercise_results(db: Database, exercise_id: str) -> ExerciseResults:
    """Area by area: how many heads gave each grade, how far they agreed, and their reasons."""
    with db.reading() as session:
        row = store.exercise(session, exercise_id)
        if row is None:
            raise NotFoundError("That calibration exercise is not in this database.")
        item = _item(row)
        answers = [
            (a.reviewer_id, name, a.area_key, a.grade, a.reason)
            for a, name in store.answers(session, exercise_id)
        ]
    fw = get_framework(item.framework_key)
    areas = []
    for key, name in zip(item.area_keys, item.area_names, strict=True):
        scale = _scale(fw, key)
        mine = [a for a in answers if a[2] == key]
        counts = Counter(a[3] for a in mine if a[3] in scale)
        spread = tuple((fw.grade_label(key, g), counts.get(g, 0)) for g in reversed(scale))
        ratings = [
            ag.Rating(key, head, scale.index(g), len(scale))
            for _r, head, _k, g, _why in mine
            if g in scale
        ]
        heads = tuple(
            HeadAnswer(r, head, g, fw.grade_label(key, g), why) for r, head, _k, g, why in mine
        )
        areas.append(AreaResult(key, name, spread, ag.agreement(ratings), heads))
    return ExerciseResults(item, tuple(sorted({a[1] for a in answers})), tuple(areas))
