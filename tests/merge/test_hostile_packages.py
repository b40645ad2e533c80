"""Hostile review packages and visit files: each is refused in one sentence, nothing written.

A package reaches the administrator's database from a laptop the office does not control. The
reader validates the shape of every value (JSON columns included), bounds integers, text,
nesting and the passphrase's key-derivation settings, and reads a bounded amount from any file;
whatever the file holds, the command line answers in one line and the database is unchanged.
"""

from __future__ import annotations

import copy
import io
import json
import resource
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nexus_review.cli import main
from nexus_review.interchange.package import read_package, write_package
from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import export_review_package
from tests.core.builders import make_visit

ROOT = Path(__file__).resolve().parents[2]

Records = dict[str, list[dict[str, Any]]]


def dump(path: Path) -> str:
    """The whole database as SQL: what "unchanged" means."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def laptop_records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """The records of one reviewer's package (one visit with everything in it)."""
    folder = tmp_path_factory.mktemp("laptop")
    laptop = open_database(folder / "laptop.db")
    make_visit(laptop)
    export_review_package(laptop, folder / "visit.nxr", all_visits=True)
    laptop.close()
    return read_package(folder / "visit.nxr").records


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """The administrator's database, holding another school's visit already."""
    path = tmp_path / "network.db"
    db = open_database(path)
    make_visit(db, school_name="Oakfield Primary")
    db.close()
    return path


def package(
    tmp_path: Path,
    records: Records,
    edit: Callable[[Records], None],
    *,
    passphrase: str | None = None,
) -> Path:
    changed = copy.deepcopy(records)
    edit(changed)
    out = tmp_path / "hostile.nxr"
    if passphrase:
        write_package(
            out, changed, reviewer="Mr D. Okafor", device_id="laptop-1", passphrase=passphrase
        )
    else:  # written as JSON with escapes, so that text the writer could never hold can travel
        write_package(out, {}, reviewer="Mr D. Okafor", device_id="laptop-1")
        _rewrite(out, json.dumps({"records": changed}).encode("ascii"))
    return out


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], network: Path, *argv: str) -> str:
    """Runs a command that must be refused; gives its one sentence."""
    before = dump(network)
    code, out, err = cli(capsys, "--db", str(network), *argv)
    assert code == 1, out + err
    assert err.count("\n") == 1 and err.startswith("nexus-review: "), err
    assert "did not expect" not in err, err
    assert dump(network) == before
    return err


def _first(records: Records, table: str) -> dict[str, Any]:
    return records[table][0]


def test_a_json_column_of_the_wrong_shape_is_refused_and_reports_still_work(
    capsys: pytest.CaptureFixture[str], laptop_records: Records, network: Path, tmp_path: Path
) -> None:
    def grades_as_a_list(r: Records) -> None:
        _first(r, "evidence")["grades"] = ["strong-standard"]

    err = refused(
        capsys,
        network,
        "package",
        "import",
        str(package(tmp_path, laptop_records, grades_as_a_list)),
    )
    assert "grades" in err
    # and everything that reads the database still works afterwards
    code, _out, err = cli(
        capsys,
        "--db",
        str(network),
        "package",
        "export",
        "--all",
        "--out",
        str(tmp_path / "all.nxr"),
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        (("evidence", "look_fors"), {"not": "a list"}, "look_fors"),
        (("evidence", "focus_links"), [1, 2], "focus_links"),
        (("evidence", "grades"), {"quality": {"nested": "object"}}, "grades"),
        (("visit", "focus_areas"), "Reading", "focus_areas"),
        (("judgement", "evidence_ids"), ["not an id"], "evidence_ids"),
        (("action", "follow_up"), [{"note": "Checked", "extra": 1}], "follow_up"),
        (("action", "follow_up"), ["just text"], "follow_up"),
        (("drop_in", "look_for_results"), {"Questioning": "brilliant"}, "look_for_results"),
        (("visit", "vclock"), {"laptop": -1}, "vclock"),
    ],
)
def test_every_json_column_has_a_declared_shape(
    capsys: pytest.CaptureFixture[str],
    laptop_records: Records,
    network: Path,
    tmp_path: Path,
    where: tuple[str, str],
    value: Any,
    words: str,
) -> None:
    table, column = where

    def edit(r: Records) -> None:
        _first(r, table)[column] = value

    err = refused(
        capsys, network, "package", "import", str(package(tmp_path, laptop_records, edit))
    )
    assert words in err


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("evidence", "visit_id", ""),
        ("visit", "host_school_id", ""),
        ("visit_reviewer", "reviewer_id", ""),
        ("reviewer", "home_school_id", ""),
        ("visit", "revision", 2**63),
        ("evidence", "position", 2**63),
        ("evidence", "participants", 2**63),
        ("evidence", "participants", -(2**63) - 1),
        ("action", "position", 2**64),
        ("visit", "vclock", {"laptop-1": 2**63}),
        ("evidence", "notes", "Pupils read \ud800 aloud"),
        ("school", "name", "\udfff"),
        ("evidence", "grades", {"\ud800": "strong-standard"}),
        ("evidence", "grades", {"two\nlines": ["not", "a", "grade"]}),  # the message stays one line
    ],
)
def test_bad_values_are_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str],
    laptop_records: Records,
    network: Path,
    tmp_path: Path,
    table: str,
    column: str,
    value: Any,
) -> None:
    def edit(r: Records) -> None:
        _first(r, table)[column] = value

    err = refused(
        capsys, network, "package", "import", str(package(tmp_path, laptop_records, edit))
    )
    assert column in err


