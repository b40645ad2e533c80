"""The merge tests' networks, fresh for each test: a small one (tests/merge/small_network.py)
and the demo network with two laptops (tests/merge/two_laptops.py). A test module may give
``network`` its own meaning.

For the hostile-file tests, one for each module: the records of one reviewer's package; and
for the fuzzing tests, one laptop's visit as package records, as a visit file and sealed, and
the administrator's database the fuzzed files are offered to, with its SQL dump (what
"unchanged" means)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nexus_review.interchange.package import read_package
from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import export_review_package, import_package_files
from nexus_review.usecases.visit_files import export_visit_file
from tests.core.builders import make_visit
from tests.merge.fuzzing import PASSPHRASE
from tests.merge.hostile_files import Records
from tests.merge.small_network import Net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    network = Net(tmp_path)
    yield network
    network.close()


@pytest.fixture
def network(demo_db: Database, tmp_path: Path) -> dict[str, object]:
    """The administrator's network database, and two laptops that took the network's visits."""
    base = tmp_path / "network.nxr"
    export_review_package(demo_db, base, all_visits=True)
    laptops = {}
    for name in ("a", "b"):
        laptop = open_database(tmp_path / f"laptop-{name}.db")
        import_package_files(laptop, [base])
        laptops[name] = laptop
    yield {"admin": demo_db, "a": laptops["a"], "b": laptops["b"], "tmp": tmp_path}
    for laptop in laptops.values():
        laptop.close()


@pytest.fixture
def good_package(network: dict[str, object]) -> Path:
    a, tmp = network["a"], network["tmp"]
    assert isinstance(a, Database) and isinstance(tmp, Path)
    out = tmp / "good.nxr"
    export_review_package(a, out, all_visits=True)
    return out


@pytest.fixture(scope="module")
def laptop_records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """The records of one reviewer's package (one visit with everything in it)."""
    folder = tmp_path_factory.mktemp("laptop")
    laptop = open_database(folder / "laptop.db")
    make_visit(laptop)
    export_review_package(laptop, folder / "visit.nxr", all_visits=True)
    laptop.close()
    return read_package(folder / "visit.nxr").records


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One laptop's visit as package records and as a visit file, and a sealed package."""
    folder = tmp_path_factory.mktemp("fuzz-laptop")
    laptop = open_database(folder / "laptop.db")
    visit_id = make_visit(laptop)
    export_review_package(laptop, folder / "plain.nxr", all_visits=True)
    export_visit_file(laptop, visit_id, folder / "visit.json")
    export_review_package(laptop, folder / "sealed.nxr", all_visits=True, passphrase=PASSPHRASE)
    laptop.close()
    with zipfile.ZipFile(folder / "plain.nxr") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        records = json.loads(zf.read("payload.json"))["records"]
    with zipfile.ZipFile(folder / "sealed.nxr") as zf:
        sealed = {
            "manifest": json.loads(zf.read("manifest.json")),
            "payload": zf.read("payload.bin"),
        }
    return {
        "records": records,
        "manifest": manifest,
        "visit": json.loads((folder / "visit.json").read_text("utf-8")),
        "sealed": sealed,
    }


@pytest.fixture(scope="module")
def fuzz_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The administrator's database the fuzzed files are offered to: it must stay unchanged."""
    db = open_database(tmp_path_factory.mktemp("fuzz-network") / "network.db")
    make_visit(db, school_name="Oakfield Primary")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    yield db
    db.close()


@pytest.fixture(scope="module")
def dump_of(fuzz_network: Database) -> Any:
    assert fuzz_network.path is not None
    conn = sqlite3.connect(fuzz_network.path)
    yield lambda: "\n".join(conn.iterdump())
    conn.close()
