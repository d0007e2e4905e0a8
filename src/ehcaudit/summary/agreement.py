"""Agreement between reviewers: Krippendorff's alpha (with n and a bootstrap interval) and percent exact/adjacent.

Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
values are paired within each unit (a plan's criterion), pooled into a
coincidence matrix, and alpha = 1 - observed / expected disagreement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from operator import itemgetter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ehcaudit.summary.shape import AgreementReading, AlphaReading

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# How many units had each sorted tuple of values (see unit_patterns): all that alpha needs.
Patterns = Counter[tuple[float, ...]]
# Identical clusters as one type: frozenset of (pattern, units) -> how many clusters are that type.
ClusterTypes = Counter[frozenset[tuple[tuple[float, ...], int]]]
# A unit's values from its reviewers (None = N/A), and its graded values sorted (or () when fewer than two).
Values = tuple[int | None, ...]
Graded = tuple[int, ...]

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _coincidences(patterns: Patterns) -> tuple[dict[tuple[float, float], float], int]:
    """Coincidence matrix o[(c, k)] over pairable units, and the number of pairable values."""
    # Units with the same values contribute the same pairs: each pattern is counted once.
    o: defaultdict[tuple[float, float], float] = defaultdict(float)
    n = 0
    for values, times in patterns.items():
        m = len(values)
        n += m * times
        counts = Counter(values)
        weight = times / (m - 1)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    o[(c, k)] += pairs * weight
    return o, n


def krippendorff_alpha(units: Iterable[Sequence[float]], level: str = "ordinal") -> float | None:
    """Alpha for units of values (missing values simply left out); None when undefined."""
    return alpha_from_patterns(unit_patterns(units), level)


def alpha_from_patterns(patterns: Patterns, level: str = "ordinal") -> float | None:
    """Alpha from unit patterns (see unit_patterns)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    o, n = _coincidences(patterns)
    if n == 0:
        return None
    n_c: defaultdict[float, float] = defaultdict(float)
    for (c, _k), v in o.items():
        n_c[c] += v
    values = sorted(n_c)
    if len(values) < 2:
        return 1.0 if n else None  # everyone used one value: no variation, perfect agreement by convention

    if level == "ordinal":
        rank = {v: i for i, v in enumerate(values)}
        cumulative = [0.0]
        for v in values:
            cumulative.append(cumulative[-1] + n_c[v])

        def delta(c: float, k: float) -> float:
            lo, hi = sorted((rank[c], rank[k]))
            return (cumulative[hi + 1] - cumulative[lo] - (n_c[c] + n_c[k]) / 2) ** 2
    elif level == "interval":
        def delta(c: float, k: float) -> float:
            return (c - k) ** 2
    elif level == "ratio":
        def delta(c: float, k: float) -> float:
            return ((c - k) / (c + k)) ** 2 if c + k else 0.0
    else:
        def delta(c: float, k: float) -> float:
            return 0.0 if c == k else 1.0

    observed = sum(v * delta(c, k) for (c, k), v in o.items())
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        return 1.0
    return 1.0 - (n - 1) * observed / expected


