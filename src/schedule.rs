//! Recurring schedules: cron expressions (six or seven fields, seconds first, as the `cron` crate
//! reads them) evaluated in Asia/Bangkok, so `0 0 9 * * Mon` means 09:00 Bangkok every Monday.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Bangkok;
use cron::Schedule;

#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "cron expression {expr:?} does not parse: {message}. Use six fields, seconds first, in Bangkok time: \
     \"0 0 9 * * Mon\" is every Monday at 09:00"
)]
pub struct CronError {
    pub expr: String,
    pub message: String,
}

/// A parsed recurring schedule.
#[derive(Debug, Clone)]
pub struct Recurrence {
    schedule: Schedule,
}

impl Recurrence {
    pub fn parse(expr: &str) -> Result<Self, CronError> {
        let schedule = Schedule::from_str(expr.trim()).map_err(|e| CronError {
            expr: expr.to_owned(),
            message: e.to_string(),
        })?;
        let r = Recurrence { schedule };
        if r.next_after(Utc::now()).is_none() {
            return Err(CronError {
                expr: expr.to_owned(),
                message: "it never fires again".into(),
            });
        }
        Ok(r)
    }

    /// The first occurrence strictly after `t`.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.schedule
            .after(&t.with_timezone(&Bangkok))
            .next()
            .map(|d| d.with_timezone(&Utc))
    }

    /// The latest occurrence in `(after, until]`, if any: after a downtime, a missed notice is
    /// posted once, not once per missed occurrence.
    pub fn latest_in(&self, after: DateTime<Utc>, until: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut latest = None;
        for d in self.schedule.after(&after.with_timezone(&Bangkok)) {
            let d = d.with_timezone(&Utc);
            if d > until {
                break;
            }
            latest = Some(d);
        }
        latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monday_nine_is_bangkok_time() {
        let r = Recurrence::parse("0 0 9 * * Mon").unwrap();
        // Tuesday 24 Nov 2026, 10:00 Bangkok.
        let t = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+07:00")
            .unwrap()
            .with_timezone(&Utc);
        let next = r.next_after(t).unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-30T02:00:00+00:00"); // Mon 30 Nov 09:00 +07
    }

    #[test]
    fn bad_expressions_say_how_to_write_one() {
        let e = Recurrence::parse("every monday").unwrap_err();
        assert!(e.to_string().contains("0 0 9 * * Mon"), "{e}");
        assert!(Recurrence::parse("0 0 9 * *").is_err()); // five fields: minutes-first cron
    }

    #[test]
    fn a_long_downtime_fires_the_latest_missed_occurrence_once() {
        let r = Recurrence::parse("0 0 9 * * *").unwrap();
        let from = DateTime::parse_from_rfc3339("2026-11-01T09:00:00+07:00")
            .unwrap()
            .with_timezone(&Utc);
        let now = DateTime::parse_from_rfc3339("2026-11-05T12:00:00+07:00")
            .unwrap()
            .with_timezone(&Utc);
        let latest = r
            .latest_in(from - chrono::Duration::seconds(1), now)
            .unwrap();
        assert_eq!(
            latest.with_timezone(&Bangkok).to_rfc3339(),
            "2026-11-05T09:00:00+07:00"
        );
    }
}
