//! Corrections in SQLite: edits and retractions of approved announcements, and the amendments
//! that carry them to each channel (claimed, fenced and settled like deliveries).

use chrono::{DateTime, Utc};
use prakat_adapters::{Payload, Receipt};
use sqlx::{Sqlite, Transaction};

use super::{SqliteStore, audit, from_ms, ms, stored_payload};
use crate::store::{
    Actor, AmendAction, AmendOutcome, AmendTarget, AmendmentRow, AnnouncementEdit,
    AnnouncementRetraction, ClaimedAmendment, Corrected, Result, StoreError,
};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    announcement_id: i64,
    delivery_id: i64,
    channel: String,
    action: String,
    revision: i64,
    state: String,
    attempts: i64,
    next_attempt_at: i64,
    outcome: Option<String>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl Row {
    fn into_row(self) -> Result<AmendmentRow> {
        Ok(AmendmentRow {
            id: self.id,
            announcement_id: self.announcement_id,
            delivery_id: self.delivery_id,
            channel: self.channel,
            action: AmendAction::parse(&self.action).ok_or_else(|| {
                StoreError::Corrupt(format!("amendment action {:?}", self.action))
            })?,
            revision: self.revision as u32,
            state: self.state,
            attempts: self.attempts as u32,
            next_attempt_at: from_ms(self.next_attempt_at),
            outcome: self.outcome,
            last_error: self.last_error,
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
        })
    }
}

/// The columns of [`Row`], for `concat!` (SQL stays a literal).
macro_rules! row_columns {
    () => {
        "m.id, m.announcement_id, m.delivery_id, m.channel, m.action, m.revision, m.state, \
         m.attempts, m.next_attempt_at, m.outcome, m.last_error, m.created_at, m.updated_at"
    };
}

