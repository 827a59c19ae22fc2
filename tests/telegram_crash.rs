//! kill -9 of `prakat serve` at random moments while a member submits an album by Telegram and
//! a PR officer approves it: every submission is made once, with all its photos, approved once
//! and published once. The Bot API stand-in sends again every update the daemon had not
//! confirmed, as Telegram does.

mod common;
mod telegram_fake;

use std::process::Command;
use std::time::Duration;

use prakat::store::{DeliveryFilter, DeliveryState, Store};
use rand::Rng;
use serde_json::Value;
use telegram_fake::{Fake, TOKEN, User};

const STAFF: User = User {
    id: 7101,
    name: "ส.ต.ต.มานพ",
};
const OFFICER: User = User {
    id: 8101,
    name: "ร.ต.ท.สุดา",
};

fn tail(log: &std::path::Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let start = text.char_indices().rev().nth(6000).map_or(0, |(i, _)| i);
    text[start..].to_owned()
}

fn kill9(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn cards(fake: &Fake, id: i64) -> Vec<Value> {
    fake.calls_of("sendMessage")
        .into_iter()
        .filter(|v| {
            v["chat_id"].as_i64() == Some(OFFICER.id)
                && v["reply_markup"]["inline_keyboard"][0][0]["callback_data"].as_str()
                    == Some(format!("ap:{id}").as_str())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_while_an_album_is_gathered_submitted_and_approved_makes_each_once() {
    let mut rng = common::crash_rng();
    let fake = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[telegram]\ntoken = \"{TOKEN}\"\napi_url = \"{}\"\ngather_for = \"1s\"\npoll_timeout = \"1s\"\ndaily_summary_at = \"\"\n",
            fake.url
        ),
    );
    let log = dir.path().join("daemon.log");
    let invite = |args: &[&str]| {
        let mut all = vec!["people", "invite"];
        all.extend_from_slice(args);
        let out = common::prakat(&config, &all);
        assert!(out.status.success(), "{}", common::stderr(&out));
        let text = common::stdout(&out);
        text.split_whitespace()
            .skip_while(|w| *w != "code")
            .nth(1)
            .unwrap()
            .to_owned()
    };
    let staff_code = invite(&["--department", "investigation"]);
    let officer_code = invite(&["--role", "pr_officer"]);
    let mut daemon = common::start_daemon(&config, &log, "info");
    fake.text(STAFF, &format!("/start {staff_code}"));
    fake.text(OFFICER, &format!("/start {officer_code}"));
    fake.wait_text(STAFF.id, "ลงทะเบียนเรียบร้อย").await;
    fake.wait_text(OFFICER.id, "ลงทะเบียนเรียบร้อย").await;

    let app = prakat::app::App::open_for(
        common::settings(&config),
        prakat::channels::Purpose::Compose,
    )
    .await
    .unwrap();
    const ROUNDS: usize = 6;
    for round in 0..ROUNDS {
        let title = format!("ผลการจับกุมครั้งที่ {round}");
        let album = format!("album-{round}");
        let mut jpeg = b"\xff\xd8\xff\xe0 first of round ".to_vec();
        jpeg.extend(round.to_string().bytes());
        fake.photo(
            STAFF,
            jpeg,
            Some(&format!("{title}\nรายละเอียด")),
            Some(&album),
        );
        fake.photo(
            STAFF,
            b"\xff\xd8\xff\xe0 second".to_vec(),
            None,
            Some(&album),
        );
        fake.text(STAFF, "/send");
        // Killed somewhere between taking the pieces and telling the officer.
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..1500))).await;
        kill9(&mut daemon);
        daemon = common::start_daemon(&config, &log, "info");
        let receipt = fake
            .wait_for("sendMessage", |v| {
                v["chat_id"].as_i64() == Some(STAFF.id)
                    && v["text"]
                        .as_str()
                        .is_some_and(|t| t.contains("รับเรื่องที่") && t.contains(&title))
            })
            .await;
        let text = receipt["text"].as_str().unwrap();
        let after = &text[text.find("รับเรื่องที่").unwrap() + "รับเรื่องที่".len()..];
        let id: i64 = after
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while cards(&fake, id).is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "no card for {id}; the daemon's log ends:\n{}",
                tail(&log)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let card = cards(&fake, id).pop().unwrap();
        let message = fake.sent_id(OFFICER.id, card["text"].as_str().unwrap());
        fake.press(OFFICER, message, &format!("ap:{id}"));
        // Killed somewhere around the approval and the publishing.
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..1500))).await;
        kill9(&mut daemon);
        daemon = common::start_daemon(&config, &log, "info");
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        loop {
            let d = app
                .store
                .deliveries(&DeliveryFilter {
                    announcement_id: Some(id),
                    ..Default::default()
                })
                .await
                .unwrap();
            if d.iter().any(|d| d.state == DeliveryState::Published) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{id} not published; the daemon's log ends:\n{}",
                tail(&log)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    common::wait_until_serving(&config).await;
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());

    // Each round's album is one announcement with both photos, published once.
    let mut all = app
        .store
        .deliveries(&DeliveryFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap();
    all.sort_by_key(|d| d.announcement_id);
    assert_eq!(all.len(), ROUNDS, "one delivery per submission: {all:#?}");
    for (round, d) in all.iter().enumerate() {
        assert_eq!(d.state, DeliveryState::Published);
        let a = app.store.announcement(d.announcement_id).await.unwrap();
        assert_eq!(a.title, format!("ผลการจับกุมครั้งที่ {round}"));
        assert_eq!(a.media.len(), 2, "both photos of round {round}");
        assert_eq!(a.state, "approved");
    }
    let pending = app
        .store
        .announcements_in_state("pending_approval", 100)
        .await
        .unwrap();
    assert!(
        pending.is_empty(),
        "no second submission of an album: {pending:#?}"
    );
}
