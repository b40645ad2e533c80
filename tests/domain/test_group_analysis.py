"""The group analysis, against examples worked by hand."""

from __future__ import annotations

from nexus_review.domain.trust import (
    Figure,
    IndicatorDef,
    IndicatorSet,
    NationalFigure,
    Thresholds,
    academic_years_back,
    describe_risk,
    described,
    groups_at_risk,
    network_figure,
)

YEARS = ["2022-23", "2023-24", "2024-25"]


def national(key: str, group: str, values: list[float]) -> tuple[NationalFigure, ...]:
    return tuple(
        NationalFigure(key, y, group, v, "test", "https://example.org")
        for y, v in zip(YEARS, values, strict=True)
    )


INDICATORS = IndicatorSet(
    {
        "rwm": IndicatorDef(
            "rwm", "KS2 RWM expected", True, "%", 0, national("rwm", "disadvantaged", [44, 46, 47])
        ),
        "pa": IndicatorDef(
            "pa", "Persistent absence", False, "%", 1
        ),  # no national figure: the network's
    }
)


def fig(school: str, key: str, group: str, year: str, value: float, pupils: int) -> Figure:
    return Figure(school, school.title(), "1", year, group, key, value, pupils)


def test_a_widening_gap_to_national_is_found_with_its_three_years() -> None:
    figures = [
        fig("a", "rwm", "disadvantaged", "2022-23", 42, 14),  # 2 behind 44
        fig("a", "rwm", "disadvantaged", "2023-24", 39, 12),  # 7 behind 46
        fig("a", "rwm", "disadvantaged", "2024-25", 35, 11),  # 12 behind 47
        fig("b", "rwm", "disadvantaged", "2024-25", 44, 20),  # 3 behind: within the threshold of 5
    ]
    [risk] = groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=5, small_group=10))
    assert (risk.school_name, risk.group, risk.gap, risk.pupils, risk.compared_with) == (
        "A",
        "disadvantaged",
        12.0,
        11,
        "national",
    )
    assert [t.shortfall for t in risk.trend] == [2.0, 7.0, 12.0]
    assert [t.pupils for t in risk.trend] == [14, 12, 11]
    assert risk.trend_word == "widening"
    assert not risk.too_small
    assert (
        describe_risk(risk)
        == "A: Disadvantaged (11 pupils) 12 points behind national in KS2 RWM expected, widening."
    )


def test_a_group_of_six_is_flagged_too_small_and_said_by_its_count() -> None:
    figures = [fig("a", "rwm", "disadvantaged", "2024-25", 16.7, 6)]  # 1 of 6 pupils: 30.3 behind
    [risk] = groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=5, small_group=10))
    assert risk.too_small and risk.pupils == 6
    assert risk.trend_word == "too small to judge"
    text = describe_risk(risk)
    assert "6 pupils" in text and "too small a group to judge" in text
    assert "%" not in text and "16.7" not in text
    assert described(16.7, 6, 10) == "6 pupils (too small to judge)"
    assert described(16.7, 12, 10) == "16.7% (12 pupils)"


def test_without_a_national_figure_the_network_weighted_by_pupils_is_the_comparison() -> None:
    # Persistent absence, lower is better. Network (girls, 2024-25): (10*30 + 20*60 + 30*10) / 100 = 18.0
    figures = [
        fig("a", "pa", "girls", "2024-25", 10, 30),
        fig("b", "pa", "girls", "2024-25", 20, 60),
        fig(
            "c", "pa", "girls", "2024-25", 30, 10
        ),  # 12 above the network: behind, but only 10 pupils
    ]
    assert network_figure(figures, "pa", "2024-25", "girls") == (18.0, 100)
    risks = groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=5, small_group=10))
    assert [(r.school_name, r.gap, r.compared_with, r.too_small) for r in risks] == [
        ("C", 12.0, "network", False)
    ]
    assert risks[0].trend_word == "no trend yet"
    # A stricter threshold finds nothing; a small-group threshold of 11 flags school C's 10 pupils.
    assert groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=12, small_group=10)) == []
    assert groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=5, small_group=11))[
        0
    ].too_small


def test_all_pupils_and_groups_ahead_are_not_listed_and_a_narrowing_gap_reads_so() -> None:
    figures = [
        fig("a", "rwm", "all", "2024-25", 20, 30),  # all pupils: not a group
        fig("a", "rwm", "disadvantaged", "2022-23", 24, 15),  # 20 behind
        fig("a", "rwm", "disadvantaged", "2024-25", 40, 15),  # 7 behind
        fig("b", "rwm", "disadvantaged", "2024-25", 60, 15),  # ahead
    ]
    [risk] = groups_at_risk(figures, INDICATORS, "2024-25", Thresholds(gap=5))
    assert [t.shortfall for t in risk.trend] == [20.0, None, 7.0]
    assert risk.trend_word == "narrowing"


def test_academic_years_back() -> None:
    assert academic_years_back("2024-25", 3) == YEARS
    assert academic_years_back("2099-00", 2) == ["2098-99", "2099-00"]
