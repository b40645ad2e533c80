"""The demo network's data, read from ``resources/demo/``: the network (``network.json``:
its leads, priorities, review groups, evaluation rota, holidays and the names of staff) and
the phrase banks reviewers' writing is drawn from (``phrases.json``).

Read once, as tuples and frozen records, in the order the files give them: the demo draws
from them with a seeded random generator, so their order is part of what the demo makes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from nexus_review.demo_network import demo_data
from nexus_review.domain.enums import VisitKind


@dataclass(frozen=True)
class GroupPlan:
    key: str  # the year is added: "reading-2425"
    name: str  # the year is added: "Reading quartet 2024-25"
    years_back: int  # how many years before the current one (0: this year)
    theme: str
    framework: str  # of its collaborative reviews
    members: tuple[str, ...]  # in rota order
    months: tuple[int, ...]  # the month each member hosts
    year: str = ""  # filled in by in_year()

    def in_year(self, year: str) -> GroupPlan:
        """The group as it is for an academic year written like "2025-26"."""
        short = year[2:4] + year[5:]
        return dataclasses.replace(
            self, key=f"{self.key}-{short}", name=f"{self.name} {year}", year=year
        )


@dataclass(frozen=True)
class Theme:
    descriptions: tuple[str, ...]
    specifics: tuple[str, ...]  # narrower focus areas a visit may agree
    subjects: tuple[str, ...]
    summary: tuple[str, ...]
    strengths: tuple[str, ...]
    ebis: tuple[str, ...]
    questions: tuple[str, ...]
    lesson_notes: tuple[str, ...]  # "{year}" is replaced by the year group
    look_fors: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (next step, owner)
    years: tuple[str, ...] = ()  # the year groups where lessons on this theme are seen


def _strings(items: list[str]) -> tuple[str, ...]:
    return tuple(str(x) for x in items)


def _by_years_back(data: dict[str, Any]) -> dict[int, Any]:
    """A table keyed by how many years before the current academic year (0: this year)."""
    return {int(k): v for k, v in data.items()}


def _theme(data: dict[str, Any]) -> Theme:
    values = {k: _strings(v) for k, v in data.items() if k != "actions"}
    return Theme(**values, actions=tuple((str(a), str(b)) for a, b in data["actions"]))


_NETWORK = demo_data("network")
_PHRASES = demo_data("phrases")

# --------------------------------------------------------------------------------- the network

NETWORK_NAME: str = _NETWORK["name"]
LOCAL_AUTHORITY: str = _NETWORK["local_authority"]
# Network leads who join learning walks and follow-ups besides the heads:
# key, name, role, home school.
NETWORK_LEADS: tuple[tuple[str, str, str, str], ...] = tuple(
    (x["key"], x["name"], x["role"], x["home_school"]) for x in _NETWORK["network_leads"]
)
# Development-plan priorities, chosen so that the review groups share one of them.
PRIORITIES: dict[str, dict[int, tuple[str, ...]]] = {
    school: {years_back: _strings(themes) for years_back, themes in _by_years_back(years).items()}
    for school, years in _NETWORK["priorities"].items()
}
GROUPS: tuple[GroupPlan, ...] = tuple(
    GroupPlan(
        key=g["key"],
        name=g["name"],
        years_back=int(g["years_back"]),
        theme=g["theme"],
        framework=g["framework"],
        members=_strings(g["members"]),
        months=tuple(int(m) for m in g["months"]),
    )
    for g in _NETWORK["groups"]
)
# Evaluation days: school i is visited by the heads of schools i+a and i+b (mod 10), so every
# head does exactly two days a year, never in their own school.
EVALUATION_OFFSETS: dict[int, tuple[int, int]] = {
    k: (int(v[0]), int(v[1])) for k, v in _by_years_back(_NETWORK["evaluation_offsets"]).items()
}
EVALUATION_MONTHS: dict[int, tuple[int, ...]] = {
    k: tuple(int(m) for m in v) for k, v in _by_years_back(_NETWORK["evaluation_months"]).items()
}
# School holidays (as the local authority published them for these years): no visits then.
HOLIDAYS: tuple[tuple[dt.date, dt.date], ...] = tuple(
    (dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in _NETWORK["holidays"]
)


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    sunday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * sunday) // 451
    month, day = divmod(h + sunday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def school_holidays(start: int) -> tuple[tuple[dt.date, dt.date], ...]:
    """The holidays of the academic year that starts in September of ``start``: as published
    where HOLIDAYS has them, otherwise the usual English pattern: half terms in the last week
    of October, the third week of February and the last week of May, a fortnight at Christmas
    and at Easter, and the summer from the fourth week of July."""
    first, last = dt.date(start, 9, 1), dt.date(start + 1, 8, 31)
    published = tuple(h for h in HOLIDAYS if first <= h[0] <= last)
    if published:
        return published
    week = dt.timedelta(days=4)
    october = _monday_on_or_before(dt.date(start, 10, 31))
    christmas = _monday_on_or_before(dt.date(start, 12, 23))
    february = _monday_on_or_before(dt.date(start + 1, 2, 21))
    easter = _easter(start + 1)
    may = _monday_on_or_before(dt.date(start + 1, 5, 31))
    return (
        (october, october + week),
        (christmas, christmas + dt.timedelta(days=11)),
        (february, february + week),
        (easter - dt.timedelta(days=6), easter + dt.timedelta(days=5)),
        (may, may + week),
        (dt.date(start + 1, 7, 22), last),
    )


CLASS_NAMES: tuple[str, ...] = _strings(_NETWORK["class_names"])
YEAR_GROUPS: dict[str, tuple[str, ...]] = {
    k: _strings(v) for k, v in _NETWORK["year_groups"].items()
}
TITLES: tuple[str, ...] = _strings(_NETWORK["titles"])
INITIALS: str = _NETWORK["initials"]
SURNAMES: tuple[str, ...] = _strings(_NETWORK["surnames"])

# ------------------------------------------------- phrase banks: what reviewers actually write

THEMES: dict[str, Theme] = {name: _theme(bank) for name, bank in _PHRASES["themes"].items()}
THEME_NAMES: tuple[str, ...] = tuple(THEMES)
# Lines that could belong to any visit, so that no two reports read alike.
GENERAL_STRENGTHS: tuple[str, ...] = _strings(_PHRASES["general_strengths"])
GENERAL_EBIS: tuple[str, ...] = _strings(_PHRASES["general_ebis"])
GENERAL_QUESTIONS: tuple[str, ...] = _strings(_PHRASES["general_questions"])
OPENERS: dict[VisitKind, str] = {VisitKind(k): str(v) for k, v in _PHRASES["openers"].items()}
CLOSINGS: tuple[str, ...] = _strings(_PHRASES["closings"])
PUPIL_VOICE_NOTES: tuple[str, ...] = _strings(_PHRASES["pupil_voice_notes"])
SCRUTINY_NOTES: tuple[str, ...] = _strings(_PHRASES["scrutiny_notes"])
MEETING_NOTES: tuple[str, ...] = _strings(_PHRASES["meeting_notes"])
DATA_NOTES: tuple[str, ...] = _strings(_PHRASES["data_notes"])
DROP_IN_NOTES: tuple[str, ...] = _strings(_PHRASES["drop_in_notes"])
FOLLOW_UP_NOTES: tuple[str, ...] = _strings(_PHRASES["follow_up_notes"])
# Per aspect: what reviewers write when the area is secure, and when it is still developing
# (a peer grade below the school's own always comes with a "developing" rationale).
RATIONALES: dict[str, dict[str, tuple[str, ...]]] = {
    aspect: {level: _strings(lines) for level, lines in levels.items()}
    for aspect, levels in _PHRASES["rationales"].items()
}
# A sentence naming where the evidence came from, so that no two schools' rationales read alike.
RATIONALE_EVIDENCE: tuple[str, ...] = _strings(_PHRASES["rationale_evidence"])
SAFEGUARDING_EVIDENCE: tuple[str, ...] = _strings(_PHRASES["safeguarding_evidence"])
# Which bank of rationales speaks to each area of the shipped frameworks.
AREA_ASPECT: dict[str, str] = dict(_PHRASES["area_aspect"])
# What a school usually says of itself on each scale: the likely self-evaluation grades.
TYPICAL_SELF_GRADES: dict[str, tuple[str, ...]] = {
    k: _strings(v) for k, v in _PHRASES["typical_self_grades"].items()
}
# The area of each framework where a lesson observation may carry a grade.
TEACHING_AREA: dict[str, str] = dict(_PHRASES["teaching_area"])

# ----------------------------------------------------------------------- phrases in a sentence


def subject_of(note: str) -> str:
    """The subject a lesson note names after the year group ("{year} history: ...")."""
    match = re.match(r"\{year\} ([A-Za-z -]+?)[:,]", note)
    subject = match.group(1) if match else "Other"
    return subject[0].upper() + subject[1:]


def lower_phrase(phrase: str) -> str:
    """A focus area inside a sentence: "reading and phonics", but "SEND" and "Year 1" kept."""
    first = phrase.split()[0]
    return phrase if first.isupper() else phrase[0].lower() + phrase[1:]


def focus_phrase(focus: list[str]) -> str:
    """The agreed focus inside a sentence: "reading and phonics (phonics in Year 1)"."""
    themes = [lower_phrase(f) for f in focus if f in THEMES]
    narrower = [lower_phrase(f) for f in focus if f not in THEMES]
    text = " and ".join(themes)
    return f"{text} ({narrower[0]})" if narrower else text


_YEAR_WORDS = re.compile(r"\b(Reception|early years|Year [1-6]|Key Stage [12])\b", re.IGNORECASE)
_KEY_STAGES = {
    "key stage 1": ("Year 1", "Year 2"),
    "key stage 2": ("Year 3", "Year 4", "Year 5", "Year 6"),
}


def fits_phase(text: str, phase: str) -> bool:
    """Whether a phrase could be written about a school of this phase: every year group it
    names is taught there (no Reception at a junior school, no Key Stage 2 at an infant one)."""
    taught = YEAR_GROUPS[phase]
    for match in _YEAR_WORDS.finditer(text):
        word = match.group(1).lower()
        if word in ("reception", "early years"):
            needed: tuple[str, ...] = ("Reception",)
        elif word in _KEY_STAGES:
            needed = _KEY_STAGES[word]
        else:
            needed = (match.group(1).capitalize(),)
        if not any(year in taught for year in needed):
            return False
    return True


def phrases_for(items: Any, phase: str) -> list[Any]:
    """The phrases (or (phrase, owner) pairs) of a bank that fit a school of this phase."""
    return [x for x in items if fits_phase(x if isinstance(x, str) else x[0], phase)]
