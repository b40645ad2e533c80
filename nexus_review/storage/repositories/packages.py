"""Review packages: what a package holds, what has not gone out yet, imports, aliases of
merged records and the conflicts an import leaves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from nexus_review.domain.records import (
    ImportItem,
)
from nexus_review.errors import NotFoundError
from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    ImportRecord,
    Judgement,
    Reviewer,
    School,
    SchoolPriority,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.repositories.common import chunks, id_prefix


def import_history(session: Session) -> list[ImportItem]:
    """Every package imported, newest first."""
    rows = session.scalars(select(ImportRecord).order_by(ImportRecord.imported_at.desc()))
    return [
        ImportItem(
            r.id,
            r.file_name,
            r.reviewer_name,
            r.imported_at,
            r.added,
            r.updated,
            r.unchanged,
            r.conflicts,
        )
        for r in rows
    ]


def visits_with_unexported_changes(session: Session, own_devices: list[str]) -> list[str]:
    """Visits (tombstoned ones too) holding a change made by this database (under any of its
    device ids) that no package it wrote has carried yet. Decided by version vectors against
    the export marks, never by the clock: a laptop whose clock was once ahead still exports."""
    from nexus_review.storage.models import IndependentGrade

    if not own_devices:
        return []
    marks = _export_marks(session)

    def unsent(record_id: str, clock: dict[str, Any] | None) -> bool:
        return _unsent(marks, record_id, clock, own_devices)

    changed = {
        vid for vid, clock in session.execute(select(Visit.id, Visit.vclock)) if unsent(vid, clock)
    }
    for model in (VisitReviewer, Evidence, Judgement, Action, IndependentGrade):
        changed |= {
            vid
            for rid, vid, clock in session.execute(select(model.id, model.visit_id, model.vclock))
            if unsent(rid, clock)
        }
    rows = session.execute(
        select(DropIn.id, Evidence.visit_id, DropIn.vclock).join(
            Evidence, DropIn.evidence_id == Evidence.id
        )
    )
    changed |= {vid for rid, vid, clock in rows if unsent(rid, clock)}
    return sorted(changed)


def calibration_has_unexported_changes(session: Session, own_devices: list[str]) -> bool:
    """Whether a calibration exercise or answer holds a change of this database's that no
    package has carried yet (a head who only answered an exercise still has a package to send)."""
    from nexus_review.storage.models import CalibrationAnswer, CalibrationExercise

    if not own_devices:
        return False
    marks = _export_marks(session)
    for model in (CalibrationExercise, CalibrationAnswer):
        for rid, clock in session.execute(select(model.id, model.vclock)):
            if _unsent(marks, rid, clock, own_devices):
                return True
    return False


def _export_marks(session: Session) -> dict[str, dict[str, Any]]:
    """How far each record's changes have gone out in a package (record id -> version clock)."""
    from nexus_review.storage.models import ExportMark

    return {m.record_id: m.vclock or {} for m in session.scalars(select(ExportMark))}


def _unsent(
    marks: dict[str, dict[str, Any]],
    record_id: str,
    clock: dict[str, Any] | None,
    own_devices: list[str],
) -> bool:
    """Whether a record holds a change of one of these devices that no package has carried."""
    mark = marks.get(record_id, {})
    return any(int((clock or {}).get(d, 0)) > int(mark.get(d, 0)) for d in own_devices)


def mark_exported(
    session: Session, records: Iterable[dict[str, Any]], own_devices: list[str]
) -> None:
    """Remember how far this database's own changes to these records (serialised, as a
    package holds them) have gone out."""
    from nexus_review.storage.models import ExportMark

    wanted: dict[str, dict[str, int]] = {}
    for row in records:
        clock = row.get("vclock") or {}
        own = {d: int(clock[d]) for d in own_devices if d in clock}
        if own:
            wanted[str(row["id"])] = own
    ids = list(wanted)
    for chunk in chunks(ids):
        held = {
            m.record_id: m
            for m in session.scalars(select(ExportMark).where(ExportMark.record_id.in_(chunk)))
        }
        for record_id in chunk:
            mark = held.get(record_id)
            if mark is None:
                session.add(ExportMark(record_id=record_id, vclock=wanted[record_id]))


