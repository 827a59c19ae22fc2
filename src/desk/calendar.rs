//! The calendar: what is due in a week or a month (Bangkok time, dates in the Buddhist Era),
//! day by day, each announcement with each channel's state in its colour. Filtered by
//! department and channel; department staff see their own department only, whatever the link
//! asks. A period is read a page at a time from the store's due-time index
//! ([`DeliveryFilter::after`]), so a month of a busy station answers as fast as a quiet one,
//! and at a glance ([`Store::delivery_glances`]): the payloads the page never shows are not read.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Bangkok;
use minijinja::{Value, context};
use prakat_adapters::thai::{Digits, dates};
use serde::{Deserialize, Serialize};

use super::Desk;
use super::auth::{AnyRole, Signed};
use super::pages::{Page, state_labels, store_failure};
use crate::i18n::{Arg, Lang, tr};
use crate::store::{DeliveryFilter, DeliveryGlance, DeliveryKey, Store};

/// The most deliveries one page of the calendar shows; a fuller period continues on a next page
/// (a week of a busy station fits; a month of one usually takes a few pages).
pub const PAGE: usize = 500;

/// What the link asks for. Every field is text: a link typed wrong shows the current week
/// rather than an error.
#[derive(Debug, Default, Deserialize)]
pub struct Ask {
    /// `week` (the default) or `month`.
    pub view: Option<String>,
    /// A day in the period, `YYYY-MM-DD` (a year of 2400 or more is Buddhist Era).
    pub date: Option<String>,
    pub department: Option<String>,
    pub channel: Option<String>,
    /// The key of the last delivery of the page before ([`DeliveryKey::encode`]).
    pub after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Week,
    Month,
}

/// A period of the calendar: its Bangkok days `[first, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub view: View,
    pub first: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The week (Monday to Sunday) or the month that holds `day`.
    pub fn holding(view: View, day: NaiveDate) -> Period {
        let first = match view {
            View::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            View::Month => day.with_day(1).unwrap_or(day),
        };
        Period {
            view,
            first,
            end: Self::after(view, first),
        }
    }

    fn after(view: View, first: NaiveDate) -> NaiveDate {
        match view {
            View::Week => first + Days::new(7),
            View::Month => first + Months::new(1),
        }
    }

    pub fn previous(&self) -> Period {
        let first = match self.view {
            View::Week => self.first - Days::new(7),
            View::Month => self.first - Months::new(1),
        };
        Period::holding(self.view, first)
    }

    pub fn next(&self) -> Period {
        Period::holding(self.view, self.end)
    }

    /// The period in UTC: from the first day's Bangkok midnight to the end's.
    pub fn utc(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (midnight(self.first), midnight(self.end))
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Bangkok has no daylight saving: every local time is one instant.
    Bangkok
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// A day as the link gives it: ISO, with a Buddhist Era year taken back to the Common Era.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    if d.year() >= 2400 {
        d.with_year(d.year() - 543)
    } else {
        Some(d)
    }
}

/// A day's heading: `วันจันทร์ที่ 1 ธันวาคม 2569`, `Monday 1 December BE 2569`.
pub fn day_name(lang: Lang, day: NaiveDate) -> String {
    let abbr = day.format("%a").to_string();
    match lang {
        Lang::Th => format!(
            "{}ที่ {} {} {}",
            tr(lang, "weekday", &[("day", Arg::from(abbr))]),
            day.day(),
            dates::MONTHS[day.month0() as usize],
            day.year() + 543
        ),
        Lang::En => format!(
            "{} {} {} BE {}",
            day.format("%A"),
            day.day(),
            day.format("%B"),
            day.year() + 543
        ),
    }
}

