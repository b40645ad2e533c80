"""Small builders of realistic records for tests that need a visit without the demo network."""

from __future__ import annotations

import datetime as dt

from nexus_review.storage.database import Database
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

ADVERSARIAL = (
    "<b>bold?</b> &amp; 'single' \"double\" Zoë & Łukasz — 50% of € 🙂📚 مرحبا بالعالم שלום עולם"
)


def make_visit(
    db: Database, *, note: str = ADVERSARIAL, school_name: str = "Blackhorse Primary"
) -> str:
    """A graded evaluation day with a lesson observation, a learning walk, judgements and actions."""
    with db.transaction() as s:
        host = School(
            name=school_name,
            urn="109201",
            phase="Primary",
            local_authority="South Gloucestershire",
            headteacher="Mrs A. Hughes",
        )
        home = School(name="Kings Forest Primary", urn="109202")
        lead = Reviewer(name="Mr D. Okafor", role="Headteacher", home_school=home)
        second = Reviewer(name="Ms R. Lewandowska", role="Headteacher", home_school=home)
        visit = Visit(
            host_school=host,
            visit_date=dt.date(2025, 11, 18),
            kind="evaluation-day",
            framework_key="ofsted-2025",
            status="in-progress",
            focus_areas=["Reading and phonics", "Oracy"],
            summary="Pupils read with fluency. " + note,
            strengths="Phonics is taught with fidelity\nStaff model vocabulary well",
            areas_for_development="Sharpen checks on the lowest 20% of readers",
            questions="How do you know the catch-up sessions close gaps quickly enough?",
        )
        s.add_all([host, home, lead, second, visit])
        s.add(VisitReviewer(visit=visit, reviewer=lead, is_lead=True, position=0))
        s.add(VisitReviewer(visit=visit, reviewer=second, is_lead=False, position=1))
        obs = Evidence(
            visit=visit,
            kind="lesson-observation",
            position=0,
            time_in=dt.time(9, 10),
            time_out=dt.time(9, 40),
            class_name="Oak class",
            year_group="Year 2",
            subject="Phonics",
            staff="Mrs J. Patel",
            notes=note,
            strengths="Clear modelling of the sound",
            areas_for_development="More time for pupils to apply",
            focus_links=["Reading and phonics"],
            grades={"curriculum-and-teaching": "strong-standard"},
        )
        walk = Evidence(
            visit=visit,
            kind="learning-walk",
            position=1,
            look_fors=["Talk partners used", "Vocabulary on display"],
        )
        s.add_all([obs, walk])
        for i, cls in enumerate(("Willow", "Ash", "Beech")):
            s.add(
                DropIn(
                    evidence=walk,
                    position=i,
                    class_name=f"{cls} class",
                    year_group=f"Year {i + 3}",
                    time=dt.time(10, 5 * i),
                    look_for_results={
                        "Talk partners used": "seen",
                        "Vocabulary on display": "partly",
                    },
                    note=f"Drop-in {i + 1}: pupils explained their thinking",
                )
            )
        s.flush()
        s.add(
            Judgement(
                visit=visit,
                area_key="curriculum-and-teaching",
                peer_grade="strong-standard",
                self_grade="expected-standard",
                rationale="Teaching is consistently strong in phonics.",
                evidence_ids=[obs.id],
            )
        )
        s.add(Judgement(visit=visit, area_key="safeguarding", peer_grade="met", self_grade="met"))
        s.add(
            Action(
                visit=visit,
                position=0,
                description="Track the lowest 20% of readers fortnightly",
                owner="Reading lead",
                due_date=dt.date(2026, 2, 1),
                follow_up=[{"date": "2026-01-15", "note": "Tracker in place"}],
            )
        )
        s.flush()
        return visit.id