def record_aliases(session: Session, ids: list[str]) -> dict[str, str]:
    """Which of these ids name records that merged into another here (alias -> record)."""
    from nexus_review.storage.models import RecordAlias

    out: dict[str, str] = {}
    for chunk in chunks(ids):
        out.update(
            {
                a: r
                for a, r in session.execute(
                    select(RecordAlias.alias_id, RecordAlias.record_id).where(
                        RecordAlias.alias_id.in_(chunk)
                    )
                )
            }
        )
    return out


def add_record_aliases(session: Session, table: str, aliases: dict[str, str]) -> None:

    from nexus_review.storage.models import RecordAlias

    if aliases:
        session.execute(
            insert(RecordAlias),
            [
                {"alias_id": a, "table_name": table, "record_id": r}
                for a, r in sorted(aliases.items())
            ],
        )


def package_records(session: Session, visit_ids: list[str]) -> dict[str, list[Any]]:
    """Everything a review package of these visits holds, tombstones included, parents first:
    the visits and their records, the schools and reviewers they name, those schools'
    priorities, and the review groups the visits belong to with their members."""
    from nexus_review.storage.models import (
        CalibrationAnswer,
        CalibrationExercise,
        IndependentGrade,
        ReviewGroup,
        ReviewGroupMember,
    )

    visits = list(session.scalars(select(Visit).where(Visit.id.in_(visit_ids)).order_by(Visit.id)))
    team = list(
        session.scalars(
            select(VisitReviewer)
            .where(VisitReviewer.visit_id.in_(visit_ids))
            .order_by(VisitReviewer.id)
        )
    )
    evidence = list(
        session.scalars(
            select(Evidence).where(Evidence.visit_id.in_(visit_ids)).order_by(Evidence.id)
        )
    )
    evidence_ids = [e.id for e in evidence]
    drop_ins = list(
        session.scalars(
            select(DropIn).where(DropIn.evidence_id.in_(evidence_ids)).order_by(DropIn.id)
        )
    )
    judgements = list(
        session.scalars(
            select(Judgement).where(Judgement.visit_id.in_(visit_ids)).order_by(Judgement.id)
        )
    )
    actions = list(
        session.scalars(select(Action).where(Action.visit_id.in_(visit_ids)).order_by(Action.id))
    )
    own_grades = list(
        session.scalars(
            select(IndependentGrade)
            .where(IndependentGrade.visit_id.in_(visit_ids))
            .order_by(IndependentGrade.id)
        )
    )
    # Calibration exercises and their answers are few and belong to no visit: every package
    # carries them all, so an exercise reaches every head and every answer comes back.
    exercises = list(session.scalars(select(CalibrationExercise).order_by(CalibrationExercise.id)))
    answers = list(session.scalars(select(CalibrationAnswer).order_by(CalibrationAnswer.id)))
    reviewer_ids = sorted(
        {m.reviewer_id for m in team}
        | {g.reviewer_id for g in own_grades}
        | {a.reviewer_id for a in answers}
    )
    if exercises:  # every head may answer an exercise: their reviewer records travel with it
        reviewer_ids = sorted(
            set(reviewer_ids)
            | set(session.scalars(select(Reviewer.id).where(Reviewer.deleted.is_(False))))
        )
    reviewers = list(
        session.scalars(select(Reviewer).where(Reviewer.id.in_(reviewer_ids)).order_by(Reviewer.id))
    )
    group_ids = sorted({v.review_group_id for v in visits if v.review_group_id})
    groups = list(
        session.scalars(
            select(ReviewGroup).where(ReviewGroup.id.in_(group_ids)).order_by(ReviewGroup.id)
        )
    )
    members = list(
        session.scalars(
            select(ReviewGroupMember)
            .where(ReviewGroupMember.group_id.in_(group_ids))
            .order_by(ReviewGroupMember.id)
        )
    )
    school_ids = sorted(
        {v.host_school_id for v in visits}
        | {r.home_school_id for r in reviewers if r.home_school_id}
        | {m.school_id for m in members}
    )
    from nexus_review.storage.trust import package_trust_records, schools_with_figures

    figure_schools = schools_with_figures(
        session
    )  # the network's figures travel with every package
    schools = list(
        session.scalars(
            select(School)
            .where(School.id.in_(sorted(set(school_ids) | figure_schools)))
            .order_by(School.id)
        )
    )
    priorities = list(
        session.scalars(
            select(SchoolPriority)
            .where(SchoolPriority.school_id.in_(school_ids))
            .order_by(SchoolPriority.id)
        )
    )
    return package_trust_records(session) | {
        "school": schools,
        "review_group": groups,
        "review_group_member": members,
        "reviewer": reviewers,
        "school_priority": priorities,
        "visit": visits,
        "visit_reviewer": team,
        "evidence": evidence,
        "drop_in": drop_ins,
        "judgement": judgements,
        "action": actions,
        "independent_grade": own_grades,
        "calibration_exercise": exercises,
        "calibration_answer": answers,
    }


