"""Reading a visit file and checking it before anything is written: its size, its JSON, the
schema (see docs/visit-json.md) and that every record it holds belongs to its one visit. Every
problem is one sentence naming the path of the bad field.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from nexus_review.errors import InterchangeError
from nexus_review.interchange.limits import check_tree, read_outside_file
from nexus_review.paths import resource_path

FORMAT = "nexus-review-visit"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024
# Far more than four reviewers give on a visit of thirty classrooms (the schema says it too);
# counted before the schema checks each one, so a file cannot choose a long check.
MAX_OWN_GRADES = 5_000


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(resource_path("schemas", "visit-v1.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def field_path(parts: Any) -> str:
    """A JSON location as a reader writes it: evidence[2].drop_ins[0].time."""
    from nexus_review.interchange.limits import printable_key

    out = ""
    for part in (p if isinstance(p, int) else printable_key(str(p)) for p in parts):
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the whole file)"


def read_visit_file(path: Path) -> dict[str, Any]:
    """Read and validate a visit file; every problem is one InterchangeError sentence."""
    return parse_visit_bytes(read_outside_file(path, MAX_FILE_BYTES, "visit file"), path.name)


def parse_visit_bytes(raw: bytes, name: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InterchangeError(f"{name} is not a visit file: it is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise InterchangeError(f"{name} is not a visit file: it is nested too deeply.") from None
    except ValueError:  # a number of thousands of digits, which Python refuses to read
        raise InterchangeError(
            f"{name} is not a visit file: it holds a number far too long to be one of ours."
        ) from None
    return validate_visit_document(data, name)


def validate_visit_document(data: Any, name: str) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InterchangeError(f"{name} is not a Nexus Review visit file.")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InterchangeError(
            f"{name} was made by a newer version of Nexus Review (visit file version {version}); "
            "update the program to read it."
        )
    from jsonschema.exceptions import best_match

    check_tree(
        data, name, "visit file"
    )  # no schema says "not nested 1,000 deep", nor "valid Unicode"
    own = data.get("own_grades")
    if isinstance(own, list) and len(own) > MAX_OWN_GRADES:
        raise InterchangeError(
            f"{name} is not a valid visit file: at own_grades, it holds {len(own):,} own grades, "
            f"more than the {MAX_OWN_GRADES:,} a visit can have."
        )
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        raise InterchangeError(
            f"{name} is not a valid visit file: at {field_path(error.absolute_path)}, {_short(error.message)}."
        )
    _check_references(data, name)
    return data


def _short(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."


def _check_references(data: dict[str, Any], name: str) -> None:
    visit = data["visit"]
    vid = visit["id"]

    def bad(where: str, what: str) -> InterchangeError:
        return InterchangeError(f"{name} is not a valid visit file: at {where}, {what}.")

    if visit["host_school_id"] != data["host_school"]["id"]:
        raise bad("visit.host_school_id", "it does not name the host school given in the file")
    from nexus_review.frameworks import all_frameworks

    if visit["framework_key"] not in all_frameworks():
        raise bad(
            "visit.framework_key", f"the framework '{visit['framework_key']}' is not installed"
        )
    reviewer_ids = {r["id"] for r in data["reviewers"]}
    school_ids = {data["host_school"]["id"]} | {s["id"] for s in data.get("schools", [])}
    for i, r in enumerate(data["reviewers"]):
        if r.get("home_school_id") and r["home_school_id"] not in school_ids:
            raise bad(f"reviewers[{i}].home_school_id", "the school is not in the file")
    for i, m in enumerate(data["team"]):
        if m["visit_id"] != vid:
            raise bad(f"team[{i}].visit_id", "it belongs to another visit")
        if m["reviewer_id"] not in reviewer_ids:
            raise bad(f"team[{i}].reviewer_id", "the reviewer is not in the file")
    evidence_ids = set()
    for i, e in enumerate(data["evidence"]):
        evidence_ids.add(e["id"])
        if e["visit_id"] != vid:
            raise bad(f"evidence[{i}].visit_id", "it belongs to another visit")
        for j, d in enumerate(e.get("drop_ins", [])):
            if d["evidence_id"] != e["id"]:
                raise bad(
                    f"evidence[{i}].drop_ins[{j}].evidence_id", "it belongs to other evidence"
                )
    for key in ("judgements", "actions"):
        for i, item in enumerate(data[key]):
            if item["visit_id"] != vid:
                raise bad(f"{key}[{i}].visit_id", "it belongs to another visit")
    for i, j in enumerate(data["judgements"]):
        for k, eid in enumerate(j.get("evidence_ids", [])):
            if eid not in evidence_ids:
                raise bad(f"judgements[{i}].evidence_ids[{k}]", "the evidence is not in the file")
    drop_in_ids = {d["id"] for e in data["evidence"] for d in e.get("drop_ins", [])}
    for i, g in enumerate(data.get("own_grades", [])):
        if g["visit_id"] != vid:
            raise bad(f"own_grades[{i}].visit_id", "it belongs to another visit")
        if g["reviewer_id"] not in reviewer_ids:
            raise bad(f"own_grades[{i}].reviewer_id", "the reviewer is not in the file")
        if g.get("drop_in_id") is not None and g["drop_in_id"] not in drop_in_ids:
            raise bad(
                f"own_grades[{i}].drop_in_id", "the learning-walk classroom is not in the file"
            )
    all_ids = (
        [vid, data["host_school"]["id"]]
        + [s["id"] for s in data.get("schools", [])]
        + [r["id"] for r in data["reviewers"]]
        + [m["id"] for m in data["team"]]
        + [e["id"] for e in data["evidence"]]
        + [d["id"] for e in data["evidence"] for d in e.get("drop_ins", [])]
        + [x["id"] for x in data["judgements"]]
        + [x["id"] for x in data["actions"]]
        + [x["id"] for x in data.get("own_grades", [])]
    )
    seen: set[str] = set()
    for rid in all_ids:
        if rid in seen:
            raise bad("(the whole file)", f"the id {rid} is used by two records")
        seen.add(rid)
