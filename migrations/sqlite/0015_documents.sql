-- Documents become a media kind: the monthly digest's PDF, XLSX and CSV are attached to the
-- announcement that publishes it on the website. SQLite cannot change a CHECK constraint, so
-- the table is made again with the same rows.
--
-- The rows of announcement_media keep pointing at theirs throughout: with the foreign keys
-- deferred to the end of this migration's transaction, dropping `media` counts the rows left
-- without a file, and putting each file back into the new `media` counts them off again; the
-- change is kept only if none is left without its file at the end.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE media_before_0015 AS SELECT * FROM media;
DROP TABLE media;

-- Content-addressed media: the file lives at media/<sha256[0..2]>/<sha256>.<ext>.
CREATE TABLE media (
    sha256        TEXT PRIMARY KEY,
    mime          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('image', 'video', 'document')),
    size          INTEGER NOT NULL,
    path          TEXT NOT NULL,
    original_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

INSERT INTO media (sha256, mime, kind, size, path, original_name, created_at)
SELECT sha256, mime, kind, size, path, original_name, created_at FROM media_before_0015;
DROP TABLE media_before_0015;
