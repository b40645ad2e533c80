"""Judgement frameworks, loaded from ``resources/frameworks/`` (one JSON file each).

Frameworks are data so that a network can add its own: a file names its areas, its grading
scale (best grade first, with a rank where higher is better) and, where it has one, the
safeguarding judgement. An area that only some schools have names the provision it needs
(``"applies_to": ["early-years"]``); a school's phase says whether it has it. A malformed file
is refused with its name and the problem.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nexus_review.errors import FrameworkError
from nexus_review.paths import resource_path

SAFEGUARDING_KEY = "safeguarding"


@dataclass(frozen=True)
class Grade:
    key: str
    label: str
    rank: int


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    where_relevant: bool = False
    # The provisions a school needs for the area to apply (any of them); empty: every school.
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    short_name: str
    description: str
    graded: bool
    scale: tuple[Grade, ...]
    areas: tuple[Area, ...]
    safeguarding_name: str | None
    safeguarding_scale: tuple[Grade, ...]

    @property
    def has_safeguarding(self) -> bool:
        return self.safeguarding_name is not None

    def judged_areas(self) -> tuple[Area, ...]:
        """Every row of a judgements table: the areas, then safeguarding where there is one."""
        if self.safeguarding_name is None:
            return self.areas
        return (*self.areas, Area(SAFEGUARDING_KEY, self.safeguarding_name))

    def area(self, key: str) -> Area | None:
        return next((a for a in self.judged_areas() if a.key == key), None)

    def area_name(self, key: str) -> str:
        area = self.area(key)
        return area.name if area else key

    def scale_for(self, area_key: str) -> tuple[Grade, ...]:
        return self.safeguarding_scale if area_key == SAFEGUARDING_KEY else self.scale

    def grade(self, area_key: str, grade_key: str | None) -> Grade | None:
        if not grade_key:
            return None
        return next((g for g in self.scale_for(area_key) if g.key == grade_key), None)

    def grade_label(self, area_key: str, grade_key: str | None) -> str:
        grade = self.grade(area_key, grade_key)
        return grade.label if grade else ""

    def compare(self, area_key: str, peer: str | None, school: str | None) -> int | None:
        """+1 if the peer judgement is higher than the school's own, -1 lower, 0 agreed."""
        p, s = self.grade(area_key, peer), self.grade(area_key, school)
        if p is None or s is None:
            return None
        return (p.rank > s.rank) - (p.rank < s.rank)


# ---------------------------------------------------------------------------- which areas apply

EARLY_YEARS = "early-years"
SIXTH_FORM = "sixth-form"
PROVISIONS = (EARLY_YEARS, SIXTH_FORM)

# The words a school's phase is written in, and the provision each brings. A junior or middle
# school starts at Year 3 or later: no early years. A secondary or all-through school has a
# sixth form only when its phase says so ("Secondary with sixth form").
_PHASE_WORDS: dict[str, frozenset[str]] = {
    "nursery": frozenset({EARLY_YEARS}),
    "infant": frozenset({EARLY_YEARS}),
    "infants": frozenset({EARLY_YEARS}),
    "first": frozenset({EARLY_YEARS}),
    "primary": frozenset({EARLY_YEARS}),
    "all-through": frozenset({EARLY_YEARS}),
    "junior": frozenset(),
    "juniors": frozenset(),
    "middle": frozenset(),
    "secondary": frozenset(),
    "16-plus": frozenset({SIXTH_FORM}),
    "post-16": frozenset({SIXTH_FORM}),
    "16-19": frozenset({SIXTH_FORM}),
    "sixth-form": frozenset({SIXTH_FORM}),
}
_NO_SIXTH_FORM = re.compile(r"\b(no|without|non)[ -]sixth[ -]form\b")


def phase_provisions(phase: str) -> frozenset[str] | None:
    """The provisions a school of this phase has, or None when the phase is not one the
    program knows (then nothing is hidden from it). "Middle deemed primary" is a middle school."""
    text = " ".join(phase.lower().replace("_", " ").split())
    text = re.sub(r"\bdeemed \w+", "", text)
    text = re.sub(r"\ball[ -]through\b", "all-through", text)
    text = re.sub(r"\bsixth[ -]form\b", "sixth-form", text)
    text = re.sub(r"\b16[ -]?(plus|\+)", "16-plus", text)
    text = re.sub(r"\bpost[ -]16\b", "post-16", text)
    without_sixth = bool(_NO_SIXTH_FORM.search(phase.lower()))
    found: set[str] = set()
    known = False
    for word in re.findall(r"[a-z0-9+-]+", text):
        if word in _PHASE_WORDS:
            known = True
            found |= _PHASE_WORDS[word]
    if not known:
        return None
    if without_sixth:
        found.discard(SIXTH_FORM)
    return frozenset(found)


