"""The summary as plain tables (title, header, rows): the one shape every format is rendered from."""

from __future__ import annotations

from dataclasses import dataclass

from ehcaudit.output.words import plural
from ehcaudit.summary.shape import AgreementReading, GradeStats, Summary

Cell = str | int | float | None  # what a table cell holds


@dataclass
class SummaryTable:
    name: str  # short, file- and sheet-safe
    title: str
    header: list[str]
    rows: list[list[Cell]]


def _pct(v: float | None) -> float | str:
    return "" if v is None else v


def summary_tables(s: Summary) -> list[SummaryTable]:
    scale = [str(x["value"]) for x in s["scale"]]
    labels = {str(x["value"]): x["label"] for x in s["scale"]}
    dist_head = [f"{v} {labels[v]}" for v in scale]

    def quality_row(name: str, stats: GradeStats, extra: tuple[str, ...] = ()) -> list[Cell]:
        return [name, *extra, stats["n"], *[stats["distribution"][v] for v in scale], _pct(stats["good_or_better_pct"]), _pct(stats["mean"])]

    q = s["quality"]
    area_title = {a["id"]: a["title"] for a in q["areas"]}
    question = {c["id"]: c.get("question", "") for c in q["criteria"]}
    tables = [
        SummaryTable("overall", "Overall quality", ["", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row("Overall grade", q["overall"])]),
        SummaryTable("areas", "Quality by area", ["Area", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row(a["title"], a) for a in q["areas"]]),
        SummaryTable("criteria", "Quality by criterion (weakest first)",
                     ["Criterion", "Question", "Area", "Plans", *dist_head, "% Good or better", "Mean", "N/A"],
                     [quality_row(c["id"], c, (question.get(c["id"], ""), area_title.get(c["area"], c["area"]))) + [c["not_applicable"]]
                      for c in q["criteria"]]),
        SummaryTable("trend", "Trend across audit rounds (cohorts)", ["Cohort", "Plans", *dist_head, "% Good or better", "Mean"],
                     [quality_row(t["cohort"], t["overall"]) for t in s["trend"]]),
    ]
    for by, rows in s["breakdowns"].items():
        tables.append(SummaryTable(f"by-{by}", f"Overall quality by {by}", [by.capitalize(), "Plans", *dist_head, "% Good or better", "Mean"],
                                   [quality_row(r["group"], r["overall"]) for r in rows]))
    c = s["consistency"]

    def agree_row(name: str, a: AgreementReading, extra: tuple[str, ...] = ()) -> list[Cell]:
        ci = a["alpha_ci95"]
        return [name, *extra, a["plans"], a["pairs"], _pct(a["exact_pct"]), _pct(a["adjacent_pct"]), a["na_against_grade_pairs"],
                "" if a["alpha_ordinal"] is None else a["alpha_ordinal"], "" if ci is None else f"{ci[0]} to {ci[1]}",
                a["alpha_n_values"], a["reading"]]

    head = ["Plans", "Pairs", "% exact", "% adjacent", "N/A against a grade", "Alpha (ordinal)", "95% interval", "n values", "Reading"]
    tables.append(SummaryTable("consistency", "Agreement between reviewers", ["", *head],
                               [agree_row("Overall", c["overall"])] + [agree_row(a["title"], a) for a in c["areas"]]))
    tables.append(SummaryTable("agreement-criteria", "Agreement by criterion", ["Criterion", "Question", "Area", *head],
                               [agree_row(x["id"], x, (question.get(x["id"], ""), area_title.get(x["area"], x["area"])))
                                for x in c["criteria"]]))
    used = s.get("grades_used")
    if used:
        tables.append(SummaryTable(
            "grades-used", f"Grades used per plan (unmoderated criteria of double-scored plans: {used['rule_text']})",
            ["Plan", "Reviews", "Grades used", "Moderated", "Only review", "By the rule", "Criteria by the rule"],
            [[p["plan"], p["reviews"], p["status"], *[sum(1 for v in p["criteria"].values() if v == k)
                                                      for k in ("moderated", "only review", "by the rule")],
              " ".join(cid for cid, v in p["criteria"].items() if v == "by the rule")] for p in used["plans"]],
        ))
    tables.append(SummaryTable(
        "reviewers", "Reviewers (positive difference = more generous)",
        ["Reviewer", "Audits", "Grades", "Mean grade", "vs moderated: n", "vs moderated: mean diff", "vs others: n", "vs others: mean diff"],
        [[r["reviewer"], r["audits"], r["grades"], _pct(r["mean_grade"]), r["vs_moderated"]["n"], _pct(r["vs_moderated"]["mean_difference"]),
          r["vs_other_reviewers"]["n"], _pct(r["vs_other_reviewers"]["mean_difference"])] for r in s["reviewers"]],
    ))
    pre = s.get("prechecks") or {}
    if pre.get("checked"):
        tables.append(SummaryTable(
            "prechecks", f"Pre-check hints ({plural(pre['checked'], 'plan')} checked; hints point, they do not grade)",
            ["Hint", "Plans", "% of plans", "Hints", "Marked wrong"],
            [[k["title"], k["plans"], _pct(k["pct"]), k["hints"], k["marked_wrong"]] for k in pre["kinds"]],
        ))
        tables.append(SummaryTable(
            "vague-phrases", "Most common vague phrases in section F", ["Phrase", "Plans", "% of plans"],
            [[f"'{p['phrase']}'", p["plans"], _pct(p["pct"])] for p in pre["vague_phrases"]],
        ))
    from ehcaudit.rounds.actions import action_tables

    return tables + action_tables(s)


