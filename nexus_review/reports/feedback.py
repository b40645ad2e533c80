"""The short feedback report a host school receives after a visit, as a document tree.

Built once from the visit; the Word and PDF renderers draw the same tree. Sections with
nothing in them are left out rather than printed as empty headings. The evidence base says
what was seen, never who was seen; staff names are replaced by "Teacher A", "Teacher B"...
when the report is anonymised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.enums import EvidenceKind, VisitKind, VisitStatus, label_of
from nexus_review.domain.records import EvidenceItem, JudgementItem, VisitDetail
from nexus_review.frameworks import (
    Framework,
    applicable_areas,
    focus_areas_by_key,
    focus_title,
    get_framework,
    is_focus_key,
)
from nexus_review.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Paragraph,
    Table,
    lines_of,
)
from nexus_review.reports.phrasing import describe_evidence, ebi_text, join_words

PAPER_SIZES = ("a4", "letter")


@dataclass(frozen=True)
class ReportOptions:
    """What the reviewer chose in the export dialog (or on the command line)."""

    include_notes: bool = False  # each observation's own notes, in an appendix
    anonymise: bool = False  # staff names become "Teacher A", "Teacher B"...
    paper: str = "a4"
    evidence_points: bool = False  # add the evidence log's strengths and EBIs to WWW / EBI
    today: dt.date | None = None  # the date a draft is dated; the real date unless a test fixes it


# ---------------------------------------------------------------------------- the report


def grade_key(framework: Framework) -> list[Block]:
    """A small key to the framework's scale, highest grade first, for where grades appear."""
    if not framework.graded:
        return []
    areas = [a for a in framework.judged_areas()]
    scales: dict[tuple[str, ...], list[str]] = {}
    for area in areas:
        labels = tuple(
            g.label for g in sorted(framework.scale_for(area.key), key=lambda g: -g.rank)
        )
        scales.setdefault(labels, []).append(area.name)
    parts = []
    for i, (labels, names) in enumerate(scales.items()):
        where = "each area" if i == 0 else join_words(names)
        parts.append(f"{where}: {', '.join(labels)}")
    return [
        Paragraph(
            f"Key to the grades ({framework.short_name}, highest first) – "
            + "; ".join(parts)
            + ".",
            "note",
        )
    ]


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _paragraphs(text: str, clean: Anonymiser) -> list[Block]:
    return [Paragraph(clean.clean(p.strip())) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _items(texts: Iterable[str], clean: Anonymiser) -> list[str]:
    seen: list[str] = []
    for text in texts:
        for line in lines_of(text):
            line = clean.clean(line)
            if line not in seen:
                seen.append(line)
    return seen


def _team_text(visit: VisitDetail) -> str:
    members = []
    for m in sorted(visit.team, key=lambda m: not m.is_lead):
        where = f", {m.home_school_name}" if m.home_school_name else ""
        members.append(f"{m.name} ({m.role}{where}){' – lead reviewer' if m.is_lead else ''}")
    return "; ".join(members)


def _agreement(framework: Framework, area: str, peer: str | None, school: str | None) -> str:
    order = framework.compare(area, peer, school)
    if order is None:
        return "–"
    return {0: "Agreed", 1: "Peer judgement higher", -1: "Peer judgement lower"}[order]


def focus_judgements(visit: VisitDetail) -> list[tuple[str, JudgementItem]]:
    """The judgements of the visit's agreed focus areas, in the order agreed, each with its
    title; one whose focus area has since come off the list follows, titled from its key."""
    agreed = focus_areas_by_key(visit.focus_areas)
    found = [(title, j) for key, title in agreed.items() if (j := visit.judgement(key)) is not None]
    found += [
        (focus_title(j.area_key), j)
        for j in visit.judgements
        if is_focus_key(j.area_key) and j.area_key not in agreed
    ]
    return found


def _judgement_blocks(visit: VisitDetail, framework: Framework, clean: Anonymiser) -> list[Block]:
    focus = focus_judgements(visit)
    if not framework.graded:
        # A developmental review evaluates its focus areas in words.
        evaluated: list[Block] = []
        for title, evaluation in focus:
            if evaluation.rationale.strip():
                evaluated += [
                    Heading(f"Focus area: {clean.clean(title)}", 2),
                    *_paragraphs(evaluation.rationale, clean),
                ]
        return [Heading("Evaluation of the agreed focus areas"), *evaluated] if evaluated else []
    rows = []
    rationales: list[Block] = []
    recorded = [x.area_key for x in visit.judgements]
    for area in applicable_areas(framework, visit.host_school.phase, recorded):
        j = visit.judgement(area.key)
        if j is None or not (j.peer_grade or j.self_grade):
            continue
        rows.append(
            (
                area.name,
                framework.grade_label(area.key, j.self_grade) or "–",
                framework.grade_label(area.key, j.peer_grade) or "–",
                _agreement(framework, area.key, j.peer_grade, j.self_grade),
            )
        )
        if j.rationale.strip():
            rationales += [Heading(area.name, 2), *_paragraphs(j.rationale, clean)]
    focus_rows = []
    focus_rationales: list[Block] = []
    for title, j in focus:
        name = clean.clean(title)
        if j.peer_grade or j.self_grade:
            focus_rows.append(
                (
                    name,
                    framework.grade_label(j.area_key, j.self_grade) or "–",
                    framework.grade_label(j.area_key, j.peer_grade) or "–",
                    _agreement(framework, j.area_key, j.peer_grade, j.self_grade),
                )
            )
        if j.rationale.strip():
            focus_rationales += [
                Heading(f"Focus area: {name}", 2),
                *_paragraphs(j.rationale, clean),
            ]
    if not (rows or focus_rows or focus_rationales):
        return []
    agreed = sum(r[3] == "Agreed" for r in rows)
    compared = sum(r[3] != "–" for r in rows)
    blocks: list[Block] = [Heading("Judgements")]
    if rows or focus_rows:
        blocks += grade_key(framework)
    if compared:
        blocks.append(
            Paragraph(
                f"The review team's judgements agreed with the school's own self-evaluation in "
                f"{agreed} of {compared} areas ({framework.short_name}).",
                "muted",
            )
        )
    if rows:
        blocks.append(
            Table(
                ("Area", "School's self-evaluation", "Peer judgement", "Agreement"),
                tuple(rows),
                widths=(3.2, 2.2, 2.2, 2.0),
            )
        )
    # The two tables together, then what the team wrote: the framework's areas, then the focus areas.
    if focus_rows:
        blocks.append(
            Table(
                ("Agreed focus area", "School's self-evaluation", "Peer judgement", "Agreement"),
                tuple(focus_rows),
                widths=(3.2, 2.2, 2.2, 2.0),
            )
        )
    return blocks + rationales + focus_rationales


def _evidence_title(e: EvidenceItem, staff: Anonymiser) -> str:
    bits = [label_of(EvidenceKind, e.kind)]
    where = ", ".join(x for x in (e.year_group, e.class_name, e.subject) if x)
    if where:
        bits.append(staff.clean(where))
    if e.time_in:
        bits.append(e.time_in.strftime("%H:%M") + (f"–{e.time_out:%H:%M}" if e.time_out else ""))
    who = staff.name(e.staff) if e.staff else staff.clean(e.who_what)
    if who:
        bits.append(who)
    return " · ".join(bits)


def _notes_blocks(visit: VisitDetail, staff: Anonymiser) -> list[Block]:
    blocks: list[Block] = []
    for e in visit.evidence:
        inner: list[Block] = _paragraphs(e.notes, staff)
        if e.drop_ins:
            inner.append(
                BulletList(
                    tuple(
                        staff.clean(
                            ", ".join(x for x in (d.year_group, d.class_name) if x)
                            + (f": {d.note}" if d.note else "")
                        )
                        for d in e.drop_ins
                    )
                )
            )
        strengths = _items([e.strengths], staff)
        ebis = _items([e.areas_for_development], staff)
        if strengths:
            inner += [Paragraph("Strengths", "lead"), BulletList(tuple(strengths))]
        if ebis:
            inner += [Paragraph("Areas for development", "lead"), BulletList(tuple(ebis))]
        if inner:
            blocks += [Heading(_evidence_title(e, staff), 2), *inner]
    return [Heading("Observation notes"), *blocks] if blocks else []


def network_name_or_default(name: str | None) -> str:
    return (name or "").strip() or "School-to-school peer review"


def build_feedback_report(
    visit: VisitDetail, options: ReportOptions = ReportOptions(), network_name: str = ""
) -> Document:
    framework = get_framework(visit.framework_key)
    # Everyone named in the visit's evidence, deleted evidence too: a teacher whose observation
    # was removed may still be named in the summary.
    staff = Anonymiser([*(e.staff for e in visit.evidence), *visit.staff_named], options.anonymise)
    school = visit.host_school.name
    network = network_name_or_default(network_name)

    header = [
        ("Network", network),
        ("School", school),
        ("Date of visit", f"{visit.visit_date:%A} {visit.visit_date.day} {visit.visit_date:%B %Y}"),
        ("Kind of visit", label_of(VisitKind, visit.kind)),
    ]
    if visit.team:
        header.append(("Review team", _team_text(visit)))
    header.append(("Framework", framework.name))
    draft = visit.status != VisitStatus.REPORT_SENT
    if draft:
        today = options.today or dt.date.today()
        header.append(("Status", f"Draft of {_day(today)}: not yet sent to the school"))
    else:
        # The last change to a sent visit is when it was marked as sent.
        header.append(("Date of issue", _day(visit.updated_at.date())))
    blocks: list[Block] = [KeyValue(tuple(header))]

    focus = [staff.clean(f) for f in visit.focus_areas if f.strip()]
    if focus:
        blocks += [Heading("Focus of the review"), BulletList(tuple(focus))]

    summary = _paragraphs(visit.summary, staff)
    if summary:
        blocks += [Heading("Summary"), *summary]

    # What the head acts on comes straight after the summary, not at the end.
    if visit.actions:
        rows = tuple(
            (
                staff.clean(a.description),
                staff.clean(a.owner) or "–",
                f"{a.due_date.day} {a.due_date:%B %Y}" if a.due_date else "–",
            )
            for a in visit.actions
        )
        blocks += [
            Heading("Agreed next steps"),
            Table(("Action", "Owner", "By when"), rows, widths=(5.5, 2.4, 1.8)),
        ]

    blocks += _judgement_blocks(visit, framework, staff)

    www_sources = [visit.strengths]
    ebi_sources = [visit.areas_for_development]
    if options.evidence_points:
        www_sources += [e.strengths for e in visit.evidence]
        ebi_sources += [e.areas_for_development for e in visit.evidence]
    for title, sources in (("What went well", www_sources), ("Even better if", ebi_sources)):
        items = _items(sources, staff)
        if title == "Even better if":
            items = list(dict.fromkeys(ebi_text(x) for x in items))
        if items:
            blocks += [Heading(title), BulletList(tuple(items))]

    # Subjects are cleaned before the sentence lowers their first letter ("Quixley group").
    seen = describe_evidence([replace(e, subject=staff.clean(e.subject)) for e in visit.evidence])
    if seen:
        sentence = join_words(seen)
        blocks += [
            Heading("Evidence base"),
            Paragraph(staff.clean(f"The review team's evidence included {sentence}.")),
        ]

    questions = _items([visit.questions], staff)
    if questions:
        blocks += [Heading("Thought-provoking questions"), BulletList(tuple(questions))]

    if options.include_notes:
        blocks += _notes_blocks(visit, staff)

    lead = visit.lead
    return Document(
        title="Peer review feedback",
        subtitle=school,
        author=lead.name if lead else network,
        footer=school,
        confidential=True,
        blocks=tuple(blocks),
        draft=draft,
    )
