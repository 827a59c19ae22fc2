//! What an HTTP status means when the platform's own error table said nothing more: the common
//! fallbacks every platform shares.
//!
//! | status | variant |
//! |---|---|
//! | 429 | `RetryAfter`: the `Retry-After` (seconds or HTTP date), else the platform's default |
//! | 401, 403 | `Auth` |
//! | 408, 5xx | `Ambiguous` for a create (it may have been applied), `Transient` otherwise |
//! | other 4xx | `Rejected` |
//! | anything else that is not a success | like 5xx |

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::{Answer, Effect, scrub, truncate};
use crate::PublishError;

/// The wait after a 429 that names none, unless the platform documents its own.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The longest wait a `Retry-After` is believed for (a day): a bigger or broken value is capped.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Classify a non-success answer by its status alone. `what` names the call; the body is kept
/// (shortened, scrubbed) in the message. `default_wait` is the wait for a 429 without
/// `Retry-After`.
pub fn fallback(
    what: &str,
    answer: &Answer,
    effect: Effect,
    default_wait: Duration,
) -> PublishError {
    let msg = format!(
        "{what}: HTTP {}: {}",
        answer.status,
        truncate(answer.body.trim(), 2000)
    );
    status_error(answer.status, &answer.headers, effect, default_wait, msg)
}

/// Classify by status with the caller's own message (a platform that parsed the body and says
/// it better, but has no code-specific meaning for this answer).
pub fn status_error(
    status: StatusCode,
    headers: &HeaderMap,
    effect: Effect,
    default_wait: Duration,
    msg: String,
) -> PublishError {
    let msg = scrub(&msg);
    match status.as_u16() {
        429 => PublishError::RetryAfter(
            retry_after(headers, Utc::now()).unwrap_or(default_wait),
            msg,
        ),
        401 | 403 => PublishError::Auth(msg),
        _ if may_have_applied(status) => effect.unsettled(msg),
        400..=499 => PublishError::Rejected(msg),
        _ => effect.unsettled(msg),
    }
}

/// A status after which the request may have been applied: 408 and 5xx.
pub fn may_have_applied(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT || status.is_server_error()
}

/// The `Retry-After` of an answer: delay-seconds or an HTTP date (a date in the past is no
/// wait). `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&'static str, &str)]) -> Answer {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: h,
            body: "body?access_token=secret".into(),
            url: "http://x/".into(),
        }
    }

    #[test]
    fn statuses_pick_the_variant() {
        let wait = Duration::from_secs(7);
        let c = |s: u16, e| fallback("create", &answer(s, &[]), e, wait);
        assert!(matches!(c(429, Effect::Creates), PublishError::RetryAfter(d, _) if d == wait));
        assert_eq!(c(401, Effect::Creates).class(), "auth");
        assert_eq!(c(403, Effect::Repeatable).class(), "auth");
        assert_eq!(c(500, Effect::Creates).class(), "ambiguous");
        assert_eq!(c(502, Effect::Repeatable).class(), "transient");
        assert_eq!(c(408, Effect::Creates).class(), "ambiguous");
        assert_eq!(c(400, Effect::Creates).class(), "rejected");
        assert_eq!(c(404, Effect::Repeatable).class(), "rejected");
        assert!(!c(500, Effect::Creates).to_string().contains("secret"));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T07:28:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = |v: &str| answer(429, &[("retry-after", v)]).headers;
        assert_eq!(retry_after(&h("42"), now), Some(Duration::from_secs(42)));
        assert_eq!(
            retry_after(&h("Tue, 24 Nov 2026 07:30:00 GMT"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&h("Tue, 24 Nov 2026 07:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&h("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
        assert_eq!(retry_after(&h("99999999"), now), Some(MAX_RETRY_AFTER));
    }
}
