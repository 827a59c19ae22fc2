//! The chat front ends' part of the store: pieces of submissions, questions waiting for an
//! answer, update cursors, messages to change later, things said once. Every statement is one
//! guarded change, so two daemons on one database do not gather, answer or say a thing twice.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::{from_ms, ms};
use crate::store::{ChatPiece, ChatWait, NewChatPiece, PersonRecord, Result};

type PersonRow = (i64, String, String, Option<String>, Option<i64>);

fn person((id, name, role, department, telegram_user_id): PersonRow) -> PersonRecord {
    PersonRecord {
        id,
        name,
        role,
        department,
        telegram_user_id,
    }
}

pub(super) async fn person_by_id(pool: &SqlitePool, id: i64) -> Result<Option<PersonRecord>> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT id, name, role, department, telegram_user_id FROM people WHERE id = ? AND active = 1",
    )
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(person))
}

pub(super) async fn person_by_telegram(
    pool: &SqlitePool,
    telegram_user_id: i64,
) -> Result<Option<PersonRecord>> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT id, name, role, department, telegram_user_id FROM people WHERE telegram_user_id = ? AND active = 1",
    )
    .bind(telegram_user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(person))
}

pub(super) async fn people(pool: &SqlitePool) -> Result<Vec<PersonRecord>> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, name, role, department, telegram_user_id FROM people WHERE active = 1 ORDER BY id",
    )
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(person).collect())
}

pub(super) async fn add_piece(pool: &SqlitePool, p: &NewChatPiece) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO chat_pieces (origin, person_id, chat, body, kind, file_path, file_ref, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING",
    )
    .bind(&p.origin)
    .bind(p.person_id)
    .bind(&p.chat)
    .bind(&p.body)
    .bind(&p.kind)
    .bind(&p.file_path)
    .bind(&p.file_ref)
    .bind(ms(p.received_at))
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

type PieceRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

pub(super) async fn open_pieces(pool: &SqlitePool, person_id: i64) -> Result<Vec<ChatPiece>> {
    let rows: Vec<PieceRow> = sqlx::query_as(
        "SELECT id, origin, chat, body, kind, file_path, file_ref, received_at FROM chat_pieces
         WHERE person_id = ? AND state = 'open' ORDER BY received_at, id",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, origin, chat, body, kind, file_path, file_ref, at)| ChatPiece {
                id,
                origin,
                chat,
                body,
                kind,
                file_path,
                file_ref,
                received_at: from_ms(at),
            },
        )
        .collect())
}

pub(super) async fn quiet_senders(pool: &SqlitePool, since: DateTime<Utc>) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT person_id FROM chat_pieces WHERE state = 'open'
         GROUP BY person_id HAVING MAX(received_at) <= ? ORDER BY MIN(received_at)",
    )
    .bind(ms(since))
    .fetch_all(pool)
    .await?)
}

pub(super) async fn close_pieces(
    pool: &SqlitePool,
    person_id: i64,
    up_to: i64,
    announcement_id: Option<i64>,
) -> Result<u64> {
    let mut conn = pool.acquire().await?;
    close_pieces_in(&mut conn, person_id, up_to, announcement_id).await
}

/// [`close_pieces`] on a connection (inside the change that made the submission).
pub(super) async fn close_pieces_in(
    conn: &mut sqlx::SqliteConnection,
    person_id: i64,
    up_to: i64,
    announcement_id: Option<i64>,
) -> Result<u64> {
    let state = if announcement_id.is_some() {
        "submitted"
    } else {
        "discarded"
    };
    let done = sqlx::query(
        "UPDATE chat_pieces SET state = ?, announcement_id = ?
         WHERE person_id = ? AND id <= ? AND state = 'open'",
    )
    .bind(state)
    .bind(announcement_id)
    .bind(person_id)
    .bind(up_to)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

pub(super) async fn chat_of(
    pool: &SqlitePool,
    announcement_id: i64,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT person_id, chat FROM chat_pieces WHERE announcement_id = ? ORDER BY id LIMIT 1",
    )
    .bind(announcement_id)
    .fetch_optional(pool)
    .await?)
}

pub(super) async fn files(
    pool: &SqlitePool,
    announcement_id: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT kind, file_ref FROM chat_pieces
         WHERE announcement_id = ? AND kind IS NOT NULL AND file_ref IS NOT NULL ORDER BY id",
    )
    .bind(announcement_id)
    .fetch_all(pool)
    .await?)
}

pub(super) async fn announcements_of(
    pool: &SqlitePool,
    person_id: i64,
    limit: usize,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT announcement_id FROM chat_pieces WHERE person_id = ? AND announcement_id IS NOT NULL
         GROUP BY announcement_id ORDER BY announcement_id DESC LIMIT ?",
    )
    .bind(person_id)
    .bind(limit as i64)
    .fetch_all(pool)
    .await?)
}

pub(super) async fn set_wait(
    pool: &SqlitePool,
    person_id: i64,
    wait: &ChatWait,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_waits (person_id, action, announcement_id, asked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (person_id) DO UPDATE SET action = excluded.action,
           announcement_id = excluded.announcement_id, asked_at = excluded.asked_at",
    )
    .bind(person_id)
    .bind(&wait.action)
    .bind(wait.announcement_id)
    .bind(ms(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn take_wait(pool: &SqlitePool, person_id: i64) -> Result<Option<ChatWait>> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "DELETE FROM chat_waits WHERE person_id = ? RETURNING action, announcement_id",
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(action, announcement_id)| ChatWait {
        action,
        announcement_id,
    }))
}

pub(super) async fn cursor(pool: &SqlitePool, front: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT next_update FROM chat_cursors WHERE front = ?")
            .bind(front)
            .fetch_optional(pool)
            .await?,
    )
}

pub(super) async fn save_cursor(pool: &SqlitePool, front: &str, next: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_cursors (front, next_update) VALUES (?, ?)
         ON CONFLICT (front) DO UPDATE SET next_update = MAX(next_update, excluded.next_update)",
    )
    .bind(front)
    .bind(next)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn add_message(
    pool: &SqlitePool,
    announcement_id: i64,
    chat: &str,
    message_id: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_messages (announcement_id, chat, message_id) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(announcement_id)
    .bind(chat)
    .bind(message_id)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn messages(
    pool: &SqlitePool,
    announcement_id: i64,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT chat, message_id FROM chat_messages WHERE announcement_id = ? ORDER BY chat, message_id",
    )
    .bind(announcement_id)
    .fetch_all(pool)
    .await?)
}

pub(super) async fn say_once(pool: &SqlitePool, key: &str, now: DateTime<Utc>) -> Result<bool> {
    let done =
        sqlx::query("INSERT INTO chat_notices (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(key)
            .bind(ms(now))
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn said(pool: &SqlitePool, key: &str) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM chat_notices WHERE key = ?")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}
