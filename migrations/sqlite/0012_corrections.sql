-- Corrections of announcements already approved: an edit (new title and text) or a retraction.
-- The announcement keeps its current text; each channel that already carries it (or is sending
-- it) gets an amendment, carried out by the daemon like a delivery: claimed under a lease,
-- fenced by its claim sequence, repeated after a crash (an edit sets the whole text and a
-- retraction of a post already gone succeeds, so a repeat is harmless).

ALTER TABLE announcements ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE announcements ADD COLUMN edited_at INTEGER;
ALTER TABLE announcements ADD COLUMN retracted_at INTEGER;
ALTER TABLE announcements ADD COLUMN retract_reason TEXT;

CREATE TABLE amendments (
    id               INTEGER PRIMARY KEY,
    announcement_id  INTEGER NOT NULL REFERENCES announcements(id),
    delivery_id      INTEGER NOT NULL REFERENCES deliveries(id),
    channel          TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('edit', 'retract')),
    -- The announcement's revision this amendment brings the channel to.
    revision         INTEGER NOT NULL,
    -- waiting: to do (or waiting for its delivery to be out); in_flight: claimed;
    -- done: the platform carries it; by_hand: the channel cannot, a person must (outcome says
    -- what); failed: the platform refused (last_error), a person must look;
    -- superseded: a later correction of the same delivery replaced it; not_needed: its delivery
    -- never went out, and goes out with the new text or not at all.
    state            TEXT NOT NULL CHECK (state IN
                       ('waiting', 'in_flight', 'done', 'by_hand', 'failed', 'superseded', 'not_needed')),
    payload          TEXT,             -- edit: the channel's new payload (JSON)
    reason           TEXT,             -- retract: why, as the PR officer wrote it
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claim_seq        INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    outcome          TEXT,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (delivery_id, action, revision)
);
-- The worker's question: what is open, in the order corrections were made.
CREATE INDEX amendments_open ON amendments (id) WHERE state IN ('waiting', 'in_flight');
CREATE INDEX amendments_of ON amendments (announcement_id);
