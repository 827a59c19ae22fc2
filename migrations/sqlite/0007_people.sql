-- The people who use prakat through a chat or the web desk: their role, their department (for
-- department staff) and their chat identity. They join with a one-time invite code, kept only
-- as its SHA-256 (the code is random; the hash cannot be turned back into it).
CREATE TABLE people (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL,          -- admin, pr_officer, department_staff
    department       TEXT REFERENCES departments(code),
    telegram_user_id INTEGER UNIQUE,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL
);

CREATE TABLE invites (
    code_sha256 TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    department  TEXT REFERENCES departments(code),
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES people(id),
    used_at     INTEGER
);
