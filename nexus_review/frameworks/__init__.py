"""Judgement frameworks, loaded from ``resources/frameworks/`` (one JSON file each).

Frameworks are data so that a network can add its own: a file names its areas, its grading
scale (best grade first, with a rank where higher is better) and, where it has one, the
safeguarding judgement. A malformed file is refused with its name and the problem.
"""

from __future__ import annotations

import json
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
        areas.append(
            Area(
                _text(item, "key", path, f"area {i + 1}"),
                _text(item, "name", path, f"area {i + 1}"),
                bool(item.get("where_relevant", False)),
            )
        )
    keys = [a.key for a in areas]
    if len(set(keys)) != len(keys):
        raise _fail(path, "two areas share the same key")
    if SAFEGUARDING_KEY in keys:
        raise _fail(path, 'the area key "safeguarding" is kept for the safeguarding judgement')
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
        raise FrameworkError(f"The judgement framework file {path.name} cannot be read ({exc.strerror}).") from exc
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
