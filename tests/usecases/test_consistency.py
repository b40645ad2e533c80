"""Reviewers' own grades and the agreement figures, through the use cases."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from sqlalchemy import select

from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.storage.models import (
    DropIn,
    IndependentGrade,
    Judgement,
    Reviewer,
    School,
    Visit,
    VisitReviewer,
)
from nexus_review.usecases import consistency as uc
from nexus_review.usecases.consistency import AgreementFilter
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades

AREAS = ("inclusion", "curriculum-and-teaching", "achievement", "attendance-and-behaviour")
GRADES = (
    "exceptional",
    "strong-standard",
    "expected-standard",
    "needs-attention",
    "urgent-improvement",
)


def team_visit(
    db: Database, school: str, day: dt.date, names: tuple[str, ...], framework: str = "ofsted-2025"
) -> tuple[str, list[str]]:
    with db.transaction() as s:
        host = s.scalars(select(School).where(School.name == school)).first() or School(name=school)
        reviewers = []
        for name in names:
            r = s.scalars(select(Reviewer).where(Reviewer.name == name)).first() or Reviewer(
                name=name
            )
            reviewers.append(r)
        visit = Visit(
            host_school=host,
            visit_date=day,
            kind="evaluation-day",
            framework_key=framework,
            focus_areas=["Reading"],
        )
        s.add_all([host, visit, *reviewers])
        for i, r in enumerate(reviewers):
            s.add(VisitReviewer(visit=visit, reviewer=r, is_lead=i == 0, position=i))
        s.flush()
        return visit.id, [r.id for r in reviewers]


def dump(db: Database) -> list[str]:
    path = db.url.removeprefix("sqlite:///")
    return subprocess.run(
        ["sqlite3", path, ".dump"], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def test_each_reviewer_keeps_their_own_grade_apart_from_the_agreed_one(db: Database) -> None:
    visit, (ann, ben) = team_visit(db, "Oak Primary", dt.date(2025, 10, 1), ("Ann", "Ben"))
    with db.transaction() as s:
        s.add(Judgement(visit_id=visit, area_key="inclusion", peer_grade="strong-standard"))
    a = record_own_grade(
        db,
        visit,
        ann,
        area_key="inclusion",
        grade="strong-standard",
        reason="Adaptations in every class",
    )
    b = record_own_grade(db, visit, ben, area_key="inclusion", grade="expected-standard")
    assert (
        a is not None
        and b is not None
        and a.grade_label == "Strong standard"
        and b.grade_label == "Expected standard"
    )
    again = record_own_grade(db, visit, ben, area_key="inclusion", grade="needs-attention")
    assert again is not None and again.id == b.id  # changed, not added
    with db.reading() as s:
        rows = list(s.scalars(select(IndependentGrade).order_by(IndependentGrade.grade)))
        agreed = s.scalars(select(Judgement.peer_grade)).one()
    assert [(r.reviewer_id, r.grade) for r in rows] == [
        (ben, "needs-attention"),
        (ann, "strong-standard"),
    ]
    assert agreed == "strong-standard"
    assert record_own_grade(db, visit, ben, area_key="inclusion", grade=None) is not None
    assert record_own_grade(db, visit, ben, area_key="achievement", grade=None) is None


def test_others_grades_are_hidden_until_you_have_given_your_own(db: Database) -> None:
    visit, (lead, ann, ben) = team_visit(
        db, "Oak Primary", dt.date(2025, 10, 1), ("Lee", "Ann", "Ben")
    )
    record_own_grade(db, visit, lead, area_key="inclusion", grade="strong-standard")
    record_own_grade(db, visit, ann, area_key="inclusion", grade="expected-standard")
    ben_sees = visit_own_grades(db, visit, ben)
    assert ben_sees.shown == () and ben_sees.hidden == 2
    record_own_grade(db, visit, ben, area_key="inclusion", grade="strong-standard")
    assert [g.reviewer_name for g in visit_own_grades(db, visit, ben).of("inclusion")] == [
        "Ann",
        "Ben",
        "Lee",
    ]
    assert len(visit_own_grades(db, visit, lead).shown) == 3  # the lead, agreeing, sees them all
    assert visit_own_grades(db, visit, ann, hide_until_own=False).hidden == 0


def test_bad_own_grades_are_refused_in_a_sentence_and_change_nothing(db: Database) -> None:
    visit, (ann, _ben) = team_visit(db, "Oak Primary", dt.date(2025, 10, 1), ("Ann", "Ben"))
    _v2, (outsider,) = team_visit(db, "Elm Primary", dt.date(2025, 10, 2), ("Cy",))
    before = dump(db)
    cases = [
        (
            dict(reviewer_id=outsider, area_key="inclusion", grade="strong-standard"),
            "not on its team",
        ),
        (dict(reviewer_id=ann, area_key="no-such-area", grade="strong-standard"), "is not an area"),
        (
            dict(reviewer_id=ann, area_key="inclusion", grade="good"),
            "'good' is not a grade for Inclusion",
        ),
        (
            dict(reviewer_id=ann, area_key="safeguarding", grade="strong-standard"),
            "not a grade for Safeguarding",
        ),
        (
            dict(reviewer_id=ann, area_key="inclusion", grade="strong-standard", reason="x" * 5001),
            "at most 5000",
        ),
    ]
    for kwargs, words in cases:
        with pytest.raises(NexusError, match=words):
            record_own_grade(db, visit, **kwargs)  # type: ignore[arg-type]
    assert dump(db) == before


def test_look_fors_in_a_learning_walk_classroom(db: Database) -> None:
    from nexus_review.storage.models import Evidence

    visit, (ann, ben) = team_visit(db, "Oak Primary", dt.date(2025, 10, 1), ("Ann", "Ben"))
    with db.transaction() as s:
        walk = Evidence(visit_id=visit, kind="learning-walk", look_fors=["Talk partners"])
        s.add(walk)
        s.flush()
        room = DropIn(evidence_id=walk.id, class_name="Oak")
        s.add(room)
        s.flush()
        room_id = room.id
    record_own_grade(db, visit, ann, drop_in_id=room_id, look_for="Talk partners", grade="seen")
    record_own_grade(db, visit, ben, drop_in_id=room_id, look_for="Talk partners", grade="partly")
    with pytest.raises(NexusError, match="not one of this learning walk's look-fors"):
        record_own_grade(db, visit, ben, drop_in_id=room_id, look_for="Questioning", grade="seen")
    with pytest.raises(NexusError, match="seen, partly seen or not seen"):
        record_own_grade(
            db, visit, ben, drop_in_id=room_id, look_for="Talk partners", grade="strong-standard"
        )
    report = uc.agreement_report(db, AgreementFilter(year="2025-26"))
    (area,) = report.areas
    assert area.area_name == "Learning-walk look-fors"
    assert (area.agreement.n, area.agreement.exact, area.agreement.within_one) == (1, 0, 1)
    assert [g.label for g in report.distributions[0].grades] == ["Seen", "Partly seen", "Not seen"]


def grade_many(db: Database) -> None:
    """Six visits by Ann and Ben (and one with Cy): mostly the same, some one apart."""
    plan = [
        # (school, date, reviewers, {area: (own grades...)}, agreed)
        (
            "Oak Primary",
            dt.date(2025, 10, 1),
            ("Ann", "Ben"),
            {"inclusion": (1, 1), "achievement": (2, 1)},
        ),
        (
            "Elm Primary",
            dt.date(2025, 11, 5),
            ("Ann", "Ben"),
            {"inclusion": (2, 2), "achievement": (2, 2)},
        ),
        (
            "Ash Primary",
            dt.date(2026, 1, 20),
            ("Ann", "Ben"),
            {"inclusion": (1, 2), "achievement": (3, 3)},
        ),
        (
            "Oak Primary",
            dt.date(2026, 3, 3),
            ("Ann", "Ben", "Cy"),
            {"inclusion": (1, 1, 3), "achievement": (2, 2, 2)},
        ),
        (
            "Yew Primary",
            dt.date(2024, 10, 1),
            ("Ann", "Ben"),
            {"inclusion": (0, 4)},
        ),  # the year before
    ]
    for school, day, names, areas in plan:
        visit, ids = team_visit(db, school, day, names)
        for area, grades in areas.items():
            for rid, g in zip(ids, grades, strict=True):
                record_own_grade(db, visit, rid, area_key=area, grade=GRADES[g])
            with db.transaction() as s:
                s.add(
                    Judgement(
                        visit_id=visit,
                        area_key=area,
                        peer_grade=GRADES[grades[0]],
                        self_grade=GRADES[max(0, grades[0] - 1)],
                    )
                )


def test_agreement_report_counts_pairs_per_area_and_pair(db: Database) -> None:
    grade_many(db)
    report = uc.agreement_report(db, AgreementFilter(year="2025-26"))
    assert report.visits == 4 and report.graded_visits == 4
    by_area = {a.area_key: a.agreement for a in report.areas}
    assert [a.area_key for a in report.areas] == [
        "inclusion",
        "achievement",
    ]  # the framework's order
    # inclusion: (1,1) (2,2) (1,2) and Ann/Ben/Cy (1,1,3) -> pairs 1-1, 1-3, 1-3
    assert (
        by_area["inclusion"].n,
        by_area["inclusion"].exact,
        by_area["inclusion"].within_one,
    ) == (6, 3, 4)
    assert by_area["inclusion"].fleiss is not None
    assert (by_area["achievement"].n, by_area["achievement"].exact) == (6, 5)
    pairs = {(p.first, p.second): p.agreement for p in report.pairs}
    assert set(pairs) == {("Ann", "Ben"), ("Ann", "Cy"), ("Ben", "Cy")}
    assert (pairs[("Ann", "Ben")].n, pairs[("Ann", "Ben")].exact) == (8, 6)
    leans = {x.who: x for x in report.leans}
    # Cy gave 3 ("needs attention") where the team agreed 1 ("strong standard"): harsher.
    assert leans["Cy"].lower == 1 and leans["Ann"].same == 8
    assert [t.term for t in report.over_time] == ["Autumn 2025", "Spring 2026"]
    oak = next(s for s in report.self_evaluation if s.school == "Oak Primary")
    assert [y.year for y in oak.years] == ["2025-26"]
    assert report.as_dict()["overall"]["n"] == 12  # type: ignore[index]


def test_filters_narrow_the_figures(db: Database) -> None:
    grade_many(db)
    only_pair = uc.agreement_report(db, AgreementFilter(year="2025-26", pair=("Ann", "Cy")))
    assert only_pair.overall.n == 2 and [(p.first, p.second) for p in only_pair.pairs] == [
        ("Ann", "Cy")
    ]
    one_area = uc.agreement_report(db, AgreementFilter(year="2025-26", area="achievement"))
    assert [a.area_key for a in one_area.areas] == ["achievement"]
    earlier = uc.agreement_report(db, AgreementFilter(year="2024-25"))
    assert (earlier.overall.n, earlier.overall.within_one) == (1, 0)
    assert (
        uc.agreement_report(db, AgreementFilter(year="2023-24")).overall.describe()
        == "Not enough paired judgements."
    )
    assert (
        uc.agreement_report(db, AgreementFilter(year="2025-26", framework="eif-2019")).overall.n
        == 0
    )
    with pytest.raises(NexusError, match="is not an academic year"):
        uc.agreement_report(db, AgreementFilter(year="2025-27"))
    with pytest.raises(NexusError, match="no review group called"):
        uc.agreement_report(db, AgreementFilter(year="2025-26", group="Nowhere"))


def test_self_evaluation_over_the_years(db: Database) -> None:
    grade_many(db)
    report = uc.agreement_report(db, AgreementFilter(year="2025-26"))
    yew = next(s for s in report.self_evaluation if s.school == "Yew Primary")
    assert [(y.year, y.lean.n, y.lean.same) for y in yew.years] == [("2024-25", 1, 1)]
    # Oak gave itself one grade better than its peers in each area (GRADES is best first).
    oak = next(s for s in report.self_evaluation if s.school == "Oak Primary")
    assert [(y.year, y.lean.n, y.lean.higher, y.lean.mean_difference) for y in oak.years] == [
        ("2025-26", 4, 4, 1.0)
    ]
    assert yew.trend == "one year only: no trend yet"
