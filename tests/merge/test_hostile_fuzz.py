"""Fuzzing the readers with values no laptop of ours writes: 1,000 cases of each kind.

JSON columns of the wrong shape, integers out of bounds, lone surrogates, deep nesting (in
packages and visit files alike) and key-derivation settings out of bounds (sealed packages).
Every case must be refused with one sentence of the program's own, and the administrator's
database must be unchanged (its SQL dump compared before and after).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer
from sqlalchemy.types import JSON

from nexus_review.errors import InterchangeError
from nexus_review.interchange import sealing
from nexus_review.interchange.package import TABLES, parse_package, write_package
from nexus_review.interchange.package_schema import column_shapes
from nexus_review.interchange.visit_check import parse_visit_bytes
from nexus_review.storage.database import Database, open_database
from nexus_review.usecases.packages import export_review_package, import_packages
from nexus_review.usecases.visit_files import export_visit_file, import_visit_document
from tests.core.builders import make_visit

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


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One laptop's visit as package records and as a visit file, and a sealed package."""
    folder = tmp_path_factory.mktemp("fuzz-laptop")
    laptop = open_database(folder / "laptop.db")
    visit_id = make_visit(laptop)
    export_review_package(laptop, folder / "plain.nxr", all_visits=True)
    export_visit_file(laptop, visit_id, folder / "visit.json")
    export_review_package(laptop, folder / "sealed.nxr", all_visits=True, passphrase=PASSPHRASE)
    laptop.close()
    with zipfile.ZipFile(folder / "plain.nxr") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        records = json.loads(zf.read("payload.json"))["records"]
    with zipfile.ZipFile(folder / "sealed.nxr") as zf:
        sealed = {
            "manifest": json.loads(zf.read("manifest.json")),
            "payload": zf.read("payload.bin"),
        }
    return {
        "records": records,
        "manifest": manifest,
        "visit": json.loads((folder / "visit.json").read_text("utf-8")),
        "sealed": sealed,
    }


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("fuzz-network") / "network.db")
    make_visit(db, school_name="Oakfield Primary")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    yield db
    db.close()


@pytest.fixture(scope="module")
def dump_of(network: Database) -> Any:
    assert network.path is not None
    conn = sqlite3.connect(network.path)
    yield lambda: "\n".join(conn.iterdump())
    conn.close()


# ---------------------------------------------------------------------------- building files


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


# ---------------------------------------------------------------------------- the check


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


def columns(samples: dict[str, Any], kind: type[Any]) -> list[tuple[str, str]]:
    """(table, column) of every column of a type, in the tables the sample visit has records of."""
    return [
        (t, c.key)
        for t, m in TABLES.items()
        if samples["records"].get(t)
        for c in m.__table__.columns  # type: ignore[attr-defined]
        if isinstance(c.type, kind) and not c.primary_key
    ]


VISIT_TABLES = {
    "school",
    "reviewer",
    "visit",
    "visit_reviewer",
    "evidence",
    "drop_in",
    "judgement",
    "action",
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=70),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=70), inner, max_size=4)
    ),
    max_leaves=8,
)


def _conforms(shape: dict[str, Any], value: Any) -> bool:
    from jsonschema import Draft202012Validator

    return bool(Draft202012Validator(shape).is_valid(value))


def _target(
    data: st.DataObject, samples: dict[str, Any], tables: set[str]
) -> tuple[str, Any, dict[str, list[dict[str, Any]]]]:
    """Package or visit file (a visit file only for its own tables); the document and its records."""
    kind = data.draw(st.sampled_from(["package", "visit"])) if tables <= VISIT_TABLES else "package"
    if kind == "package":
        document = {"records": copy.deepcopy(samples["records"])}
        return kind, document, document["records"]
    document = copy.deepcopy(samples["visit"])
    return kind, document, records_of(document)


def _encode(kind: str, samples: dict[str, Any], document: Any, nesting: str | None = None) -> bytes:
    payload = as_text(document, nesting)
    return (
        zip_package(samples["manifest"], "payload.json", payload) if kind == "package" else payload
    )


