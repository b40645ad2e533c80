"""The demo network's own grades: what each reviewer of a multi-reviewer visit gave before
the team agreed.

Realistic agreement, as peer reviewers reach it: most own grades are the grade the team
agreed, some are one grade apart, a few further; in the classrooms of a joint learning walk most
reviewers saw a look-for as the walk's notes record it. Deterministic like the rest of the
demo: ids are uuid5 names, the choices a ``random.Random`` seeded by the visit's id, and
timestamps fixed by the visit's date.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence

from nexus_review.domain.enums import LookForResult
from nexus_review.frameworks import get_framework
from nexus_review.storage.models import (
    CalibrationAnswer,
    CalibrationExercise,
    DropIn,
    Evidence,
    IndependentGrade,
    Judgement,
    Reviewer,
    School,
    SyncMixin,
    Visit,
    VisitReviewer,
)

NAMESPACE = uuid.UUID("5b0f2c1e-6a57-4a43-9e38-1d1f6a7c2b10")
DEVICE = "demo"
# How far a reviewer's own grade is from the agreed one: mostly the same, some one apart, a
# few two. The lead, who writes the agreed judgement up, is a little closer to it.
APART = ((0, 0.70), (1, 0.24), (2, 0.06))
LEAD_APART = ((0, 0.80), (1, 0.18), (2, 0.02))
# A reviewer's reason, by how far and which way their own grade is from the agreed one.
REASONS = {
    0: (
        "Seen consistently in the lessons visited.",
        "The evidence pointed the same way in every class.",
        "",
    ),
    1: (
        "Leaders' own checks show more than we saw on the day.",
        "The strongest parts outweighed the rest.",
    ),
    -1: (
        "Not yet consistent across every class.",
        "Stronger in the older year groups than lower down.",
    ),
    2: ("I weighed the pupils' books more heavily than the lessons.",),
    -2: ("What I saw in two classes did not match the rest.",),
}


def _reason(rng: random.Random, apart: int) -> str:
    return rng.choice(REASONS[max(-2, min(2, apart))])


LOOK_FOR_ORDER = [
    LookForResult.NOT_SEEN.value,
    LookForResult.PARTLY.value,
    LookForResult.SEEN.value,
]


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _offset(rng: random.Random, lead: bool) -> int:
    r = rng.random()
    for apart, share in LEAD_APART if lead else APART:
        if r < share:
            return apart * rng.choice((-1, 1)) if apart else 0
        r -= share
    return 0


def demo_own_grades(records: Sequence[SyncMixin], year_of: dict[str, str]) -> list[SyncMixin]:
    """Own grades for the demo's visits that more than one reviewer made and that have taken
    place (their judgements are agreed). Each new record's year goes into ``year_of``."""
    visits = {r.id: r for r in records if isinstance(r, Visit)}
    team: dict[str, list[VisitReviewer]] = defaultdict(list)
    for r in records:
        if isinstance(r, VisitReviewer):
            team[r.visit_id].append(r)
    walks = {r.id: r for r in records if isinstance(r, Evidence) and r.kind == "learning-walk"}
    out: list[SyncMixin] = []

    def add(visit: Visit, minute: int, **values: object) -> None:
        when = dt.datetime.combine(visit.visit_date, dt.time(15, 0), tzinfo=dt.UTC) + dt.timedelta(
            minutes=minute
        )
        key = "/".join(
            str(values.get(k) or "") for k in ("reviewer_id", "area_key", "drop_in_id", "look_for")
        )
        grade = IndependentGrade(
            id=_id("own-grade", visit.id, key),
            visit_id=visit.id,
            created_at=when,
            updated_at=when,
            device_id=DEVICE,
            revision=1,
            vclock={DEVICE: 1},
            deleted=False,
            **values,
        )
        if visit.id in year_of:
            year_of[grade.id] = year_of[visit.id]
        out.append(grade)

    for j in records:
        if not isinstance(j, Judgement) or not j.peer_grade:
            continue
        visit = visits.get(j.visit_id)
        members = sorted(team.get(j.visit_id, []), key=lambda m: m.position)
        if visit is None or len(members) < 2:
            continue
        fw = get_framework(visit.framework_key)
        scale = [g.key for g in sorted(fw.scale_for(j.area_key), key=lambda g: g.rank)]
        if j.peer_grade not in scale:
            continue
        agreed = scale.index(j.peer_grade)
        for m in members:
            rng = random.Random(f"{visit.id}/{j.area_key}/{m.reviewer_id}")
            apart = 0 if len(scale) == 2 and rng.random() < 0.95 else _offset(rng, m.is_lead)
            own = max(0, min(len(scale) - 1, agreed + apart))
            reason = _reason(rng, own - agreed) if rng.random() < 0.6 else ""
            add(
                visit,
                m.position,
                reviewer_id=m.reviewer_id,
                area_key=j.area_key,
                grade=scale[own],
                reason=reason,
                look_for="",
            )
    for d in records:
        if not isinstance(d, DropIn) or d.evidence_id not in walks:
            continue
        visit = visits.get(walks[d.evidence_id].visit_id)
        members = sorted(team.get(visit.id, []), key=lambda m: m.position) if visit else []
        # The joint learning walks (the "mini-Ofsted"): there the heads go into each classroom together.
        if visit is None or visit.kind != "learning-walk" or len(members) < 2:
            continue
        for look_for, result in sorted((d.look_for_results or {}).items()):
            if result not in LOOK_FOR_ORDER:
                continue
            for m in members:
                rng = random.Random(f"{d.id}/{look_for}/{m.reviewer_id}")
                seen = LOOK_FOR_ORDER.index(result)
                if rng.random() > 0.8:
                    seen = max(0, min(2, seen + rng.choice((-1, 1))))
                add(
                    visit,
                    30 + m.position,
                    reviewer_id=m.reviewer_id,
                    area_key="",
                    drop_in_id=d.id,
                    look_for=look_for,
                    grade=LOOK_FOR_ORDER[seen],
                    reason="",
                )
    return out


