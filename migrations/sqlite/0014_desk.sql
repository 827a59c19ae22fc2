-- The web desk: people sign in with a name and a password at `/` on the public listener.
--
-- A password is kept only as its argon2id hash (a PHC string with its own salt). A session is
-- named by a random id the browser keeps in a cookie; only the id's SHA-256 is stored, so a
-- copy of the database does not let anyone in. Each session has its own token that every
-- form sends back (CSRF). Attempts to sign in are kept for the rate limit, so it holds with
-- several daemons on one database.
CREATE TABLE desk_logins (
    person_id     INTEGER PRIMARY KEY REFERENCES people(id),
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE desk_sessions (
    id_sha256  TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX desk_sessions_person ON desk_sessions (person_id);

-- One row per attempt to sign in, written before the password is checked: an attempt that
-- succeeds is removed, one that fails stays and counts against the name and the address.
CREATE TABLE desk_login_attempts (
    id    INTEGER PRIMARY KEY,
    login TEXT NOT NULL COLLATE NOCASE,
    ip    TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX desk_login_attempts_login ON desk_login_attempts (login, at);
CREATE INDEX desk_login_attempts_ip ON desk_login_attempts (ip, at);

-- Tokens for the JSON API (/api/v1): each acts as one person, with their role. Made by an
-- admin and shown once; only the SHA-256 is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    label        TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