# ---------------------------------------------------------------------------- the fuzzers


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_json_column_shapes_are_refused(
    network: Database, dump_of: Any, samples: dict[str, Any], data: st.DataObject
) -> None:
    table, column = data.draw(st.sampled_from(columns(samples, JSON)))
    kind, document, records = _target(data, samples, {table})
    rows = records[table]
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    if column == "field_versions":
        from nexus_review.interchange.package_schema import FIELD_VERSIONS_SCHEMA as shape
    else:
        shape = column_shapes()["vclock" if column == "vclock" else f"{table}.{column}"]
    value = data.draw(json_values)
    if _conforms(shape, value):  # make it wrong: the other kind of container around it
        value = {"value": value} if shape["type"] == "array" else [value]
    row[column] = value
    must_refuse(network, dump_of, kind, _encode(kind, samples, document))


@pytest.mark.slow
@FUZZ
@given(data=st.data(), big=st.integers(0, 2**200), low=st.booleans())
def test_fuzzed_integers_out_of_bounds_are_refused(
    network: Database,
    dump_of: Any,
    samples: dict[str, Any],
    data: st.DataObject,
    big: int,
    low: bool,
) -> None:
    counters = [(t, "vclock") for t in TABLES if samples["records"].get(t)]
    table, column = data.draw(st.sampled_from(columns(samples, Integer) + counters))
    kind, document, records = _target(data, samples, {table})
    rows = records[table]
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    if column in ("revision", "vclock"):
        value = -(big + 1) if low else 2**53 + big  # counters: 0 to 2**53 - 1
    else:
        value = -(2**31) - 1 - big if low else 2**31 + big  # positions and counts: 32 bits
    if column == "vclock":
        row["vclock"] = {**row["vclock"], data.draw(st.text(min_size=1, max_size=64)): value}
    else:
        row[column] = value
    must_refuse(network, dump_of, kind, _encode(kind, samples, document))


@pytest.mark.slow
@FUZZ
@given(data=st.data(), surrogate=st.integers(0xD800, 0xDFFF), in_key=st.booleans())
def test_fuzzed_lone_surrogates_are_refused(
    network: Database,
    dump_of: Any,
    samples: dict[str, Any],
    data: st.DataObject,
    surrogate: int,
    in_key: bool,
) -> None:
    kind = data.draw(st.sampled_from(["package", "visit", "manifest"]))
    document: Any = (
        {"records": copy.deepcopy(samples["records"])}
        if kind != "visit"
        else copy.deepcopy(samples["visit"])
    )
    manifest = copy.deepcopy(samples["manifest"])
    target = manifest if kind == "manifest" else document
    places = [
        (w, v)
        for w, v in locations(target)
        if w
        and w[0] not in ("payload", "payload_sha256")  # written afresh below, to match the records
        and (isinstance(v, str) or (in_key and isinstance(v, dict) and v))
    ]
    where, value = data.draw(st.sampled_from(places))
    if isinstance(value, dict):
        key = data.draw(st.sampled_from(sorted(value)))
        cut = data.draw(st.integers(0, len(key)))
        value[key[:cut] + chr(surrogate) + key[cut:]] = value.pop(key)
    else:
        cut = data.draw(st.integers(0, len(value)))
        put(target, where, value[:cut] + chr(surrogate) + value[cut:])
    if kind == "visit":
        raw = as_text(document)
    else:
        raw = zip_package(
            samples["manifest"],
            "payload.json",
            as_text(document),
            json.dumps(
                {
                    **manifest,
                    "payload": "payload.json",
                    "payload_sha256": hashlib.sha256(as_text(document)).hexdigest(),
                }
            )
            if kind == "manifest"
            else None,
        )
    must_refuse(network, dump_of, "visit" if kind == "visit" else "package", raw)


