"""Reviewers' own grades, given before the team agrees, and who may see them when.

So that grades stay independent, a reviewer sees the others' own grades of an area only once
they have entered their own (a setting the network may turn off); the lead sees them all when
the team agrees its judgement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnGrade:
    """One reviewer's own grade of an area of a visit, or of a look-for in one classroom."""

    id: str
    visit_id: str
    reviewer_id: str
    reviewer_name: str
    area_key: str  # empty for a look-for
    drop_in_id: str | None
    look_for: str
    grade: str | None
    grade_label: str
    reason: str
    updated_at: dt.datetime

    @property
    def subject(self) -> tuple[str, str, str]:
        """What was graded: the area, or the classroom and look-for."""
        return (self.area_key, self.drop_in_id or "", self.look_for)


@dataclass(frozen=True)
class VisibleGrades:
    """The own grades a reviewer may see, and what was graded in those they may not yet."""

    shown: tuple[OwnGrade, ...]
    withheld: tuple[tuple[str, str, str], ...] = ()  # the subject of each grade not shown

    @property
    def hidden(self) -> int:
        return len(self.withheld)

    def of(
        self, area_key: str, drop_in_id: str | None = None, look_for: str = ""
    ) -> tuple[OwnGrade, ...]:
        key = (area_key, drop_in_id or "", look_for)
        return tuple(g for g in self.shown if g.subject == key)

    def hidden_of(self, area_key: str, drop_in_id: str | None = None, look_for: str = "") -> int:
        return self.withheld.count((area_key, drop_in_id or "", look_for))


def visible_to(
    grades: Iterable[OwnGrade], viewer_id: str | None, *, lead: bool, hide_until_own: bool
) -> VisibleGrades:
    """The grades ``viewer_id`` may see: their own always; the others' of a subject once they
    have graded it themselves (or always, for the lead, or when hiding is turned off)."""
    grades = list(grades)
    if lead or not hide_until_own:
        return VisibleGrades(tuple(grades))
    mine = {g.subject for g in grades if g.reviewer_id == viewer_id and g.grade}
    shown = tuple(g for g in grades if g.reviewer_id == viewer_id or g.subject in mine)
    withheld = tuple(g.subject for g in grades if g not in shown and g.grade)
    return VisibleGrades(shown, withheld)
