//! Queueing many announcements in one transaction (the JSON API, imports of past
//! announcements, `prakat bench dispatch`): rows go in with multi-row inserts, a few statements
//! per thousand announcements instead of five per announcement and a commit each.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{AuditLine, audit_many, json, load_department, ms, queued_row, stored_payload};
use crate::store::{
    Actor, AnnouncementRecord, ComposeFn, DeliveryRow, NewAnnouncement, Result, StoreError,
};

/// Rows per insert: at most 13 parameters each, well under SQLite's limit on parameters.
const CHUNK: usize = 1000;

/// Insert approved announcements, their media links, their composed deliveries and their audit
/// lines. Ids are the next ones of each table: the caller holds the write lock (`BEGIN
/// IMMEDIATE`), so they are the ids SQLite would give one by one.
pub(super) async fn insert_announcements(
    tx: &mut Transaction<'_, Sqlite>,
    news: &[NewAnnouncement],
    author: &Actor,
    now: DateTime<Utc>,
    compose: &ComposeFn<'_>,
) -> Result<Vec<(AnnouncementRecord, Vec<DeliveryRow>)>> {
    let mut departments = HashMap::new();
    for n in news {
        if !departments.contains_key(&n.department) {
            let d = load_department(tx, &n.department).await?;
            departments.insert(n.department.clone(), d);
        }
    }
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM announcements")
        .fetch_one(&mut **tx)
        .await?;
    let records: Vec<AnnouncementRecord> = news
        .iter()
        .zip(first..)
        .map(|(n, id)| AnnouncementRecord {
            id,
            department: departments[&n.department].clone(),
            title: n.title.clone(),
            body: n.body.clone(),
            link: n.link.clone(),
            tags: n.tags.clone(),
            media: n.media.clone(),
            author: author.name.clone(),
            source: n.source.clone(),
            state: "approved".into(),
            publish_at: n.publish_at,
            rule_id: None,
            created_at: now,
            channels: n.channels.clone(),
            decision: None,
            revision: Default::default(),
        })
        .collect();
    // Compose everything before writing: a refusal writes nothing.
    let mut composed = Vec::with_capacity(records.len());
    for r in &records {
        let c = compose(r)?;
        if c.deliveries.is_empty() {
            return Err(StoreError::Invalid(
                "an announcement needs at least one channel".into(),
            ));
        }
        composed.push(c);
    }

    for chunk in records.chunks(CHUNK) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO announcements (id, department, title, body, link, tags, author, source, state, publish_at, rule_id, created_at, channels) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(&r.department.code)
                .push_bind(&r.title)
                .push_bind(&r.body)
                .push_bind(&r.link)
                .push_bind(json(&r.tags))
                .push_bind(&r.author)
                .push_bind(&r.source)
                .push_bind(&r.state)
                .push_bind(ms(r.publish_at))
                .push_bind(None::<i64>)
                .push_bind(ms(now))
                .push_bind(json(&r.channels));
        });
        qb.build().execute(&mut **tx).await?;
    }
    let media: Vec<(i64, i64, &str)> = records
        .iter()
        .flat_map(|r| {
            r.media
                .iter()
                .enumerate()
                .map(move |(pos, m)| (r.id, pos as i64, m.sha256.as_str()))
        })
        .collect();
    for chunk in media.chunks(CHUNK) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO announcement_media (announcement_id, position, sha256) ",
        );
        qb.push_values(chunk, |mut b, (id, pos, sha)| {
            b.push_bind(*id).push_bind(*pos).push_bind(*sha);
        });
        qb.build().execute(&mut **tx).await?;
    }

    let mut next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM deliveries")
        .fetch_one(&mut **tx)
        .await?;
    let mut out = Vec::with_capacity(records.len());
    let mut lines = Vec::new();
    let mut deliveries = Vec::new();
    for (record, c) in records.into_iter().zip(&composed) {
        let id = record.id.to_string();
        for k in &c.skipped {
            lines.push(AuditLine {
                action: "skipped",
                entity: "announcement",
                entity_id: id.clone(),
                detail: serde_json::json!({"channel": k.channel, "reason": k.reason.en, "reason_th": k.reason.th}),
            });
        }
        let mut rows = Vec::with_capacity(c.deliveries.len());
        for d in &c.deliveries {
            lines.push(AuditLine {
                action: "queued",
                entity: "delivery",
                entity_id: next.to_string(),
                detail: serde_json::json!({"channel": d.channel, "due_at": d.due_at}),
            });
            rows.push(queued_row(&record, d, next));
            deliveries.push((next, record.id, d));
            next += 1;
        }
        lines.push(AuditLine {
            action: "created",
            entity: "announcement",
            entity_id: id,
            detail: serde_json::json!({"department": record.department.code, "source": record.source, "rule_id": record.rule_id,
                                       "channels": c.deliveries.iter().map(|d| d.channel.as_str()).collect::<Vec<_>>()}),
        });
        out.push((record, rows));
    }
    for chunk in deliveries.chunks(CHUNK) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO deliveries (id, announcement_id, channel, state, due_at, next_attempt_at, idempotency_key, payload, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, (did, aid, d)| {
            b.push_bind(*did)
                .push_bind(*aid)
                .push_bind(&d.channel)
                .push_bind("queued")
                .push_bind(ms(d.due_at))
                .push_bind(ms(d.due_at))
                .push_bind(&d.idempotency_key)
                .push_bind(stored_payload(&d.payload))
                .push_bind(ms(now))
                .push_bind(ms(now));
        });
        qb.build().execute(&mut **tx).await?;
    }
    audit_many(tx, now, author, &lines).await?;
    Ok(out)
}

impl super::SqliteStore {
    /// For `prakat bench desk` only: give the deliveries of a seeded store the states a station's
    /// history has — those due before `now` published (one in 25 failed, one in 25 waiting for
    /// a person, one in 25 cancelled), the rest queued — in one change. The counts by channel
    /// and state follow through their triggers. Never called by the daemon.
    pub async fn mix_states_for_bench(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE deliveries SET
                state = CASE
                    WHEN due_at > ?1 THEN 'queued'
                    WHEN id % 25 = 0 THEN 'failed'
                    WHEN id % 25 = 1 THEN 'needs_attention'
                    WHEN id % 25 = 2 THEN 'cancelled'
                    ELSE 'published' END,
                attempts = CASE WHEN due_at > ?1 THEN 0 ELSE 1 + id % 3 END,
                published_at = CASE WHEN due_at <= ?1 AND id % 25 > 2 THEN due_at + 1500 END,
                remote_url = CASE WHEN due_at <= ?1 AND id % 25 > 2
                    THEN 'https://example.invalid/p/' || id END,
                last_error = CASE WHEN due_at <= ?1 AND id % 25 < 2
                    THEN 'HTTP 500 from the platform: try again later' END,
                last_error_class = CASE WHEN due_at <= ?1 AND id % 25 < 2 THEN 'transient' END",
        )
        .bind(ms(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(done)
    }
}
