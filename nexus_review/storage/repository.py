"""Queries over the network's records. Functions take a Session and never commit.

They return the frozen records of :mod:`nexus_review.domain.records`, so callers (screens,
reports, the command line) never hold ORM objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.orm import Session, defer, selectinload

from nexus_review.domain.network import PriorityMatrix
from nexus_review.domain.records import (
    ActionItem,
    DropInItem,
    EvidenceItem,
    FollowUpNote,
    ImportItem,
    JudgementItem,
    ReviewerItem,
    SchoolItem,
    TeamMember,
    VisitDetail,
    VisitSummary,
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


def school_item(school: School) -> SchoolItem:
    return SchoolItem(
        id=school.id,
        name=school.name,
        urn=school.urn,
        phase=school.phase,
        local_authority=school.local_authority,
        headteacher=school.headteacher,
    )


def list_schools(session: Session) -> list[SchoolItem]:
    rows = session.scalars(select(School).where(School.deleted.is_(False)).order_by(School.name))
    return [school_item(s) for s in rows]


def list_reviewers(session: Session) -> list[ReviewerItem]:
    rows = session.scalars(
        select(Reviewer)
        .where(Reviewer.deleted.is_(False))
        .options(selectinload(Reviewer.home_school))
        .order_by(Reviewer.name)
    )
    return [
        ReviewerItem(
            id=r.id,
            name=r.name,
            role=r.role,
            home_school_id=r.home_school_id,
            home_school_name=r.home_school.name if r.home_school else "",
        )
        for r in rows
    ]


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
            Visit.id, Visit.visit_date, Visit.host_school_id, School.name, Visit.kind, Visit.status,
            Visit.framework_key, Visit.focus_areas, Visit.updated_at,
        )
        .join(School, School.id == Visit.host_school_id)
        .where(Visit.deleted.is_(False))
        .order_by(Visit.visit_date.desc(), Visit.id)
    )
    if school_id:
        query = query.where(Visit.host_school_id == school_id)
    if since:
        query = query.where(Visit.visit_date >= since)
    if until:
        query = query.where(Visit.visit_date <= until)
    if kind:
        query = query.where(Visit.kind == kind)
    if status:
        query = query.where(Visit.status == status)
    id_list = list(ids) if ids is not None else None
    if id_list is not None:
        query = query.where(Visit.id.in_(id_list))
    rows = session.execute(query).all()
    team_query = (
        select(VisitReviewer.visit_id, Reviewer.name)
        .join(Reviewer, Reviewer.id == VisitReviewer.reviewer_id)
        .where(VisitReviewer.deleted.is_(False))
        .order_by(VisitReviewer.visit_id, VisitReviewer.is_lead.desc(), VisitReviewer.position)
    )
    if id_list is not None:
        team_query = team_query.where(VisitReviewer.visit_id.in_(id_list))
    teams: dict[str, list[str]] = {}
    for visit_id, name in session.execute(team_query):
        teams.setdefault(visit_id, []).append(name)
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


_ID_PREFIX = re.compile(r"[0-9a-f-]{1,36}")


def id_prefix(given: str, what: str) -> str:
    """An id or the start of one as a user types it (spaces around it and capitals allowed),
    checked to be hex digits and dashes only, so that it can never act as a LIKE pattern."""
    given = given.strip(" ").lower()
    if not _ID_PREFIX.fullmatch(given):
        shown = given[:40].encode("unicode_escape").decode("ascii")
        raise NotFoundError(f"There is no {what} with the id '{shown}'; an id has only the digits 0-9, the letters a-f and dashes.")
    if len(given) < 4:
        raise NotFoundError(f"'{given}' is too short to name a {what}; give at least 4 characters of its id.")
    return given


def resolve_visit_id(session: Session, given: str) -> str:
    """A visit id from a whole id or a unique prefix of one, as a user types it."""
    given = id_prefix(given, "visit")
    matches = session.scalars(
        select(Visit.id).where(or_(Visit.id == given, Visit.id.startswith(given, autoescape=True))).limit(2)
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
        selectinload(Visit.team).selectinload(VisitReviewer.reviewer).selectinload(Reviewer.home_school),
        selectinload(Visit.evidence).selectinload(Evidence.drop_ins),
        selectinload(Visit.judgements),
        selectinload(Visit.actions),
    )


def _whole_visit_to_read() -> tuple[Any, ...]:
    """The same, for reading only (reports, compilations): without the merge bookkeeping
    (field versions), which no report shows and which costs a JSON decode per record."""
    return (
        defer(Visit.field_versions),
        selectinload(Visit.host_school).defer(School.field_versions),
        selectinload(Visit.team).defer(VisitReviewer.field_versions)
        .selectinload(VisitReviewer.reviewer).defer(Reviewer.field_versions)
        .selectinload(Reviewer.home_school).defer(School.field_versions),
        selectinload(Visit.evidence).defer(Evidence.field_versions).selectinload(Evidence.drop_ins).defer(DropIn.field_versions),
        selectinload(Visit.judgements).defer(Judgement.field_versions),
        selectinload(Visit.actions).defer(Action.field_versions),
    )


def load_visit(session: Session, visit_id: str) -> Visit:
    visit = session.scalars(
        select(Visit)
        .where(Visit.id == visit_id)
        .options(*_whole_visit())
    ).one_or_none()
    if visit is None:
        raise NotFoundError(f"There is no visit with the id '{visit_id}'.")
    return visit


def visit_detail(session: Session, visit_id: str) -> VisitDetail:
    return _detail(load_visit(session, visit_id))


def visit_details(session: Session, visit_ids: list[str]) -> list[VisitDetail]:
    """Many whole visits in a handful of queries (for compilations), oldest first."""
    out: list[VisitDetail] = []
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        visits = session.scalars(
            select(Visit)
            .where(Visit.id.in_(chunk))
            .options(*_whole_visit_to_read())
        )
        out += [_detail(v) for v in visits]
    return sorted(out, key=lambda v: (v.visit_date, v.host_school.name, v.id))


def _detail(v: Visit) -> VisitDetail:
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
        evidence=tuple(evidence_item(e) for e in v.evidence if not e.deleted),
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
            for e in sorted(v.evidence, key=lambda e: (e.deleted, e.position, e.id))
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


def evidence_item(e: Evidence) -> EvidenceItem:
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
            for d in e.drop_ins
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


def count_active(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False))) or 0)


def reviewer_named(session: Session, name: str) -> Reviewer | None:
    return session.scalars(
        select(Reviewer).where(Reviewer.name == name, Reviewer.deleted.is_(False)).limit(1)
    ).first()


def school_named(session: Session, name: str) -> School | None:
    return session.scalars(
        select(School).where(School.name == name, School.deleted.is_(False)).limit(1)
    ).first()


def school_priorities(session: Session, school_id: str, academic_year: str | None = None) -> list[str]:
    query = select(SchoolPriority.theme).where(
        SchoolPriority.school_id == school_id, SchoolPriority.deleted.is_(False)
    )
    if academic_year:
        query = query.where(SchoolPriority.academic_year == academic_year)
    return list(dict.fromkeys(session.scalars(query.order_by(SchoolPriority.theme))))


def search_visit_ids(session: Session, text: str) -> set[str]:
    """Visits with the text anywhere in their notes: the visit's own writing, its evidence,
    drop-ins, judgements and next steps (case-insensitive).

    Answered from the note search index where the database has one (see
    :mod:`nexus_review.storage.search`), else by reading the notes."""
    from nexus_review.storage import search

    text = text.strip()
    if not text:
        return set()
    if search.answerable(text) and search.has_index(session):
        return search.indexed_visit_ids(session, text)
    return scan_visit_ids(session, text)


def scan_visit_ids(session: Session, text: str) -> set[str]:
    """The search by reading every note (``LIKE``): for short searches and for databases
    without the index."""
    text = text.strip()
    if not text:
        return set()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"

    def like(col: Any) -> Any:
        return col.ilike(pattern, escape="\\")

    found: set[str] = set()
    found |= set(
        session.scalars(
            select(Visit.id).where(
                Visit.deleted.is_(False),
                or_(like(Visit.summary), like(Visit.strengths), like(Visit.areas_for_development),
                    like(Visit.questions)),
            )
        )
    )
    found |= set(
        session.scalars(
            select(Evidence.visit_id).where(
                Evidence.deleted.is_(False),
                or_(like(Evidence.notes), like(Evidence.strengths), like(Evidence.areas_for_development),
                    like(Evidence.who_what), like(Evidence.subject), like(Evidence.class_name),
                    like(Evidence.staff)),
            )
        )
    )
    found |= set(
        session.scalars(
            select(Evidence.visit_id)
            .join(DropIn, DropIn.evidence_id == Evidence.id)
            .where(DropIn.deleted.is_(False), like(DropIn.note))
        )
    )
    found |= set(
        session.scalars(select(Judgement.visit_id).where(Judgement.deleted.is_(False), like(Judgement.rationale)))
    )
    found |= set(
        session.scalars(
            select(Action.visit_id).where(
                Action.deleted.is_(False), or_(like(Action.description), like(Action.owner))
            )
        )
    )
    return found


def priority_years(session: Session) -> list[str]:
    years = session.scalars(
        select(SchoolPriority.academic_year).where(SchoolPriority.deleted.is_(False)).distinct()
    )
    return sorted(set(years), reverse=True)


def priority_matrix(session: Session, year: str) -> PriorityMatrix:
    schools = session.execute(
        select(School.id, School.name).where(School.deleted.is_(False)).order_by(School.name)
    ).all()
    rows = session.execute(
        select(SchoolPriority.school_id, SchoolPriority.theme).where(
            SchoolPriority.academic_year == year, SchoolPriority.deleted.is_(False)
        )
    ).all()
    cells = frozenset((r.school_id, r.theme) for r in rows)
    counts: dict[str, int] = {}
    for _school, theme in cells:
        counts[theme] = counts.get(theme, 0) + 1
    themes = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
    return PriorityMatrix(year, tuple((s.id, s.name) for s in schools), themes, cells)


def import_history(session: Session) -> list[ImportItem]:
    """Every package imported, newest first."""
    rows = session.scalars(select(ImportRecord).order_by(ImportRecord.imported_at.desc()))
    return [
        ImportItem(r.id, r.file_name, r.reviewer_name, r.imported_at, r.added, r.updated, r.unchanged, r.conflicts)
        for r in rows
    ]


# ---------------------------------------------------------------------------- review packages


def all_visit_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Visit.id).order_by(Visit.visit_date, Visit.id)))


def visits_with_unexported_changes(session: Session, own_devices: list[str]) -> list[str]:
    """Visits (tombstoned ones too) holding a change made by this database (under any of its
    device ids) that no package it wrote has carried yet. Decided by version vectors against
    the export marks, never by the clock: a laptop whose clock was once ahead still exports."""
    from nexus_review.storage.models import ExportMark, IndependentGrade

    if not own_devices:
        return []
    marks = {m.record_id: m.vclock or {} for m in session.scalars(select(ExportMark))}

    def unsent(record_id: str, clock: dict[str, Any] | None) -> bool:
        mark = marks.get(record_id, {})
        return any(int((clock or {}).get(d, 0)) > int(mark.get(d, 0)) for d in own_devices)

    changed = {vid for vid, clock in session.execute(select(Visit.id, Visit.vclock)) if unsent(vid, clock)}
    for model in (VisitReviewer, Evidence, Judgement, Action, IndependentGrade):
        changed |= {vid for rid, vid, clock in session.execute(select(model.id, model.visit_id, model.vclock)) if unsent(rid, clock)}
    rows = session.execute(select(DropIn.id, Evidence.visit_id, DropIn.vclock).join(Evidence, DropIn.evidence_id == Evidence.id))
    changed |= {vid for rid, vid, clock in rows if unsent(rid, clock)}
    return sorted(changed)


def calibration_has_unexported_changes(session: Session, own_devices: list[str]) -> bool:
    """Whether a calibration exercise or answer holds a change of this database's that no
    package has carried yet (a head who only answered an exercise still has a package to send)."""
    from nexus_review.storage.models import CalibrationAnswer, CalibrationExercise, ExportMark

    if not own_devices:
        return False
    marks = {m.record_id: m.vclock or {} for m in session.scalars(select(ExportMark))}
    for model in (CalibrationExercise, CalibrationAnswer):
        for rid, clock in session.execute(select(model.id, model.vclock)):
            mark = marks.get(rid, {})
            if any(int((clock or {}).get(d, 0)) > int(mark.get(d, 0)) for d in own_devices):
                return True
    return False


def mark_exported(session: Session, records: Iterable[dict[str, Any]], own_devices: list[str]) -> None:
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
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        held = {m.record_id: m for m in session.scalars(select(ExportMark).where(ExportMark.record_id.in_(chunk)))}
        for record_id in chunk:
            mark = held.get(record_id)
            if mark is None:
                session.add(ExportMark(record_id=record_id, vclock=wanted[record_id]))
            else:
                mark.vclock = {**(mark.vclock or {}), **wanted[record_id]}


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """New records of one table in one statement, written exactly as given."""
    session.execute(insert(model), rows)


def update_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Records of one table updated by primary key in one statement, exactly as given."""
    session.execute(update(model), rows)


