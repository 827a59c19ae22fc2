-- The database's own identity, made once with it. The website, the media store and every outbox
-- folder carry it (a `.prakat-store-id` file), so a lost or replaced database is noticed before
-- a new announcement 1 overwrites the published page of the old one.
CREATE TABLE store_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO store_identity (singleton, id, created_at)
VALUES (1, lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER) * 1000);
