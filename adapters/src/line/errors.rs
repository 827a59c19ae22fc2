//! From LINE's answer to a [`PublishError`]. LINE's error body is
//! `{"message": "...", "details": [{"message": "...", "property": "messages[0].text"}]}`; every
//! message is kept whole for the person who must act.
//!
//! | status | variant |
//! |---|---|
//! | 400 (and other 4xx) | `Rejected`, with every `details[]` entry |
//! | 401 | `Auth`: the token is invalid or expired |
//! | 403 | `Auth`: the channel lacks the permission (plan or API not enabled) |
//! | 409 | not an error: the caller turns it into a receipt (the retry key was accepted before) |
//! | 429 "monthly limit" | `QuotaExhausted` until the first day of next month |
//! | 429 otherwise | `RetryAfter`: `Retry-After` if a proxy sends one, else one minute (LINE documents none) |
//! | 5xx | `Transient`: the retry key makes a repeat safe |

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Bangkok;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::PublishError;
use crate::http::{self, Effect};

use super::limits::{MONTHLY_LIMIT_MESSAGE, RATE_LIMIT_WAIT};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub details: Vec<ErrorDetail>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorDetail {
    pub message: Option<String>,
    pub property: Option<String>,
}

impl ErrorBody {
    /// The message and every detail, as LINE said them.
    fn whole(&self, raw: &str) -> String {
        if self.message.is_empty() {
            return http::truncate(raw, 2000).to_owned();
        }
        let mut s = self.message.clone();
        for d in &self.details {
            s.push_str(&format!(
                "; {}: {}",
                d.property.as_deref().unwrap_or("-"),
                d.message.as_deref().unwrap_or("-")
            ));
        }
        s
    }
}

/// Classify a non-2xx, non-409 answer to `what` (e.g. "broadcast"): LINE's own meanings first,
/// then the kit's status fallbacks ([`http::status_error`]).
pub(crate) fn classify(what: &str, answer: &http::Answer, now: DateTime<Utc>) -> PublishError {
    by_status(what, answer.status, &answer.headers, &answer.body, now)
}

fn by_status(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    raw: &str,
    now: DateTime<Utc>,
) -> PublishError {
    let body: ErrorBody = serde_json::from_str(raw).unwrap_or_default();
    let whole = body.whole(raw);
    let msg = format!("line {what}: HTTP {}: {whole}", status.as_u16());
    let own = match status.as_u16() {
        401 => Some(PublishError::Auth(format!(
            "{msg} — the channel access token is invalid or expired: issue a new one in the LINE Developers console; โทเค็น LINE ใช้ไม่ได้หรือหมดอายุ ออกโทเค็นใหม่ใน LINE Developers Console"
        ))),
        403 => Some(PublishError::Auth(format!(
            "{msg} — the channel is not allowed to use this API (plan or permission); บัญชี LINE OA ไม่มีสิทธิ์ใช้ API นี้ (ตรวจแพ็กเกจหรือสิทธิ์ของ channel)"
        ))),
        429 if body.message.to_lowercase().contains(MONTHLY_LIMIT_MESSAGE) => {
            Some(PublishError::QuotaExhausted {
                until: next_month(now),
                message: format!(
                    "{msg} — the LINE Official Account has used this month's messages; ข้อความ LINE ของเดือนนี้หมดแล้ว ส่งได้อีกครั้งต้นเดือนหน้า หรืออัปเกรดแพ็กเกจ"
                ),
            })
        }
        _ => None,
    };
    match own {
        Some(e) => http::scrub_error(e),
        // Every send carries its retry key: a 5xx is a plain temporary failure.
        None => http::status_error(status, headers, Effect::Repeatable, RATE_LIMIT_WAIT, msg),
    }
}

/// Midnight of the first day of the month after `now`, in Asia/Bangkok: when a monthly quota
/// is new again. (LINE's month follows Japan time, two hours earlier, so this is never early.)
pub fn next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&Bangkok);
    let (y, m) = if local.month() == 12 {
        (local.year() + 1, 1)
    } else {
        (local.year(), local.month() + 1)
    };
    let first = NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("the first of a month exists");
    Bangkok
        .from_local_datetime(&first)
        .single()
        .expect("Bangkok has no DST")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn next_month_is_bangkok_midnight() {
        assert_eq!(
            next_month(at("2026-11-24T07:00:00Z")),
            at("2026-11-30T17:00:00Z")
        );
        // 23:30 on 31 Dec in Bangkok is already 31 Dec UTC 16:30: next month is January.
        assert_eq!(
            next_month(at("2026-12-31T16:30:00Z")),
            at("2026-12-31T17:00:00Z")
        );
        // 00:30 on 1 Dec in Bangkok (30 Nov UTC): the quota is December's, new on 1 Jan.
        assert_eq!(
            next_month(at("2026-11-30T17:30:00Z")),
            at("2026-12-31T17:00:00Z")
        );
    }

    #[test]
    fn statuses_map_to_variants() {
        let now = at("2026-11-24T07:00:00Z");
        let c = |s: u16, b: &str| {
            by_status(
                "broadcast",
                StatusCode::from_u16(s).unwrap(),
                &HeaderMap::new(),
                b,
                now,
            )
        };
        assert!(
            matches!(c(401, r#"{"message":"Authentication failed"}"#), PublishError::Auth(m) if m.contains("Authentication failed"))
        );
        assert!(matches!(
            c(
                403,
                r#"{"message":"Access to this API is not available for your account"}"#
            ),
            PublishError::Auth(_)
        ));
        assert!(matches!(
            c(429, r#"{"message":"You have reached your monthly limit."}"#),
            PublishError::QuotaExhausted { .. }
        ));
        assert!(
            matches!(c(429, r#"{"message":"The API rate limit has been exceeded. Try again later."}"#), PublishError::RetryAfter(d, _) if d == RATE_LIMIT_WAIT)
        );
        assert!(matches!(c(500, "oops"), PublishError::Transient(_)));
        assert!(matches!(c(404, "not json"), PublishError::Rejected(m) if m.contains("not json")));
    }
}
