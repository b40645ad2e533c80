"""Visits: the visit list, whole visits as frozen records, and finding a visit by its id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, defer, lazyload, selectinload

from nexus_review.domain.records import (
    ActionItem,
    DropInItem,
    EvidenceItem,
    FollowUpNote,
    JudgementItem,
    TeamMember,
    VisitDetail,
    VisitSummary,
)
from nexus_review.errors import NotFoundError
from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    School,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.repositories.common import chunks, id_prefix
from nexus_review.storage.repositories.people import school_item
from nexus_review.storage.visit_list import narrowed, team_names


def visit_summaries(
    session: Session,
    *,
    school_id: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kind: str | None = None,
    status: str | None = None,
    ids: Iterable[str] | None = None,
) -> list[VisitSummary]:
    """The visit list, newest first, with the review team's names (lead first).

    Read as plain columns in two queries (visits, then every team), not as ORM objects: the
    list of a network database with ten thousand visits opens in a fraction of a second.
    """
    query: Select[Any] = (
        select(
            Visit.id,
            Visit.visit_date,
            Visit.host_school_id,
            School.name,
            Visit.kind,
            Visit.status,
            Visit.framework_key,
            Visit.focus_areas,
            Visit.updated_at,
        )
        .join(School, School.id == Visit.host_school_id)
        .where(Visit.deleted.is_(False))
        .order_by(Visit.visit_date.desc(), Visit.id)
    )
    query = narrowed(query, school_id=school_id, since=since, until=until, kind=kind, status=status)
    id_list = list(ids) if ids is not None else None
    if id_list is not None:
        query = query.where(Visit.id.in_(id_list))
    rows = session.execute(query).all()
    teams = team_names(session, id_list)
    return [
        VisitSummary(
            id=r[0],
            visit_date=r[1],
            host_school_id=r[2],
            host_school_name=r[3],
            kind=r[4],
            status=r[5],
            framework_key=r[6],
            reviewers=tuple(teams.get(r[0], ())),
            focus_areas=tuple(str(f) for f in r[7] or ()),
            updated_at=r[8],
        )
        for r in rows
    ]


def visit_summary(v: Visit) -> VisitSummary:
    team = sorted((m for m in v.team if not m.deleted), key=lambda m: (not m.is_lead, m.position))
    return VisitSummary(
        id=v.id,
        visit_date=v.visit_date,
        host_school_id=v.host_school_id,
        host_school_name=v.host_school.name,
        kind=v.kind,
        status=v.status,
        framework_key=v.framework_key,
        reviewers=tuple(m.reviewer.name for m in team),
        focus_areas=tuple(str(f) for f in v.focus_areas or ()),
        updated_at=v.updated_at,
    )


def resolve_visit_id(session: Session, given: str) -> str:
    """A visit id from a whole id or a unique prefix of one, as a user types it."""
    given = id_prefix(given, "visit")
    matches = session.scalars(
        select(Visit.id)
        .where(or_(Visit.id == given, Visit.id.startswith(given, autoescape=True)))
        .limit(2)
    ).all()
    if not matches:
        raise NotFoundError(f"There is no visit with the id '{given}'.")
    if len(matches) > 1 and given not in matches:
        raise NotFoundError(f"More than one visit has an id starting '{given}'; give more of it.")
    return given if given in matches else matches[0]


def _whole_visit() -> tuple[Any, ...]:
    """Loader options that bring a visit with everything in it, in one query per table."""
    return (
        selectinload(Visit.host_school),
        selectinload(Visit.team)
        .selectinload(VisitReviewer.reviewer)
        .selectinload(Reviewer.home_school),
        selectinload(Visit.evidence).selectinload(Evidence.drop_ins),
        selectinload(Visit.judgements),
        selectinload(Visit.actions),
    )


def _whole_visit_to_read() -> tuple[Any, ...]:
    """The same, for reading only (reports, compilations): without the merge bookkeeping
    (field versions), which no report shows and which costs a JSON decode per record, and
    without the evidence, which :func:`_evidence_rows` reads as plain rows."""
    return (
        defer(Visit.field_versions),
        selectinload(Visit.host_school).defer(School.field_versions),
        selectinload(Visit.team)
        .defer(VisitReviewer.field_versions)
        .selectinload(VisitReviewer.reviewer)
        .defer(Reviewer.field_versions)
        .selectinload(Reviewer.home_school)
        .defer(School.field_versions),
        lazyload(Visit.evidence),
        selectinload(Visit.judgements).defer(Judgement.field_versions),
        selectinload(Visit.actions).defer(Action.field_versions),
    )


def load_visit(session: Session, visit_id: str) -> Visit:
    visit = session.scalars(
        select(Visit).where(Visit.id == visit_id).options(*_whole_visit())
    ).one_or_none()
    if visit is None:
        raise NotFoundError(f"There is no visit with the id '{visit_id}'.")
    return visit


def visit_detail(session: Session, visit_id: str) -> VisitDetail:
    return _detail(load_visit(session, visit_id))


def visit_details(session: Session, visit_ids: list[str]) -> list[VisitDetail]:
    """Many whole visits in a handful of queries (for compilations), oldest first."""
    out: list[VisitDetail] = []
    for chunk in chunks(visit_ids):
        visits = session.scalars(
            select(Visit).where(Visit.id.in_(chunk)).options(*_whole_visit_to_read())
        )
        evidence = _evidence_rows(session, list(chunk))
        out += [_detail(v, evidence.get(v.id, [])) for v in visits]
    return sorted(out, key=lambda v: (v.visit_date, v.host_school.name, v.id))


def _evidence_rows(
    session: Session, visit_ids: list[str]
) -> dict[str, list[tuple[Any, list[Any]]]]:
    """The visits' evidence (with its drop-ins) as plain rows, by visit, in the order the
    visit's own list keeps: a compilation reads thousands, and loading each as a tracked
    record (its lists and dictionaries watched for changes) was a third of its time."""
    evidence_columns = [c for c in Evidence.__table__.columns if c.key != "field_versions"]
    rows = session.execute(
        select(*evidence_columns)
        .where(Evidence.visit_id.in_(visit_ids))
        .order_by(Evidence.position)
    ).all()
    drop_columns = [c for c in DropIn.__table__.columns if c.key != "field_versions"]
    drops: dict[str, list[Any]] = {}
    for start in range(0, len(rows), 500):
        ids = [r.id for r in rows[start : start + 500]]
        for d in session.execute(
            select(*drop_columns).where(DropIn.evidence_id.in_(ids)).order_by(DropIn.position)
        ):
            drops.setdefault(d.evidence_id, []).append(d)
    by_visit: dict[str, list[tuple[Any, list[Any]]]] = {}
    for r in rows:
        by_visit.setdefault(r.visit_id, []).append((r, drops.get(r.id, [])))
    return by_visit


def _detail(v: Visit, evidence: list[tuple[Any, list[Any]]] | None = None) -> VisitDetail:
    """A visit whole; ``evidence``, when given, is its evidence as rows with their drop-ins."""
    pieces = [(e, e.drop_ins) for e in v.evidence] if evidence is None else evidence
    team = sorted((m for m in v.team if not m.deleted), key=lambda m: m.position)
    return VisitDetail(
        id=v.id,
        visit_date=v.visit_date,
        host_school=school_item(v.host_school),
        kind=v.kind,
        status=v.status,
        framework_key=v.framework_key,
        focus_areas=tuple(str(f) for f in v.focus_areas or ()),
        summary=v.summary,
        strengths=v.strengths,
        areas_for_development=v.areas_for_development,
        questions=v.questions,
        team=tuple(
            TeamMember(
                reviewer_id=m.reviewer_id,
                name=m.reviewer.name,
                role=m.reviewer.role,
                home_school_name=m.reviewer.home_school.name if m.reviewer.home_school else "",
                is_lead=m.is_lead,
            )
            for m in team
        ),
        evidence=tuple(evidence_item(e, drops) for e, drops in pieces if not e.deleted),
        judgements=tuple(
            judgement_item(j)
            for j in sorted(
                (j for j in v.judgements if not j.deleted),
                key=lambda j: (_area_order(v.framework_key, j.area_key), j.updated_at, j.id),
            )
        ),
        actions=tuple(action_item(a) for a in v.actions if not a.deleted),
        updated_at=v.updated_at,
        revision=v.revision,
        staff_named=tuple(
            e.staff
            for e in sorted(
                (e for e, _drops in pieces), key=lambda e: (e.deleted, e.position, e.id)
            )
            if e.staff and e.staff.strip()
        ),
    )


def _area_order(framework_key: str, area_key: str) -> int:
    """Judgements in the framework's own order (safeguarding last), unknown areas after."""
    from nexus_review.errors import FrameworkError
    from nexus_review.frameworks import get_framework

    try:
        keys = [a.key for a in get_framework(framework_key).judged_areas()]
    except FrameworkError:
        return 0
    return keys.index(area_key) if area_key in keys else len(keys)


