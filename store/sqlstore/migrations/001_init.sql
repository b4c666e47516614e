-- meetbot schema, version 1.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ" (fixed width, so text order is
-- time order); calendar days are "YYYY-MM-DD" in the office's time zone; NULL
-- means "none". Derived columns (marked) are kept by the engine in the same
-- transaction as the rows they derive from.

CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL DEFAULT '',
    parent_id    INTEGER REFERENCES units(id) ON DELETE SET NULL,
    aliases      TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    former_names TEXT    NOT NULL DEFAULT '[]', -- JSON array of {name, from, to}
    active_from  TEXT,
    active_to    TEXT,
    successor_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
    updated_at   TEXT    NOT NULL
);

-- Derived: every folded form a user may type for a unit (code, names,
-- former names, aliases), for FindUnits.
CREATE TABLE unit_keys (
    key     TEXT    NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (key, unit_id)
) WITHOUT ROWID;
CREATE INDEX unit_keys_unit ON unit_keys(unit_id);

CREATE TABLE programs (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL DEFAULT '',
    start_year  INTEGER NOT NULL DEFAULT 0,
    end_year    INTEGER NOT NULL DEFAULT 0,
    vision_year INTEGER NOT NULL DEFAULT 0,
    owner_id    INTEGER REFERENCES units(id) ON DELETE SET NULL,
    description TEXT    NOT NULL DEFAULT '',
    restricted  INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    key            TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL,
    starts_at      TEXT    NOT NULL,
    ends_at        TEXT,
    place          TEXT    NOT NULL DEFAULT '',
    chair_name     TEXT    NOT NULL DEFAULT '',
    chair_position TEXT    NOT NULL DEFAULT '',
    organiser_id   INTEGER REFERENCES units(id) ON DELETE SET NULL,
    summary        TEXT    NOT NULL DEFAULT '',
    source         TEXT    NOT NULL DEFAULT '',
    source_url     TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    restricted     INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX meetings_starts ON meetings(starts_at, id);

CREATE TABLE meeting_units (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX meeting_units_unit ON meeting_units(unit_id, meeting_id);

CREATE TABLE directives (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL,
    code_key        TEXT    NOT NULL UNIQUE, -- derived: lower(trim(code))
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL DEFAULT '',
    issuer_name     TEXT    NOT NULL DEFAULT '',
    issuer_position TEXT    NOT NULL DEFAULT '',
    issued_on       TEXT,
    meeting_id      INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    source_doc      TEXT    NOT NULL DEFAULT '',
    program_id      INTEGER REFERENCES programs(id) ON DELETE SET NULL,
    deadline        TEXT,
    deadline_note   TEXT    NOT NULL DEFAULT '',
    closed_on       TEXT,
    completed_on    TEXT, -- derived: closed_on, else the last unit's completion when all are done
    restricted      INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX directives_recent ON directives(issued_on, id);
CREATE INDEX directives_open ON directives(deadline, id) WHERE completed_on IS NULL;
CREATE INDEX directives_meeting ON directives(meeting_id, id);
CREATE INDEX directives_program ON directives(program_id, id);

CREATE TABLE assignments (
    id              INTEGER PRIMARY KEY,
    directive_id    INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    role            TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    completed_at    TEXT,
    completed_on    TEXT,
    completion_note TEXT    NOT NULL DEFAULT '',
    percent         INTEGER NOT NULL DEFAULT 0, -- derived: latest report, 100 when done
    report_count    INTEGER NOT NULL DEFAULT 0, -- derived
    UNIQUE (directive_id, unit_id)
);
CREATE INDEX assignments_unit ON assignments(unit_id, directive_id);

CREATE TABLE progress_reports (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    at            TEXT    NOT NULL,
    percent       INTEGER NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    doc_number    TEXT    NOT NULL DEFAULT '',
    reporter      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX progress_reports_assignment ON progress_reports(assignment_id, at);

-- Full-text indexes over every searchable record, one for the text as
-- written (lower-cased NFC, diacritics kept) and one for the folded text
-- (see store.Fold). Two tables rather than two column pairs: a word that
-- is common in folded text ("bien") is rare as written, and in a shared
-- table every exact-diacritics lookup would walk its folded occurrences.
-- rowid = -(id*4 + kind) (kind 0 meeting, 1 directive, 2 program, 3 unit):
-- negative, so FTS5's natural ascending scan meets the newest records
-- first and a LIMIT stops early. detail=column: queries are words and
-- column filters, never phrases, so token positions would be dead weight.
-- Prefixes of up to 5 characters are indexed: a half-typed syllable is
-- short, and a longer prefix makes FTS5 merge the doclists of every
-- matching term before it can return a row.
CREATE VIRTUAL TABLE search_exact USING fts5(
    title, body,
    content = '', contentless_delete = 1, detail = column,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5'
);
CREATE VIRTUAL TABLE search_folded USING fts5(
    title, body,
    content = '', contentless_delete = 1, detail = column,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5'
);
