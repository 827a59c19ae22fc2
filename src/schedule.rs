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
        let schedule = Schedule::from_str(expr.trim()).map_err(|_| CronError {
            expr: expr.to_owned(),
            message: what_is_wrong(expr.trim()),
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

/// How often a schedule fires where it fires most: see [`Recurrence::busiest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busiest {
    /// The shortest time between two occurrences.
    pub gap: chrono::Duration,
    /// The first occurrence of the busiest stretch.
    pub from: DateTime<Utc>,
    /// How many times it fires in the 24 hours from `from` (at most [`BUSIEST_CAP`]).
    pub per_day: usize,
}

/// Occurrences counted at most, in a day or in a search: a rule firing every second fires
/// 86 400 times a day.
pub const BUSIEST_CAP: usize = 86_400;

impl Recurrence {
    /// The next `n` occurrences after `t`.
    pub fn next_n(&self, t: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        self.schedule
            .after(&t.with_timezone(&Bangkok))
            .take(n)
            .map(|d| d.with_timezone(&Utc))
            .collect()
    }

    /// Where the schedule fires most often after `t`, when two of its occurrences (within the
    /// coming year) are closer than `min_gap`; `None` when it never fires more often than that.
    pub fn busiest(&self, t: DateTime<Utc>, min_gap: chrono::Duration) -> Option<Busiest> {
        let until = t + chrono::Duration::days(366);
        let mut previous: Option<DateTime<Utc>> = None;
        let mut found: Option<(chrono::Duration, DateTime<Utc>)> = None;
        for d in self
            .schedule
            .after(&t.with_timezone(&Bangkok))
            .take(BUSIEST_CAP)
        {
            let d = d.with_timezone(&Utc);
            if d > until {
                break;
            }
            if let Some(p) = previous {
                let gap = d - p;
                if gap < min_gap && found.is_none_or(|(g, _)| gap < g) {
                    found = Some((gap, p));
                }
            }
            if let Some((_, from)) = found
                && (previous.is_some_and(|p| d - p >= min_gap)
                    || d - from > chrono::Duration::hours(24))
            {
                // The first busy stretch is over (or a day of it seen): that is what the person
                // is shown.
                break;
            }
            previous = Some(d);
        }
        let (gap, from) = found?;
        let end = from + chrono::Duration::hours(24);
        let per_day = 1 + self
            .schedule
            .after(&from.with_timezone(&Bangkok))
            .take(BUSIEST_CAP - 1)
            .take_while(|d| d.with_timezone(&Utc) < end)
            .count();
        Some(Busiest { gap, from, per_day })
    }

    /// The expression with its seconds (and, when they are `*` too, its minutes) made `0`: what
    /// a person who wrote `* 0 9 * * Mon` most likely meant. `None` when nothing would change.
    pub fn suggest_once(expr: &str) -> Option<String> {
        let mut fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() < 6 || fields[0] == "0" {
            return None;
        }
        fields[0] = "0";
        if fields[1] == "*" && fields[2] != "*" {
            fields[1] = "0";
        }
        let suggestion = fields.join(" ");
        Recurrence::parse(&suggestion).ok().map(|_| suggestion)
    }
}

/// The fields of a cron expression, in order, with what each accepts.
const FIELDS: &[(&str, &str)] = &[
    ("seconds", "0-59"),
    ("minutes", "0-59"),
    ("hours", "0-23"),
    ("day of month", "1-31"),
    ("month", "1-12 or Jan-Dec"),
    ("day of week", "1-7 or Sun-Sat"),
    ("year", "1970-2099"),
];

/// Which part of an expression the parser refused, said in a person's words (the parser's own
/// message names its internals).
fn what_is_wrong(expr: &str) -> String {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    match fields.len() {
        0 => return "it is empty".into(),
        5 => {
            return format!(
                "it has five fields, but prakat's cron has seconds first: write \"0 {expr}\""
            );
        }
        6 | 7 => {}
        n => return format!("it has {n} fields, not six"),
    }
    for (i, field) in fields.iter().enumerate() {
        // The expression with only this field as written.
        let alone: Vec<&str> = (0..fields.len())
            .map(|j| match j {
                _ if j == i => *field,
                0 => "0",
                _ => "*",
            })
            .collect();
        if Schedule::from_str(&alone.join(" ")).is_err() {
            let (name, range) = FIELDS[i];
            return format!(
                "the {name} field {field:?} is not valid (it takes {range}, *, lists, ranges and steps)"
            );
        }
    }
    "its fields do not go together".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_expression_is_explained_without_parser_internals() {
        let err = |e: &str| Recurrence::parse(e).unwrap_err().to_string();
        let five = err("0 9 * * Mon");
        assert!(
            five.contains("five fields") && five.contains("\"0 0 9 * * Mon\""),
            "{five}"
        );
        let hour = err("0 0 25 * * Mon");
        assert!(
            hour.contains("the hours field \"25\" is not valid"),
            "{hour}"
        );
        let day = err("0 0 9 * * Funday");
        assert!(day.contains("the day of week field \"Funday\""), "{day}");
        assert!(err("").contains("it is empty"));
        assert!(err("1 2 3").contains("3 fields, not six"));
    }

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

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn every_second_of_nine_oclock_is_sixty_posts() {
        let r = Recurrence::parse("* 0 9 * * Mon").unwrap();
        let b = r
            .busiest(utc("2026-12-01T10:00:00+07:00"), chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(b.gap, chrono::Duration::seconds(1));
        assert_eq!(b.per_day, 60);
        assert_eq!(b.from, utc("2026-12-07T09:00:00+07:00"));
        assert_eq!(
            Recurrence::suggest_once("* 0 9 * * Mon").as_deref(),
            Some("0 0 9 * * Mon")
        );
        let weekly = Recurrence::parse("0 0 9 * * Mon").unwrap();
        assert_eq!(
            weekly.busiest(utc("2026-12-01T10:00:00+07:00"), chrono::Duration::hours(1)),
            None
        );
        assert_eq!(Recurrence::suggest_once("0 0 9 * * Mon"), None);
    }

    #[test]
    fn every_second_is_counted_to_a_day() {
        let r = Recurrence::parse("* * * * * *").unwrap();
        let b = r
            .busiest(utc("2026-12-01T10:00:00+07:00"), chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(b.gap, chrono::Duration::seconds(1));
        assert_eq!(b.per_day, BUSIEST_CAP);
        let half_hourly = Recurrence::parse("0 0,30 * * * *").unwrap();
        let b = half_hourly
            .busiest(utc("2026-12-01T10:00:00+07:00"), chrono::Duration::hours(1))
            .unwrap();
        assert_eq!((b.gap.num_minutes(), b.per_day), (30, 48));
    }

    #[test]
    fn the_next_three_are_in_bangkok_time() {
        let r = Recurrence::parse("0 0 9 * * Mon").unwrap();
        let next = r.next_n(utc("2026-12-01T10:00:00+07:00"), 3);
        assert_eq!(
            next,
            vec![
                utc("2026-12-07T09:00:00+07:00"),
                utc("2026-12-14T09:00:00+07:00"),
                utc("2026-12-21T09:00:00+07:00")
            ]
        );
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
