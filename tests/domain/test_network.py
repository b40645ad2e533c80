"""The network's records: a review group carried into a new school year."""

from __future__ import annotations

import datetime as dt

from nexus_review.domain.network import (
    host_date_a_year_on,
    renamed_for,
)


def test_a_group_is_renamed_for_its_year_and_hosts_a_year_on() -> None:
    assert renamed_for("Oracy quartet 2025-26", "2025-26", "2026-27") == "Oracy quartet 2026-27"
    assert renamed_for("North triad", "2025-26", "2026-27") == "North triad 2026-27"
    assert host_date_a_year_on(dt.date(2025, 10, 15), "2026-27") == dt.date(2026, 10, 14)
    assert host_date_a_year_on(dt.date(2025, 9, 1), "2026-27") == dt.date(
        2026, 9, 7
    )  # not in August
    assert host_date_a_year_on(None, "2026-27") is None