def record_aliases(session: Session, ids: list[str]) -> dict[str, str]:
    """Which of these ids name records that merged into another here (alias -> record)."""
    from nexus_review.storage.models import RecordAlias

    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out.update({a: r for a, r in session.execute(select(RecordAlias.alias_id, RecordAlias.record_id).where(RecordAlias.alias_id.in_(chunk)))})
    return out


def add_record_aliases(session: Session, table: str, aliases: dict[str, str]) -> None:
    from sqlalchemy import insert

    from nexus_review.storage.models import RecordAlias

    if aliases:
        session.execute(insert(RecordAlias), [{"alias_id": a, "table_name": table, "record_id": r} for a, r in sorted(aliases.items())])


def live_by_natural_key(session: Session, model: Any, columns: tuple[str, ...], first_values: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Live records by natural key, for keys whose first column is one of ``first_values``
    (as serialised dicts), the oldest id first when a database already holds two."""
    from nexus_review.storage.serialize import dump_value

    table = model.__table__
    keys = [c.key for c in table.columns]
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    values = sorted(set(first_values))
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        query = select(*table.columns).where(table.c[columns[0]].in_(chunk), table.c.deleted.is_(False)).order_by(table.c.id)
        for row in session.execute(query):
            data = {k: dump_value(v) for k, v in zip(keys, row, strict=True)}
            out.setdefault(tuple(data[c] for c in columns), data)
    return out


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
    team = list(session.scalars(select(VisitReviewer).where(VisitReviewer.visit_id.in_(visit_ids)).order_by(VisitReviewer.id)))
    evidence = list(session.scalars(select(Evidence).where(Evidence.visit_id.in_(visit_ids)).order_by(Evidence.id)))
    evidence_ids = [e.id for e in evidence]
    drop_ins = list(session.scalars(select(DropIn).where(DropIn.evidence_id.in_(evidence_ids)).order_by(DropIn.id)))
    judgements = list(session.scalars(select(Judgement).where(Judgement.visit_id.in_(visit_ids)).order_by(Judgement.id)))
    actions = list(session.scalars(select(Action).where(Action.visit_id.in_(visit_ids)).order_by(Action.id)))
    own_grades = list(session.scalars(select(IndependentGrade).where(IndependentGrade.visit_id.in_(visit_ids)).order_by(IndependentGrade.id)))
    # Calibration exercises and their answers are few and belong to no visit: every package
    # carries them all, so an exercise reaches every head and every answer comes back.
    exercises = list(session.scalars(select(CalibrationExercise).order_by(CalibrationExercise.id)))
    answers = list(session.scalars(select(CalibrationAnswer).order_by(CalibrationAnswer.id)))
    reviewer_ids = sorted({m.reviewer_id for m in team} | {g.reviewer_id for g in own_grades} | {a.reviewer_id for a in answers})
    if exercises:  # every head may answer an exercise: their reviewer records travel with it
        reviewer_ids = sorted(set(reviewer_ids) | set(session.scalars(select(Reviewer.id).where(Reviewer.deleted.is_(False)))))
    reviewers = list(session.scalars(select(Reviewer).where(Reviewer.id.in_(reviewer_ids)).order_by(Reviewer.id)))
    group_ids = sorted({v.review_group_id for v in visits if v.review_group_id})
    groups = list(session.scalars(select(ReviewGroup).where(ReviewGroup.id.in_(group_ids)).order_by(ReviewGroup.id)))
    members = list(session.scalars(select(ReviewGroupMember).where(ReviewGroupMember.group_id.in_(group_ids)).order_by(ReviewGroupMember.id)))
    school_ids = sorted(
        {v.host_school_id for v in visits}
        | {r.home_school_id for r in reviewers if r.home_school_id}
        | {m.school_id for m in members}
    )
    from nexus_review.storage.trust import package_trust_records, schools_with_figures

    figure_schools = schools_with_figures(session)  # the network's figures travel with every package
    schools = list(session.scalars(select(School).where(School.id.in_(sorted(set(school_ids) | figure_schools))).order_by(School.id)))
    priorities = list(session.scalars(select(SchoolPriority).where(SchoolPriority.school_id.in_(school_ids)).order_by(SchoolPriority.id)))
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
            .where(VisitReviewer.visit_id.in_(visit_ids), VisitReviewer.is_lead.is_(True), VisitReviewer.deleted.is_(False))
        )
    )
    return max(sorted(set(names)), key=names.count) if names else ""


def rows_by_id(session: Session, model: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Records as serialised dicts (as :func:`serialize.to_dict` gives them), read as plain
    rows: much quicker than loading ORM objects when a merge compares thousands of records."""
    from nexus_review.storage.serialize import dump_value

    table = model.__table__
    keys = [c.key for c in table.columns]
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.execute(select(*table.columns).where(table.c.id.in_(chunk))):
            out[row[0] if keys[0] == "id" else row._mapping["id"]] = {k: dump_value(v) for k, v in zip(keys, row, strict=True)}
    return out


def records_by_id(session: Session, model: Any, ids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for start in range(0, len(ids), 500):  # within SQLite's limit on bound values
        chunk = ids[start : start + 500]
        out.update({obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(chunk)))})
    return out


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
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        query = select(Conflict).where(Conflict.resolved_at.is_(None), Conflict.record_id.in_(chunk))
        out += session.scalars(query.order_by(Conflict.created_at, Conflict.id))
    return out


