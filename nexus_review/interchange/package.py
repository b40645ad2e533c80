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

from nexus_review import __version__
from nexus_review.errors import InterchangeError
from nexus_review.fileio import atomic_write
from nexus_review.interchange.limits import (
    TooLarge,
    check_tree,
    may_hold_surrogates,
    megabytes,
    read_at_most,
)
from nexus_review.storage.models import SYNCED_MODELS, SyncMixin
from nexus_review.storage.serialize import column_kind

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
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
# What a reader accepts: up to twice the writer's cost (at most 64 MB of memory), refused
# before any key is derived. A manifest cannot make the reader spend more.
SCRYPT_LIMITS = {"n": (2**10, 2**16), "r": (1, 8), "p": (1, 2)}
SALT_BYTES = (8, 64)
ID_PATTERN = r"^[0-9a-fA-F-]{8,36}\Z"  # \Z, not $: no newline may follow
INTEGER_RANGE = (-(2**31), 2**31 - 1)  # positions, counts of participants
TABLES: dict[str, type[SyncMixin]] = {m.__tablename__: m for m in SYNCED_MODELS}


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


@cache
def column_shapes() -> dict[str, Any]:
    """The declared shape of every JSON column, as the visit-file schema gives it
    (``resources/schemas/visit-v1.schema.json``, ``$defs`` named ``table.column``, and
    ``vclock``), with its references resolved: one declaration for both formats."""
    from nexus_review.paths import resource_path

    defs: dict[str, Any] = json.loads(
        resource_path("schemas", "visit-v1.schema.json").read_text("utf-8")
    )["$defs"]
    defs = {
        **defs,
        "uuid": {"type": "string", "pattern": ID_PATTERN},
    }  # a package's ids, as its own

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items() if k != "description"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return {key: resolve(value) for key, value in defs.items()}


def _json_type(table: str, column: Any) -> dict[str, Any]:
    kind = column_kind(column)
    shapes = column_shapes()
    if kind == "boolean":
        base: dict[str, Any] = {"type": "boolean"}
    elif kind == "integer":
        low, high = INTEGER_RANGE
        base = (
            shapes["count"]
            if column.key == "revision"
            else {"type": "integer", "minimum": low, "maximum": high}
        )
    elif kind == "json" and column.key == "field_versions":
        base = FIELD_VERSIONS_SCHEMA
    elif kind == "json":
        shape = shapes.get("vclock" if column.key == "vclock" else f"{table}.{column.key}")
        if shape is None:
            raise LookupError(
                f"the JSON column {table}.{column.key} has no declared shape in visit-v1.schema.json"
            )
        base = shape
    elif kind == "datetime":
        base = {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)$",
        }
    elif kind == "date":
        base = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "time":
        base = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"}
    else:
        base = {"type": "string"}
        length = getattr(column.type, "length", None)
        base["maxLength"] = length if length else 1_000_000
        if column.foreign_keys or (column.key.endswith("_id") and length == 36):
            base = {"type": "string", "pattern": ID_PATTERN}  # a reference, hard or soft
    base = _trust_shape(table, column.key) or base
    if column.nullable and not column.primary_key:
        base = {"anyOf": [base, {"type": "null"}]}
    return base


def _trust_shape(table: str, column: str) -> dict[str, Any] | None:
    """The trust's school-level figures and plan hold only what a person can type in: a
    pupil group, a term and a status from their lists, a figure and a pupil count in range."""
    from nexus_review.domain.trust import PROGRESS_STATUSES, PUPIL_GROUPS, TERMS

    shapes: dict[str, dict[str, Any]] = {
        "indicator_value.pupil_group": {"enum": list(PUPIL_GROUPS)},
        "indicator_value.value_tenths": {"type": "integer", "minimum": 0, "maximum": 100_000},
        "indicator_value.pupils": {"type": "integer", "minimum": 0, "maximum": 10_000},
        "indicator_value.academic_year": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "delivery_progress.term": {"enum": list(TERMS)},
        "delivery_progress.status": {"enum": list(PROGRESS_STATUSES)},
    }
    return shapes.get(f"{table}.{column}")


