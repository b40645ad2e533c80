"""The demo network's own grades: realistic agreement, deterministic like the rest of the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nexus_review.demo import build_demo_records, demo_years
from nexus_review.storage.database import Database
from nexus_review.storage.models import Evidence, IndependentGrade, Visit, VisitReviewer
from nexus_review.usecases.consistency import LOOK_FORS, AgreementFilter, agreement_report

TODAY = dt.date(2026, 6, 15)


def test_own_grades_for_multi_reviewer_visits_only_and_the_same_every_time() -> None:
    records, _ = build_demo_records(TODAY)
    grades = [r for r in records if isinstance(r, IndependentGrade)]
    assert grades
    team: dict[str, set[str]] = {}
    for r in records:
        if isinstance(r, VisitReviewer):
            team.setdefault(r.visit_id, set()).add(r.reviewer_id)
    visits = {r.id: r for r in records if isinstance(r, Visit)}
    assert all(len(team[g.visit_id]) >= 2 and g.reviewer_id in team[g.visit_id] for g in grades)
    assert all(visits[g.visit_id].visit_date < TODAY for g in grades)  # only visits that happened
    again = [r for r in build_demo_records(TODAY)[0] if isinstance(r, IndependentGrade)]
    assert [(g.id, g.grade, g.reason) for g in grades] == [(g.id, g.grade, g.reason) for g in again]


def test_agreement_is_realistic(demo_db: Database) -> None:
    _older, last, _current = demo_years()
    report = agreement_report(demo_db, AgreementFilter(year=last))
    o = report.overall
    assert o.n >= 40
    # Most the same, some one grade apart, a few further.
    assert 0.55 <= o.exact / o.n <= 0.9
    assert o.exact < o.within_one < o.n
    assert o.kappa.value is not None and 0.5 <= o.kappa.value <= 0.95
    assert any(a.area_key == LOOK_FORS and a.agreement.n > 0 for a in report.areas)
    assert len(report.pairs) >= 5 and report.leans


def test_the_demo_fill_still_writes_every_record(tmp_path: Path) -> None:
    from nexus_review.demo import fill_demo_network
    from nexus_review.storage.database import open_database

    db = open_database(tmp_path / "d.db")
    counts = fill_demo_network(db, TODAY)
    with db.reading() as s:
        held = s.query(IndependentGrade).count()
    db.close()
    assert held > 0 and counts.added >= held


def test_one_calibration_exercise_graded_by_every_head(demo_db: Database) -> None:
    from nexus_review.storage.models import Reviewer
    from nexus_review.usecases.calibration import exercise_results, list_exercises

    (exercise,) = list_exercises(demo_db)
    assert exercise.academic_year == demo_years()[1]
    with demo_db.reading() as s:
        heads = sorted(r.name for r in s.query(Reviewer).filter(Reviewer.role == "Headteacher"))
        staff = [e.staff for e in s.query(Evidence) if e.staff]
    results = exercise_results(demo_db, exercise.id)
    assert list(results.heads) == heads and len(heads) == 10
    for area in results.areas:
        assert area.answered == 10 and all(a.reason for a in area.answers)
        assert (
            1 <= sum(1 for _g, n in area.spread if n) <= 4
        )  # a spread, not all alike, not everywhere
    surnames = {name.split()[-1] for name in staff}
    assert not any(s in exercise.evidence_text for s in surnames)
