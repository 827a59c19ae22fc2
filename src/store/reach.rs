//! The store's reach types: the slots of the sampling schedule, a slot that is due, a stored
//! sample, a slot that failed, and the website's page views per day.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use prakat_adapters::{ReachSample, Receipt};
use serde::{Deserialize, Serialize};

/// A point of the reach schedule: how long after publishing a sample is taken (`1h`, `1d`,
/// `7d`, `30d`). Stored as whole seconds, so `24h` and `1d` are one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReachSlot(Duration);

impl ReachSlot {
    pub fn from_secs(secs: u64) -> Self {
        ReachSlot(Duration::from_secs(secs))
    }

    pub fn after(self) -> Duration {
        self.0
    }

    pub fn secs(self) -> i64 {
        self.0.as_secs() as i64
    }

    /// Read `1h`, `1d`, `7d`, `30d`, `90m` (humantime): a whole number of seconds, above zero.
    pub fn parse(s: &str) -> Result<Self, String> {
        let d = humantime::parse_duration(s.trim()).map_err(|e| format!("{s:?}: {e}"))?;
        if d.as_secs() == 0 || d.subsec_nanos() != 0 {
            return Err(format!(
                "{s:?}: a slot is a whole number of seconds, above zero"
            ));
        }
        Ok(ReachSlot(d))
    }
}

/// The shortest way to write the slot: `1h`, `1d`, `30d`, `90m`.
impl fmt::Display for ReachSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.as_secs();
        match s {
            _ if s.is_multiple_of(86_400) => write!(f, "{}d", s / 86_400),
            _ if s.is_multiple_of(3_600) => write!(f, "{}h", s / 3_600),
            _ if s.is_multiple_of(60) => write!(f, "{}m", s / 60),
            _ => write!(f, "{s}s"),
        }
    }
}

impl Serialize for ReachSlot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReachSlot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ReachSlot::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What the collector asks for: the published deliveries whose latest slot has come and has no
/// sample yet.
#[derive(Debug, Clone)]
pub struct ReachQuery {
    pub now: DateTime<Utc>,
    pub slots: Vec<ReachSlot>,
    /// Only the channels that report reach (the others would be due for ever).
    pub channels: Vec<String>,
    /// Only deliveries published at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// A slot that failed this many times is given up.
    pub max_attempts: u32,
    pub limit: usize,
}

/// A slot that is due: the delivery's latest slot that has come, without a sample. An earlier
/// slot that was missed (the daemon was stopped, the platform was down) is not sampled late:
/// a later reading would only be filed under the wrong time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachDue {
    pub delivery_id: i64,
    pub announcement_id: i64,
    pub channel: String,
    pub slot: ReachSlot,
    pub published_at: DateTime<Utc>,
    pub receipt: Receipt,
    /// Failed attempts at this slot so far.
    pub attempts: u32,
}

/// A stored sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReachRecord {
    pub delivery_id: i64,
    pub channel: String,
    pub slot: ReachSlot,
    pub published_at: Option<DateTime<Utc>>,
    pub taken_at: DateTime<Utc>,
    pub sample: ReachSample,
}

/// A slot still waiting after a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReachFailure {
    pub delivery_id: i64,
    pub channel: String,
    pub slot: ReachSlot,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub error: String,
    pub class: String,
}

/// A failed sample, as the collector hands it to the store.
#[derive(Debug, Clone)]
pub struct ReachRetry {
    pub delivery_id: i64,
    pub slot: ReachSlot,
    pub now: DateTime<Utc>,
    pub retry_at: DateTime<Utc>,
    pub error: String,
    pub class: String,
    /// False for waits that are not the sample's fault (a rate limit, a quota, figures not
    /// ready yet): they do not use up an attempt.
    pub count_attempt: bool,
}

/// Views of one announcement's website page on one Bangkok day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageViews {
    pub announcement_id: i64,
    pub day: NaiveDate,
    pub views: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_read_and_print_short() {
        for (text, label, secs) in [
            ("1h", "1h", 3600),
            ("1d", "1d", 86_400),
            ("24h", "1d", 86_400),
            ("7d", "7d", 604_800),
            ("30days", "30d", 2_592_000),
            ("90m", "90m", 5400),
        ] {
            let slot = ReachSlot::parse(text).unwrap();
            assert_eq!(slot.to_string(), label, "{text}");
            assert_eq!(slot.secs(), secs, "{text}");
        }
        assert!(ReachSlot::parse("0s").is_err());
        assert!(ReachSlot::parse("soon").is_err());
        assert!(ReachSlot::parse("1500ms").is_err());
    }
}