VCLOCK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 2**53 - 1},
    "maxProperties": 1000,
}
_STAMP: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vv": VCLOCK_SCHEMA,
        "at": {"type": "string", "maxLength": 40},
        "by": {"type": "string", "maxLength": 64},
    },
    "required": ["vv", "at", "by"],
    "additionalProperties": False,
}
FIELD_VERSIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "base": _STAMP,
        "fields": {"type": "object", "additionalProperties": _STAMP, "maxProperties": 10_000},
    },
    "additionalProperties": False,
    "maxProperties": 2,
}


def _stamp_ok(v: Any) -> bool:
    if not isinstance(v, dict) or len(v) != 3:
        return False
    vv, at, by = v.get("vv"), v.get("at"), v.get("by")
    return (
        isinstance(at, str)
        and len(at) <= 40
        and isinstance(by, str)
        and len(by) <= 64
        and isinstance(vv, dict)
        and len(vv) <= 1000
        and all(type(n) is int and 0 <= n <= 2**53 - 1 for n in vv.values())
    )


def _field_versions_ok(v: Any) -> bool:
    """FIELD_VERSIONS_SCHEMA as plain Python (a test compares the two)."""
    if not isinstance(v, dict) or not set(v) <= {"base", "fields"}:
        return False
    if "base" in v and not _stamp_ok(v["base"]):
        return False
    fields = v.get("fields", {})
    return (
        isinstance(fields, dict)
        and len(fields) <= 10_000
        and all(_stamp_ok(x) for x in fields.values())
    )


@cache
def payload_schema() -> dict[str, Any]:
    """JSON Schema of a payload, made from the columns of the tables that travel."""
    tables = {}
    for name, model in TABLES.items():
        columns = list(model.__table__.columns)
        properties: dict[str, Any] = {c.key: _json_type(name, c) for c in columns}
        properties["id"] = {"type": "string", "pattern": ID_PATTERN}
        record = {
            "type": "object",
            "properties": properties,
            # Field versions are new in format 2: a record without them merges as a whole.
            "required": [
                c.key
                for c in columns
                if (not c.nullable or c.primary_key) and c.key != "field_versions"
            ],
            "additionalProperties": False,
        }
        tables[name] = {"type": "array", "items": record, "maxItems": 1_000_000}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "records": {"type": "object", "properties": tables, "additionalProperties": False}
        },
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


_KEYWORDS = {
    "$schema",
    "type",
    "pattern",
    "maxLength",
    "minLength",
    "minimum",
    "maximum",
    "maxItems",
    "maxProperties",
    "propertyNames",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "anyOf",
    "allOf",
    "enum",
}


def compile_check(schema: dict[str, Any]) -> Any:
    """A quick yes/no check of data against the payload schema: the same keywords, compiled
    once into plain Python tests. When it says no, jsonschema explains where and why; it is
    only ever stricter than nothing, never looser than the schema (a test compares them)."""
    import re

    unknown = set(schema) - _KEYWORDS
    if unknown:  # a keyword this check would ignore would make it looser than the schema
        raise ValueError(f"the quick check does not know the schema keyword(s) {sorted(unknown)}")
    checks: list[Any] = []
    if schema is FIELD_VERSIONS_SCHEMA:
        return _field_versions_ok  # every record has them: checked by hand, the same rules
    if "anyOf" in schema:
        options = [compile_check(o) for o in schema["anyOf"]]
        return lambda v: any(o(v) for o in options)
    if "allOf" in schema:
        parts = [compile_check(o) for o in schema["allOf"]]
        checks.append(lambda v: all(o(v) for o in parts))
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: any(type(v) is type(a) and v == a for a in allowed))
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
    if "minLength" in schema:
        shortest = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= shortest)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: not isinstance(v, int | float) or isinstance(v, bool) or v >= low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda v: not isinstance(v, int | float) or isinstance(v, bool) or v <= high)
    if "maxItems" in schema:
        most = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= most)
    if "maxProperties" in schema:
        most_keys = schema["maxProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) <= most_keys)
    if "propertyNames" in schema:
        key_check = compile_check(schema["propertyNames"])
        checks.append(lambda v: not isinstance(v, dict) or all(key_check(k) for k in v))
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

    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode("utf-8")
    )


