"""The database schema, as forward migrations keyed by PRAGMA user_version."""

# Each entry moves the schema from version i to i+1. Never edit a released
# migration; append a new one.
MIGRATIONS: list[str] = [
    # 1: plans, their pages and sections; rubrics; audits, judgements, evidence; events.
    """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        file_name TEXT,
        sha256 TEXT UNIQUE,
        cohort TEXT,
        page_count INTEGER NOT NULL DEFAULT 0,
        has_pdf INTEGER NOT NULL DEFAULT 1,
        phase TEXT,
        primary_need TEXT,
        setting TEXT,
        team TEXT,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX plans_cohort ON plans(cohort);
    CREATE TABLE pages (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        page_number INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (plan_id, page_number)
    );
    CREATE TABLE sections (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        heading TEXT NOT NULL,
        score INTEGER NOT NULL,
        page_start INTEGER NOT NULL,
        page_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'found' CHECK (source IN ('found', 'corrected')),
        corrected_by TEXT,
        corrected_at TEXT,
        PRIMARY KEY (plan_id, code)
    );
    CREATE TABLE plan_warnings (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX plan_warnings_plan ON plan_warnings(plan_id);
    CREATE TABLE rubrics (
        sha256 TEXT PRIMARY KEY,
        rubric_id TEXT NOT NULL,
        version TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        loaded_at TEXT NOT NULL
    );
    CREATE TABLE audits (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        reviewer TEXT NOT NULL,
        rubric_sha256 TEXT NOT NULL REFERENCES rubrics(sha256),
        kind TEXT NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'training', 'imported')),
        status TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted')),
        current_criterion TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_at TEXT,
        overall_grade INTEGER
    );
    CREATE INDEX audits_plan ON audits(plan_id);
    CREATE UNIQUE INDEX audits_one_review_per_reviewer
        ON audits(plan_id, reviewer, rubric_sha256) WHERE kind != 'training';
    CREATE TABLE judgements (
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        criterion_id TEXT NOT NULL,
        grade INTEGER,
        not_applicable INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (audit_id, criterion_id)
    );
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
        criterion_id TEXT NOT NULL,
        section_code TEXT,
        page_number INTEGER,
        quote TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX evidence_audit ON evidence(audit_id, criterion_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        audit_id INTEGER REFERENCES audits(id),
        plan_id INTEGER REFERENCES plans(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        criterion_id TEXT,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_audit ON events(audit_id, id);
    -- The event log is the record replay and calibration are built from: append only.
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    # 2: moderation (the agreed grade for a double-scored plan's criterion) and calibration sessions.
    """
    CREATE TABLE moderations (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        rubric_sha256 TEXT NOT NULL REFERENCES rubrics(sha256),
        criterion_id TEXT NOT NULL,
        grade INTEGER,
        not_applicable INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL,
        moderator TEXT NOT NULL,
        moderated_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, rubric_sha256, criterion_id)
    );
    CREATE TABLE calibration_sessions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        reference_audit_id INTEGER NOT NULL REFERENCES audits(id),
        trainer TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    ALTER TABLE audits ADD COLUMN session_id INTEGER REFERENCES calibration_sessions(id);
    ALTER TABLE audits ADD COLUMN is_reference INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX judgements_criterion ON judgements(criterion_id);
    """,
    # 3: audit rounds (a recorded random sample, its reviewers and due date) and actions agreed after an audit.
    """
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        cohort TEXT,
        rubric_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        stratify TEXT NOT NULL DEFAULT '',
        double_share REAL NOT NULL,
        seed INTEGER NOT NULL,
        due TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE round_plans (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        stratum TEXT NOT NULL DEFAULT '',
        double INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (round_id, plan_id)
    );
    CREATE TABLE assignments (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        slot INTEGER NOT NULL CHECK (slot IN (1, 2)),
        reviewer TEXT NOT NULL,
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (round_id, plan_id, slot),
        UNIQUE (round_id, plan_id, reviewer)
    );
    CREATE INDEX assignments_reviewer ON assignments(reviewer);
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        audit_id INTEGER REFERENCES audits(id),
        criterion_id TEXT,
        section_code TEXT,
        what TEXT NOT NULL,
        owner TEXT NOT NULL,
        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('team', 'person')),
        due TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        done_on TEXT,
        done_note TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX actions_plan ON actions(plan_id);
    """,
    # 4: each plan's pre-check hints (JSON), dropped whenever its sections change so they are worked out again.
    """
    CREATE TABLE plan_hints (
        plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
        hints TEXT NOT NULL,
        checked_at TEXT NOT NULL
    );
    CREATE TRIGGER sections_insert_drops_hints AFTER INSERT ON sections
        BEGIN DELETE FROM plan_hints WHERE plan_id = NEW.plan_id; END;
    CREATE TRIGGER sections_update_drops_hints AFTER UPDATE ON sections
        BEGIN DELETE FROM plan_hints WHERE plan_id = NEW.plan_id; END;
    CREATE TRIGGER sections_delete_drops_hints AFTER DELETE ON sections
        BEGIN DELETE FROM plan_hints WHERE plan_id = OLD.plan_id; END;
    """,
    # 5: calibration is blind until the trainer reveals it; a reviewer can discard an unsubmitted audit;
    # a note being written is kept as a draft, keypress by keypress, until it is saved.
    """
    ALTER TABLE calibration_sessions ADD COLUMN revealed_at TEXT;
    ALTER TABLE calibration_sessions ADD COLUMN revealed_by TEXT;
    ALTER TABLE audits ADD COLUMN discarded_at TEXT;
    DROP INDEX audits_one_review_per_reviewer;
    CREATE UNIQUE INDEX audits_one_review_per_reviewer
        ON audits(plan_id, reviewer, rubric_sha256) WHERE kind != 'training' AND discarded_at IS NULL;
    CREATE TABLE note_drafts (
        audit_id INTEGER NOT NULL REFERENCES audits(id),
        criterion_id TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (audit_id, criterion_id)
    );
    """,
    # 6: the lines of each plan that belong to no section (running headers, footers, contents, ...), where they
    # were on the page, and the section a reviewer moved one into; warnings stored before their kind was given
    # where they are made get it from their (fixed) wording.
    """
    CREATE TABLE set_aside_lines (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        page_number INTEGER NOT NULL,
        place INTEGER,
        text TEXT NOT NULL,
        why TEXT NOT NULL,
        restored_to TEXT
    );
    CREATE INDEX set_aside_lines_plan ON set_aside_lines(plan_id, page_number, place);
    UPDATE plan_warnings SET kind = 'check' WHERE kind != 'redaction' AND message LIKE 'check sections:%';
    UPDATE plan_warnings SET kind = 'missing' WHERE kind != 'redaction'
        AND (message LIKE 'section % was not found' OR message LIKE 'no section headings were recognised%');
    UPDATE plan_warnings SET kind = 'empty' WHERE kind != 'redaction' AND message LIKE 'section % but no text under it';
    UPDATE plan_warnings SET kind = 'merged' WHERE kind != 'redaction' AND message LIKE 'one heading (%) covers %';
    UPDATE plan_warnings SET kind = 'other' WHERE kind = 'sections';
    """,
    # 7: a calibration reference written for training (an answer key) is never a review of the sample; a real
    # review lent to a session as its reference is held back only while the session is blind.
    """
    ALTER TABLE audits ADD COLUMN written_for_training INTEGER NOT NULL DEFAULT 0;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
