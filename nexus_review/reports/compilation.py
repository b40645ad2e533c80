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
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.enums import VisitKind, VisitStatus, label_of
from nexus_review.domain.network import TrackedAction, tracked_actions
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.frameworks import get_framework
from nexus_review.reports.consistency import consistency
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
from nexus_review.reports.feedback import (
    ebi_text,
    focus_judgements,
    grade_key,
    join_words,
    network_name_or_default,
)

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


def _named(v: VisitDetail) -> tuple[str, ...]:
    """Every staff field of a visit's evidence, deleted evidence too."""
    return (*(e.staff for e in v.evidence), *v.staff_named)


def _theme_key(focus: str) -> str:
    return " ".join(focus.lower().split())


# How many findings of each kind a theme shows; the rest are counted, not dropped unseen.
THEME_FINDINGS = 6


def _tagged(line: str, focus_keys: dict[str, str]) -> str | None:
    """The focus area a visit-wide line names at its start ("Oracy: ..."), if any."""
    head, sep, _rest = line.partition(":")
    return focus_keys.get(_theme_key(head)) if sep else None


def _untag(line: str) -> str:
    return line.partition(":")[2].strip() or line


def theme_findings(v: VisitDetail, focus: str) -> tuple[list[str], list[str]]:
    """The strengths and areas for development a visit found on one of its focus areas.

    A finding belongs to a focus area only through the evidence the reviewer linked to it, or
    when a line of the visit's own strengths or areas for development names it ("Oracy: ...").
    Visit-wide lines that name no focus area stay with the visit, never with every theme."""
    key = _theme_key(focus)
    focus_keys = {_theme_key(f): _theme_key(f) for f in v.focus_areas if f.strip()}
    www: list[str] = []
    ebi: list[str] = []
    for e in v.evidence:
        if key in {_theme_key(link) for link in e.focus_links}:
            www += lines_of(e.strengths)
            ebi += lines_of(e.areas_for_development)
    www += [_untag(x) for x in lines_of(v.strengths) if _tagged(x, focus_keys) == key]
    ebi += [_untag(x) for x in lines_of(v.areas_for_development) if _tagged(x, focus_keys) == key]
    return www, [ebi_text(x, continuing=False) for x in ebi]


def _whose(finding: str, v: VisitDetail) -> str:
    """A finding with the school it was made at: "Pupils read widely (Staple Hill)."."""
    text = finding.rstrip()
    stop = text[-1] if text and text[-1] in ".!?" else ""
    return f"{text[: len(text) - len(stop)]} ({v.host_school.name}){stop or '.'}"


def _themes(visits: Sequence[VisitDetail], per_visit: dict[str, Anonymiser]) -> list[Block]:
    groups: dict[str, dict[str, object]] = {}
    for v in visits:
        staff = per_visit[v.id]
        for focus in dict.fromkeys(f for f in v.focus_areas if _theme_key(f)):
            g = groups.setdefault(
                _theme_key(focus),
                {"title": staff.clean(focus.strip()), "visits": [], "www": [], "ebi": []},
            )
            g["visits"].append(v)  # type: ignore[attr-defined]
            www, ebi = theme_findings(v, focus)
            g["www"] += [_whose(staff.clean(x), v) for x in www]  # type: ignore[operator]
            g["ebi"] += [_whose(staff.clean(x), v) for x in ebi]  # type: ignore[operator]
    blocks: list[Block] = []
    ordered = sorted(groups.values(), key=lambda g: (-len(g["visits"]), str(g["title"]).lower()))  # type: ignore[arg-type]
    for g in ordered:
        reviews: list[VisitDetail] = g["visits"]  # type: ignore[assignment]
        schools = sorted({v.host_school.name for v in reviews})
        blocks += [
            Heading(str(g["title"]), 2),
            Paragraph(
                f"{counted(len(reviews), 'review')} in {counted(len(schools), 'school')}: {', '.join(schools)}.",
                "muted",
            ),
        ]
        found = False
        for label, key in (("Strengths found", "www"), ("Areas for development found", "ebi")):
            every = list(dict.fromkeys(g[key]))  # type: ignore[call-overload]
            if every:
                found = True
                blocks += [Paragraph(label, "lead"), BulletList(tuple(every[:THEME_FINDINGS]))]
                if len(every) > THEME_FINDINGS:
                    left = len(every) - THEME_FINDINGS
                    blocks.append(
                        Paragraph(
                            f"{counted(left, 'further finding')} on this theme left out here; each review's own findings follow below.",
                            "small",
                        )
                    )
        if not found:
            blocks.append(
                Paragraph(
                    "No evidence was linked to this focus area, so no findings are listed under it.",
                    "small",
                )
            )
    return blocks


def _consistency(visits: Sequence[VisitDetail]) -> list[Block]:
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


