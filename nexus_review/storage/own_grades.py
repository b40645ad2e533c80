"""Reading and writing reviewers' own grades (independent grades) and what the agreement
figures compare them with. Functions take a session and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus_review.errors import NotFoundError
from nexus_review.storage.models import (
    CalibrationAnswer,
    CalibrationExercise,
    DropIn,
    Evidence,
    IndependentGrade,
    Judgement,
    Reviewer,
    School,
    Visit,
    VisitReviewer,
)


@dataclass(frozen=True)
class OwnGradeRow:
    id: str
    visit_id: str
    reviewer_id: str
    reviewer_name: str
    area_key: str
    drop_in_id: str | None
    look_for: str
    grade: str | None
    reason: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class VisitFacts:
    """What the agreement figures need of a visit."""

    id: str
    visit_date: dt.date
    framework_key: str
    host_school_id: str
    host_school_name: str
    focus_areas: tuple[str, ...]
    team: tuple[tuple[str, str, bool], ...]  # (reviewer id, name, is lead)


def own_grade_rows(session: Session, visit_ids: list[str]) -> list[OwnGradeRow]:
    """Every live own grade of these visits, by visit, area and reviewer's name."""
    out: list[OwnGradeRow] = []
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        query = (
            select(IndependentGrade, Reviewer.name)
            .join(Reviewer, Reviewer.id == IndependentGrade.reviewer_id)
            .where(IndependentGrade.visit_id.in_(chunk), IndependentGrade.deleted.is_(False))
        )
        for g, name in session.execute(query):
            out.append(
                OwnGradeRow(
                    g.id,
                    g.visit_id,
                    g.reviewer_id,
                    name,
                    g.area_key,
                    g.drop_in_id,
                    g.look_for,
                    g.grade,
                    g.reason,
                    g.updated_at,
                )
            )
    return sorted(
        out,
        key=lambda r: (
            r.visit_id,
            r.drop_in_id or "",
            r.look_for,
            r.area_key,
            r.reviewer_name,
            r.id,
        ),
    )


def visit_own_grade_records(session: Session, visit_id: str) -> list[IndependentGrade]:
    """Every own grade of one visit, tombstones included (so that clearing travels), in a
    steady order: by classroom, look-for, area, reviewer and id."""
    query = select(IndependentGrade).where(IndependentGrade.visit_id == visit_id)
    rows = list(session.scalars(query))
    return sorted(
        rows, key=lambda g: (g.drop_in_id or "", g.look_for, g.area_key, g.reviewer_id, g.id)
    )


def find_own_grade(
    session: Session,
    visit_id: str,
    reviewer_id: str,
    area_key: str,
    drop_in_id: str | None,
    look_for: str,
) -> IndependentGrade | None:
    query = (
        select(IndependentGrade)
        .where(
            IndependentGrade.visit_id == visit_id,
            IndependentGrade.reviewer_id == reviewer_id,
            IndependentGrade.area_key == area_key,
            IndependentGrade.look_for == look_for,
            IndependentGrade.deleted.is_(False),
            IndependentGrade.drop_in_id.is_(None)
            if drop_in_id is None
            else IndependentGrade.drop_in_id == drop_in_id,
        )
        .order_by(IndependentGrade.id)
    )
    return session.scalars(query).first()


def add_own_grade(session: Session, **values: object) -> IndependentGrade:
    grade = IndependentGrade(**values)
    session.add(grade)
    session.flush()
    return grade


def visit_facts(session: Session, visit_ids: list[str]) -> list[VisitFacts]:
    out: list[VisitFacts] = []
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        team: dict[str, list[tuple[str, str, bool, int]]] = {}
        members = session.execute(
            select(
                VisitReviewer.visit_id,
                Reviewer.id,
                Reviewer.name,
                VisitReviewer.is_lead,
                VisitReviewer.position,
            )
            .join(Reviewer, Reviewer.id == VisitReviewer.reviewer_id)
            .where(VisitReviewer.visit_id.in_(chunk), VisitReviewer.deleted.is_(False))
        )
        for visit_id, rid, name, lead, position in members:
            team.setdefault(visit_id, []).append((rid, name, bool(lead), position or 0))
        rows = session.execute(
            select(
                Visit.id,
                Visit.visit_date,
                Visit.framework_key,
                Visit.host_school_id,
                School.name,
                Visit.focus_areas,
            )
            .join(School, School.id == Visit.host_school_id)
            .where(Visit.id.in_(chunk), Visit.deleted.is_(False))
        )
        for vid, day, fw, school_id, school, focus in rows:
            members_of = sorted(team.get(vid, []), key=lambda m: (not m[2], m[3], m[1]))
            out.append(
                VisitFacts(
                    vid,
                    day,
                    fw,
                    school_id,
                    school,
                    tuple(str(f) for f in focus or ()),
                    tuple((m[0], m[1], m[2]) for m in members_of),
                )
            )
    return sorted(out, key=lambda v: (v.visit_date, v.host_school_name, v.id))


