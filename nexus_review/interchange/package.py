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

import base64
import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Integer, Time
from sqlalchemy.types import JSON

from nexus_review import __version__
from nexus_review.errors import InterchangeError
from nexus_review.fileio import atomic_write
from nexus_review.storage.models import SYNCED_MODELS, SyncMixin, UTCDateTime

FORMAT = "nexus-review-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PLAIN_PAYLOAD = "payload.json"
SEALED_PAYLOAD = "payload.bin"
MEMBERS = {MANIFEST, PLAIN_PAYLOAD, SEALED_PAYLOAD}
MAX_MANIFEST_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # JSON compresses well, but not a thousandfold
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
TABLES: dict[str, type[SyncMixin]] = {m.__tablename__: m for m in SYNCED_MODELS}  # type: ignore[attr-defined]


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


# ---------------------------------------------------------------------------- the schema


def _json_type(column: Any) -> dict[str, Any]:
    kind = column.type
    if isinstance(kind, Boolean):
        base: dict[str, Any] = {"type": "boolean"}
    elif isinstance(kind, Integer):
        base = {"type": "integer"}
    elif isinstance(kind, JSON):
        base = {"type": ["object", "array"]}
    elif isinstance(kind, UTCDateTime):
        base = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)$"}
    elif isinstance(kind, Date):
        base = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(kind, Time):
        base = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"}
    else:
        base = {"type": "string"}
        length = getattr(kind, "length", None)
        base["maxLength"] = length if length else 1_000_000
    if column.key == "vclock":
        base = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}, "maxProperties": 1000}
    if column.nullable and not column.primary_key:
        base = {"anyOf": [base, {"type": "null"}]}
    return base


@cache
def payload_schema() -> dict[str, Any]:
    """JSON Schema of a payload, made from the columns of the tables that travel."""
    tables = {}
    for name, model in TABLES.items():
        columns = list(model.__table__.columns)  # type: ignore[attr-defined]
        properties: dict[str, Any] = {c.key: _json_type(c) for c in columns}
        properties["id"] = {"type": "string", "pattern": r"^[0-9a-fA-F-]{8,36}\Z"}  # \Z: no newline after
        record = {
            "type": "object",
            "properties": properties,
            "required": [c.key for c in columns if not c.nullable or c.primary_key],
            "additionalProperties": False,
        }
        tables[name] = {"type": "array", "items": record, "maxItems": 1_000_000}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"records": {"type": "object", "properties": tables, "additionalProperties": False}},
        "required": ["records"],
        "additionalProperties": False,
    }


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(payload_schema())


