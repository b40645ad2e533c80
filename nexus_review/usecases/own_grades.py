"""The grades each reviewer of a visit records on their own, before the team agrees: of each
area, and of each look-for in a learning-walk classroom several of them saw. Others' own grades
stay hidden from a reviewer until they have given theirs (the lead sees them all).
"""

from __future__ import annotations

from nexus_review.domain.enums import LookForResult
from nexus_review.domain.own_grades import OwnGrade, VisibleGrades, visible_to
from nexus_review.errors import NexusError, NotFoundError
from nexus_review.frameworks import Framework, area_title, focus_areas_by_key, get_framework
from nexus_review.storage import own_grades as store
from nexus_review.storage.database import Database

REASON_LIMIT = 5000
LOOK_FOR_LIMIT = 200  # what an own grade's look-for holds (packages and visit files say so too)
LOOK_FOR_SCALE = (LookForResult.NOT_SEEN, LookForResult.PARTLY, LookForResult.SEEN)  # lowest first


def grade_levels(fw: Framework, area_key: str) -> list[str]:
    """The grade keys of an area's scale, lowest first."""
    return [g.key for g in sorted(fw.scale_for(area_key), key=lambda g: g.rank)]


def _label(fw: Framework, area_key: str, look_for: str, grade: str | None) -> str:
    if not grade:
        return ""
    if look_for:
        return LookForResult(grade).label if grade in set(LOOK_FOR_SCALE) else grade
    return fw.grade_label(area_key, grade) or grade


def _own(row: store.OwnGradeRow, fw: Framework) -> OwnGrade:
    return OwnGrade(
        row.id,
        row.visit_id,
        row.reviewer_id,
        row.reviewer_name,
        row.area_key,
        row.drop_in_id,
        row.look_for,
        row.grade,
        _label(fw, row.area_key, row.look_for, row.grade),
        row.reason,
        row.updated_at,
    )


def record_own_grade(
    db: Database,
    visit_id: str,
    reviewer_id: str,
    *,
    grade: str | None,
    area_key: str = "",
    reason: str = "",
    drop_in_id: str | None = None,
    look_for: str = "",
) -> OwnGrade | None:
    """Record (or change, or with ``grade=None`` clear) one reviewer's own grade of an area
    of a visit, or of a look-for in one of its learning-walk classrooms. Only the visit's
    reviewers record own grades, each only their own; the agreed judgement is not touched.
    Gives the grade as recorded, or None when there was none to clear."""
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise NexusError(
            f"A reason can be at most {REASON_LIMIT} characters; this one has {len(reason)}."
        )
    with db.transaction() as session:
        (facts,) = store.visit_facts(session, [visit_id]) or (None,)
        if facts is None:
            raise NotFoundError("That visit is not in this database (it may have been deleted).")
        fw = get_framework(facts.framework_key)
        member = next((m for m in facts.team if m[0] == reviewer_id), None)
        if member is None:
            raise NexusError(
                "Only the visit's own reviewers record their own grades, and this reviewer is not on its team."
            )
        if drop_in_id is not None:
            found = store.drop_in_visit(session, drop_in_id)
            if found is None or found[0] != visit_id:
                raise NotFoundError("That learning-walk classroom is not part of this visit.")
            if look_for not in found[1]:
                raise NexusError(f"'{look_for}' is not one of this learning walk's look-fors.")
            if len(look_for) > LOOK_FOR_LIMIT:
                raise NexusError(
                    f"A look-for given your own view can be at most {LOOK_FOR_LIMIT} characters; "
                    f"this one has {len(look_for)}: shorten it on the walk first."
                )
            if grade is not None and grade not in set(LOOK_FOR_SCALE):
                raise NexusError("A look-for is graded seen, partly seen or not seen.")
            area_key = ""
        else:
            look_for = ""
            if not fw.graded:
                raise NexusError(
                    f"The {fw.short_name} framework gives no grades, so there is no grade of your own to record."
                )
            known = fw.area(area_key) is not None or area_key in focus_areas_by_key(
                facts.focus_areas
            )
            if not known:
                raise NexusError(
                    f"'{area_key}' is not an area of this visit's framework or one of its focus areas."
                )
            if grade is not None and grade not in grade_levels(fw, area_key):
                raise NexusError(
                    f"'{grade}' is not a grade for {area_title(fw, area_key, facts.focus_areas)}."
                )
        row = store.find_own_grade(session, visit_id, reviewer_id, area_key, drop_in_id, look_for)
        if row is None:
            if grade is None:
                return None
            row = store.add_own_grade(
                session,
                visit_id=visit_id,
                reviewer_id=reviewer_id,
                area_key=area_key,
                drop_in_id=drop_in_id,
                look_for=look_for,
                grade=grade,
                reason=reason,
            )
        elif (row.grade, row.reason) != (grade, reason):
            row.grade, row.reason = grade, reason
            session.flush()
        (saved,) = [r for r in store.own_grade_rows(session, [visit_id]) if r.id == row.id]
        return _own(saved, fw)


def visit_own_grades(
    db: Database, visit_id: str, viewer_id: str | None, *, hide_until_own: bool = True
) -> VisibleGrades:
    """The own grades of a visit that ``viewer_id`` may see (all of them for its lead, or with
    ``hide_until_own`` off; otherwise the others' only where the viewer has graded too)."""
    with db.reading() as session:
        facts = store.visit_facts(session, [visit_id])
        if not facts:
            raise NotFoundError("That visit is not in this database (it may have been deleted).")
        rows = store.own_grade_rows(session, [visit_id])
    fw = get_framework(facts[0].framework_key)
    lead = any(m[0] == viewer_id and m[2] for m in facts[0].team)
    return visible_to(
        [_own(r, fw) for r in rows], viewer_id, lead=lead, hide_until_own=hide_until_own
    )
