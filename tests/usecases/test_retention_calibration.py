"""Retention deletes the calibration exercises of academic years wholly before the cut, with
every head's answers and their tombstones, as it deletes old visits; nothing else changes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.cli import main
from nexus_review.demo import demo_years
from nexus_review.frameworks import get_framework
from nexus_review.storage.database import Database
from nexus_review.storage.models import CalibrationAnswer, CalibrationExercise, Evidence, Reviewer
from nexus_review.usecases.backups import apply_retention
from nexus_review.usecases.calibration import answer_exercise, exercise_results, make_exercise


def _dump(db: Database) -> list[str]:
    assert db.path is not None
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(db.path) as raw:
        return list(raw.iterdump())


def _exercise(db: Database, title: str, made: dt.date, heads: list[str]) -> str:
    with db.reading() as s:
        lesson = s.scalars(
            select(Evidence.id)
            .where(Evidence.kind == "lesson-observation", Evidence.notes != "")
            .order_by(Evidence.id)
        ).first()
    assert lesson is not None
    item = make_exercise(db, lesson, title=title, today=made)
    area = item.area_keys[0]
    grade = get_framework(item.framework_key).scale_for(area)[0].key
    for head in heads:
        answer_exercise(db, item.id, head, area, grade, f"{title}: my reason")
    return item.id


@pytest.fixture
def exercises(demo_db: Database) -> dict[str, str]:
    """Exercises of four years before the demo's visits (which begin in its first year)."""
    first = int(demo_years()[0][:4])
    with demo_db.reading() as s:
        heads = list(s.scalars(select(Reviewer.id).order_by(Reviewer.id)))[:3]
    made = {
        "oldest": _exercise(demo_db, "Oldest", dt.date(first - 4, 10, 1), heads),
        "old": _exercise(demo_db, "Old", dt.date(first - 2, 3, 1), heads),
        "kept": _exercise(demo_db, "Cut falls in its year", dt.date(first - 1, 9, 15), heads),
    }
    # A deleted exercise of an old year, with a cleared answer: its tombstones go too.
    made["tombstone"] = _exercise(demo_db, "Deleted", dt.date(first - 3, 1, 10), heads[:1])
    with demo_db.transaction() as s:
        s.get(CalibrationExercise, made["tombstone"]).deleted = True  # type: ignore[union-attr]
        for a in s.scalars(
            select(CalibrationAnswer).where(CalibrationAnswer.exercise_id == made["tombstone"])
        ):
            a.deleted = True
    return made


def _today() -> dt.date:
    """A day whose two-year cut (1 October of the year before the demo's first) falls before
    every demo visit, in the academic year of the exercise called "kept"."""
    return dt.date(int(demo_years()[0][:4]) + 1, 10, 1)


def test_retention_deletes_old_exercises_with_their_answers(
    demo_db: Database, exercises: dict[str, str]
) -> None:
    before = _dump(demo_db)
    preview = apply_retention(demo_db, 2, dry_run=True, today=_today())
    assert preview.visits == []
    assert sorted(e[2] for e in preview.exercises) == ["Deleted", "Old", "Oldest"]
    assert preview.what() == "3 calibration exercises"
    assert _dump(demo_db) == before  # a dry run deletes nothing

    result = apply_retention(demo_db, 2, today=_today())
    assert result.backup is not None and result.backup.exists()
    gone = [exercises[k] for k in ("oldest", "old", "tombstone")]
    # 3 exercises, and the answers: three heads for two, one for the deleted one.
    assert result.records == 3 + 3 + 3 + 1
    after = _dump(demo_db)
    assert after == [line for line in before if not any(x in line for x in gone)]
    assert len(after) == len(before) - result.records
    kept = exercise_results(demo_db, exercises["kept"])
    assert kept.areas[0].answered == 3
    with demo_db.reading() as s:
        held = set(s.scalars(select(CalibrationExercise.id)))
    assert exercises["kept"] in held and not held & set(gone)
    assert len(held) >= 2  # the demo's own exercise is of a recent year and stays

    again = apply_retention(demo_db, 2, today=_today())
    assert not again.anything and again.backup is None and _dump(demo_db) == after


def test_a_year_the_cut_falls_in_is_kept_whole(
    demo_db: Database, exercises: dict[str, str]
) -> None:
    # The cut on 31 August: the year ending that day is not wholly before it.
    first = int(demo_years()[0][:4])
    preview = apply_retention(demo_db, 1, dry_run=True, today=dt.date(first - 1, 8, 31))
    assert sorted(e[2] for e in preview.exercises) == ["Deleted", "Oldest"]
    preview = apply_retention(demo_db, 1, dry_run=True, today=dt.date(first - 1, 9, 1))
    assert sorted(e[2] for e in preview.exercises) == ["Deleted", "Old", "Oldest"]


def test_the_retention_command_names_the_exercises(
    demo_db: Database, exercises: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_db.path is not None
    path = Path(demo_db.path)
    before = _dump(demo_db)
    demo_db.close()
    # A cut before the demo's first year, after the years of the old exercises.
    years = dt.date.today().year - int(demo_years()[0][:4]) + 1
    code = main(["--db", str(path), "retention", "--older-than", str(years), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "calibration exercise: Oldest\n" in out and "calibration exercise: Old\n" in out
    assert "Cut falls in its year" not in out
    assert "calibration exercises from before" in out and "would be deleted" in out
    with sqlite3.connect(path) as raw:
        assert list(raw.iterdump()) == before
