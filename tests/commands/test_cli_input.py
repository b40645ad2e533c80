"""The command line refuses odd input in one sentence and changes nothing.

Each case goes through the real entry point (:func:`nexus_review.cli.main`): exit code 1, one
line on stderr, no traceback, and the database byte for byte as it was (compared as an SQL dump).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from nexus_review.cli import main
from nexus_review.storage.database import open_database
from tests.core.builders import make_visit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def assert_one_sentence(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    assert err.startswith("nexus-review: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "something went wrong" not in err, err
    for word in words:
        assert word in err, err


def refused_and_unchanged(capsys: pytest.CaptureFixture[str], target: Path, *argv: str) -> None:
    """The command, run on a fresh administrator's database, is refused in one sentence and
    leaves the database as it was."""
    open_database(target).close()
    before = dump(target)
    code, _, err = run(capsys, "--db", str(target), *argv)
    assert_one_sentence(code, err)
    assert dump(target) == before


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "cli.db"
    db = open_database(path)
    visit_id = make_visit(db)
    db.close()
    return path, visit_id


# ---------------------------------------------------------------------------- retention


@pytest.mark.parametrize("years", ["3000", "2026", "10000000000000000000000", "0", "-5"])
def test_a_retention_period_out_of_range_is_one_sentence(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], years: str
) -> None:
    path, _ = filled
    before = dump(path)
    for extra in (("--dry-run",), ()):
        code, out, err = run(capsys, "--db", str(path), "retention", "--older-than", years, *extra)
        assert_one_sentence(code, err, "year")
        assert out == ""
    assert dump(path) == before


def test_a_long_retention_period_within_range_still_works(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str]
) -> None:
    path, _ = filled
    code, out, _ = run(capsys, "--db", str(path), "retention", "--older-than", "100", "--dry-run")
    assert code == 0 and "nothing to delete" in out


# ---------------------------------------------------------------------------- long file names


LONG = "a" * 300


def _files(folder: Path) -> list[str]:
    """The files in a folder, leaving out the daily backup that opening a database makes and
    SQLite's own companion files (which come and go as it reads); contents are compared with
    a dump."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name != "backups" and not p.name.endswith(("-wal", "-shm"))
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("visit", "export", "{id}", "--out", "{dir}/{long}.json"),
        ("report", "{id}", "--format", "pdf", "--out", "{dir}/{long}.pdf"),
        ("report", "{id}", "--format", "docx", "--out", "{dir}/{long}.docx"),
        ("compile", "--format", "docx", "--year", "2025-26", "--out", "{dir}/{long}.docx"),
        ("data", "export", "--format", "csv", "--what", "actions", "--out", "{dir}/{long}.csv"),
        ("package", "export", "--all", "--out", "{dir}/{long}.nxr"),
        ("backup", "--out", "{dir}/{long}.db"),
        ("visit", "import", "{dir}/{long}.json"),
        ("package", "import", "{dir}/{long}.nxr"),
        ("restore", "{dir}/{long}.db"),
        ("visit", "export", "{id}", "--out", "{dir}/{long}/v.json"),
        ("visit", "export", "{id}", "--out", "{dir}/" + "b/" * 2100 + "v.json"),
    ],
    ids=lambda argv: " ".join(a for a in argv[:2] if "{" not in a),
)
def test_a_file_name_too_long_is_one_sentence(
    capsys: pytest.CaptureFixture[str],
    filled: tuple[Path, str],
    tmp_path: Path,
    argv: tuple[str, ...],
) -> None:
    path, visit_id = filled
    before = dump(path)
    files_before = _files(tmp_path)
    args = [a.format(id=visit_id, dir=tmp_path, long=LONG) for a in argv]
    code, _, err = run(capsys, "--db", str(path), *args)
    assert_one_sentence(code, err)
    assert "too long" in err
    assert dump(path) == before
    assert _files(tmp_path) == files_before


@pytest.mark.parametrize("argv", [("visits",), ("demo",), ("backup",), ("restore", "{good}")])
def test_a_database_name_too_long_is_one_sentence(
    capsys: pytest.CaptureFixture[str],
    filled: tuple[Path, str],
    tmp_path: Path,
    argv: tuple[str, ...],
) -> None:
    good, _ = filled
    before, files = dump(good), _files(tmp_path)
    args = [a.format(good=good) for a in argv]
    code, _, err = run(capsys, "--db", str(tmp_path / f"{LONG}.db"), *args)
    assert_one_sentence(code, err, "too long")
    assert _files(tmp_path) == files and dump(good) == before


# ---------------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    "given", ["{p}%", "{p}_", "%{p}", "____", "%%%%", "{p}\n", "{p}\x00", "{p}é"]
)
def test_an_id_prefix_is_only_ever_hex_digits_and_dashes(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path, given: str
) -> None:
    path, visit_id = filled
    before = dump(path)
    given = given.format(p=visit_id[:6])
    for argv in (
        ("visit", "export", given, "--out", str(tmp_path / "v.json")),
        ("report", given, "--format", "docx", "--out", str(tmp_path / "r.docx")),
        ("conflicts", "resolve", given, "--keep", "ours"),
    ):
        code, _, err = run(capsys, "--db", str(path), *argv)
        assert_one_sentence(code, err)
        assert "id" in err
    assert dump(path) == before
    assert not (tmp_path / "v.json").exists() and not (tmp_path / "r.docx").exists()


