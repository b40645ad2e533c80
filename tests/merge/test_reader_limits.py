"""The package reader's own limits: it reads a bounded amount from any file (one that never
ends, or one that is not a regular file), every JSON column that travels has a declared and
bounded shape, and the writer's own key-derivation settings are within what it accepts.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from nexus_review.interchange.package import read_package
from nexus_review.storage.database import open_database
from tests.merge.hostile_files import Records, dump, package

ROOT = Path(__file__).resolve().parents[2]


def test_the_writers_own_key_derivation_settings_are_accepted(
    laptop_records: Records, tmp_path: Path
) -> None:
    out = package(tmp_path, laptop_records, lambda r: None, passphrase="correct horse")
    assert read_package(out, "correct horse").records == laptop_records


def test_a_package_that_never_ends_is_read_only_as_far_as_the_limit(tmp_path: Path) -> None:
    """`package import /dev/zero` (or a pipe) stops at the size limit instead of filling memory."""
    network = tmp_path / "network.db"
    open_database(network).close()
    before = dump(network)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

    for argv in (["package", "import", "/dev/zero"], ["visit", "import", "/dev/zero"]):
        proc = subprocess.run(
            [sys.executable, "-m", "nexus_review", "--db", str(network), *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=limit_memory,
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.count("\n") == 1 and "too large" in proc.stderr, proc.stderr
    assert dump(network) == before


def test_the_size_limits_hold_for_files_that_are_not_regular(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_review.errors import InterchangeError
    from nexus_review.interchange import package as package_module
    from nexus_review.interchange import visit_check

    monkeypatch.setattr(package_module, "MAX_PACKAGE_BYTES", 1000)
    monkeypatch.setattr(visit_check, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InterchangeError, match="too large"):
        read_package(Path("/dev/zero"))
    with pytest.raises(InterchangeError, match="too large"):
        visit_check.read_visit_file(Path("/dev/zero"))
    with pytest.raises(InterchangeError, match="not a Nexus Review review package"):
        read_package(Path("/dev/null"))


def test_every_json_column_that_travels_has_a_declared_shape() -> None:
    from sqlalchemy.types import JSON

    from nexus_review.interchange.package import TABLES
    from nexus_review.interchange.package_schema import payload_schema

    tables = payload_schema()["properties"]["records"]["properties"]
    for name, model in TABLES.items():
        for column in model.__table__.columns:  # type: ignore[attr-defined]
            if isinstance(column.type, JSON):
                shape = tables[name]["items"]["properties"][column.key]
                assert shape["type"] in ("object", "array"), (name, column.key)
                assert ("items" in shape) or ("additionalProperties" in shape), (name, column.key)
                assert ("maxItems" in shape) or ("maxProperties" in shape), (name, column.key)
