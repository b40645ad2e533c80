"""Version vectors: how many changes each device has made to a record.

Comparing two records' vectors tells whether one version already contains the other (a plain
update) or whether both were changed since they last agreed (a conflict), whatever order
packages arrive in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any


class Order(Enum):
    EQUAL = "equal"
    BEFORE = "before"  # a is older: b has every change a has, and more
    AFTER = "after"  # a is newer
    CONCURRENT = "concurrent"  # each has a change the other lacks


def compare(a: Mapping[str, int], b: Mapping[str, int]) -> Order:
    a_more = any(int(a.get(k, 0)) > int(b.get(k, 0)) for k in a)
    b_more = any(int(b.get(k, 0)) > int(a.get(k, 0)) for k in b)
    if a_more and b_more:
        return Order.CONCURRENT
    if a_more:
        return Order.AFTER
    if b_more:
        return Order.BEFORE
    return Order.EQUAL


def merged(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """The smallest vector that contains both: the history of a version that has seen both."""
    keys = sorted(set(a) | set(b))
    return {k: max(int(a.get(k, 0)), int(b.get(k, 0))) for k in keys}


# ---------------------------------------------------------------------------- field versions
#
# A record's ``field_versions`` say, field by field, which version of the record last changed
# that field: ``{"base": STAMP, "fields": {name: STAMP}}``, where a STAMP is
# ``{"vv": version vector, "at": ISO time (UTC), "by": device id}``. A field with no entry of
# its own has the base version (the record's creation); a record with no field versions at
# all (written before fields had versions) has its own version for every field. Fields holding
# a mapping by natural key (a drop-in's look-fors, an evidence item's grades) have one entry per
# key, named ``look_for_results[Talk partners]``.
#
# A local change stamps the fields it changed with the record's new vector and a time later
# than the stamp it replaces (so a later change always sorts after what it overwrote, even on a
# laptop whose clock is behind); merging keeps, for each field, the version that has seen the
# other, and where neither has, the one with the larger (time, device) and a vector of both.

Stamp = dict[str, Any]


def stamp(vv: Mapping[str, int], at: str, by: str) -> Stamp:
    return {"vv": dict(sorted((str(k), int(v)) for k, v in vv.items())), "at": at, "by": by}


def record_stamp(vv: Mapping[str, int], at: str, by: str) -> Stamp:
    """The version of every field of a record that has no field versions."""
    return stamp(vv, at, by)


def field_stamp(versions: Mapping[str, Any] | None, name: str, fallback: Stamp) -> Stamp:
    fields = (versions or {}).get("fields") or {}
    found = fields.get(name)
    if found is not None:
        return dict(found)
    base = (versions or {}).get("base")
    return dict(base) if base else fallback


def later_time(now: dt.datetime, after: str | None) -> str:
    """``now`` as stamp text, or just after ``after`` if the clock is behind it."""
    text = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if after and after >= text:
        try:
            previous = dt.datetime.fromisoformat(after)
        except ValueError:
            return text
        return (
            (previous + dt.timedelta(microseconds=1))
            .astimezone(dt.UTC)
            .isoformat(timespec="microseconds")
        )
    return text


def with_changes(
    versions: Mapping[str, Any] | None,
    names: Iterable[str],
    vv: Mapping[str, int],
    now: dt.datetime,
    device: str,
    before: Stamp,
) -> dict[str, Any]:
    """New field versions after a local change of ``names``; ``before`` is the record's own
    version before the change (the base of a record that had no field versions)."""
    base = dict((versions or {}).get("base") or before)
    fields = {k: dict(v) for k, v in ((versions or {}).get("fields") or {}).items()}
    for name in names:
        previous = fields.get(name, base)
        # Later than the field's last stamp and than the record's last change (which is at
        # least as late as every version merged into it).
        floor = max(str(previous.get("at") or ""), str(before.get("at") or ""))
        fields[name] = stamp(vv, later_time(now, floor), device)
    return {"base": base, "fields": dict(sorted(fields.items()))}


def sort_key(s: Mapping[str, Any]) -> tuple[str, str]:
    """Which of two concurrent field versions shows first: the later, then the device."""
    return (str(s.get("at") or ""), str(s.get("by") or ""))
