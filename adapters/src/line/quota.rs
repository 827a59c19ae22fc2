//! The monthly message quota, checked before a send so that a Free-plan station (300 messages a
//! month) gets a clear "not enough messages left" instead of a silent 429 halfway through.
//!
//! A broadcast is billed one message per friend who receives it, whatever the number of message
//! objects in it. The friends who receive it are `followers − blocks` from
//! `GET /v2/bot/insight/followers` (yesterday, Japan time: today's figure is not ready). When
//! LINE cannot say (`status` `unready` or `out_of_service`), the send goes ahead if any message
//! is left, and LINE's own 429 "monthly limit" answer is the last guard.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Tokyo;
use serde::Deserialize;

use crate::PublishError;

use super::client::Api;
use super::errors::next_month;
use super::prepare::grouped;

/// One reading of the quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaReading {
    /// This month's target limit; `None` when the plan sets none (`type: none`).
    pub limit: Option<u64>,
    /// Messages sent this month (`totalUsage`).
    pub used: u64,
    /// Friends a broadcast reaches (`followers − blocks`), when LINE can say.
    pub friends: Option<u64>,
    pub read_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Quota {
    #[serde(rename = "type")]
    kind: String,
    value: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Consumption {
    total_usage: u64,
}

#[derive(Deserialize)]
struct Followers {
    status: Option<String>,
    followers: Option<u64>,
    blocks: Option<u64>,
}

impl QuotaReading {
    pub fn remaining(&self) -> Option<u64> {
        self.limit.map(|l| l.saturating_sub(self.used))
    }

    /// "120/300" or "120 (no limit)", for the health line.
    pub fn summary_en(&self) -> String {
        match (self.limit, self.remaining()) {
            (Some(l), Some(r)) => format!("{}/{} messages this month, {} left", self.used, l, r),
            _ => format!("{} messages this month, no monthly limit", self.used),
        }
    }

    pub fn summary_th(&self) -> String {
        match self.limit {
            Some(l) => format!("ส่งแล้ว {}/{} ข้อความเดือนนี้", grouped(self.used), grouped(l)),
            None => format!("ส่งแล้ว {} ข้อความเดือนนี้ (ไม่จำกัด)", grouped(self.used)),
        }
    }

    /// Whether `needed` messages fit in what is left; `QuotaExhausted` until next month if not,
    /// saying how many are left and how many are needed, in Thai and English.
    pub fn check(&self, needed: u64, now: DateTime<Utc>) -> Result<(), PublishError> {
        let Some(left) = self.remaining() else {
            return Ok(());
        };
        if left >= needed.max(1) {
            return Ok(());
        }
        let limit = self.limit.unwrap_or(0);
        Err(PublishError::QuotaExhausted {
            until: next_month(now),
            message: format!(
                "โควตาข้อความ LINE เดือนนี้ไม่พอ: เหลือ {} ข้อความ แต่การส่งครั้งนี้ต้องใช้ {} ข้อความ (ส่งแล้ว {}/{}) — รอต้นเดือนหน้าหรืออัปเกรดแพ็กเกจ LINE OA. \
                 Not enough LINE messages left this month: {left} left, {needed} needed (one per recipient; {} of {limit} used). Not sent: it will be tried again next month, or upgrade the LINE OA plan.",
                grouped(left),
                grouped(needed),
                grouped(self.used),
                grouped(limit),
                self.used,
            ),
        })
    }
}

/// Read the quota, what was used, and (when `with_friends`) how many friends a broadcast reaches.
pub(crate) async fn read(
    api: &Api,
    with_friends: bool,
    now: DateTime<Utc>,
) -> Result<QuotaReading, PublishError> {
    let quota: Quota = api.get("quota", "/v2/bot/message/quota", now).await?;
    let limit = match quota.kind.as_str() {
        "limited" => Some(quota.value.unwrap_or(0)),
        _ => None,
    };
    let used = if limit.is_some() || with_friends {
        let c: Consumption = api
            .get(
                "quota consumption",
                "/v2/bot/message/quota/consumption",
                now,
            )
            .await?;
        c.total_usage
    } else {
        0
    };
    let friends = if with_friends {
        friends(api, now).await?
    } else {
        None
    };
    Ok(QuotaReading {
        limit,
        used,
        friends,
        read_at: now,
    })
}

/// Friends who would receive a broadcast, as of yesterday in Japan time; `None` when LINE has
/// no figure yet.
pub(crate) async fn friends(api: &Api, now: DateTime<Utc>) -> Result<Option<u64>, PublishError> {
    let date = (now.with_timezone(&Tokyo) - Duration::days(1)).format("%Y%m%d");
    let f: Followers = api
        .get(
            "followers",
            &format!("/v2/bot/insight/followers?date={date}"),
            now,
        )
        .await?;
    if f.status.as_deref().is_some_and(|s| s != "ready") {
        tracing::info!(
            status = f.status.as_deref(),
            "line: follower count not available"
        );
        return Ok(None);
    }
    Ok(f.followers.map(|n| n.saturating_sub(f.blocks.unwrap_or(0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_plan_with_too_many_friends_is_told_the_numbers() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T07:00:00Z")
            .unwrap()
            .to_utc();
        let r = QuotaReading {
            limit: Some(300),
            used: 120,
            friends: Some(430),
            read_at: now,
        };
        assert!(r.check(180, now).is_ok());
        let PublishError::QuotaExhausted { message, .. } = r.check(430, now).unwrap_err() else {
            panic!("not a quota error");
        };
        assert!(message.contains("เหลือ 180 ข้อความ"), "{message}");
        assert!(message.contains("ต้องใช้ 430 ข้อความ"), "{message}");
        assert!(message.contains("180 left, 430 needed"), "{message}");
        let unlimited = QuotaReading { limit: None, ..r };
        assert!(unlimited.check(1_000_000, now).is_ok());
    }
}