@pytest.mark.slow
@FUZZ
@given(
    data=st.data(),
    depth=st.one_of(st.integers(2, 40), st.integers(2, 3000)),
    kinds=st.lists(st.booleans(), min_size=1, max_size=4),
)
def test_fuzzed_deep_nesting_is_refused(
    network: Database,
    dump_of: Any,
    samples: dict[str, Any],
    data: st.DataObject,
    depth: int,
    kinds: list[bool],
) -> None:
    kind = data.draw(st.sampled_from(["package", "visit"]))
    document: Any = (
        {"records": copy.deepcopy(samples["records"])}
        if kind == "package"
        else copy.deepcopy(samples["visit"])
    )
    places = [w for w, _ in locations(document) if w]
    where = data.draw(st.sampled_from(places))
    put(document, where, NEST)
    must_refuse(network, dump_of, kind, _encode(kind, samples, document, nested_text(depth, kinds)))


def _bad_setting(key: str) -> st.SearchStrategy[str]:
    """JSON text for a key-derivation setting outside what the reader accepts."""
    low, high = sealing.SCRYPT_LIMITS[key]
    out_of_range = st.integers(high + 1, 2**4000) | st.integers(-(2**64), low - 1)
    texts = st.sampled_from(
        [
            "1e999",
            "-1e999",
            "1e308",
            "NaN",
            "Infinity",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            '"32768"',
            "32768.0",
            "8.5",
        ]
    )
    choices = [out_of_range.map(str), texts]
    if key == "n":  # within range, but not a power of two
        choices.append(st.integers(low, high).filter(lambda n: n & (n - 1) != 0).map(str))
    return st.one_of(*choices)


def _good_setting(key: str) -> st.SearchStrategy[str]:
    low, high = sealing.SCRYPT_LIMITS[key]
    if key == "n":
        return st.sampled_from([str(2**k) for k in range(low.bit_length() - 1, high.bit_length())])
    return st.integers(low, high).map(str)


@pytest.mark.slow
@FUZZ
@given(data=st.data(), broken=st.sets(st.sampled_from(["n", "r", "p"]), min_size=1))
def test_fuzzed_key_derivation_settings_are_refused_before_deriving(
    network: Database, dump_of: Any, samples: dict[str, Any], data: st.DataObject, broken: set[str]
) -> None:
    sealed = samples["sealed"]
    protection = dict(sealed["manifest"]["protection"])
    texts = {
        key: data.draw(_bad_setting(key) if key in broken else _good_setting(key))
        for key in ("n", "r", "p")
    }
    for key in texts:
        protection[key] = f"@{key}@"
    if data.draw(st.booleans()):
        protection.pop(data.draw(st.sampled_from(sorted(broken))))  # or the setting left out
    manifest = {**sealed["manifest"], "protection": protection}
    text = json.dumps(manifest)
    for key, value in texts.items():
        text = text.replace(f'"@{key}@"', value)
    raw = zip_package(manifest, "payload.bin", sealed["payload"], text)

    def no_deriving(*args: Any) -> bytes:
        raise AssertionError("a key was derived with settings the reader should have refused")

    original = sealing._key
    sealing._key = no_deriving
    try:
        must_refuse(network, dump_of, "package", raw, PASSPHRASE)
    finally:
        sealing._key = original


def test_the_fuzzers_start_from_files_that_import(
    network: Database, samples: dict[str, Any], tmp_path: Path
) -> None:
    """Each fuzzer's starting point is accepted: what they find is the change they make."""
    assert parse_package(
        zip_package(samples["manifest"], "payload.json", as_text({"records": samples["records"]})),
        "good.nxr",
    ).records
    assert parse_visit_bytes(as_text(samples["visit"]), "good.json")["visit"]["id"]
    sealed = samples["sealed"]
    assert (
        parse_package(
            zip_package(sealed["manifest"], "payload.bin", sealed["payload"]),
            "sealed.nxr",
            PASSPHRASE,
        ).records
        == samples["records"]
    )
    out = tmp_path / "again.nxr"
    write_package(out, samples["records"], reviewer="x", device_id="y")
    assert out.stat().st_size > 0
