"""Token F1 between found and true section text (bag of words, case-insensitive)."""

from __future__ import annotations

import re
from collections import Counter


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def token_f1(found: str, truth: str) -> float:
    a, b = tokens(found), tokens(truth)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def mean_f1(found: dict[str, str], truth: dict[str, str]) -> float:
    """Mean over true sections, with each invented section counting as 0."""
    scores = [token_f1(found.get(code, ""), text) for code, text in truth.items()]
    scores += [0.0 for code in found if code not in truth]
    return sum(scores) / len(scores)