def manifest_seal_data(manifest: dict[str, Any]) -> bytes:
    """What a sealed payload authenticates besides itself: the whole manifest but the payload's
    checksum (which is of the sealed bytes), in one canonical form. Changing the reviewer, the
    device or anything else in the manifest of a protected package makes it fail to open."""
    bound = {k: v for k, v in manifest.items() if k != "payload_sha256"}
    return json.dumps(bound, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _key_check(key: bytes) -> str:
    """A short proof of the key, so a wrong passphrase is told apart from a changed package."""
    import hmac

    return base64.b64encode(
        hmac.digest(key, b"nexus-review passphrase check", "sha256")[:16]
    ).decode()


def seal_settings(passphrase: str) -> tuple[bytes, dict[str, Any]]:
    """A new key and the protection settings that go in the manifest (before sealing, since the
    manifest is part of what the seal authenticates)."""
    import os

    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(passphrase, salt, SCRYPT)
    info = {
        "method": "AES-256-GCM",
        "kdf": "scrypt",
        **SCRYPT,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "check": _key_check(key),
    }
    return key, info


def scrypt_settings(info: dict[str, Any]) -> dict[str, int]:
    """The key-derivation settings of a sealed package, if they are within what the reader
    accepts (:data:`SCRYPT_LIMITS`: whole numbers, ``n`` a power of two); ValueError if not.
    Checked before any key is derived, so no manifest can make the reader spend gigabytes."""
    params: dict[str, int] = {}
    for key, (low, high) in SCRYPT_LIMITS.items():
        value = info.get(key)
        if type(value) is not int or not low <= value <= high:
            raise ValueError(f"scrypt {key} out of bounds")
        params[key] = value
    if params["n"] & (params["n"] - 1):
        raise ValueError("scrypt n is not a power of two")
    return params


def seal(payload: bytes, key: bytes, info: dict[str, Any], associated: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(base64.b64decode(info["nonce"]), payload, associated)


def unseal(
    sealed: bytes,
    info: dict[str, Any],
    passphrase: str,
    name: str,
    associated: bytes = MANIFEST.encode(),
) -> bytes:
    """The payload of a protected package; ``associated`` is what the seal authenticates
    besides the payload (format 2: the manifest; format 1: only the text "manifest.json")."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        params = scrypt_settings(info)
        if info.get("method") != "AES-256-GCM" or info.get("kdf") != "scrypt":
            raise ValueError("unknown method")
        salt = base64.b64decode(info["salt"], validate=True)
        nonce = base64.b64decode(info["nonce"], validate=True)
        if len(nonce) != 12 or not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
            raise ValueError("bad nonce or salt")
        check = info.get("check")
        if check is not None and (not isinstance(check, str) or len(check) > 64):
            raise ValueError("bad check")
    except (KeyError, TypeError, ValueError, OverflowError):
        raise InterchangeError(
            f"{name} is damaged: its protection settings cannot be read."
        ) from None
    key = _key(passphrase, salt, params)
    wrong = InterchangeError(
        f"The passphrase is not the one {name} was protected with; check it and try again."
    )
    if check is not None and not _same(check, _key_check(key)):
        raise wrong
    try:
        return bytes(AESGCM(key).decrypt(nonce, sealed, associated))
    except InvalidTag:
        if check is None:
            raise wrong from None
        raise InterchangeError(
            f"{name} has been changed since it was made: its manifest (reviewer, device, counts) does not match its sealed records."
        ) from None


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


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
    name = path.name
    try:
        raw = read_at_most(path, MAX_PACKAGE_BYTES)
    except TooLarge as exc:
        size = (
            megabytes(exc.size)
            if exc.size is not None
            else f"more than {megabytes(MAX_PACKAGE_BYTES)}"
        )
        raise InterchangeError(f"{name} is too large to be a review package ({size}).") from None
    except FileNotFoundError:
        raise InterchangeError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path} is a folder, not a review package.") from None
    except OSError as exc:
        raise InterchangeError(f"{path} cannot be read ({exc.strerror}).") from exc
    return parse_package(raw, name, passphrase)


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

    from nexus_review.interchange.visit_json import field_path

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
