"""Rubric files: the default is valid; every kind of mistake is reported with where it is."""

import json

import pytest

from ehcaudit.errors import RubricError
from ehcaudit.rubric import derive_grades, load_rubric_text
from ehcaudit.locations import default_rubric_file

GOOD = default_rubric_file().read_text()


def problems_of(text: str) -> list[str]:
    try:
        load_rubric_text(text, "r.toml")
    except RubricError as exc:
        return exc.problems
    return []


def test_default_rubric_is_valid_and_covers_the_areas_users_named(rubric):
    assert problems_of(GOOD) == []
    titles = " ".join(a.title.lower() for a in rubric.areas)
    for words in ("voice", "health and social care", "outcomes", "needs", "provision", "golden thread"):
        assert words in titles
    for area in rubric.areas:
        assert 3 <= len(rubric.criteria_in(area.id)) <= 6
    assert rubric.scale_values == (4, 3, 2, 1)
    assert all(set(c.descriptors) == {1, 2, 3, 4} for c in rubric.criteria)


def test_bad_toml_is_one_line_with_the_position():
    [line] = problems_of('id = "x"\nscale = [1,,2]\n')
    assert line.startswith("r.toml: not valid TOML") and "line" in line


def test_missing_scale_is_reported():
    text = GOOD.replace("[[scale]]", "[[notscale]]")
    assert any("scale: missing or empty" in p for p in problems_of(text))


def test_duplicate_criterion_id_is_reported_with_its_line():
    text = GOOD.replace('id = "V2"', 'id = "V1"')
    [p] = [p for p in problems_of(text) if "duplicate criterion id" in p]
    assert p.startswith("r.toml:") and "'V1'" in p
    line_number = int(p.split(":")[1])
    assert 'id = "V1"' in GOOD.replace('id = "V2"', 'id = "V1"').splitlines()[line_number - 1]


def test_unknown_area_is_reported():
    text = GOOD.replace('area = "needs"', 'area = "neds"', 1)
    assert any("unknown area 'neds'" in p for p in problems_of(text))


def test_descriptor_for_a_value_not_on_the_scale():
    text = GOOD.replace('4 = "The child\'s own words', '5 = "The child\'s own words', 1)
    found = problems_of(text)
    assert any("descriptor for '5', which is not a value on the scale" in p for p in found)
    assert any("no descriptor for scale value(s) 4" in p for p in found)


def test_unknown_section_code():
    text = GOOD.replace('sections = ["A"]', 'sections = ["Z"]', 1)
    assert any("unknown section code 'Z'" in p for p in problems_of(text))


def test_every_problem_is_reported_not_just_the_first():
    text = GOOD.replace('sections = ["A"]', 'sections = ["Z"]', 1).replace('area = "needs"', 'area = "neds"', 1)
    assert len(problems_of(text)) >= 2


def test_weighted_mean_bands(rubric):
    grades = {c.id: 4 for c in rubric.criteria}
    grades.update({c.id: 1 for c in rubric.criteria_in("voice")})
    derived = derive_grades(rubric, grades)
    assert derived.area_grades["voice"] == 1
    assert derived.area_grades["outcomes"] == 4
    # (1.5*1 + 1.0*4 + 1.5*4 + 1.5*4 + 1.0*4 + 1.0*4) / 7.5 = 3.4 -> band 2.5..3.5 = Good
    assert derived.overall_mean == pytest.approx(3.4)
    assert derived.overall_grade == 3


def test_not_applicable_is_left_out_of_the_mean(rubric):
    grades = {c.id: 2 for c in rubric.criteria}
    grades["H2"] = None
    grades["H4"] = None
    assert derive_grades(rubric, grades).area_means["health-care"] == 2


def test_cli_check_ok(cli):
    result = cli("rubric", "check", str(default_rubric_file()))
    assert result.returncode == 0 and ": ok:" in result.stdout


@pytest.mark.parametrize(
    "text",
    ['id = "x"\n[[scale]\n', GOOD.replace('area = "needs"', 'area = "neds"', 1), "", "\x00\x01binary"],
)
def test_cli_check_bad_rubric_exits_non_zero_without_traceback(cli, tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = cli("rubric", "check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert all(line.startswith(str(path)) for line in result.stderr.splitlines())


def test_cli_check_missing_file(cli, tmp_path):
    result = cli("rubric", "check", str(tmp_path / "nope.toml"))
    assert result.returncode == 1 and "no such rubric file" in result.stderr and "Traceback" not in result.stderr


def test_cli_show_json_round_trips_the_rubric(cli, rubric):
    result = cli("rubric", "show", "--format", "json")
    data = json.loads(result.stdout)
    assert data["id"] == rubric.id and len(data["criteria"]) == len(rubric.criteria)
    assert data["scale"][0] == {"value": 4, "label": "Outstanding"}


def test_cli_show_text_by_file_and_unknown_id(cli):
    assert "Voice of the child" in cli("rubric", "show", str(default_rubric_file())).stdout
    result = cli("rubric", "show", "no-such-rubric")
    assert result.returncode == 1 and "unknown rubric" in result.stderr
