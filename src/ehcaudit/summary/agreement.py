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
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ehcaudit.summary.grid import ABSENT, NA
from ehcaudit.summary.shape import AgreementReading, AlphaReading

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# How many units had each sorted tuple of values (see unit_patterns): all that alpha needs.
Patterns = Counter[tuple[float, ...]]
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
    return _alpha_from_coincidences(*_coincidences(patterns), level)


def _alpha_from_coincidences(o: Mapping[tuple[float, float], float], n: int, level: str) -> float | None:
    """Alpha = 1 - (n - 1) * observed / expected disagreement, from the coincidence matrix and n."""
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
    import numpy as np

    clusters = [c for c in clusters if c]
    total: Patterns = Counter()
    for cluster in clusters:
        total.update(cluster)
    value = alpha_from_patterns(total, level) if total else None
    if value is None:
        return Alpha(None, clusters=len(clusters))
    values = sorted({v for pattern in total for v in pattern})
    index = {v: i for i, v in enumerate(values)}
    size = len(values)
    rows = []  # built as lists: a numpy element assignment per cell was most of the bootstrap's own time
    for cluster in clusters:
        row = [0.0] * (size * size)
        for (c, k), v in _coincidences(cluster)[0].items():
            row[index[c] * size + index[k]] += v
        rows.append(row)
    _, n = _coincidences(total)
    return _with_interval(value, np.array(rows, dtype=float), values, sum(total.values()), n,
                          level, minimum, too_few, resamples, seed)


def alpha_from_matrices(matrices: NDArray[np.float64], values: list[float], units: int, n: int, level: str = "ordinal",
                        minimum: int = MIN_PLANS, too_few: str = TOO_FEW, resamples: int = RESAMPLES, seed: int = SEED) -> Alpha:
    """alpha_with_interval from each cluster's coincidence matrix over `values`, flattened (one row per cluster
    with at least one pairable unit), given the number of pairable units and values: the summary's way, from arrays."""
    if not len(matrices):
        return Alpha(None)
    total = matrices.sum(axis=0).reshape(len(values), len(values))
    o = {(values[i], values[j]): float(total[i, j]) for i, j in zip(*total.nonzero())}
    value = _alpha_from_coincidences(o, n, level)
    if value is None:
        return Alpha(None, clusters=len(matrices))
    return _with_interval(value, matrices, values, units, n, level, minimum, too_few, resamples, seed)


def _with_interval(value: float, matrices: NDArray[np.float64], values: list[float], units: int, n: int, level: str,
                   minimum: int, too_few: str, resamples: int, seed: int) -> Alpha:
    clusters = len(matrices)
    low, high = _bootstrap(matrices, values, level, resamples, seed) if clusters >= 2 else (value, value)
    reading = alpha_reading(value) if clusters >= minimum else too_few
    return Alpha(value, low, high, n, units, clusters, reading)


# Up to this many distinct clusters, a resample is drawn as how many of each kind (one multinomial draw);
# beyond it, as which clusters (cheaper than a multinomial over thousands of kinds). Both are the same bootstrap.
MULTINOMIAL_KINDS = 500


