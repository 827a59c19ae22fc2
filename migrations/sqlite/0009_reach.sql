-- Reach: what each published delivery reached, sampled at the slots of the schedule
-- (`[reach] after`, e.g. 1 h, 1 day, 7 days, 30 days after publishing), and the website's own
-- page views. Every figure is nullable: platforms hide small numbers, and not every platform has
-- every figure. NULL is "not told", never zero.

-- One sample per delivery and slot, never two: the collector inserts or ignores.
CREATE TABLE reach_samples (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES deliveries(id),
    slot_secs    INTEGER NOT NULL,   -- the slot: seconds after publishing (3600 = 1 h)
    taken_at     INTEGER NOT NULL,
    views        INTEGER,            -- views or impressions
    reach        INTEGER,            -- different people
    reactions    INTEGER,
    comments     INTEGER,
    shares       INTEGER,
    clicks       INTEGER,
    video_views  INTEGER,
    UNIQUE (delivery_id, slot_secs)
);

-- A slot whose sample failed (or whose platform has no figures yet): tried again at
-- next_attempt_at, until a sample is stored or the attempts are used up.
CREATE TABLE reach_attempts (
    delivery_id      INTEGER NOT NULL REFERENCES deliveries(id),
    slot_secs        INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT NOT NULL,
    last_error_class TEXT NOT NULL,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, slot_secs)
);

-- The collector's question: which published deliveries have a slot that has come.
CREATE INDEX deliveries_published ON deliveries (published_at) WHERE state = 'published';

-- Views of the website's announcement pages, per announcement and Bangkok day. Nothing about
-- the reader is kept: no address, no agent, no cookie; bots and crawlers are not counted.
CREATE TABLE page_views (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    day             TEXT NOT NULL,   -- YYYY-MM-DD, Asia/Bangkok
    views           INTEGER NOT NULL,
    PRIMARY KEY (announcement_id, day)
);