CALIBRATION_AREAS = ("curriculum-and-teaching", "achievement", "inclusion")


def demo_calibration(records: Sequence[SyncMixin], year_of: dict[str, str]) -> list[SyncMixin]:
    """One calibration exercise of the last complete year, graded by every head: a lesson
    observation from an evaluation day, its names taken out, with most heads within a grade of
    the team's own judgement of the lesson and a few further away, each with a reason."""
    from nexus_review.usecases.calibration import anonymised_evidence

    visits = {r.id: r for r in records if isinstance(r, Visit)}
    schools = {r.id: r for r in records if isinstance(r, School)}
    reviewers = {r.id: r for r in records if isinstance(r, Reviewer)}
    judgements = {
        (r.visit_id, r.area_key): r.peer_grade for r in records if isinstance(r, Judgement)
    }
    years = sorted(set(year_of.values()))
    if len(years) < 2:
        return []
    last = years[-2]
    chosen = next(
        (
            e
            for e in sorted(
                (r for r in records if isinstance(r, Evidence)),
                key=lambda e: (visits[e.visit_id].visit_date, e.position),
            )
            if e.kind == "lesson-observation"
            and e.notes
            and year_of.get(e.visit_id) == last
            and visits[e.visit_id].framework_key == "ofsted-2025"
            and judgements.get((e.visit_id, "curriculum-and-teaching"))
        ),
        None,
    )
    if chosen is None:
        return []
    visit = visits[chosen.visit_id]
    school = schools[visit.host_school_id]
    team = [
        reviewers[m.reviewer_id].name
        for m in records
        if isinstance(m, VisitReviewer) and m.visit_id == visit.id
    ]
    staff = [
        e.staff for e in records if isinstance(e, Evidence) and e.visit_id == visit.id and e.staff
    ]
    when = dt.datetime.combine(
        visit.visit_date + dt.timedelta(days=21), dt.time(16, 0), tzinfo=dt.UTC
    )
    common = {
        "created_at": when,
        "updated_at": when,
        "device_id": DEVICE,
        "revision": 1,
        "vclock": {DEVICE: 1},
        "deleted": False,
    }
    subject = f"{chosen.year_group} {chosen.subject}".strip() or "A lesson"
    exercise = CalibrationExercise(
        id=_id("calibration", last),
        title=f"{subject} lesson for the heads' meeting",
        academic_year=last,
        framework_key="ofsted-2025",
        evidence_kind=f"Lesson observation, {chosen.year_group}, {chosen.subject}"[:40],
        evidence_text=anonymised_evidence(
            chosen.notes,
            chosen.strengths,
            chosen.areas_for_development,
            staff=[*staff, school.headteacher],
            reviewers=team,
            school=school.name,
        ),
        area_keys="\n".join(CALIBRATION_AREAS),
        **common,
    )
    year_of[exercise.id] = last
    out: list[SyncMixin] = [exercise]
    fw = get_framework("ofsted-2025")
    heads = sorted((r for r in reviewers.values() if r.role == "Headteacher"), key=lambda r: r.name)
    for area in CALIBRATION_AREAS:
        scale = [g.key for g in sorted(fw.scale_for(area), key=lambda g: g.rank)]
        centre = scale.index(judgements.get((visit.id, area)) or "expected-standard")
        for head in heads:
            rng = random.Random(f"calibration/{last}/{area}/{head.id}")
            own = max(0, min(len(scale) - 1, centre + _offset(rng, lead=False)))
            answer = CalibrationAnswer(
                id=_id("calibration-answer", last, area, head.id),
                exercise_id=exercise.id,
                reviewer_id=head.id,
                area_key=area,
                grade=scale[own],
                reason=_reason(rng, own - centre) or "As the evidence shows.",
                **common,
            )
            year_of[answer.id] = last
            out.append(answer)
    return out
