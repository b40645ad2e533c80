"""Visits for the GUI tests to open: an evaluation day at Blackhorse Primary on 24 November
2026, led by Mrs Helen Ashworth, looking at oracy, on the framework a test asks for; and a
visit there on that day by a team of two."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nexus_review.storage.database import Database
from nexus_review.storage.repository import list_reviewers, list_schools
from nexus_review.usecases.editing import create_visit


def new_visit(db: Database, framework: str = "ofsted-2025") -> str:
    with db.reading() as s:
        school = next(sc for sc in list_schools(s) if sc.name == "Blackhorse Primary")
        lead = next(r for r in list_reviewers(s) if r.name == "Mrs Helen Ashworth")
    return create_visit(
        db,
        host_school_id=school.id,
        visit_date=dt.date(2026, 11, 24),
        kind="evaluation-day",
        framework_key=framework,
        team=[lead.id],
        lead_id=lead.id,
        focus_areas=["Oracy"],
    )


def visit_of_two(
    db: Database, kind: str = "evaluation-day", focus_areas: Sequence[str] = ("Oracy",)
) -> tuple[str, str, str]:
    """A visit to Blackhorse Primary on 24 November 2026 by a team of two reviewers from other
    schools, the first leading: the visit's id, the lead's and the other reviewer's."""
    with db.reading() as s:
        host = next(sc for sc in list_schools(s) if sc.name == "Blackhorse Primary")
        lead, second = [r for r in list_reviewers(s) if r.home_school_id != host.id][:2]
    visit = create_visit(
        db,
        host_school_id=host.id,
        visit_date=dt.date(2026, 11, 24),
        kind=kind,
        framework_key="ofsted-2025",
        team=[lead.id, second.id],
        lead_id=lead.id,
        focus_areas=list(focus_areas),
    )
    return visit, lead.id, second.id
