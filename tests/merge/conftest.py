"""The merge tests' networks, fresh for each test: a small one (tests/merge/small_network.py)
and the demo network with two laptops (tests/merge/two_laptops.py). A test module may give
``network`` its own meaning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import export_review_package, import_package_files
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
