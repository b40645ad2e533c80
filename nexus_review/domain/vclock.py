"""Version vectors: how many changes each device has made to a record.

Comparing two records' vectors tells whether one version already contains the other (a plain
update) or whether both were changed since they last agreed (a conflict), whatever order
packages arrive in.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class Order(Enum):
    EQUAL = "equal"
    BEFORE = "before"  # a is older: b has every change a has, and more
    AFTER = "after"  # a is newer
    CONCURRENT = "concurrent"  # each has a change the other lacks


def compare(a: Mapping[str, int], b: Mapping[str, int]) -> Order:
    a_more = any(int(a.get(k, 0)) > int(b.get(k, 0)) for k in a)
    b_more = any(int(b.get(k, 0)) > int(a.get(k, 0)) for k in b)
    if a_more and b_more:
        return Order.CONCURRENT
    if a_more:
        return Order.AFTER
    if b_more:
        return Order.BEFORE
    return Order.EQUAL


def merged(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """The smallest vector that contains both: the history of a version that has seen both."""
    keys = sorted(set(a) | set(b))
    return {k: max(int(a.get(k, 0)), int(b.get(k, 0))) for k in keys}
