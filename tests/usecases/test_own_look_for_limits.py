"""A look-for longer than an own grade can hold (200 characters) is refused in a sentence,
before it reaches the database (where a network server would refuse it with an error no
reviewer should see); nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest

from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.storage.models import DropIn, Evidence
from nexus_review.usecases.own_grades import record_own_grade
from tests.usecases.test_consistency import dump, team_visit


def test_a_look_for_too_long_for_an_own_grade_is_refused(db: Database) -> None:
    visit, (ann, _ben) = team_visit(db, "Oak Primary", dt.date(2025, 10, 1), ("Ann", "Ben"))
    long = "Pupils use the sentence stems on the working wall " * 5  # 250 characters
    with db.transaction() as s:
        walk = Evidence(
            visit_id=visit, kind="learning-walk", look_fors=[long.strip(), "Talk partners"]
        )
        s.add(walk)
        s.flush()
        room = DropIn(evidence_id=walk.id, class_name="Oak")
        s.add(room)
        s.flush()
        room_id = room.id
    before = dump(db)
    with pytest.raises(NexusError, match="at most 200 characters") as info:
        record_own_grade(db, visit, ann, drop_in_id=room_id, look_for=long.strip(), grade="seen")
    assert "\n" not in str(info.value)
    assert dump(db) == before
    saved = record_own_grade(
        db, visit, ann, drop_in_id=room_id, look_for="Talk partners", grade="seen"
    )
    assert saved is not None and saved.grade == "seen"
