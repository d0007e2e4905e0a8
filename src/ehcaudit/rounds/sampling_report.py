"""What `ehcaudit sample` prints: the round, the seed, the strata with their exact and drawn shares, the plans."""

from __future__ import annotations

from typing import Any

import json

from ehcaudit.output.words import plural
from ehcaudit.store.db import Database

from ehcaudit.rounds.sampling import Sample
from ehcaudit.rounds.text import plain, text_table
from ehcaudit.store import rounds as round_store


def sample_dict(db: Database, rnd: round_store.RoundRow, sample: Sample) -> dict[str, Any]:
    plans = round_store.round_plans(db, rnd.id)
    return {
        "round": {"id": rnd.id, "name": rnd.name, "cohort": rnd.cohort, "rubric": rnd.rubric_id},
        "seed": sample.seed, "size": sample.size, "population": sample.population,
        "stratify": sample.stratify, "double_share": sample.double_share, "double_scored": len(sample.double),
        "strata": [{"stratum": s.key or "all plans", "population": s.population, "exact_share": round(s.quota, 2),
                    "sampled": s.sampled} for s in sample.strata],
        "plans": [{"plan": p.label, "plan_id": p.plan_id, "stratum": p.stratum or "all plans", "double": p.double} for p in plans],
    }


def sample_report(db: Database, rnd: round_store.RoundRow, sample: Sample, fmt: str = "table") -> str:
    d = sample_dict(db, rnd, sample)
    if fmt == "json":
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    how = f"stratified by {', '.join(sample.stratify)}" if sample.stratify else "simple random sample"
    lines = [(f"round {rnd.id} '{plain(rnd.name)}': {sample.size} of {plural(sample.population, 'plan')}, {how}, "
              f"{len(sample.double)} marked for double review, seed {sample.seed}"),
             (f"(redraw the same sample with --seed {sample.seed}; share it out with: ehcaudit assign --round {rnd.id} "
              "--reviewer NAME ... --due YYYY-MM-DD)"), ""]
    if sample.stratify:
        lines += text_table(["Stratum", "Plans", "Exact share", "Sampled"],
                            [[plain(s["stratum"]), str(s["population"]), f"{s['exact_share']:.2f}", str(s["sampled"])]
                             for s in d["strata"]]) + [""]
    lines += text_table(["Plan", "Stratum", "Double review"],
                        [[plain(p["plan"]), plain(p["stratum"]), "yes" if p["double"] else ""] for p in d["plans"]])
    return "\n".join(lines) + "\n"
