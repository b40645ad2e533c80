"""The network's spreadsheets: judgements and next steps as CSV, for the administrator."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.enums import VisitKind, label_of
from nexus_review.domain.network import TrackedAction
from nexus_review.domain.records import VisitDetail
from nexus_review.frameworks import area_title, get_framework


def judgements_csv(visits: Sequence[VisitDetail]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "visit_id",
            "date",
            "school",
            "kind",
            "framework",
            "area",
            "self_evaluation",
            "peer_judgement",
            "agreement",
        ]
    )
    for v in visits:
        fw = get_framework(v.framework_key)
        for j in v.judgements:
            c = fw.compare(j.area_key, j.peer_grade, j.self_grade)
            writer.writerow(
                [
                    v.id,
                    v.visit_date.isoformat(),
                    v.host_school.name,
                    label_of(VisitKind, v.kind),
                    fw.short_name,
                    area_title(fw, j.area_key, v.focus_areas),
                    fw.grade_label(j.area_key, j.self_grade),
                    fw.grade_label(j.area_key, j.peer_grade),
                    {None: "", 0: "agreed", 1: "peer higher", -1: "peer lower"}[c],
                ]
            )
    return buffer.getvalue()


def actions_csv(
    actions: Sequence[TrackedAction], today: dt.date | None = None, staff: Anonymiser | None = None
) -> str:
    """The next steps as a spreadsheet; with ``staff``, the staff it protects are named in no cell."""
    clean = staff.clean if staff is not None else str
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "action_id",
            "school",
            "visit_date",
            "next_step",
            "owner",
            "due",
            "status",
            "overdue",
            "follow_up",
        ]
    )
    for a in actions:
        writer.writerow(
            [
                a.id,
                a.school,
                a.visit_date.isoformat(),
                clean(a.description),
                clean(a.owner),
                a.due_date.isoformat() if a.due_date else "",
                a.status,
                "yes" if a.overdue(today) else "no",
                " | ".join(f"{d.isoformat() if d else ''}: {clean(n)}" for d, n in a.follow_up),
            ]
        )
    return buffer.getvalue()


def staff_of(visits: Sequence[VisitDetail], anonymise: bool = True) -> Anonymiser:
    """An anonymiser for everyone named in the evidence of these visits, deleted evidence too."""
    return Anonymiser(
        (name for v in visits for name in (*(e.staff for e in v.evidence), *v.staff_named)),
        anonymise,
    )


def write_csv(text: str, out: Path | str) -> Path:
    from nexus_review.fileio import write_bytes_atomic

    # UTF-8 with a byte-order mark, so that spreadsheet programs read accents correctly.
    return write_bytes_atomic(out, ("\ufeff" + text).encode("utf-8"))