_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def compile_check(schema: dict[str, Any]) -> Any:
    """A quick yes/no check of data against the payload schema: the same keywords, compiled
    once into plain Python tests. When it says no, jsonschema explains where and why; it is
    only ever stricter than nothing, never looser than the schema (a test compares them)."""
    import re

    checks: list[Any] = []
    if "anyOf" in schema:
        options = [compile_check(o) for o in schema["anyOf"]]
        return lambda v: any(o(v) for o in options)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [_TYPES[k] for k in kinds]
        checks.append(lambda v: any(t(v) for t in tests))
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
    if "maxLength" in schema:
        limit = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= limit)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: not isinstance(v, int | float) or isinstance(v, bool) or v >= low)
    if "maxItems" in schema:
        most = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= most)
    if "maxProperties" in schema:
        most_keys = schema["maxProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) <= most_keys)
    if "items" in schema:
        item = compile_check(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        props = {k: compile_check(sub) for k, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = compile_check(extra) if isinstance(extra, dict) else None

        def check_object(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            if any(k not in v for k in required):
                return False
            for key, value in v.items():
                sub = props.get(key)
                if sub is not None:
                    if not sub(value):
                        return False
                elif extra is False or (extra_check is not None and not extra_check(value)):
                    return False
            return True

        checks.append(check_object)
    return lambda v: all(c(v) for c in checks)


@cache
def _quick_check() -> Any:
    return compile_check(payload_schema())


# ---------------------------------------------------------------------------- sealing


def _key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(passphrase.encode("utf-8"))


def seal(payload: bytes, passphrase: str) -> tuple[bytes, dict[str, Any]]:
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_key(passphrase, salt, SCRYPT)).encrypt(nonce, payload, MANIFEST.encode())
    info = {
        "method": "AES-256-GCM",
        "kdf": "scrypt",
        **SCRYPT,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
    }
    return sealed, info


def unseal(sealed: bytes, info: dict[str, Any], passphrase: str, name: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        params = {k: int(info[k]) for k in ("n", "r", "p")}
        if info.get("method") != "AES-256-GCM" or info.get("kdf") != "scrypt":
            raise ValueError("unknown method")
        if not (2 <= params["n"] <= 2**20 and params["n"] & (params["n"] - 1) == 0 and 1 <= params["r"] <= 32 and 1 <= params["p"] <= 16):
            raise ValueError("unreasonable scrypt settings")
        salt = base64.b64decode(info["salt"], validate=True)
        nonce = base64.b64decode(info["nonce"], validate=True)
        if len(nonce) != 12:
            raise ValueError("bad nonce")
    except (KeyError, TypeError, ValueError):
        raise InterchangeError(f"{name} is damaged: its protection settings cannot be read.") from None
    try:
        return bytes(AESGCM(_key(passphrase, salt, params)).decrypt(nonce, sealed, MANIFEST.encode()))
    except InvalidTag:
        raise InterchangeError(f"The passphrase is not the one {name} was protected with; check it and try again.") from None


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
    payload = json.dumps({"records": ordered}, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    protection: dict[str, Any] | None = None
    member = PLAIN_PAYLOAD
    if passphrase:
        payload, protection = seal(payload, passphrase)
        member = SEALED_PAYLOAD
    counts = {name: len(rows) for name, rows in ordered.items()}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "program_version": __version__,
        "reviewer": reviewer,
        "device_id": device_id,
        "exported_at": (exported_at or dt.datetime.now(dt.UTC)).isoformat(),
        "counts": counts,
        "payload": member,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "protection": protection,
    }
    target = Path(out).expanduser()
    with atomic_write(target) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        zf.writestr(member, payload)
    return ExportResult(target, counts.get("visit", 0), counts, protection is not None)


# ---------------------------------------------------------------------------- reading


def _bounded_read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    if info.file_size > limit:
        raise InterchangeError(f"{name} holds a part too large to be a review package ({info.file_size // 1_048_576} MB).")
    if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 1_000_000:
        raise InterchangeError(f"{name} is not a review package: one of its parts expands far beyond its size.")
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
        raise InterchangeError(f"{name} is damaged: its {what} is not valid JSON (line {exc.lineno}).") from None
    except RecursionError:
        raise InterchangeError(f"{name} is damaged: its {what} is nested too deeply.") from None


def read_package(path: Path | str, passphrase: str | None = None) -> Package:
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise InterchangeError(f"{name} is too large to be a review package ({size // 1_048_576} MB).")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InterchangeError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path} is a folder, not a review package.") from None
    except OSError as exc:
        raise InterchangeError(f"{path} cannot be read ({exc.strerror}).") from exc
    return parse_package(raw, name, passphrase)


def parse_package(raw: bytes, name: str, passphrase: str | None = None) -> Package:
    if not raw.startswith(b"PK"):
        raise InterchangeError(f"{name} is not a Nexus Review review package (it is not a zip file).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise InterchangeError(f"{name} is damaged or incomplete (the zip file cannot be opened); ask for it to be sent again.") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 10:
            raise InterchangeError(f"{name} is not a review package: it holds {len(infos)} files.")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            member = info.filename
            if member.startswith(("/", "\\")) or ".." in member.replace("\\", "/").split("/") or ":" in member:
                raise InterchangeError(f"{name} is not a safe review package: it names a file outside itself ({member}).")
            if member not in MEMBERS:
                raise InterchangeError(f"{name} is not a review package: it holds a file a package never has ({member}).")
            if member in members:
                raise InterchangeError(f"{name} is not a review package: it holds {member} twice.")
            members[member] = info
        if MANIFEST not in members:
            raise InterchangeError(f"{name} is not a review package: it has no manifest.")
        try:
            manifest = _json(_bounded_read(zf, members[MANIFEST], MAX_MANIFEST_BYTES, name), name, "manifest")
            manifest = check_manifest(manifest, name)
            member = manifest["payload"]
            if member not in members or member == MANIFEST:
                raise InterchangeError(f"{name} is damaged or incomplete: its records are missing.")
            payload = _bounded_read(zf, members[member], MAX_PAYLOAD_BYTES, name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise InterchangeError(f"{name} is damaged or incomplete; ask for it to be sent again.") from None
    if hashlib.sha256(payload).hexdigest() != manifest["payload_sha256"]:
        raise InterchangeError(f"{name} is damaged or has been changed since it was made (its records do not match their checksum).")
    protection = manifest.get("protection")
    if protection:
        if not passphrase:
            raise InterchangeError(f"{name} is protected with a passphrase; give the passphrase to import it.")
        if not isinstance(protection, dict):
            raise InterchangeError(f"{name} is damaged: its protection settings cannot be read.")
        payload = unseal(payload, protection, passphrase, name)
    elif member == SEALED_PAYLOAD:
        raise InterchangeError(f"{name} is damaged: its records are sealed but it says nothing of how.")
    data = _json(payload, name, "records")
    records = validate_payload(data, name)
    return Package(name, manifest, records, hashlib.sha256(raw).hexdigest())


def check_manifest(manifest: Any, name: str) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InterchangeError(f"{name} is not a Nexus Review review package.")
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
    for key in ("reviewer", "device_id", "exported_at", "program_version"):
        if not isinstance(manifest.get(key), str):
            raise InterchangeError(f"{name} is damaged: its manifest has no {key.replace('_', ' ')}.")
    return manifest


def validate_payload(data: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    from jsonschema.exceptions import best_match

    from nexus_review.interchange.visit_json import field_path

    if not _quick_check()(data):
        error = best_match(_validator().iter_errors(data))
        if error is None:  # the quick check is never looser; say what it found
            raise InterchangeError(f"{name} is not a valid review package: its records do not match the package schema.")
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        raise InterchangeError(f"{name} is not a valid review package: at {field_path(error.absolute_path)}, {message}.")
    records: dict[str, list[dict[str, Any]]] = data["records"]
    seen: set[tuple[str, str]] = set()
    for table, rows in records.items():
        for row in rows:
            key = (table, row["id"])
            if key in seen:
                raise InterchangeError(f"{name} is not a valid review package: the {table} {row['id']} appears twice.")
            seen.add(key)
    return records
