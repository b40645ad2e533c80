"""How far reviewers agree: the statistics behind "consistency of judgements" (pure Python).

Grades are compared by their rank on the framework's scale (higher is better), so "one grade
apart" means neighbouring grades whatever the framework calls them.

- **Paired judgements**: two reviewers' own grades of the same thing (an area of a visit, a
  look-for in a learning-walk classroom). With three reviewers one thing makes three pairs.
- **Exact agreement** and **agreement within one grade**: counts of those pairs.
- **Quadratic-weighted Cohen's kappa** for two reviewers (a grade two apart counts four times
  as much as one apart), with the large-sample standard error of Fleiss, Cohen & Everitt
  (1969, *Psychological Bulletin* 72, 323-327) and a normal 95 % confidence interval, as SAS
  PROC FREQ and statsmodels give them.
- **Fleiss' kappa** (Fleiss 1971, *Psychological Bulletin* 76, 378-382) where more than two
  reviewers graded the same thing: agreement among any number of raters, with a 95 %
  percentile bootstrap interval over the things graded (fixed seed, so the same data always
  give the same interval; at most :data:`BOOTSTRAP_WORK` ratings resampled in all).

Figures are counts first ("9 of 12 paired judgements"); a share is only ever said beside its
count, and "not enough paired judgements" when there are none.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from nexus_review.domain.wording import counted

Z95 = 1.959963984540054  # the normal quantile for a two-sided 95 % interval
BOOTSTRAP_SEED = 20190601
BOOTSTRAP_ROUNDS = 1000
BOOTSTRAP_WORK = 2_000_000  # things graded × rounds: the most a bootstrap may cost
NOT_ENOUGH = "not enough paired judgements"
# Below this many paired judgements a kappa says nothing (its interval spans most of -1 to 1,
# or collapses to a point when the few pairs happen to fall alike): the counts are said alone.
MIN_PAIRS_FOR_KAPPA = 5
TOO_FEW = (
    f"fewer than {MIN_PAIRS_FOR_KAPPA} paired judgements are too few to tell agreement from chance"
)


@dataclass(frozen=True)
class Kappa:
    """A kappa with its 95 % confidence interval (None where it cannot be computed: no pairs,
    or every grade the same so that chance agreement is already complete)."""

    value: float | None
    low: float | None
    high: float | None
    method: str  # how the interval was found, in words for a report's footnote
    reason: str = ""  # why there is no value

    def describe(self) -> str:
        if self.value is None:
            return f"kappa cannot be worked out: {self.reason}"
        if self.low is None or self.high is None:
            return f"kappa {self.value:.2f}"
        return (
            f"kappa {self.value:.2f} (95 % confidence interval {self.low:.2f} to {self.high:.2f})"
        )


NO_KAPPA = Kappa(None, None, None, "", NOT_ENOUGH)


def _clip(x: float) -> float:
    return max(-1.0, min(1.0, x))


def weighted_kappa(table: Sequence[Sequence[float]]) -> Kappa:
    """Quadratic-weighted Cohen's kappa of a k × k table (rows: the first reviewer's grade,
    columns: the second's, both in scale order), with Fleiss, Cohen & Everitt's standard
    error. For k = 2 it is Cohen's unweighted kappa."""
    k = len(table)
    if k == 0 or any(len(row) != k for row in table):
        raise ValueError("a kappa needs a square table of grades")
    n = float(sum(sum(row) for row in table))
    if n <= 0:
        return NO_KAPPA
    method = "large-sample standard error (Fleiss, Cohen and Everitt 1969)"
    if k == 1:
        return Kappa(None, None, None, method, "every judgement used the same grade")
    p = [[table[i][j] / n for j in range(k)] for i in range(k)]
    rows = [sum(p[i]) for i in range(k)]
    cols = [sum(p[i][j] for i in range(k)) for j in range(k)]
    w = [[1.0 - (i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    po = sum(w[i][j] * p[i][j] for i in range(k) for j in range(k))
    pe = sum(w[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    if pe >= 1.0 - 1e-12:
        return Kappa(None, None, None, method, "every judgement used the same grade")
    kappa = (po - pe) / (1.0 - pe)
    w_row = [sum(cols[j] * w[i][j] for j in range(k)) for i in range(k)]
    w_col = [sum(rows[i] * w[i][j] for i in range(k)) for j in range(k)]
    term = sum(
        p[i][j] * (w[i][j] - (w_row[i] + w_col[j]) * (1.0 - kappa)) ** 2
        for i in range(k)
        for j in range(k)
    )
    var = (term - (kappa - pe * (1.0 - kappa)) ** 2) / (n * (1.0 - pe) ** 2)
    se = math.sqrt(max(var, 0.0))
    if se < 1e-9:
        # The formula's variance vanishes when one reviewer gave a single grade throughout (or
        # every pair agreed): that is no certainty, only too little spread to estimate it.
        return Kappa(kappa, None, None, method)
    return Kappa(kappa, _clip(kappa - Z95 * se), _clip(kappa + Z95 * se), method)


def fleiss_kappa_value(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa of a things × grades table of how many reviewers gave each grade.
    Things graded by fewer than two are left out; a thing may have any number of reviewers
    (each thing's agreement is over its own pairs), which for equal numbers is Fleiss (1971)."""
    rated = [row for row in counts if sum(row) >= 2]
    if not rated:
        return None
    total = sum(sum(row) for row in rated)
    k = len(rated[0])
    shares = [sum(row[j] for row in rated) / total for j in range(k)]
    pe = sum(s * s for s in shares)
    if pe >= 1.0 - 1e-12:
        return None
    po = sum(sum(c * (c - 1) for c in row) / (sum(row) * (sum(row) - 1)) for row in rated) / len(
        rated
    )
    return (po - pe) / (1.0 - pe)


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> Kappa:
    """Fleiss' kappa with a percentile bootstrap interval over the things graded."""
    rated = [list(row) for row in counts if sum(row) >= 2]
    if not rated:
        return NO_KAPPA
    value = fleiss_kappa_value(rated)
    if value is None:
        return Kappa(None, None, None, "", "every judgement used the same grade")
    rounds = max(0, min(BOOTSTRAP_ROUNDS, BOOTSTRAP_WORK // max(1, sum(map(sum, rated)))))
    method = f"percentile bootstrap over the things graded ({rounds} resamples, fixed seed)"
    if len(rated) < 2 or rounds < 100:
        return Kappa(value, None, None, method)
    rng = random.Random(BOOTSTRAP_SEED)
    draws = []
    for _ in range(rounds):
        sample = [rated[rng.randrange(len(rated))] for _ in rated]
        v = fleiss_kappa_value(sample)
        draws.append(v if v is not None else 1.0)  # a resample all of one grade agrees fully
    draws.sort()
    low = draws[int(0.025 * (rounds - 1))]
    high = draws[math.ceil(0.975 * (rounds - 1))]
    return Kappa(value, _clip(min(low, value)), _clip(max(high, value)), method)


# ---------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class Rating:
    """One reviewer's own grade of one thing (``item``: an area of a visit, a look-for in a
    classroom), as a rank on a scale of ``levels`` grades (0 = the lowest)."""

    item: Hashable
    reviewer: str
    rank: int
    levels: int


@dataclass(frozen=True)
class Agreement:
    n: int  # paired judgements
    exact: int
    within_one: int
    kappa: Kappa  # quadratic-weighted Cohen's (two reviewers per thing) over the pairs
    fleiss: Kappa | None  # where some thing had more than two reviewers
    items: int  # things graded by two or more
    reviewers: int

    @property
    def enough(self) -> bool:
        return self.n > 0

    def describe(self) -> str:
        """In words, counts first: "9 of 12 paired judgements agree exactly, ..."."""
        if not self.enough:
            return NOT_ENOUGH[0].upper() + NOT_ENOUGH[1:] + "."
        parts = [
            f"{self.exact} of {counted(self.n, 'paired judgement')} agree exactly{_share(self.exact, self.n)}",
            f"{self.within_one} of {self.n} within one grade{_share(self.within_one, self.n)}",
            f"weighted {self.kappa.describe()}",
        ]
        if self.fleiss is not None:
            parts.append(
                f"Fleiss' {self.fleiss.describe()} ({counted(self.reviewers, 'reviewer')})"
            )
        return "; ".join(parts) + "."

    def as_dict(self) -> dict[str, object]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        out: dict[str, object] = {
            "n": self.n,
            "exact": self.exact,
            "within_one": self.within_one,
            "kappa": r(self.kappa.value),
            "kappa_low": r(self.kappa.low),
            "kappa_high": r(self.kappa.high),
        }
        if self.fleiss is not None:
            out |= {
                "fleiss_kappa": r(self.fleiss.value),
                "fleiss_low": r(self.fleiss.low),
                "fleiss_high": r(self.fleiss.high),
            }
        return out


SMALL = 20  # below this many, a share is not worth saying at all


def _share(part: int, whole: int) -> str:
    if whole < SMALL:
        return ""
    return f" ({round(100 * part / whole)} %)"


def pairs_of(ratings: Iterable[Rating]) -> list[tuple[Rating, Rating]]:
    """Every pair of different reviewers' grades of the same thing, the reviewers in a fixed
    order (by name) so the same data always make the same table. A reviewer who graded a
    thing twice counts once (the last grade given)."""
    by_item: dict[Hashable, dict[str, Rating]] = defaultdict(dict)
    for r in ratings:
        by_item[r.item][r.reviewer] = r
    out = []
    for item in sorted(by_item, key=repr):
        graded = sorted(by_item[item].values(), key=lambda r: r.reviewer)
        for a in range(len(graded)):
            for b in range(a + 1, len(graded)):
                out.append((graded[a], graded[b]))
    return out


def agreement(ratings: Iterable[Rating]) -> Agreement:
    """Agreement among every reviewer who graded the same things."""
    ratings = list(ratings)
    pairs = pairs_of(ratings)
    if not pairs:
        return Agreement(0, 0, 0, NO_KAPPA, None, 0, len({r.reviewer for r in ratings}))
    levels = max(max(a.levels, b.levels) for a, b in pairs)
    table = [[0] * levels for _ in range(levels)]
    exact = within = 0
    for a, b in pairs:
        table[a.rank][b.rank] += 1
        exact += a.rank == b.rank
        within += abs(a.rank - b.rank) <= 1
    by_item: dict[Hashable, dict[str, int]] = defaultdict(dict)
    for r in ratings:
        by_item[r.item][r.reviewer] = r.rank
    rated = [v for v in by_item.values() if len(v) >= 2]
    fleiss = None
    if any(len(v) > 2 for v in rated) and len(pairs) >= MIN_PAIRS_FOR_KAPPA:
        counts = [[Counter(v.values()).get(g, 0) for g in range(levels)] for v in rated]
        fleiss = fleiss_kappa(counts)
    reviewers = len({name for v in rated for name in v})
    kappa = (
        weighted_kappa(table)
        if len(pairs) >= MIN_PAIRS_FOR_KAPPA
        else Kappa(None, None, None, "", TOO_FEW)
    )
    return Agreement(len(pairs), exact, within, kappa, fleiss, len(rated), reviewers)


def by_pair(ratings: Iterable[Rating]) -> dict[tuple[str, str], Agreement]:
    """Agreement of each pair of reviewers on the things both graded."""
    grouped: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for a, b in pairs_of(ratings):
        grouped[(a.reviewer, b.reviewer)] += [a, b]
    return {pair: agreement(grouped[pair]) for pair in sorted(grouped)}


# ---------------------------------------------------------------------------- leaning


@dataclass(frozen=True)
class Lean:
    """How one side's grades compare with another's: on average higher (kinder) or lower."""

    who: str
    n: int
    higher: int
    same: int
    lower: int
    mean_difference: float | None  # in grades; positive: higher than the agreed grade

    def describe(self, higher_word: str = "higher", lower_word: str = "lower") -> str:
        if self.n == 0:
            return f"{self.who}: no grades to compare."
        if self.mean_difference is None or abs(self.mean_difference) < 0.25:
            tilt = "no clear lean"
        else:
            tilt = f"on average {abs(self.mean_difference):.1f} of a grade {higher_word if self.mean_difference > 0 else lower_word}"
        return (
            f"{self.who}: {counted(self.n, 'grade')} compared, {self.higher} {higher_word}, "
            f"{self.same} the same, {self.lower} {lower_word}; {tilt}."
        )


def lean(who: str, differences: Iterable[int]) -> Lean:
    diffs = list(differences)
    if not diffs:
        return Lean(who, 0, 0, 0, 0, None)
    return Lean(
        who,
        len(diffs),
        sum(d > 0 for d in diffs),
        sum(d == 0 for d in diffs),
        sum(d < 0 for d in diffs),
        sum(diffs) / len(diffs),
    )


def reviewer_leans(rows: Iterable[tuple[str, int, int]]) -> list[Lean]:
    """(reviewer, own rank, agreed rank) → each reviewer's lean against the agreed grade:
    a positive difference is kinder than the team, a negative one harsher."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for who, own, agreed in rows:
        grouped[who].append(own - agreed)
    return [lean(who, grouped[who]) for who in sorted(grouped)]


@dataclass(frozen=True)
class SelfEvaluationYear:
    school: str
    year: str
    lean: Lean  # positive: the school grades itself higher than its peers do


def self_evaluation_leans(rows: Iterable[tuple[str, str, int, int]]) -> list[SelfEvaluationYear]:
    """(school, academic year, self-evaluation rank, agreed peer rank) → per school per year,
    whether the school grades itself higher or lower than its peers, oldest year first."""
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for school, year, own, peer in rows:
        grouped[(school, year)].append(own - peer)
    return [SelfEvaluationYear(s, y, lean(s, grouped[(s, y)])) for s, y in sorted(grouped)]


def trend(years: Sequence[SelfEvaluationYear]) -> str:
    """Whether one school's gap with its peers is closing, in words (needs two years)."""
    known = [y for y in years if y.lean.mean_difference is not None]
    if len(known) < 2:
        return "one year only: no trend yet"
    first, last = known[0].lean.mean_difference or 0.0, known[-1].lean.mean_difference or 0.0
    if abs(last) + 0.25 <= abs(first):
        return f"closer to its peers in {known[-1].year} than in {known[0].year}"
    if abs(last) >= abs(first) + 0.25:
        return f"further from its peers in {known[-1].year} than in {known[0].year}"
    return f"about as close to its peers in {known[-1].year} as in {known[0].year}"
