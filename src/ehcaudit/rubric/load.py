"""Read a rubric from TOML, reporting every problem with where it is."""

from __future__ import annotations

from typing import Any

import hashlib
import re
import tomllib
from pathlib import Path

from ehcaudit import locations
from ehcaudit.sections.codes import SECTION_CODES
from ehcaudit.errors import RubricError
from ehcaudit.rubric.model import Area, Band, Criterion, Rubric, ScaleValue
from ehcaudit.output.words import plural

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Problems:
    """Collects problems as 'where: what' lines, with a line number when one can be found."""

    def __init__(self, name: str, source: str):
        self.name = name
        self.lines = source.splitlines()
        self.items: list[str] = []

    def line_of(self, pattern: str) -> int | None:
        rx = re.compile(pattern)
        for number, line in enumerate(self.lines, start=1):
            if rx.search(line):
                return number
        return None

    def add(self, where: str, what: str, line: int | None = None) -> None:
        place = f"{self.name}:{line}" if line else self.name
        self.items.append(f"{place}: {where}: {what}" if where else f"{place}: {what}")


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _parse_scale(data: dict[str, Any], p: _Problems) -> list[ScaleValue]:
    raw = data.get("scale")
    if not isinstance(raw, list) or not raw:
        p.add("scale", "missing or empty: add [[scale]] tables with value and label", p.line_of(r"^\s*\[\[?scale"))
        return []
    scale: list[ScaleValue] = []
    for i, item in enumerate(raw):
        where = f"scale[{i}]"
        if not isinstance(item, dict):
            p.add(where, "must be a table with value and label")
            continue
        value, label = item.get("value"), _text(item.get("label"))
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
            p.add(where, f"value must be a whole number from 1 to 9 (got {value!r}); 0 is kept for N/A")
            continue
        if label is None:
            p.add(where, f"value {value} has no label")
            continue
        if any(s.value == value for s in scale):
            p.add(where, f"value {value} appears twice")
            continue
        scale.append(ScaleValue(value, label))
    scale.sort(key=lambda s: s.value, reverse=True)
    return scale


def _parse_areas(data: dict[str, Any], p: _Problems) -> list[Area]:
    raw = data.get("areas")
    if not isinstance(raw, list) or not raw:
        p.add("areas", "missing or empty: add [[areas]] tables with id and title")
        return []
    areas: list[Area] = []
    for i, item in enumerate(raw):
        where = f"areas[{i}]"
        if not isinstance(item, dict):
            p.add(where, "must be a table with id and title")
            continue
        area_id, title = _text(item.get("id")), _text(item.get("title"))
        weight = _number(item.get("weight", 1.0))
        line = p.line_of(rf'^\s*id\s*=\s*"{re.escape(area_id)}"') if area_id else None
        if area_id is None or not _ID.match(area_id):
            p.add(where, f"id must be letters, digits, '-', '_' or '.' (got {item.get('id')!r})", line)
            continue
        if title is None:
            p.add(f"area '{area_id}'", "has no title", line)
        if weight is None or weight <= 0:
            p.add(f"area '{area_id}'", f"weight must be a positive number (got {item.get('weight')!r})", line)
            weight = 1.0
        if any(a.id == area_id for a in areas):
            p.add(f"area '{area_id}'", "duplicate area id", line)
            continue
        areas.append(Area(area_id, title or area_id, weight))
    return areas


_CRITERION_KEYS = {"id", "area", "question", "sections", "guidance", "descriptors", "look_for", "allow_na", "weight"}


def _criterion_sections(sections: object, where: str, line: int | None, p: _Problems) -> list[str]:
    if not isinstance(sections, list) or not sections or not all(isinstance(s, str) for s in sections):
        p.add(where, "sections must be a list of section codes such as [\"A\", \"E\"]", line)
        return []
    for code in sections:
        if code.upper() not in SECTION_CODES:
            p.add(where, f"unknown section code '{code}' (codes are: {' '.join(SECTION_CODES)})", line)
    return sections


