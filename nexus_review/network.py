"""The network's view of itself: shared priorities, review groups and their rota."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus_review.storage.models import School, SchoolPriority


@dataclass(frozen=True)
class PriorityMatrix:
    """Schools × priority themes for one academic year."""

    year: str
    schools: tuple[tuple[str, str], ...]  # (id, name)
    themes: tuple[str, ...]
    cells: frozenset[tuple[str, str]]  # (school id, theme) a school has shared

    def has(self, school_id: str, theme: str) -> bool:
        return (school_id, theme) in self.cells

    def shared(self, a: str, b: str) -> int:
        return sum(self.has(a, t) and self.has(b, t) for t in self.themes)


def priority_years(session: Session) -> list[str]:
    years = session.scalars(
        select(SchoolPriority.academic_year).where(SchoolPriority.deleted.is_(False)).distinct()
    )
    return sorted(set(years), reverse=True)


def priority_matrix(session: Session, year: str) -> PriorityMatrix:
    schools = session.execute(
        select(School.id, School.name).where(School.deleted.is_(False)).order_by(School.name)
    ).all()
    rows = session.execute(
        select(SchoolPriority.school_id, SchoolPriority.theme).where(
            SchoolPriority.academic_year == year, SchoolPriority.deleted.is_(False)
        )
    ).all()
    cells = frozenset((r.school_id, r.theme) for r in rows)
    counts: dict[str, int] = {}
    for _school, theme in cells:
        counts[theme] = counts.get(theme, 0) + 1
    themes = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
    return PriorityMatrix(year, tuple((s.id, s.name) for s in schools), themes, cells)