def conflict_by_prefix(session: Session, given: str) -> Any:
    from nexus_review.storage.models import Conflict

    given = id_prefix(given, "conflict")
    found = list(session.scalars(select(Conflict).where(Conflict.id.startswith(given, autoescape=True)).limit(2)))
    if not found:
        raise NotFoundError(f"There is no conflict with the id '{given}'.")
    if len(found) > 1:
        raise NotFoundError(f"More than one conflict has an id starting '{given}'; give more of it.")
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
        "visit": "The visit", "evidence": "Evidence", "drop_in": "A learning-walk classroom", "judgement": "A judgement",
        "action": "A next step", "visit_reviewer": "A review team member", "school": "A school", "reviewer": "A reviewer",
        "independent_grade": "A reviewer's own grade",
    }.get(table, table.replace("_", " ").capitalize())
    if table == "evidence" and data.get("kind"):
        label += f" ({str(data['kind']).replace('-', ' ')})"
    if table in ("school", "reviewer") and data.get("name"):
        return f"{label}: {data['name']}"
    visit = session.get(Visit, visit_id) if visit_id else None
    if visit is None:
        return label
    where = f"the visit to {visit.host_school.name}, {visit.visit_date.day} {visit.visit_date:%b %Y}"
    return where[0].upper() + where[1:] if table == "visit" else f"{label} in {where}"


