"""Editing the network's aims and delivery plan: rewording, reordering, moving, refusing."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from nexus_review.errors import NexusError, NotFoundError
from nexus_review.storage.database import Database
from nexus_review.usecases.trust import (
    ActionWording,
    add_aim,
    add_delivery_action,
    delivery_plan,
    edit_aim,
    edit_delivery_action,
    list_aims,
    map_theme,
    priority_themes,
    record_progress,
)


def _dump(db: Database) -> list[str]:
    assert db.path is not None
    with sqlite3.connect(db.path) as conn:
        return list(conn.iterdump())


def test_an_aim_is_reworded_and_moved_the_others_keep_their_order(db: Database) -> None:
    first = add_aim(db, "Enjoy learning")
    second = add_aim(db, "Responsible citizens")
    third = add_aim(db, "Improving provision")
    assert edit_aim(db, third, " Academies keep improving ", "Quality of provision", 1)
    aims = list_aims(db)
    assert [a.id for a in aims] == [third, first, second]
    assert (aims[0].title, aims[0].description) == (
        "Academies keep improving",
        "Quality of provision",
    )
    assert not edit_aim(db, third, "Academies keep improving", "Quality of provision", 1)
    assert edit_aim(db, third, "Academies keep improving", "", 3)
    assert [a.id for a in list_aims(db)] == [first, second, third]


@pytest.mark.sqlite_only
def test_a_bad_aim_edit_says_why_and_changes_nothing(db: Database) -> None:
    aim = add_aim(db, "Enjoy learning")
    before = _dump(db)
    with pytest.raises(NexusError, match="title"):
        edit_aim(db, aim, "  ", "", 1)
    with pytest.raises(NexusError, match="from 1 to 1"):
        edit_aim(db, aim, "Enjoy", "", 2)
    with pytest.raises(NotFoundError):
        edit_aim(db, "no-such-aim", "Enjoy", "", 1)
    with pytest.raises(NexusError, match="description"):
        edit_aim(db, aim, "Enjoy", "x" * 5001, 1)
    assert _dump(db) == before


def test_themes_of_the_priorities_are_listed_with_their_aim(demo_db: Database) -> None:
    themes = dict(priority_themes(demo_db))
    aims = list_aims(demo_db)
    assert themes
    mapped = next(t for t, a in themes.items() if a is not None)
    assert themes[mapped] in {a.id for a in aims}
    map_theme(demo_db, mapped, None)
    assert dict(priority_themes(demo_db))[mapped] is None  # still listed: a priority uses it


def test_a_delivery_action_is_edited_and_moved_keeping_its_progress(db: Database) -> None:
    one, two = add_aim(db, "Enjoy learning"), add_aim(db, "Citizens")
    add_delivery_action(db, two, "2025-26", ActionWording("Pupil parliament"))
    action = add_delivery_action(
        db, one, "2025-26", ActionWording("Phonics refresher", lead="Miss Lomax")
    )
    record_progress(db, action, "2025-26", "autumn", "on_track", "Begun in all schools.")
    moved_to = ActionWording(
        "Phonics and oracy", "Training", "At national", "Mr Hale", dt.date(2026, 7, 17)
    )
    changed = edit_delivery_action(db, action, two, moved_to)
    assert changed
    [moved] = [a for a in delivery_plan(db, "2025-26") if a.id == action]
    assert (moved.aim_id, moved.what, moved.how, moved.outcome, moved.lead, moved.due_date) == (
        two,
        "Phonics and oracy",
        "Training",
        "At national",
        "Mr Hale",
        dt.date(2026, 7, 17),
    )
    assert moved.position == 1  # after the aim's own action
    assert [(p.term, p.status) for p in moved.progress] == [("autumn", "on_track")]
    assert not edit_delivery_action(db, action, two, moved_to)
    record_progress(db, action, "2025-26", "autumn", "at_risk", "Two schools behind.")
    [again] = [a for a in delivery_plan(db, "2025-26") if a.id == action]
    assert [(p.status, p.note) for p in again.progress] == [("at_risk", "Two schools behind.")]


@pytest.mark.sqlite_only
def test_a_bad_action_edit_or_progress_says_why_and_changes_nothing(db: Database) -> None:
    aim = add_aim(db, "Enjoy learning")
    action = add_delivery_action(db, aim, "2025-26", ActionWording("Phonics refresher"))
    before = _dump(db)
    with pytest.raises(NexusError, match="what will be done"):
        edit_delivery_action(db, action, aim, ActionWording("   "))
    with pytest.raises(NotFoundError, match="aim"):
        edit_delivery_action(db, action, "no-such-aim", ActionWording("Phonics"))
    with pytest.raises(NotFoundError, match="delivery action"):
        edit_delivery_action(db, "no-such-action", aim, ActionWording("Phonics"))
    with pytest.raises(NexusError, match="lead"):
        edit_delivery_action(db, action, aim, ActionWording("Phonics", lead="x" * 201))
    with pytest.raises(NexusError, match="term"):
        record_progress(db, action, "2025-26", "winter", "on_track")
    with pytest.raises(NexusError, match="academic year"):
        record_progress(db, action, "2025", "autumn", "on_track")
    with pytest.raises(NexusError, match="progress note"):
        record_progress(db, action, "2025-26", "autumn", "on_track", "x" * 5001)
    assert _dump(db) == before


@pytest.mark.sqlite_only
def test_themes_are_placed_in_one_go_or_not_at_all(db: Database) -> None:
    from nexus_review.usecases.trust import map_themes, theme_aims_now

    one, two = add_aim(db, "Enjoy learning"), add_aim(db, "Citizens")
    map_theme(db, "Attendance", one)
    assert map_themes(db, {"Attendance": two, "Reading and phonics": one, "Oracy": None}) == 2
    assert theme_aims_now(db) == {"Attendance": two, "Reading and phonics": one}
    before = _dump(db)
    with pytest.raises(NotFoundError):
        map_themes(db, {"Attendance": None, "Oracy": "no-such-aim"})
    assert _dump(db) == before
    assert map_themes(db, {"Attendance": None}) == 1
    assert theme_aims_now(db) == {"Reading and phonics": one}
