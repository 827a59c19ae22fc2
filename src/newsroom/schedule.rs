//! Choosing when, the friendly way: the station's next free posting slot, and a repeat
//! (daily, on some weekdays, or monthly at a time) written as the cron expression the
//! recurring rules run on. The web desk's form calls these; the rules about what may be
//! scheduled (not in the past, not too often) stay in [`super::Newsroom::preview`] and
//! [`super::Newsroom::submit`].

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Bangkok;

use super::{Newsroom, NewsroomError, Result};
use crate::i18n::Msg;
use crate::store::Store;

/// How far ahead the next free slot is looked for.
pub const SLOT_HORIZON_DAYS: i64 = 31;

/// A slot starting sooner than this is not offered: nobody could still change their mind.
pub const SLOT_LEAD: Duration = Duration::minutes(5);

/// The first of `slots` (Bangkok times of day) from `now + SLOT_LEAD` on, within
/// [`SLOT_HORIZON_DAYS`], at whose minute no time of `taken` falls.
pub fn first_free(
    slots: &[NaiveTime],
    taken: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let mut slots = slots.to_vec();
    slots.sort();
    let today = now.with_timezone(&Bangkok).date_naive();
    (0..=SLOT_HORIZON_DAYS)
        .filter_map(|d| today.checked_add_signed(Duration::days(d)))
        .flat_map(|day| slots.iter().map(move |t| day.and_time(*t)))
        .filter_map(|local| Bangkok.from_local_datetime(&local).single())
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t >= now + SLOT_LEAD)
        .find(|t| {
            !taken
                .iter()
                .any(|x| *x >= *t && *x < *t + Duration::minutes(1))
        })
}

impl Newsroom<'_> {
    /// The station's next free posting slot (settings `post.slots`), or why there is none.
    pub async fn next_free_slot(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let slots: Vec<NaiveTime> = self.app.settings.post.slots.iter().map(|s| s.0).collect();
        if slots.is_empty() {
            return Err(NewsroomError::Refused(Msg::new("newsroom-no-slots")));
        }
        let taken = self
            .app
            .store
            .publish_times(now, now + Duration::days(SLOT_HORIZON_DAYS + 1))
            .await?;
        first_free(&slots, &taken, now).ok_or_else(|| {
            NewsroomError::Refused(
                Msg::new("newsroom-slots-full").with_number("days", SLOT_HORIZON_DAYS),
            )
        })
    }
}

/// How often a recurring announcement goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    Daily,
    /// On these days of the week (none: refused).
    Weekly(Vec<Weekday>),
    /// On this day of the month, 1 to 28 (so that every month has it).
    Monthly(u32),
}

impl Repeat {
    /// The cron expression (seconds first, Bangkok time) for this repeat at `at`.
    pub fn cron(&self, at: NaiveTime) -> Result<String> {
        use chrono::Timelike;
        let (m, h) = (at.minute(), at.hour());
        match self {
            Repeat::Daily => Ok(format!("0 {m} {h} * * *")),
            Repeat::Weekly(days) if days.is_empty() => {
                Err(NewsroomError::Refused(Msg::new("newsroom-repeat-no-day")))
            }
            Repeat::Weekly(days) => {
                let mut days = days.clone();
                days.sort_by_key(|d| d.num_days_from_monday());
                days.dedup();
                let names: Vec<&str> = days.iter().map(|d| weekday_name(*d)).collect();
                Ok(format!("0 {m} {h} * * {}", names.join(",")))
            }
            Repeat::Monthly(day) if (1..=28).contains(day) => Ok(format!("0 {m} {h} {day} * *")),
            Repeat::Monthly(day) => Err(NewsroomError::Refused(
                Msg::new("newsroom-repeat-bad-day").with_number("day", *day as i64),
            )),
        }
    }
}

/// A day of the week as cron writes it.
fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MON",
        Weekday::Tue => "TUE",
        Weekday::Wed => "WED",
        Weekday::Thu => "THU",
        Weekday::Fri => "FRI",
        Weekday::Sat => "SAT",
        Weekday::Sun => "SUN",
    }
}

