"""What a feedback report reads: a plan's submitted reviews and the exact rubric they were scored against."""

from __future__ import annotations

from typing import Any

from ehcaudit.store.db import Database

from ehcaudit.errors import NotFound


def submitted_reviews(db: Database, plan_id: int, rubric_sha256: str | None = None) -> list[tuple[int, str, str]]:
    """(audit id, rubric sha256, submitted at) of a plan's submitted reviews, oldest first."""
    sql = "SELECT id, rubric_sha256, submitted_at FROM audits WHERE plan_id = ? AND kind = 'review' AND status = 'submitted'"
    params: list[Any] = [plan_id]
    if rubric_sha256:
        sql += " AND rubric_sha256 = ?"
        params.append(rubric_sha256)
    return [(r[0], r[1], r[2]) for r in db.execute(sql + " ORDER BY submitted_at, id", params)]


def rubric_source(db: Database, sha256: str) -> str:
    row = db.execute("SELECT source FROM rubrics WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        raise NotFound("the rubric this audit was scored against is not in the database")
    source: str = row[0]
    return source
