"""Calibration exercises: made from anonymised evidence, sent in a package, graded by each head
on their own laptop, answers back in their packages, results per area."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.errors import NexusError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import CalibrationAnswer, Evidence, Reviewer
from nexus_review.usecases.calibration import (
    answer_exercise,
    exercise_results,
    list_exercises,
    make_exercise,
)
from nexus_review.usecases.packages import export_review_package, import_package_files
from tests.core.builders import make_visit


def _observation(db: Database) -> str:
    with db.reading() as s:
        return s.scalars(select(Evidence.id).where(Evidence.kind == "lesson-observation")).one()


def _reviewers(db: Database) -> dict[str, str]:
    with db.reading() as s:
        return {r.name: r.id for r in s.scalars(select(Reviewer))}


def dump(db: Database) -> list[str]:
    return subprocess.run(
        ["sqlite3", db.url.removeprefix("sqlite:///"), ".dump"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def test_an_exercise_is_made_from_anonymised_evidence(db: Database) -> None:
    make_visit(
        db,
        note="Mrs Patel modelled the sound; Mr D. Okafor noted that Blackhorse Primary pupils and Mrs Hughes agreed.",
    )
    item = make_exercise(
        db,
        _observation(db),
        title="Year 2 phonics lesson",
        area_keys=["curriculum-and-teaching", "achievement"],
    )
    assert item.area_names == ("Curriculum and teaching", "Achievement")
    text = item.evidence_text
    assert (
        "Patel" not in text
        and "Hughes" not in text
        and "Okafor" not in text
        and "Blackhorse" not in text
    )
    assert "Teacher A" in text and "the school" in text and "a reviewer" in text
    assert item.evidence_kind == "Lesson observation, Year 2, Phonics"
    assert [e.title for e in list_exercises(db)] == ["Year 2 phonics lesson"]


def test_bad_exercises_and_answers_are_refused_and_change_nothing(db: Database) -> None:
    make_visit(db)
    evidence = _observation(db)
    item = make_exercise(db, evidence, title="Phonics", area_keys=["inclusion"])
    head = _reviewers(db)["Mr D. Okafor"]
    before = dump(db)
    for call, words in (
        (lambda: make_exercise(db, evidence, title="  "), "Give the calibration exercise a title"),
        (
            lambda: make_exercise(db, evidence, title="x", area_keys=["quality-of-education"]),
            "is not an area of the",
        ),
        (lambda: make_exercise(db, "0" * 36, title="x"), "not in this database"),
        (
            lambda: answer_exercise(db, item.id, head, "achievement", "strong-standard"),
            "not one of the areas",
        ),
        (
            lambda: answer_exercise(db, item.id, head, "inclusion", "good"),
            "'good' is not a grade for Inclusion",
        ),
        (
            lambda: answer_exercise(db, item.id, "0" * 36, "inclusion", "strong-standard"),
            "Say who you are",
        ),
    ):
        with pytest.raises(NexusError, match=words):
            call()
    assert dump(db) == before


class Network:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.admin = open_database(folder / "admin.db")
        make_visit(self.admin)
        with self.admin.transaction() as s:
            s.add_all([Reviewer(name="Mrs C. Pennington"), Reviewer(name="Mr S. Delaney")])
        self.heads = _reviewers(self.admin)
        self.exercise = make_exercise(
            self.admin,
            _observation(self.admin),
            title="Year 2 phonics",
            area_keys=["curriculum-and-teaching", "achievement"],
        )
        export_review_package(self.admin, folder / "out.nxr", all_visits=True)
        self.laptops = {
            name: open_database(folder / f"{name[:6]}.db")
            for name in ("Mr D. Okafor", "Mrs C. Pennington", "Mr S. Delaney")
        }
        for laptop in self.laptops.values():
            import_package_files(laptop, [folder / "out.nxr"])

    def send_back(self, name: str) -> Path:
        path = self.folder / f"back-{name[:6]}.nxr"
        export_review_package(self.laptops[name], path, reviewer=name)
        return path

    def close(self) -> None:
        for db in (self.admin, *self.laptops.values()):
            db.close()


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    n = Network(tmp_path)
    yield n
    n.close()


def test_heads_answer_on_their_laptops_and_the_answers_come_back(network: Network) -> None:
    given = {
        "Mr D. Okafor": ("strong-standard", "expected-standard", "Modelling was precise"),
        "Mrs C. Pennington": ("strong-standard", "expected-standard", ""),
        "Mr S. Delaney": ("expected-standard", "needs-attention", "Too little time to apply"),
    }
    for name, (teaching, achievement, why) in given.items():
        laptop = network.laptops[name]
        assert [e.title for e in list_exercises(laptop)] == ["Year 2 phonics"]  # it arrived
        answer_exercise(
            laptop,
            network.exercise.id,
            network.heads[name],
            "curriculum-and-teaching",
            teaching,
            why,
        )
        answer_exercise(
            laptop, network.exercise.id, network.heads[name], "achievement", achievement
        )
    results = import_package_files(network.admin, [network.send_back(n) for n in given])
    assert [r.conflicts for r in results] == [0, 0, 0]
    out = exercise_results(network.admin, network.exercise.id)
    assert out.heads == ("Mr D. Okafor", "Mr S. Delaney", "Mrs C. Pennington")
    teaching, achievement = out.areas
    assert teaching.spread == (
        ("Exceptional", 0),
        ("Strong standard", 2),
        ("Expected standard", 1),
        ("Needs attention", 0),
        ("Urgent improvement", 0),
    )
    assert (teaching.agreement.n, teaching.agreement.exact, teaching.agreement.within_one) == (
        3,
        1,
        3,
    )
    assert {a.head: a.reason for a in teaching.answers}[
        "Mr S. Delaney"
    ] == "Too little time to apply"
    assert achievement.answered == 3
    assert (
        teaching.describe()
        == "2 of 3 heads gave Strong standard; 3 of 3 pairs of heads were within one grade of each other."
    )
    # Importing the same packages again changes nothing.
    before = dump(network.admin)
    again = import_package_files(
        network.admin, [network.folder / f"back-{n[:6]}.nxr" for n in given]
    )
    assert [r.applied for r in again] == [False, False, False]
    assert dump(network.admin) == before
    # Nothing new on a laptop: no package to send.
    with pytest.raises(NexusError, match="No visit has changed"):
        network.send_back("Mr D. Okafor")


def test_a_head_changing_an_answer_replaces_only_their_own(network: Network) -> None:
    a, b = network.laptops["Mr D. Okafor"], network.laptops["Mr S. Delaney"]
    answer_exercise(
        a, network.exercise.id, network.heads["Mr D. Okafor"], "achievement", "strong-standard"
    )
    answer_exercise(
        b, network.exercise.id, network.heads["Mr S. Delaney"], "achievement", "expected-standard"
    )
    import_package_files(
        network.admin, [network.send_back("Mr D. Okafor"), network.send_back("Mr S. Delaney")]
    )
    answer_exercise(
        a, network.exercise.id, network.heads["Mr D. Okafor"], "achievement", "exceptional"
    )
    import_package_files(network.admin, [network.send_back("Mr D. Okafor")])
    with network.admin.reading() as s:
        rows = {(r.reviewer_id, r.grade) for r in s.scalars(select(CalibrationAnswer))}
    assert rows == {
        (network.heads["Mr D. Okafor"], "exceptional"),
        (network.heads["Mr S. Delaney"], "expected-standard"),
    }
