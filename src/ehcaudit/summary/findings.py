"""The opening paragraphs of a board paper: what the sample says, in plain English a board reads unedited.

Overall quality, the strongest and weakest areas with their criteria by question, the trend across
audit rounds, whether the grades can be trusted (and on how many double-scored plans), and whose grades
were counted. Plain strings: each format escapes them where it writes them.
"""

from __future__ import annotations

from ehcaudit.output.words import plural
from ehcaudit.summary.agreement import TOO_FEW
from ehcaudit.summary.shape import AreaQuality, CriterionQuality, ScaleEntry, Summary, TrendRow
from ehcaudit.summary.tables import SummaryTable, held_back_line

SMALL_SAMPLE = 10  # fewer plans than this: figures are shown with a warning in words


def _pct(v: float | None) -> str:
    return "no grades" if v is None else f"{v:g}%"


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def small_sample_warning(n: int, what: str = "plan") -> str | None:
    """A warning in words when a figure rests on too few plans to read much into."""
    if n == 0 or n >= SMALL_SAMPLE:
        return None
    if n == 1:
        return f"With only one {what}, this is an example, not a measure: do not read it as the quality of {what}s in general."
    return (f"Based on only {plural(n, what)}: one {what} more or less moves a percentage by about "
            f"{round(100 / n)} points, so read the figures as an indication, not a measure.")


def few_plans_note(t: SummaryTable, sample: int) -> str | None:
    """Under a table of grades: which rows rest on too few plans to read much into.

    None when the whole sample is that small: the findings say so once, for every figure."""
    if sample < SMALL_SAMPLE or not (t.name in ("areas", "criteria") or t.name.startswith("by-")) or "Plans" not in t.header:
        return None
    col = t.header.index("Plans")
    few: list[str] = []
    graded = 0
    for r in t.rows:
        n = r[col]
        if isinstance(n, int) and n > 0:
            graded += 1
            if n < SMALL_SAMPLE:
                few.append(f"{r[0]} ({plural(n, 'plan')})")
    if not few:
        return None
    if len(few) == graded > 1:
        return f"Every row here rests on fewer than {SMALL_SAMPLE} plans: read them as an indication, not a measure."
    return (f"Fewer than {SMALL_SAMPLE} plans behind {listed(few)}: read "
            f"{'that row' if len(few) == 1 else 'those rows'} as an indication, not a measure.")


def _good_label(s: Summary) -> str:
    labels = {x["value"]: x["label"] for x in s["scale"]}
    return f"{labels.get(s.get('good_or_better_from', 3), 'Good')} or better"


def _rounds(cohorts: list[str]) -> str:
    if not cohorts:
        return "In the sample"
    if len(cohorts) == 1:
        return f"In {cohorts[0]}"
    if len(cohorts) <= 4:
        return f"Across the {len(cohorts)} audit rounds {listed(cohorts)}"
    return f"Across the {len(cohorts)} audit rounds from {cohorts[0]} to {cohorts[-1]}"


def _overall(s: Summary, good: str) -> str:
    overall = s["quality"]["overall"]
    n, plans = overall["n"], s["plans"]
    scale = sorted(s["scale"], key=lambda x: x["value"])
    low, high = scale[0], scale[-1]
    mean = (f"a mean grade of {overall['mean']:.2f} on a scale of {low['value']} ({low['label']}) "
            f"to {high['value']} ({high['label']})")
    text = f"{_rounds(s['cohorts'])}, {plural(plans, 'plan')} {_was(plans)} audited. "
    if n == 1:
        grade = next((x["label"] for x in scale if overall["distribution"].get(str(x["value"]))), "")
        text += f"{'That plan' if plans == 1 else 'The one plan with an overall grade'} is graded {grade} overall, with {mean}."
    else:
        count = round((overall["good_or_better_pct"] or 0) * n / 100)
        whole = f"the {n} plans" if n == plans else f"the {plural(n, 'plan')} with an overall grade"
        text += f"{count} of {whole} ({_pct(overall['good_or_better_pct'])}) are {good} overall, with {mean}."
    warning = small_sample_warning(n)
    return text + (f" {warning}" if warning else "")


