//! What the store keeps for the web desk ([`crate::desk`]): who may sign in with a password,
//! their sessions and the attempts to sign in that count against the rate limit.

use chrono::{DateTime, Utc};

use super::PersonRecord;

/// A person who signs in to the web desk, as created.
#[derive(Debug, Clone)]
pub struct NewDeskPerson {
    /// The name shown and recorded as who acted.
    pub name: String,
    /// What they type to sign in (unique, case ignored).
    pub login: String,
    /// admin, pr_officer, department_staff
    pub role: String,
    pub department: Option<String>,
    /// The argon2id hash of the password (a PHC string); never the password.
    pub password_hash: String,
}

/// A person who may sign in, with the hash their password is checked against.
#[derive(Debug, Clone)]
pub struct DeskLogin {
    pub person: PersonRecord,
    pub login: String,
    pub password_hash: String,
}

/// A session as it starts. The id the browser holds is never stored, only its SHA-256.
#[derive(Debug, Clone)]
pub struct NewDeskSession {
    pub id_sha256: String,
    pub person_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A session that is still valid, with the person it belongs to.
#[derive(Debug, Clone)]
pub struct DeskSession {
    pub id_sha256: String,
    pub person: PersonRecord,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// How many failed attempts to sign in are allowed, per name and per address, since when.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    pub since: DateTime<Utc>,
    pub max_failures: u32,
}

/// A JSON API token as listed for the admin (never the token itself).
#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    pub id: i64,
    pub label: String,
    pub login: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}