def test_a_whole_id_in_capitals_or_with_spaces_around_it_still_names_the_visit(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    spoken = f" {visit_id.upper()} "
    code, _, err = run(
        capsys, "--db", str(path), "visit", "export", spoken, "--out", str(tmp_path / "v.json")
    )
    assert code == 0, err
    assert json.loads((tmp_path / "v.json").read_text("utf-8"))["visit"]["id"] == visit_id


def _visit_file_with_id(
    capsys: pytest.CaptureFixture[str], db_path: Path, visit_id: str, out: Path, new_id: str
) -> Path:
    code, _, err = run(capsys, "--db", str(db_path), "visit", "export", visit_id, "--out", str(out))
    assert code == 0, err
    text = out.read_text("utf-8").replace(json.dumps(visit_id), json.dumps(new_id))
    out.write_text(text, encoding="utf-8")
    return out


def test_a_visit_file_whose_id_ends_in_a_newline_is_refused(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    bad = _visit_file_with_id(
        capsys, path, visit_id, tmp_path / "v.json", visit_id[:-12] + "0123456789ab\n"
    )
    refused_and_unchanged(capsys, tmp_path / "admin.db", "visit", "import", str(bad))


def test_a_package_whose_id_ends_in_a_newline_is_refused(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = filled
    good = tmp_path / "good.nxr"
    code, _, err = run(capsys, "--db", str(path), "package", "export", "--all", "--out", str(good))
    assert code == 0, err
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    payload = json.loads(members["payload.json"])
    payload["records"]["action"][0]["id"] += "\n"  # a record nothing else refers to
    members["payload.json"] = json.dumps(payload).encode("utf-8")
    manifest = json.loads(members["manifest.json"])
    manifest["payload_sha256"] = hashlib.sha256(members["payload.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode("utf-8")
    bad = tmp_path / "bad.nxr"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    refused_and_unchanged(capsys, tmp_path / "admin.db", "package", "import", str(bad))


def test_a_year_with_a_trailing_newline_is_not_a_year(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = filled
    code, _, err = run(
        capsys,
        "--db",
        str(path),
        "compile",
        "--format",
        "docx",
        "--year",
        "2025-26\n",
        "--out",
        str(tmp_path / "c.docx"),
    )
    assert_one_sentence(code, err, "academic year")
    assert not (tmp_path / "c.docx").exists()


# ---------------------------------------------------------------------------- a missing database


READ_ONLY = [
    ("visits",),
    ("visits", "--json"),
    ("schools",),
    ("visit", "export", "abcd1234", "--out", "{dir}/v.json"),
    ("report", "abcd1234", "--format", "docx", "--out", "{dir}/r.docx"),
    ("compile", "--format", "docx", "--year", "2025-26", "--out", "{dir}/c.docx"),
    ("data", "export", "--format", "csv", "--what", "judgements", "--out", "{dir}/j.csv"),
    ("package", "export", "--all", "--out", "{dir}/p.nxr"),
    ("package", "import", "--dry-run", "{dir}/p.nxr"),
    ("conflicts",),
    ("conflicts", "resolve", "abcd1234", "--keep", "ours"),
    ("retention", "--older-than", "5", "--dry-run"),
    ("retention", "--older-than", "5"),
]


@pytest.mark.parametrize(
    "argv", READ_ONLY, ids=lambda argv: " ".join(a for a in argv if "{" not in a)
)
def test_a_command_that_only_reads_never_creates_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo" / "folder" / "nexus.db"
    args = [a.format(dir=tmp_path) for a in argv]
    code, out, err = run(capsys, "--db", str(missing), *args)
    assert_one_sentence(code, err, "There is no database at", str(missing))
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_default_database_is_not_created_by_a_command_that_only_reads(
    capsys: pytest.CaptureFixture[str], _private_data_dir: Path
) -> None:
    code, _, err = run(capsys, "visits")
    assert_one_sentence(code, err, "There is no database at")
    assert not (_private_data_dir / "nexus-review.db").exists()


def test_commands_that_write_still_create_a_new_database(
    capsys: pytest.CaptureFixture[str], filled: tuple[Path, str], tmp_path: Path
) -> None:
    path, visit_id = filled
    code, _, err = run(
        capsys, "--db", str(path), "visit", "export", visit_id, "--out", str(tmp_path / "v.json")
    )
    assert code == 0, err
    code, _, err = run(
        capsys, "--db", str(path), "package", "export", "--all", "--out", str(tmp_path / "p.nxr")
    )
    assert code == 0, err
    for name, argv in (
        ("demo.db", ("demo",)),
        ("visit.db", ("visit", "import", str(tmp_path / "v.json"))),
        ("package.db", ("package", "import", str(tmp_path / "p.nxr"))),
    ):
        target = tmp_path / "new" / name
        code, out, err = run(capsys, "--db", str(target), *argv)
        assert code == 0, err
        assert target.exists()
        code, out, err = run(capsys, "--db", str(target), "visits", "--json")
        assert code == 0 and json.loads(out), err
