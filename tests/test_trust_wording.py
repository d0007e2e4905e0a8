"""Small things said right: one warning per cause, every rubric problem listed, N/A said as N/A."""

import pytest

from ehcaudit.store import audits as A
from ehcaudit.store import calibration as K
from ehcaudit.store.plans import get_plan, list_plans
from ehcaudit.training.session_pack import build_pack, calibration_text, pack_markdown


def test_a_missing_section_is_one_warning_not_two(plans_db, sample_plans_dir):
    from ehcaudit.ingest.read_plan import analyse_pdf

    warnings = [w.message for w in analyse_pdf(sample_plans_dir / "plan-09.pdf").warnings]
    about_j = [w for w in warnings if "J" in w.split("(")[0]]
    assert about_j == ["section J (personal budget) was not found"], warnings
    stored = [w.message for w in get_plan(plans_db, "plan-09").warnings]
    assert stored == warnings


def test_a_criterion_everyone_called_na_says_all_na(plans_db, rubric):
    plan = next(p.id for p in list_plans(plans_db) if p.label == "plan-02")

    def audit(who, session=None):
        a = K.open_training_audit(plans_db, session, who, rubric) if session else A.open_audit(plans_db, plan, who, rubric)
        for c in rubric.criteria:
            if c.id == "O3":
                A.set_grade(plans_db, a.id, rubric, c.id, None, who)
                A.set_note(plans_db, a.id, c.id, "Primary age.", who)
            else:
                A.set_grade(plans_db, a.id, rubric, c.id, 3, who)
        A.submit(plans_db, a.id, rubric, who)
        return a

    sid = K.start_session(plans_db, "Induction", audit("Expert").id, "Expert", for_training=True)
    audit("Ann", sid)
    audit("Bob", sid)
    pack = build_pack(plans_db, sid, rubric)
    [o3] = [line for line in calibration_text(pack).splitlines() if line.strip().startswith("O3")]
    assert "reference N/A" in o3 and "spread all N/A" in o3 and "no grades yet" not in o3
    assert "Spread: all N/A" in pack_markdown(pack)


BAD_RUBRIC = """id = "bad"
title = "Bad"
version = "1"

[[scale]]
value = 1
label = "One"

[[scale]]
value = 1
label = "Again"

[[areas]]
id = "a"
title = "A"
weight = -1

[[criteria]]
id = "X1"
area = "nowhere"
question = ""
sections = ["Q"]
"""


@pytest.mark.parametrize("command", [["sample", "--size", "3"], ["summary"]])
def test_a_bad_rubric_lists_every_problem_wherever_it_is_used(cli, tmp_path, plans_db_path, command):
    path = tmp_path / "bad2.toml"
    path.write_text(BAD_RUBRIC)
    checked = cli("rubric", "check", str(path))
    problems = checked.stderr.strip().splitlines()
    assert checked.returncode == 1 and len(problems) >= 3
    used = cli(*command, "--rubric", str(path), "--db", str(plans_db_path))
    lines = used.stderr.strip().splitlines()
    assert used.returncode == 1 and "Traceback" not in used.stderr
    assert lines[:-1] == problems and lines[-1].startswith("error: ") and "problems (listed above)" in lines[-1]