# ---------------------------------------------------------------------------- retention


def visits_before(session: Session, cutoff: dt.date) -> list[tuple[str, dt.date, str]]:
    """(id, date, host school) of every visit before a date, tombstoned ones included."""
    rows = session.execute(
        select(Visit.id, Visit.visit_date, School.name)
        .join(School, School.id == Visit.host_school_id)
        .where(Visit.visit_date < cutoff)
        .order_by(Visit.visit_date)
    )
    return [(r[0], r[1], r[2]) for r in rows]


def purge_visits(session: Session, visit_ids: list[str]) -> int:
    """Remove visits and everything in them for good (retention, not everyday deleting),
    tombstones included; gives how many records went."""
    from sqlalchemy import delete

    from nexus_review.storage.models import IndependentGrade

    removed = 0
    for start in range(0, len(visit_ids), 500):
        chunk = visit_ids[start : start + 500]
        removed += _deleted(session.execute(delete(IndependentGrade).where(IndependentGrade.visit_id.in_(chunk))))
        evidence_ids = list(session.scalars(select(Evidence.id).where(Evidence.visit_id.in_(chunk))))
        for e_start in range(0, len(evidence_ids), 500):
            removed += _deleted(session.execute(delete(DropIn).where(DropIn.evidence_id.in_(evidence_ids[e_start : e_start + 500]))))
        for model in (Evidence, Judgement, Action, VisitReviewer):
            removed += _deleted(session.execute(delete(model).where(model.visit_id.in_(chunk))))
        removed += _deleted(session.execute(delete(Visit).where(Visit.id.in_(chunk))))
    return removed