def area_applies(area: Area, phase: str) -> bool | None:
    """Whether the area applies to a school of this phase: True or False where the phase says,
    None where it cannot (an unknown phase); an area every school has always applies."""
    if not area.applies_to:
        return True
    provisions = phase_provisions(phase)
    if provisions is None:
        return None
    return any(p in provisions for p in area.applies_to)


def applicable_areas(
    framework: Framework, phase: str, recorded: Iterable[str] = ()
) -> tuple[Area, ...]:
    """The rows of a judgements table for a school of this phase: the framework's areas (then
    safeguarding) without those the school does not have (no sixth form in a primary school,
    no early years in a junior school). An area in ``recorded`` (one already judged) is kept
    whatever the phase says: what was written down is never hidden."""
    kept = set(recorded)
    return tuple(
        a for a in framework.judged_areas() if a.key in kept or area_applies(a, phase) is not False
    )


# ---------------------------------------------------------------------------- agreed focus areas

FOCUS_PREFIX = "focus:"
AREA_KEY_LENGTH = 60  # Judgement.area_key


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def focus_key(focus: str) -> str:
    """The area key a judgement of an agreed focus area is stored under: "focus:" and the focus
    area in lower case with hyphens. Two spellings that differ only in case, spacing or
    punctuation are the same focus area. A long one is cut short and ends in a short hash of
    the whole text, so the key fits its column and two long focus areas never share a key."""
    text = _normalised(focus)
    slug = "-".join(re.findall(r"\w+", text))
    room = AREA_KEY_LENGTH - len(FOCUS_PREFIX)
    if slug and len(slug) <= room:
        return FOCUS_PREFIX + slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    cut = slug[: room - len(digest) - 1].rstrip("-")
    return FOCUS_PREFIX + (f"{cut}-{digest}" if cut else digest)


def is_focus_key(area_key: str) -> bool:
    return area_key.startswith(FOCUS_PREFIX)


def focus_areas_by_key(focus_areas: Sequence[str]) -> dict[str, str]:
    """The visit's agreed focus areas by their keys, in the order agreed (the first spelling of
    two that share a key)."""
    out: dict[str, str] = {}
    for focus in focus_areas:
        if focus.strip():
            out.setdefault(focus_key(focus), focus.strip())
    return out


def focus_title(area_key: str, focus_areas: Sequence[str] = ()) -> str:
    """The title of a focus area's judgement: the focus area as agreed, or, once it is no
    longer on the visit's list, its key written back as words."""
    found = focus_areas_by_key(focus_areas).get(area_key)
    if found is not None:
        return found
    words = area_key.removeprefix(FOCUS_PREFIX).replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "Focus area"


def area_title(framework: Framework, area_key: str, focus_areas: Sequence[str] = ()) -> str:
    """An area's name for a reader: the framework's name for it, or the focus area's."""
    if is_focus_key(area_key):
        return focus_title(area_key, focus_areas)
    return framework.area_name(area_key)


def frameworks_dir() -> Path:
    return resource_path("frameworks")


def _fail(path: Path, problem: str) -> FrameworkError:
    return FrameworkError(f"The judgement framework file {path.name} is not valid: {problem}.")


def _text(data: dict[str, Any], name: str, path: Path, where: str = "") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        return_where = f" in {where}" if where else ""
        raise _fail(path, f'"{name}"{return_where} must be a non-empty text')
    return value


def _grades(raw: Any, path: Path, where: str) -> tuple[Grade, ...]:
    if not isinstance(raw, list):
        raise _fail(path, f"{where} must be a list of grades")
    grades = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise _fail(path, f"grade {i + 1} of {where} must be an object")
        rank = item.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool):
            raise _fail(path, f'grade {i + 1} of {where} needs a whole-number "rank"')
        grades.append(
            Grade(
                _text(item, "key", path, f"grade {i + 1} of {where}"),
                _text(item, "label", path, f"grade {i + 1} of {where}"),
                rank,
            )
        )
    if len({g.key for g in grades}) != len(grades):
        raise _fail(path, f"{where} repeats a grade key")
    if len({g.rank for g in grades}) != len(grades):
        raise _fail(path, f"{where} repeats a rank")
    return tuple(grades)


