"""A visit for the GUI tests to open: an evaluation day at Blackhorse Primary on 24 November
2026, led by Mrs Helen Ashworth, looking at oracy, on the framework a test asks for."""

from __future__ import annotations

import datetime as dt

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
