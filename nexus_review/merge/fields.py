"""Merging two versions of one record field by field (plain dicts, no database).

Two laptops that changed different fields of a record merge cleanly; only a field both
changed to different values is a conflict. Each field's version (its stamp, see
:mod:`nexus_review.domain.vclock`) tells whether one side's value has already seen the other's.
The result depends only on the two versions, never on which one arrived first, so every
database that has seen the same versions holds the same record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from nexus_review.domain import vclock
from nexus_review.storage.models import BOOKKEEPING as META
from nexus_review.storage.models import KEYED_FIELDS as KEYED
from nexus_review.storage.serialize import expand


@dataclass(frozen=True)
class FieldConflict:
    name: str  # a column, or "look_for_results[Talk partners]"
    ours: Any
    theirs: Any
    shown: str  # "ours" or "theirs"


def split_name(table: str, name: str) -> tuple[str, str | None]:
    """(column, key) of a field name; key None for a whole column."""
    for column in KEYED.get(table, ()):
        if name.startswith(column + "[") and name.endswith("]"):
            return column, name[len(column) + 1 : -1]
    return name, None


def field_value(table: str, row: dict[str, Any], name: str) -> Any:
    column, key = split_name(table, name)
    value = row.get(column)
    if key is None:
        return value
    return value.get(key) if isinstance(value, dict) else None


def own_stamp(row: dict[str, Any]) -> vclock.Stamp:
    return vclock.record_stamp(
        row.get("vclock") or {}, str(row.get("updated_at") or ""), str(row.get("device_id") or "")
    )


def _explicit(versions: dict[str, Any], name: str) -> bool:
    return name in (versions.get("fields") or {})


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _canonical(s: dict[str, Any]) -> str:
    return json.dumps(s, sort_keys=True)


def content_equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k not in META} == {
        k: v for k, v in b.items() if k not in META
    }


def combine(
    table: str, ours: dict[str, Any], theirs: dict[str, Any], *, fresh: bool = False
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The record that has seen both versions, and the fields on which they disagree.

    ``fresh``: two records made separately for the same natural key (two laptops grading the
    same area of one visit); a field one of them never filled in takes the other's value."""
    if not fresh:
        order = vclock.compare(theirs.get("vclock") or {}, ours.get("vclock") or {})
        if order is vclock.Order.AFTER:
            return dict(theirs), []
        if order is vclock.Order.BEFORE or (
            order is vclock.Order.EQUAL and content_equal(ours, theirs)
        ):
            return dict(ours), []
    return merge_rows(table, ours, theirs, fresh=fresh)


def merge_rows(
    table: str, ours: dict[str, Any], theirs: dict[str, Any], *, fresh: bool = False
) -> tuple[dict[str, Any], list[FieldConflict]]:
    fo = ours.get("field_versions") or {}
    ft = theirs.get("field_versions") or {}
    rso, rst = own_stamp(ours), own_stamp(theirs)
    eo, et = expand(table, ours), expand(table, theirs)
    names = set(eo) | set(et)
    for versions in (fo, ft):
        for name in versions.get("fields") or {}:
            column, key = split_name(table, name)
            if key is not None:
                names.add(name)
    values: dict[str, Any] = {}
    stamps: dict[str, vclock.Stamp] = {}
    chosen_side: dict[str, str] = {}
    conflicts: list[FieldConflict] = []
    for name in sorted(names):
        so, st = vclock.field_stamp(fo, name, rso), vclock.field_stamp(ft, name, rst)
        vo, vt = eo.get(name), et.get(name)
        order = vclock.compare(so["vv"], st["vv"])
        both = vclock.merged(so["vv"], st["vv"])
        if order is vclock.Order.AFTER or (order is vclock.Order.EQUAL and vo == vt):
            values[name], stamps[name], chosen_side[name] = (
                vo,
                vclock.stamp(so["vv"], so["at"], so["by"]),
                "ours",
            )
        elif order is vclock.Order.BEFORE:
            values[name], stamps[name], chosen_side[name] = (
                vt,
                vclock.stamp(st["vv"], st["at"], st["by"]),
                "theirs",
            )
        elif vo == vt:
            first = max(so, st, key=vclock.sort_key)
            values[name], stamps[name], chosen_side[name] = (
                vo,
                vclock.stamp(both, first["at"], first["by"]),
                "both",
            )
        elif fresh and _empty(vo) and not _explicit(fo, name):
            values[name], stamps[name], chosen_side[name] = (
                vt,
                vclock.stamp(both, st["at"], st["by"]),
                "theirs",
            )
        elif fresh and _empty(vt) and not _explicit(ft, name):
            values[name], stamps[name], chosen_side[name] = (
                vo,
                vclock.stamp(both, so["at"], so["by"]),
                "ours",
            )
        else:
            theirs_first = (vclock.sort_key(st), _digest(vt)) > (vclock.sort_key(so), _digest(vo))
            first = st if theirs_first else so
            values[name] = vt if theirs_first else vo
            stamps[name] = vclock.stamp(both, first["at"], first["by"])
            chosen_side[name] = "theirs" if theirs_first else "ours"
            conflicts.append(FieldConflict(name, vo, vt, chosen_side[name]))
    _deletion_against_edits(ours, theirs, stamps, chosen_side, fo, ft, rso, rst, conflicts)
    # The merged record: content field by field, bookkeeping that has seen both.
    merged: dict[str, Any] = {}
    keyed = KEYED.get(table, ())
    for column in ours:
        if column in META:
            continue
        if column in keyed and column not in values:
            prefix = column + "["
            merged[column] = {
                name[len(prefix) : -1]: values[name]
                for name in sorted(values)
                if name.startswith(prefix) and name.endswith("]") and values[name] is not None
            }
        else:
            merged[column] = values.get(column)
    later = max(
        (ours, theirs),
        key=lambda r: (str(r.get("updated_at") or ""), str(r.get("device_id") or "")),
    )
    base_o, base_t = fo.get("base") or rso, ft.get("base") or rst
    base = vclock.stamp(base_o["vv"], base_o["at"], base_o["by"])
    if _canonical(base_o) != _canonical(base_t):
        chosen = max((base_o, base_t), key=_canonical)
        base = vclock.stamp(chosen["vv"], chosen["at"], chosen["by"])
    out = {
        "id": ours["id"],
        "created_at": min(str(ours.get("created_at") or ""), str(theirs.get("created_at") or ""))
        or ours.get("created_at"),
        "updated_at": later.get("updated_at"),
        "device_id": later.get("device_id"),
        "revision": max(int(ours.get("revision") or 0), int(theirs.get("revision") or 0)),
        "vclock": vclock.merged(ours.get("vclock") or {}, theirs.get("vclock") or {}),
        **merged,
        "field_versions": {
            "base": base,
            "fields": {n: s for n, s in sorted(stamps.items()) if s != base},
        },
    }
    return {k: out[k] for k in ours if k in out} | {
        k: v for k, v in out.items() if k not in ours
    }, conflicts


