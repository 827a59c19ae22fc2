//! The queue as the PR officer reads and mends it: the newest first with a word about the rest,
//! a delivery shown in Bangkok time with its text, a whole announcement cancelled at once, and a
//! cancelled delivery retried at its own time, not at once.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::Utc;
use common::{prakat, stderr, stdout};

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    (dir, config)
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    stdout(o)
}

fn post(config: &Path, text: &str, extra: &[&str]) -> String {
    let mut args = vec!["post", "--department", "traffic", "--text", text];
    args.extend_from_slice(extra);
    ok(&prakat(config, &args))
}

fn json_rows(config: &Path) -> Vec<serde_json::Value> {
    ok(&prakat(config, &["queue", "list", "--all", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The delivery ids of the table's rows, top to bottom.
fn listed_ids(table: &str) -> Vec<i64> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn the_queue_lists_the_newest_first_and_says_how_many_more_there_are() {
    let (_dir, config) = setup();
    for i in 1..=3 {
        post(&config, &format!("ประกาศที่ {i}"), &[]);
    }
    let table = ok(&prakat(&config, &["queue", "list", "--limit", "2"]));
    assert_eq!(listed_ids(&table), vec![3, 2], "{table}");
    assert!(
        table.contains("one older delivery not shown") && table.contains("--all"),
        "{table}"
    );
    let table = ok(&prakat(&config, &["queue", "list", "--all"]));
    assert_eq!(listed_ids(&table), vec![3, 2, 1], "{table}");
    assert!(!table.contains("not shown"), "{table}");
    let th = ok(&prakat(
        &config,
        &["--lang", "th", "queue", "list", "--limit", "1"],
    ));
    assert!(th.contains("อีก 2 รายการ"), "{th}");
}

#[test]
fn a_delivery_is_shown_in_bangkok_time_with_its_text() {
    let (_dir, config) = setup();
    post(
        &config,
        "ปิดการจราจรถนนท่าเมือง\nเวลา 06.00–09.00 น.",
        &["--at", "2099-01-02 09:00"],
    );
    let out = ok(&prakat(&config, &["queue", "show", "1"]));
    assert!(out.contains("delivery 1 to website: queued"), "{out}");
    assert!(out.contains("due 2099-01-02 09:00 (Bangkok)"), "{out}");
    assert!(out.contains("  เวลา 06.00–09.00 น."), "{out}");
    assert!(!out.contains("\"payload\""), "no raw JSON: {out}");
    let th = ok(&prakat(&config, &["--lang", "th", "queue", "show", "1"]));
    assert!(th.contains("2642"), "Buddhist Era: {th}");
    let json = ok(&prakat(&config, &["queue", "show", "1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["delivery"]["id"], 1);
}

#[test]
fn a_whole_announcement_is_cancelled_at_once() {
    let (_dir, config) = setup();
    post(&config, "ประกาศ", &["--channels", "website,outbox"]);
    post(&config, "อีกประกาศ", &["--channels", "website"]);
    let out = ok(&prakat(
        &config,
        &["queue", "cancel", "--announcement", "1"],
    ));
    assert!(out.contains("2 deliveries cancelled"), "{out}");
    let rows = json_rows(&config);
    let state = |ann: i64| -> Vec<String> {
        rows.iter()
            .filter(|r| r["announcement_id"] == ann)
            .map(|r| r["state"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(state(1), vec!["cancelled", "cancelled"]);
    assert_eq!(
        state(2),
        vec!["queued"],
        "the other announcement is untouched"
    );
    let o = prakat(&config, &["queue", "cancel", "--announcement", "99"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
}

#[test]
fn a_cancelled_delivery_retried_before_its_time_keeps_its_time() {
    let (_dir, config) = setup();
    let at = (Utc::now() + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::Asia::Bangkok)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    post(&config, "ประกาศล่วงหน้า", &["--at", &at]);
    ok(&prakat(&config, &["queue", "cancel", "1"]));
    ok(&prakat(&config, &["queue", "retry", "1"]));
    let row = &json_rows(&config)[0];
    assert_eq!(row["state"], "queued");
    assert_eq!(
        row["next_attempt_at"], row["due_at"],
        "the embargo holds: {row}"
    );
}

#[test]
fn in_thai_the_list_shows_times_day_first_with_the_buddhist_era_year() {
    let (_dir, config) = setup();
    post(&config, "ประกาศล่วงหน้า", &["--at", "2099-01-02 09:00"]);
    let th = ok(&prakat(&config, &["--lang", "th", "queue", "list"]));
    assert!(th.contains("02/01/2642 09.00"), "{th}");
    let en = ok(&prakat(&config, &["--lang", "en", "queue", "list"]));
    assert!(en.contains("2099-01-02 09:00"), "{en}");
}
