"""A fair random sample: proportional allocation within strata, a share for double review, a recorded seed.

The same plans, size, strata, share and seed always give the same sample, so a QA lead can show
an inspector that the sample was drawn at random and not chosen.
"""

from __future__ import annotations

from typing import Any

import math
import random
import secrets
from dataclasses import dataclass, field
from fractions import Fraction

from ehcaudit.output.words import plural
from ehcaudit.errors import EhcauditError

# What a user may stratify by -> the plan's metadata field.
STRATA_FIELDS = {"phase": "phase", "need": "primary_need", "setting": "setting", "team": "team"}
NOT_RECORDED = "not recorded"
DEFAULT_DOUBLE = 0.2


class SampleError(EhcauditError):
    """A sample that cannot be drawn as asked (too large, unknown stratum field, bad share)."""


@dataclass(frozen=True)
class Candidate:
    plan_id: int
    label: str
    metadata: dict[str, Any]


@dataclass
class Stratum:
    key: str  # "Primary / Autism (ASD)"; "" when the sample is not stratified
    population: int
    quota: float  # the exact proportional share of the sample
    sampled: int = 0


@dataclass
class Sample:
    seed: int
    size: int
    stratify: list[str]
    double_share: float
    population: int
    strata: list[Stratum]
    chosen: list[tuple[int, str]] = field(default_factory=list)  # (plan id, stratum key), in draw order
    double: set[int] = field(default_factory=set)


def parse_stratify(text: str | None) -> list[str]:
    """'phase,need' -> ['phase', 'need']; an unknown field is one clear line."""
    if not text:
        return []
    fields = [f.strip().lower() for f in text.split(",") if f.strip()]
    for f in fields:
        if f not in STRATA_FIELDS:
            raise SampleError(f"cannot stratify by '{f}'; choose from {', '.join(STRATA_FIELDS)} (comma-separated)")
    return list(dict.fromkeys(fields))


def new_seed() -> int:
    """A fresh seed to record when the user gives none."""
    return secrets.randbelow(1_000_000_000)


def stratum_of(c: Candidate, stratify: list[str]) -> str:
    return " / ".join((c.metadata.get(STRATA_FIELDS[f]) or NOT_RECORDED) for f in stratify)


def allocate(populations: dict[str, int], size: int, rng: random.Random) -> dict[str, int]:
    """Largest-remainder proportional allocation, at least one per stratum when size allows.

    Ties between equal remainders are broken at random (from the seed), never by name.
    """
    total = sum(populations.values())
    keys = sorted(populations)
    order = keys[:]
    rng.shuffle(order)
    rank = {k: i for i, k in enumerate(order)}
    quotas = {k: Fraction(size * populations[k], total) for k in keys}
    alloc = {k: math.floor(quotas[k]) for k in keys}
    left = size - sum(alloc.values())
    by_remainder = sorted(keys, key=lambda k: (-(quotas[k] - alloc[k]), rank[k]))
    for k in by_remainder[:left]:
        alloc[k] += 1
    if size >= len(keys):
        # Every stratum is represented: take a plan from the stratum most over its quota.
        for k in sorted(keys, key=lambda k: rank[k]):
            if alloc[k] == 0:
                donor = max((d for d in keys if alloc[d] > 1), key=lambda d: (alloc[d] - quotas[d], -rank[d]))
                alloc[donor] -= 1
                alloc[k] = 1
    return alloc


def draw_sample(candidates: list[Candidate], size: int, stratify: list[str] | None = None,
                double_share: float = DEFAULT_DOUBLE, seed: int | None = None, what: str = "the imported plans") -> Sample:
    """Choose `size` plans at random (proportionally within strata) and mark a share for double review."""
    stratify = stratify or []
    if not candidates:
        raise SampleError(f"there are no plans to sample in {what}; import some first (`ehcaudit import`)")
    if size < 1:
        raise SampleError(f"a sample needs at least one plan (got {size})")
    if size > len(candidates):
        raise SampleError(f"a sample of {size} is larger than {what} ({plural(len(candidates), 'plan')}); ask for {len(candidates)} or fewer")
    if not 0 <= double_share <= 1:
        raise SampleError(f"--double is a share from 0 to 1 (e.g. 0.2 for 20%), not {double_share:g}")
    seed = new_seed() if seed is None else seed
    rng = random.Random(seed)
    # Label then id: the same plans give the same sample whatever order they were imported in.
    pool = sorted(candidates, key=lambda c: (c.label, c.plan_id))
    groups: dict[str, list[Candidate]] = {}
    for c in pool:
        groups.setdefault(stratum_of(c, stratify), []).append(c)
    alloc = allocate({k: len(v) for k, v in groups.items()}, size, rng)
    sample = Sample(seed, size, stratify, double_share, len(candidates), [])
    for key in sorted(groups):
        members = groups[key]
        picked = rng.sample(members, alloc[key])
        sample.strata.append(Stratum(key, len(members), size * len(members) / len(candidates), len(picked)))
        sample.chosen += [(c.plan_id, key) for c in picked]
    n_double = min(size, math.floor(size * double_share + 0.5))
    if n_double == 0 and double_share > 0 and size >= 2:
        n_double = 1  # a share asked for is never rounded away to nothing
    sample.double = set(rng.sample([pid for pid, _ in sample.chosen], n_double))
    return sample