def _review_page(v: VisitDetail, staff: Anonymiser) -> list[Block]:
    fw = get_framework(v.framework_key)
    blocks: list[Block] = [
        Heading(
            f"{v.host_school.name}: {label_of(VisitKind, v.kind).lower()}, {_day(v.visit_date)}",
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


def _priorities_by_aim(by_aim: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> list[Block]:
    """The schools' priorities of the year gathered under the network's aims."""
    blocks: list[Block] = [
        Heading("Priorities by aim"),
        Paragraph(
            "The schools' development-plan priorities of the year, gathered under the network's aims.",
            "muted",
        ),
    ]
    for title, priorities in by_aim:
        themes: dict[str, list[str]] = {}
        for school, theme in priorities:
            themes.setdefault(theme, []).append(school)
        blocks.append(Heading(title, 2))
        blocks.append(
            BulletList(
                tuple(f"{theme}: {', '.join(schools)}" for theme, schools in sorted(themes.items()))
            )
            if themes
            else Paragraph("No school has a priority under this aim this year.", "muted")
        )
    return blocks


def build_compilation(
    visits: Sequence[VisitDetail],
    options: CompilationOptions,
    network_name: str = "",
    priorities_by_aim: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
) -> Document:
    # A visit still planned (later in a year in progress) has no outcomes yet: it is counted, not compiled.
    planned = sum(v.status == "planned" for v in visits)
    visits = [v for v in visits if v.status != "planned"]
    network = network_name_or_default(network_name)
    # One anonymiser for the whole document, so each person keeps one letter throughout;
    # everyone named in any evidence of these visits, deleted evidence too.
    staff = Anonymiser([name for v in visits for name in _named(v)], not options.named_staff)
    per_visit = {v.id: staff.within(_named(v)) for v in visits}
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
        later = (
            f" {counted(planned, 'visit is', 'visits are')} planned later in the year."
            if planned
            else ""
        )
        blocks.append(Paragraph(f"No reviews were recorded for {period}.{later}"))
        return Document(
            "Collaborative review compilation",
            subtitle,
            network,
            f"{network} · {period}",
            True,
            tuple(blocks),
        )
    first, last = min(v.visit_date for v in visits), max(v.visit_date for v in visits)
    schools = sorted({v.host_school.name for v in visits})
    reviewers = sorted({m.name for v in visits for m in v.team})
    blocks += [
        KeyValue(
            (
                ("Period covered", f"{_day(first)} to {_day(last)}"),
                (
                    "Reviews",
                    str(len(visits))
                    + (
                        f" ({unfinished} not yet finished, marked as such below)"
                        if (unfinished := sum(v.status != VisitStatus.REPORT_SENT for v in visits))
                        else ""
                    ),
                ),
                ("Schools reviewed", f"{len(schools)}: {', '.join(schools)}"),
                ("Reviewers", str(len(reviewers))),
                ("Kinds of visit", _kinds(visits)),
                ("Next steps agreed", str(sum(len(v.actions) for v in visits))),
                *((("Still planned", f"{planned} later in the year"),) if planned else ()),
            )
        ),
        Heading("Themes"),
        Paragraph(
            "The focus areas reviewed across the network, with what the reviews found.", "muted"
        ),
        *_themes(visits, per_visit),
        *(_priorities_by_aim(priorities_by_aim) if priorities_by_aim else ()),
        Heading("Judgement consistency"),
        *_consistency(visits),
        Heading("The reviews, school by school"),
        Paragraph(
            "Each review in turn, school by school; the keys to the grades are under Judgement consistency.",
            "muted",
        ),
    ]
    for v in sorted(visits, key=lambda v: (v.host_school.name, v.visit_date)):
        blocks += _review_page(v, per_visit[v.id])
    questions = []
    for v in sorted(visits, key=lambda v: (v.visit_date, v.host_school.name)):
        questions += [
            f"{per_visit[v.id].clean(q)} ({v.host_school.name}, {_day(v.visit_date)})"
            for q in lines_of(v.questions)
        ]
    if questions:
        blocks += [
            Heading("Thought-provoking questions"),
            Paragraph(
                "Questions the reviews left with schools, for every school to consider.", "muted"
            ),
            BulletList(tuple(questions)),
        ]
    actions = tracked_actions(visits)
    if actions:
        today = options.today or dt.date.today()
        open_count = sum(a.status != "done" for a in actions)
        overdue = sum(a.overdue(today) for a in actions)
        blocks += [
            Heading("Follow-up of agreed next steps"),
            Paragraph(
                f"{counted(len(actions), 'next step')} agreed; {sum(a.status == 'done' for a in actions)} done, {open_count} still open or in progress, {overdue} overdue on {_day(today)}. School by school, in the order they are due.",
                "muted",
            ),
        ]
        by_school: dict[str, list[TrackedAction]] = {}
        for a in sorted(
            actions, key=lambda a: (a.school, a.due_date or dt.date.max, a.description)
        ):
            by_school.setdefault(a.school, []).append(a)
        for school, mine in by_school.items():
            blocks += [
                Heading(school, 2),
                Table(
                    ("Next step", "Owner", "Due", "Status", "Follow-up"),
                    tuple(
                        (
                            per_visit[a.visit_id].clean(a.description),
                            per_visit[a.visit_id].clean(a.owner) or "–",
                            _day(a.due_date),
                            a.status_label(today),
                            "\n".join(
                                f"{_day(d)}: {per_visit[a.visit_id].clean(n)}"
                                for d, n in a.follow_up
                            )
                            or "–",
                        )
                        for a in mine
                    ),
                    widths=(3.4, 1.9, 1.1, 1.3, 3.1),
                ),
            ]
    return Document(
        "Collaborative review compilation",
        subtitle,
        network,
        f"{network} · {period}",
        True,
        tuple(blocks),
    )
