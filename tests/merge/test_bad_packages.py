"""Bad review packages: each gets one sentence and leaves the network database untouched;
passphrases, extra members and duplicates, a zip version the reader lacks."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from nexus_review.errors import InterchangeError
from nexus_review.interchange.package import read_package, write_package
from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import (
    export_review_package,
    import_package_files,
)
from tests.merge.two_laptops import snapshot


def _rezip(src: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members = change(members)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def _manifest_change(**updates):  # type: ignore[no-untyped-def]
    def change(members):  # type: ignore[no-untyped-def]
        manifest = json.loads(members["manifest.json"])
        manifest.update(updates)
        members["manifest.json"] = json.dumps(manifest).encode()
        return members

    return change


def _payload_change(edit):  # type: ignore[no-untyped-def]
    import hashlib

    def change(members):  # type: ignore[no-untyped-def]
        payload = json.loads(members["payload.json"])
        edit(payload)
        members["payload.json"] = json.dumps(payload).encode()
        manifest = json.loads(members["manifest.json"])
        manifest["payload_sha256"] = hashlib.sha256(members["payload.json"]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
        return members

    return change


def _bad_packages(good: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    def write(name: str, data: bytes) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    raw = good.read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(good) as zf:
        manifest = zf.read("manifest.json")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("payload.json", b"0" * (50 * 1024 * 1024))  # 50 MB of zeros in 50 kB
    return {
        "not a zip": (
            write("notes.nxr", b"Dear administrator, here are my notes."),
            "not a Nexus Review review package (it is not a zip file)",
        ),
        "truncated": (write("cut.nxr", raw[: len(raw) // 2]), "damaged or incomplete"),
        "newer": (
            _rezip(good, tmp / "newer.nxr", _manifest_change(format_version=99)),
            "made by a newer version of Nexus Review",
        ),
        "tampered": (
            _rezip(
                good,
                tmp / "tampered.nxr",
                lambda m: {
                    **m,
                    "payload.json": m["payload.json"].replace(b"Reviewers", b"Attackers", 1),
                },
            ),
            "changed since it was made",
        ),
        "bomb": (write("bomb.nxr", bomb.getvalue()), "expands far beyond its size"),
        "dot-dot": (
            _rezip(good, tmp / "dotdot.nxr", lambda m: {**m, "../../etc/evil": b"x"}),
            "names a file outside itself",
        ),
        "absolute": (
            _rezip(good, tmp / "abs.nxr", lambda m: {**m, "/etc/evil": b"x"}),
            "names a file outside itself",
        ),
        "schema": (
            _rezip(
                good,
                tmp / "schema.nxr",
                _payload_change(
                    lambda p: p["records"]["visit"][0].__setitem__("visit_date", 20260101)
                ),
            ),
            "not a valid review package: at records.visit[0].visit_date",
        ),
        "missing reference": (
            _rezip(
                good,
                tmp / "orphan.nxr",
                _payload_change(
                    lambda p: p["records"]["visit"][0].__setitem__(
                        "host_school_id", "00000000-0000-4000-8000-000000000000"
                    )
                ),
            ),
            "refers to a school (00000000-0000-4000-8000-000000000000) that is neither in the package nor in this database",
        ),
        "no manifest": (
            _rezip(good, tmp / "nomanifest.nxr", lambda m: {"payload.json": m["payload.json"]}),
            "has no manifest",
        ),
    }


def test_every_bad_package_gets_one_sentence_and_leaves_the_database_untouched(
    network: dict[str, object], good_package: Path, tmp_path: Path
) -> None:
    fresh = open_database(tmp_path / "fresh-admin.db")
    try:
        before = snapshot(fresh)
        for label, (path, words) in _bad_packages(good_package, tmp_path).items():
            with pytest.raises(InterchangeError) as err:
                import_package_files(fresh, [path])
            message = str(err.value)
            assert words in message, (label, message)
            assert "\n" not in message and "Traceback" not in message
            assert snapshot(fresh) == before, label
    finally:
        fresh.close()


def test_passphrase_protected_packages(network: dict[str, object], tmp_path: Path) -> None:
    a = network["a"]
    assert isinstance(a, Database)
    out = tmp_path / "sealed.nxr"
    export_review_package(a, out, all_visits=True, passphrase="correct horse battery staple")
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["manifest.json", "payload.bin"]
        sealed = zf.read("payload.bin")
    # Unreadable without the passphrase: no name, note or school in the clear.
    for words in (b"Reviewers", b"Blackhorse", b"Mrs ", b"phonics"):
        assert words not in sealed
    with pytest.raises(InterchangeError, match="protected with a passphrase; give the passphrase"):
        read_package(out)
    with pytest.raises(InterchangeError, match=r"not the one sealed\.nxr was protected with"):
        read_package(out, "wrong")
    package = read_package(out, "correct horse battery staple")
    assert package.visit_count == 75


def test_a_package_written_with_extra_members_or_duplicates_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "dup.nxr"
    write_package(out, {"school": []}, reviewer="x", device_id="d")
    _rezip(out, tmp_path / "extra.nxr", lambda m: {**m, "script.py": b"import os"})
    with pytest.raises(InterchangeError, match="a file a package never has"):
        read_package(tmp_path / "extra.nxr")


def test_a_package_claiming_a_zip_version_the_reader_lacks_is_refused_plainly(
    good_package: Path, tmp_path: Path
) -> None:
    """Found by fuzzing: a damaged "version needed to extract" made the zip reader itself fail."""
    data = bytearray(good_package.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 64  # version needed to extract: 6.4
    bad = tmp_path / "version.nxr"
    bad.write_bytes(bytes(data))
    with pytest.raises(InterchangeError, match="damaged or incomplete"):
        read_package(bad)
