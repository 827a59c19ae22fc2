-- Submissions by chat. What a person sends (a text, a photo of an album, a video, a document)
-- is kept piece by piece, once per chat message however often the chat service hands it over,
-- until the pieces are gathered into one submission (after a quiet moment, or on /send).
CREATE TABLE chat_pieces (
    id              INTEGER PRIMARY KEY,
    origin          TEXT NOT NULL UNIQUE,    -- front end, chat and message: 'telegram:42:17'
    person_id       INTEGER NOT NULL REFERENCES people(id),
    chat            TEXT NOT NULL,           -- where answers go: 'telegram:42'
    body            TEXT,                    -- the text, or a file's caption
    kind            TEXT,                    -- photo, video, document; none for text
    file_path       TEXT,                    -- the file as downloaded, until it is in the media store
    file_ref        TEXT,                    -- the front end's own reference to the file
    received_at     INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'open',  -- open, submitted, discarded
    announcement_id INTEGER REFERENCES announcements(id)
);
CREATE INDEX chat_pieces_open ON chat_pieces (person_id, received_at) WHERE state = 'open';

-- A question the bot asked a person and waits for the answer to: a reason to reject, a new
-- text, a time. One at a time per person; a new question replaces the old.
CREATE TABLE chat_waits (
    person_id       INTEGER PRIMARY KEY REFERENCES people(id),
    action          TEXT NOT NULL,
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    asked_at        INTEGER NOT NULL
);

-- Where a front end is in its stream of updates (Telegram's getUpdates offset).
CREATE TABLE chat_cursors (
    front       TEXT PRIMARY KEY,
    next_update INTEGER NOT NULL
);

-- Messages the bot sent about an announcement (the approval buttons), to change them when it
-- is decided.
CREATE TABLE chat_messages (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    chat            TEXT NOT NULL,
    message_id      INTEGER NOT NULL,
    PRIMARY KEY (announcement_id, chat, message_id)
);

-- Things said once: the links of a published announcement, a group told the bot does not work
-- there, a day's summary of what waits.
CREATE TABLE chat_notices (
    key TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
);

-- Where an announcement came from when it must be made once however often it is sent: the
-- first chat piece of a submission. A second try after a crash finds the first.
ALTER TABLE announcements ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX announcements_origin ON announcements (origin) WHERE origin IS NOT NULL;
