//! The web desk's part of the SQLite store: logins, sessions and attempts to sign in. Each
//! change is one transaction started with `BEGIN IMMEDIATE` (the database's one writer), and
//! each decision it depends on is read inside it or written as a guard in the statement, so
//! two daemons on one database neither make two first admins nor let attempts past the limit.

use chrono::{DateTime, Utc};

use super::{SqliteStore, audit, from_ms, load_department, ms};
use crate::store::{
    Actor, ApiTokenRow, DeskLogin, DeskSession, LoginLimit, NewDeskPerson, NewDeskSession,
    PersonRecord, Result, StoreError,
};

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    name: String,
    role: String,
    department: Option<String>,
    telegram_user_id: Option<i64>,
    login: String,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    label: String,
    login: String,
    created_by: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    role: String,
    department: Option<String>,
    telegram_user_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    name: String,
    role: String,
    department: Option<String>,
    telegram_user_id: Option<i64>,
    csrf_token: String,
    created_at: i64,
    last_seen: i64,
    expires_at: i64,
}

fn taken(e: sqlx::Error, login: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(format!("the login {login:?} is taken"))
        }
        _ => e.into(),
    }
}

impl SqliteStore {
    pub(super) async fn add_desk_person_tx(
        &self,
        new: &NewDeskPerson,
        actor: &Actor,
        only_first_admin: bool,
    ) -> Result<Option<PersonRecord>> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        if only_first_admin {
            // Read inside the writer's transaction: no one can add an admin meanwhile.
            let admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM desk_logins l JOIN people p ON p.id = l.person_id
                 WHERE p.role = 'admin' AND p.active = 1",
            )
            .fetch_one(&mut *tx)
            .await?;
            if admins > 0 {
                return Ok(None);
            }
        }
        if let Some(d) = &new.department {
            load_department(&mut tx, d).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (name, role, department, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&new.name)
        .bind(&new.role)
        .bind(&new.department)
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO desk_logins (person_id, login, password_hash, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&new.login)
        .bind(&new.password_hash)
        .bind(ms(now))
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, &new.login))?;
        audit(
            &mut tx,
            now,
            actor,
            "joined",
            "person",
            &id.to_string(),
            serde_json::json!({"role": new.role, "department": new.department, "login": new.login, "via": "web desk"}),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(PersonRecord {
            id,
            name: new.name.clone(),
            role: new.role.clone(),
            department: new.department.clone(),
            telegram_user_id: None,
        }))
    }

    pub(super) async fn set_desk_password_tx(
        &self,
        login: &str,
        password_hash: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let person: Option<i64> = sqlx::query_scalar(
            "UPDATE desk_logins SET password_hash = ?, updated_at = ? WHERE login = ? RETURNING person_id",
        )
        .bind(password_hash)
        .bind(ms(now))
        .bind(login)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(person) = person else {
            return Err(StoreError::NotFound(format!("login {login}")));
        };
        sqlx::query(
            "UPDATE desk_sessions SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL",
        )
        .bind(ms(now))
        .bind(person)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            actor,
            "password_set",
            "person",
            &person.to_string(),
            serde_json::json!({"login": login}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn desk_login_of(&self, login: &str) -> Result<Option<DeskLogin>> {
        let row: Option<LoginRow> = sqlx::query_as(
            "SELECT p.id, p.name, p.role, p.department, p.telegram_user_id, l.login, l.password_hash
             FROM desk_logins l JOIN people p ON p.id = l.person_id
             WHERE l.login = ? AND p.active = 1",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| DeskLogin {
            person: PersonRecord {
                id: r.id,
                name: r.name,
                role: r.role,
                department: r.department,
                telegram_user_id: r.telegram_user_id,
            },
            login: r.login,
            password_hash: r.password_hash,
        }))
    }

    pub(super) async fn start_login_attempt_tx(
        &self,
        login: &str,
        ip: &str,
        now: DateTime<Utc>,
        limit: LoginLimit,
    ) -> Result<Option<i64>> {
        let mut tx = self.write_tx().await?;
        // What no longer counts is forgotten.
        sqlx::query("DELETE FROM desk_login_attempts WHERE at <= ?")
            .bind(ms(limit.since))
            .execute(&mut *tx)
            .await?;
        let (by_login, by_ip): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM desk_login_attempts WHERE login = ?1 AND at > ?3),
                    (SELECT COUNT(*) FROM desk_login_attempts WHERE ip = ?2 AND at > ?3)",
        )
        .bind(login)
        .bind(ip)
        .bind(ms(limit.since))
        .fetch_one(&mut *tx)
        .await?;
        let max = i64::from(limit.max_failures);
        if by_login >= max || by_ip >= max {
            tx.commit().await?;
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO desk_login_attempts (login, ip, at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(login)
        .bind(ip)
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub(super) async fn login_succeeded_tx(&self, attempt: i64) -> Result<()> {
        sqlx::query("DELETE FROM desk_login_attempts WHERE id = ?")
            .bind(attempt)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(super) async fn create_desk_session_tx(
        &self,
        s: &NewDeskSession,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        // Sessions over for a day are forgotten: the audit trail keeps who signed in.
        sqlx::query("DELETE FROM desk_sessions WHERE expires_at < ?1 OR ended_at < ?1")
            .bind(ms(s.created_at) - 86_400_000)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO desk_sessions (id_sha256, person_id, csrf_token, created_at, last_seen, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.id_sha256)
        .bind(s.person_id)
        .bind(&s.csrf_token)
        .bind(ms(s.created_at))
        .bind(ms(s.created_at))
        .bind(ms(s.expires_at))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            s.created_at,
            actor,
            "signed_in",
            "person",
            &s.person_id.to_string(),
            serde_json::json!({"session": &s.id_sha256[..12.min(s.id_sha256.len())]}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn desk_session_of(
        &self,
        id_sha256: &str,
        now: DateTime<Utc>,
        idle: std::time::Duration,
    ) -> Result<Option<DeskSession>> {
        let idle_ms = i64::try_from(idle.as_millis()).unwrap_or(i64::MAX);
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT p.id, p.name, p.role, p.department, p.telegram_user_id,
                    s.csrf_token, s.created_at, s.last_seen, s.expires_at
             FROM desk_sessions s JOIN people p ON p.id = s.person_id
             WHERE s.id_sha256 = ?1 AND s.ended_at IS NULL AND s.expires_at > ?2
               AND s.last_seen > ?2 - ?3 AND p.active = 1",
        )
        .bind(id_sha256)
        .bind(ms(now))
        .bind(idle_ms)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        // Written at most once a minute per session, and only forward: a page load is not a
        // write to the database each time.
        if ms(now) - r.last_seen > 60_000 {
            sqlx::query(
                "UPDATE desk_sessions SET last_seen = MAX(last_seen, ?) WHERE id_sha256 = ? AND ended_at IS NULL",
            )
            .bind(ms(now))
            .bind(id_sha256)
            .execute(&self.pool)
            .await?;
        }
        Ok(Some(DeskSession {
            id_sha256: id_sha256.to_owned(),
            person: PersonRecord {
                id: r.id,
                name: r.name,
                role: r.role,
                department: r.department,
                telegram_user_id: r.telegram_user_id,
            },
            csrf_token: r.csrf_token,
            created_at: from_ms(r.created_at),
            last_seen: from_ms(r.last_seen.max(ms(now))),
            expires_at: from_ms(r.expires_at),
        }))
    }

    pub(super) async fn end_desk_session_tx(
        &self,
        id_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE desk_sessions SET ended_at = ? WHERE id_sha256 = ? AND ended_at IS NULL",
        )
        .bind(ms(now))
        .bind(id_sha256)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn create_api_token_tx(
        &self,
        login: &str,
        token_sha256: &str,
        label: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_sha256, person_id, label, created_by, created_at)
             SELECT ?, l.person_id, ?, ?, ? FROM desk_logins l JOIN people p ON p.id = l.person_id
             WHERE l.login = ? AND p.active = 1
             RETURNING id",
        )
        .bind(token_sha256)
        .bind(label)
        .bind(&actor.name)
        .bind(ms(now))
        .bind(login)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Err(StoreError::NotFound(format!("login {login}")));
        };
        audit(
            &mut tx,
            now,
            actor,
            "api_token_created",
            "api_token",
            &id.to_string(),
            serde_json::json!({"login": login, "label": label}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(super) async fn api_token_person_of(
        &self,
        token_sha256: &str,
    ) -> Result<Option<PersonRecord>> {
        let row: Option<PersonRow> = sqlx::query_as(
            "SELECT p.id, p.name, p.role, p.department, p.telegram_user_id
             FROM api_tokens t JOIN people p ON p.id = t.person_id
             WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND p.active = 1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| PersonRecord {
            id: r.id,
            name: r.name,
            role: r.role,
            department: r.department,
            telegram_user_id: r.telegram_user_id,
        }))
    }

    pub(super) async fn revoke_api_token_tx(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(ms(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 1 {
            audit(
                &mut tx,
                now,
                actor,
                "api_token_revoked",
                "api_token",
                &id.to_string(),
                serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn desk_logins_all(&self) -> Result<Vec<DeskLogin>> {
        let rows: Vec<LoginRow> = sqlx::query_as(
            "SELECT p.id, p.name, p.role, p.department, p.telegram_user_id, l.login, l.password_hash
             FROM desk_logins l JOIN people p ON p.id = l.person_id
             WHERE p.active = 1 ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeskLogin {
                person: PersonRecord {
                    id: r.id,
                    name: r.name,
                    role: r.role,
                    department: r.department,
                    telegram_user_id: r.telegram_user_id,
                },
                login: r.login,
                password_hash: r.password_hash,
            })
            .collect())
    }

    pub(super) async fn api_tokens_all(&self) -> Result<Vec<ApiTokenRow>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT t.id, t.label, l.login, t.created_by, t.created_at, t.revoked_at
             FROM api_tokens t JOIN desk_logins l ON l.person_id = t.person_id
             ORDER BY t.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiTokenRow {
                id: r.id,
                label: r.label,
                login: r.login,
                created_by: r.created_by,
                created_at: from_ms(r.created_at),
                revoked_at: r.revoked_at.map(from_ms),
            })
            .collect())
    }

    pub(super) async fn remove_desk_person_tx(
        &self,
        login: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let person: Option<i64> =
            sqlx::query_scalar("DELETE FROM desk_logins WHERE login = ? RETURNING person_id")
                .bind(login)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(person) = person else {
            return Err(StoreError::NotFound(format!("login {login}")));
        };
        sqlx::query("UPDATE people SET active = 0 WHERE id = ?")
            .bind(person)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE desk_sessions SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL",
        )
        .bind(ms(now))
        .bind(person)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
        )
        .bind(ms(now))
        .bind(person)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            actor,
            "left",
            "person",
            &person.to_string(),
            serde_json::json!({"login": login}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