def evidence_item(e: Evidence, drop_ins: Iterable[Any] | None = None) -> EvidenceItem:
    """One piece of evidence, from its record or from its row and its drop-ins' rows."""
    return EvidenceItem(
        id=e.id,
        kind=e.kind,
        position=e.position,
        time_in=e.time_in,
        time_out=e.time_out,
        class_name=e.class_name,
        year_group=e.year_group,
        subject=e.subject,
        staff=e.staff,
        who_what=e.who_what,
        participants=e.participants,
        notes=e.notes,
        strengths=e.strengths,
        areas_for_development=e.areas_for_development,
        focus_links=tuple(str(f) for f in e.focus_links or ()),
        grades={str(k): str(v) for k, v in (e.grades or {}).items()},
        look_fors=tuple(str(x) for x in e.look_fors or ()),
        drop_ins=tuple(
            DropInItem(
                id=d.id,
                position=d.position,
                class_name=d.class_name,
                year_group=d.year_group,
                time=d.time,
                look_for_results={str(k): str(v) for k, v in (d.look_for_results or {}).items()},
                note=d.note,
            )
            for d in (e.drop_ins if drop_ins is None else drop_ins)
            if not d.deleted
        ),
    )


def judgement_item(j: Judgement) -> JudgementItem:
    return JudgementItem(
        id=j.id,
        area_key=j.area_key,
        peer_grade=j.peer_grade,
        self_grade=j.self_grade,
        rationale=j.rationale,
        evidence_ids=tuple(str(x) for x in j.evidence_ids or ()),
    )


def action_item(a: Action) -> ActionItem:
    notes = []
    for entry in a.follow_up or ():
        if isinstance(entry, dict):
            raw_date = entry.get("date")
            try:
                when = dt.date.fromisoformat(raw_date) if raw_date else None
            except (TypeError, ValueError):
                when = None
            notes.append(FollowUpNote(when, str(entry.get("note", ""))))
    return ActionItem(
        id=a.id,
        position=a.position,
        description=a.description,
        owner=a.owner,
        due_date=a.due_date,
        status=a.status,
        follow_up=tuple(notes),
    )


def all_visit_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Visit.id).order_by(Visit.visit_date, Visit.id)))


def update_action(
    session: Session, action_id: str, *, status: str | None, note: str, when: dt.date
) -> None:
    action = session.get(Action, action_id)
    if action is None or action.deleted:
        raise NotFoundError("That next step is no longer in the database.")
    if status is not None:
        action.status = status
    if note:
        action.follow_up = [*(action.follow_up or []), {"date": when.isoformat(), "note": note}]