/// A day of the week from a form: `mon` … `sun` (any case).
pub fn weekday(s: &str) -> Option<Weekday> {
    s.trim().parse().ok()
}

/// A time of day a person typed: `09:00`, `9.00`, Thai digits, a trailing `น.`.
pub fn time_of_day(input: &str) -> Result<NaiveTime> {
    let arabic = super::time::as_typed(input).replace('.', ":");
    NaiveTime::parse_from_str(&arabic, "%H:%M").map_err(|_| {
        NewsroomError::Refused(Msg::new("newsroom-bad-time-of-day").with("input", input))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn at(s: &str) -> DateTime<Utc> {
        Bangkok
            .from_local_datetime(
                &chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            )
            .unwrap()
            .with_timezone(&Utc)
    }

    fn hm(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    #[test]
    fn the_next_free_slot_skips_past_near_and_taken_times() {
        let slots = [hm("18:00"), hm("09:00"), hm("12:00")];
        // 08:57: 09:00 is too near; 12:00 is free.
        assert_eq!(
            first_free(&slots, &[], at("2026-12-01 08:57")),
            Some(at("2026-12-01 12:00"))
        );
        // 12:00 and 18:00 taken (one at 18:00:30 still takes the 18:00 minute).
        let taken = [
            at("2026-12-01 12:00"),
            at("2026-12-01 18:00") + Duration::seconds(30),
        ];
        assert_eq!(
            first_free(&slots, &taken, at("2026-12-01 08:57")),
            Some(at("2026-12-02 09:00"))
        );
        // An announcement at 12:01 does not take the 12:00 slot.
        assert_eq!(
            first_free(&slots, &[at("2026-12-01 12:01")], at("2026-12-01 10:00")),
            Some(at("2026-12-01 12:00"))
        );
        // Late at night: tomorrow's first slot, across the month's end.
        assert_eq!(
            first_free(&slots, &[], at("2026-11-30 23:30")),
            Some(at("2026-12-01 09:00"))
        );
        assert_eq!(first_free(&[], &[], at("2026-12-01 08:00")), None);
    }

    #[test]
    fn a_repeat_becomes_a_cron_expression() {
        let nine = hm("09:30");
        assert_eq!(Repeat::Daily.cron(nine).unwrap(), "0 30 9 * * *");
        assert_eq!(
            Repeat::Weekly(vec![Weekday::Fri, Weekday::Mon, Weekday::Fri])
                .cron(nine)
                .unwrap(),
            "0 30 9 * * MON,FRI"
        );
        assert_eq!(Repeat::Monthly(1).cron(nine).unwrap(), "0 30 9 1 * *");
        assert!(Repeat::Monthly(31).cron(nine).is_err());
        assert!(Repeat::Weekly(vec![]).cron(nine).is_err());
        // What the expressions say is what the rules run on.
        let rec = crate::schedule::Recurrence::parse(
            &Repeat::Weekly(vec![Weekday::Fri]).cron(nine).unwrap(),
        )
        .unwrap();
        let next = rec.next_after(at("2026-12-01 10:00")).unwrap();
        assert_eq!(next, at("2026-12-04 09:30"));
        assert_eq!(next.with_timezone(&Bangkok).weekday(), Weekday::Fri);
    }

    #[test]
    fn times_of_day_are_read_as_people_write_them() {
        assert_eq!(time_of_day("09:00").unwrap(), hm("09:00"));
        assert_eq!(time_of_day("9.30 น.").unwrap(), hm("09:30"));
        assert_eq!(time_of_day("๑๘.๐๐").unwrap(), hm("18:00"));
        assert!(time_of_day("25:00").is_err());
        assert!(time_of_day("").is_err());
        assert_eq!(weekday("fri"), Some(Weekday::Fri));
        assert_eq!(weekday("xyz"), None);
    }
}