MIN_PLANS = 5  # fewer double-scored plans than this: alpha is shown, but no verdict is given
RESAMPLES = 1000
SEED = 2007  # fixed, so the same data always gives the same interval
NOT_ENOUGH = "not enough data"
TOO_FEW = "too few double-scored plans"


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha with its n and a 95% bootstrap interval."""

    value: float | None
    low: float | None = None
    high: float | None = None
    values: int = 0  # pairable values (Krippendorff's n..)
    units: int = 0  # units with two or more pairable values
    clusters: int = 0  # what was resampled: double-scored plans (or, in calibration, criteria)
    reading: str = NOT_ENOUGH

    def to_dict(self) -> AlphaReading:
        return {"alpha": _round(self.value, 3), "ci95": None if self.low is None else [_round(self.low, 3), _round(self.high, 3)],
                "n_values": self.values, "units": self.units, "resampled": self.clusters, "reading": self.reading}


def alpha_with_interval(clusters: list[Patterns], level: str = "ordinal", minimum: int = MIN_PLANS,
                        too_few: str = TOO_FEW, resamples: int = RESAMPLES, seed: int = SEED) -> Alpha:
    """Alpha over every cluster's unit patterns, with a 95% percentile bootstrap interval.

    Each cluster (a plan: its criteria are not independent of each other) holds unit patterns
    (see unit_patterns). The bootstrap resamples whole clusters with replacement and recomputes
    alpha, expected disagreement included, 1,000 times from a fixed seed: the bootstrapped interval
    Hayes and Krippendorff (2007) recommend reporting, resampling the independent units. Below
    `minimum` clusters the alpha is given with its interval but the reading is `too_few`.
    """
    clusters = [c for c in clusters if c]
    total: Patterns = Counter()
    for c in clusters:
        total.update(c)
    # Identical clusters are one type drawn with their frequency: few types, however many plans.
    types: ClusterTypes = Counter(frozenset(c.items()) for c in clusters)
    return alpha_from_cluster_types(types, level, minimum, too_few, resamples, seed, total=total)


def alpha_from_cluster_types(types: ClusterTypes, level: str = "ordinal", minimum: int = MIN_PLANS, too_few: str = TOO_FEW,
                             resamples: int = RESAMPLES, seed: int = SEED, total: Patterns | None = None) -> Alpha:
    """alpha_with_interval from the clusters' types: frozenset of (pattern, units) -> how many clusters are
    that type, in the order the clusters first show each type (the bootstrap's draws follow that order)."""
    clusters = sum(types.values())
    if total is None:
        total = Counter()
        for key, times in types.items():
            for pattern, units in key:
                total[pattern] += units * times
    value = alpha_from_patterns(total, level) if total else None
    if value is None:
        return Alpha(None, clusters=clusters)
    _, n = _coincidences(total)
    low, high = _bootstrap(types, level, resamples, seed) if clusters >= 2 else (value, value)
    reading = alpha_reading(value) if clusters >= minimum else too_few
    return Alpha(value, low, high, n, sum(total.values()), clusters, reading)


def _bootstrap(types: ClusterTypes, level: str, resamples: int, seed: int) -> tuple[float, float]:
    import numpy as np

    clusters = sum(types.values())
    values = sorted({v for key in types for pattern, _units in key for v in pattern})
    index = {v: i for i, v in enumerate(values)}
    size = len(values)
    rows = []  # built as lists: a numpy element assignment per cell was most of the bootstrap's own time
    for key in types:
        o, _ = _coincidences(Counter(dict(key)))
        row = [0.0] * (size * size)
        for (c, k), v in o.items():
            row[index[c] * size + index[k]] += v
        rows.append(row)
    matrices = np.array(rows, dtype=float).reshape(len(types), size * size)
    probabilities = np.array(list(types.values()), dtype=float) / clusters
    rng = np.random.default_rng(seed)
    alphas = []
    chunk = max(1, min(resamples, 2_000_000 // max(1, len(types))))
    done = 0
    while done < resamples:
        m = min(chunk, resamples - done)
        counts = rng.multinomial(clusters, probabilities, size=m)
        alphas.append(_alphas(counts @ matrices, values, level))
        done += m
    found = np.concatenate(alphas)
    found = found[~np.isnan(found)]
    if not len(found):
        return (float("nan"), float("nan"))
    low, high = np.percentile(found, [2.5, 97.5])
    return float(low), float(high)


def _alphas(o_flat: NDArray[np.float64], values: list[float], level: str) -> NDArray[np.float64]:
    """Alpha for each row of flattened coincidence matrices (vectorised _coincidences -> alpha)."""
    import numpy as np

    size = len(values)
    o = o_flat.reshape(-1, size, size)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    v = np.array(values, dtype=float)
    if level == "ordinal":
        cum = np.concatenate([np.zeros((len(o), 1)), np.cumsum(n_c, axis=1)], axis=1)
        i, j = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        delta = (cum[:, hi + 1] - cum[:, lo] - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    elif level == "interval":
        delta = np.broadcast_to((v[:, None] - v[None, :]) ** 2, o.shape)
    elif level == "ratio":
        total = v[:, None] + v[None, :]
        delta = np.broadcast_to(np.where(total != 0, ((v[:, None] - v[None, :]) / np.where(total != 0, total, 1)) ** 2, 0.0), o.shape)
    else:
        delta = np.broadcast_to(1.0 - np.eye(size), o.shape)
    observed = (o * delta).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(expected > 0, 1.0 - (n - 1) * observed / np.where(expected > 0, expected, 1), 1.0)
    return np.where(n > 0, alpha, np.nan)


@dataclass(frozen=True)
class Agreement:
    units: int  # units (plan x criterion) scored by two or more reviewers (N/A included)
    plans: int
    pairs: int
    exact_pct: float | None
    adjacent_pct: float | None
    alpha: Alpha
    na_disagreements: int = 0  # pairs where one reviewer said N/A and the other gave a grade

    @property
    def reading(self) -> str:
        return self.alpha.reading

    def to_dict(self) -> AgreementReading:
        return {
            "plans": self.plans,
            "units": self.units,
            "pairs": self.pairs,
            "exact_pct": _round(self.exact_pct),
            "adjacent_pct": _round(self.adjacent_pct),
            "na_against_grade_pairs": self.na_disagreements,
            "alpha_ordinal": _round(self.alpha.value, 3),
            "alpha_ci95": None if self.alpha.low is None else [_round(self.alpha.low, 3), _round(self.alpha.high, 3)],
            "alpha_n_values": self.alpha.values,
            "alpha_plans": self.alpha.clusters,
            "reading": self.reading,
        }


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None or value != value else round(value, places)


def alpha_reading(alpha: float | None) -> str:
    """Krippendorff's guidance on how far to trust the data."""
    if alpha is None:
        return NOT_ENOUGH
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


def unit_patterns(units: Iterable[Sequence[float]]) -> Patterns:
    """How many units had each (sorted) set of grades: all that alpha needs (N/A already left out)."""
    return Counter(tuple(sorted(v)) for v in units if len(v) >= 2)


def pair_counts(values: Sequence[int | None]) -> tuple[int, int, int, int]:
    """(pairs, exact, adjacent, N/A against a grade) among one unit's values; None is N/A.

    N/A against N/A agrees; N/A against a grade is a disagreement, neither exact nor adjacent.
    """
    pairs = exact = adjacent = na = 0
    for a, b in combinations(values, 2):
        pairs += 1
        if a is None or b is None:
            same = a is None and b is None
            exact += same
            adjacent += same
            na += not same
        else:
            exact += a == b
            adjacent += abs(a - b) <= 1
    return pairs, exact, adjacent, na


def agreement_from_units(by_plan: Mapping[int, list[list[int | None]]]) -> Agreement:
    """Exact, adjacent (N/A against a grade a disagreement) and alpha (N/A left out as missing).

    by_plan maps a plan to the value lists of its units (plan x criterion), None meaning N/A.
    """
    pairs = exact = adjacent = na = units = 0
    clusters: list[Patterns] = []
    for unit_values in by_plan.values():
        numeric: Patterns = Counter()
        for values in unit_values:
            if len(values) < 2:
                continue
            units += 1
            counted, graded = _digest(tuple(values))
            pairs += counted[0]
            exact += counted[1]
            adjacent += counted[2]
            na += counted[3]
            if graded:
                numeric[graded] += 1
        clusters.append(numeric)
    plans = sum(1 for u in by_plan.values() if any(len(v) >= 2 for v in u))
    return _agreement(units, plans, pairs, exact, adjacent, na, alpha_with_interval(clusters, "ordinal"))


def _agreement(units: int, plans: int, pairs: int, exact: int, adjacent: int, na: int, alpha: Alpha) -> Agreement:
    """The figures from the pair counts: percentages of pairs exactly equal and within one grade."""
    return Agreement(
        units=units,
        plans=plans,
        pairs=pairs,
        exact_pct=100.0 * exact / pairs if pairs else None,
        adjacent_pct=100.0 * adjacent / pairs if pairs else None,
        alpha=alpha,
        na_disagreements=na,
    )


_second = itemgetter(1)


@lru_cache(maxsize=4096)
def _digest(values: Values) -> tuple[tuple[int, int, int, int], Graded]:
    """A unit's values (None = N/A) -> (pair counts, its graded values sorted, or () when fewer than two)."""
    counted = pair_counts(tuple(sorted(values, key=lambda v: -1 if v is None else v)))
    graded = tuple(sorted(v for v in values if v is not None))
    return counted, graded if len(graded) >= 2 else ()


def agreement_by_criteria(criteria: list[list[tuple[int, Values]]]) -> Agreement:
    """agreement_from_units over some criteria, each given as its units (plan, values) with two or more values.

    The same figures, worked out once per distinct set of values rather than once per unit; plans (the
    bootstrap's clusters) are taken in the order they first appear, criterion by criterion.
    """
    pairs = exact = adjacent = na = units = 0
    graded: list[dict[Values, Graded]] = []  # per criterion: values -> graded pattern
    for unit_list in criteria:
        units += len(unit_list)
        graded_of: dict[Values, Graded] = {}
        for values, times in Counter(map(_second, unit_list)).items():
            counted, graded_of[values] = _digest(values)
            pairs += counted[0] * times
            exact += counted[1] * times
            adjacent += counted[2] * times
            na += counted[3] * times
        graded.append(graded_of)
    named: Counter[tuple[Graded, ...]]
    if len(criteria) == 1:
        # One criterion: a plan's cluster is its one unit's pattern (a plan has one unit per criterion).
        plans = len(criteria[0])
        named = Counter((g,) for g in map(graded[0].__getitem__, map(_second, criteria[0])) if g)
    else:
        by_plan = _patterns_by_plan(criteria, graded)
        plans = len(by_plan)
        # A plan's cluster is the multiset of its patterns: its sorted tuple names it, cheaply, until the types are known.
        named = Counter(tuple(sorted(p)) for p in by_plan.values() if p)
    types: ClusterTypes = Counter({frozenset(Counter(name).items()): times for name, times in named.items()})
    return _agreement(units, plans, pairs, exact, adjacent, na, alpha_from_cluster_types(types, "ordinal"))


def _patterns_by_plan(criteria: list[list[tuple[int, Values]]], graded: list[dict[Values, Graded]]) -> dict[int, list[Graded]]:
    """Plan -> the graded patterns of its units, plans in the order they first appear."""
    by_plan: dict[int, list[Graded]] = {}
    for unit_list, graded_of in zip(criteria, graded):
        for pid, values in unit_list:
            pattern = graded_of[values]
            patterns = by_plan.get(pid)
            if patterns is None:
                patterns = by_plan[pid] = []
            if pattern:
                patterns.append(pattern)
    return by_plan


def agreement(units: dict[tuple[int, str], list[int | None]]) -> Agreement:
    """Exact, adjacent and alpha over units keyed (plan, criterion) -> grades from different reviewers (None = N/A)."""
    by_plan: dict[int, list[list[int | None]]] = {}
    for (plan, _criterion), values in units.items():
        by_plan.setdefault(plan, []).append(list(values))
    return agreement_from_units(by_plan)
