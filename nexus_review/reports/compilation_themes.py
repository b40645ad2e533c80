"""The compilation's themes: the focus areas reviewed across the network, each with the
strengths and areas for development the reviews found on it and the schools they were found at."""

from __future__ import annotations

from collections.abc import Sequence

from nexus_review.domain.anonymise import Anonymiser
from nexus_review.domain.records import VisitDetail
from nexus_review.domain.wording import counted
from nexus_review.reports.document import Block, BulletList, Heading, Paragraph, lines_of
from nexus_review.reports.phrasing import ebi_text


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


def theme_blocks(visits: Sequence[VisitDetail], per_visit: dict[str, Anonymiser]) -> list[Block]:
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