async fn load_row(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<AmendmentRow> {
    let row: Row = sqlx::query_as(concat!(
        "SELECT ",
        row_columns!(),
        " FROM amendments m WHERE m.id = ?"
    ))
    .bind(id)
    .fetch_one(conn)
    .await?;
    row.into_row()
}

/// Why an approved announcement cannot be corrected now, in the caller's words.
async fn not_correctable(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    from: Option<u32>,
) -> StoreError {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT state, revision FROM announcements WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await
            .unwrap_or(None);
    match row {
        None => StoreError::NotFound(format!("announcement {id}")),
        Some((state, _)) if state == "retracted" => {
            StoreError::Conflict(format!("announcement {id} is retracted"))
        }
        Some((state, _)) if state != "approved" => StoreError::Conflict(format!(
            "announcement {id} is {state}: only an approved announcement is corrected"
        )),
        Some((_, rev)) => StoreError::Conflict(format!(
            "announcement {id} was changed meanwhile (now revision {rev}, this edit was made from {})",
            from.unwrap_or_default()
        )),
    }
}

async fn insert_amendment(
    tx: &mut Transaction<'_, Sqlite>,
    a: (i64, i64, &str),
    action: AmendAction,
    revision: u32,
    payload: Option<&Payload>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AmendmentRow> {
    let (announcement_id, delivery_id, channel) = a;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO amendments (announcement_id, delivery_id, channel, action, revision, state, payload,
             reason, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(announcement_id)
    .bind(delivery_id)
    .bind(channel)
    .bind(action.as_str())
    .bind(i64::from(revision))
    .bind(payload.map(stored_payload))
    .bind(reason)
    .bind(ms(now))
    .bind(ms(now))
    .bind(ms(now))
    .fetch_one(&mut **tx)
    .await?;
    load_row(tx, id).await
}

impl SqliteStore {
    pub(super) async fn edit_announcement_tx(
        &self,
        e: &AnnouncementEdit,
        actor: &Actor,
    ) -> Result<Corrected> {
        let mut tx = self.write_tx().await?;
        let old: Option<(String, String)> = sqlx::query_as(
            "SELECT title, body FROM announcements WHERE id = ? AND state = 'approved' AND revision = ?",
        )
        .bind(e.id)
        .bind(i64::from(e.from_revision))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((old_title, old_body)) = old else {
            return Err(not_correctable(&mut tx, e.id, Some(e.from_revision)).await);
        };
        let revision = e.from_revision + 1;
        sqlx::query(
            "UPDATE announcements SET title = ?, body = ?, revision = ?, edited_at = ? WHERE id = ?",
        )
        .bind(&e.title)
        .bind(&e.body)
        .bind(i64::from(revision))
        .bind(ms(e.at))
        .bind(e.id)
        .execute(&mut *tx)
        .await?;
        let old_media: Vec<String> = sqlx::query_scalar(
            "SELECT sha256 FROM announcement_media WHERE announcement_id = ? ORDER BY position",
        )
        .bind(e.id)
        .fetch_all(&mut *tx)
        .await?;
        if let Some(media) = &e.media {
            sqlx::query("DELETE FROM announcement_media WHERE announcement_id = ?")
                .bind(e.id)
                .execute(&mut *tx)
                .await?;
            super::insert_media(&mut tx, e.id, media).await?;
        }
        let mut done = Corrected {
            announcement_id: e.id,
            revision,
            in_place: vec![],
            amendments: vec![],
        };
        for (delivery_id, payload) in &e.payloads {
            // Every delivery not cancelled carries the new text from now on: one not yet out
            // publishes it, and one being sent publishes it on its next attempt.
            let state: Option<(String, String)> = sqlx::query_as(
                "UPDATE deliveries SET payload = ?, updated_at = ?
                 WHERE id = ? AND announcement_id = ? AND state <> 'cancelled'
                 RETURNING state, channel",
            )
            .bind(stored_payload(payload))
            .bind(ms(e.at))
            .bind(delivery_id)
            .bind(e.id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((state, channel)) = state else {
                continue;
            };
            if state != "published" && state != "in_flight" {
                done.in_place.push((*delivery_id, channel));
                continue;
            }
            // Out, or perhaps out once the attempt in progress ends: the channel must change
            // what it carries. An earlier edit still waiting is replaced by this one.
            sqlx::query(
                "UPDATE amendments SET state = 'superseded', updated_at = ?
                 WHERE delivery_id = ? AND action = 'edit' AND state = 'waiting'",
            )
            .bind(ms(e.at))
            .bind(delivery_id)
            .execute(&mut *tx)
            .await?;
            done.amendments.push(
                insert_amendment(
                    &mut tx,
                    (e.id, *delivery_id, &channel),
                    AmendAction::Edit,
                    revision,
                    Some(payload),
                    None,
                    e.at,
                )
                .await?,
            );
        }
        audit(
            &mut tx,
            e.at,
            actor,
            "edited",
            "announcement",
            &e.id.to_string(),
            serde_json::json!({
                "revision": revision,
                "old": {"title": old_title, "body": old_body, "media": old_media},
                "new": {
                    "title": e.title,
                    "body": e.body,
                    "media": e
                        .media
                        .as_ref()
                        .map(|m| m.iter().map(|m| m.sha256.as_str()).collect::<Vec<_>>())
                        .unwrap_or_else(|| old_media.iter().map(String::as_str).collect()),
                },
                "in_place": done.in_place.iter().map(|(_, c)| c).collect::<Vec<_>>(),
                "amend": done.amendments.iter().map(|a| &a.channel).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    pub(super) async fn retract_announcement_tx(
        &self,
        r: &AnnouncementRetraction,
        actor: &Actor,
    ) -> Result<Corrected> {
        let mut tx = self.write_tx().await?;
        let revision: Option<i64> = sqlx::query_scalar(
            "UPDATE announcements SET state = 'retracted', revision = revision + 1, retracted_at = ?,
                 retract_reason = ?
             WHERE id = ? AND state = 'approved' RETURNING revision",
        )
        .bind(ms(r.at))
        .bind(&r.reason)
        .bind(r.id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(revision) = revision else {
            return Err(not_correctable(&mut tx, r.id, None).await);
        };
        let revision = revision as u32;
        // Not out: never sent now. One whose unsettled attempt may have reached its platform
        // still gets a retraction (below), which looks before it takes anything down.
        let cancelled: Vec<(i64, String, i64)> = sqlx::query_as(
            "UPDATE deliveries SET state = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
             WHERE announcement_id = ? AND state IN ('queued', 'failed', 'needs_attention')
             RETURNING id, channel, unsettled",
        )
        .bind(ms(r.at))
        .bind(r.id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE amendments SET state = 'superseded', updated_at = ?
             WHERE announcement_id = ? AND action = 'edit' AND state = 'waiting'",
        )
        .bind(ms(r.at))
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
        let out: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, channel FROM deliveries
             WHERE announcement_id = ? AND state IN ('published', 'in_flight') ORDER BY id",
        )
        .bind(r.id)
        .fetch_all(&mut *tx)
        .await?;
        let mut done = Corrected {
            announcement_id: r.id,
            revision,
            in_place: vec![],
            amendments: vec![],
        };
        let mut to_amend = out;
        for (id, channel, unsettled) in cancelled {
            audit(
                &mut tx,
                r.at,
                actor,
                "cancelled",
                "delivery",
                &id.to_string(),
                serde_json::json!({"why": "retracted"}),
            )
            .await?;
            if unsettled != 0 {
                to_amend.push((id, channel));
            } else {
                done.in_place.push((id, channel));
            }
        }
        to_amend.sort();
        for (delivery_id, channel) in to_amend {
            done.amendments.push(
                insert_amendment(
                    &mut tx,
                    (r.id, delivery_id, &channel),
                    AmendAction::Retract,
                    revision,
                    None,
                    Some(&r.reason),
                    r.at,
                )
                .await?,
            );
        }
        audit(
            &mut tx,
            r.at,
            actor,
            "retracted",
            "announcement",
            &r.id.to_string(),
            serde_json::json!({
                "revision": revision,
                "reason": r.reason,
                "cancelled": done.in_place.iter().map(|(_, c)| c).collect::<Vec<_>>(),
                "amend": done.amendments.iter().map(|a| &a.channel).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    pub(super) async fn amendments_of(&self, announcement_id: i64) -> Result<Vec<AmendmentRow>> {
        let rows: Vec<Row> = sqlx::query_as(concat!(
            "SELECT ",
            row_columns!(),
            " FROM amendments m WHERE m.announcement_id = ? ORDER BY m.id"
        ))
        .bind(announcement_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Row::into_row).collect()
    }

    pub(super) async fn claim_amendments_tx(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease: std::time::Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedAmendment>> {
        let until =
            now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
        let mut tx = self.write_tx().await?;
        let claimed: Vec<(i64, i64)> = sqlx::query_as(
            "UPDATE amendments SET state = 'in_flight', attempts = attempts + 1, claim_seq = claim_seq + 1,
                 lease_owner = ?1, lease_expires_at = ?2, updated_at = ?3
             WHERE id IN (
                 SELECT m.id FROM amendments m
                 WHERE m.state IN ('waiting', 'in_flight')
                   AND ((m.state = 'waiting' AND m.next_attempt_at <= ?3)
                        OR (m.state = 'in_flight' AND m.lease_expires_at <= ?3))
                   AND NOT EXISTS (SELECT 1 FROM amendments e
                                   WHERE e.delivery_id = m.delivery_id AND e.id < m.id
                                     AND e.state IN ('waiting', 'in_flight'))
                 ORDER BY m.id LIMIT ?4)
             AND (state = 'waiting' OR (state = 'in_flight' AND lease_expires_at <= ?3))
             RETURNING id, claim_seq",
        )
        .bind(owner)
        .bind(ms(until))
        .bind(ms(now))
        .bind(limit as i64)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(claimed.len());
        for (id, claim) in claimed {
            out.push(self.load_claimed(&mut tx, id, claim, now).await?);
            audit(
                &mut tx,
                now,
                &Actor::daemon(&format!("corrections:{owner}")),
                "claimed",
                "amendment",
                &id.to_string(),
                serde_json::json!({"claim": claim}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn load_claimed(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        id: i64,
        claim: i64,
        now: DateTime<Utc>,
    ) -> Result<ClaimedAmendment> {
        let row = load_row(tx, id).await?;
        #[allow(clippy::type_complexity)]
        let (payload, reason, d_state, lease, unsettled, remote_id, remote_url, request_id, key, d_payload, edited, retracted): (
            Option<String>,
            Option<String>,
            String,
            Option<i64>,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<i64>,
            Option<i64>,
        ) = sqlx::query_as(
            "SELECT m.payload, m.reason, d.state, d.lease_expires_at, d.unsettled, d.remote_id, d.remote_url,
                    d.request_id, d.idempotency_key, d.payload, a.edited_at, a.retracted_at
             FROM amendments m JOIN deliveries d ON d.id = m.delivery_id
             JOIN announcements a ON a.id = m.announcement_id
             WHERE m.id = ?",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        let parse = |what: &str, s: &str| -> Result<Payload> {
            let mut p: Payload = serde_json::from_str(s)
                .map_err(|e| StoreError::Corrupt(format!("{what} of amendment {id}: {e}")))?;
            self.resolve_payload(&mut p);
            Ok(p)
        };
        let action = Some(row.action);
        Ok(ClaimedAmendment {
            claim,
            payload: payload
                .as_deref()
                .map(|p| parse("payload", p))
                .transpose()?,
            reason,
            target: AmendTarget {
                leased: d_state == "in_flight" && lease.is_some_and(|l| l > ms(now)),
                state: d_state,
                unsettled: unsettled != 0,
                receipt: Receipt {
                    remote_id,
                    url: remote_url,
                    request_id,
                    deduplicated: false,
                },
                idempotency_key: key,
                payload: parse("delivery payload", &d_payload)?,
            },
            corrected_at: match action {
                Some(AmendAction::Retract) => retracted.or(edited),
                _ => edited.or(retracted),
            }
            .map(from_ms)
            .unwrap_or(now),
            row,
        })
    }

    pub(super) async fn settle_amendment_tx(
        &self,
        c: &ClaimedAmendment,
        outcome: &AmendOutcome,
        now: DateTime<Utc>,
        owner: &str,
    ) -> Result<bool> {
        let (state, next, note, error, count, action) = match outcome {
            AmendOutcome::Done { note, .. } => {
                ("done", now, Some(note.as_str()), None, true, "amended")
            }
            AmendOutcome::ByHand { what } => (
                "by_hand",
                now,
                Some(what.as_str()),
                None,
                true,
                "correction_by_hand",
            ),
            AmendOutcome::NotNeeded { note } => (
                "not_needed",
                now,
                Some(note.as_str()),
                None,
                true,
                "amendment_not_needed",
            ),
            AmendOutcome::Later {
                at,
                error,
                count_attempt,
            } => (
                "waiting",
                *at,
                None,
                error.as_deref(),
                *count_attempt,
                "amendment_later",
            ),
            AmendOutcome::Failed { error } => (
                "failed",
                now,
                None,
                Some(error.as_str()),
                true,
                "correction_failed",
            ),
        };
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE amendments SET state = ?, next_attempt_at = ?, outcome = COALESCE(?, outcome),
                 last_error = COALESCE(?, last_error), attempts = attempts - ?, lease_owner = NULL,
                 lease_expires_at = NULL, updated_at = ?
             WHERE id = ? AND claim_seq = ? AND state = 'in_flight'",
        )
        .bind(state)
        .bind(ms(next))
        .bind(note)
        .bind(error)
        .bind(if count { 0 } else { 1 })
        .bind(ms(now))
        .bind(c.row.id)
        .bind(c.claim)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let settled = !matches!(outcome, AmendOutcome::Later { .. });
        if settled && c.row.action == AmendAction::Retract {
            // A delivery left in flight by a daemon that died is never claimed again once its
            // announcement is retracted: it ends here, cancelled.
            sqlx::query(
                "UPDATE deliveries SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                 WHERE id = ? AND state = 'in_flight' AND (lease_expires_at IS NULL OR lease_expires_at <= ?)",
            )
            .bind(ms(now))
            .bind(c.row.delivery_id)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        }
        if let AmendOutcome::Done { url: Some(url), .. } = outcome {
            sqlx::query("UPDATE deliveries SET remote_url = ?, updated_at = ? WHERE id = ?")
                .bind(url)
                .bind(ms(now))
                .bind(c.row.delivery_id)
                .execute(&mut *tx)
                .await?;
        }
        // A waiting amendment is not news; every other outcome is kept, and the ones a person
        // must act on are events.
        if !matches!(
            outcome,
            AmendOutcome::Later {
                count_attempt: false,
                ..
            }
        ) {
            audit(
                &mut tx,
                now,
                &Actor::daemon(&format!("corrections:{owner}")),
                action,
                "announcement",
                &c.row.announcement_id.to_string(),
                serde_json::json!({
                    "amendment": c.row.id,
                    "delivery": c.row.delivery_id,
                    "channel": c.row.channel,
                    "action": c.row.action.as_str(),
                    "revision": c.row.revision,
                    "note": note,
                    "error": error,
                }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
