"""Syncing laptops with the network server: both ways, conflicts kept, exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from nexus_review.errors import DatabaseError
from nexus_review.storage.database import Database, open_database
from nexus_review.storage.models import Visit
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from nexus_review.usecases.sync import (
    sync_databases,
    sync_with_server,
)
from tests.pg import PgServer, dump, free_port
from tests.sync.network import content, edit, field, take_visits, visits

ROOT = Path(__file__).resolve().parents[2]


def test_a_sync_sends_the_laptops_changes_and_brings_the_networks(
    server: Database, laptop: Database
) -> None:
    first, second = visits(laptop)
    edit(laptop, first, summary="Written on the laptop in Year 4.")
    edit(server, second, questions="Asked by the network office?")
    result = sync_databases(laptop, server)
    assert result.pushed_visits == 1
    assert field(server, first, "summary") == "Written on the laptop in Year 4."
    assert field(laptop, second, "questions") == "Asked by the network office?"
    assert "Synced with" in result.sentence() and "sent" in result.sentence()
    # The network's reference data came too, and the two sides now agree on the laptop's visits.
    ours, theirs = content(laptop), content(server)
    assert set(ours["school"]) == set(theirs["school"])
    for table in ("visit", "evidence", "judgement", "action"):
        assert {k: v for k, v in theirs[table].items() if k in ours[table]} == ours[table]
    # Nothing left to do: a second sync sends and receives nothing, and changes nothing.
    before = (dump(laptop), content(server))
    again = sync_databases(laptop, server)
    assert again.pushed_visits == 0 and again.received is None
    assert content(server) == before[1]
    assert content(laptop) == content(laptop) and again.conflicts == 0


def test_a_field_changed_on_both_sides_is_a_conflict_kept_both_ways(
    server: Database, laptop: Database
) -> None:
    first = visits(laptop)[0]
    edit(laptop, first, summary="The laptop's summary.")
    edit(server, first, summary="The office's summary.")
    result = sync_databases(laptop, server)
    assert result.conflicts >= 1
    on_server = [c for c in list_conflicts(server) if c.record_id == first]
    on_laptop = [c for c in list_conflicts(laptop) if c.record_id == first]
    assert on_server and on_laptop
    values = {str(v) for c in on_server for d in c.differences() for v in d[1:]}
    assert {"The laptop's summary.", "The office's summary."} <= values
    assert field(server, first, "summary") == field(laptop, first, "summary")


def _one_conflict_both_sides(server: Database, laptop: Database) -> str:
    first = visits(laptop)[0]
    edit(laptop, first, summary="The laptop's summary.")
    edit(server, first, summary="The office's summary.")
    sync_databases(laptop, server)
    assert len([c for c in list_conflicts(server) if c.record_id == first]) == 1
    assert len([c for c in list_conflicts(laptop) if c.record_id == first]) == 1
    return first


def _conflicts_of(db: Database, record_id: str) -> list[Any]:
    return [c for c in list_conflicts(db, open_only=False) if c.record_id == record_id]


@pytest.mark.parametrize("resolved_on", ["laptop", "server"])
@pytest.mark.parametrize("keep", ["laptop's", "office's"])
def test_a_conflict_resolved_on_one_side_is_closed_on_the_other_by_the_next_sync(
    server: Database, laptop: Database, resolved_on: str, keep: str
) -> None:
    first = _one_conflict_both_sides(server, laptop)
    here = laptop if resolved_on == "laptop" else server
    conflict = _conflicts_of(here, first)[0]
    # On each side "ours" is the version that side held: the laptop's, or the office's.
    own = "The laptop's summary." if here is laptop else "The office's summary."
    keep_side = "ours" if own == f"The {keep} summary." else "theirs"
    resolve_conflict(here, conflict.id, keep_side)
    chosen = f"The {keep} summary."
    assert field(here, first, "summary") == chosen
    result = sync_databases(laptop, server)
    assert "closed on the other" in result.sentence()
    # Both sides agree: the record holds the choice, and the one conflict is closed on each
    # with the same version kept (named from each side's own point of view).
    for db in (laptop, server):
        assert field(db, first, "summary") == chosen
        (closed,) = _conflicts_of(db, first)
        assert closed.resolved is not None
        kept = closed.ours if closed.resolved == "ours" else closed.theirs
        assert kept["summary"] == chosen
    assert [c for c in list_conflicts(server) if c.record_id == first] == []
    assert [c for c in list_conflicts(laptop) if c.record_id == first] == []
    # Exactly once: another sync changes nothing and opens nothing.
    before = [(content(db), list_conflicts(db, open_only=False)) for db in (laptop, server)]
    again = sync_databases(laptop, server)
    assert again.conflicts == 0 and "closed" not in again.sentence()
    assert [(content(db), list_conflicts(db, open_only=False)) for db in (laptop, server)] == before


def test_the_conflicted_record_passed_on_unresolved_leaves_the_conflict_open(
    server: Database, laptop: Database, tmp_path: Path
) -> None:
    """A second laptop that received the record as the conflict left it, and changed another
    field, has chosen nothing: its sync closes no conflict."""
    first = _one_conflict_both_sides(server, laptop)
    other = take_visits(server, tmp_path / "other.db", [first])
    edit(other, first, strengths="Reading for pleasure")
    result = sync_databases(other, server)
    assert "closed" not in result.sentence()
    assert len([c for c in list_conflicts(server) if c.record_id == first]) == 1
    other.close()


def test_a_resolution_travels_in_a_review_package_too(
    server: Database, laptop: Database, tmp_path: Path
) -> None:
    first = _one_conflict_both_sides(server, laptop)
    resolve_conflict(laptop, _conflicts_of(laptop, first)[0].id, "ours")
    package = tmp_path / "resolved.nxr"
    export_review_package(laptop, package, visit_ids=[first])
    (result,) = import_package_files(server, [package])
    assert result.closed == 1 and result.conflicts == 0
    (closed,) = _conflicts_of(server, first)
    assert (
        closed.resolved == "theirs" and field(server, first, "summary") == "The laptop's summary."
    )
    # The sync after it finds both sides agreeing.
    again = sync_databases(laptop, server)
    assert again.conflicts == 0 and "closed" not in again.sentence()
    assert [c for c in list_conflicts(laptop) if c.record_id == first] == []


def test_a_laptop_that_has_never_synced_receives_the_reference_data(
    server: Database, tmp_path: Path
) -> None:
    fresh = open_database(tmp_path / "new-laptop.db")
    result = sync_databases(fresh, server)
    assert result.pushed_visits == 0
    assert set(content(fresh)["school"]) == set(content(server)["school"])
    assert visits(fresh) == []  # only its own visits travel
    fresh.close()


def test_two_laptops_meet_through_the_server(server: Database, tmp_path: Path) -> None:
    chosen = visits(server)[:1]
    a = take_visits(server, tmp_path / "a.db", chosen)
    b = take_visits(server, tmp_path / "b.db", chosen)
    edit(a, chosen[0], strengths="Reading for pleasure")
    edit(b, chosen[0], questions="How is phonics assessed?")
    for laptop in (a, b, a):
        sync_databases(laptop, server)
    assert (
        field(a, chosen[0], "strengths")
        == field(b, chosen[0], "strengths")
        == "Reading for pleasure"
    )
    assert field(a, chosen[0], "questions") == "How is phonics assessed?"
    assert list_conflicts(server) == []
    a.close()
    b.close()


def test_no_connection_is_one_sentence_and_changes_nothing(laptop: Database) -> None:
    edit(laptop, visits(laptop)[0], summary="Kept offline.")
    before = dump(laptop)
    url = f"postgresql+psycopg://reviewer:Sekr1t-pw@127.0.0.1:{free_port()}/network"
    with pytest.raises(DatabaseError) as err:
        sync_with_server(laptop, url)
    message = str(err.value)
    assert "cannot be reached" in message and "Sekr1t" not in message and "\n" not in message
    assert dump(laptop) == before


def test_sync_on_the_command_line(
    server: Database, laptop: Database, pg_server: PgServer, tmp_path: Path
) -> None:
    edit(laptop, visits(laptop)[0], summary="From the command line.")
    url = server.url.replace(f":{pg_server.password}@", "@")
    secret = tmp_path / "password.txt"
    secret.write_text(pg_server.password + "\n", "utf-8")
    laptop_path = str(laptop.path)
    laptop.close()
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "nexus_review", "--db", laptop_path, "sync", "--server", url, "--password-file", str(secret)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Synced with" in run.stdout and pg_server.password not in run.stdout + run.stderr
    assert field(server, visits(server)[0], "summary") is not None
    with server.reading() as s:
        assert "From the command line." in set(s.scalars(select(Visit.summary)))
