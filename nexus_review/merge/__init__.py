"""Merging review packages into a network database: exact, order-free, nothing lost.

Each record is matched by its UUID (or, for records with a natural key, by that key: two
laptops that each graded the same area of one visit made one judgement) and merged **field by
field** (see :mod:`nexus_review.merge.fields`):

- unknown here: added exactly as it arrived;
- the package's version already contains ours (newer): ours is replaced by it;
- ours already contains the package's (older, or the same): nothing changes;
- each has a change the other lacks: each field takes the version that has seen the other, so
  two laptops that changed different fields both keep their change. Only a field both changed
  to different values is a **conflict**: both versions are kept in a Conflict row naming the
  field; the record shows the later change (then device id, so the result does not depend on
  the order packages arrive in), and the administrator may choose the other, field by field.

A record never changes its visit, school or owner through an import: a package that tries is
refused in one sentence naming the record, and nothing is written. Deletions are tombstones
(``deleted`` set), so they merge like any other field; a deletion that crossed another laptop's
changes to the record is a conflict. An import is one transaction, recorded as an ImportRecord;
the database is backed up before its first change; importing a package that changes nothing
writes nothing at all.

The work is in four modules: what a package holds (:mod:`.export`), what it would change
(:mod:`.plan`), writing it (:mod:`.apply`) and the conflicts it kept (:mod:`.conflicts`).
"""

from nexus_review.merge.apply import ImportResult, apply_in_session, apply_plan, result_of
from nexus_review.merge.conflicts import ConflictItem, conflict_items, resolve
from nexus_review.merge.export import package_contents
from nexus_review.merge.plan import (
    META,
    OWNER_WORDS,
    REFERENCES,
    ImportPlan,
    PlannedConflict,
    RecordPlan,
    plan_import,
)

__all__ = [
    "META",
    "OWNER_WORDS",
    "REFERENCES",
    "ConflictItem",
    "ImportPlan",
    "ImportResult",
    "PlannedConflict",
    "RecordPlan",
    "apply_in_session",
    "apply_plan",
    "conflict_items",
    "package_contents",
    "plan_import",
    "resolve",
    "result_of",
]
