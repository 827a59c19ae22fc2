//! The local count of YouTube quota spent today (Pacific day), per bucket: `videos.insert` calls
//! and units of every other method. Kept in memory by this process only, so it can undercount
//! (other processes of the same Google Cloud project spend from the same buckets) but never
//! blocks a call Google would have accepted unless the settings say the buckets are smaller
//! than they are. Google's own `quotaExceeded` answer fills the bucket until the reset.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};

use super::errors::{next_pacific_midnight, pacific_day};
use super::settings::QuotaSettings;

/// Which daily bucket a call spends from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// `videos.insert`: one per upload session started.
    Insert,
    /// Everything else: one unit per `videos.list`, `channels.list`, `playlistItems.list`;
    /// 50 per `videos.update` and `videos.delete`.
    Units,
}

#[derive(Debug)]
struct Day {
    day: Option<NaiveDate>,
    insert_calls: u32,
    units: u32,
}

#[derive(Debug)]
pub struct QuotaTracker {
    settings: QuotaSettings,
    day: Mutex<Day>,
}

impl QuotaTracker {
    pub fn new(settings: QuotaSettings) -> Self {
        QuotaTracker {
            settings,
            day: Mutex::new(Day {
                day: None,
                insert_calls: 0,
                units: 0,
            }),
        }
    }

    fn with_day<T>(&self, now: DateTime<Utc>, f: impl FnOnce(&mut Day) -> T) -> T {
        let mut d = self.day.lock().unwrap_or_else(|p| p.into_inner());
        let today = pacific_day(now);
        if d.day != Some(today) {
            *d = Day {
                day: Some(today),
                insert_calls: 0,
                units: 0,
            };
        }
        f(&mut d)
    }

    fn limit(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::Insert => self.settings.videos_insert_per_day,
            Bucket::Units => self.settings.units_per_day,
        }
    }

    /// Spend `cost` calls or units at once (one per call but `videos.update` and
    /// `videos.delete`), or, spending nothing, say when the bucket refills if fewer than `cost`
    /// are left.
    pub fn spend_n(
        &self,
        bucket: Bucket,
        cost: u32,
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        let limit = self.limit(bucket);
        self.with_day(now, |d| {
            let used = match bucket {
                Bucket::Insert => &mut d.insert_calls,
                Bucket::Units => &mut d.units,
            };
            if used.saturating_add(cost) > limit {
                return Err(next_pacific_midnight(now));
            }
            *used += cost;
            Ok(())
        })
    }

    /// Google said the bucket is empty: count it as full until the reset.
    pub fn exhaust(&self, bucket: Bucket, now: DateTime<Utc>) {
        let limit = self.limit(bucket);
        self.with_day(now, |d| match bucket {
            Bucket::Insert => d.insert_calls = d.insert_calls.max(limit),
            Bucket::Units => d.units = d.units.max(limit),
        });
    }

    /// E.g. `videos.insert 3/100, other methods 12/10000 units today (Pacific time)`.
    pub fn summary(&self, now: DateTime<Utc>) -> String {
        let (calls, units) = self.with_day(now, |d| (d.insert_calls, d.units));
        format!(
            "videos.insert {calls}/{} today, other methods {units}/{} units today \
             (Pacific day, counted by this process)",
            self.settings.videos_insert_per_day, self.settings.units_per_day
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_fill_and_refill_on_the_pacific_day() {
        let q = QuotaTracker::new(QuotaSettings {
            videos_insert_per_day: 2,
            units_per_day: 10,
        });
        // 07:59 UTC on 2026-11-24 is 23:59 PST on the 23rd.
        let late = DateTime::parse_from_rfc3339("2026-11-24T07:59:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(q.spend_n(Bucket::Insert, 1, late).is_ok());
        assert!(q.spend_n(Bucket::Insert, 1, late).is_ok());
        let until = q.spend_n(Bucket::Insert, 1, late).unwrap_err();
        assert_eq!(until.to_rfc3339(), "2026-11-24T08:00:00+00:00");
        assert!(q.summary(late).starts_with("videos.insert 2/2 today"));
        // A minute later it is a new Pacific day.
        assert!(q.spend_n(Bucket::Insert, 1, until).is_ok());
        assert!(q.summary(until).starts_with("videos.insert 1/2 today"));
    }

    #[test]
    fn a_costly_call_needs_its_whole_cost_left() {
        let q = QuotaTracker::new(QuotaSettings {
            videos_insert_per_day: 2,
            units_per_day: 120,
        });
        let now = DateTime::parse_from_rfc3339("2026-11-24T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(q.spend_n(Bucket::Units, 50, now).is_ok());
        assert!(q.spend_n(Bucket::Units, 50, now).is_ok());
        assert!(q.spend_n(Bucket::Units, 50, now).is_err());
        assert!(q.summary(now).contains("other methods 100/120 units"));
        assert!(q.spend_n(Bucket::Units, 1, now).is_ok());
    }
}
