"""The demo network is dated from the day it is made: nothing planned in the past, nothing
written before it happened, no visit in a school holiday; filled again later (even in a later
school year) it adds only what is missing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from nexus_review.demo import (
    demo_years,
    fill_demo_network,
    school_holidays,
)
from nexus_review.domain.calendar import academic_year_bounds, academic_year_of
from nexus_review.domain.enums import VisitStatus
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    SYNCED_MODELS,
    ReviewGroup,
    SchoolPriority,
    Visit,
)
from tests.core.demo_dump import dump

EARLY_SEPTEMBER, MID_YEAR, LATE_JULY = (
    dt.date(2026, 9, 3),
    dt.date(2027, 2, 10),
    dt.date(2027, 7, 25),
)


def _filled(tmp_path: Path, name: str, today: dt.date) -> Database:
    db = open_database(tmp_path / f"{name}.db")
    fill_demo_network(db, today=today)
    return db


@pytest.mark.parametrize(
    "today", [EARLY_SEPTEMBER, dt.date(2026, 11, 18), MID_YEAR, LATE_JULY, dt.date(2029, 8, 31)]
)
def test_the_network_is_dated_from_the_day_it_is_made(tmp_path: Path, today: dt.date) -> None:
    """Nothing planned in the past, nothing written or sent before it happened, and next
    steps and follow-up notes no later than today."""
    db = _filled(tmp_path, "dated", today)
    years = demo_years(today)
    current = academic_year_of(today)
    assert years[-1] == current and years == tuple(sorted(years))
    first_day = academic_year_bounds(years[0])[0]
    try:
        with db.reading() as session:
            visits = session.scalars(select(Visit)).all()
            assert {academic_year_of(v.visit_date) for v in visits} == set(years)
            for visit in visits:
                assert first_day <= visit.visit_date
                status = VisitStatus(visit.status)
                if visit.visit_date >= today:
                    assert status is VisitStatus.PLANNED, visit.visit_date
                    assert not visit.evidence and not visit.actions and not visit.summary
                elif today - visit.visit_date < dt.timedelta(days=14):
                    assert status is VisitStatus.REPORT_DRAFTED, visit.visit_date
                else:
                    assert status is VisitStatus.REPORT_SENT, visit.visit_date
                assert visit.created_at.date() < today or (
                    status is VisitStatus.PLANNED and visit.created_at.date() <= today
                )
                for action in visit.actions:
                    assert action.due_date > visit.visit_date
                    if action.status == "done":
                        assert action.due_date < today
                    if today - visit.visit_date < dt.timedelta(days=14):
                        assert action.status == "open", "agreed only days ago"
                    for note in action.follow_up:
                        assert visit.visit_date < dt.date.fromisoformat(note["date"]) < today
            for model in SYNCED_MODELS:
                for row in session.scalars(select(model)):
                    assert first_day - dt.timedelta(days=62) <= row.created_at.date() <= today
            this_year = [v for v in visits if academic_year_of(v.visit_date) == current]
            planned = [v for v in this_year if v.status == VisitStatus.PLANNED.value]
            if today == EARLY_SEPTEMBER:
                assert len(planned) == len(this_year) > 20, "the year has only just begun"
            elif today in (LATE_JULY, dt.date(2029, 8, 31)):
                assert not planned, "the year's reviews are over"
            else:
                assert 0 < len(planned) < len(this_year)
            # Every earlier year is over and written up.
            assert all(
                v.status == VisitStatus.REPORT_SENT.value
                for v in visits
                if academic_year_of(v.visit_date) != current
            )
            groups = session.scalars(select(ReviewGroup)).all()
            assert {g.academic_year for g in groups} == set(years)
            for group in groups:
                assert group.name.endswith(f" {group.academic_year}")
                assert all(
                    academic_year_of(m.host_date) == group.academic_year
                    for m in group.members
                    if m.host_date
                )
            priority_years = {p.academic_year for p in session.scalars(select(SchoolPriority))}
            assert priority_years == set(years)
    finally:
        db.close()


def test_without_a_day_the_demo_is_dated_from_the_clock(demo_db: Database) -> None:
    with demo_db.reading() as session:
        years = {p.academic_year for p in session.scalars(select(SchoolPriority))}
        assert years == set(demo_years()) and academic_year_of(dt.date.today()) in years


def test_a_visit_reads_the_same_whatever_the_day_the_demo_is_made(tmp_path: Path) -> None:
    early, late = _filled(tmp_path, "early", MID_YEAR), _filled(tmp_path, "late", LATE_JULY)
    try:
        with early.reading() as a, late.reading() as b:
            done_early = {v.id: v for v in a.scalars(select(Visit)) if v.status != "planned"}
            done_late = {v.id: v for v in b.scalars(select(Visit))}
            assert len(done_late) == len(done_early) + sum(
                v.status == "planned" for v in a.scalars(select(Visit))
            )
            for visit_id, visit in done_early.items():
                other = done_late[visit_id]
                assert (visit.summary, visit.strengths, visit.questions) == (
                    other.summary,
                    other.strengths,
                    other.questions,
                )
                assert [e.notes for e in visit.evidence] == [e.notes for e in other.evidence]
                assert [x.description for x in visit.actions] == [
                    x.description for x in other.actions
                ]
    finally:
        early.close()
        late.close()


def test_filled_again_later_a_planned_visit_gets_nothing_added_under_it(tmp_path: Path) -> None:
    """The demo fills only what is missing: a visit planned when it was first made stays
    planned, rather than gaining evidence and next steps under a planned status."""
    db = _filled(tmp_path, "again", EARLY_SEPTEMBER)
    try:
        before = dump(db)
        again = fill_demo_network(db, today=MID_YEAR)
        assert again.added == 0 and dump(db) == before
        with db.reading() as session:
            planned = session.scalars(select(Visit).where(Visit.status == "planned")).all()
            assert planned and all(
                not v.evidence and not v.actions and not v.judgements for v in planned
            )
    finally:
        db.close()


def test_no_visit_in_a_school_holiday() -> None:
    # Published dates where known; the usual pattern otherwise (Easter 2027 is on 28 March).
    assert school_holidays(2025)[3] == (dt.date(2026, 3, 30), dt.date(2026, 4, 10))
    later = school_holidays(2026)
    assert (dt.date(2027, 3, 22), dt.date(2027, 4, 2)) in later
    assert all(first.weekday() == 0 for first, _last in later[:-1]) and all(a < b for a, b in later)
    for today in (MID_YEAR, dt.date(2031, 1, 20)):
        from nexus_review.demo import build_demo_records

        records, _ = build_demo_records(today)
        for visit in (r for r in records if isinstance(r, Visit)):
            start = academic_year_bounds(academic_year_of(visit.visit_date))[0].year
            assert not any(a <= visit.visit_date <= b for a, b in school_holidays(start)), (
                visit.visit_date
            )


def test_filled_again_in_a_later_school_year_only_the_new_year_is_added(tmp_path: Path) -> None:
    """A year already in the database is left as it is: filled again a year on, the demo adds
    the new school year and does not lay a second version of the years it shares over them."""
    db = _filled(tmp_path, "year-on", dt.date(2026, 12, 1))
    try:

        def by_year() -> dict[str, list[tuple[Any, ...]]]:
            rows = dump(db)
            with db.reading() as session:
                years = {
                    v.id: academic_year_of(v.visit_date) for v in session.scalars(select(Visit))
                }
            at = [c.name for c in Visit.__table__.columns].index("id")
            return {
                year: [r for r in rows["visit"] if years[r[at]] == year]
                for year in set(years.values())
            }

        before = by_year()
        again = fill_demo_network(db, today=dt.date(2027, 10, 1))
        assert again.added > 0
        after = by_year()
        assert set(after) == set(before) | {"2027-28"}
        for year, visits in before.items():
            assert after[year] == visits, year
        with db.reading() as session:
            groups = session.scalars(select(ReviewGroup)).all()
            for year in after:
                members = [
                    m.school_id for g in groups if g.academic_year == year for m in g.members
                ]
                assert len(members) == len(set(members)) == 10, (
                    f"every school in one group in {year}"
                )
            per_school = Counter(
                (p.school_id, p.academic_year) for p in session.scalars(select(SchoolPriority))
            )
            assert all(3 <= n <= 4 for n in per_school.values()) and len(per_school) == 40
    finally:
        db.close()