def _deleted(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------------------- the network


def visit_ids_between(session: Session, start: dt.date, end: dt.date, *, school_ids: list[str] | None = None, group_id: str | None = None) -> list[str]:
    query = select(Visit.id).where(Visit.deleted.is_(False), Visit.visit_date >= start, Visit.visit_date <= end)
    if school_ids is not None:
        query = query.where(Visit.host_school_id.in_(school_ids))
    if group_id is not None:
        from nexus_review.storage.models import ReviewGroupMember

        members = select(ReviewGroupMember.school_id).where(ReviewGroupMember.group_id == group_id, ReviewGroupMember.deleted.is_(False))
        query = query.where(or_(Visit.review_group_id == group_id, Visit.host_school_id.in_(members)))
    return list(session.scalars(query.order_by(Visit.visit_date, Visit.id)))


def school_ids_named(session: Session, names: Any) -> list[str]:
    ids = []
    for name in names:
        found = session.scalars(select(School.id).where(School.deleted.is_(False), func.lower(School.name) == name.strip().lower())).first()
        if found is None:
            raise NotFoundError(f"There is no school called '{name}' in this database.")
        ids.append(found)
    return ids


def review_group_named(session: Session, name: str, year: str) -> str:
    from nexus_review.storage.models import ReviewGroup

    found = session.scalars(
        select(ReviewGroup.id).where(ReviewGroup.deleted.is_(False), ReviewGroup.academic_year == year, func.lower(ReviewGroup.name) == name.strip().lower())
    ).first()
    if found is None:
        raise NotFoundError(f"There is no review group called '{name}' in {year}.")
    return found


def review_groups(session: Session, year: str) -> list[tuple[Any, ...]]:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    groups = session.scalars(
        select(ReviewGroup).where(ReviewGroup.deleted.is_(False), ReviewGroup.academic_year == year)
        .options(selectinload(ReviewGroup.members).selectinload(ReviewGroupMember.school))
        .order_by(ReviewGroup.name)
    )
    return [
        (g.id, g.name, g.academic_year, g.focus,
         tuple((m.id, m.school_id, m.school.name, m.host_date) for m in sorted(g.members, key=lambda m: (m.host_date or dt.date.max, m.position)) if not m.deleted))
        for g in groups
    ]


def retire_review_groups(session: Session, year: str) -> None:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    for g in session.scalars(select(ReviewGroup).where(ReviewGroup.academic_year == year, ReviewGroup.deleted.is_(False))):
        g.deleted = True
        for m in session.scalars(select(ReviewGroupMember).where(ReviewGroupMember.group_id == g.id)):
            m.deleted = True


def add_review_group(session: Session, year: str, name: str, focus: str, school_ids: list[str], dates: list[dt.date]) -> str:
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    group = ReviewGroup(name=name, academic_year=year, focus=focus)
    session.add(group)
    session.flush()
    for position, (school_id, day) in enumerate(zip(school_ids, dates, strict=True)):
        session.add(ReviewGroupMember(group_id=group.id, school_id=school_id, position=position, host_date=day))
    session.flush()
    return group.id


def set_host_date(session: Session, member_id: str, day: dt.date | None) -> None:
    from nexus_review.storage.models import ReviewGroupMember

    member = session.get(ReviewGroupMember, member_id)
    if member is None:
        raise NotFoundError("That school is no longer in the review group.")
    member.host_date = day


def update_action(session: Session, action_id: str, *, status: str | None, note: str, when: dt.date) -> None:
    action = session.get(Action, action_id)
    if action is None or action.deleted:
        raise NotFoundError("That next step is no longer in the database.")
    if status is not None:
        action.status = status
    if note:
        action.follow_up = [*(action.follow_up or []), {"date": when.isoformat(), "note": note}]


# ---------------------------------------------------------------------------- a new school year


def count_priorities(session: Session, year: str) -> int:
    """A year's priorities (each school × theme once), of schools still in the network."""
    pairs = (
        select(SchoolPriority.school_id, SchoolPriority.theme)
        .join(School, School.id == SchoolPriority.school_id)
        .where(SchoolPriority.academic_year == year, SchoolPriority.deleted.is_(False), School.deleted.is_(False))
        .distinct()
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(pairs)) or 0)