def parse_framework(data: Any, path: Path) -> Framework:
    if not isinstance(data, dict):
        raise _fail(path, "the file must hold one JSON object")
    key = _text(data, "key", path)
    graded = data.get("graded")
    if not isinstance(graded, bool):
        raise _fail(path, '"graded" must be true or false')
    scale = _grades(data.get("scale", []), path, "the scale")
    if graded and len(scale) < 2:
        raise _fail(path, "a graded framework needs at least two grades in its scale")
    if not graded and scale:
        raise _fail(path, "a framework with no grades must have an empty scale")
    raw_areas = data.get("areas")
    if not isinstance(raw_areas, list) or not raw_areas:
        raise _fail(path, '"areas" must be a non-empty list')
    areas = []
    for i, item in enumerate(raw_areas):
        if not isinstance(item, dict):
            raise _fail(path, f"area {i + 1} must be an object")
        applies_to = item.get("applies_to", [])
        if not isinstance(applies_to, list) or not all(isinstance(p, str) for p in applies_to):
            raise _fail(path, f'"applies_to" of area {i + 1} must be a list of provisions')
        unknown = [p for p in applies_to if p not in PROVISIONS]
        if unknown:
            known = ", ".join(PROVISIONS)
            raise _fail(
                path, f'area {i + 1} applies to "{unknown[0]}", which is not a provision ({known})'
            )
        areas.append(
            Area(
                _text(item, "key", path, f"area {i + 1}"),
                _text(item, "name", path, f"area {i + 1}"),
                bool(item.get("where_relevant", False)) or bool(applies_to),
                tuple(applies_to),
            )
        )
    keys = [a.key for a in areas]
    if len(set(keys)) != len(keys):
        raise _fail(path, "two areas share the same key")
    if SAFEGUARDING_KEY in keys:
        raise _fail(path, 'the area key "safeguarding" is kept for the safeguarding judgement')
    if any(is_focus_key(k) for k in keys):
        raise _fail(
            path,
            f'area keys starting "{FOCUS_PREFIX}" are kept for the agreed focus areas of a visit',
        )
    if any(len(k) > AREA_KEY_LENGTH for k in keys):
        raise _fail(path, f"an area key is longer than {AREA_KEY_LENGTH} characters")
    sg = data.get("safeguarding")
    sg_name: str | None = None
    sg_scale: tuple[Grade, ...] = ()
    if sg is not None:
        if not isinstance(sg, dict):
            raise _fail(path, '"safeguarding" must be an object or null')
        sg_name = _text(sg, "name", path, "safeguarding")
        sg_scale = _grades(sg.get("scale"), path, "the safeguarding scale")
        if len(sg_scale) < 2:
            raise _fail(path, "the safeguarding scale needs at least two grades")
    return Framework(
        key=key,
        name=_text(data, "name", path),
        short_name=str(data.get("short_name") or data["name"]),
        description=str(data.get("description", "")),
        graded=graded,
        scale=scale,
        areas=tuple(areas),
        safeguarding_name=sg_name,
        safeguarding_scale=sg_scale,
    )


def load_framework(path: Path) -> Framework:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(
            f"The judgement framework file {path.name} cannot be read ({exc.strerror})."
        ) from exc
    except UnicodeDecodeError as exc:
        raise _fail(path, "it is not UTF-8 text") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    return parse_framework(data, path)


def load_frameworks(folder: Path | None = None) -> dict[str, Framework]:
    """Every framework in the folder, by key, in a stable order (file name)."""
    folder = folder or frameworks_dir()
    found: dict[str, Framework] = {}
    for path in sorted(folder.glob("*.json")):
        fw = load_framework(path)
        if fw.key in found:
            raise _fail(path, f'the key "{fw.key}" is already used by another framework')
        found[fw.key] = fw
    if not found:
        raise FrameworkError(f"No judgement frameworks were found in {folder}.")
    return found


# Ordered for menus: the current Ofsted framework first.
PREFERRED_ORDER = ("ofsted-2025", "eif-2019", "peer-estimate", "developmental")
DEFAULT_FRAMEWORK = "ofsted-2025"


@cache
def all_frameworks() -> dict[str, Framework]:
    found = load_frameworks()
    ordered = {k: found[k] for k in PREFERRED_ORDER if k in found}
    ordered.update({k: v for k, v in found.items() if k not in ordered})
    return ordered


def get_framework(key: str) -> Framework:
    try:
        return all_frameworks()[key]
    except KeyError:
        raise FrameworkError(f'The judgement framework "{key}" is not installed.') from None
