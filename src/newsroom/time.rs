//! Reading a time a person typed: Bangkok wall time, in the Buddhist Era when the year is 2400
//! or later (people at a station write `2569-12-01 09:00` for 1 December 2026), with Thai
//! digits accepted, as `YYYY-MM-DD HH:MM` or the Thai day-first `DD/MM/YYYY HH.MM น.`.

use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Bangkok;

use super::NewsroomError;
use crate::i18n::Msg;

/// Years from this one on are Buddhist Era (BE = CE + 543).
const FIRST_BE_YEAR: i32 = 2400;
const BE_OFFSET: i32 = 543;

const FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H.%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
];

/// What a person typed as a time, trimmed, without a trailing `น.`, Thai digits as Arabic.
pub(super) fn as_typed(input: &str) -> String {
    input
        .trim()
        .trim_end_matches("น.")
        .trim()
        .chars()
        .map(|c| match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            c => c,
        })
        .collect()
}

/// A time as a person typed it, in Bangkok time, to UTC.
pub fn parse_bangkok(input: &str) -> Result<DateTime<Utc>, NewsroomError> {
    let arabic = as_typed(input);
    let bad = || NewsroomError::Refused(Msg::new("newsroom-bad-time").with("input", input));
    let naive = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&arabic, f).ok())
        .ok_or_else(bad)?;
    let naive = if naive.year() >= FIRST_BE_YEAR {
        naive.with_year(naive.year() - BE_OFFSET).ok_or_else(bad)?
    } else {
        naive
    };
    Ok(Bangkok
        .from_local_datetime(&naive)
        .single()
        .expect("Bangkok has no daylight saving")
        .with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> String {
        parse_bangkok(s).unwrap().to_rfc3339()
    }

    #[test]
    fn buddhist_era_years_and_thai_digits_are_read() {
        let want = "2026-12-01T02:00:00+00:00"; // 09:00 Bangkok
        assert_eq!(at("2026-12-01 09:00"), want);
        assert_eq!(at("2569-12-01 09:00"), want);
        assert_eq!(at("๒๕๖๙-๑๒-๐๑ ๐๙:๐๐"), want);
        assert_eq!(at("01/12/2569 09.00 น."), want);
        assert_eq!(at("2026-12-01T09:00:00"), want);
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_to_use() {
        let e = parse_bangkok("tomorrow 9am").unwrap_err();
        let en = e.message(crate::i18n::Lang::En);
        assert!(
            en.contains("tomorrow 9am") && en.contains("2569-12-01 09:00"),
            "{en}"
        );
        assert!(e.message(crate::i18n::Lang::Th).contains("ไม่ใช่วันเวลา"));
        assert!(parse_bangkok("2026-02-30 09:00").is_err());
    }
}
