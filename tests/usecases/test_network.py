"""The network's use cases: review groups and their rota, following up next steps, a new school year."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from nexus_review.demo import demo_years
from nexus_review.domain.calendar import academic_year_bounds, academic_year_of
from nexus_review.domain.grouping import propose_rota, suggest_groups
from nexus_review.domain.network import (
    tracked_actions,
)
from nexus_review.errors import NexusError
from nexus_review.storage.database import Database
from nexus_review.storage.repository import priority_matrix, retire_review_groups
from nexus_review.usecases.network import (
    copy_previous_year,
    network_visits,
    review_groups,
    save_groups,
    update_action,
    year_start,
)

# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]


def test_the_demo_networks_grouping_and_rota(demo_db: Database) -> None:
    with demo_db.reading() as s:
        matrix = priority_matrix(s, LAST_YEAR)
    groups = suggest_groups(matrix)
    assert sorted(itertools.chain(*groups)) == sorted(sid for sid, _ in matrix.schools)
    ids = save_groups(demo_db, LAST_YEAR, groups, names=[f"Group {i}" for i in range(len(groups))])
    saved = review_groups(demo_db, LAST_YEAR)
    assert len(saved) == len(ids) == len(groups)
    for group in saved:
        dates = [m[3] for m in group.members]
        assert len(set(dates)) == len(dates) == len(group.members)  # each school hosts exactly once
        assert all(
            academic_year_bounds(LAST_YEAR)[0] <= d <= academic_year_bounds(LAST_YEAR)[1]
            and d.weekday() == 2
            for d in dates
        )  # type: ignore[operator,union-attr]
    assert propose_rota(LAST_YEAR, 3) == sorted(propose_rota(LAST_YEAR, 3))
    with pytest.raises(Exception, match="only one review group"):
        save_groups(demo_db, LAST_YEAR, [groups[0], groups[0]])


def test_marking_progress_and_adding_a_follow_up_note(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR)
    action = next(a for a in tracked_actions(visits) if a.status == "open")
    update_action(
        demo_db,
        action.id,
        status="in-progress",
        note="Reported at the spring group meeting",
        when=dt.date(2026, 3, 4),
    )
    after = next(
        a for a in tracked_actions(network_visits(demo_db, LAST_YEAR)) if a.id == action.id
    )
    assert after.status == "in-progress"
    assert after.follow_up[-1] == (dt.date(2026, 3, 4), "Reported at the spring group meeting")
    with pytest.raises(Exception, match="not a status"):
        update_action(demo_db, action.id, status="finished")


# ---- a new school year ------------------------------------------------------------------------


def _sql_dump(db: Database) -> list[object]:
    from tests.pg import dump

    return dump(db)  # every row of every table, on SQLite or PostgreSQL


def _next_year(year: str) -> str:
    return academic_year_of(academic_year_bounds(year)[1] + dt.timedelta(days=1))


def test_a_new_year_starts_from_last_years_priorities_and_groups(demo_db: Database) -> None:
    current = demo_years()[-1]
    new = _next_year(current)  # nothing in it yet
    with demo_db.reading() as s:
        before = priority_matrix(s, current)
    old_groups = review_groups(demo_db, current)
    count = len(before.cells)  # each school's three or four priorities
    assert 30 <= count <= 40 and len(old_groups) == 3
    start = year_start(demo_db, new)
    assert (start.previous, start.priorities, start.groups) == (current, 0, 0)
    assert start.to_copy == (count, 3) and start.missing
    assert (
        start.notice()
        == f"{new} has no school priorities or review groups yet. You can start from {current}'s and change them."
    )
    assert start.confirmation().startswith(
        f"Copy {count} school priorities and 3 review groups from {current} into {new}?"
    )
    assert "deleting them undoes the copy" in start.confirmation()

    copied = copy_previous_year(demo_db, new)

    assert (copied.priorities, copied.groups, copied.previous) == (count, 3, current)
    with demo_db.reading() as s:
        after = priority_matrix(s, new)
        assert priority_matrix(s, current) == before  # last year's are left as they were
    assert after.cells == before.cells and after.themes == before.themes
    new_groups = review_groups(demo_db, new)
    assert review_groups(demo_db, current) == old_groups
    assert sorted(g.name for g in new_groups) == sorted(
        g.name.replace(current, new) for g in old_groups
    )
    first, last = academic_year_bounds(new)
    for old, group in zip(
        sorted(old_groups, key=lambda g: g.name),
        sorted(new_groups, key=lambda g: g.name),
        strict=True,
    ):
        assert group.id != old.id and group.focus == old.focus and group.year == new
        assert [m[1] for m in group.members] == [
            m[1] for m in old.members
        ]  # same schools, same order
        for (_mid, _school, _name, day), (_o, _s, _n, old_day) in zip(
            group.members, old.members, strict=True
        ):
            assert day is not None and old_day is not None
            assert first <= day <= last and day.weekday() == old_day.weekday()
            assert abs((day - old_day).days - 364) <= 7
    # The suggested grouping works on the copy as on any year.
    assert sorted(itertools.chain(*suggest_groups(after))) == sorted(
        sid for sid, _ in after.schools
    )
    again = year_start(demo_db, new)
    assert not again.missing and again.notice() == "" and again.to_copy == (0, 0)
    unchanged = _sql_dump(demo_db)
    with pytest.raises(
        NexusError, match=f"^{new} already has its own school priorities and review groups.$"
    ):
        copy_previous_year(demo_db, new)
    assert _sql_dump(demo_db) == unchanged


def test_only_what_a_year_lacks_is_copied(demo_db: Database) -> None:
    current = demo_years()[-1]
    new = _next_year(current)
    copy_previous_year(demo_db, new)
    with demo_db.transaction() as s:  # the administrator starts the groups again
        retire_review_groups(s, new)
    start = year_start(demo_db, new)
    assert (
        start.notice()
        == f"{new} has no review groups yet. You can start from {current}'s and change them."
    )
    assert start.to_copy == (0, 3)
    assert start.confirmation().startswith(f"Copy 3 review groups from {current} into {new}?")
    copied = copy_previous_year(demo_db, new)
    assert (copied.priorities, copied.groups) == (0, 3)
    assert (
        year_start(demo_db, new).priorities == start.previous_priorities
        and len(review_groups(demo_db, new)) == 3
    )


def test_nothing_to_copy_is_said_in_one_sentence_and_changes_nothing(demo_db: Database) -> None:
    before_demo = academic_year_of(academic_year_bounds(demo_years()[0])[0] - dt.timedelta(days=1))
    start = year_start(demo_db, before_demo)
    assert start.to_copy == (0, 0)
    assert (
        start.notice()
        == f"{before_demo} has no school priorities or review groups yet, and {start.previous} has none to copy."
    )
    unchanged = _sql_dump(demo_db)
    with pytest.raises(
        NexusError, match=f"^{start.previous} has no school priorities or review groups to copy.$"
    ):
        copy_previous_year(demo_db, before_demo)
    with pytest.raises(NexusError, match="is not an academic year"):
        copy_previous_year(demo_db, "2027")
    assert _sql_dump(demo_db) == unchanged


def test_a_copy_that_fails_half_way_leaves_nothing_behind(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_review.errors import DatabaseError
    from nexus_review.storage import repository

    def refused(*_args: object, **_kwargs: object) -> int:
        raise DatabaseError("The disk is full.")

    monkeypatch.setattr(repository, "copy_review_groups", refused)
    unchanged = _sql_dump(demo_db)
    with pytest.raises(DatabaseError):
        copy_previous_year(demo_db, _next_year(demo_years()[-1]))
    assert _sql_dump(demo_db) == unchanged  # the priorities copied first are rolled back too