def agreed_grades(
    session: Session, visit_ids: list[str]
) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(visit, area) -> (the team's agreed grade, the school's own) of live judgements."""
    out: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        query = (
            select(
                Judgement.visit_id, Judgement.area_key, Judgement.peer_grade, Judgement.self_grade
            )
            .where(Judgement.visit_id.in_(chunk), Judgement.deleted.is_(False))
            .order_by(Judgement.id)
        )
        for vid, area, peer, own in session.execute(query):
            out.setdefault((vid, area), (peer, own))
    return out


def drop_in_visit(session: Session, drop_in_id: str) -> tuple[str, list[str]] | None:
    """The visit a learning-walk classroom belongs to and the walk's look-fors."""
    row = session.execute(
        select(Evidence.visit_id, Evidence.look_fors)
        .join(DropIn, DropIn.evidence_id == Evidence.id)
        .where(DropIn.id == drop_in_id, DropIn.deleted.is_(False), Evidence.deleted.is_(False))
    ).first()
    if row is None:
        return None
    return row[0], [str(x) for x in row[1] or ()]


# ---------------------------------------------------------------------------- calibration


def exercises(session: Session) -> list[CalibrationExercise]:
    query = select(CalibrationExercise).where(CalibrationExercise.deleted.is_(False))
    return list(
        session.scalars(
            query.order_by(
                CalibrationExercise.academic_year.desc(),
                CalibrationExercise.title,
                CalibrationExercise.id,
            )
        )
    )


def exercise(session: Session, exercise_id: str) -> CalibrationExercise | None:
    found = session.get(CalibrationExercise, exercise_id)
    return None if found is None or found.deleted else found


def add_exercise(session: Session, **values: object) -> CalibrationExercise:
    row = CalibrationExercise(**values)
    session.add(row)
    session.flush()
    return row


def answers(session: Session, exercise_id: str) -> list[tuple[CalibrationAnswer, str]]:
    """Live answers of an exercise with each head's name."""
    query = (
        select(CalibrationAnswer, Reviewer.name)
        .join(Reviewer, Reviewer.id == CalibrationAnswer.reviewer_id)
        .where(CalibrationAnswer.exercise_id == exercise_id, CalibrationAnswer.deleted.is_(False))
        .order_by(Reviewer.name, CalibrationAnswer.area_key, CalibrationAnswer.id)
    )
    return [(a, name) for a, name in session.execute(query)]


def find_answer(
    session: Session, exercise_id: str, reviewer_id: str, area_key: str
) -> CalibrationAnswer | None:
    query = select(CalibrationAnswer).where(
        CalibrationAnswer.exercise_id == exercise_id,
        CalibrationAnswer.reviewer_id == reviewer_id,
        CalibrationAnswer.area_key == area_key,
        CalibrationAnswer.deleted.is_(False),
    )
    return session.scalars(query.order_by(CalibrationAnswer.id)).first()


def add_answer(session: Session, **values: object) -> CalibrationAnswer:
    row = CalibrationAnswer(**values)
    session.add(row)
    session.flush()
    return row


def reviewer_exists(session: Session, reviewer_id: str) -> bool:
    found = session.get(Reviewer, reviewer_id)
    return found is not None and not found.deleted


def exercises_of_years(session: Session, years: list[str]) -> list[tuple[str, str, str]]:
    """(id, academic year, title) of every exercise of these years, tombstoned ones included."""
    if not years:
        return []
    query = (
        select(CalibrationExercise.id, CalibrationExercise.academic_year, CalibrationExercise.title)
        .where(CalibrationExercise.academic_year.in_(years))
        .order_by(
            CalibrationExercise.academic_year, CalibrationExercise.title, CalibrationExercise.id
        )
    )
    return [(r[0], r[1], r[2]) for r in session.execute(query)]


def exercise_years(session: Session) -> list[str]:
    """Every academic year an exercise is held for, tombstoned ones included."""
    query = select(CalibrationExercise.academic_year).distinct()
    return sorted(str(y) for y in session.scalars(query))


def purge_exercises(session: Session, exercise_ids: list[str]) -> int:
    """Remove calibration exercises and every head's answers for good (retention, not
    everyday deleting), tombstones included; gives how many records went."""
    from sqlalchemy import delete

    removed = 0
    for start in range(0, len(exercise_ids), 500):
        chunk = exercise_ids[start : start + 500]
        for query in (
            delete(CalibrationAnswer).where(CalibrationAnswer.exercise_id.in_(chunk)),
            delete(CalibrationExercise).where(CalibrationExercise.id.in_(chunk)),
        ):
            removed += int(getattr(session.execute(query), "rowcount", 0) or 0)
    return removed


def resolve_id(
    session: Session, model: type[Evidence] | type[CalibrationExercise], given: str, what: str
) -> str:
    """The id of a live record from its whole id or a unique start of one, as a user types it."""
    from nexus_review.storage.repository import id_prefix

    given = id_prefix(given, what)
    matches = session.scalars(
        select(model.id)
        .where(model.deleted.is_(False), model.id.startswith(given, autoescape=True))
        .order_by(model.id)
        .limit(2)
    ).all()
    if given in matches:
        return given
    if not matches:
        raise NotFoundError(f"There is no {what} with the id '{given}'.")
    if len(matches) > 1:
        raise NotFoundError(f"More than one {what} has an id starting '{given}'; give more of it.")
    return str(matches[0])


def evidence_for_exercise(session: Session, evidence_id: str) -> tuple[Evidence, Visit] | None:
    ev = session.get(Evidence, evidence_id)
    if ev is None or ev.deleted:
        return None
    visit = session.get(Visit, ev.visit_id)
    return None if visit is None else (ev, visit)
