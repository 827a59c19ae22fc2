//! `PublishError`: the only thing the dispatcher looks at to decide what happens to a delivery
//! after a failed attempt. Never parse message strings to decide a retry: pick the variant.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Why a publish attempt did not produce a receipt. The variant decides the next step:
///
/// | variant | dispatcher |
/// |---|---|
/// | `RetryAfter` | queue again after exactly that wait |
/// | `Transient` | queue again with exponential backoff and jitter |
/// | `QuotaExhausted` | queue again at `until`, without counting an attempt |
/// | `Auth` | park as `needs_attention`: a token or permission must be fixed by a person |
/// | `Rejected` | park as `needs_attention`: the platform refused the content |
/// | `Ambiguous` | the request may have been applied: reconcile before any re-send |
///
/// `message` is kept whole, as the platform said it, for the person who must act.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PublishError {
    #[error("rate limited, retry after {0:?}: {1}")]
    RetryAfter(Duration, String),
    #[error("temporary failure: {0}")]
    Transient(String),
    #[error("quota used up until {until}: {message}")]
    QuotaExhausted {
        until: DateTime<Utc>,
        message: String,
    },
    #[error("authorisation failed: {0}")]
    Auth(String),
    #[error("rejected by the platform: {0}")]
    Rejected(String),
    #[error("outcome unknown (the request may have been applied): {0}")]
    Ambiguous(String),
}

impl PublishError {
    /// A short stable name for metrics and the queue listing.
    pub fn class(&self) -> &'static str {
        match self {
            PublishError::RetryAfter(..) => "retry_after",
            PublishError::Transient(_) => "transient",
            PublishError::QuotaExhausted { .. } => "quota",
            PublishError::Auth(_) => "auth",
            PublishError::Rejected(_) => "rejected",
            PublishError::Ambiguous(_) => "ambiguous",
        }
    }
}
