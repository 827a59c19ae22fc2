//! Reading back from LINE: reach of a broadcast or narrowcast
//! (`GET /v2/bot/insight/message/event?requestId=`), a narrowcast's progress, and the health
//! line (`GET /v2/bot/info`, the quota, the friends).
//!
//! LINE hides figures below 20 (they come back `null`): they stay `None`, never 0.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::{Health, PublishError, ReachSample, Receipt};

use super::Line;
use super::prepare::grouped;
use super::quota;
use super::settings::Mode;

#[derive(Deserialize)]
struct MessageEvent {
    overview: Option<Overview>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Overview {
    unique_impression: Option<u64>,
    unique_click: Option<u64>,
    #[serde(default)]
    unique_media_played: Option<u64>,
}

#[derive(Deserialize)]
struct Verified {
    expires_in: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotInfo {
    display_name: String,
    basic_id: String,
}

/// Where a narrowcast is (`GET /v2/bot/message/progress/narrowcast`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NarrowcastProgress {
    /// `waiting`, `sending`, `succeeded` or `failed`.
    pub phase: String,
    pub success_count: Option<u64>,
    pub failure_count: Option<u64>,
    pub target_count: Option<u64>,
    pub failed_description: Option<String>,
    pub error_code: Option<i64>,
}

impl Line {
    pub(super) async fn message_event(
        &self,
        receipt: &Receipt,
    ) -> Result<ReachSample, PublishError> {
        let now = self.now();
        let Some(id) = receipt.request_id.as_deref() else {
            return Err(PublishError::Rejected(
                "line reach: the receipt has no request id (push messages have no per-request statistics)".into(),
            ));
        };
        let path = format!(
            "/v2/bot/insight/message/event?requestId={}",
            query_value(id)
        );
        let ev: MessageEvent = self.api.get("message event insight", &path, now).await?;
        let o = ev.overview.unwrap_or(Overview {
            unique_impression: None,
            unique_click: None,
            unique_media_played: None,
        });
        Ok(ReachSample {
            taken_at: Some(now),
            views: o.unique_impression,
            unique_viewers: o.unique_impression,
            clicks: o.unique_click,
            video_views: o.unique_media_played,
            ..ReachSample::default()
        })
    }

    /// The progress of the narrowcast whose `X-Line-Request-Id` is `request_id`.
    pub async fn narrowcast_progress(
        &self,
        request_id: &str,
    ) -> Result<NarrowcastProgress, PublishError> {
        let path = format!(
            "/v2/bot/message/progress/narrowcast?requestId={}",
            query_value(request_id)
        );
        self.api.get("narrowcast progress", &path, self.now()).await
    }

    pub(super) async fn health(&self) -> Result<Health, PublishError> {
        let now = self.now();
        let info: BotInfo = self.api.get("bot info", "/v2/bot/info", now).await?;
        let reading = quota::read(&self.api, true, now).await?;
        let expires_at = self.token_expiry(now).await;
        let mode = match self.settings.mode {
            Mode::Broadcast => "broadcast".to_owned(),
            Mode::Narrowcast => "narrowcast".to_owned(),
            Mode::Push => format!("push to {} ids", self.settings.to.len()),
        };
        let friends = match reading.friends {
            Some(n) => format!("เพื่อน {} คน", grouped(n)),
            None => "จำนวนเพื่อนยังไม่พร้อม".to_owned(),
        };
        let mut summary = format!(
            "line: token ok, {} ({}), {mode}; {}; {friends}",
            info.display_name,
            info.basic_id,
            reading.summary_th(),
        );
        if let (Some(left), Some(f)) = (reading.remaining(), reading.friends)
            && left < f
        {
            summary.push_str(&format!(
                "; โควตาไม่พอสำหรับการ broadcast (เหลือ {}, ต้องใช้ {})",
                grouped(left),
                grouped(f)
            ));
        }
        Ok(Health {
            summary,
            token_expires_at: expires_at,
            missing_permissions: Vec::new(),
            quota: Some(reading.summary_en()),
        })
    }
}

impl Line {
    /// When the token expires, from `GET /oauth2/v2.1/verify` (best effort: a token LINE cannot
    /// verify there, or an error, leaves it unknown; `/v2/bot/info` already proved it works).
    async fn token_expiry(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let path = format!(
            "/oauth2/v2.1/verify?access_token={}",
            query_value(self.settings.channel_access_token.expose())
        );
        match self.api.get::<Verified>("token verify", &path, now).await {
            Ok(v) => Some(now + Duration::seconds(v.expires_in)),
            Err(e) => {
                tracing::debug!(error = %e, "line: token expiry unknown");
                None
            }
        }
    }
}

/// A request id is a UUID-like token; escape anything else so it cannot change the query.
fn query_value(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c.to_string()
            } else {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect()
}
