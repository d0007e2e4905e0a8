"""Sharing a sample among reviewers: balanced by count, the two reviews of a plan never to one person."""

from __future__ import annotations

import random

from ehcaudit.output.words import plural
from ehcaudit.errors import EhcauditError


class AssignError(EhcauditError):
    """An assignment that cannot be made as asked (no reviewers, too few for double review)."""


def parse_reviewers(values: list[str] | tuple[str, ...] | str) -> list[str]:
    """Names from repeated options or a comma-separated list, in order, without repeats."""
    if isinstance(values, str):
        values = [values]
    names: list[str] = []
    for v in values:
        for name in v.split(","):
            name = " ".join(name.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def share_out(plans: list[tuple[int, bool]], reviewers: list[str], seed: int = 0) -> list[tuple[int, int, str]]:
    """(plan id, slot, reviewer) for every review a sample needs: slot 1 for each plan, slot 2 for a double one.

    Each review goes to the least-loaded reviewer not already on that plan (ties at random from the seed),
    double-scored plans first, so counts never differ by more than one.
    """
    if not reviewers:
        raise AssignError("name at least one reviewer (--reviewer NAME, repeatable or comma-separated)")
    doubles = [pid for pid, double in plans if double]
    if doubles and len(reviewers) < 2:
        raise AssignError(f"{plural(len(doubles), 'plan')} {'is' if len(doubles) == 1 else 'are'} marked for double review: name at least two reviewers")
    rng = random.Random(seed)
    load = {r: 0 for r in reviewers}
    order = {r: i for i, r in enumerate(rng.sample(reviewers, len(reviewers)))}
    out: list[tuple[int, int, str]] = []
    ordered = sorted(doubles) + sorted(pid for pid, double in plans if not double)
    for pid in ordered:
        slots = 2 if pid in set(doubles) else 1
        taken: set[str] = set()
        for slot in range(1, slots + 1):
            who = min((r for r in reviewers if r not in taken), key=lambda r: (load[r], order[r]))
            taken.add(who)
            load[who] += 1
            out.append((pid, slot, who))
            # Rotate the tie-break so the same reviewer is not always first among equals.
            order[who] += len(reviewers)
    return out