def _criterion_descriptors(raw: object, scale_values: set[int], where: str, line: int | None, p: _Problems) -> dict[int, str]:
    if not isinstance(raw, dict):
        p.add(where, "has no [criteria.descriptors] table", line)
        return {}
    descriptors: dict[int, str] = {}
    for key, text in raw.items():
        if not key.isdigit() or int(key) not in scale_values:
            p.add(where, f"descriptor for '{key}', which is not a value on the scale", line)
        elif _text(text) is None:
            p.add(where, f"descriptor for {key} is empty", line)
        else:
            descriptors[int(key)] = text.strip()
    missing = sorted(scale_values - set(descriptors), reverse=True)
    if missing:
        p.add(where, f"no descriptor for scale value(s) {', '.join(map(str, missing))}", line)
    return descriptors


def _criterion_options(item: dict[str, Any], where: str, line: int | None, p: _Problems) -> tuple[list[str], Any, Any]:
    """look_for, allow_na and weight, each checked for its type (used only when no problem was added)."""
    look_for = item.get("look_for", [])
    if not isinstance(look_for, list) or not all(isinstance(s, str) for s in look_for):
        p.add(where, "look_for must be a list of phrases", line)
        look_for = []
    allow_na = item.get("allow_na", False)
    if not isinstance(allow_na, bool):
        p.add(where, f"allow_na must be true or false (got {allow_na!r})", line)
    weight = _number(item.get("weight", 1.0))
    if weight is None or weight <= 0:
        p.add(where, f"weight must be a positive number (got {item.get('weight')!r})", line)
    for key in item:
        if key not in _CRITERION_KEYS:
            p.add(where, f"unknown key '{key}' (known: {', '.join(sorted(_CRITERION_KEYS))})", line)
    return look_for, allow_na, weight


def _parse_criterion(i: int, item: object, scale_values: set[int], area_ids: set[str], p: _Problems) -> Criterion | None:
    if not isinstance(item, dict):
        p.add(f"criteria[{i}]", "must be a table")
        return None
    crit_id = _text(item.get("id"))
    line = p.line_of(rf'^\s*id\s*=\s*"{re.escape(crit_id)}"') if crit_id else None
    if crit_id is None or not _ID.match(crit_id):
        p.add(f"criteria[{i}]", f"id must be letters, digits, '-', '_' or '.' (got {item.get('id')!r})")
        return None
    where = f"criterion '{crit_id}'"
    # Every check below reports and carries on, so one criterion shows all its problems at once.
    problems_before = len(p.items)
    area = _text(item.get("area"))
    if area is None:
        p.add(where, "has no area", line)
    elif area_ids and area not in area_ids:
        p.add(where, f"unknown area '{area}' (areas are: {', '.join(sorted(area_ids))})", line)
    question = _text(item.get("question"))
    if question is None:
        p.add(where, "has no question", line)
    sections = _criterion_sections(item.get("sections"), where, line, p)
    descriptors = _criterion_descriptors(item.get("descriptors"), scale_values, where, line, p)
    look_for, allow_na, weight = _criterion_options(item, where, line, p)
    if len(p.items) > problems_before or area is None or question is None:
        return None
    return Criterion(
        id=crit_id,
        area=area,
        question=question,
        sections=tuple(s.upper() for s in sections),
        guidance=_text(item.get("guidance")) or "",
        descriptors=descriptors,
        look_for=tuple(look_for),
        allow_na=allow_na,
        weight=weight,
    )


def _parse_bands(data: dict[str, Any], scale_values: set[int], p: _Problems) -> list[Band]:
    grading = data.get("grading")
    line = p.line_of(r"^\s*\[grading\]")
    if not isinstance(grading, dict):
        p.add("grading", "missing [grading] table with method and bands")
        return []
    method = grading.get("method")
    if method != "weighted_mean":
        p.add("grading", f"method must be \"weighted_mean\" (got {method!r})", line)
    raw = grading.get("bands")
    if not isinstance(raw, list) or not raw:
        p.add("grading", "bands missing: a list of { min = 3.5, grade = 4 } tables", line)
        return []
    bands: list[Band] = []
    for i, b in enumerate(raw):
        if not isinstance(b, dict) or _number(b.get("min")) is None or b.get("grade") not in scale_values:
            p.add(f"grading.bands[{i}]", "needs min (a number) and grade (a value on the scale)", line)
            continue
        bands.append(Band(float(b["min"]), int(b["grade"])))
    bands.sort(key=lambda b: b.min, reverse=True)
    if bands and bands[-1].min > min(scale_values or {0}):
        p.add("grading.bands", f"the lowest band starts at {bands[-1].min}; it must cover the bottom of the scale", line)
    return bands


