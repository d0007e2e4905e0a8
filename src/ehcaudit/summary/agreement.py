"""Agreement between reviewers: Krippendorff's alpha and percent exact/adjacent agreement.

Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
values are paired within each unit (a plan's criterion), pooled into a
coincidence matrix, and alpha = 1 - observed / expected disagreement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Sequence

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _coincidences(patterns: Counter) -> tuple[Counter, int]:
    """Coincidence matrix o[(c, k)] over pairable units, and the number of pairable values."""
    # Units with the same values contribute the same pairs: each pattern is counted once.
    o: Counter = Counter()
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


def alpha_from_patterns(patterns: Counter, level: str = "ordinal") -> float | None:
    """Alpha from unit patterns (see unit_patterns)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    o, n = _coincidences(patterns)
    if n == 0:
        return None
    n_c: Counter = Counter()
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

        def delta(c, k):
            lo, hi = sorted((rank[c], rank[k]))
            return (cumulative[hi + 1] - cumulative[lo] - (n_c[c] + n_c[k]) / 2) ** 2
    elif level == "interval":
        def delta(c, k):
            return (c - k) ** 2
    elif level == "ratio":
        def delta(c, k):
            return ((c - k) / (c + k)) ** 2 if c + k else 0.0
    else:
        def delta(c, k):
            return 0.0 if c == k else 1.0

    observed = sum(v * delta(c, k) for (c, k), v in o.items())
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        return 1.0
    return 1.0 - (n - 1) * observed / expected


@dataclass(frozen=True)
class Agreement:
    units: int  # units (plan x criterion) scored by two or more reviewers
    plans: int
    pairs: int
    exact_pct: float | None
    adjacent_pct: float | None
    alpha: float | None

    @property
    def reading(self) -> str:
        return alpha_reading(self.alpha)

    def to_dict(self) -> dict:
        return {
            "plans": self.plans,
            "units": self.units,
            "pairs": self.pairs,
            "exact_pct": _round(self.exact_pct),
            "adjacent_pct": _round(self.adjacent_pct),
            "alpha_ordinal": _round(self.alpha, 3),
            "reading": self.reading,
        }


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def alpha_reading(alpha: float | None) -> str:
    """Krippendorff's guidance on how far to trust the data."""
    if alpha is None:
        return "not enough data"
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


def unit_patterns(units: Iterable[Sequence[int]]) -> Counter:
    """How many units had each (sorted) set of grades: all that agreement needs."""
    return Counter(tuple(sorted(v)) for v in units if len(v) >= 2)


def agreement_from_patterns(patterns: Counter, plans: int) -> Agreement:
    """Exact, adjacent and alpha from unit patterns (see unit_patterns)."""
    pairs = exact = adjacent = 0
    for values, times in patterns.items():
        for a, b in combinations(values, 2):
            pairs += times
            exact += times * (a == b)
            adjacent += times * (abs(a - b) <= 1)
    return Agreement(
        units=sum(patterns.values()),
        plans=plans,
        pairs=pairs,
        exact_pct=100.0 * exact / pairs if pairs else None,
        adjacent_pct=100.0 * adjacent / pairs if pairs else None,
        alpha=alpha_from_patterns(patterns, "ordinal") if patterns else None,
    )


def agreement(units: dict[tuple, list[int]]) -> Agreement:
    """Exact, adjacent and alpha over units keyed (plan, criterion) -> grades from different reviewers."""
    scored = {k: v for k, v in units.items() if len(v) >= 2}
    return agreement_from_patterns(unit_patterns(scored.values()), len({k[0] for k in scored}))
