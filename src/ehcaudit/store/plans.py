"""Plans, their pages, sections and warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

from ehcaudit.errors import EhcauditError, NotFound
from ehcaudit.sections import Section
from ehcaudit.sections.codes import SECTION_CODES
from ehcaudit.sections.plan_warnings import PlanWarning, WarningKind
from ehcaudit.store.db import Database, now, transaction

if TYPE_CHECKING:  # the plan list, at every start, needs neither the cleaner nor PDF code
    from ehcaudit.sections.clean import SetAside

METADATA_FIELDS = ("phase", "primary_need", "setting", "team")


@dataclass(frozen=True)
class StoredSection(Section):
    source: str = "found"  # or "corrected", by a reviewer


@dataclass
class PlanRow:
    id: int
    label: str
    cohort: str | None
    page_count: int
    has_pdf: bool
    file_name: str | None = None
    metadata: dict[str, str | None] = field(default_factory=dict)
    section_codes: list[str] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    redaction_warning: str | None = None  # what the redaction check found, if anything


def plan_by_sha(db: Database, sha256: str) -> int | None:
    row = db.execute("SELECT id FROM plans WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


class DuplicatePlan(EhcauditError):
    """The same file (by sha256) is already stored, perhaps by another import running at the same time."""

    def __init__(self, plan_id: int):
        super().__init__(f"duplicate of plan {plan_id}, already imported")
        self.plan_id = plan_id


@dataclass(frozen=True)
class AddedPlan:
    id: int
    label: str


def free_label(conn: sqlite3.Connection, label: str, folder: str | None = None) -> str:
    """label itself if no plan has it; else 'folder/label'; else that with -2, -3, ... added."""
    def taken(candidate: str) -> bool:
        return conn.execute("SELECT 1 FROM plans WHERE label = ?", [candidate]).fetchone() is not None

    if not taken(label):
        return label
    base = f"{folder}/{label}" if folder else label
    if not taken(base):
        return base
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def insert_plan(conn: sqlite3.Connection, label: str, cohort: str | None, *, file_name: str | None = None,
                sha256: str | None = None, page_count: int = 0, has_pdf: bool = False,
                metadata: dict[str, str] | None = None, at: str | None = None) -> int:
    """One row of plans inside the caller's transaction (a label-only plan by default); its id."""
    metadata = metadata or {}
    cur = conn.execute(
        "INSERT INTO plans (label, file_name, sha256, cohort, page_count, has_pdf, phase, primary_need, setting, team, imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [label, file_name, sha256, cohort, page_count, int(has_pdf)]
        + [metadata.get(k) or None for k in METADATA_FIELDS]
        + [at or now()],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def add_plan(
    db: Database,
    *,
    label: str,
    file_name: str | None,
    sha256: str | None,
    pages: list[str],
    sections: list[Any],
    warnings: list[PlanWarning],
    cohort: str | None,
    metadata: dict[str, str] | None = None,
    has_pdf: bool = True,
    folder: str | None = None,
    set_aside: list[SetAside] | None = None,
) -> AddedPlan:
    """Store one plan with its pages, sections, warnings and set-aside lines in one transaction.

    The label is made unique (see free_label); DuplicatePlan if the same file is already stored.
    Both are decided under the write lock, so imports running at the same time cannot collide.
    """
    metadata = metadata or {}
    with transaction(db) as conn:
        if sha256 is not None:
            row = conn.execute("SELECT id FROM plans WHERE sha256 = ?", [sha256]).fetchone()
            if row:
                raise DuplicatePlan(row[0])
        label = free_label(conn, label, folder)
        plan_id = insert_plan(conn, label, cohort, file_name=file_name, sha256=sha256, page_count=len(pages),
                              has_pdf=has_pdf, metadata=metadata)
        conn.executemany(
            "INSERT INTO pages (plan_id, page_number, text) VALUES (?, ?, ?)",
            [(plan_id, n, text) for n, text in enumerate(pages, start=1)],
        )
        conn.executemany(
            "INSERT INTO sections (plan_id, code, heading, score, page_start, page_end, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(plan_id, s.code, s.heading, s.score, s.page_start, s.page_end, s.text) for s in sections],
        )
        conn.executemany(
            "INSERT INTO plan_warnings (plan_id, kind, message) VALUES (?, ?, ?)",
            [(plan_id, WarningKind(w.kind).value, w.message) for w in warnings],
        )
        conn.executemany(
            "INSERT INTO set_aside_lines (plan_id, page_number, place, text, why) VALUES (?, ?, ?, ?, ?)",
            [(plan_id, a.page, a.place, a.text, a.why) for a in set_aside or []],
        )
    return AddedPlan(plan_id, label)


def _kind(value: str) -> WarningKind:
    try:
        return WarningKind(value)
    except ValueError:
        return WarningKind.OTHER


def list_plans(db: Database, cohort: str | None = None, plan_id: int | None = None) -> list[PlanRow]:
    """Every plan (or one), newest cohort first then by label."""
    clauses: list[str] = []
    params: list[str | int] = []
    if cohort:
        clauses.append("p.cohort = ?")
        params.append(cohort)
    if plan_id is not None:
        clauses.append("p.id = ?")
        params.append(plan_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.execute(
        f"""SELECT p.id, p.label, p.cohort, p.page_count, p.has_pdf, p.file_name, p.phase, p.primary_need, p.setting, p.team,
               (SELECT group_concat(code, ' ') FROM (SELECT code FROM sections s WHERE s.plan_id = p.id ORDER BY page_start, code)),
               (SELECT json_group_array(json_array(kind, message)) FROM (SELECT kind, message FROM plan_warnings w
                    WHERE w.plan_id = p.id ORDER BY w.id)),
               (SELECT message FROM plan_warnings w WHERE w.plan_id = p.id AND w.kind = 'redaction' ORDER BY w.id LIMIT 1)
            FROM plans p {where} ORDER BY p.cohort DESC, p.label""",
        params,
    ).fetchall()
    return [
        PlanRow(
            id=r[0],
            label=r[1],
            cohort=r[2],
            page_count=r[3],
            has_pdf=bool(r[4]),
            file_name=r[5],
            metadata=dict(zip(METADATA_FIELDS, r[6:10])),
            section_codes=(r[10] or "").split(),
            warnings=[PlanWarning(_kind(k), m) for k, m in json.loads(r[11] or "[]")],
            redaction_warning=r[12],
        )
        for r in rows
    ]


def get_plan(db: Database, plan: int | str) -> PlanRow:
    """A plan by id or label; NotFound names what was asked for."""
    if isinstance(plan, int) or (isinstance(plan, str) and plan.isdigit()):
        row = db.execute("SELECT id FROM plans WHERE id = ?", [int(plan)]).fetchone()
    else:
        row = db.execute("SELECT id FROM plans WHERE label = ? ORDER BY id DESC", [plan]).fetchone()
    if row is None:
        raise NotFound(f"no plan '{plan}' in this database; `ehcaudit plans` lists them")
    return list_plans(db, plan_id=row[0])[0]


def plan_sections(db: Database, plan_id: int) -> dict[str, StoredSection]:
    """The plan's sections by code, in document order."""
    rows = db.execute(
        "SELECT code, heading, score, page_start, page_end, text, source FROM sections WHERE plan_id = ? ORDER BY page_start, rowid",
        [plan_id],
    ).fetchall()
    return {r[0]: StoredSection(code=r[0], heading=r[1], score=r[2], page_start=r[3], page_end=r[4], text=r[5], source=r[6]) for r in rows}


@dataclass(frozen=True)
class SectionStates:
    """What a plan's sections say about themselves: absent, a heading with no text, or a plain "none"."""

    absent: list[str]
    empty: list[str]  # a heading with no text under it
    says_none: dict[str, str]  # code -> the plan's own words ("None identified.")

    def __bool__(self) -> bool:
        return bool(self.absent or self.empty or self.says_none)


def states_of(sections: Mapping[str, Section]) -> SectionStates:
    """Tell apart the sections that are absent, that have only a heading, and that state there is nothing."""
    return SectionStates(
        absent=[c for c in SECTION_CODES if c not in sections],
        empty=[c for c, s in sections.items() if not s.text.strip()],
        says_none={c: " ".join(ln.strip() for ln in s.text.splitlines() if ln.strip()) for c, s in sections.items() if s.states_none},
    )


def section_states(db: Database, plan_id: int) -> SectionStates:
    return states_of(plan_sections(db, plan_id))


def plan_pages(db: Database, plan_id: int) -> list[str]:
    return [r[0] for r in db.execute("SELECT text FROM pages WHERE plan_id = ? ORDER BY page_number", [plan_id])]


@dataclass(frozen=True)
class StoredSetAside:
    """A line of the plan that belongs to no section, as stored at import."""

    id: int
    page: int
    place: int | None  # its place among the page's non-blank lines, from 0
    text: str
    why: str
    restored_to: str | None = None  # the section a reviewer moved it into


def plan_set_aside(db: Database, plan_id: int) -> list[StoredSetAside]:
    """The plan's set-aside lines in page order (none for plans imported before they were kept)."""
    rows = db.execute(
        "SELECT id, page_number, place, text, why, restored_to FROM set_aside_lines WHERE plan_id = ?"
        " ORDER BY page_number, place, id",
        [plan_id],
    ).fetchall()
    return [StoredSetAside(*r) for r in rows]
