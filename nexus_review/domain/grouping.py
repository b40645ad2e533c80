"""Forming review groups: triads and quartets of schools sharing the most development
priorities, and a hosting rota in which each school hosts once a year."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from nexus_review.domain.calendar import academic_year_bounds
from nexus_review.domain.network import PriorityMatrix


def group_sizes(n: int) -> list[int]:
    """Triads and quartets that use every school: 10 → 4, 3, 3; 8 → 4, 4; 5 → 5 (too few)."""
    if n < 6:
        return [n] if n else []
    for fours in range(n // 4, -1, -1):
        rest = n - 4 * fours
        if rest % 3 == 0:
            return [4] * fours + [3] * (rest // 3)
    return [n]  # never reached for n >= 6


def _score(matrix: PriorityMatrix, group: Sequence[str]) -> int:
    """How alike a group is: the priorities its pairs share, and above all the priorities
    every member shares (a group's review looks at one development issue they all have)."""
    pairs = sum(matrix.shared(a, b) for a, b in itertools.combinations(group, 2))
    return pairs + 4 * len(matrix.shared_by(group))


def suggest_groups(matrix: PriorityMatrix) -> list[list[str]]:
    """Triads and quartets of schools sharing the most priorities: every school in exactly one
    group. Greedy seeding from the most alike pair, then swaps between groups while they raise
    the number of priorities shared within groups. Deterministic for the same matrix."""
    ids = sorted(s for s, _n in matrix.schools)
    sizes = group_sizes(len(ids))
    left = list(ids)
    groups: list[list[str]] = []
    for size in sizes:
        if len(left) <= size:
            groups.append(sorted(left))
            left = []
            break
        # max() keeps the first of equals, and the schools are in a fixed order.
        a, b = max(itertools.combinations(left, 2), key=lambda p: matrix.shared(*p))
        group = [a, b]
        while len(group) < size:
            best = max(
                (s for s in left if s not in group),
                key=lambda s: sum(matrix.shared(s, g) for g in group),
            )
            group.append(best)
        groups.append(sorted(group))
        left = [s for s in left if s not in group]
    improved = True
    while improved:
        improved = False
        for gi, gj in itertools.combinations(range(len(groups)), 2):
            for x, y in itertools.product(list(groups[gi]), list(groups[gj])):
                before = _score(matrix, groups[gi]) + _score(matrix, groups[gj])
                new_i = sorted([s for s in groups[gi] if s != x] + [y])
                new_j = sorted([s for s in groups[gj] if s != y] + [x])
                if _score(matrix, new_i) + _score(matrix, new_j) > before:
                    groups[gi], groups[gj] = new_i, new_j
                    improved = True
                    break
            if improved:
                break
    return sorted(groups, key=lambda g: (-_score(matrix, g), g))


def group_name(matrix: PriorityMatrix, members: Sequence[str]) -> str:
    shared = matrix.shared_by(members)
    kind = {3: "triad", 4: "quartet"}.get(len(members), "group")
    return f"{shared[0]} {kind} {matrix.year}" if shared else f"Review {kind} {matrix.year}"


def propose_rota(year: str, count: int) -> list[dt.date]:
    """A hosting date for each member: spread over the year from October to June, each on a
    Wednesday clear of the first week back, so that each school hosts exactly once."""
    start, _end = academic_year_bounds(year)
    first = dt.date(start.year, 10, 1)
    last = dt.date(start.year + 1, 6, 30)
    span = (last - first).days
    dates = []
    for i in range(count):
        day = first + dt.timedelta(days=span * i // max(count - 1, 1) if count > 1 else 0)
        while day.weekday() != 2:  # a Wednesday
            day += dt.timedelta(days=1)
        dates.append(day)
    return dates
