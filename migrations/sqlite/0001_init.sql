-- prakat's SQLite schema. Times are Unix milliseconds (UTC) in INTEGER columns so the same
-- comparisons work on PostgreSQL (BIGINT) without conversion.

CREATE TABLE departments (
    code        TEXT PRIMARY KEY,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);

-- Content-addressed media: the file lives at media/<sha256[0..2]>/<sha256>.<ext>.
CREATE TABLE media (
    sha256        TEXT PRIMARY KEY,
    mime          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('image', 'video')),
    size          INTEGER NOT NULL,
    path          TEXT NOT NULL,
    original_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE recurring_rules (
    id           INTEGER PRIMARY KEY,
    department   TEXT NOT NULL REFERENCES departments(code),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    link         TEXT,
    media        TEXT NOT NULL DEFAULT '[]',   -- JSON array of sha256
    channels     TEXT NOT NULL,                -- JSON array of channel names
    cron         TEXT NOT NULL,                -- evaluated in Asia/Bangkok
    next_fire_at INTEGER NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    author       TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX recurring_rules_due ON recurring_rules (next_fire_at) WHERE active = 1;

CREATE TABLE announcements (
    id            INTEGER PRIMARY KEY,
    department    TEXT NOT NULL REFERENCES departments(code),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    link          TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',  -- JSON array
    author        TEXT NOT NULL,
    source        TEXT NOT NULL,               -- cli, web, api, telegram, recurring
    state         TEXT NOT NULL,               -- draft, pending_approval, approved, cancelled
    publish_at    INTEGER NOT NULL,
    rule_id       INTEGER REFERENCES recurring_rules(id),
    created_at    INTEGER NOT NULL,
    -- A recurring rule creates one announcement per occurrence, never two.
    UNIQUE (rule_id, publish_at)
);

CREATE TABLE announcement_media (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    position        INTEGER NOT NULL,
    sha256          TEXT NOT NULL REFERENCES media(sha256),
    PRIMARY KEY (announcement_id, position)
);

-- One row per (announcement, channel): the unit of work of the dispatcher.
CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    announcement_id  INTEGER NOT NULL REFERENCES announcements(id),
    channel          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN
                       ('queued', 'in_flight', 'published', 'failed', 'needs_attention', 'cancelled')),
    due_at           INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- set when an attempt was claimed and never settled (crash, ambiguous outcome)
    unsettled        INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,             -- JSON: exactly what will be sent
    remote_id        TEXT,
    remote_url       TEXT,
    request_id       TEXT,
    last_error       TEXT,
    last_error_class TEXT,
    published_at     INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (announcement_id, channel)
);
-- The dispatcher's two questions: what is due, and whose lease has run out.
CREATE INDEX deliveries_queued ON deliveries (next_attempt_at) WHERE state = 'queued';
CREATE INDEX deliveries_in_flight ON deliveries (lease_expires_at) WHERE state = 'in_flight';

-- Every state change, with who, what and when.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,     -- a person (cli:<user>, web:<user>) or the daemon (dispatcher:<owner>)
    role      TEXT,              -- the person's role when it acted (pr_officer, staff, admin); NULL for the daemon
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,     -- announcement, delivery, department, rule
    entity_id TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
