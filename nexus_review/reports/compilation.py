"""The network's collaborative review compilation: every review of a year, compiled and
shared across the network "in the interests of transparency".

Built as the same document tree as the feedback report, so the Word and PDF files say the
same thing: a title page and contents, an overview, the themes reviewed, how consistent
heads' judgements were with schools' own, a one-page summary of each review, the
thought-provoking questions, and the follow-up of every agreed next step. Staff are
anonymised unless the administrator asks for names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nexus_review.domain.enums import VisitKind, label_of
from nexus_review.domain.records import VisitDetail
from nexus_review.frameworks import get_framework
from nexus_review.network import consistency, tracked_actions
from nexus_review.reports.document import (
    BarChart,
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
    lines_of,
)
from nexus_review.reports.feedback import StaffNames, join_words, network_name_or_default

TERMS = {"autumn": "autumn term", "spring": "spring term", "summer": "summer term"}


@dataclass(frozen=True)
class CompilationOptions:
    year: str
    term: str | None = None
    group: str | None = None
    schools: tuple[str, ...] = ()
    named_staff: bool = False
    paper: str = "a4"
    today: dt.date | None = None  # for "overdue"; the real date unless a test fixes it


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "–"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _kinds(visits: Sequence[VisitDetail]) -> str:
    counts: dict[str, int] = {}
    for v in visits:
        counts[v.kind] = counts.get(v.kind, 0) + 1
    parts = []
    for kind in VisitKind:
        n = counts.get(kind.value, 0)
        if n:
            parts.append(f"{n} × {kind.label.lower()}")
    return ", ".join(parts) or "–"


def _theme_key(focus: str) -> str:
    return " ".join(focus.lower().split())


def _themes(visits: Sequence[VisitDetail], staff: StaffNames) -> list[Block]:
    groups: dict[str, dict[str, object]] = {}
    for v in visits:
        for focus in v.focus_areas:
            key = _theme_key(focus)
            if not key:
                continue
            g = groups.setdefault(key, {"title": focus.strip(), "visits": [], "www": [], "ebi": []})
            g["visits"].append(v)  # type: ignore[attr-defined]
            sources_www = [v.strengths] + [e.strengths for e in v.evidence if focus in e.focus_links]
            sources_ebi = [v.areas_for_development] + [e.areas_for_development for e in v.evidence if focus in e.focus_links]
            for text in sources_www:
                g["www"] += [staff.clean(x) for x in lines_of(text)]  # type: ignore[operator]
            for text in sources_ebi:
                g["ebi"] += [staff.clean(x) for x in lines_of(text)]  # type: ignore[operator]
    blocks: list[Block] = []
    ordered = sorted(groups.values(), key=lambda g: (-len(g["visits"]), str(g["title"]).lower()))  # type: ignore[arg-type]
    for g in ordered:
        reviews: list[VisitDetail] = g["visits"]  # type: ignore[assignment]
        schools = sorted({v.host_school.name for v in reviews})
        blocks += [
            Heading(str(g["title"]), 2),
            Paragraph(f"{_plural(len(reviews), 'review')} in {_plural(len(schools), 'school')}: {', '.join(schools)}.", "muted"),
        ]
        for label, key in (("Strengths found", "www"), ("Areas for development found", "ebi")):
            items = list(dict.fromkeys(g[key]))[:6]  # type: ignore[call-overload]
            if items:
                blocks += [Paragraph(label, "lead"), BulletList(tuple(items))]
    return blocks


def _consistency(visits: Sequence[VisitDetail]) -> list[Block]:
    rows = consistency(visits)
    if not rows:
        return [Paragraph("None of these reviews used a graded framework, so there are no judgements to compare.")]
    blocks: list[Block] = []
    judged = sum(r.judged for r in rows)
    agreed = sum(r.agreed for r in rows)
    blocks.append(
        Paragraph(
            f"Across {_plural(judged, 'judgement')} where both the school and the review team gave a grade, "
            f"the peer judgement agreed with the school's own self-evaluation {agreed} times ({agreed / judged:.0%}). "
            f"Where they differed, the review team was higher {sum(r.higher for r in rows)} times and lower {sum(r.lower for r in rows)} times."
        )
    )
    for fw_key in dict.fromkeys(r.framework_key for r in rows):
        mine = [r for r in rows if r.framework_key == fw_key]
        name = get_framework(fw_key).name
        blocks += [
            Heading(name, 2),
            Table(
                ("Area", "Judged", "Agreed", "Peer higher", "Peer lower", "Agreement"),
                tuple((r.area_name, str(r.judged), str(r.agreed), str(r.higher), str(r.lower), f"{r.rate:.0%}") for r in mine),
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


def _review_page(v: VisitDetail, staff: StaffNames) -> list[Block]:
    fw = get_framework(v.framework_key)
    blocks: list[Block] = [
        Heading(f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {_day(v.visit_date)}", 2),
        KeyValue(
            (
                ("Focus", "; ".join(staff.clean(f) for f in v.focus_areas) or "–"),
                ("Review team", ", ".join(m.name + (" (lead)" if m.is_lead else "") for m in v.team) or "–"),
                ("Framework", fw.short_name),
            )
        ),
    ]
    if v.summary.strip():
        blocks += [Paragraph(staff.clean(p.strip())) for p in v.summary.split("\n\n") if p.strip()]
    for label, text in (("What went well", v.strengths), ("Even better if", v.areas_for_development)):
        items = [staff.clean(x) for x in lines_of(text)]
        if items:
            blocks += [Paragraph(label, "lead"), BulletList(tuple(items))]
    if fw.graded:
        rows = []
        for area in fw.judged_areas():
            j = v.judgement(area.key)
            if j is None or not (j.peer_grade or j.self_grade):
                continue
            c = fw.compare(area.key, j.peer_grade, j.self_grade)
            rows.append((area.name, fw.grade_label(area.key, j.self_grade) or "–", fw.grade_label(area.key, j.peer_grade) or "–",
                         {None: "–", 0: "Agreed", 1: "Peer higher", -1: "Peer lower"}[c]))
        if rows:
            blocks.append(Table(("Area", "Self-evaluation", "Peer judgement", "Agreement"), tuple(rows), widths=(3.2, 2.2, 2.2, 1.8)))
    return blocks


def build_compilation(visits: Sequence[VisitDetail], options: CompilationOptions, network_name: str = "") -> Document:
    # A visit still planned (later in a year in progress) has no outcomes yet: it is counted, not compiled.
    planned = sum(v.status == "planned" for v in visits)
    visits = [v for v in visits if v.status != "planned"]
    network = network_name_or_default(network_name)
    staff = StaffNames((e.staff for v in visits for e in v.evidence), not options.named_staff)
    period = options.year + (f", {TERMS[options.term]}" if options.term else "")
    scope = []
    if options.group:
        scope.append(f"the {options.group}")
    if options.schools:
        scope.append(join_words(list(options.schools)))
    subtitle = f"{network} · {period}" + (f" · {', '.join(scope)}" if scope else "")
    blocks: list[Block] = [
        Paragraph(
            "The outcomes of the year's school-to-school reviews, compiled and shared across the network in the "
            "interests of transparency: what the reviews looked at, what they found, how far heads' judgements "
            "matched schools' own, the questions they left with schools, and how the agreed next steps are going.",
            "lead",
        ),
        TableOfContents("Contents"),
        PageBreak(),
        Heading("Overview"),
    ]
    if not visits:
        later = f" {_plural(planned, 'visit is', 'visits are')} planned later in the year." if planned else ""
        blocks.append(Paragraph(f"No reviews were recorded for {period}.{later}"))
        return Document("Collaborative review compilation", subtitle, network, f"{network} · {period}", True, tuple(blocks))
    first, last = min(v.visit_date for v in visits), max(v.visit_date for v in visits)
    schools = sorted({v.host_school.name for v in visits})
    reviewers = sorted({m.name for v in visits for m in v.team})
    blocks += [
        KeyValue(
            (
                ("Period covered", f"{_day(first)} to {_day(last)}"),
                ("Reviews", str(len(visits))),
                ("Schools reviewed", f"{len(schools)}: {', '.join(schools)}"),
                ("Reviewers", str(len(reviewers))),
                ("Kinds of visit", _kinds(visits)),
                ("Next steps agreed", str(sum(len(v.actions) for v in visits))),
                *((("Still planned", f"{planned} later in the year"),) if planned else ()),
            )
        ),
        Heading("Themes"),
        Paragraph("The focus areas reviewed across the network, with what the reviews found.", "muted"),
        *_themes(visits, staff),
        Heading("Judgement consistency"),
        *_consistency(visits),
        PageBreak(),
        Heading("The reviews, school by school"),
    ]
    for i, v in enumerate(sorted(visits, key=lambda v: (v.host_school.name, v.visit_date))):
        if i:
            blocks.append(PageBreak())
        blocks += _review_page(v, staff)
    questions = []
    for v in sorted(visits, key=lambda v: (v.visit_date, v.host_school.name)):
        questions += [f"{staff.clean(q)} ({v.host_school.name}, {_day(v.visit_date)})" for q in lines_of(v.questions)]
    blocks.append(PageBreak())
    if questions:
        blocks += [Heading("Thought-provoking questions"), Paragraph("Questions the reviews left with schools, for every school to consider.", "muted"), BulletList(tuple(questions))]
    actions = tracked_actions(visits)
    if actions:
        today = options.today or dt.date.today()
        open_count = sum(a.status != "done" for a in actions)
        overdue = sum(a.overdue(today) for a in actions)
        blocks += [
            Heading("Follow-up of agreed next steps"),
            Paragraph(f"{_plural(len(actions), 'next step')} agreed; {sum(a.status == 'done' for a in actions)} done, {open_count} still open or in progress, {overdue} overdue on {_day(today)}.", "muted"),
            Table(
                ("Next step", "School", "Owner", "Due", "Status", "Follow-up"),
                tuple(
                    (
                        staff.clean(a.description), a.school, staff.clean(a.owner) or "–", _day(a.due_date), a.status_label(today),
                        "; ".join(f"{_day(d)}: {staff.clean(n)}" for d, n in a.follow_up) or "–",
                    )
                    for a in actions
                ),
                widths=(3.2, 1.7, 1.8, 1.1, 1.3, 2.6),
            ),
        ]
    return Document("Collaborative review compilation", subtitle, network, f"{network} · {period}", True, tuple(blocks))


def export_compilation(db: object, fmt: str, out: object, options: CompilationOptions) -> object:
    from nexus_review.network import network_visits
    from nexus_review.reports.export import export_document
    from nexus_review.storage.database import get_info

    visits = network_visits(db, options.year, options.term, options.group, options.schools)
    with db.reading() as session:  # type: ignore[attr-defined]
        network = get_info(session, "network_name")
    document = build_compilation(visits, options, network)
    return export_document(document, fmt, out, options.paper)  # type: ignore[arg-type]