/// The period's heading: a month's name, or a week's first and last day.
pub fn period_name(lang: Lang, p: &Period) -> String {
    let be = p.first.year() + 543;
    match (p.view, lang) {
        (View::Month, Lang::Th) => dates::month_year_of(be, p.first.month(), Digits::Arabic),
        (View::Month, Lang::En) => format!("{} BE {be}", p.first.format("%B")),
        (View::Week, _) => {
            let last = p.end - Days::new(1);
            let day = |d: NaiveDate| match lang {
                Lang::Th => format!(
                    "{} {} {}",
                    d.day(),
                    dates::MONTHS[d.month0() as usize],
                    d.year() + 543
                ),
                Lang::En => format!("{} {} BE {}", d.day(), d.format("%B"), d.year() + 543),
            };
            tr(
                lang,
                "desk-calendar-week-of",
                &[
                    ("first", Arg::from(day(p.first))),
                    ("last", Arg::from(day(last))),
                ],
            )
        }
    }
}

/// The query of the link to a period with the same filters (the page puts it after
/// `/desk/calendar?`).
fn link(
    p: &Period,
    department: Option<&str>,
    channel: Option<&str>,
    after: Option<&str>,
) -> String {
    let view = match p.view {
        View::Week => "week",
        View::Month => "month",
    };
    let date = p.first.format("%Y-%m-%d").to_string();
    let mut q: Vec<(&str, &str)> = vec![("view", view), ("date", &date)];
    if let Some(d) = department {
        q.push(("department", d));
    }
    if let Some(c) = channel {
        q.push(("channel", c));
    }
    if let Some(a) = after {
        q.push(("after", a));
    }
    serde_urlencoded::to_string(q).unwrap_or_default()
}

/// A day of the page, as the template shows it.
#[derive(Serialize)]
struct Day<'a> {
    /// `YYYY-MM-DD`.
    date: String,
    name: String,
    items: Vec<Item<'a>>,
}

/// An announcement of a day, with the deliveries of the page.
#[derive(Serialize)]
struct Item<'a> {
    id: i64,
    title: &'a str,
    /// The department's name in the reader's language.
    department: &'a str,
    /// Bangkok time, `HH.MM`.
    time: String,
    channels: Vec<Chip<'a>>,
}

/// A delivery's channel and state (its colour and, through `labels`, its name).
#[derive(Serialize)]
struct Chip<'a> {
    channel: &'a str,
    state: &'static str,
}

/// The rows of a page, by Bangkok day, each day's announcements in the order they are due.
/// Typed rather than built value by value: the template engine takes the whole page in one go.
fn days<'a>(
    lang: Lang,
    rows: &'a [DeliveryGlance],
    names: &'a HashMap<String, String>,
) -> Vec<Day<'a>> {
    let mut out: Vec<(NaiveDate, Vec<Item<'a>>)> = Vec::new();
    for d in rows {
        let at = dates::bangkok(d.due_at);
        let day = at.date_naive();
        if out.last().is_none_or(|(last, _)| *last != day) {
            out.push((day, Vec::new()));
        }
        let Some((_, items)) = out.last_mut() else {
            continue;
        };
        let chip = Chip {
            channel: &d.channel,
            state: d.state.as_str(),
        };
        match items.iter_mut().find(|i| i.id == d.announcement_id) {
            Some(i) => i.channels.push(chip),
            None => items.push(Item {
                id: d.announcement_id,
                title: &d.title,
                department: names.get(&d.department).unwrap_or(&d.department),
                time: format!("{:02}.{:02}", at.hour(), at.minute()),
                channels: vec![chip],
            }),
        }
    }
    out.into_iter()
        .map(|(day, items)| Day {
            date: day.format("%Y-%m-%d").to_string(),
            name: day_name(lang, day),
            items,
        })
        .collect()
}

