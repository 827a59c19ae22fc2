//! A digest's month: a Bangkok calendar month, written `2569-11` (Buddhist Era) or `2026-11`
//! (CE) by people, `2569-11` in file and folder names, `พฤศจิกายน ๒๕๖๙` in Thai.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Bangkok;
use prakat_adapters::thai::{Digits, dates};

/// A calendar month in Asia/Bangkok. `year` is CE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

/// A year from 2400 on is Buddhist Era, as everywhere prakat reads a date a person typed.
const BE_FROM: i32 = 2400;

impl Month {
    pub fn new(year_ce: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1..=9000).contains(&year_ce)).then_some(Month {
            year: year_ce,
            month,
        })
    }

    /// Read `2569-11` (BE), `2026-11` (CE), `2569/11`, Thai digits too. `None` when it is not
    /// a month.
    pub fn parse(s: &str) -> Option<Month> {
        let arabic: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (c as u32 - 0x0E50) as u8),
                c => c,
            })
            .collect();
        let (y, m) = arabic.split_once(['-', '/'])?;
        if y.len() != 4 || !(1..=2).contains(&m.len()) {
            return None;
        }
        let y: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        Month::new(if y >= BE_FROM { y - 543 } else { y }, m)
    }

    /// The Bangkok month `at` falls in.
    pub fn of(at: DateTime<Utc>) -> Month {
        let l = dates::bangkok(at);
        Month {
            year: l.year(),
            month: l.month(),
        }
    }

    pub fn year_ce(self) -> i32 {
        self.year
    }

    pub fn year_be(self) -> i32 {
        self.year + 543
    }

    pub fn number(self) -> u32 {
        self.month
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    /// How many days the month has.
    pub fn days(self) -> u32 {
        (self.next().first_day() - self.first_day()).num_days() as u32
    }

    /// Its first instant: midnight of the 1st, Bangkok time, in UTC.
    pub fn start(self) -> DateTime<Utc> {
        let midnight = self.first_day().and_hms_opt(0, 0, 0).expect("midnight");
        Bangkok
            .from_local_datetime(&midnight)
            .single()
            .expect("Bangkok has no daylight saving")
            .with_timezone(&Utc)
    }

    /// The first instant after it.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// The Thai fiscal year (BE) the month belongs to: October 2569 BE opens FY 2570.
    pub fn fiscal_year_be(self) -> i32 {
        dates::fiscal_year_be(self.start())
    }

    /// `พฤศจิกายน ๒๕๖๙`
    pub fn thai(self, digits: Digits) -> String {
        dates::month_year_of(self.year_be(), self.month, digits)
    }

    /// `2569-11`: the month's name in files, folders and links.
    pub fn slug(self) -> String {
        format!("{}-{:02}", self.year_be(), self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn reads_buddhist_era_and_common_era() {
        let nov = Month::new(2026, 11).unwrap();
        for s in [
            "2569-11",
            "2026-11",
            "2569/11",
            "๒๕๖๙-๑๑",
            " 2569-11 ",
            "2026-11",
        ] {
            assert_eq!(Month::parse(s), Some(nov), "{s}");
        }
        for s in [
            "2569-13",
            "2569-0",
            "69-11",
            "2569",
            "november",
            "2569-11-01",
            "",
        ] {
            assert_eq!(Month::parse(s), None, "{s}");
        }
        assert_eq!(nov.slug(), "2569-11");
        assert_eq!(nov.thai(Digits::Thai), "พฤศจิกายน ๒๕๖๙");
        assert_eq!(nov.thai(Digits::Arabic), "พฤศจิกายน 2569");
    }

    #[test]
    fn a_month_is_bangkok_wall_time() {
        let nov = Month::new(2026, 11).unwrap();
        assert_eq!(nov.start(), utc("2026-10-31T17:00:00Z"));
        assert_eq!(nov.end(), utc("2026-11-30T17:00:00Z"));
        assert_eq!(nov.days(), 30);
        assert_eq!(Month::new(2028, 2).unwrap().days(), 29);
        // 23:59 Bangkok on 31 October is still October; a minute later it is November.
        assert_eq!(
            Month::of(utc("2026-10-31T16:59:00Z")),
            Month::new(2026, 10).unwrap()
        );
        assert_eq!(Month::of(utc("2026-10-31T17:00:00Z")), nov);
        assert_eq!(Month::new(2026, 1).unwrap().previous().slug(), "2568-12");
        assert_eq!(Month::new(2026, 12).unwrap().next().slug(), "2570-01");
    }

    #[test]
    fn fiscal_years_turn_on_the_first_of_october() {
        // September 2569 BE closes FY 2569; October 2569 BE opens FY 2570.
        assert_eq!(Month::parse("2569-09").unwrap().fiscal_year_be(), 2569);
        assert_eq!(Month::parse("2569-10").unwrap().fiscal_year_be(), 2570);
        assert_eq!(Month::parse("2569-11").unwrap().fiscal_year_be(), 2570);
        assert_eq!(Month::parse("2570-01").unwrap().fiscal_year_be(), 2570);
        // The instants on either side of midnight, Bangkok time, 30 Sep / 1 Oct 2026.
        assert_eq!(dates::fiscal_year_be(utc("2026-09-30T16:59:59Z")), 2569);
        assert_eq!(dates::fiscal_year_be(utc("2026-09-30T17:00:00Z")), 2570);
    }
}
