"""School calendar rules a head relies on: when a next step is due, dates as people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from nexus_review.domain.calendar import half_a_term_after, parse_typed_date


@pytest.mark.parametrize(
    ("visit", "due"),
    [
        (dt.date(2026, 11, 24), dt.date(2027, 1, 5)),  # six weeks on, a Tuesday
        (dt.date(2027, 5, 1), dt.date(2027, 6, 14)),  # would be a Saturday: the Monday after
        (dt.date(2027, 6, 23), dt.date(2027, 9, 13)),  # would fall in the summer holiday
        (dt.date(2027, 7, 20), dt.date(2027, 9, 13)),
    ],
)
def test_a_next_step_is_due_half_a_term_after_the_visit_on_a_school_day(
    visit: dt.date, due: dt.date
) -> None:
    assert half_a_term_after(visit) == due
    assert due.weekday() < 5


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-15",
        "15/01/2027",
        "15/1/27",
        "15 Jan 2027",
        "15 January 2027",
        " 15  January, 2027 ",
    ],
)
def test_dates_are_read_as_people_type_them(text: str) -> None:
    assert parse_typed_date(text) == dt.date(2027, 1, 15)


def test_an_empty_date_is_none_and_nonsense_is_refused() -> None:
    assert parse_typed_date("  ") is None
    with pytest.raises(ValueError, match="is not a date"):
        parse_typed_date("next Tuesday")