def _deletion_against_edits(
    ours: dict[str, Any],
    theirs: dict[str, Any],
    stamps: dict[str, vclock.Stamp],
    chosen: dict[str, str],
    fo: dict[str, Any],
    ft: dict[str, Any],
    rso: vclock.Stamp,
    rst: vclock.Stamp,
    conflicts: list[FieldConflict],
) -> None:
    """A record deleted on one laptop while another changed it: the deletion stands, but as a
    conflict, so the other laptop's changes are not lost unseen."""
    if any(c.name == "deleted" for c in conflicts) or bool(ours.get("deleted")) == bool(
        theirs.get("deleted")
    ):
        return
    deleter, _other, other_versions, other_own = (
        (ours, theirs, ft, rst) if ours.get("deleted") else (theirs, ours, fo, rso)
    )
    if chosen.get("deleted") not in ("ours" if deleter is ours else "theirs",):
        return
    seen = deleter.get("vclock") or {}
    unseen = any(
        vclock.compare(vclock.field_stamp(other_versions, name, other_own)["vv"], seen)
        in (vclock.Order.AFTER, vclock.Order.CONCURRENT)
        for name in stamps
        if name != "deleted"
    )
    if unseen:
        conflicts.append(
            FieldConflict(
                "deleted",
                bool(ours.get("deleted")),
                bool(theirs.get("deleted")),
                "ours" if deleter is ours else "theirs",
            )
        )


def supersedes(
    table: str,
    name: str | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    incoming: dict[str, Any],
) -> str | None:
    """Whether ``incoming``, a version of a record arriving in a package or a sync, was made
    after seeing both versions of a field in conflict (someone chose on another database, or
    changed the field again since): which of the two it kept, "ours" or "theirs" ("later" when
    neither). None when it has not seen both: the conflict is still open.

    Strictly after: the record as the conflict left it (a version of both) passed on by another
    laptop decides nothing. ``name`` None is a whole-record conflict (recorded before fields
    merged one by one)."""
    if name is None:
        seen = vclock.merged(ours.get("vclock") or {}, theirs.get("vclock") or {})
        if vclock.compare(incoming.get("vclock") or {}, seen) is not vclock.Order.AFTER:
            return None
        if content_equal(incoming, ours):
            return "ours"
        return "theirs" if content_equal(incoming, theirs) else "later"
    so = vclock.field_stamp(ours.get("field_versions"), name, own_stamp(ours))
    st = vclock.field_stamp(theirs.get("field_versions"), name, own_stamp(theirs))
    si = vclock.field_stamp(incoming.get("field_versions"), name, own_stamp(incoming))
    both = vclock.merged(so["vv"], st["vv"])
    if vclock.compare(si["vv"], both) is not vclock.Order.AFTER:
        return None
    value = field_value(table, incoming, name)
    if value == field_value(table, ours, name):
        return "ours"
    return "theirs" if value == field_value(table, theirs, name) else "later"
