"""The demo database: the bundled sample plans and some fictional earlier audits, imported fresh."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections.abc import Callable
from datetime import datetime, time, timedelta, UTC
from pathlib import Path

from ehcaudit import locations
from ehcaudit.ingest.importer import import_plans, read_metadata
from ehcaudit.rubric import Rubric, resolve_rubric
from ehcaudit.ingest.scores_csv import read_scores
from ehcaudit.store.scores import import_scores
from ehcaudit.store import open_db
from ehcaudit.store.db import Database, stamped_by

DEMO_COHORT = "2026-11"


def build_demo_db(path: Path) -> Path:
    """Recreate the demo database at path from the bundled sample plans.

    Reading the 14 PDFs takes seconds, so a fresh copy is kept beside it (one per day, since the
    demo's audits are dated "yesterday"): later demos the same day start at once from that copy.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = _fresh_copy(path)
    if fresh.exists():
        try:
            shutil.copyfile(fresh, path)
            os.chmod(path, 0o600)
            return path
        except OSError:
            path.unlink(missing_ok=True)  # build it again below
    _build(path)
    try:
        tmp = fresh.with_suffix(".tmp")
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o600)
        for old in path.parent.glob(f"{path.stem}-fresh-*.db"):
            old.unlink(missing_ok=True)
        tmp.replace(fresh)
    except OSError:
        pass  # no copy kept: the next demo builds again
    return path


def _fresh_copy(path: Path) -> Path:
    """Where today's fresh copy of the demo database is kept (its name changes with the sample plans and schema)."""
    from ehcaudit.store.schema import SCHEMA_VERSION

    plans = locations.sample_plans_dir()
    stamp = hashlib.sha256()
    stamp.update(f"{datetime.now(UTC).date()} {SCHEMA_VERSION}".encode())
    for f in sorted(plans.iterdir()):
        info = f.stat()
        stamp.update(f"{f.name} {info.st_size} {info.st_mtime_ns}".encode())
    return path.parent / f"{path.stem}-fresh-{stamp.hexdigest()[:16]}.db"


def _build(path: Path) -> None:
    db = open_db(path)
    plans = locations.sample_plans_dir()
    meta_file = plans / "metadata.csv"
    metadata = read_metadata(meta_file) if meta_file.exists() else None
    import_plans(db, [plans], cohort=DEMO_COHORT, metadata=metadata)
    scores = plans / "demo_scores.csv"
    if scores.exists():
        # Earlier fictional audits by two reviewers, so the summary and moderation have something to show.
        rubric = resolve_rubric(None)
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        last_week = datetime.combine(yesterday - timedelta(days=6), time(9, 0), UTC)
        with stamped_by(lambda: last_week):
            import_scores(db, read_scores(scores, rubric), rubric, scores.name)
        with stamped_by(reviewers_pace(datetime.combine(yesterday, time(10, 0), UTC), seed=3)):
            reference = record_expert_audit(db, rubric)
        with stamped_by(reviewers_pace(datetime.combine(yesterday, time(14, 0), UTC), seed=4)):
            start_demo_session(db, rubric, reference)
    db.conn.close()


def reviewers_pace(start: datetime, seed: int) -> Callable[[], datetime]:
    """A clock for recorded demo audits: each action comes 5 to 50 seconds after the last,
    so that replay's timeline shows time spent as a person would spend it."""
    pace = random.Random(seed)
    at = start

    def tick() -> datetime:
        nonlocal at
        at += timedelta(seconds=pace.randint(5, 50))
        return at

    return tick


# An experienced reviewer's audit of plan-03 (weak on health and social care), made through
# the same store calls the audit screen makes, so that replay has a real record to show.
EXPERT = "A. Expert (demo)"
EXPERT_GRADES = {
    "V1": 3, "V2": 3, "V3": 3, "V4": 3, "N1": 3, "N2": 3, "N3": 3, "H1": 1, "H2": 1, "H3": 1, "H4": 1,
    "O1": 3, "O2": 3, "O3": None, "P1": 3, "P2": 3, "P3": 2, "G1": 3, "G2": 1, "G3": 3,
}
EXPERT_NOTES = {
    "V1": "Views gathered with symbols over three sessions; own words quoted.",
    "H1": "Section C says only 'None known.' although K lists a paediatrician's report.",
    "H3": "Section D is 'Not applicable.' with no source.",
    "O3": "Primary age: preparing for adulthood does not apply yet.",
    "G2": "No health or care provision although needs are implied by the advice.",
}


def record_expert_audit(db: Database, rubric: Rubric) -> int:
    from ehcaudit.store import audits as A
    from ehcaudit.store.plans import get_plan, plan_sections

    plan = get_plan(db, "plan-03")
    sections = plan_sections(db, plan.id)
    audit = A.open_audit(db, plan.id, EXPERT, rubric)
    for c in rubric.criteria:
        A.record_view(db, audit.id, c.id, EXPERT, list(c.sections))
        first = sections.get(c.sections[0])
        if first and first.text.strip() and c.id in ("V1", "H1", "H3", "O1", "P1"):
            quote = first.text.strip().splitlines()[0]
            A.add_evidence(db, audit.id, c.id, quote, first.code, first.page_start, EXPERT)
        if c.id == "H1":
            A.set_grade(db, audit.id, rubric, c.id, 2, EXPERT)  # a first impression, changed below
        A.set_grade(db, audit.id, rubric, c.id, EXPERT_GRADES[c.id], EXPERT)
        if c.id in EXPERT_NOTES:
            A.set_note(db, audit.id, c.id, EXPERT_NOTES[c.id], EXPERT)
    A.submit(db, audit.id, rubric, EXPERT)
    return audit.id


def start_demo_session(db: Database, rubric: Rubric, reference: int) -> None:
    """A calibration session on the expert's audit, with two fictional trainees already done."""
    from ehcaudit.store import audits as A
    from ehcaudit.store.calibration import (
        open_training_audit,
        reveal_session,
        start_session,
    )

    # The expert wrote it for the session: an answer key, not a review of the sample.
    sid = start_session(db, "Demo calibration: plan-03", reference, EXPERT, for_training=True)
    for trainee, shift in (("Trainee 1 (demo)", 0), ("Trainee 2 (demo)", 1)):
        audit = open_training_audit(db, sid, trainee, rubric)
        for i, c in enumerate(rubric.criteria):
            grade = EXPERT_GRADES[c.id]
            if grade is not None and shift and i % 3 == 0:
                grade = min(4, grade + shift + (1 if c.area == "health-care" else 0))
            A.set_grade(db, audit.id, rubric, c.id, grade, trainee)
            if grade is None:
                A.set_note(db, audit.id, c.id, "Not Year 9 yet.", trainee)
        A.submit(db, audit.id, rubric, trainee)
    reveal_session(db, sid, EXPERT)  # both trainees are in: the demo shows the trainer's comparison
