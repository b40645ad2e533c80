"""Grouping schools into triads and quartets by the priorities they share."""

from __future__ import annotations

import itertools

from nexus_review.demo import demo_years
from nexus_review.domain.grouping import group_sizes, suggest_groups
from nexus_review.domain.network import (
    PriorityMatrix,
)

# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]


def test_group_sizes_are_triads_and_quartets() -> None:
    for n in range(6, 30):
        sizes = group_sizes(n)
        assert sum(sizes) == n and all(s in (3, 4) for s in sizes)
    assert group_sizes(10) == [4, 3, 3]


def test_schools_sharing_most_priorities_end_up_together() -> None:
    themes = ("Reading", "Oracy", "SEND", "Writing", "Maths", "Attendance")
    plan = {  # three clear clusters of alike schools, shuffled names
        "s1": {"Reading", "Oracy"},
        "s5": {"Reading", "Oracy"},
        "s9": {"Reading", "Oracy", "Maths"},
        "s2": {"SEND", "Writing"},
        "s6": {"SEND", "Writing"},
        "s7": {"SEND", "Writing", "Attendance"},
        "s3": {"Maths", "Attendance"},
        "s4": {"Maths", "Attendance"},
        "s8": {"Maths", "Attendance"},
        "s0": {"Maths", "Attendance", "Reading"},
    }
    matrix = PriorityMatrix(
        LAST_YEAR,
        tuple((s, s) for s in sorted(plan)),
        themes,
        frozenset((s, t) for s, ts in plan.items() for t in ts),
    )
    groups = suggest_groups(matrix)
    assert sorted(len(g) for g in groups) == [3, 3, 4]
    assert sorted(itertools.chain(*groups)) == sorted(plan)  # every school in exactly one group
    assert {frozenset(g) for g in groups} == {
        frozenset({"s1", "s5", "s9"}),
        frozenset({"s2", "s6", "s7"}),
        frozenset({"s3", "s4", "s8", "s0"}),
    }
    from nexus_review.domain.grouping import _score

    total = sum(_score(matrix, g) for g in groups)
    for other in itertools.islice(
        itertools.permutations(sorted(plan)), 0, 2000, 7
    ):  # no other split of this shape does better
        split = [other[:4], other[4:7], other[7:]]
        assert sum(_score(matrix, g) for g in split) <= total
