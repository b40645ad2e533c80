"""The JSON Schema a review package's records must meet, made from the database's own columns,
and the small validator that checks a payload against it quickly."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from nexus_review.storage.models import SYNCED_MODELS, SyncMixin
from nexus_review.storage.serialize import column_kind

ID_PATTERN = r"^[0-9a-fA-F-]{8,36}\Z"  # \Z, not $: no newline may follow
INTEGER_RANGE = (-(2**31), 2**31 - 1)  # positions, counts of participants
TABLES: dict[str, type[SyncMixin]] = {m.__tablename__: m for m in SYNCED_MODELS}


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
