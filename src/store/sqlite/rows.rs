//! Row shapes as SQLite returns them, and their conversion into domain types.

use std::path::PathBuf;

use prakat_adapters::{Department, MediaKind, MediaRef, Payload};

use super::{from_ms, load_media};
use crate::store::*;

pub(super) fn media_kind_str(k: MediaKind) -> &'static str {
    match k {
        MediaKind::Image => "image",
        MediaKind::Video => "video",
        MediaKind::Document => "document",
    }
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

#[derive(sqlx::FromRow)]
pub(super) struct DepartmentRow {
    code: String,
    name_th: String,
    name_en: String,
}

impl From<DepartmentRow> for Department {
    fn from(r: DepartmentRow) -> Self {
        Department {
            code: r.code,
            name_th: r.name_th,
            name_en: r.name_en,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct MediaRow {
    sha256: String,
    mime: String,
    kind: String,
    size: i64,
    path: String,
    original_name: String,
}

impl MediaRow {
    pub(super) fn into_media(self) -> Result<MediaRef> {
        let kind = match self.kind.as_str() {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "document" => MediaKind::Document,
            other => return Err(StoreError::Corrupt(format!("media kind {other}"))),
        };
        Ok(MediaRef {
            sha256: self.sha256,
            mime: self.mime,
            kind,
            size: self.size as u64,
            path: PathBuf::from(self.path),
            original_name: self.original_name,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AnnouncementRow {
    id: i64,
    pub(super) department: String,
    title: String,
    body: String,
    link: Option<String>,
    tags: String,
    author: String,
    source: String,
    state: String,
    publish_at: i64,
    rule_id: Option<i64>,
    created_at: i64,
    channels: String,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    decision_note: Option<String>,
    revision: i64,
    edited_at: Option<i64>,
    retracted_at: Option<i64>,
    retract_reason: Option<String>,
}

impl AnnouncementRow {
    pub(super) fn into_record(
        self,
        department: Department,
        media: Vec<MediaRef>,
    ) -> Result<AnnouncementRecord> {
        Ok(AnnouncementRecord {
            id: self.id,
            department,
            title: self.title,
            body: self.body,
            link: self.link,
            tags: parse_json("announcement tags", &self.tags)?,
            media,
            author: self.author,
            source: self.source,
            state: self.state,
            publish_at: from_ms(self.publish_at),
            rule_id: self.rule_id,
            created_at: from_ms(self.created_at),
            channels: parse_json("announcement channels", &self.channels)?,
            decision: match (self.decided_by, self.decided_at) {
                (Some(by), Some(at)) => Some(Decision {
                    by,
                    at: from_ms(at),
                    note: self.decision_note,
                }),
                _ => None,
            },
            revision: crate::store::Revision {
                number: self.revision as u32,
                edited_at: self.edited_at.map(from_ms),
                retracted: self.retracted_at.map(|at| crate::store::Retracted {
                    at: from_ms(at),
                    reason: self.retract_reason.unwrap_or_default(),
                }),
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct RuleRow {
    id: i64,
    department: String,
    title: String,
    body: String,
    link: Option<String>,
    media: String,
    channels: String,
    cron: String,
    next_fire_at: i64,
    active: i64,
    author: String,
    paused_reason: Option<String>,
    paused_at: Option<i64>,
}

impl RuleRow {
    pub(super) async fn into_record(self, conn: &mut sqlx::SqliteConnection) -> Result<RuleRecord> {
        let hashes: Vec<String> = parse_json("rule media", &self.media)?;
        Ok(RuleRecord {
            id: self.id,
            department: self.department,
            title: self.title,
            body: self.body,
            link: self.link,
            media: load_media(conn, &hashes).await?,
            channels: parse_json("rule channels", &self.channels)?,
            cron: self.cron,
            next_fire_at: from_ms(self.next_fire_at),
            active: self.active != 0,
            author: self.author,
            paused_reason: self.paused_reason,
            paused_at: self.paused_at.map(from_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ClaimRow {
    pub(super) id: i64,
    announcement_id: i64,
    channel: String,
    payload: String,
    idempotency_key: String,
    pub(super) attempts: i64,
    pub(super) unsettled: i64,
    due_at: i64,
    publish_state: Option<String>,
    claim_seq: i64,
    uncertain_since: Option<i64>,
}

impl ClaimRow {
    pub(super) fn into_claimed(self) -> Result<ClaimedDelivery> {
        Ok(ClaimedDelivery {
            id: self.id,
            announcement_id: self.announcement_id,
            payload: parse_json::<Payload>("delivery payload", &self.payload)?,
            channel: self.channel,
            idempotency_key: self.idempotency_key,
            attempt: self.attempts.max(0) as u32,
            unsettled: self.unsettled != 0,
            due_at: from_ms(self.due_at),
            saved_state: self.publish_state,
            claim: self.claim_seq,
            uncertain_since: self.uncertain_since.map(from_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct DeliveryDbRow {
    id: i64,
    announcement_id: i64,
    department: String,
    title: String,
    channel: String,
    state: String,
    due_at: i64,
    next_attempt_at: i64,
    attempts: i64,
    unsettled: i64,
    idempotency_key: String,
    remote_id: Option<String>,
    remote_url: Option<String>,
    request_id: Option<String>,
    last_error: Option<String>,
    last_error_class: Option<String>,
    published_at: Option<i64>,
    payload: String,
}

/// A row of a delivery listing: where it stands in the listing's orders.
pub(super) trait Listed {
    fn id(&self) -> i64;
    /// The due time, in milliseconds.
    fn due_ms(&self) -> i64;
}

impl Listed for DeliveryDbRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn due_ms(&self) -> i64 {
        self.due_at
    }
}

fn delivery_state(s: &str) -> Result<DeliveryState> {
    DeliveryState::parse(s).ok_or_else(|| StoreError::Corrupt(format!("delivery state {s}")))
}

impl DeliveryDbRow {
    pub(super) fn into_row(self) -> Result<DeliveryRow> {
        Ok(DeliveryRow {
            id: self.id,
            announcement_id: self.announcement_id,
            department: self.department,
            title: self.title,
            channel: self.channel,
            state: delivery_state(&self.state)?,
            due_at: from_ms(self.due_at),
            next_attempt_at: from_ms(self.next_attempt_at),
            attempts: self.attempts.max(0) as u32,
            unsettled: self.unsettled != 0,
            idempotency_key: self.idempotency_key,
            remote_id: self.remote_id,
            remote_url: self.remote_url,
            request_id: self.request_id,
            last_error: self.last_error,
            last_error_class: self.last_error_class,
            published_at: self.published_at.map(from_ms),
            payload: parse_json("delivery payload", &self.payload)?,
        })
    }
}

/// A delivery at a glance, an element of the JSON array `glance_head.sql` reads (its fields in
/// this order).
#[derive(serde::Deserialize)]
pub(super) struct GlanceDbRow {
    id: i64,
    announcement_id: i64,
    department: String,
    title: String,
    channel: String,
    state: String,
    due_at: i64,
}

impl Listed for GlanceDbRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn due_ms(&self) -> i64 {
        self.due_at
    }
}

impl GlanceDbRow {
    pub(super) fn into_glance(self) -> Result<DeliveryGlance> {
        Ok(DeliveryGlance {
            id: self.id,
            announcement_id: self.announcement_id,
            department: self.department,
            title: self.title,
            channel: self.channel,
            state: delivery_state(&self.state)?,
            due_at: from_ms(self.due_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AuditRow {
    at: i64,
    actor: String,
    role: Option<String>,
    action: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            at: from_ms(r.at),
            actor: r.actor,
            role: r.role,
            action: r.action,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::String(r.detail)),
        }
    }
}
