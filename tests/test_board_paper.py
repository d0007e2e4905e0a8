"""The board paper a manager hands in unedited, and the CLI lines around it."""

import csv
import html
import io
import json
import re
import shutil
import subprocess

import pytest

from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.output.words import plural
from ehcaudit.store import open_db
from ehcaudit.store.scores import import_scores
from ehcaudit.summary.board_paper import findings
from ehcaudit.summary.compute import build_summary
from ehcaudit.summary.data import load_sample


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from ehcaudit.demo import build_demo_db

    return build_demo_db(tmp_path_factory.mktemp("demo") / "demo.db")


def test_plural_reads_as_people_write():
    assert plural(1, "plan") == "1 plan" and plural(2, "plan") == "2 plans"
    assert plural(1.0, "step/s") == "1 step/s" and plural(0, "trainee") == "0 trainees"


def test_html_opens_with_findings_in_words_and_names_every_criterion_by_its_question(cli, demo_db, rubric):
    page = cli("summary", "--db", str(demo_db), "--format", "html").stdout
    findings = page[page.index("Findings"):page.index("Grades by area")]
    for words in ("Good or better overall", "The strongest area is", "The weakest is", "can", "trusted",
                  "scored independently by two or more reviewers"):
        assert words in findings, words
    for c in rubric.criteria:
        assert c.question.replace('"', "&quot;").replace("'", "&#x27;") in page, c.id
    assert not re.search(r"\b1 (plans|trainees|steps|pairs|reviews)\b", page)
    assert "@page" in page and "A4" in page and "@media print" in page
    assert "<svg" not in page  # HTML bars: labels wrap, never cut or overlap


def test_a_small_sample_is_flagged_in_words(cli, demo_db):
    page = cli("summary", "--db", str(demo_db), "--format", "md").stdout
    assert "is itself uncertain" in page  # 7 double-scored plans


def test_one_tidy_table_at_a_time_for_a_spreadsheet(cli, demo_db):
    names = cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "list").stdout.split()
    assert {"overall", "areas", "criteria", "trend", "reviewers"} <= set(names)
    rows = list(csv.reader(io.StringIO(cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "criteria").stdout)))
    assert rows[0][:3] == ["Criterion", "Question", "Area"] and len(rows) == 21
    bad = cli("summary", "--db", str(demo_db), "--format", "csv", "--table", "nope")
    assert bad.returncode == 1 and "the tables are: overall" in bad.stderr
    assert cli("summary", "--db", str(demo_db), "--format", "csv").stdout.startswith("table,row,column,value")


def test_an_unknown_cohort_is_an_error_listing_the_known_ones(cli, demo_db):
    result = cli("summary", "--db", str(demo_db), "--cohort", "2099-01")
    assert result.returncode == 1 and "2099-01" in result.stderr and "known cohorts: 2026-11" in result.stderr


def test_scores_export_lists_criteria_in_rubric_order(cli, demo_db, rubric):
    rows = list(csv.DictReader(io.StringIO(cli("scores", "export", "--db", str(demo_db)).stdout)))
    first = [r["criterion"] for r in rows if (r["plan"], r["reviewer"]) == (rows[0]["plan"], rows[0]["reviewer"])]
    assert first == [c.id for c in rubric.criteria if c.id in first]


