//! What a LINE delivery remembers between attempts (through `ctx.save_state`): since when a
//! send request may have reached LINE without an answer. Saved before every send.
//!
//! Why: the retry key dedupes for 24 hours only. A repeat within that time is harmless (409),
//! and is sent without a fresh quota check (the first request may already have used the
//! messages). Past it, a repeat could reach every friend a second time, so the delivery is
//! parked for a person instead.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{PublishContext, PublishError};

use super::limits::RETRY_KEY_SAFE_HOURS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SendState {
    /// The first time a send of this delivery left without a definite answer.
    pub maybe_sent_since: Option<DateTime<Utc>>,
}

impl SendState {
    pub fn load(ctx: &PublishContext) -> SendState {
        ctx.saved_state
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    pub async fn save(&self, ctx: &PublishContext) -> Result<(), PublishError> {
        let s = serde_json::to_string(self).expect("plain data serialises");
        ctx.save_state(&s).await
    }

    /// Refuse a repeat whose retry key LINE no longer honours.
    pub fn check_repeatable(&self, now: DateTime<Utc>) -> Result<(), PublishError> {
        match self.maybe_sent_since {
            Some(t) if now - t > Duration::hours(RETRY_KEY_SAFE_HOURS) => {
                Err(PublishError::Rejected(format!(
                    "an earlier LINE send of this delivery at {} may have been delivered and its retry key has expired (24 h): sending again could reach every friend twice — check the LINE Official Account Manager, then retry or cancel by hand; \
                     การส่งทาง LINE ครั้งก่อน ({}) อาจส่งถึงแล้ว และรหัสกันส่งซ้ำหมดอายุ (24 ชม.) — ตรวจสอบใน LINE OA Manager ก่อนสั่งส่งใหม่",
                    t.format("%Y-%m-%d %H:%M UTC"),
                    t.format("%Y-%m-%d %H:%M UTC"),
                )))
            }
            _ => Ok(()),
        }
    }
}