def _live_groups(session: Session, year: str) -> list[tuple[Any, list[Any]]]:
    """A year's review groups with their members still in the network, in rota order."""
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    groups = session.scalars(
        select(ReviewGroup)
        .where(ReviewGroup.academic_year == year, ReviewGroup.deleted.is_(False))
        .options(selectinload(ReviewGroup.members).selectinload(ReviewGroupMember.school))
        .order_by(ReviewGroup.name, ReviewGroup.id)
    ).all()
    out = []
    for group in groups:
        members = sorted((m for m in group.members if not m.deleted and not m.school.deleted), key=lambda m: m.position)
        if members:
            out.append((group, members))
    return out


def count_review_groups(session: Session, year: str) -> int:
    """A year's review groups that still have a school in them."""
    return len(_live_groups(session, year))


def copy_priorities(session: Session, from_year: str, to_year: str) -> int:
    """Each school's priorities of one year as new records for another, leaving out a
    school × theme the other year already has. Returns how many were added."""
    have: set[tuple[str, str]] = {
        (school_id, theme)
        for school_id, theme in session.execute(
            select(SchoolPriority.school_id, SchoolPriority.theme).where(
                SchoolPriority.academic_year == to_year, SchoolPriority.deleted.is_(False)
            )
        )
    }
    rows = session.scalars(
        select(SchoolPriority)
        .join(School, School.id == SchoolPriority.school_id)
        .where(SchoolPriority.academic_year == from_year, SchoolPriority.deleted.is_(False), School.deleted.is_(False))
        .order_by(SchoolPriority.school_id, SchoolPriority.theme, SchoolPriority.id)
    )
    added = 0
    for old in rows:
        if (old.school_id, old.theme) in have:
            continue  # two records of one priority in a year would count it twice
        have.add((old.school_id, old.theme))
        session.add(SchoolPriority(school_id=old.school_id, academic_year=to_year, theme=old.theme, description=old.description))
        added += 1
    session.flush()
    return added


def copy_review_groups(
    session: Session,
    from_year: str,
    to_year: str,
    rename: Callable[[str], str],
    host_date: Callable[[dt.date | None], dt.date | None],
) -> int:
    """One year's review groups as new groups of another year, with the same schools in the
    same rota order, each named ``rename(old name)`` and hosting on ``host_date(old date)``.
    Returns how many groups were added."""
    from nexus_review.storage.models import ReviewGroup, ReviewGroupMember

    added = 0
    for old, members in _live_groups(session, from_year):
        group = ReviewGroup(name=rename(old.name), academic_year=to_year, focus=old.focus)
        session.add(group)
        session.flush()
        for position, member in enumerate(members):
            session.add(
                ReviewGroupMember(group_id=group.id, school_id=member.school_id, position=position, host_date=host_date(member.host_date))
            )
        added += 1
    session.flush()
    return added
