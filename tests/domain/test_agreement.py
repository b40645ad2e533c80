"""The agreement statistics against published worked examples and statsmodels."""

from __future__ import annotations

import random
import warnings

import pytest

from nexus_review.domain import agreement as ag
from nexus_review.domain.agreement import Rating

inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")

# Fleiss (1971) as worked on Wikipedia ("Fleiss' kappa"): 10 subjects, 14 raters, 5 categories.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_cohen_worked_example_two_grades() -> None:
    # Wikipedia "Cohen's kappa": 50 proposals, both yes 20, A yes B no 5, A no B yes 10,
    # both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4. With two grades the quadratic
    # weights are the unweighted kappa.
    k = ag.weighted_kappa([[20, 5], [10, 15]])
    assert k.value == pytest.approx(0.4)
    sm = inter_rater.cohens_kappa([[20, 5], [10, 15]])
    assert k.low == pytest.approx(sm.kappa_low) and k.high == pytest.approx(sm.kappa_upp)


TABLES = [
    [[11, 2, 1, 0], [3, 14, 4, 1], [0, 2, 9, 3], [0, 0, 1, 4]],
    [[5, 1, 0, 0, 0], [2, 8, 2, 0, 0], [0, 3, 12, 1, 1], [0, 0, 2, 6, 1], [0, 0, 0, 1, 2]],
    [[0, 3, 0, 0], [0, 7, 2, 0], [0, 1, 4, 0], [0, 0, 0, 0]],  # two grades never used
    [[3, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]],
]


@pytest.mark.parametrize("table", TABLES)
def test_weighted_kappa_and_interval_match_statsmodels(table: list[list[int]]) -> None:
    k = ag.weighted_kappa(table)
    sm = inter_rater.cohens_kappa(table, wt="quadratic")
    assert k.value == pytest.approx(sm.kappa)
    assert k.low == pytest.approx(max(-1.0, sm.kappa_low))
    assert k.high == pytest.approx(min(1.0, sm.kappa_upp))
    assert "Fleiss, Cohen and Everitt" in k.method


def test_weighted_kappa_random_tables_match_statsmodels() -> None:
    rng = random.Random(7)
    for _ in range(40):
        size = rng.choice([3, 4, 5])
        table = [
            [rng.randrange(0, 6) + (8 if i == j else 0) for j in range(size)] for i in range(size)
        ]
        k = ag.weighted_kappa(table)
        sm = inter_rater.cohens_kappa(table, wt="quadratic")
        assert k.value == pytest.approx(sm.kappa)
        assert k.high - k.value == pytest.approx(min(1.0, sm.kappa_upp) - sm.kappa) or k.high == 1.0


def test_no_interval_where_the_standard_error_vanishes() -> None:
    # One reviewer said "met" throughout, the other once "not met": kappa 0, and the
    # large-sample variance is 0, which is no certainty; statsmodels gives the interval 0 to 0.
    table = [[7, 0], [1, 0]]
    k = ag.weighted_kappa(table)
    with warnings.catch_warnings():  # its test of kappa = 0 divides by the vanished error
        warnings.simplefilter("ignore", RuntimeWarning)
        sm = inter_rater.cohens_kappa(table, wt="quadratic")
    assert k.value == pytest.approx(sm.kappa) == pytest.approx(0.0)
    assert sm.std_kappa == pytest.approx(0.0)
    assert (k.low, k.high) == (None, None)
    assert k.describe() == "kappa 0.00"
    perfect = ag.weighted_kappa([[3, 0], [0, 4]])
    assert perfect.value == pytest.approx(1.0) and perfect.low is None


def test_quadratic_weights_punish_two_apart_more_than_one_apart() -> None:
    one_apart = ag.weighted_kappa([[5, 2, 0, 0], [0, 5, 0, 0], [0, 0, 5, 0], [0, 0, 0, 5]]).value
    two_apart = ag.weighted_kappa([[5, 0, 2, 0], [0, 5, 0, 0], [0, 0, 5, 0], [0, 0, 0, 5]]).value
    assert one_apart is not None and two_apart is not None and two_apart < one_apart


def test_fleiss_worked_example() -> None:
    value = ag.fleiss_kappa_value(FLEISS_1971)
    assert value == pytest.approx(0.20993, abs=1e-5)  # 0.210 in the published example
    assert value == pytest.approx(inter_rater.fleiss_kappa(FLEISS_1971, method="fleiss"))
    k = ag.fleiss_kappa(FLEISS_1971)
    assert k.low is not None and k.high is not None and k.low < value < k.high
    assert ag.fleiss_kappa(FLEISS_1971) == k  # the fixed seed: the same interval every time


def test_fleiss_three_reviewers_random_matches_statsmodels() -> None:
    rng = random.Random(3)
    table = []
    for _ in range(30):
        row = [0, 0, 0, 0]
        centre = rng.randrange(4)
        for _ in range(3):
            row[max(0, min(3, centre + rng.choice([0, 0, 0, 1, -1])))] += 1
        table.append(row)
    assert ag.fleiss_kappa_value(table) == pytest.approx(
        inter_rater.fleiss_kappa(table, method="fleiss")
    )


