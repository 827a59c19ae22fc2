//! The retry policy: from a channel's [`PublishError`] to the delivery's next step. Decided by
//! the error's variant only — never by reading its message.

use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::{Idempotency, PublishError};
use rand::Rng;

use crate::store::Outcome;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max: Duration,
}

impl RetryPolicy {
    /// Exponential backoff with full jitter: a random wait in `[base·2^(n-1) / 2, base·2^(n-1)]`,
    /// capped at `max`. Half the window is kept so a retry is never immediate.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let ceiling = exp.min(self.max).max(Duration::from_millis(1));
        let ms = ceiling.as_millis() as u64;
        Duration::from_millis(rng.random_range(ms / 2..=ms))
    }

    /// What to do after attempt `attempt` failed with `err`.
    pub fn decide(
        &self,
        err: &PublishError,
        attempt: u32,
        idempotency: Idempotency,
        now: DateTime<Utc>,
        rng: &mut impl Rng,
    ) -> Outcome {
        let error = err.to_string();
        let class = err.class().to_owned();
        let later =
            |d: Duration| now + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::hours(1));
        match err {
            PublishError::RetryAfter(d, _) => Outcome::Retry {
                at: later(*d),
                error,
                class,
                count_attempt: false,
                unsettled: false,
            },
            PublishError::QuotaExhausted { until, .. } => Outcome::Retry {
                at: (*until).max(now),
                error,
                class,
                count_attempt: false,
                unsettled: false,
            },
            PublishError::Auth(_) | PublishError::Rejected(_) => {
                Outcome::NeedsAttention { error, class }
            }
            PublishError::Transient(_) | PublishError::Ambiguous(_) => {
                let ambiguous = matches!(err, PublishError::Ambiguous(_));
                if ambiguous && idempotency == Idempotency::None {
                    return Outcome::NeedsAttention {
                        error: format!(
                            "{error} — this channel can neither deduplicate nor look up its posts: check the platform, then retry or cancel"
                        ),
                        class,
                    };
                }
                if attempt >= self.max_attempts {
                    return Outcome::Failed {
                        error: format!("{error} (gave up after {attempt} attempts)"),
                        class,
                    };
                }
                Outcome::Retry {
                    at: later(self.backoff(attempt, rng)),
                    error,
                    class,
                    count_attempt: true,
                    unsettled: ambiguous,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_secs(10),
            max: Duration::from_secs(300),
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let p = policy();
        for attempt in 1..=12 {
            let d = p.backoff(attempt, &mut rng);
            let ceiling = (Duration::from_secs(10) * 2u32.pow(attempt - 1)).min(p.max);
            assert!(
                d <= ceiling && d >= ceiling / 2,
                "attempt {attempt}: {d:?} not in [{:?}, {ceiling:?}]",
                ceiling / 2
            );
        }
    }

    #[test]
    fn each_error_class_goes_where_the_table_says() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let p = policy();
        let now = Utc::now();
        let native = Idempotency::Native;
        match p.decide(
            &PublishError::RetryAfter(Duration::from_secs(90), "slow down".into()),
            1,
            native,
            now,
            &mut rng,
        ) {
            Outcome::Retry {
                at,
                count_attempt: false,
                ..
            } => assert_eq!(at, now + chrono::Duration::seconds(90)),
            o => panic!("{o:?}"),
        }
        let until = now + chrono::Duration::hours(5);
        match p.decide(
            &PublishError::QuotaExhausted {
                until,
                message: "q".into(),
            },
            1,
            native,
            now,
            &mut rng,
        ) {
            Outcome::Retry {
                at,
                count_attempt: false,
                ..
            } => assert_eq!(at, until),
            o => panic!("{o:?}"),
        }
        assert!(matches!(
            p.decide(
                &PublishError::Auth("token expired".into()),
                1,
                native,
                now,
                &mut rng
            ),
            Outcome::NeedsAttention { .. }
        ));
        match p.decide(
            &PublishError::Rejected("(#368) policy block: ข้อความ".into()),
            1,
            native,
            now,
            &mut rng,
        ) {
            Outcome::NeedsAttention { error, class } => {
                assert!(
                    error.contains("(#368) policy block: ข้อความ"),
                    "platform message kept whole: {error}"
                );
                assert_eq!(class, "rejected");
            }
            o => panic!("{o:?}"),
        }
        assert!(matches!(
            p.decide(
                &PublishError::Transient("502".into()),
                2,
                native,
                now,
                &mut rng
            ),
            Outcome::Retry {
                count_attempt: true,
                unsettled: false,
                ..
            }
        ));
        assert!(matches!(
            p.decide(
                &PublishError::Transient("502".into()),
                5,
                native,
                now,
                &mut rng
            ),
            Outcome::Failed { .. }
        ));
        assert!(matches!(
            p.decide(
                &PublishError::Ambiguous("timeout".into()),
                1,
                Idempotency::Reconcile,
                now,
                &mut rng
            ),
            Outcome::Retry {
                unsettled: true,
                ..
            }
        ));
        assert!(matches!(
            p.decide(
                &PublishError::Ambiguous("timeout".into()),
                1,
                Idempotency::None,
                now,
                &mut rng
            ),
            Outcome::NeedsAttention { .. }
        ));
    }
}
