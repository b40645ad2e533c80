"""Review packages and merging: many laptops into one network database, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from nexus_review.storage.backups import list_backups
from nexus_review.storage.database import Database
from nexus_review.storage.models import Conflict, Evidence, ImportRecord, Visit
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
    list_conflicts,
    resolve_conflict,
)
from tests.merge.two_laptops import _copy_db, _edit_summary, _visits, content, snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_two_laptops_in_either_order_give_every_edit_and_one_conflict(
    network: dict[str, object],
) -> None:
    admin, a, b, tmp = network["admin"], network["a"], network["b"], network["tmp"]
    assert (
        isinstance(admin, Database)
        and isinstance(a, Database)
        and isinstance(b, Database)
        and isinstance(tmp, Path)
    )
    visits = _visits(admin)
    only_a, only_b, shared = visits[0], visits[1], visits[2]
    _edit_summary(a, only_a, "Edited on laptop A")
    _edit_summary(b, only_b, "Edited on laptop B")
    _edit_summary(a, shared, "Laptop A's view of the shared visit")
    _edit_summary(b, shared, "Laptop B's view of the shared visit")
    with a.transaction() as s:  # a deletion travels as a tombstone
        gone = s.scalars(select(Evidence).where(Evidence.visit_id == only_a)).first()
        assert gone is not None
        gone.deleted = True
        gone_id = gone.id
    pa, pb = tmp / "a.nxr", tmp / "b.nxr"
    assert export_review_package(a, pa).visits == 2  # only what this laptop changed
    export_review_package(b, pb)

    second = _copy_db(admin, tmp / "admin-2.db")
    try:
        import_package_files(admin, [pa, pb])
        results = import_package_files(second, [pb, pa])
        assert [r.conflicts for r in results] == [0, 1]
        assert content(admin) == content(second)  # the order of arrival changes nothing
        for db in (admin, second):
            with db.reading() as s:
                assert s.get(Visit, only_a).summary == "Edited on laptop A"
                assert s.get(Visit, only_b).summary == "Edited on laptop B"
                assert s.get(Evidence, gone_id).deleted is True
            (conflict,) = list_conflicts(db)
            assert conflict.record_id == shared and conflict.table == "visit"
            assert {conflict.ours["summary"], conflict.theirs["summary"]} == {
                "Laptop A's view of the shared visit",
                "Laptop B's view of the shared visit",
            }
            assert (
                "summary",
                conflict.ours["summary"],
                conflict.theirs["summary"],
            ) in conflict.differences()
        with admin.reading() as s:
            shown = s.get(Visit, shared).summary
        (conflict,) = list_conflicts(admin)
        other = "theirs" if conflict.shown == "ours" else "ours"
        resolve_conflict(admin, conflict.id[:8], other)
        with admin.reading() as s:
            kept = s.get(Visit, shared).summary
        assert kept != shown and kept in {
            "Laptop A's view of the shared visit",
            "Laptop B's view of the shared visit",
        }
        assert list_conflicts(admin) == []
        # The choice sticks: the laptops' packages arriving again change nothing.
        again = import_package_files(admin, [pa, pb])
        assert all(r.applied is False and r.conflicts == 0 for r in again)
        with admin.reading() as s:
            assert s.get(Visit, shared).summary == kept
    finally:
        second.close()


def test_importing_the_same_package_twice_changes_nothing(network: dict[str, object]) -> None:
    admin, a, tmp = network["admin"], network["a"], network["tmp"]
    assert isinstance(admin, Database) and isinstance(a, Database) and isinstance(tmp, Path)
    _edit_summary(a, _visits(a)[5], "Once only")
    export_review_package(a, tmp / "once.nxr")
    first = import_package_files(admin, [tmp / "once.nxr"])
    assert first[0].updated == 1 and first[0].applied
    before = snapshot(admin)
    with admin.reading() as s:
        imports = len(list(s.scalars(select(ImportRecord))))
    second = import_package_files(admin, [tmp / "once.nxr"])
    assert second[0].applied is False and second[0].updated == second[0].added == 0
    assert snapshot(admin) == before
    with admin.reading() as s:
        assert len(list(s.scalars(select(ImportRecord)))) == imports


def test_each_import_is_recorded_and_backed_up_first(network: dict[str, object]) -> None:
    admin, a, tmp = network["admin"], network["a"], network["tmp"]
    assert isinstance(admin, Database) and isinstance(a, Database) and isinstance(tmp, Path)
    _edit_summary(a, _visits(a)[7], "Recorded")
    export_review_package(a, tmp / "r.nxr")
    # A network database file is backed up before the import; a server is backed up with its
    # own tools (docs/server.md), so there is no file to copy.
    before = list_backups(admin.path) if admin.path is not None else []
    (result,) = import_package_files(admin, [tmp / "r.nxr"])
    if admin.path is not None:
        made = [b for b in list_backups(admin.path) if b not in before]
        assert [b.reason for b in made] == ["before-import"]
    else:
        assert admin.engine.dialect.name == "postgresql"
    with admin.reading() as s:
        record = s.get(ImportRecord, result.import_id)
        assert record is not None
        assert (record.file_name, record.updated, record.conflicts) == ("r.nxr", 1, 0)
        assert record.source_device_id == a.device_id
        assert record.unchanged == result.unchanged > 0


def test_an_import_applies_completely_or_not_at_all(
    network: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, a, tmp = network["admin"], network["a"], network["tmp"]
    assert isinstance(admin, Database) and isinstance(a, Database) and isinstance(tmp, Path)
    for i, vid in enumerate(_visits(a)[:4]):
        _edit_summary(a, vid, f"Change {i}")
    export_review_package(a, tmp / "all-or-nothing.nxr")
    before = snapshot(admin)
    import nexus_review.merge.apply as merge

    calls = {"n": 0}
    original_flush = merge.Session.flush

    def failing_flush(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # after the records were written, before the import is recorded
            raise RuntimeError("power cut in the middle of an import")
        return original_flush(self, *args, **kwargs)

    monkeypatch.setattr(merge.Session, "flush", failing_flush)
    with pytest.raises(RuntimeError):
        import_package_files(admin, [tmp / "all-or-nothing.nxr"])
    monkeypatch.setattr(merge.Session, "flush", original_flush)
    assert calls["n"] == 2
    assert snapshot(admin) == before


def test_package_command_line(network: dict[str, object], tmp_path: Path) -> None:
    admin, a = network["admin"], network["a"]
    assert isinstance(admin, Database) and isinstance(a, Database)
    _edit_summary(a, _visits(a)[3], "From the command line")
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    secret = tmp_path / "pass.txt"
    secret.write_text("staffroom kettle\n", encoding="utf-8")
    out = tmp_path / "cli.nxr"
    proc = run(
        "--db", a.url, "package", "export", "--out", str(out), "--passphrase-file", str(secret)
    )
    assert proc.returncode == 0, proc.stderr
    assert "protected with a passphrase" in proc.stdout
    dry = run(
        "--db",
        admin.url,
        "package",
        "import",
        str(out),
        "--passphrase-file",
        str(secret),
        "--dry-run",
        "--json",
    )
    assert dry.returncode == 0, dry.stderr
    (counts,) = json.loads(dry.stdout)
    assert counts["updated"] == 1 and counts["applied"] is False
    with admin.reading() as s:
        assert s.get(Visit, _visits(a)[3]).summary != "From the command line"
    done = run("--db", admin.url, "package", "import", str(out), "--passphrase-file", str(secret))
    assert done.returncode == 0 and "updated 1" in done.stdout
    no_pass = run("--db", admin.url, "package", "import", str(out))
    assert (
        no_pass.returncode == 1
        and "give the passphrase" in no_pass.stderr
        and "Traceback" not in no_pass.stderr
    )
    listed = run("--db", admin.url, "conflicts", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    bad = run("--db", admin.url, "conflicts", "resolve", "abcd1234", "--keep", "theirs")
    assert bad.returncode == 1 and "There is no conflict" in bad.stderr


def test_conflicts_on_the_command_line(network: dict[str, object], tmp_path: Path) -> None:
    admin, a, b = network["admin"], network["a"], network["b"]
    assert isinstance(admin, Database) and isinstance(a, Database) and isinstance(b, Database)
    shared = _visits(a)[9]
    _edit_summary(a, shared, "A says")
    _edit_summary(b, shared, "B says")
    export_review_package(a, tmp_path / "a.nxr")
    export_review_package(b, tmp_path / "b.nxr")
    env = {**os.environ, "NEXUS_REVIEW_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", admin.url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    assert (
        "conflicts 1"
        in run("package", "import", str(tmp_path / "a.nxr"), str(tmp_path / "b.nxr")).stdout
    )
    listing = run("conflicts")
    assert "The visit to" in listing.stdout and "summary: ours" in listing.stdout
    with admin.reading() as s:
        conflict = s.scalars(select(Conflict)).one()
    keep = "ours" if conflict.shown == "theirs" else "theirs"
    resolved = run("conflicts", "resolve", conflict.id[:8], "--keep", keep)
    assert resolved.returncode == 0, resolved.stderr
    with admin.reading() as s:
        assert (
            s.get(Visit, shared).summary
            == (conflict.ours if keep == "ours" else conflict.theirs)["summary"]
        )
    assert "There are no open conflicts." in run("conflicts").stdout
