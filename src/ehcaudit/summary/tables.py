"""The summary as plain tables (title, header, rows): the one shape every format is rendered from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SummaryTable:
    name: str  # short, file- and sheet-safe
    title: str
    header: list[str]
    rows: list[list]


def _pct(v):
    return "" if v is None else v


def summary_tables(s: dict) -> list[SummaryTable]:
    scale = [str(x["value"]) for x in s["scale"]]
    labels = {str(x["value"]): x["label"] for x in s["scale"]}
    dist_head = [f"{v} {labels[v]}" for v in scale]

    def quality_row(name, stats, extra=()):
        return [name, *extra, stats["n"], *[stats["distribution"][v] for v in scale], _pct(stats["good_or_better_pct"]), _pct(stats["mean"])]

    q = s["quality"]
    tables = [
        SummaryTable("overall", "Overall quality", ["", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row("Overall grade", q["overall"])]),
        SummaryTable("areas", "Quality by area", ["Area", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row(a["title"], a) for a in q["areas"]]),
        SummaryTable("criteria", "Quality by criterion (weakest first)",
                     ["Criterion", "Area", "Plans", *dist_head, "% Good or better", "Mean", "N/A"],
                     [quality_row(c["id"], c, (c["area"],)) + [c["not_applicable"]] for c in q["criteria"]]),
        SummaryTable("trend", "Trend across audit rounds (cohorts)", ["Cohort", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row(t["cohort"], t["overall"]) for t in s["trend"]]),
    ]
    for by, rows in s["breakdowns"].items():
        tables.append(SummaryTable(f"by-{by}", f"Overall quality by {by}", [by.capitalize(), "Plans", *dist_head, "% Good or better", "Mean"],
                                   [quality_row(r["group"], r["overall"]) for r in rows]))
    c = s["consistency"]

    def agree_row(name, a, extra=()):
        return [name, *extra, a["plans"], a["pairs"], _pct(a["exact_pct"]), _pct(a["adjacent_pct"]),
                "" if a["alpha_ordinal"] is None else a["alpha_ordinal"], a["reading"]]

    head = ["Plans", "Pairs", "% exact", "% adjacent", "Alpha (ordinal)", "Reading"]
    tables.append(SummaryTable("consistency", "Agreement between reviewers", ["", *head],
                               [agree_row("Overall", c["overall"])] + [agree_row(a["title"], a) for a in c["areas"]]))
    tables.append(SummaryTable("agreement-criteria", "Agreement by criterion", ["Criterion", "Area", *head],
                               [agree_row(x["id"], x, (x["area"],)) for x in c["criteria"]]))
    tables.append(SummaryTable(
        "reviewers", "Reviewers (positive difference = more generous)",
        ["Reviewer", "Audits", "Grades", "Mean grade", "vs moderated: n", "vs moderated: mean diff", "vs others: n", "vs others: mean diff"],
        [[r["reviewer"], r["audits"], r["grades"], _pct(r["mean_grade"]), r["vs_moderated"]["n"], _pct(r["vs_moderated"]["mean_difference"]),
          r["vs_other_reviewers"]["n"], _pct(r["vs_other_reviewers"]["mean_difference"])] for r in s["reviewers"]],
    ))
    pre = s.get("prechecks") or {}
    if pre.get("checked"):
        tables.append(SummaryTable(
            "prechecks", f"Pre-check hints ({pre['checked']} plans checked; hints point, they do not grade)",
            ["Hint", "Plans", "% of plans", "Hints", "Marked wrong"],
            [[k["title"], k["plans"], _pct(k["pct"]), k["hints"], k["marked_wrong"]] for k in pre["kinds"]],
        ))
        tables.append(SummaryTable(
            "vague-phrases", "Most common vague phrases in section F", ["Phrase", "Plans", "% of plans"],
            [[f"'{p['phrase']}'", p["plans"], _pct(p["pct"])] for p in pre["vague_phrases"]],
        ))
    from ehcaudit.rounds.actions import action_tables

    return tables + action_tables(s)


def headline(s: dict) -> list[str]:
    """A few sentences for the top of a report."""
    q, c = s["quality"], s["consistency"]["overall"]
    lines = [f"{s['plans']} plans ({', '.join(s['cohorts']) or 'no cohorts'}) from {s['audits']} submitted audits, rubric {s['rubric']['id']} {s['rubric']['version']}."]
    if q["overall"]["n"]:
        lines.append(f"{q['overall']['good_or_better_pct']}% of plans are Good or better overall (mean grade {q['overall']['mean']}).")
    weakest = [x for x in q["criteria"] if x["n"]][:3]
    if weakest:
        lines.append("Weakest criteria: " + "; ".join(f"{x['id']} ({x['good_or_better_pct']}% Good or better)" for x in weakest) + ".")
    if c["pairs"]:
        lines.append(f"{c['plans']} plans were scored by two or more reviewers: {c['exact_pct']}% exact and {c['adjacent_pct']}% adjacent agreement, "
                     f"Krippendorff's alpha {c['alpha_ordinal']} ({c['reading']}).")
    else:
        lines.append("No plan was scored by two reviewers, so consistency cannot be measured yet.")
    sources = ", ".join(f"{n} {k}" for k, n in s["grade_sources"].items())
    if sources:
        lines.append(f"Grades used: {sources}.")
    return lines
