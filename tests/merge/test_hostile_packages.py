"""Hostile review packages and visit files at the command line: each is refused in one
sentence, nothing written.

A package reaches the administrator's database from a laptop the office does not control. The
reader validates the shape of every value (JSON columns included), bounds integers, text,
nesting, the reviewer's name and the passphrase's key-derivation settings; whatever the file
holds, the command line answers in one line and the database is unchanged, and a sound package
still imports.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nexus_review.cli import main
from nexus_review.storage.database import Database, open_database
from tests.core.builders import make_visit
from tests.merge.hostile_files import Records, dump, member, package, rewrite


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """The administrator's database, holding another school's visit already."""
    path = tmp_path / "network.db"
    db = open_database(path)
    make_visit(db, school_name="Oakfield Primary")
    db.close()
    return path


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
    payload = json.loads(member(out, "payload.json"))
    text = json.dumps(payload)
    nested = "[" * depth + "]" * depth
    text = text.replace('"focus_areas": [', f'"focus_areas": [{nested}, ', 1)
    rewrite(out, text.encode("utf-8"))
    err = refused(capsys, network, "package", "import", str(out))
    assert "nested" in err or "focus_areas" in err


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
    rewrite(
        out,
        manifest=lambda text: text.replace(
            f'"{setting}": {defaults[setting]}', f'"{setting}": {value}', 1
        ),
    )
    assert value in member(out, "manifest.json").decode()

    def no_deriving(*args: Any) -> bytes:
        raise AssertionError("a key was derived with settings the reader should have refused")

    monkeypatch.setattr(sealing, "_key", no_deriving)
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse", encoding="utf-8")
    err = refused(capsys, network, "package", "import", "--passphrase-file", str(secret), str(out))
    assert "protection settings" in err or "number far too long" in err


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
    rewrite(
        out,
        manifest=lambda text: text.replace(
            '"reviewer": "Mr D. Okafor"', f'"reviewer": {json.dumps(reviewer)}', 1
        ),
    )
    assert "reviewer" in refused(capsys, network, "package", "import", str(out))