def test_a_semicolon_separated_scores_file_is_named_as_such(cli, demo_db, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("plan;reviewer;criterion;score\nplan-01;Ann;V1;3\n")
    result = cli("scores", "import", str(path), "--db", str(demo_db))
    assert result.returncode == 1 and "semicolon-separated" in result.stderr and "missing column" not in result.stderr


def test_calibrate_report_never_prints_none(cli, demo_db):
    result = cli("calibrate", "report", "1", "--db", str(demo_db))
    assert result.returncode == 0 and "None" not in result.stdout and "2 trainees" in result.stdout


# ------------------------------------------------------------------ samples built from score sheets


LONG_WORD = "Supercalifragilisticexpialidocious" * 3


def sample(tmp_path, rubric, plans, name="sample"):
    """A database from plans given as (label, cohort, {reviewer: grade for every criterion, or a function of its index})."""
    rows = []
    for label, cohort, reviews in plans:
        for reviewer, grade in reviews.items():
            for i, c in enumerate(rubric.criteria):
                rows.append([label, reviewer, c.id, grade(i) if callable(grade) else grade, "", cohort, "submitted"])
    path = tmp_path / f"{name}.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["plan", "reviewer", "criterion", "score", "note", "cohort", "status"])
        writer.writerows(rows)
    db = open_db(tmp_path / f"{name}.db")
    import_scores(db, read_scores(path, rubric), rubric, path.name)
    return db


def summary(db, rubric):
    return build_summary(rubric, load_sample(db, rubric.id))


def one_plan(tmp_path, rubric):
    return sample(tmp_path, rubric, [("plan-A", "2026-01", {"Sam": lambda i: 2 if i % 3 == 0 else 3})], "one")


def rounds(tmp_path, rubric, double=(0, 2, 4, 6, 8, 10)):
    """12 plans over three rounds that get better (1 in 4 Good, then 2 in 4, then all), some double-scored."""
    plans = []
    for p in range(12):
        cohort = ["2026-01", "2026-02", "2026-03"][p // 4]
        good = p % 4 < [1, 2, 4][p // 4]
        reviews = {"Ann": 3 if good else 2}
        if p in double:
            reviews["Bob"] = (lambda i, g=good: (3 if g else 2) if i % 5 else (2 if g else 1))
        plans.append((f"plan-{p:02d}", cohort, reviews))
    return sample(tmp_path, rubric, plans, "rounds")


SINGULAR_WITH_PLURAL = re.compile(r"\b1 (plans|audits|grades|pairs|reviews|reviewers|values|trainees|criteria|"
                                  r"criterion grades|new label-only plans)\b")


def test_one_plan_is_one_plan_in_every_format(tmp_path, rubric, cli):
    db = one_plan(tmp_path, rubric)
    s = summary(db, rubric)
    from ehcaudit.summary.render import render

    for fmt in ("html", "md", "table", "csv", "json"):
        assert not SINGULAR_WITH_PLURAL.search(render(s, fmt)), fmt
    assert "1 of 1 plan" not in render(s, "md") and "With only one plan, this is an example" in render(s, "md")


def test_importing_one_audit_says_so_in_the_singular(tmp_path, rubric, cli):
    path = tmp_path / "one.csv"
    path.write_text("plan,reviewer,criterion,score\n" + "".join(f"p1,Ann,{c.id},3\n" for c in rubric.criteria))
    out = cli("scores", "import", str(path), "--db", str(tmp_path / "x.db")).stdout
    assert "in 1 audit " in out and "1 new label-only plan)" in out and not SINGULAR_WITH_PLURAL.search(out)


def test_the_trend_runs_from_the_first_round_to_the_last(tmp_path, rubric):
    s = summary(rounds(tmp_path, rubric), rubric)
    trend = next(p for p in findings(s) if p.startswith("The share of plans"))
    assert trend.startswith("The share of plans Good or better rose: 25% in 2026-01 (4 plans), then 50% in 2026-02")
    assert "100% in 2026-03 (4 plans)" in trend and "may be chance" in trend


def test_a_trend_that_holds_steady_says_so_once(tmp_path, rubric):
    plans = [(f"p{p}", ["2026-01", "2026-02"][p % 2], {"Ann": 3}) for p in range(4)]
    s = summary(sample(tmp_path, rubric, plans), rubric)
    trend = next(p for p in findings(s) if p.startswith("The share of plans"))
    assert trend == "The share of plans Good or better held steady at 100% across the 2 audit rounds from 2026-01 to 2026-02."


def test_trust_says_how_many_plans_were_double_scored_out_of_the_sample(tmp_path, rubric):
    s = summary(rounds(tmp_path, rubric), rubric)
    trust = next(p for p in findings(s) if p.startswith("On whether the grades can be trusted"))
    assert trust.startswith("On whether the grades can be trusted: 6 plans (50% of the sample) were scored independently")
    assert "Krippendorff's alpha, which allows for agreement by chance, is " in trust


def test_too_few_double_scored_plans_give_no_verdict_on_trust(tmp_path, rubric):
    s = summary(rounds(tmp_path, rubric, double=(0, 5)), rubric)
    trust = next(p for p in findings(s) if p.startswith("On whether the grades can be trusted"))
    assert "2 double-scored plans are too few to say whether the grades can be trusted (at least 5 are needed)" in trust
    assert "cannot yet be trusted" not in trust and "so the grades can be trusted" not in trust


def test_findings_say_in_words_whose_grades_were_counted(demo_db, rubric):
    s = build_summary(rubric, load_sample(open_db(demo_db), rubric.id))
    assert findings(s)[-1] == ("Grades counted: for 7 plans scored once, that review's grades; for 7 plans double-scored "
                               "but not yet moderated, the mean of the reviews' grades (halves rounded down).")


def test_areas_that_tie_on_the_share_good_are_compared_by_mean_grade(tmp_path, rubric):
    s = summary(one_plan(tmp_path, rubric), rubric)
    areas = findings(s)[1]
    assert areas.startswith("Every area has 100% of plans Good or better, so the areas are compared by mean grade.")
    assert "(graded Requires improvement)" in areas and "0% Good or better" not in areas


def test_a_criterion_graded_on_few_plans_says_so(demo_db, rubric):
    s = build_summary(rubric, load_sample(open_db(demo_db), rubric.id))
    # Outcomes made the weakest area: its weakest criterion is O3, graded on 3 plans (11 N/A, under Year 9).
    s["quality"]["areas"] = [{**a, "good_or_better_pct": 1.0} if a["id"] == "outcomes" else a for a in s["quality"]["areas"]]
    areas = next(p for p in findings(s) if "strongest area" in p)
    assert "The weakest is Outcomes (1% Good or better), where the weakest criterion is O3, “From Year 9" in areas
    assert "though only 3 plans were graded on it" in areas


def test_grade_colours_can_be_told_apart_printed_in_grey():
    from ehcaudit.summary.board_paper import grade_fills, lightness

    for k in (2, 3, 4, 5):
        fills = grade_fills(k)
        assert len(fills) == k and fills[-1][1]  # the worst grade is hatched too
        solid = [lightness(colour) for colour, hatched in fills if not hatched]
        assert all(abs(a - b) >= 15 for i, a in enumerate(solid) for b in solid[i + 1:]), (k, solid)
    lights = [lightness(colour) for colour, _ in grade_fills(4)]
    assert all(abs(a - b) >= 15 for i, a in enumerate(lights) for b in lights[i + 1:]), lights


def test_html_tables_name_criteria_by_question_and_fold_the_area_under_it(demo_db, rubric):
    from ehcaudit.summary.board_paper import to_html

    s = build_summary(rubric, load_sample(open_db(demo_db), rubric.id))
    s["actions"] = {"total": 1, "open": 1, "done": 0, "overdue": 0, "reaudits": [],
                    "by_team": [{"team": "North", "open": 1, "done": 0, "overdue": 0, "total": 1}],
                    "by_criterion": [{"criterion": "G1", "open": 1, "done": 0, "overdue": 0, "total": 1}]}
    page = to_html(s)
    criteria = page[page.index('<table id="criteria">'):]
    criteria = criteria[:criteria.index("</table>")]
    assert "<th scope=\"col\">Area</th>" not in criteria and '<span class="area">The golden thread</span>' in criteria
    actions = page[page.index('<table id="actions-criterion">'):]
    assert "<b>G1</b> Does every educational need in B have an outcome in E and provision in F?" in actions


def test_html_numbers_have_the_same_decimals_down_a_column(demo_db, rubric):
    from ehcaudit.summary.board_paper import to_html

    page = to_html(build_summary(rubric, load_sample(open_db(demo_db), rubric.id)))
    criteria = page[page.index('<table id="criteria">'):]
    criteria = criteria[:criteria.index("</table>")]
    assert '<td class="num">3.00</td>' in criteria and '<td class="num">3.0</td>' not in criteria
    agreement = page[page.index('<table id="agreement-criteria">'):]
    agreement = agreement[:agreement.index("</table>")]
    heads = re.findall(r'<th scope="col">(.*?)</th>', agreement)
    alphas = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)[heads.index("Alpha (ordinal)")]
              for row in re.findall(r"<tr>(.*?)</tr>", agreement)[1:]]
    assert alphas and all(re.fullmatch(r"-?\d\.\d{3}", a) for a in alphas if a[-1].isdigit()), alphas  # 0.120, never 0.12


def test_without_double_scoring_the_paper_says_so_once_instead_of_empty_agreement_tables(tmp_path, rubric):
    from ehcaudit.summary.board_paper import to_html

    page = to_html(summary(one_plan(tmp_path, rubric), rubric))
    assert "not enough double-scored plans" not in page and 'id="agreement-criteria"' not in page
    assert "No plan was scored independently by two reviewers, so there are no agreement figures yet" in page


def test_html_lists_only_double_scored_plans_in_grades_used(tmp_path, rubric):
    from ehcaudit.summary.board_paper import to_html

    page = to_html(summary(rounds(tmp_path, rubric), rubric))
    used = page[page.index('<table id="grades-used">'):]
    used = used[:used.index("</table>")]
    assert used.count("<tr>") == 1 + 6 and ">all</td>" in used and "single review" not in used
    assert "The other 6 plans were scored once; their grades are that review&#x27;s." in page


def test_xlsx_long_text_columns_are_wide_and_wrap(tmp_path, rubric):
    import openpyxl

    from ehcaudit.summary.render import write_xlsx

    path = tmp_path / "s.xlsx"
    write_xlsx(summary(rounds(tmp_path, rubric), rubric), path)
    sheet = openpyxl.load_workbook(path)["criteria"]
    assert sheet["B3"].value == "Question" and sheet.column_dimensions["B"].width >= 50
    assert sheet["B4"].alignment.wrap_text and sheet["C4"].alignment.wrap_text
    assert not SINGULAR_WITH_PLURAL.search(" ".join(str(c.value) for row in openpyxl.load_workbook(path)["summary"].iter_rows()
                                                    for c in row))


# ------------------------------------------------------------------ in a browser: nothing overlaps, nothing is cut


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
A4_TEXT_WIDTH = 688  # CSS px between the 14 mm side margins of A4 (board_paper.css @page)

# Run after the page has laid out: every text box in a chart against every other, every clipping box
# against its content, every table cell against what it holds, and the page against the window.
LAYOUT_PROBE = """<script>
addEventListener('load', () => {
  const W = document.documentElement.clientWidth, out = {width: W, page: document.documentElement.scrollWidth,
    overlaps: [], cut: [], scrolled: [], broken: []};
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + el.textContent.trim().slice(0, 50) + '"';
  for (const fig of document.querySelectorAll('figure')) {
    const boxes = [], walk = document.createTreeWalker(fig, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width && r.height) boxes.push({r, n});
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      if (boxes[i].n === boxes[j].n) continue;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
        out.overlaps.push([boxes[i].n.textContent.trim().slice(0, 40), boxes[j].n.textContent.trim().slice(0, 40)]);
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el), clips = s.overflowX !== 'visible' || s.overflowY !== 'visible';
    const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (clips && over) (el.classList.contains('scroll') ? out.scrolled : out.cut).push(name(el));
    else if ((el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + 1) out.cut.push('spills: ' + name(el));
    if (el.getBoundingClientRect().right > W + 1 && !el.closest('.scroll')) out.cut.push('off the page: ' + name(el));
  }
  // Our own words (headers, figures, readings) are never split across lines: only labels and questions may be.
  for (const cell of document.querySelectorAll('td:not(.q), thead th')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) for (const m of n.textContent.matchAll(/[^\\s-]+/g)) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      if (new Set([...r.getClientRects()].filter(x => x.width).map(x => Math.round(x.top))).size > 1) out.broken.push(m[0]);
    }
  }
  const pre = document.createElement('pre'); pre.id = 'layout-report'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium(tmp_path, *args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


def layout(tmp_path, page, width, printed=False):
    """What the probe found with the window `width` px wide (printed: the print stylesheet, at A4's text width)."""
    if printed:
        page = page.replace("@media print{", "@media all{")
    path = tmp_path / f"probe-{width}-{printed}.html"
    path.write_text(page.replace("</body>", LAYOUT_PROBE + "</body>"))
    dom = chromium(tmp_path, f"--window-size={width},900", "--dump-dom", path.as_uri()).stdout
    found = re.search(r'<pre id="layout-report">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def hostile_rounds(tmp_path, rubric):
    """Two rounds, half the plans double-scored, with labels no layout expects."""
    labels = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", LONG_WORD, "خطة التعليم والرعاية الصحية",
              "plan 🧒🏽 emoji", "+SUM(A1:A9)", "@import", "-2+3", "plan-09", "plan-10", "plan-11", "plan-12"]
    plans = []
    for p, label in enumerate(labels):
        reviews = {"A. Reviewer" if p % 3 else "<b>Bold</b> & Co": lambda i, p=p: 1 + (i + p) % 4}
        if p % 2 == 0:
            reviews["=HYPERLINK(\"http://x\")"] = lambda i, p=p: 1 + (i + p + i % 3) % 4
        plans.append((label, ["2026-01", LONG_WORD[:40]][p % 2], reviews))
    return sample(tmp_path, rubric, plans, "hostile")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (CI installs it)")
def test_the_layout_probe_sees_labels_drawn_over_each_other_and_cut(tmp_path):
    page = ("<!doctype html><html><body><figure><span style='position:absolute;left:10px'>2 Requires improvement</span>"
            "<span style='position:absolute;left:30px'>1 Inadequate</span></figure>"
            "<div style='width:60px;overflow:hidden;white-space:nowrap'>Health and social care contributions</div></body></html>")
    found = layout(tmp_path, page, 800)
    assert found["overlaps"] == [["2 Requires improvement", "1 Inadequate"]]
    assert found["cut"] == ['div "Health and social care contributions"']


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (CI installs it)")
@pytest.mark.parametrize("width, printed", [(1366, False), (800, False), (A4_TEXT_WIDTH, True)])
@pytest.mark.parametrize("data", ["hostile", "demo"])
def test_in_a_browser_no_chart_label_overlaps_or_is_cut_and_nothing_runs_off_the_page(tmp_path, rubric, demo_db, data,
                                                                                      width, printed):
    from ehcaudit.summary.board_paper import to_html

    db = hostile_rounds(tmp_path, rubric) if data == "hostile" else open_db(demo_db)
    page = to_html(summary(db, rubric))
    found = layout(tmp_path, page, width, printed)
    assert found["overlaps"] == [] and found["cut"] == [] and found["broken"] == []
    assert found["page"] <= found["width"]
    if width != 800:  # in a narrow window a wide table may scroll in its own box; on a desktop and on A4 none does
        assert found["scrolled"] == []


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None, reason="needs headless Chromium and pdftotext")
def test_printed_to_pdf_it_is_a4_with_no_blank_page_and_every_question(tmp_path, rubric, demo_db):
    from ehcaudit.summary.board_paper import to_html

    path = tmp_path / "board.html"
    path.write_text(to_html(build_summary(rubric, load_sample(open_db(demo_db), rubric.id))))
    pdf = tmp_path / "board.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", path.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info), info
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")[:-1]
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in text
        assert len(re.sub(r"\s|Page \d+ of \d+", "", text)) > 40, f"page {i} is all but blank"
    words = " ".join(" ".join(pages).split())
    for c in rubric.criteria:
        assert " ".join(c.question.split()[:6]) in words, c.id  # every question is on paper, none cut off


def test_before_any_audit_the_paper_says_so_in_a_sentence(plans_db, rubric):
    from ehcaudit.summary.render import to_markdown

    md = to_markdown(summary(plans_db, rubric))
    assert md.startswith("# EHC plan quality: all cohorts\n\n## Findings\n\n"
                         "No audit has been submitted yet, so there are no findings to report.\n")


def test_rows_resting_on_few_plans_are_flagged_in_words_under_their_table(demo_db, rubric):
    from ehcaudit.summary.board_paper import to_html
    from ehcaudit.summary.render import to_markdown

    s = build_summary(rubric, load_sample(open_db(demo_db), rubric.id), by=["phase"])
    md, page = to_markdown(s), to_html(s)
    criteria = md[md.index("## Quality by criterion"):md.index("## Trend")]
    assert "Fewer than 10 plans behind O3 (3 plans): read that row as an indication, not a measure." in criteria
    phase = md[md.index("## Overall quality by phase"):]
    assert "Every row here rests on fewer than 10 plans" in phase[:phase.index("\n## ", 5)]
    assert '<p class="warning">Fewer than 10 plans behind O3 (3 plans)' in page
