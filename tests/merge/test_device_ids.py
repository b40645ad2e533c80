"""Each laptop's database has a device id of its own, even when a file was copied or replaced:
the versions of two laptops are never taken for one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from nexus_review.interchange.package import read_package
from nexus_review.storage.database import open_database
from nexus_review.storage.models import (
    Visit,
)
from nexus_review.usecases.packages import (
    import_package_files,
)
from tests.merge.small_network import Net, edit

ROOT = Path(__file__).resolve().parents[2]


def test_a_copied_database_on_another_laptop_takes_its_own_device_id(
    net: Net, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with net.a.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    clone_folder = tmp_path / "second-laptop"
    clone_folder.mkdir()
    shutil.copyfile(net.a.path, clone_folder / "a.db")  # type: ignore[arg-type]
    with monkeypatch.context() as other_laptop:
        other_laptop.setenv("NEXUS_REVIEW_DATA_DIR", str(tmp_path / "second-laptop-data"))
        clone = open_database(clone_folder / "a.db")
    try:
        assert clone.device_id != net.a.device_id
        # The original edits the visit twice, the clone once: the clone's edit is not "older".
        edit(net.a, Visit, net.x, summary="First on the original")
        edit(net.a, Visit, net.x, summary="Second on the original")
        edit(clone, Visit, net.x, strengths="Noted on the clone")
        results = import_package_files(net.admin, [net.send(net.a, "a"), net.send(clone, "clone")])
        assert results[1].updated == 1
        with net.admin.reading() as s:
            visit = s.get(Visit, net.x)
            assert (visit.summary, visit.strengths) == (
                "Second on the original",
                "Noted on the clone",
            )
    finally:
        clone.close()
    # The id belongs to this installation and this database: reopening keeps it.
    again = open_database(net.a.path)  # type: ignore[arg-type]
    assert again.device_id == net.a.device_id
    again.close()
    held = json.loads(
        (Path(os.environ["NEXUS_REVIEW_DATA_DIR"]) / "devices.json").read_text("utf-8")
    )
    assert net.a.device_id in {entry["device"] for entry in held["databases"].values()}


def test_a_database_copied_beside_itself_takes_a_new_device_id(net: Net, tmp_path: Path) -> None:
    with net.a.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(net.a.path, tmp_path / "copy.db")  # type: ignore[arg-type]
    copy = open_database(tmp_path / "copy.db")
    try:
        assert copy.device_id != net.a.device_id
    finally:
        copy.close()


def test_a_database_whose_file_was_replaced_can_be_given_a_new_device_id(net: Net) -> None:
    from nexus_review.storage.devices import forget_device_id, own_device_ids

    old = net.a.device_id
    edit(net.a, Visit, net.x, summary="Before the file was replaced")
    net.a.close()
    forget_device_id(net.folder / "a.db")
    net.a = open_database(net.folder / "a.db")
    assert net.a.device_id != old
    with net.a.reading() as s:
        assert own_device_ids(s)[-2:] == [old, net.a.device_id]
    # Its changes under the old id not yet sent still go in its next package.
    assert [v["id"] for v in read_package(net.send(net.a, "a")).records["visit"]] == [net.x]