/// `GET /desk/calendar?view=week|month&date=…&department=…&channel=…&after=…`.
pub async fn calendar(
    State(desk): State<Arc<Desk>>,
    who: Signed<AnyRole>,
    Query(ask): Query<Ask>,
) -> Response {
    let lang = who.lang;
    let view = match ask.view.as_deref() {
        Some("month") => View::Month,
        _ => View::Week,
    };
    let today = dates::bangkok(desk.clock.now()).date_naive();
    let day = ask.date.as_deref().and_then(parse_day).unwrap_or(today);
    let period = Period::holding(view, day);
    let (from, until) = period.utc();
    let departments = match desk.app.store.departments().await {
        Ok(d) => d,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    // Department staff: their own department, whatever the link says.
    let department = if who.person.role.may_approve() {
        ask.department
            .filter(|d| departments.iter().any(|x| &x.code == d))
    } else {
        who.person.department.clone()
    };
    let channel_names = desk.app.registry.names();
    let channel = ask.channel.filter(|c| channel_names.contains(c));
    let after = ask.after.as_deref().and_then(DeliveryKey::decode);
    let rows = match desk
        .app
        .store
        .delivery_glances(&DeliveryFilter {
            department: department.clone(),
            channel: channel.clone(),
            due_from: Some(from),
            due_until: Some(until),
            after,
            limit: Some(PAGE),
            ..Default::default()
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let names: HashMap<String, String> = departments
        .iter()
        .map(|d| {
            let name = match lang {
                Lang::Th => &d.name_th,
                Lang::En => &d.name_en,
            };
            (d.code.clone(), name.clone())
        })
        .collect();
    let (dept, chan) = (department.as_deref(), channel.as_deref());
    let more = (rows.len() == PAGE)
        .then(|| {
            rows.last()
                .map(|r| link(&period, dept, chan, Some(&r.key().encode())))
        })
        .flatten();
    let department_choices: Vec<Value> = departments
        .iter()
        .filter(|d| who.sees(&d.code))
        .map(|d| context! { code => &d.code, name => &names[&d.code] })
        .collect();
    Page::render(
        &desk,
        lang,
        "calendar.html",
        context! {
            view => match view { View::Week => "week", View::Month => "month" },
            period => period_name(lang, &period),
            date => period.first.format("%Y-%m-%d").to_string(),
            previous => link(&period.previous(), dept, chan, None),
            next => link(&period.next(), dept, chan, None),
            today => link(&Period::holding(view, today), dept, chan, None),
            continued => after.is_some(),
            more => more,
            days => days(lang, &rows, &names),
            departments => department_choices,
            department => dept,
            may_choose_department => who.person.role.may_approve(),
            channels => channel_names,
            channel => chan,
            labels => state_labels(lang),
            ..who.frame()
        },
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_week_runs_monday_to_sunday_and_a_month_from_its_first_day() {
        // 3 December 2026 is a Thursday.
        let w = Period::holding(View::Week, day("2026-12-03"));
        assert_eq!((w.first, w.end), (day("2026-11-30"), day("2026-12-07")));
        assert_eq!(w.previous().first, day("2026-11-23"));
        assert_eq!(w.next().first, day("2026-12-07"));
        let m = Period::holding(View::Month, day("2026-12-31"));
        assert_eq!((m.first, m.end), (day("2026-12-01"), day("2027-01-01")));
        assert_eq!(m.previous().first, day("2026-11-01"));
        assert_eq!(m.next().first, day("2027-01-01"));
        // The period's instants are Bangkok midnights (UTC+7).
        assert_eq!(
            m.utc().0,
            DateTime::parse_from_rfc3339("2026-11-30T17:00:00Z").unwrap()
        );
    }

    #[test]
    fn days_are_named_in_thai_in_the_buddhist_era() {
        assert_eq!(
            day_name(Lang::Th, day("2026-12-03")),
            "วันพฤหัสบดีที่ 3 ธันวาคม 2569"
        );
        assert_eq!(
            day_name(Lang::En, day("2026-12-03")),
            "Thursday 3 December BE 2569"
        );
        assert_eq!(parse_day("2569-12-03"), Some(day("2026-12-03")));
        assert_eq!(parse_day("2026-12-03"), Some(day("2026-12-03")));
        assert_eq!(parse_day("3/12/2569"), None);
        let m = Period::holding(View::Month, day("2026-12-03"));
        assert_eq!(period_name(Lang::Th, &m), "ธันวาคม 2569");
        assert_eq!(period_name(Lang::En, &m), "December BE 2569");
    }
}