def _mid(title: str) -> str:
    """An area's title inside a sentence: "the golden thread", not "The golden thread"."""
    return "the" + title[3:] if title.startswith("The ") else title


def _criterion(c: CriterionQuality, question: str, good: str, plans: int, scale: list[ScaleEntry]) -> str:
    if c["n"] == 1:
        grade = next((x["label"] for x in scale if c["distribution"].get(str(x["value"]))), "")
        return f"{c['id']}, “{question}” (graded {grade})"
    few = ""
    if c["n"] < min(SMALL_SAMPLE, plans):
        few = f", though only {plural(c['n'], 'plan')} {_was(c['n'])} graded on it"
    return f"{c['id']}, “{question}” ({_pct(c['good_or_better_pct'])} {good}{few})"


def _areas(s: Summary, good: str) -> str | None:
    q = s["quality"]
    areas = [a for a in q["areas"] if a["n"] and a["good_or_better_pct"] is not None]
    questions = {c["id"]: c.get("question", "") for c in q["criteria"]}
    plans = q["overall"]["n"]

    def words(c: CriterionQuality) -> str:
        return _criterion(c, questions.get(c["id"], ""), good, plans, s["scale"])

    by_area: dict[str, list[CriterionQuality]] = {}
    for c in q["criteria"]:  # weakest first already
        if c["n"]:
            by_area.setdefault(c["area"], []).append(c)
    if len(areas) < 2:
        graded = [c for c in q["criteria"] if c["n"]]
        return f"The weakest criterion is {words(graded[0])}." if graded else None

    def rank(a: AreaQuality) -> tuple[float, float]:
        return (a["good_or_better_pct"] or 0.0, a["mean"] or 0.0)

    ranked = sorted(areas, key=rank)
    weakest, strongest = ranked[0], ranked[-1]
    if rank(weakest) == rank(strongest):
        return f"Every area has the same share of plans {good} ({_pct(weakest['good_or_better_pct'])}) and the same mean grade."
    if weakest["good_or_better_pct"] == strongest["good_or_better_pct"]:
        text = (f"Every area has {_pct(weakest['good_or_better_pct'])} of plans {good}, so the areas are compared by "
                f"mean grade. The strongest area is {_mid(strongest['title'])} (mean {rank(strongest)[1]:.2f})")
        weak = f". The weakest is {_mid(weakest['title'])} (mean {rank(weakest)[1]:.2f})"
    else:
        text = f"The strongest area is {_mid(strongest['title'])} ({_pct(strongest['good_or_better_pct'])} {good})"
        weak = f". The weakest is {_mid(weakest['title'])} ({_pct(weakest['good_or_better_pct'])} {good})"
    strong_c = by_area.get(strongest["id"], [])[-1:]
    weak_c = by_area.get(weakest["id"], [])[:1]
    text += (f", led by {words(strong_c[0])}" if strong_c else "") + weak
    return text + (f", where the weakest criterion is {words(weak_c[0])}" if weak_c else "") + "."


def _trend(s: Summary, good: str) -> str:
    trend: list[TrendRow] = [t for t in s["trend"] if t["overall"]["n"] and t["overall"]["good_or_better_pct"] is not None]
    if len(trend) < 2:
        return "This is the only audit round with grades, so there is no trend yet."
    first, last = trend[0], trend[-1]
    pa, pb = first["overall"]["good_or_better_pct"] or 0.0, last["overall"]["good_or_better_pct"] or 0.0
    shown = trend if len(trend) <= 4 else [first, *trend[-2:]]
    points = [f"{_pct(t['overall']['good_or_better_pct'])} in {t['cohort']} ({plural(t['overall']['n'], 'plan')})" for t in shown]
    if len(trend) > 4:
        points[1] = "… " + points[1]
    if all(t["overall"]["good_or_better_pct"] == pa for t in trend):
        return (f"The share of plans {good} held steady at {_pct(pa)} across the {len(trend)} audit rounds "
                f"from {first['cohort']} to {last['cohort']}.")
    way = "rose" if pb > pa else "fell" if pb < pa else "ended where it started"
    text = f"The share of plans {good} {way}: {points[0]}, then " + listed(points[1:])
    if min(t["overall"]["n"] for t in trend) < SMALL_SAMPLE:
        text += "; with fewer than 10 plans in a round, a change of this size may be chance"
    return text + "."