def _bootstrap(matrices: NDArray[np.float64], values: list[float], level: str, resamples: int, seed: int) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of alpha over resamples of the clusters (rows of flattened coincidence matrices)."""
    import numpy as np

    clusters = len(matrices)
    kinds, counts = _kinds(matrices)
    rng = np.random.default_rng(seed)
    alphas = []
    done = 0
    if len(kinds) <= MULTINOMIAL_KINDS:
        probabilities = counts / clusters
        chunk = max(1, min(resamples, 2_000_000 // len(kinds)))
        while done < resamples:
            m = min(chunk, resamples - done)
            alphas.append(_alphas(rng.multinomial(clusters, probabilities, size=m) @ kinds, values, level))
            done += m
    else:
        chunk = max(1, min(resamples, 2_000_000 // clusters))
        while done < resamples:
            m = min(chunk, resamples - done)
            drawn = rng.integers(0, clusters, size=(m, clusters), dtype=np.int32) + (np.arange(m) * clusters)[:, None]
            times = np.bincount(drawn.ravel(), minlength=m * clusters).reshape(m, clusters).astype(float)
            alphas.append(_alphas(times @ matrices, values, level))
            done += m
    found = np.concatenate(alphas)
    found = found[~np.isnan(found)]
    if not len(found):
        return (float("nan"), float("nan"))
    low, high = np.percentile(found, [2.5, 97.5])
    return float(low), float(high)


def _kinds(matrices: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Identical clusters as one kind, with how many clusters are of it, kinds in the order the clusters first show them."""
    import numpy as np

    # Rows are told apart by one number each (a fixed random mix of the cells), then checked cell by cell:
    # a sort of numbers, where sorting whole rows took most of the bootstrap's time.
    mix = np.random.default_rng(0).random(matrices.shape[1]) + 1.0
    _, first, inverse, counts = np.unique(matrices @ mix, return_index=True, return_inverse=True, return_counts=True)
    if not (matrices == matrices[first][inverse]).all():  # two different rows with one number: sort rows after all
        _, first, counts = np.unique(matrices, axis=0, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return matrices[first[order]], counts[order]


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


@lru_cache(maxsize=4096)
def _digest(values: Values) -> tuple[tuple[int, int, int, int], Graded]:
    """A unit's values (None = N/A) -> (pair counts, its graded values sorted, or () when fewer than two)."""
    counted = pair_counts(tuple(sorted(values, key=lambda v: -1 if v is None else v)))
    graded = tuple(sorted(v for v in values if v is not None))
    return counted, graded if len(graded) >= 2 else ()


def agreement_by_columns(grid: NDArray[np.int16], sets: list[list[int]]) -> list[Agreement]:
    """agreement_from_units for each set of columns of a (plans, reviews, columns) grid of grades (NA, or ABSENT where
    a review has none), worked out with arrays: a unit is a plan's column given by two or more reviews, and a plan
    is a cluster of the bootstrap, plans in the grid's order."""
    import numpy as np

    plans, slots, columns = grid.shape
    present, graded = grid != ABSENT, grid >= 0
    units = present.sum(axis=1) >= 2  # (plans, columns)
    m = graded.sum(axis=1)  # pairable values per unit
    pairable = np.where(m >= 2, m, 0)
    counted = np.zeros((4, columns), dtype=np.int64)  # pairs, exact, adjacent, N/A against a grade
    values = sorted({int(v) for v in np.unique(grid[graded])})
    size = len(values)
    lookup = np.zeros(max(values, default=0) + 1, dtype=np.int64)
    lookup[values] = np.arange(size)
    plan_of, column_of, cell_of, weight_of = [], [], [], []
    for a in range(slots):
        for b in range(slots):
            if a == b:
                continue
            va, vb = grid[:, a, :], grid[:, b, :]
            both = graded[:, a, :] & graded[:, b, :]
            p, c = both.nonzero()
            plan_of.append(p)
            column_of.append(c)
            cell_of.append(lookup[va[p, c]] * size + lookup[vb[p, c]])
            weight_of.append(1.0 / (m[p, c] - 1))
            if b < a:
                continue
            pair = present[:, a, :] & present[:, b, :]
            na_a, na_b = va == NA, vb == NA
            both_na = pair & na_a & na_b
            close = np.abs(va.astype(np.int64) - vb) <= 1
            counted[0] += pair.sum(axis=0)
            counted[1] += (both_na | (both & (va == vb))).sum(axis=0)
            counted[2] += (both_na | (both & close)).sum(axis=0)
            counted[3] += (pair & (na_a != na_b)).sum(axis=0)
    plan_at, column_at, cell_at, weight_at = (np.concatenate(x) if x else np.zeros(0, dtype=int)
                                              for x in (plan_of, column_of, cell_of, weight_of))
    cells = size * size
    # Entries grouped by column, so a set of columns takes its entries as slices, not a pass over them all.
    by_column = np.argsort(column_at, kind="stable")
    key_at, weight_at = (plan_at * cells + cell_at)[by_column], weight_at[by_column]
    bounds = np.searchsorted(column_at[by_column], np.arange(columns + 1))
    found = []
    for chosen in sets:
        pieces = [slice(bounds[c], bounds[c + 1]) for c in chosen]
        keys = np.concatenate([key_at[p] for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
        weights = np.concatenate([weight_at[p] for p in pieces]) if pieces else np.zeros(0)
        matrices = np.bincount(keys, weights=weights, minlength=plans * cells).astype(np.float64).reshape(plans, cells)
        matrices = matrices[matrices.any(axis=1)]  # the plans with a pairable unit in the set, in the grid's order
        alpha = alpha_from_matrices(matrices, [float(v) for v in values], int((pairable[:, chosen] > 0).sum()),
                                    int(pairable[:, chosen].sum()))
        pairs, exact, adjacent, na = (int(x) for x in counted[:, chosen].sum(axis=1))
        found.append(_agreement(int(units[:, chosen].sum()), int(units[:, chosen].any(axis=1).sum()), pairs, exact, adjacent,
                                na, alpha))
    return found


def agreement(units: dict[tuple[int, str], list[int | None]]) -> Agreement:
    """Exact, adjacent and alpha over units keyed (plan, criterion) -> grades from different reviewers (None = N/A)."""
    by_plan: dict[int, list[list[int | None]]] = {}
    for (plan, _criterion), values in units.items():
        by_plan.setdefault(plan, []).append(list(values))
    return agreement_from_units(by_plan)