@pytest.mark.parametrize("depth", [100, 990, 1000, 5000])
def test_deeply_nested_lists_are_refused(
    capsys: pytest.CaptureFixture[str],
    laptop_records: Records,
    network: Path,
    tmp_path: Path,
    depth: int,
) -> None:
    out = package(tmp_path, laptop_records, lambda r: None)
    payload = json.loads(_member(out, "payload.json"))
    text = json.dumps(payload)
    nested = "[" * depth + "]" * depth
    text = text.replace('"focus_areas": [', f'"focus_areas": [{nested}, ', 1)
    _rewrite(out, text.encode("utf-8"))
    err = refused(capsys, network, "package", "import", str(out))
    assert "nested" in err or "focus_areas" in err


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def _rewrite(
    path: Path, payload: bytes | None = None, manifest: Callable[[str], str] | None = None
) -> None:
    """Rewrite a package's members, keeping its checksum true (what a careful forger does)."""
    import hashlib

    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    info = json.loads(members["manifest.json"])
    if payload is not None:
        members[info["payload"]] = payload
        info["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    text = json.dumps(info, indent=2)
    if manifest is not None:
        text = manifest(text)
    members["manifest.json"] = text.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("n", "1e999"),
        ("n", "-1e999"),
        ("n", "1e308"),
        ("n", "32768.0"),
        ("n", "2097152"),
        ("n", "true"),
        ("n", '"32768"'),
        ("n", "9" * 5000),
        ("r", "1048576"),
        ("r", "32"),
        ("p", "1073741824"),
        ("p", "16"),
        ("n", "0"),
        ("n", "3"),
    ],
)
def test_unreasonable_key_derivation_settings_are_refused_before_deriving(
    capsys: pytest.CaptureFixture[str],
    laptop_records: Records,
    network: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    value: str,
) -> None:
    from nexus_review.interchange import sealing

    out = package(tmp_path, laptop_records, lambda r: None, passphrase="correct horse")
    defaults = {"n": 32768, "r": 8, "p": 1}
    _rewrite(
        out,
        manifest=lambda text: text.replace(
            f'"{setting}": {defaults[setting]}', f'"{setting}": {value}', 1
        ),
    )
    assert value in _member(out, "manifest.json").decode()

    def no_deriving(*args: Any) -> bytes:
        raise AssertionError("a key was derived with settings the reader should have refused")

    monkeypatch.setattr(sealing, "_key", no_deriving)
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse", encoding="utf-8")
    err = refused(capsys, network, "package", "import", "--passphrase-file", str(secret), str(out))
    assert "protection settings" in err or "number far too long" in err


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


def test_a_visit_file_with_bad_values_is_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], network: Path, tmp_path: Path
) -> None:
    db = open_database(tmp_path / "laptop.db")
    visit_id = make_visit(db)
    from nexus_review.usecases.visit_files import export_visit_file

    export_visit_file(db, visit_id, tmp_path / "visit.json")
    db.close()
    good = json.loads((tmp_path / "visit.json").read_text("utf-8"))
    edits: list[Callable[[dict[str, Any]], None]] = [
        lambda d: d["evidence"][0].__setitem__("notes", "Pupils \ud800 read"),
        lambda d: d["evidence"][0].__setitem__("position", 2**63),
        lambda d: d["evidence"][0].__setitem__("participants", 2**63),
        lambda d: d["visit"].__setitem__("revision", 2**63),
        lambda d: d["visit"]["vclock"].__setitem__("x", 2**63),
        lambda d: d["team"][0].__setitem__("position", -(2**63) - 1),
        lambda d: d["evidence"][0].__setitem__("grades", {"\udc00": "strong-standard"}),
        lambda d: d["visit"].__setitem__("focus_areas", [[[["deep"]]]]),
    ]
    for i, edit in enumerate(edits):
        document = copy.deepcopy(good)
        edit(document)
        path = tmp_path / f"bad-{i}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        refused(capsys, network, "visit", "import", str(path))
    nested = tmp_path / "nested.json"
    text = json.dumps(good).replace(
        '"focus_areas": [', '"focus_areas": [' + "[" * 995 + "]" * 995 + ", ", 1
    )
    nested.write_text(text, encoding="utf-8")
    assert "nested" in refused(capsys, network, "visit", "import", str(nested))


def test_a_sound_package_still_imports(
    capsys: pytest.CaptureFixture[str], laptop_records: Records, network: Path, tmp_path: Path
) -> None:
    code, _out, err = cli(
        capsys,
        "--db",
        str(network),
        "package",
        "import",
        str(package(tmp_path, laptop_records, lambda r: None)),
    )
    assert code == 0, err
    db: Database = open_database(network)
    try:
        from nexus_review.usecases.visit_files import export_visit_file

        export_visit_file(db, laptop_records["visit"][0]["id"], tmp_path / "back.json")
    finally:
        db.close()
    assert (
        json.loads((tmp_path / "back.json").read_text("utf-8"))["visit"]["id"]
        == laptop_records["visit"][0]["id"]
    )


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


@pytest.mark.parametrize(
    "reviewer", ["Mr D. Okafor\nnexus-review: 5 visits imported", "\x1b[2J", "x" * 201, "a\ud800"]
)
def test_a_manifest_name_that_would_forge_output_is_refused(
    capsys: pytest.CaptureFixture[str],
    laptop_records: Records,
    network: Path,
    tmp_path: Path,
    reviewer: str,
) -> None:
    out = package(tmp_path, laptop_records, lambda r: None)
    _rewrite(
        out,
        manifest=lambda text: text.replace(
            '"reviewer": "Mr D. Okafor"', f'"reviewer": {json.dumps(reviewer)}', 1
        ),
    )
    assert "reviewer" in refused(capsys, network, "package", "import", str(out))