def _trust(s: Summary) -> str:
    c = s["consistency"]
    agreed = c["overall"]
    plans2 = c.get("plans_scored_by_two_or_more", agreed.get("plans", 0))
    alpha = agreed.get("alpha_ordinal")
    if not agreed.get("pairs") or alpha is None:
        return ("No plan was scored independently by two reviewers, so whether the grades can be trusted "
                "cannot be measured yet; double-score a few plans each round.")
    share = f" ({round(100 * plans2 / s['plans'])}% of the sample)" if s["plans"] else ""
    exact, adjacent = agreed.get("exact_pct"), agreed.get("adjacent_pct")
    same = "never gave the same grade" if exact == 0 else f"gave the same grade {_pct(exact)} of the time"
    near = "always within one grade of each other" if adjacent == 100 else f"within one grade of each other {_pct(adjacent)} of the time"
    ci = agreed.get("alpha_ci95")
    interval = f" (95% interval {ci[0]:.3f} to {ci[1]:.3f})" if ci and ci[0] is not None and ci[1] is not None else ""
    text = (f"On whether the grades can be trusted: {plural(plans2, 'plan')}{share} {_was(plans2)} scored independently "
            f"by two or more reviewers. They {same} and were {near}. Krippendorff's alpha, which allows for agreement "
            f"by chance, is {alpha:.3f}{interval}, ")
    reading = agreed.get("reading")
    if reading == TOO_FEW:
        minimum = c.get("minimum_plans_for_a_reading", 5)
        return text + (f"but {plural(plans2, 'double-scored plan')} {'is' if plans2 == 1 else 'are'} too few to say whether "
                       f"the grades can be trusted (at least {minimum} are needed); double-score more plans next round.")
    if reading == "reliable":
        text += "so the grades can be trusted: reviewers agree closely."
    elif reading == "tentative":
        text += ("so the grades can be trusted only tentatively: reviewers agree, but not closely enough "
                 "to rely on a single reviewer's grades.")
    else:
        text += ("so the grades cannot yet be trusted: reviewers often disagree, and calibration is needed "
                 "before drawing firm conclusions.")
    if plans2 < SMALL_SAMPLE:
        text += f" Agreement measured on only {plural(plans2, 'plan')} is itself uncertain."
    return text


def _sources(s: Summary) -> str | None:
    sources = s.get("grade_sources") or {}
    if not sources:
        return None
    used = s.get("grades_used")
    rule = used["rule_text"] if used else "a rule"
    words = {
        "single review": lambda n: f"for {plural(n, 'plan')} scored once, that review's grades",
        "fully moderated": lambda n: f"for {plural(n, 'plan')} double-scored and moderated, the moderated grades",
        "partly moderated": lambda n: (f"for {plural(n, 'plan')} partly moderated, the moderated grades where there are "
                                       f"any and otherwise {rule}"),
        "unmoderated double-scored": lambda n: f"for {plural(n, 'plan')} double-scored but not yet moderated, {rule}",
    }
    parts = [words[k](v) if k in words else f"{k}: {plural(v, 'plan')}" for k, v in sources.items()]
    return "Grades counted: " + "; ".join(parts) + "."


def findings(s: Summary) -> list[str]:
    """The opening paragraphs: overall quality, strongest and weakest areas, trend, and trust."""
    held = held_back_line(s)  # reviews a blind calibration session holds back: said, never silently left out
    if not s["quality"]["overall"]["n"]:
        where = f" in {listed(s['cohorts'])}" if s["cohorts"] else ""
        return [f"No audit has been submitted yet{where}, so there are no findings to report." + (f" {held}" if held else "")]
    good = _good_label(s)
    paragraphs = [_overall(s, good) + (f" {held}" if held else ""), _areas(s, good), _trend(s, good), _trust(s), _sources(s)]
    return [p for p in paragraphs if p]
