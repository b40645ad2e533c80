"""Hostile review packages for the merge tests: one laptop's records, changed as a test asks,
written as a package (as JSON with escapes, so that text the writer could never hold can
travel); a package's members read and rewritten with a true checksum; and the whole database
as SQL, what "unchanged" means."""

from __future__ import annotations

import copy
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nexus_review.interchange.package import write_package

Records = dict[str, list[dict[str, Any]]]


def dump(path: Path) -> str:
    """The whole database as SQL: what "unchanged" means."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


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
        rewrite(out, json.dumps({"records": changed}).encode("ascii"))
    return out


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def rewrite(
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
