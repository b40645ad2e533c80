"""Building hostile files for the fuzzing tests: a review package zipped around any manifest
and payload, JSON text with escapes (so a lone surrogate can travel) or nested deeper than
json.dumps writes, the places in a document to change, and the check every fuzzed case must
pass: refused in one sentence, the administrator's database unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings

from nexus_review.errors import InterchangeError
from nexus_review.interchange.package import parse_package
from nexus_review.interchange.visit_check import parse_visit_bytes
from nexus_review.storage.database import Database
from nexus_review.usecases.packages import import_packages
from nexus_review.usecases.visit_files import import_visit_document

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PASSPHRASE = "correct horse battery"


def zip_package(
    manifest: dict[str, Any], member: str, payload: bytes, manifest_text: str | None = None
) -> bytes:
    manifest = {
        **manifest,
        "payload": member,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "manifest.json", manifest_text if manifest_text is not None else json.dumps(manifest)
        )
        zf.writestr(member, payload)
    return buffer.getvalue()


NEST = "\u0000nested\u0000"


def nested_text(depth: int, kinds: list[bool]) -> str:
    """JSON text of lists and objects nested ``depth`` deep (too deep for json.dumps to write)."""
    opening = "".join("[" if kinds[i % len(kinds)] else '{"a":' for i in range(depth))
    closing = "".join("]" if kinds[i % len(kinds)] else "}" for i in reversed(range(depth)))
    return opening + closing


def as_text(document: Any, nesting: str | None = None) -> bytes:
    """JSON with escapes (so a lone surrogate can travel), the nesting put in at its marker."""
    text = json.dumps(document)
    if nesting is not None:
        marker = json.dumps(NEST)
        assert marker in text
        text = text.replace(marker, nesting, 1)
    return text.encode("ascii")


def records_of(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A visit file's records by table (the same dicts: changing one changes the file)."""
    by_table: dict[str, list[dict[str, Any]]] = {
        "school": [document["host_school"], *document.get("schools", [])],
        "reviewer": document["reviewers"],
        "visit": [document["visit"]],
        "visit_reviewer": document["team"],
        "evidence": document["evidence"],
        "drop_in": [d for e in document["evidence"] for d in e.get("drop_ins", [])],
        "judgement": document["judgements"],
        "action": document["actions"],
    }
    return by_table


def locations(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every place in a JSON document and what is there."""
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from locations(item, (*where, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from locations(item, (*where, i))


def put(document: Any, where: tuple[Any, ...], value: Any) -> None:
    target = document
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value


def must_refuse(
    network: Database, dump_of: Any, kind: str, raw: bytes, passphrase: str | None = None
) -> None:
    before = dump_of()
    try:
        if kind == "package":
            package = parse_package(raw, "fuzzed.nxr", passphrase)
            import_packages(network, [package], backup=False)
        else:
            import_visit_document(network, parse_visit_bytes(raw, "fuzzed.json"), "fuzzed.json")
    except InterchangeError as err:
        message = str(err)
        assert message and "\n" not in message and len(message) < 500, message
        assert message.endswith("."), message
        message.encode("utf-8")  # printable: it never quotes a lone surrogate back
    else:
        raise AssertionError(f"a fuzzed {kind} was accepted")
    assert dump_of() == before
