-- meetbot schema, version 3: the office's work on the data. Reports wait
-- for review, deadlines keep their history, every change is audited, and
-- restricted records can be found without a scan.

-- Progress reports: the review state. Reports recorded by the office or
-- imported are confirmed; reports a unit submits are pending until the
-- office confirms or returns them. done: the report claims the unit's
-- share completed (effective when confirmed, from the report's day).
ALTER TABLE progress_reports ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed';
ALTER TABLE progress_reports ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress_reports ADD COLUMN reporter_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress_reports ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE progress_reports ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE progress_reports ADD COLUMN reviewed_at TEXT;
CREATE INDEX progress_reports_pending ON progress_reports(id) WHERE status = 'pending';

-- Every change of a directive's deadline, so the original stays known.
CREATE TABLE deadline_changes (
    id           INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    old_deadline TEXT,
    new_deadline TEXT,
    reason       TEXT    NOT NULL DEFAULT '',
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor_name   TEXT    NOT NULL DEFAULT '',
    at           TEXT    NOT NULL
);
CREATE INDEX deadline_changes_directive ON deadline_changes(directive_id, at);

-- The audit log: who changed what, when. kind/record_id name the record
-- (kind as in store.RecordKind); changes is a JSON array of
-- {field, old, new}.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT    NOT NULL DEFAULT '',
    kind       TEXT    NOT NULL,
    record_id  INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    unit_id    INTEGER,
    changes    TEXT    NOT NULL DEFAULT '[]',
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_record ON audit_log(kind, record_id, id);

-- Restricted records are few: these find them without scanning.
CREATE INDEX directives_restricted ON directives(id) WHERE restricted = 1;
CREATE INDEX meetings_restricted ON meetings(id) WHERE restricted = 1;
CREATE INDEX programs_restricted ON programs(id) WHERE restricted = 1;

-- Office administrators granted in chat by another administrator (those
-- of ADMIN_IDS are configured, not stored).
CREATE TABLE admins (
    user_id    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    granted_by INTEGER NOT NULL DEFAULT 0,
    granted_at TEXT    NOT NULL
);

-- Unit members: users seen writing in a group bound to the unit.
CREATE TABLE unit_members (
    user_id   INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    chat_id   INTEGER NOT NULL,
    last_seen TEXT    NOT NULL,
    PRIMARY KEY (user_id, unit_id)
) WITHOUT ROWID;

-- Guided conversations in chat (one per user and chat), kept across
-- restarts; data is the answers so far as JSON.
CREATE TABLE conversations (
    chat_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    step       TEXT    NOT NULL,
    data       TEXT    NOT NULL DEFAULT '{}',
    message_id INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;

-- Secret tokens of the units' calendar feeds.
CREATE TABLE unit_feeds (
    unit_id    INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    token      TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL
);