def trust_changes_unexported(session: Session, own_devices: list[str]) -> bool:
    """Whether the trust's records (aims, figures, the delivery plan) changed here since the
    last package: a package of them alone is worth sending."""
    from nexus_review.storage.trust import unexported_trust_changes

    return unexported_trust_changes(session, own_devices)


def lead_reviewer_name(session: Session, visit_ids: list[str]) -> str:
    """Who a package is from: the reviewer who leads most of its visits."""
    names = list(
        session.scalars(
            select(Reviewer.name)
            .join(VisitReviewer, VisitReviewer.reviewer_id == Reviewer.id)
            .where(
                VisitReviewer.visit_id.in_(visit_ids),
                VisitReviewer.is_lead.is_(True),
                VisitReviewer.deleted.is_(False),
            )
        )
    )
    return max(sorted(set(names)), key=names.count) if names else ""


def conflicts(session: Session, *, open_only: bool = True) -> list[Any]:
    from nexus_review.storage.models import Conflict

    query = select(Conflict).order_by(Conflict.created_at, Conflict.id)
    if open_only:
        query = query.where(Conflict.resolved_at.is_(None))
    return list(session.scalars(query))


def may_change_conflicts(session: Session) -> bool:
    """Whether this login may read and change recorded conflicts: always on a file; on a
    network server set up with logins, a reviewer's login may only add them (a conflict holds
    both versions of a record, perhaps of another team's visit)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return True
    query = "SELECT has_table_privilege('conflict', 'SELECT') AND has_table_privilege('conflict', 'UPDATE')"
    return bool(session.execute(text(query)).scalar())


def open_conflicts_on(session: Session, record_ids: list[str]) -> list[Any]:
    """The open conflicts about these records."""
    from nexus_review.storage.models import Conflict

    out: list[Any] = []
    for chunk in chunks(record_ids):
        query = select(Conflict).where(
            Conflict.resolved_at.is_(None), Conflict.record_id.in_(chunk)
        )
        out += session.scalars(query.order_by(Conflict.created_at, Conflict.id))
    return out


def conflict_by_prefix(session: Session, given: str) -> Any:
    from nexus_review.storage.models import Conflict

    given = id_prefix(given, "conflict")
    found = list(
        session.scalars(
            select(Conflict).where(Conflict.id.startswith(given, autoescape=True)).limit(2)
        )
    )
    if not found:
        raise NotFoundError(f"There is no conflict with the id '{given}'.")
    if len(found) > 1:
        raise NotFoundError(
            f"More than one conflict has an id starting '{given}'; give more of it."
        )
    return found[0]


def describe_record(session: Session, table: str, record_id: str, data: dict[str, Any]) -> str:
    """A reader's name for a record: "Evidence (lesson observation) in the visit to X, 3 Mar 2026"."""
    visit_id = data.get("visit_id")
    if table == "drop_in":
        ev = session.get(Evidence, data.get("evidence_id"))
        visit_id = ev.visit_id if ev else None
    if table == "visit":
        visit_id = record_id
    label = {
        "visit": "The visit",
        "evidence": "Evidence",
        "drop_in": "A learning-walk classroom",
        "judgement": "A judgement",
        "action": "A next step",
        "visit_reviewer": "A review team member",
        "school": "A school",
        "reviewer": "A reviewer",
        "independent_grade": "A reviewer's own grade",
    }.get(table, table.replace("_", " ").capitalize())
    if table == "evidence" and data.get("kind"):
        label += f" ({str(data['kind']).replace('-', ' ')})"
    if table in ("school", "reviewer") and data.get("name"):
        return f"{label}: {data['name']}"
    visit = session.get(Visit, visit_id) if visit_id else None
    if visit is None:
        return label
    where = (
        f"the visit to {visit.host_school.name}, {visit.visit_date.day} {visit.visit_date:%b %Y}"
    )
    return where[0].upper() + where[1:] if table == "visit" else f"{label} in {where}"


# ---------------------------------------------------------------------------- retention
