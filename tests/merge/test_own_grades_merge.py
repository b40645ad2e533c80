"""Reviewers' own grades travel in their packages and merge on visit × area × reviewer: one
reviewer's grade never replaces another's."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import (
    DropIn,
    Evidence,
    IndependentGrade,
    Reviewer,
    School,
    Visit,
    VisitReviewer,
)
from nexus_review.usecases.consistency import AgreementFilter, agreement_report
from nexus_review.usecases.own_grades import record_own_grade, visit_own_grades
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
)


class Team:
    """The administrator and two heads' laptops, all holding one visit reviewed by both heads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        base = open_database(folder / "base.db")
        with base.transaction() as s:
            host = School(name="Blackhorse Primary")
            ann, ben = Reviewer(name="Mrs A. Shah"), Reviewer(name="Mr B. Price")
            visit = Visit(
                host_school=host,
                visit_date=dt.date(2026, 1, 12),
                kind="evaluation-day",
                framework_key="ofsted-2025",
            )
            walk = Evidence(visit=visit, kind="learning-walk", look_fors=["Talk partners"])
            room = DropIn(evidence=walk, class_name="Oak")
            s.add_all([host, ann, ben, visit, walk, room])
            s.add(VisitReviewer(visit=visit, reviewer=ann, is_lead=True, position=0))
            s.add(VisitReviewer(visit=visit, reviewer=ben, position=1))
            s.flush()
            self.visit, self.ann, self.ben, self.room = visit.id, ann.id, ben.id, room.id
        export_review_package(base, folder / "base.nxr", all_visits=True)
        base.close()
        self.admin, self.a, self.b = (self.open(n) for n in ("admin", "a", "b"))

    def open(self, name: str) -> Database:
        db = open_database(self.folder / f"{name}.db")
        import_package_files(db, [self.folder / "base.nxr"])
        return db

    def send(self, db: Database, name: str) -> Path:
        path = self.folder / f"{name}.nxr"
        export_review_package(db, path)
        return path

    def close(self) -> None:
        for db in (self.admin, self.a, self.b):
            db.close()


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    t = Team(tmp_path)
    yield t
    t.close()


def grades(db: Database) -> list[tuple[str, str, str, str | None, str]]:
    with db.reading() as s:
        rows = s.scalars(select(IndependentGrade).where(IndependentGrade.deleted.is_(False)))
        return sorted((r.reviewer_id, r.area_key, r.look_for, r.grade, r.reason) for r in rows)


def dump(db: Database) -> list[str]:
    return subprocess.run(
        ["sqlite3", db.url.removeprefix("sqlite:///"), ".dump"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def test_two_laptops_grading_the_same_visit_keep_both_grades(team: Team) -> None:
    record_own_grade(
        team.a,
        team.visit,
        team.ann,
        area_key="inclusion",
        grade="strong-standard",
        reason="Every class adapts",
    )
    record_own_grade(
        team.b,
        team.visit,
        team.ben,
        area_key="inclusion",
        grade="expected-standard",
        reason="Not yet in Year 6",
    )
    record_own_grade(
        team.a, team.visit, team.ann, drop_in_id=team.room, look_for="Talk partners", grade="seen"
    )
    record_own_grade(
        team.b, team.visit, team.ben, drop_in_id=team.room, look_for="Talk partners", grade="partly"
    )
    results = import_package_files(team.admin, [team.send(team.a, "a"), team.send(team.b, "b")])
    assert [r.conflicts for r in results] == [0, 0]
    assert grades(team.admin) == sorted(
        [
            (team.ann, "inclusion", "", "strong-standard", "Every class adapts"),
            (team.ben, "inclusion", "", "expected-standard", "Not yet in Year 6"),
            (team.ann, "", "Talk partners", "seen", ""),
            (team.ben, "", "Talk partners", "partly", ""),
        ]
    )
    assert list_conflicts(team.admin) == []
    shown = visit_own_grades(team.admin, team.visit, team.ann)
    assert [g.grade_label for g in shown.of("inclusion")] == [
        "Expected standard",
        "Strong standard",
    ]
    report = agreement_report(team.admin, AgreementFilter(year="2025-26"))
    assert (report.overall.n, report.overall.exact, report.overall.within_one) == (1, 0, 1)
    assert [(a.area_name, a.agreement.n) for a in report.areas] == [
        ("Inclusion", 1),
        ("Learning-walk look-fors", 1),
    ]


def test_reimporting_changes_nothing(team: Team) -> None:
    record_own_grade(team.a, team.visit, team.ann, area_key="inclusion", grade="strong-standard")
    record_own_grade(team.b, team.visit, team.ben, area_key="inclusion", grade="expected-standard")
    files = [team.send(team.a, "a"), team.send(team.b, "b")]
    import_package_files(team.admin, files)
    before = dump(team.admin)
    again = import_package_files(team.admin, list(reversed(files)))
    assert [r.applied for r in again] == [False, False]
    assert dump(team.admin) == before


def test_a_grade_changed_later_replaces_only_that_reviewers_grade(team: Team) -> None:
    record_own_grade(team.a, team.visit, team.ann, area_key="inclusion", grade="strong-standard")
    record_own_grade(team.b, team.visit, team.ben, area_key="inclusion", grade="expected-standard")
    import_package_files(team.admin, [team.send(team.a, "a1"), team.send(team.b, "b1")])
    record_own_grade(team.a, team.visit, team.ann, area_key="inclusion", grade="exceptional")
    (result,) = import_package_files(team.admin, [team.send(team.a, "a2")])
    assert (result.updated, result.conflicts) == (1, 0)
    assert {(g[0], g[3]) for g in grades(team.admin)} == {
        (team.ann, "exceptional"),
        (team.ben, "expected-standard"),
    }


def test_the_same_reviewer_on_two_laptops_makes_one_grade(team: Team) -> None:
    # Ann graded on her laptop and, by mistake, on Ben's as herself: one grade of hers, not two.
    record_own_grade(team.a, team.visit, team.ann, area_key="inclusion", grade="strong-standard")
    record_own_grade(team.b, team.visit, team.ann, area_key="inclusion", grade="strong-standard")
    import_package_files(team.admin, [team.send(team.a, "a"), team.send(team.b, "b")])
    assert grades(team.admin) == [(team.ann, "inclusion", "", "strong-standard", "")]


def test_a_package_cannot_move_a_grade_to_another_reviewer(team: Team) -> None:
    import copy

    from nexus_review.errors import InterchangeError
    from nexus_review.interchange.package import read_package, write_package

    record_own_grade(team.a, team.visit, team.ann, area_key="inclusion", grade="strong-standard")
    first = team.send(team.a, "a")
    import_package_files(team.admin, [first])
    records = copy.deepcopy(read_package(first).records)
    for row in records["independent_grade"]:
        row["reviewer_id"] = team.ben
        row["vclock"] = {k: v + 5 for k, v in row["vclock"].items()}
    forged = team.folder / "forged.nxr"
    write_package(forged, records, reviewer="x", device_id="forger")
    before = dump(team.admin)
    with pytest.raises(InterchangeError, match="another reviewer"):
        import_package_files(team.admin, [forged])
    assert dump(team.admin) == before