def test_bootstrap_cost_is_bounded() -> None:
    big = [[2, 1, 0, 0]] * 400 + [[0, 0, 3, 0]] * 400
    k = ag.fleiss_kappa(big)
    assert str(ag.BOOTSTRAP_WORK // (800 * 3)) in k.method


def ratings(pairs: list[tuple[int, int]], levels: int = 4) -> list[Rating]:
    out = []
    for i, (a, b) in enumerate(pairs):
        out += [Rating(i, "Ann", a, levels), Rating(i, "Ben", b, levels)]
    return out


def test_one_grade_used_by_everyone() -> None:
    result = ag.agreement(ratings([(2, 2)] * 6))
    assert (result.n, result.exact, result.within_one) == (6, 6, 6)
    assert result.kappa.value is None
    assert "every judgement used the same grade" in result.describe()
    assert ag.fleiss_kappa([[0, 3, 0]] * 4).value is None


def test_a_single_pair() -> None:
    same = ag.agreement(ratings([(3, 3)]))
    assert (same.n, same.exact, same.within_one, same.kappa.value) == (1, 1, 1, None)
    apart = ag.agreement(ratings([(3, 2)]))
    assert (apart.n, apart.exact, apart.within_one) == (1, 0, 1)
    assert apart.describe().startswith(
        "0 of 1 paired judgement agree exactly; 1 of 1 within one grade"
    )
    assert "%)" not in apart.describe()
    assert (
        "fewer than 5 paired judgements are too few to tell agreement from chance"
        in apart.describe()
    )
    assert apart.kappa.value is None


def test_no_pairs() -> None:
    alone = ag.agreement([Rating(1, "Ann", 2, 4), Rating(2, "Ann", 3, 4)])
    assert alone.n == 0 and not alone.enough
    assert alone.describe() == "Not enough paired judgements."
    assert alone.kappa.describe() == "kappa cannot be worked out: not enough paired judgements"
    assert ag.agreement([]).as_dict() == {
        "n": 0,
        "exact": 0,
        "within_one": 0,
        "kappa": None,
        "kappa_low": None,
        "kappa_high": None,
    }


def test_counts_agree_with_the_pairs_and_kappa_with_statsmodels() -> None:
    pairs = [(3, 3), (3, 2), (2, 2), (1, 3), (0, 0), (2, 1), (3, 3), (1, 1), (2, 2), (0, 1)]
    result = ag.agreement(ratings(pairs))
    assert (result.n, result.exact, result.within_one) == (10, 6, 9)
    table = [[0] * 4 for _ in range(4)]
    for a, b in pairs:
        table[a][b] += 1
    assert result.kappa.value == pytest.approx(
        inter_rater.cohens_kappa(table, wt="quadratic").kappa
    )
    assert result.fleiss is None
    assert "6 of 10 paired judgements agree exactly; 9 of 10 within one grade" in result.describe()


def test_shares_only_beside_counts_and_only_for_larger_numbers() -> None:
    result = ag.agreement(ratings([(2, 2)] * 18 + [(1, 2)] * 6))
    assert "18 of 24 paired judgements agree exactly (75 %)" in result.describe()


def test_three_reviewers_make_three_pairs_and_a_fleiss_kappa() -> None:
    rs = []
    for i, grades in enumerate([(3, 3, 2), (2, 2, 2), (1, 2, 1), (0, 0, 1), (3, 3, 3)]):
        rs += [Rating(i, name, g, 4) for name, g in zip(("Ann", "Ben", "Cy"), grades, strict=True)]
    result = ag.agreement(rs)
    assert result.n == 15 and result.items == 5 and result.reviewers == 3
    assert result.fleiss is not None
    counts = [
        [g.count(k) for k in range(4)]
        for g in [(3, 3, 2), (2, 2, 2), (1, 2, 1), (0, 0, 1), (3, 3, 3)]
    ]
    assert result.fleiss.value == pytest.approx(inter_rater.fleiss_kappa(counts, method="fleiss"))
    pairs = ag.by_pair(rs)
    assert list(pairs) == [("Ann", "Ben"), ("Ann", "Cy"), ("Ben", "Cy")]
    assert pairs[("Ann", "Ben")].exact == 4 and pairs[("Ann", "Cy")].exact == 3


def test_reviewer_lean_and_self_evaluation() -> None:
    leans = ag.reviewer_leans(
        [("Ann", 3, 2), ("Ann", 3, 2), ("Ann", 2, 2), ("Ben", 1, 2), ("Ben", 2, 2)]
    )
    assert [(x.who, x.higher, x.same, x.lower) for x in leans] == [
        ("Ann", 2, 1, 0),
        ("Ben", 0, 1, 1),
    ]
    assert leans[0].describe("kinder", "harsher") == (
        "Ann: 3 grades compared, 2 kinder, 1 the same, 0 harsher; on average 0.7 of a grade kinder."
    )
    years = ag.self_evaluation_leans(
        [
            ("Oak", "2024-25", 3, 1),
            ("Oak", "2024-25", 3, 2),
            ("Oak", "2025-26", 2, 2),
            ("Oak", "2025-26", 3, 2),
        ]
    )
    assert [(y.year, y.lean.mean_difference) for y in years] == [("2024-25", 1.5), ("2025-26", 0.5)]
    assert ag.trend(years) == "closer to its peers in 2025-26 than in 2024-25"
    assert ag.trend(years[:1]) == "one year only: no trend yet"
    assert ag.lean("Oak", []).describe() == "Oak: no grades to compare."
