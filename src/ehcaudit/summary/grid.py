"""The sample as arrays: each plan's reviews side by side, criterion by criterion (no SQL here).

A summary over ten thousand double-scored plans is four hundred thousand grades; held as arrays, every
figure is a handful of whole-array steps instead of a Python step per grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ehcaudit.store.summary_rows import NA, Cells, SampleData

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

ABSENT = -2  # no judgement (NA, -1, is a judgement of N/A; grades are 0 or more)

__all__ = ["ABSENT", "NA", "Grid", "build_grid", "cells_from_grades"]


@dataclass(frozen=True)
class Grid:
    plan_ids: list[int]  # plans with a review, in id order
    columns: list[str]  # criteria: the rubric's in its order, then any others found
    grades: NDArray[np.int16]  # (plans, reviews, columns): grade, NA or ABSENT; a plan's reviews by submission time
    reviewer: NDArray[np.int64]  # (plans, reviews): index into reviewers; -1 past a plan's last review
    reviewers: list[str]  # sorted
    reviews: NDArray[np.int64]  # (plans,): how many reviews each plan has
    moderated: NDArray[np.int16]  # (plans, columns): the agreed grade, NA, or ABSENT
    audit_grades: NDArray[np.int16]  # (audits, columns): every review's grades, in the sample's audit order
    audit_plan: NDArray[np.int64]  # (audits,): the plan (row of plan_ids) each review is of
    audit_reviewer: NDArray[np.int64]  # (audits,): index into reviewers


def cells_from_grades(grades: Mapping[int, Mapping[str, int | None]]) -> Cells:
    """Cells from audit id -> criterion -> grade (None = N/A): a small sample made by hand."""
    import numpy as np

    columns = sorted({cid for g in grades.values() for cid in g})
    index = {cid: i for i, cid in enumerate(columns)}
    triples = [(aid, index[cid], NA if g is None else g) for aid, gs in grades.items() for cid, g in gs.items()]
    audit, column, grade = (np.array(x, dtype=np.int64) for x in zip(*triples)) if triples else (np.zeros(0, dtype=np.int64),) * 3
    return Cells(columns, audit, column, grade)


def build_grid(data: SampleData, criteria: list[str]) -> Grid:
    """The sample's reviews as arrays, columns in the order of `criteria` (the rubric's), then any other criterion."""
    import numpy as np

    cells = data.cells
    extra = sorted(({*cells.columns} | {cid for m in data.moderated.values() for cid in m}) - set(criteria))
    columns = [*criteria, *extra]
    column_index = {cid: i for i, cid in enumerate(columns)}
    aids = list(data.audits)
    audit_ids = np.array(aids, dtype=np.int64)
    by_id = np.argsort(audit_ids)
    sorted_ids = audit_ids[by_id]
    audit_grades = np.full((len(aids), len(columns)), ABSENT, dtype=np.int16)
    if len(aids) and len(cells.audit):
        at = np.minimum(np.searchsorted(sorted_ids, cells.audit), len(aids) - 1)
        ours = sorted_ids[at] == cells.audit  # judgements of audits outside the sample are left out
        remap = np.array([column_index[cid] for cid in cells.columns], dtype=np.int64)
        audit_grades[by_id[at[ours]], remap[cells.column[ours]]] = cells.grade[ours]

    plan_ids = sorted({pid for pid, _who, _at in data.audits.values()})
    plan_index = {pid: i for i, pid in enumerate(plan_ids)}
    reviewers = sorted({who for _pid, who, _at in data.audits.values()})
    reviewer_index = {who: i for i, who in enumerate(reviewers)}
    # A plan's reviews in the order they were submitted (then by audit id).
    order = sorted(range(len(aids)), key=lambda i: (data.audits[aids[i]][0], data.audits[aids[i]][2], aids[i]))
    audit_plan = np.array([plan_index[data.audits[a][0]] for a in aids], dtype=np.int64)
    audit_reviewer = np.array([reviewer_index[data.audits[a][1]] for a in aids], dtype=np.int64)
    slot = np.zeros(len(aids), dtype=np.int64)
    reviews = np.zeros(len(plan_ids), dtype=np.int64)
    for i in order:
        p = audit_plan[i]
        slot[i] = reviews[p]
        reviews[p] += 1
    width = int(reviews.max()) if len(reviews) else 0
    grades = np.full((len(plan_ids), width, len(columns)), ABSENT, dtype=np.int16)
    grades[audit_plan, slot] = audit_grades
    reviewer = np.full((len(plan_ids), width), -1, dtype=np.int64)
    reviewer[audit_plan, slot] = audit_reviewer
    moderated = np.full((len(plan_ids), len(columns)), ABSENT, dtype=np.int16)
    for pid, agreed in data.moderated.items():
        p = plan_index.get(pid)
        if p is not None:
            for cid, g in agreed.items():
                moderated[p, column_index[cid]] = NA if g is None else g
    return Grid(plan_ids, columns, grades, reviewer, reviewers, reviews, moderated, audit_grades, audit_plan, audit_reviewer)
