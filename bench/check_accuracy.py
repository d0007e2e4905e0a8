"""Precision and recall of the pre-checks on the hand-labelled set in bench/checks_set.toml, beside a naive
keyword matcher. Run by hand: python bench/check_accuracy.py [--misses]"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from ehcaudit.checks import needs, outcomes, provision
from ehcaudit.checks.voice import voice_problem

SET = tomllib.loads((Path(__file__).parent / "checks_set.toml").read_text(encoding="utf-8"))
NAIVE_HEDGES = re.compile(r"access to|opportunit|as needed|as required|when needed|as appropriate|where appropriate|regular|up to|would benefit|\bmay\b|such as|e\.g\.|etc|as advised|support with|strategies|available|high level|small group|key adult|school staff", re.IGNORECASE)


def project_vague(text: str) -> bool:
    return provision.is_provision_statement(text) and provision.read_provision(text).vague


def project_outcome(text: str) -> str | None:
    return outcomes.read_outcome(text).kind if outcomes.is_outcome_statement(text) else None


def naive_outcome(text: str) -> str | None:
    if re.search(r"\b(receive|have access|be supported|attend)\b", text, re.IGNORECASE):
        return "outcome-is-provision"
    if not re.search(r"\d", text) or re.search(r"\b(improve|progress|develop|potential|engage)\w*", text, re.IGNORECASE):
        return "outcome-not-smart"
    return None


def naive_voice(text: str) -> bool:
    return not re.search(r"['‘\"“]|\bI\b|\bsaid\b|\btold\b", text)


def score(pairs: list[tuple[bool, bool]]) -> tuple[int, int, int, float, float]:
    tp = sum(1 for got, want in pairs if got and want)
    fp = sum(1 for got, want in pairs if got and not want)
    fn = sum(1 for got, want in pairs if not got and want)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, p, r


def main() -> None:
    show = "--misses" in sys.argv
    rows: dict[str, dict[str, list[tuple[bool, bool]]]] = {"project": {}, "naive": {}}
    misses: list[str] = []

    def add(who: str, kind: str, got: bool, want: bool, text: str) -> None:
        rows[who].setdefault(kind, []).append((got, want))
        if who == "project" and got != want:
            misses.append(f"{'FP' if got else 'FN'} {kind}: {text}")

    for text, vague in SET["provision"]:
        add("project", "provision-vague", project_vague(text), vague, text)
        add("naive", "provision-vague", bool(NAIVE_HEDGES.search(text)), vague, text)
    for text in SET["not_provision"]:
        add("project", "provision-vague", project_vague(text), False, text)
        add("naive", "provision-vague", bool(NAIVE_HEDGES.search(text)), False, text)
    for text, label in SET["outcomes"]:
        want = {"smart": None, "not-smart": "outcome-not-smart", "is-provision": "outcome-is-provision"}[label]
        got, naive = project_outcome(text), naive_outcome(text)
        for kind in ("outcome-not-smart", "outcome-is-provision"):
            add("project", kind, got == kind, want == kind, text)
            add("naive", kind, naive == kind, want == kind, text)
    for text, indirect in SET["voice"]:
        add("project", "voice-indirect", voice_problem(text) is not None, indirect, text[:80])
        add("naive", "voice-indirect", naive_voice(text), indirect, text[:80])
    for pair in SET["needs"]:
        b_text = "\n".join(f"{area.capitalize()}\n{para}" for area, para in pair["b"].items())
        flagged = {n.area for n in needs.unprovided_needs(b_text, pair["f"])}
        for area in pair["b"]:
            add("project", "need-without-provision", area in flagged, area in pair["missing"], area)
            naive = not re.search(area.split()[0].rstrip(","), pair["f"], re.IGNORECASE)
            add("naive", "need-without-provision", naive, area in pair["missing"], area)

    print(f"{'kind':<24} {'who':<8} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6}")
    for kind in rows["project"]:
        for who in ("project", "naive"):
            tp, fp, fn, p, r = score(rows[who][kind])
            print(f"{kind:<24} {who:<8} {tp:>4} {fp:>4} {fn:>4} {p:>6.2f} {r:>6.2f}")
    if show:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
