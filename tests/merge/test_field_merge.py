"""Merging without silent loss: what a laptop exports, and records merged field by field
(different fields merge, the same field is a conflict, a deletion that crossed an edit too).

Each test first reproduces a way an edit was lost or misplaced, then shows it no longer is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nexus_review.errors import NexusError
from nexus_review.interchange.package import read_package
from nexus_review.storage.database import open_database
from nexus_review.storage.models import (
    Evidence,
    School,
    Visit,
)
from nexus_review.usecases.packages import (
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from tests.merge.small_network import Net, edit

ROOT = Path(__file__).resolve().parents[2]


def test_a_laptop_whose_clock_was_ahead_still_exports_new_edits(
    net: Net, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexus_review.usecases.packages as exporting

    edit(net.a, Visit, net.x, summary="Written before the clock was put right")
    ahead = exporting.utcnow() + dt.timedelta(days=3)
    with monkeypatch.context() as clock:
        clock.setattr(exporting, "utcnow", lambda: ahead)
        assert net.send(net.a, "ahead").exists()
    with pytest.raises(NexusError, match="No visit has changed"):
        net.send(net.a, "nothing-new")
    edit(net.a, Visit, net.y, summary="Written after the clock was put right")
    path = net.send(net.a, "later")
    assert [v["id"] for v in read_package(path).records["visit"]] == [net.y]


def test_what_a_laptop_received_is_not_exported_as_its_own(net: Net) -> None:
    edit(net.b, Visit, net.x, summary="From laptop B")
    import_package_files(net.a, [net.send(net.b, "b")])
    with pytest.raises(NexusError, match="No visit has changed"):
        net.send(net.a, "a")


# ---------------------------------------------------------------------------- field by field


def test_two_laptops_editing_different_fields_merge_without_a_conflict(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="Summary from A")
    edit(net.b, Visit, net.x, strengths="Strengths from B")
    edit(net.a, Evidence, net.walk_x, notes="Notes from A")
    edit(net.b, Evidence, net.walk_x, subject="Reading")
    pa, pb = net.send(net.a, "a"), net.send(net.b, "b")
    second = open_database(net.folder / "admin-2.db")
    try:
        import_package_files(second, [net.base_package])
        first_results = import_package_files(net.admin, [pa, pb])
        import_package_files(second, [pb, pa])
        assert all(r.conflicts == 0 for r in first_results)
        for db in (net.admin, second):
            with db.reading() as s:
                visit, walk = s.get(Visit, net.x), s.get(Evidence, net.walk_x)
                assert (visit.summary, visit.strengths) == ("Summary from A", "Strengths from B")
                assert (walk.notes, walk.subject) == ("Notes from A", "Reading")
                assert visit.field_versions == s.get(Visit, net.x).field_versions
        with net.admin.reading() as s1, second.reading() as s2:
            assert s1.get(Visit, net.x).field_versions == s2.get(Visit, net.x).field_versions
            assert s1.get(Visit, net.x).vclock == s2.get(Visit, net.x).vclock
        assert list_conflicts(net.admin) == []
    finally:
        second.close()


def test_the_same_field_on_both_sides_is_one_conflict_resolved_field_by_field(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="A's summary", strengths="A's strengths")
    edit(net.b, Visit, net.x, summary="B's summary", questions="B's questions")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "summary" and conflict.differences() == [
        ("summary", "A's summary", "B's summary")
    ]
    with net.admin.reading() as s:
        shown = s.get(Visit, net.x).summary
    other = "ours" if shown == "B's summary" else "theirs"
    resolve_conflict(net.admin, conflict.id, other)
    with net.admin.reading() as s:
        visit = s.get(Visit, net.x)
        assert visit.summary != shown
        assert (visit.strengths, visit.questions) == (
            "A's strengths",
            "B's questions",
        )  # untouched by the choice
    # The choice reaches both laptops and sticks when their packages come again.
    back = net.send(net.admin, "back", all_visits=True)
    for db in (net.a, net.b):
        assert import_package_files(db, [back])[0].conflicts == 0
        with db.reading() as s:
            assert s.get(Visit, net.x).summary == visit.summary
    again = import_package_files(
        net.admin, [net.send(net.a, "a", all_visits=True), net.send(net.b, "b", all_visits=True)]
    )
    assert all(not r.applied for r in again)


def test_a_deletion_that_crossed_an_edit_is_a_conflict(net: Net) -> None:
    edit(net.a, Evidence, net.walk_x, deleted=True)
    edit(net.b, Evidence, net.walk_x, notes="Added after the walk")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    (conflict,) = list_conflicts(net.admin)
    assert conflict.field == "deleted"
    resolve_conflict(net.admin, conflict.id, "theirs")
    with net.admin.reading() as s:
        walk = s.get(Evidence, net.walk_x)
        assert (walk.deleted, walk.notes) == (False, "Added after the walk")


def test_conflicts_are_listed_and_resolved_per_field_on_the_command_line(
    net: Net, tmp_path: Path
) -> None:
    edit(net.a, Visit, net.x, summary="A says", questions="A asks")
    edit(net.b, Visit, net.x, summary="B says", questions="B asks")
    import_package_files(net.admin, [net.send(net.a, "a"), net.send(net.b, "b")])
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "cli-data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", net.admin.url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    listing = run("conflicts", "--json")
    assert listing.returncode == 0, listing.stderr
    items = json.loads(listing.stdout)
    assert sorted(i["field"] for i in items) == ["questions", "summary"]
    summary = next(i for i in items if i["field"] == "summary")
    assert summary["differences"] == [{"field": "summary", "ours": "A says", "theirs": "B says"}]
    done = run("conflicts", "resolve", summary["id"][:8], "--keep", "theirs")
    assert done.returncode == 0, done.stderr
    assert "summary" in done.stdout
    with net.admin.reading() as s:
        assert s.get(Visit, net.x).summary == "B says"
    assert [i["field"] for i in json.loads(run("conflicts", "--json").stdout)] == ["questions"]


def test_a_database_from_before_field_versions_migrates_and_merges(tmp_path: Path) -> None:
    from alembic import command

    from nexus_review.storage.migrate import alembic_config

    path = tmp_path / "old.db"
    db = open_database(path)
    with db.transaction() as s:
        school = School(name="Staple Hill")
        visit = Visit(
            host_school=school,
            visit_date=dt.date(2026, 2, 2),
            kind="learning-walk",
            framework_key="developmental",
            summary="Before",
        )
        s.add(visit)
    db.close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_initial")
    with engine.connect() as conn:
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(visit)"))]
    engine.dispose()
    assert "field_versions" not in columns
    db = open_database(path)
    try:
        with db.reading() as s:
            held = s.get(Visit, visit.id)
            assert (held.summary, held.field_versions) == ("Before", {})
        edit(db, Visit, visit.id, summary="After")
        with db.reading() as s:
            versions = s.get(Visit, visit.id).field_versions
        assert set(versions) == {"base", "fields"} and list(versions["fields"]) == ["summary"]
        assert versions["base"]["vv"] == {db.device_id: 1}
    finally:
        db.close()


def test_a_change_on_a_laptop_whose_clock_is_behind_still_sorts_after_what_it_replaced() -> None:
    from nexus_review.domain import vclock

    behind = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    before = vclock.record_stamp({"a": 1}, "2026-01-02T10:00:00+00:00", "b")
    versions = vclock.with_changes({}, ["summary"], {"a": 2}, behind, "a", before)
    assert versions["base"] == before
    assert versions["fields"]["summary"]["at"] == "2026-01-02T10:00:00.000001+00:00"
    again = vclock.with_changes(
        versions,
        ["summary"],
        {"a": 3},
        behind,
        "a",
        vclock.record_stamp({"a": 2}, "2026-01-02T10:00:00+00:00", "a"),
    )
    assert again["fields"]["summary"]["at"] == "2026-01-02T10:00:00.000002+00:00"
