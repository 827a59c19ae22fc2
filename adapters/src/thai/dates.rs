//! Buddhist Era dates in Bangkok time. BE = CE + 543; the Thai fiscal year runs October to
//! September and is named by the BE year it ends in. The government style is hand-written from
//! 12-entry tables because CLDR's Thai patterns are not the style official documents use.

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::{Asia::Bangkok, Tz};

/// Which digits a formatted date uses: Thai (๐–๙, customary in formal documents) or Arabic
/// (customary on social media).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    #[default]
    Thai,
    Arabic,
}

pub const MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

pub const MONTHS_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// The instant in Asia/Bangkok time (UTC+7, no daylight saving).
pub fn bangkok(at: DateTime<Utc>) -> DateTime<Tz> {
    Bangkok.from_utc_datetime(&at.naive_utc())
}

/// The Buddhist Era year of the instant, in Bangkok.
pub fn be_year(at: DateTime<Utc>) -> i32 {
    bangkok(at).year() + 543
}

/// The Thai fiscal year (BE) the instant falls in: October 2025 – September 2026 is FY 2569.
pub fn fiscal_year_be(at: DateTime<Utc>) -> i32 {
    let local = bangkok(at);
    local.year() + 543 + i32::from(local.month() >= 10)
}

/// Replace Arabic digits with Thai digits; everything else is left alone.
pub fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x0E50 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn digits(s: String, d: Digits) -> String {
    match d {
        Digits::Thai => thai_digits(&s),
        Digits::Arabic => s,
    }
}

/// Government style date and time: `วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น.`
pub fn gov_datetime(at: DateTime<Utc>, d: Digits) -> String {
    let l = bangkok(at);
    digits(
        format!(
            "วันที่ {} {} {} เวลา {:02}.{:02} น.",
            l.day(),
            MONTHS[l.month0() as usize],
            l.year() + 543,
            l.hour(),
            l.minute()
        ),
        d,
    )
}

/// Government style date: `๑๗ มีนาคม ๒๕๖๘`
pub fn gov_date(at: DateTime<Utc>, d: Digits) -> String {
    let l = bangkok(at);
    digits(
        format!(
            "{} {} {}",
            l.day(),
            MONTHS[l.month0() as usize],
            l.year() + 543
        ),
        d,
    )
}

/// Short style: `๔ ก.พ. ๖๘` (two-digit BE year).
pub fn short_date(at: DateTime<Utc>, d: Digits) -> String {
    let l = bangkok(at);
    digits(
        format!(
            "{} {} {:02}",
            l.day(),
            MONTHS_SHORT[l.month0() as usize],
            (l.year() + 543) % 100
        ),
        d,
    )
}

/// Month and year: `มีนาคม ๒๕๖๘`
pub fn month_year(at: DateTime<Utc>, d: Digits) -> String {
    let l = bangkok(at);
    digits(
        format!("{} {}", MONTHS[l.month0() as usize], l.year() + 543),
        d,
    )
}

/// The month's name for a month number 1–12 and a BE year: `มีนาคม ๒๕๖๘`.
pub fn month_year_of(be_year: i32, month: u32, d: Digits) -> String {
    let name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    digits(format!("{name} {be_year}"), d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn government_style_matches_the_official_example() {
        // 17 March 2025 09:30 Bangkok = 02:30 UTC.
        let at = utc("2025-03-17T02:30:00Z");
        assert_eq!(
            gov_datetime(at, Digits::Thai),
            "วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น."
        );
        assert_eq!(
            gov_datetime(at, Digits::Arabic),
            "วันที่ 17 มีนาคม 2568 เวลา 09.30 น."
        );
        assert_eq!(gov_date(at, Digits::Thai), "๑๗ มีนาคม ๒๕๖๘");
    }

    #[test]
    fn short_style_matches_the_seed_meeting_date() {
        // The ITA working group meeting of 4 Feb 2568 BE.
        let at = utc("2025-02-04T03:00:00Z");
        assert_eq!(short_date(at, Digits::Thai), "๔ ก.พ. ๖๘");
        assert_eq!(short_date(at, Digits::Arabic), "4 ก.พ. 68");
    }

    #[test]
    fn bangkok_day_differs_from_utc_day_late_in_the_evening() {
        // 31 Dec 2025 18:00 UTC is already 1 Jan 2026 01:00 in Bangkok: BE 2569.
        let at = utc("2025-12-31T18:00:00Z");
        assert_eq!(
            gov_datetime(at, Digits::Arabic),
            "วันที่ 1 มกราคม 2569 เวลา 01.00 น."
        );
        assert_eq!(be_year(at), 2569);
    }

    #[test]
    fn fiscal_year_turns_in_october_bangkok_time() {
        assert_eq!(fiscal_year_be(utc("2025-09-30T16:59:59Z")), 2568);
        assert_eq!(fiscal_year_be(utc("2025-09-30T17:00:00Z")), 2569); // 1 Oct 00:00 Bangkok
        assert_eq!(fiscal_year_be(utc("2026-09-30T00:00:00Z")), 2569);
    }

    #[test]
    fn every_month_has_its_names() {
        for m in 1..=12u32 {
            let at = Utc.with_ymd_and_hms(2026, m, 15, 5, 0, 0).unwrap();
            assert_eq!(
                month_year(at, Digits::Arabic),
                format!("{} 2569", MONTHS[(m - 1) as usize])
            );
            assert!(short_date(at, Digits::Arabic).contains(MONTHS_SHORT[(m - 1) as usize]));
        }
        assert_eq!(thai_digits("2569-12 x9"), "๒๕๖๙-๑๒ x๙");
    }
}
