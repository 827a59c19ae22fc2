//! Google's error answers, classified into the [`PublishError`] variant that decides what the
//! dispatcher does. The body is the standard Google error JSON,
//! `{"error":{"code":403,"message":"…","errors":[{"domain":"youtube.quota","reason":"quotaExceeded"}]}}`;
//! the `reason` decides, the HTTP status only where no reason says more.

use std::time::Duration;

use chrono::{DateTime, Days, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::PublishError;
use crate::http::{self, Effect};

/// The wait after a 429 or a rate-limit reason when Google gives no `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How long `uploadLimitExceeded` (the channel's rolling 24-hour upload cap) blocks uploads.
pub const UPLOAD_LIMIT_WAIT: chrono::TimeDelta = chrono::TimeDelta::hours(24);

#[derive(Debug, Deserialize)]
struct Body {
    error: GoogleError,
}

#[derive(Debug, Deserialize)]
struct GoogleError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(default)]
    reason: String,
}

/// The `reason`s of a Google error body (empty when the body is not one).
pub fn reasons(body: &str) -> Vec<String> {
    serde_json::from_str::<Body>(body)
        .map(|b| b.error.errors.into_iter().map(|i| i.reason).collect())
        .unwrap_or_default()
}

/// Classify a non-success answer to `what`. `now` places quota resets.
pub fn classify(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    effect: Effect,
    now: DateTime<Utc>,
) -> PublishError {
    let parsed = serde_json::from_str::<Body>(body).ok();
    let reasons: Vec<&str> = parsed
        .as_ref()
        .map(|b| b.error.errors.iter().map(|i| i.reason.as_str()).collect())
        .unwrap_or_default();
    let has = |r: &str| reasons.contains(&r);
    let message = match &parsed {
        Some(b) if !b.error.message.is_empty() => format!(
            "{what}: HTTP {status} {}: {}",
            reasons.join(","),
            b.error.message
        ),
        _ => format!("{what}: HTTP {status}: {}", http::truncate(body, 2000)),
    };

    let own = if has("quotaExceeded") || has("dailyLimitExceeded") {
        Some(PublishError::QuotaExhausted {
            until: next_pacific_midnight(now),
            message: message.clone(),
        })
    } else if has("uploadLimitExceeded") {
        Some(PublishError::QuotaExhausted {
            until: now + UPLOAD_LIMIT_WAIT,
            message: message.clone(),
        })
    } else if has("rateLimitExceeded") || has("userRateLimitExceeded") {
        Some(PublishError::RetryAfter(
            retry_after(headers),
            message.clone(),
        ))
    } else if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        // The status says more than any reason here (backendError, …).
        None
    } else if has("authError")
        || has("forbidden")
        || has("insufficientPermissions")
        || has("youtubeSignupRequired")
        || has("accountClosed")
        || has("accountSuspended")
    {
        Some(PublishError::Auth(message.clone()))
    } else if status.is_client_error() && !matches!(status.as_u16(), 401 | 403 | 408) {
        // invalidTitle, invalidDescription, invalidTags, badContent, invalidCategoryId,
        // invalidPublishAt, mediaBodyRequired, … : the content or the request itself is refused.
        Some(PublishError::Rejected(message.clone()))
    } else {
        None
    };
    match own {
        Some(e) => http::scrub_error(e),
        None => http::status_error(status, headers, effect, DEFAULT_RETRY_AFTER, message),
    }
}

/// The `Retry-After` of an answer (seconds or HTTP date), else [`DEFAULT_RETRY_AFTER`].
pub fn retry_after(headers: &HeaderMap) -> Duration {
    http::retry_after(headers, Utc::now()).unwrap_or(DEFAULT_RETRY_AFTER)
}

/// The next midnight in America/Los_Angeles after `now`: when YouTube's daily quota resets.
pub fn next_pacific_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.with_timezone(&Los_Angeles).date_naive();
    let tomorrow = today
        .checked_add_days(Days::new(1))
        .unwrap_or(today)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    Los_Angeles
        .from_local_datetime(&tomorrow)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // Midnight always exists in Los Angeles (clocks change at 02:00); a day is the fallback.
        .unwrap_or(now + chrono::TimeDelta::days(1))
}

/// The Pacific calendar day of `now`: the day YouTube counts quota in.
pub fn pacific_day(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&Los_Angeles).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quota_resets_at_pacific_midnight_in_summer_and_winter() {
        // 2026-07-10 05:00 UTC is 2026-07-09 22:00 PDT (UTC-7).
        assert_eq!(
            next_pacific_midnight(at("2026-07-10T05:00:00Z")),
            at("2026-07-10T07:00:00Z")
        );
        // 2026-11-24 09:00 UTC is 01:00 PST (UTC-8) on the 24th.
        assert_eq!(
            next_pacific_midnight(at("2026-11-24T09:00:00Z")),
            at("2026-11-25T08:00:00Z")
        );
    }

    #[test]
    fn reasons_decide_before_statuses() {
        let now = at("2026-11-24T09:00:00Z");
        let h = HeaderMap::new();
        let body = |reason: &str| {
            format!(
                r#"{{"error":{{"code":400,"message":"m","errors":[{{"reason":"{reason}"}}]}}}}"#
            )
        };
        let c = |status: u16, reason: &str| {
            classify(
                "x",
                StatusCode::from_u16(status).unwrap(),
                &h,
                &body(reason),
                Effect::Creates,
                now,
            )
            .class()
        };
        assert_eq!(c(403, "quotaExceeded"), "quota");
        assert_eq!(c(400, "uploadLimitExceeded"), "quota");
        assert_eq!(c(403, "rateLimitExceeded"), "retry_after");
        assert_eq!(c(403, "insufficientPermissions"), "auth");
        assert_eq!(c(401, "authError"), "auth");
        assert_eq!(c(400, "invalidTitle"), "rejected");
        assert_eq!(c(503, "backendError"), "ambiguous");
        assert_eq!(c(429, ""), "retry_after");
    }
}
