"""A package cannot move records to another owner, and a sealed package's manifest cannot be
changed: each test first builds the forged package, then shows it is refused and nothing
changes."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from nexus_review.errors import InterchangeError
from nexus_review.interchange.package import read_package
from nexus_review.interchange.visit_json import dumps
from nexus_review.storage.models import (
    Evidence,
    Visit,
)
from nexus_review.usecases.packages import (
    import_package_files,
)
from nexus_review.usecases.visit_files import export_visit_file, import_visit_file
from tests.merge.small_network import Net, dump, edit

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------- owners


def _forge(package: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        payload = json.loads(zf.read("payload.json"))
    change(payload["records"])
    raw = json.dumps(payload).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    with zipfile.ZipFile(dest, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("payload.json", raw)
    return dest


def test_a_package_cannot_move_another_schools_evidence_into_its_visit(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="An honest change")
    honest = net.send(net.a, "a", all_visits=True)
    with net.admin.reading() as s:
        other = s.get(Evidence, net.walk_y)
        vclock = dict(other.vclock)

    def steal(records: dict[str, list[dict[str, object]]]) -> None:
        row = next(r for r in records["evidence"] if r["id"] == net.walk_y)
        row["visit_id"] = net.x  # into the Staple Hill visit
        row["vclock"] = {**vclock, "forger": 99}  # a version that claims to have seen everything
        row["notes"] = "Moved"

    forged = _forge(honest, net.folder / "forged.nxr", steal)
    before = dump(net.admin)
    with pytest.raises(InterchangeError) as caught:
        import_package_files(net.admin, [forged])
    message = str(caught.value)
    assert message.count(". ") == 0 and message.endswith(".")
    assert (
        "it would move evidence (learning walk) in the visit to Blackhorse Primary" in message
        and net.walk_y[:8] in message
    )
    assert "never changes which visit, school or owner" in message
    assert dump(net.admin) == before


def test_a_visit_file_cannot_take_another_visits_evidence(net: Net, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    export_visit_file(net.admin, net.x, out)
    document = json.loads(out.read_text("utf-8"))
    with net.admin.reading() as s:
        from nexus_review.storage.serialize import to_dict

        stolen = to_dict(s.get(Evidence, net.walk_y))
    stolen["visit_id"] = net.x
    stolen["vclock"] = {}  # a file with no version at all
    document["evidence"].append({**stolen, "drop_ins": []})
    out.write_bytes(dumps(document))
    before = dump(net.admin)
    with pytest.raises(
        InterchangeError,
        match=r"x\.json cannot be imported: it would move evidence \(learning walk\) in the visit to Blackhorse Primary",
    ):
        import_visit_file(net.admin, out)
    assert dump(net.admin) == before


# ---------------------------------------------------------------------------- sealed manifests


def _rewrite_manifest(src: Path, dest: Path, **updates: object) -> Path:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest.update(updates)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def test_a_sealed_package_whose_manifest_was_changed_is_refused(net: Net) -> None:
    edit(net.a, Visit, net.x, summary="Sealed")
    sealed = net.send(net.a, "sealed", passphrase="staffroom kettle")
    assert read_package(sealed, "staffroom kettle").reviewer == "Mr G. Price"
    for key, value in (
        ("reviewer", "Mrs Forger"),
        ("device_id", "0123456789abcdef"),
        ("counts", {"visit": 99}),
    ):
        forged = _rewrite_manifest(sealed, net.folder / f"forged-{key}.nxr", **{key: value})
        with pytest.raises(
            InterchangeError,
            match=r"^forged-\w+\.nxr has been changed since it was made: its manifest .* does not match its sealed records\.$",
        ):
            read_package(forged, "staffroom kettle")
    with pytest.raises(InterchangeError, match="passphrase is not the one"):
        read_package(sealed, "wrong words")
    before = dump(net.admin)
    with pytest.raises(InterchangeError):
        import_package_files(
            net.admin, [net.folder / "forged-reviewer.nxr"], passphrase="staffroom kettle"
        )
    assert dump(net.admin) == before


def test_a_sealed_package_of_format_1_is_still_read(net: Net) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from nexus_review.interchange.sealing import SCRYPT, _key

    plain = net.send(net.a, "plain", all_visits=True)
    with zipfile.ZipFile(plain) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        payload = zf.read("payload.json")
    records = json.loads(payload)
    for rows in records["records"].values():
        for row in rows:
            row.pop("field_versions")  # format 1 had none
    payload = json.dumps(records).encode()
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_key("old words", salt, SCRYPT)).encrypt(nonce, payload, b"manifest.json")
    manifest.update(
        format_version=1,
        payload="payload.bin",
        payload_sha256=hashlib.sha256(sealed).hexdigest(),
        protection={
            "method": "AES-256-GCM",
            "kdf": "scrypt",
            **SCRYPT,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
        },
    )
    old = net.folder / "old.nxr"
    with zipfile.ZipFile(old, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("payload.bin", sealed)
    package = read_package(old, "old words")
    assert package.visit_count == 2
    assert import_package_files(net.admin, [old], passphrase="old words")[0].conflicts == 0
