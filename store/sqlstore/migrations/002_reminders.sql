-- meetbot schema, version 2: deadline reminders.
-- The registry of chats bound to units, the durable outbox of reminders
-- (items planned under a unique key, messages sent under a lease), the
-- scheduler's own state, and a per-directive reminder ladder.
-- Encodings as in 001: instants UTC "YYYY-MM-DDTHH:MM:SSZ", days
-- "YYYY-MM-DD", NULL for none.

-- A directive's own ladder: NULL for the office's default, 'off', or days
-- relative to the deadline, sorted: '-7,-3,-1,0,3' (store.Reminders).
ALTER TABLE directives ADD COLUMN reminders TEXT;

-- A chat (or one forum topic of it, thread_id > 0) speaks for one unit.
-- Rows are never deleted: a removed binding stays, inactive, with when
-- and why, so /units and the administrators can see the history.
CREATE TABLE chat_bindings (
    id             INTEGER PRIMARY KEY,
    chat_id        INTEGER NOT NULL,
    thread_id      INTEGER NOT NULL DEFAULT 0,
    unit_id        INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    chat_title     TEXT    NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    bound_by       INTEGER NOT NULL DEFAULT 0, -- Telegram user id
    bound_at       TEXT    NOT NULL,
    deactivated_at TEXT,
    reason         TEXT    NOT NULL DEFAULT '',
    UNIQUE (chat_id, thread_id)
);
CREATE INDEX chat_bindings_unit ON chat_bindings(unit_id, active);

-- What is due: one row per rung of a ladder, meeting reminder or digest,
-- unique on its key, so planning twice (or on two instances) stores it
-- once. kind: deadline | meeting | escalation | weekly. rung orders the
-- items of one subject (days from the deadline; minutes from a meeting's
-- start). anchor: the deadline day, the meeting's start, the digest day or
-- ISO week. status: pending -> queued (into a message, once) | skipped
-- (superseded by a later rung) | cancelled (no longer applies).
CREATE TABLE reminder_items (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    unit_id    INTEGER NOT NULL DEFAULT 0,
    rung       INTEGER NOT NULL DEFAULT 0,
    anchor     TEXT    NOT NULL DEFAULT '',
    due_at     TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending',
    reason     TEXT    NOT NULL DEFAULT '',
    batch      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (kind, ref_id, unit_id, rung, anchor)
);
CREATE INDEX reminder_items_pending ON reminder_items(due_at, id) WHERE status = 'pending';

-- What goes out: one row per Telegram message (a part of a split message
-- is its own row). status: pending -> sending (claimed under a lease) ->
-- sent | failed | expired; a failed attempt that may succeed later goes
-- back to pending with a later not_before. A row in 'sending' whose lease
-- has run out (the dispatcher died) is claimed again.
CREATE TABLE outbox_messages (
    id            INTEGER PRIMARY KEY,
    batch         TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    unit_id       INTEGER NOT NULL DEFAULT 0,
    chat_id       INTEGER NOT NULL,
    thread_id     INTEGER NOT NULL DEFAULT 0,
    part          INTEGER NOT NULL DEFAULT 1,
    parts         INTEGER NOT NULL DEFAULT 1,
    text          TEXT    NOT NULL,
    buttons       TEXT    NOT NULL DEFAULT '[]', -- JSON [[{text, data}]]
    status        TEXT    NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    TEXT    NOT NULL,
    expires_at    TEXT,
    lease_owner   TEXT,
    lease_until   TEXT,
    tg_message_id INTEGER,
    sent_at       TEXT,
    last_error    TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (batch, chat_id, thread_id, part)
);
CREATE INDEX outbox_open ON outbox_messages(chat_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_status ON outbox_messages(status, updated_at);

-- Small facts the scheduler keeps across restarts and instances: the last
-- tick, how far deadline rungs have been planned.
CREATE TABLE scheduler_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
