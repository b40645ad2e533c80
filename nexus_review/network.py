"""The network's view of itself: shared priorities, review groups and their rota."""

from __future__ import annotations

from dataclasses import dataclass


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
