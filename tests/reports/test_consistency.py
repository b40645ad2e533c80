"""The agreement counts of the network's judgements."""

from __future__ import annotations

from nexus_review.demo import demo_years
from nexus_review.reports.consistency import consistency
from nexus_review.storage.database import Database
from nexus_review.usecases.network import (
    network_visits,
)

# The demo network is dated from today: the year before the current one is complete.
LAST_YEAR = demo_years()[1]


def test_consistency_counts_agree_with_the_judgements(demo_db: Database) -> None:
    visits = network_visits(demo_db, LAST_YEAR)
    rows = consistency(visits)
    from nexus_review.frameworks import get_framework

    for row in rows:
        expected = [0, 0, 0]
        for v in visits:
            if v.framework_key != row.framework_key:
                continue
            j = v.judgement(row.area_key)
            c = (
                get_framework(v.framework_key).compare(row.area_key, j.peer_grade, j.self_grade)
                if j
                else None
            )
            if c is not None:
                expected[{0: 0, 1: 1, -1: 2}[c]] += 1
        assert [row.agreed, row.higher, row.lower] == expected
        assert row.judged == sum(expected)