def held_back_text(audits: int, sessions: list[int]) -> str:
    """Why some submitted reviews are not counted yet, in words: "1 audit held back while calibration session 2
    is blind; it returns when the trainer reveals the session" ("" when none is)."""
    if not audits:
        return ""
    one = len(sessions) == 1
    ids = [str(i) for i in sessions]
    named = ids[0] if one else f"{', '.join(ids[:-1])} and {ids[-1]}"
    back = "it returns" if audits == 1 else "they return"
    return (f"{plural(audits, 'audit')} held back while calibration {'session' if one else 'sessions'} {named} "
            f"{'is' if one else 'are'} blind; {back} when the {'trainer reveals the session' if one else 'trainers reveal the sessions'}")


def held_back_line(s: Summary) -> str | None:
    """The summary's sentence on reviews a blind calibration session holds back, if any."""
    held = s.get("held_back")
    return f"{held_back_text(held['audits'], held['sessions'])}." if held and held["audits"] else None


def headline(s: Summary) -> list[str]:
    """A few sentences for the top of a report."""
    q, c = s["quality"], s["consistency"]["overall"]
    lines = [f"{plural(s['plans'], 'plan')} ({', '.join(s['cohorts']) or 'no cohorts'}) from {plural(s['audits'], 'submitted audit')}, "
             f"rubric {s['rubric']['id']} {s['rubric']['version']}."]
    held = held_back_line(s)
    if held:
        lines.append(held)
    if q["overall"]["n"]:
        lines.append(f"{q['overall']['good_or_better_pct']}% of plans are Good or better overall (mean grade {q['overall']['mean']}).")
    weakest = [x for x in q["criteria"] if x["n"]][:3]
    if weakest:
        lines.append("Weakest criteria: " + "; ".join(f"{x['id']} ({x['good_or_better_pct']}% Good or better)" for x in weakest) + ".")
    if c["pairs"]:
        ci = c["alpha_ci95"]
        alpha = "not computable" if c["alpha_ordinal"] is None or ci is None else (
            f"{c['alpha_ordinal']} (95% interval {ci[0]} to {ci[1]}, n = {plural(c['alpha_n_values'], 'value')} from {plural(c['alpha_plans'], 'plan')})")
        lines.append(f"{plural(c['plans'], 'plan')} {'was' if c['plans'] == 1 else 'were'} scored by two or more reviewers: {c['exact_pct']}% exact and {c['adjacent_pct']}% adjacent agreement, "
                     f"Krippendorff's alpha {alpha}: {c['reading']}.")
        lines.append("N/A against a grade counts as a disagreement in % exact and % adjacent; "
                     "Krippendorff's alpha leaves N/A out as a missing value.")
    else:
        lines.append("No plan was scored by two reviewers, so consistency cannot be measured yet.")
    counts = s["grade_sources"]
    if counts:
        order = ["fully moderated", "partly moderated", "unmoderated double-scored", "single review"]
        words = {"single review": "with a single review"}
        plans = "; ".join(f"{counts[k]} {words.get(k, k)}" for k in order if counts.get(k))
        line = f"Grades used: {plans}."
        used = s.get("grades_used")
        if used and used["criteria"].get("by the rule"):
            by_rule = used["criteria"]["by the rule"]
            line += (f" {plural(by_rule, 'criterion grade')} of double-scored plans {'is' if by_rule == 1 else 'are'} not moderated yet: they use "
                     f"{used['rule_text']} (the rule can be changed; see 'Grades used per plan').")
        lines.append(line)
    return lines
