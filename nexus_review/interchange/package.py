"""Review packages (``.nxr``): what a reviewer's laptop sends to the network administrator.

A package is a zip of exactly two members: ``manifest.json`` (format version, program version,
reviewer, device, when, record counts, SHA-256 of the payload, and how the payload is
protected) and the payload, the records as JSON (``payload.json``), or the same bytes sealed
with AES-256-GCM under a key derived from a passphrase with scrypt (``payload.bin``). See
docs/review-package.md.

Reading never trusts the file: member names and sizes are checked before anything is
decompressed, every read is bounded, the payload hash is checked before it is parsed, and the
records are validated against a JSON Schema made from the database's own columns. Every
problem is one :class:`InterchangeError` sentence; nothing is ever unpickled or executed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nexus_review import __version__
from nexus_review.errors import InterchangeError
from nexus_review.fileio import atomic_write
from nexus_review.interchange.limits import check_tree, may_hold_surrogates, read_outside_file
from nexus_review.interchange.package_schema import (
    ID_PATTERN,
    TABLES,
    _quick_check,
    _validator,
)
from nexus_review.interchange.sealing import (
    manifest_seal_data,
    seal,
    seal_settings,
    unseal,
)

FORMAT = "nexus-review-package"
FORMAT_VERSION = 2  # 2: records carry field versions; a sealed payload authenticates the manifest
MANIFEST = "manifest.json"
PLAIN_PAYLOAD = "payload.json"
SEALED_PAYLOAD = "payload.bin"
MEMBERS = {MANIFEST, PLAIN_PAYLOAD, SEALED_PAYLOAD}
MAX_MANIFEST_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MANIFEST_TEXT = {
    "reviewer": 200,
    "device_id": 64,
    "exported_at": 40,
    "program_version": 40,
}  # longest
MAX_RATIO = 200  # JSON compresses well, but not a thousandfold


@dataclass(frozen=True)
class Package:
    """A package read and checked, ready to preview or import."""

    name: str
    manifest: dict[str, Any]
    records: dict[str, list[dict[str, Any]]]
    sha256: str  # of the whole file

    @property
    def reviewer(self) -> str:
        return str(self.manifest.get("reviewer") or "")

    @property
    def device_id(self) -> str:
        return str(self.manifest.get("device_id") or "")

    @property
    def visit_count(self) -> int:
        return len(self.records.get("visit", []))


@dataclass
class ExportResult:
    path: Path
    visits: int
    counts: dict[str, int] = field(default_factory=dict)
    encrypted: bool = False


# ---------------------------------------------------------------------------- writing


def write_package(
    out: Path | str,
    records: dict[str, list[dict[str, Any]]],
    *,
    reviewer: str,
    device_id: str,
    passphrase: str | None = None,
    exported_at: dt.datetime | None = None,
) -> ExportResult:
    """Write records (already as JSON-ready dicts, parents first) as a package."""
    ordered = {name: records.get(name, []) for name in TABLES if records.get(name)}
    payload = json.dumps(
        {"records": ordered}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    protection: dict[str, Any] | None = None
    key = b""
    member = PLAIN_PAYLOAD
    if passphrase:
        key, protection = seal_settings(passphrase)
        member = SEALED_PAYLOAD
    counts = {name: len(rows) for name, rows in ordered.items()}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "program_version": __version__,
        "reviewer": reviewer,
        "device_id": device_id,
        "exported_at": (exported_at or dt.datetime.now(dt.UTC)).isoformat(),
        "counts": counts,
        "payload": member,
        "protection": protection,
    }
    if protection is not None:
        payload = seal(payload, key, protection, manifest_seal_data(manifest))
    manifest["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    target = Path(out).expanduser()
    with (
        atomic_write(target) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf,
    ):
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        zf.writestr(member, payload)
    return ExportResult(target, counts.get("visit", 0), counts, protection is not None)


# ---------------------------------------------------------------------------- reading


def _bounded_read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    if info.file_size > limit:
        raise InterchangeError(
            f"{name} holds a part too large to be a review package ({info.file_size // 1_048_576} MB)."
        )
    if (
        info.compress_size
        and info.file_size / max(info.compress_size, 1) > MAX_RATIO
        and info.file_size > 1_000_000
    ):
        raise InterchangeError(
            f"{name} is not a review package: one of its parts expands far beyond its size."
        )
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InterchangeError(f"{name} holds a part too large to be a review package.")
    return data


def _json(data: bytes, name: str, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InterchangeError(f"{name} is damaged: its {what} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{name} is damaged: its {what} is not valid JSON (line {exc.lineno})."
        ) from None
    except RecursionError:
        verb = "are" if what == "records" else "is"
        raise InterchangeError(f"{name} is damaged: its {what} {verb} nested too deeply.") from None
    except ValueError:  # a number of thousands of digits, which Python refuses to read
        raise InterchangeError(
            f"{name} is damaged: its {what} holds a number far too long to be one of ours."
        ) from None


def read_package(path: Path | str, passphrase: str | None = None) -> Package:
    path = Path(path)
    raw = read_outside_file(path, MAX_PACKAGE_BYTES, "review package")
    return parse_package(raw, path.name, passphrase)


def parse_package(raw: bytes, name: str, passphrase: str | None = None) -> Package:
    if not raw.startswith(b"PK"):
        raise InterchangeError(
            f"{name} is not a Nexus Review review package (it is not a zip file)."
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        raise InterchangeError(
            f"{name} is damaged or incomplete (the zip file cannot be opened); ask for it to be sent again."
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 10:
            raise InterchangeError(f"{name} is not a review package: it holds {len(infos)} files.")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            member = info.filename
            if (
                member.startswith(("/", "\\"))
                or ".." in member.replace("\\", "/").split("/")
                or ":" in member
            ):
                raise InterchangeError(
                    f"{name} is not a safe review package: it names a file outside itself ({member})."
                )
            if member not in MEMBERS:
                raise InterchangeError(
                    f"{name} is not a review package: it holds a file a package never has ({member})."
                )
            if member in members:
                raise InterchangeError(f"{name} is not a review package: it holds {member} twice.")
            members[member] = info
        if MANIFEST not in members:
            raise InterchangeError(f"{name} is not a review package: it has no manifest.")
        try:
            manifest = _json(
                _bounded_read(zf, members[MANIFEST], MAX_MANIFEST_BYTES, name), name, "manifest"
            )
            manifest = check_manifest(manifest, name)
            member = manifest["payload"]
            if member not in members or member == MANIFEST:
                raise InterchangeError(f"{name} is damaged or incomplete: its records are missing.")
            payload = _bounded_read(zf, members[member], MAX_PAYLOAD_BYTES, name)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ):
            raise InterchangeError(
                f"{name} is damaged or incomplete; ask for it to be sent again."
            ) from None
    if hashlib.sha256(payload).hexdigest() != manifest["payload_sha256"]:
        raise InterchangeError(
            f"{name} is damaged or has been changed since it was made (its records do not match their checksum)."
        )
    protection = manifest.get("protection")
    if protection:
        if not passphrase:
            raise InterchangeError(
                f"{name} is protected with a passphrase; give the passphrase to import it."
            )
        if not isinstance(protection, dict):
            raise InterchangeError(f"{name} is damaged: its protection settings cannot be read.")
        associated = (
            manifest_seal_data(manifest) if manifest["format_version"] >= 2 else MANIFEST.encode()
        )
        payload = unseal(payload, protection, passphrase, name, associated)
    elif member == SEALED_PAYLOAD:
        raise InterchangeError(
            f"{name} is damaged: its records are sealed but it says nothing of how."
        )
    data = _json(payload, name, "records")
    records = validate_payload(data, name, surrogates=may_hold_surrogates(payload))
    return Package(name, manifest, records, hashlib.sha256(raw).hexdigest())


def check_manifest(manifest: Any, name: str) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InterchangeError(f"{name} is not a Nexus Review review package.")
    check_tree(manifest, name, "review package")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(f"{name} is damaged: its format version cannot be read.")
    if version > FORMAT_VERSION:
        raise InterchangeError(
            f"{name} was made by a newer version of Nexus Review (package format {version}); update the program to import it."
        )
    if version < 1:
        raise InterchangeError(f"{name} is damaged: its format version cannot be read.")
    sha = manifest.get("payload_sha256")
    if not isinstance(sha, str) or len(sha) != 64:
        raise InterchangeError(f"{name} is damaged: it has no checksum for its records.")
    if manifest.get("payload") not in (PLAIN_PAYLOAD, SEALED_PAYLOAD):
        raise InterchangeError(f"{name} is damaged: it does not say where its records are.")
    for key, longest in MANIFEST_TEXT.items():
        if not isinstance(manifest.get(key), str):
            raise InterchangeError(
                f"{name} is damaged: its manifest has no {key.replace('_', ' ')}."
            )
        if len(manifest[key]) > longest:
            raise InterchangeError(
                f"{name} is damaged: the {key.replace('_', ' ')} in its manifest is too long to be one of ours."
            )
        if not manifest[key].isprintable():  # a line break in a name would forge lines of output
            raise InterchangeError(
                f"{name} is damaged: the {key.replace('_', ' ')} in its manifest holds characters no name has."
            )
    return manifest


def validate_payload(
    data: Any, name: str, *, surrogates: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """Check records against the payload schema. ``surrogates=False`` when the text they were
    read from cannot hold a lone surrogate (see :func:`limits.may_hold_surrogates`)."""
    from jsonschema.exceptions import best_match

    from nexus_review.interchange.visit_check import field_path

    if surrogates:
        check_tree(data, name, "review package")
    if not _quick_check()(data):
        if not surrogates:
            check_tree(
                data, name, "review package", surrogates=False
            )  # before any message quotes it
        error = best_match(_validator().iter_errors(data))
        if error is None:  # the quick check is never looser; say what it found
            raise InterchangeError(
                f"{name} is not a valid review package: its records do not match the package schema."
            )
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        if error.validator == "pattern" and error.validator_value == ID_PATTERN:
            message = f"{error.instance!r:.60} is not a record id"
        raise InterchangeError(
            f"{name} is not a valid review package: at {field_path(error.absolute_path)}, {message}."
        )
    records: dict[str, list[dict[str, Any]]] = data["records"]
    seen: set[tuple[str, str]] = set()
    for table, rows in records.items():
        for row in rows:
            key = (table, row["id"])
            if key in seen:
                raise InterchangeError(
                    f"{name} is not a valid review package: the {table} {row['id']} appears twice."
                )
            seen.add(key)
    return records
