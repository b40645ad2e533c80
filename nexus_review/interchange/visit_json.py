"""Visit files: one visit with everything in it, as versioned JSON (see docs/visit-json.md).

Export and import round-trip exactly: a visit exported, imported into another database and
exported again gives the same bytes. Import adds a visit, or updates the same visit by its id;
an invalid file is refused with the path of the bad field and the database is left untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nexus_review import __version__
from nexus_review.domain import vclock
from nexus_review.errors import InterchangeError
from nexus_review.interchange.visit_check import FORMAT, VERSION
from nexus_review.storage.database import Session
from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    IndependentGrade,
    Judgement,
    Reviewer,
    School,
    SyncMixin,
    Visit,
    VisitReviewer,
)
from nexus_review.storage.repository import load_visit
from nexus_review.storage.serialize import content_equal, expand, from_dict, to_dict
from nexus_review.storage.stamping import bump

META_FIELDS = ("id", "created_at", "updated_at", "device_id", "revision", "vclock", "deleted")


# --------------------------------------------------------------------------- export


def visit_document(session: Session, visit_id: str) -> dict[str, Any]:
    """The whole visit as a JSON-ready dict (tombstoned records included, so deletions travel)."""
    from nexus_review.storage.own_grades import visit_own_grade_records

    visit = load_visit(session, visit_id)
    team = sorted(visit.team, key=lambda m: (m.position, m.id))
    reviewers: dict[str, Reviewer] = {m.reviewer.id: m.reviewer for m in team}
    own_grades = visit_own_grade_records(session, visit_id)
    for g in own_grades:  # a reviewer who graded and has since left the team travels too
        reviewers.setdefault(g.reviewer.id, g.reviewer)
    schools: dict[str, School] = {}
    for r in reviewers.values():
        if r.home_school is not None and r.home_school_id != visit.host_school_id:
            schools[r.home_school.id] = r.home_school
    evidence = []
    for e in sorted(visit.evidence, key=lambda e: (e.position, e.id)):
        item = to_dict(e)
        item["drop_ins"] = [
            to_dict(d) for d in sorted(e.drop_ins, key=lambda d: (d.position, d.id))
        ]
        evidence.append(item)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "program_version": __version__,
        "visit": to_dict(visit),
        "host_school": to_dict(visit.host_school),
        "schools": [to_dict(s) for s in sorted(schools.values(), key=lambda s: s.id)],
        "reviewers": [to_dict(r) for r in sorted(reviewers.values(), key=lambda r: r.id)],
        "team": [to_dict(m) for m in team],
        "evidence": evidence,
        "judgements": [
            to_dict(j) for j in sorted(visit.judgements, key=lambda j: (j.area_key, j.id))
        ],
        "actions": [to_dict(a) for a in sorted(visit.actions, key=lambda a: (a.position, a.id))],
    }
    if own_grades:  # optional: a visit no reviewer graded on their own is written as before
        document["own_grades"] = [to_dict(g) for g in own_grades]
    return document


def dumps(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    visit_id: str
    created: bool
    added: int
    updated: int
    unchanged: int


def _records(data: dict[str, Any]) -> list[tuple[type[SyncMixin], str, dict[str, Any]]]:
    """(model, location, record) in the order parents come before children."""
    out: list[tuple[type[SyncMixin], str, dict[str, Any]]] = [
        (School, "host_school", data["host_school"])
    ]
    out += [(School, f"schools[{i}]", s) for i, s in enumerate(data.get("schools", []))]
    out += [(Reviewer, f"reviewers[{i}]", r) for i, r in enumerate(data["reviewers"])]
    out.append((Visit, "visit", data["visit"]))
    out += [(VisitReviewer, f"team[{i}]", m) for i, m in enumerate(data["team"])]
    for i, e in enumerate(data["evidence"]):
        out.append((Evidence, f"evidence[{i}]", {k: v for k, v in e.items() if k != "drop_ins"}))
        out += [
            (DropIn, f"evidence[{i}].drop_ins[{j}]", d) for j, d in enumerate(e.get("drop_ins", []))
        ]
    out += [(Judgement, f"judgements[{i}]", j) for i, j in enumerate(data["judgements"])]
    out += [(Action, f"actions[{i}]", a) for i, a in enumerate(data["actions"])]
    out += [
        (IndependentGrade, f"own_grades[{i}]", g) for i, g in enumerate(data.get("own_grades", []))
    ]
    return out


def apply_record(
    session: Session,
    model: type[SyncMixin],
    data: dict[str, Any],
    values: dict[str, Any],
    device: str,
    name: str = "The visit file",
) -> str:
    """Add or update one record from a file; returns "added", "updated" or "unchanged"."""
    obj = session.get(model, values["id"])
    same_record = True
    if obj is None:
        obj = _same_natural_key(session, model, values)
        if obj is None:
            session.add(model(**values))
            return "added"
        same_record = False  # another id for it: the file's values are what the user chose
    _refuse_move(session, model, obj, values, name)
    if same_record and content_equal(obj, data):
        return "unchanged"
    content = {k: v for k, v in values.items() if k not in META_FIELDS}
    same_content = content_equal(obj, {k: v for k, v in data.items() if k not in META_FIELDS})
    order = vclock.compare(values.get("vclock") or {}, obj.vclock or {})
    if same_record and order is vclock.Order.AFTER:
        # A newer version made elsewhere: take it exactly as it was made. A visit file carries
        # no field versions, so every field now has the file's version of the record.
        for key, value in values.items():
            setattr(obj, key, value)
        obj.field_versions = {}
        return "updated"
    if same_content:
        return "unchanged"
    # Edited by hand, or changed on both sides: the imported file is what the user chose.
    table = model.__tablename__
    before = expand(table, to_dict(obj))
    for key, value in content.items():
        setattr(obj, key, value)
    after = expand(table, to_dict(obj))
    bump(
        obj,
        device,
        fields=sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)),
    )
    return "updated"


def _same_natural_key(
    session: Session, model: type[SyncMixin], values: dict[str, Any]
) -> SyncMixin | None:
    """The record here that a file's record is under another id: one merged here before, or
    the live record with its natural key (the judgement of the same visit and area)."""
    from nexus_review.storage import repository as repo
    from nexus_review.storage.models import NATURAL_KEYS

    table = model.__tablename__
    natural = NATURAL_KEYS.get(table)
    if not natural:
        return None
    alias = repo.record_aliases(session, [values["id"]]).get(values["id"])
    if alias is not None:
        return session.get(model, alias)
    if values.get("deleted"):
        return None
    key = tuple(
        values.get(c) for c in natural
    )  # natural keys are ids and text, the same serialised
    match = repo.live_by_natural_key(session, model, natural, [str(key[0])]).get(key)
    if match is None:
        return None
    repo.add_record_aliases(session, table, {values["id"]: match["id"]})
    return session.get(model, match["id"])


def _refuse_move(
    session: Session, model: type[SyncMixin], obj: SyncMixin, values: dict[str, Any], name: str
) -> None:
    """A record never changes its visit, school or owner through a file."""
    from nexus_review.storage.models import OWNER_COLUMNS
    from nexus_review.storage.repository import describe_record

    table = model.__tablename__
    for column in OWNER_COLUMNS.get(table, ()):
        if column in values and getattr(obj, column) != values[column]:
            held = to_dict(obj)
            what = describe_record(session, table, obj.id, held)
            raise InterchangeError(
                f"{name} cannot be imported: it would move {what[0].lower() + what[1:]} ({obj.id[:8]}) to another "
                f"{'school' if 'school' in column else column.removesuffix('_id').replace('_', ' ')}, and an import never "
                "changes which visit, school or owner a record belongs to."
            )


def document_records(
    data: dict[str, Any], name: str
) -> list[tuple[type[SyncMixin], dict[str, Any], dict[str, Any]]]:
    """Each record of a checked visit document with its column values, read before any
    change, so that a value the calendar lacks refuses the whole file."""
    records = []
    for model, where, record in _records(data):
        try:
            values = from_dict(model, record)
        except (
            ValueError,
            OverflowError,
        ) as exc:  # a date the calendar lacks; a time zone past year 1
            raise InterchangeError(
                f"{name} is not a valid visit file: at {where}, {exc}."
            ) from None
        records.append((model, record, values))
    return records


def apply_visit_document(
    session: Session, data: dict[str, Any], name: str, device_id: str
) -> ImportResult:
    """Write a checked visit document into the caller's transaction."""
    records = document_records(data, name)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    visit_id = data["visit"]["id"]
    session.info["raw_sync"] = True
    try:
        created = session.get(Visit, visit_id) is None
        for model, record, values in records:
            counts[apply_record(session, model, record, values, device_id, name)] += 1
        session.flush()  # while records are still written exactly as they arrived
    finally:
        session.info.pop("raw_sync", None)
    return ImportResult(visit_id, created, counts["added"], counts["updated"], counts["unchanged"])
