"""Fuzzing the readers with JSON no laptop of ours writes: 1,000 cases of each kind.

JSON columns of the wrong shape, integers out of bounds, lone surrogates and deep nesting, in
packages and visit files alike. Every case must be refused with one sentence of the program's
own, and the administrator's database must be unchanged (its SQL dump compared before and
after).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Integer
from sqlalchemy.types import JSON

from nexus_review.interchange.package import TABLES, parse_package, write_package
from nexus_review.interchange.package_schema import column_shapes
from nexus_review.interchange.visit_check import parse_visit_bytes
from nexus_review.storage.database import Database
from tests.merge.fuzzing import (
    FUZZ,
    NEST,
    PASSPHRASE,
    as_text,
    locations,
    must_refuse,
    nested_text,
    put,
    records_of,
    zip_package,
)


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


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_json_column_shapes_are_refused(
    fuzz_network: Database, dump_of: Any, samples: dict[str, Any], data: st.DataObject
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
    must_refuse(fuzz_network, dump_of, kind, _encode(kind, samples, document))


@pytest.mark.slow
@FUZZ
@given(data=st.data(), big=st.integers(0, 2**200), low=st.booleans())
def test_fuzzed_integers_out_of_bounds_are_refused(
    fuzz_network: Database,
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
    must_refuse(fuzz_network, dump_of, kind, _encode(kind, samples, document))


@pytest.mark.slow
@FUZZ
@given(data=st.data(), surrogate=st.integers(0xD800, 0xDFFF), in_key=st.booleans())
def test_fuzzed_lone_surrogates_are_refused(
    fuzz_network: Database,
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
    must_refuse(fuzz_network, dump_of, "visit" if kind == "visit" else "package", raw)


@pytest.mark.slow
@FUZZ
@given(
    data=st.data(),
    depth=st.one_of(st.integers(2, 40), st.integers(2, 3000)),
    kinds=st.lists(st.booleans(), min_size=1, max_size=4),
)
def test_fuzzed_deep_nesting_is_refused(
    fuzz_network: Database,
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
    must_refuse(
        fuzz_network, dump_of, kind, _encode(kind, samples, document, nested_text(depth, kinds))
    )


def test_the_fuzzers_start_from_files_that_import(
    fuzz_network: Database, samples: dict[str, Any], tmp_path: Path
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
