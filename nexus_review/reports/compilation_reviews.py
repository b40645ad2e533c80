"""The compilation's judgements and reviews: how far the review teams' judgements matched
schools' own across the network, and the one-page summary of each review."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.enums import VisitKind, VisitStatus, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.frameworks import get_framework
from nexus_review.reports.consistency import consistency
from nexus_review.reports.document import (
    BarChart,
    Block,
    BulletList,
    Heading,
    KeyValue,
    Paragraph,
    Table,
    lines_of,
)
from nexus_review.reports.feedback import focus_judgements, grade_key
from nexus_review.reports.phrasing import ebi_text, short_date

# Below this many, a share is given as a count ("2 of 3"), not as a percentage.
PERCENT_FROM = 10


def _share(part: int, whole: int) -> str:
    if whole < PERCENT_FROM:
        return f"{part} of {whole}"
    return f"{part / whole:.0%}"


_BELOW = re.compile(r"\b(the )?(next steps|questions) below\b", re.IGNORECASE)


def _summary_for_compilation(text: str) -> str:
    """A review's summary, where nothing follows it: "the next steps below" points to where
    the compilation lists them instead."""

    def replace(m: re.Match[str]) -> str:
        if m.group(2).lower() == "next steps":
            words = "the next steps listed under Follow-up of agreed next steps"
        else:
            words = "the questions listed under Thought-provoking questions"
        return words[0].upper() + words[1:] if m.group(0)[0].isupper() else words

    return _BELOW.sub(replace, text)


def consistency_blocks(visits: Sequence[VisitDetail]) -> list[Block]:
    rows = consistency(visits)
    if not rows:
        return [
            Paragraph(
                "None of these reviews used a graded framework, so there are no judgements to compare."
            )
        ]
    blocks: list[Block] = []
    judged = sum(r.judged for r in rows)
    agreed = sum(r.agreed for r in rows)
    blocks.append(
        Paragraph(
            f"Across {counted(judged, 'judgement')} where both the school and the review team gave a grade, "
            f"the peer judgement agreed with the school's own self-evaluation {agreed} times ({_share(agreed, judged)}). "
            f"Where they differed, the review team was higher {sum(r.higher for r in rows)} times and lower {sum(r.lower for r in rows)} times."
        )
    )
    for fw_key in dict.fromkeys(r.framework_key for r in rows):
        mine = [r for r in rows if r.framework_key == fw_key]
        name = get_framework(fw_key).name
        blocks += [
            Heading(name, 2),
            *grade_key(get_framework(fw_key)),
            Table(
                ("Area", "Judged", "Agreed", "Peer higher", "Peer lower", "Agreement"),
                tuple(
                    (
                        r.area_name,
                        str(r.judged),
                        str(r.agreed),
                        str(r.higher),
                        str(r.lower),
                        _share(r.agreed, r.judged),
                    )
                    for r in mine
                ),
                widths=(3.2, 1.1, 1.1, 1.3, 1.3, 1.7),
            ),
            BarChart(
                f"Peer judgements against schools' own: {get_framework(fw_key).short_name}",
                tuple(r.area_name for r in mine),
                (
                    ("Agreed", tuple(float(r.agreed) for r in mine)),
                    ("Peer higher", tuple(float(r.higher) for r in mine)),
                    ("Peer lower", tuple(float(r.lower) for r in mine)),
                ),
                "Judgements",
            ),
        ]
    return blocks


def review_page(v: VisitDetail, staff: Anonymiser) -> list[Block]:
    fw = get_framework(v.framework_key)
    blocks: list[Block] = [
        Heading(
            f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {short_date(v.visit_date)}",
            2,
            in_contents=True,
        ),
        KeyValue(
            (
                ("Focus", "; ".join(staff.clean(f) for f in v.focus_areas) or "–"),
                (
                    "Review team",
                    ", ".join(m.name + (" (lead)" if m.is_lead else "") for m in v.team) or "–",
                ),
                ("Framework", fw.short_name),
                *(
                    (
                        (
                            "Status",
                            f"{label_of(VisitStatus, v.status)}: the report has not yet been sent to the school",
                        ),
                    )
                    if v.status != VisitStatus.REPORT_SENT
                    else ()
                ),
            )
        ),
    ]
    if v.status != VisitStatus.REPORT_SENT:
        blocks.append(
            Paragraph(
                "This review is not finished: what follows is the review team's draft and may change.",
                "muted",
            )
        )
    if v.summary.strip():
        blocks += [
            Paragraph(staff.clean(_summary_for_compilation(p.strip())))
            for p in v.summary.split("\n\n")
            if p.strip()
        ]
    for label, text in (
        ("What went well", v.strengths),
        ("Even better if", v.areas_for_development),
    ):
        items = [
            staff.clean(x if label == "What went well" else ebi_text(x)) for x in lines_of(text)
        ]
        if items:
            blocks += [Paragraph(label, "lead"), BulletList(tuple(items))]
    if fw.graded:
        rows = []
        for area in fw.judged_areas():
            j = v.judgement(area.key)
            if j is None or not (j.peer_grade or j.self_grade):
                continue
            c = fw.compare(area.key, j.peer_grade, j.self_grade)
            rows.append(
                (
                    area.name,
                    fw.grade_label(area.key, j.self_grade) or "–",
                    fw.grade_label(area.key, j.peer_grade) or "–",
                    {None: "–", 0: "Agreed", 1: "Peer higher", -1: "Peer lower"}[c],
                )
            )
        # Then the focus areas agreed with the school, under their own names.
        for title, j in focus_judgements(v):
            if not (j.peer_grade or j.self_grade):
                continue
            c = fw.compare(j.area_key, j.peer_grade, j.self_grade)
            rows.append(
                (
                    f"Focus area: {staff.clean(title)}",
                    fw.grade_label(j.area_key, j.self_grade) or "–",
                    fw.grade_label(j.area_key, j.peer_grade) or "–",
                    {None: "–", 0: "Agreed", 1: "Peer higher", -1: "Peer lower"}[c],
                )
            )
        if rows:
            blocks.append(
                Table(
                    ("Area", "Self-evaluation", "Peer judgement", "Agreement"),
                    tuple(rows),
                    widths=(3.2, 2.2, 2.2, 1.8),
                )
            )
    return blocks