def load_rubric_text(source: str, name: str = "<rubric>") -> Rubric:
    """Parse and validate rubric TOML; raise RubricError listing every problem."""
    p = _Problems(name, source)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{name}: not valid TOML: {exc}") from None
    for key in ("id", "title", "version"):
        value = data.get(key)
        if isinstance(value, (int, float)) and key == "version":
            value = str(value)
        if _text(value) is None:
            p.add("", f"missing top-level {key} = \"...\"")
    if _text(data.get("id")) and not _ID.match(data["id"].strip()):
        p.add("", f"id must be letters, digits, '-', '_' or '.' (got {data['id']!r})")
    scale = _parse_scale(data, p)
    scale_values = {s.value for s in scale}
    areas = _parse_areas(data, p)
    area_ids = {a.id for a in areas}
    raw_criteria = data.get("criteria")
    criteria: list[Criterion] = []
    if not isinstance(raw_criteria, list) or not raw_criteria:
        p.add("criteria", "missing or empty: add [[criteria]] tables")
    else:
        seen: set[str] = set()
        for i, item in enumerate(raw_criteria):
            c = _parse_criterion(i, item, scale_values, area_ids, p)
            if c is None:
                continue
            if c.id in seen:
                p.add(f"criterion '{c.id}'", "duplicate criterion id", p.line_of(rf'^\s*id\s*=\s*"{re.escape(c.id)}"'))
                continue
            seen.add(c.id)
            criteria.append(c)
        used = {c.area for c in criteria}
        for a in areas:
            if a.id not in used and not p.items:
                p.add(f"area '{a.id}'", "has no criteria")
    bands = _parse_bands(data, scale_values, p)
    if p.items:
        raise RubricError(f"{name}: {plural(len(p.items), 'problem')}", p.items)
    return Rubric(
        id=data["id"].strip(),
        title=data["title"].strip(),
        version=str(data["version"]).strip(),
        description=_text(data.get("description")) or "",
        scale=tuple(scale),
        areas=tuple(areas),
        criteria=tuple(criteria),
        bands=tuple(bands),
        source=source,
        sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
    )


def load_rubric(path: Path | str) -> Rubric:
    """Read and validate a rubric file."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RubricError(f"{path}: no such rubric file") from None
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not a text file; a rubric is TOML in UTF-8") from None
    except OSError as exc:
        raise RubricError(f"{path}: cannot read ({exc.strerror})") from None
    return load_rubric_text(source, str(path))


def check_rubric_file(path: Path | str) -> list[str]:
    """Every problem in a rubric file, one line each; empty when it is valid."""
    try:
        load_rubric(path)
    except RubricError as exc:
        return exc.problems
    return []


def bundled_rubrics() -> dict[str, Path]:
    """Rubric id -> file for every rubric shipped with ehcaudit."""
    found: dict[str, Path] = {}
    for path in sorted(locations.rubrics_dir().glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            continue
        if isinstance(data.get("id"), str):
            found[data["id"]] = path
    return found


def resolve_rubric(id_or_file: str | None) -> Rubric:
    """A rubric named by file path or bundled id; the default rubric when None."""
    if id_or_file is None:
        return load_rubric(locations.default_rubric_file())
    path = Path(id_or_file)
    if path.suffix == ".toml" or path.exists():
        return load_rubric(path)
    bundled = bundled_rubrics()
    if id_or_file in bundled:
        return load_rubric(bundled[id_or_file])
    known = ", ".join(sorted(bundled)) or "none"
    raise RubricError(f"unknown rubric '{id_or_file}': give a .toml file or a bundled id ({known})")
