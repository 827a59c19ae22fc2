//! The Telegram bot through `prakat serve`, against a stand-in for the Bot API
//! (`telegram_fake`), playing a registered member, a stranger and two PR officers. Every test
//! asserts on the Bot API calls the bot made.

mod common;
mod telegram_fake;

use std::path::PathBuf;
use std::process::{Child, Command};

use prakat::store::Store;
use serde_json::Value;
use telegram_fake::{Fake, TOKEN, User};

const STAFF: User = User {
    id: 7001,
    name: "ส.ต.ท.สมชาย",
};
const OFFICER_A: User = User {
    id: 8001,
    name: "ร.ต.อ.หญิงวิไล",
};
const OFFICER_B: User = User {
    id: 8002,
    name: "ด.ต.ประเสริฐ",
};
const STRANGER: User = User {
    id: 9001,
    name: "someone",
};

struct Station {
    _dir: tempfile::TempDir,
    config: PathBuf,
    log: PathBuf,
    daemon: Option<Child>,
    fake: Fake,
}

impl Station {
    async fn new(extra: &str) -> Station {
        let fake = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let config = common::write_config(
            dir.path(),
            common::free_port(),
            &format!(
                "[telegram]\ntoken = \"{TOKEN}\"\napi_url = \"{}\"\ngather_for = \"1s\"\npoll_timeout = \"1s\"\ndaily_summary_at = \"\"\n{extra}",
                fake.url
            ),
        );
        let log = dir.path().join("daemon.log");
        Station {
            _dir: dir,
            config,
            log,
            daemon: None,
            fake,
        }
    }

    /// `prakat people invite …`: the code it printed.
    fn invite(&self, args: &[&str]) -> String {
        let mut all = vec!["people", "invite"];
        all.extend_from_slice(args);
        let out = common::prakat(&self.config, &all);
        assert!(out.status.success(), "{}", common::stderr(&out));
        let text = common::stdout(&out);
        let code = text
            .split_whitespace()
            .skip_while(|w| *w != "code")
            .nth(1)
            .unwrap_or_else(|| panic!("no code in {text}"))
            .to_owned();
        assert!(
            text.contains(&format!("https://t.me/ranong_station_bot?start={code}")),
            "the invitation links to the bot: {text}"
        );
        code
    }

    fn start(&mut self) {
        self.daemon = Some(common::start_daemon(&self.config, &self.log, "info"));
    }

    async fn stop(&mut self) {
        common::wait_until_serving(&self.config).await;
        if let Some(mut d) = self.daemon.take() {
            Command::new("kill")
                .args(["-TERM", &d.id().to_string()])
                .status()
                .unwrap();
            assert!(
                d.wait().unwrap().success(),
                "a clean stop; see {}",
                self.log.display()
            );
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Register the staff member (traffic) and both PR officers.
    async fn register_everyone(&self) {
        let staff = self.invite(&["--department", "traffic"]);
        let a = self.invite(&["--role", "pr_officer"]);
        let b = self.invite(&["--role", "pr_officer"]);
        self.fake
            .text(STAFF, &format!("/start {}", staff.to_lowercase()));
        self.fake.text(OFFICER_A, &format!("/start {a}"));
        self.fake.text(OFFICER_B, &format!("/start {b}"));
        for u in [STAFF, OFFICER_A, OFFICER_B] {
            self.fake.wait_text(u.id, "ลงทะเบียนเรียบร้อย").await;
        }
    }

    async fn app(&self) -> prakat::app::App {
        prakat::app::App::open_for(
            common::settings(&self.config),
            prakat::channels::Purpose::Compose,
        )
        .await
        .unwrap()
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}

/// The submission number in the bot's receipt "รับเรื่องที่ N แล้ว".
fn number_in(text: &str, after: &str) -> i64 {
    let rest = &text[text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} in {text}"))
        + after.len()..];
    rest.trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Wait (up to a minute) for the staff member's receipt of a submission after `previous`.
async fn next_receipt(fake: &Fake, previous: i64) -> i64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let newest = fake
            .texts_to(STAFF.id)
            .iter()
            .filter(|t| t.contains("รับเรื่องที่"))
            .map(|t| number_in(t, "รับเรื่องที่"))
            .max();
        if let Some(n) = newest.filter(|n| *n != previous) {
            return n;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no receipt after {previous}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn buttons(v: &Value) -> Vec<String> {
    v["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().unwrap().clone())
        .map(|b| b["callback_data"].as_str().unwrap().to_owned())
        .collect()
}

fn message_id_of_card(fake: &Fake, chat: i64, id: i64) -> i64 {
    // The fake numbers the bot's messages in the order they were sent.
    let cards: Vec<Value> = fake
        .calls_of("sendMessage")
        .into_iter()
        .filter(|v| v["chat_id"].as_i64() == Some(chat) && buttons(v).contains(&format!("ap:{id}")))
        .collect();
    assert_eq!(cards.len(), 1, "one card per officer: {cards:#?}");
    let text = cards[0]["text"].as_str().unwrap().to_owned();
    fake.sent_id(chat, &text)
}

fn jpeg(tag: &str) -> Vec<u8> {
    let mut b = b"\xff\xd8\xff\xe0\x00\x10JFIF".to_vec();
    b.extend_from_slice(tag.as_bytes());
    b
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_from_a_member_is_approved_once_by_two_officers_and_published_with_links() {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;

    // A stranger is told politely, in Thai, and nothing of theirs is kept.
    st.fake.text(STRANGER, "ขอลงประกาศหน่อย");
    st.fake.wait_text(STRANGER.id, "ยังไม่ได้ลงทะเบียน").await;

    // An album: two photos, the caption on the first, HTML in the text.
    st.fake.photo(
        STAFF,
        jpeg("one"),
        Some("จับกุมผู้ต้องหาลักทรัพย์ <b>2</b> ราย\nตรวจยึดของกลางได้ครบ & ส่งพนักงานสอบสวน"),
        Some("album-1"),
    );
    st.fake.photo(STAFF, jpeg("two"), None, Some("album-1"));
    st.fake.wait_text(STAFF.id, "ได้รับแล้ว").await;
    let receipt = st.fake.wait_text(STAFF.id, "รับเรื่องที่").await;
    let receipt = receipt["text"].as_str().unwrap();
    let id = number_in(receipt, "รับเรื่องที่");
    assert!(
        receipt.contains("&lt;b&gt;2&lt;/b&gt;"),
        "the sender's HTML is escaped: {receipt}"
    );
    assert!(
        receipt.contains("website"),
        "the preview says where: {receipt}"
    );
    assert_eq!(
        st.fake
            .texts_to(STAFF.id)
            .iter()
            .filter(|t| t.contains("ได้รับแล้ว"))
            .count(),
        1,
        "an album is acknowledged once"
    );

    // Both officers get the card with its buttons.
    for o in [OFFICER_A, OFFICER_B] {
        let card = st
            .fake
            .wait_for("sendMessage", |v| {
                v["chat_id"].as_i64() == Some(o.id) && buttons(v).contains(&format!("ap:{id}"))
            })
            .await;
        let text = card["text"].as_str().unwrap();
        assert!(text.contains("ไฟล์แนบ 2"), "{text}");
        assert!(text.contains("&amp;"), "escaped: {text}");
        assert_eq!(
            buttons(&card),
            [
                format!("ap:{id}"),
                format!("tm:{id}"),
                format!("ed:{id}"),
                format!("rj:{id}")
            ]
        );
    }

    // Each sees the album before the card: by Telegram's own file ids, nothing uploaded.
    for o in [OFFICER_A, OFFICER_B] {
        let album = st
            .fake
            .wait_for("sendMediaGroup", |v| v["chat_id"].as_i64() == Some(o.id))
            .await;
        let media = album["media"].as_array().unwrap();
        assert_eq!(media.len(), 2, "{album}");
        assert!(
            media.iter().all(|m| m["type"] == "photo"
                && m["media"]
                    .as_str()
                    .is_some_and(|f| f.starts_with("FILE") && !f.ends_with("-small"))),
            "{album}"
        );
    }

    // Both press approve at the same moment.
    let card_a = message_id_of_card(&st.fake, OFFICER_A.id, id);
    let card_b = message_id_of_card(&st.fake, OFFICER_B.id, id);
    st.fake.press(OFFICER_A, card_a, &format!("ap:{id}"));
    st.fake.press(OFFICER_B, card_b, &format!("ap:{id}"));
    let answers = loop {
        let a = st.fake.calls_of("answerCallbackQuery");
        if a.len() >= 2 {
            break a;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let texts: Vec<&str> = answers
        .iter()
        .map(|a| a["text"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains(&format!("อนุมัติเรื่องที่ {id} แล้ว")))
            .count(),
        1,
        "approved once: {texts:?}"
    );
    let stale = answers
        .iter()
        .find(|a| !a["text"].as_str().unwrap_or_default().contains("อนุมัติเรื่องที่"))
        .unwrap();
    assert_eq!(stale["show_alert"], true);
    assert!(
        stale["text"].as_str().unwrap().contains("หญิงวิไล")
            || stale["text"].as_str().unwrap().contains("ประเสริฐ"),
        "a stale button says who approved: {stale}"
    );

    // The sender hears of the approval, then everyone gets the links once published.
    st.fake.wait_text(STAFF.id, "อนุมัติแล้ว").await;
    for who in [STAFF, OFFICER_A, OFFICER_B] {
        let done = st.fake.wait_text(who.id, "📣").await;
        let text = done["text"].as_str().unwrap();
        assert!(text.contains("website: http"), "{text}");
    }
    // The cards lose their buttons and say who approved.
    let edits = st
        .fake
        .wait_for("editMessageText", |v| {
            v["message_id"].as_i64() == Some(card_b)
        })
        .await;
    assert!(
        edits["text"].as_str().unwrap().contains("อนุมัติโดย"),
        "{edits}"
    );

    let app = st.app().await;
    let deliveries = prakat::store::Store::deliveries(
        app.store.as_ref(),
        &prakat::store::DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(deliveries.len(), 1, "{deliveries:#?}");
    assert_eq!(deliveries[0].state, prakat::store::DeliveryState::Published);
    let a = prakat::store::Store::announcement(app.store.as_ref(), id)
        .await
        .unwrap();
    assert_eq!(a.media.len(), 2, "both photos of the album");
    assert_eq!(a.department.code, "traffic");
    assert!(a.title.starts_with("จับกุมผู้ต้องหาลักทรัพย์"));
    // Links were said once per person, whatever was redelivered.
    for who in [STAFF, OFFICER_A, OFFICER_B] {
        assert_eq!(
            st.fake
                .texts_to(who.id)
                .iter()
                .filter(|t| t.contains("📣"))
                .count(),
            1
        );
    }
    st.stop().await;
    assert!(!st.log().contains(TOKEN), "the token is never logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn rejection_edit_withdrawal_and_bad_input_each_get_their_answer() {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    let f = st.fake.clone();

    // Rejected with a reason the sender receives.
    f.text(STAFF, "ประชาสัมพันธ์การจราจร\nปิดถนนชั่วคราว <ถนนเรืองราษฎร์>");
    f.text(STAFF, "/send");
    let id = number_in(
        f.wait_text(STAFF.id, "รับเรื่องที่").await["text"]
            .as_str()
            .unwrap(),
        "รับเรื่องที่",
    );
    f.wait_for("sendMessage", |v| {
        v["chat_id"].as_i64() == Some(OFFICER_A.id) && buttons(v).contains(&format!("rj:{id}"))
    })
    .await;
    let card = message_id_of_card(&f, OFFICER_A.id, id);
    f.press(OFFICER_A, card, &format!("rj:{id}"));
    f.wait_text(OFFICER_A.id, "เหตุผลที่ไม่อนุมัติ").await;
    f.text(OFFICER_A, "ข้อมูลไม่ครบ ขอชื่อถนนที่ถูกต้อง");
    f.wait_text(OFFICER_A.id, &format!("แจ้งไม่อนุมัติเรื่องที่ {id}"))
        .await;
    let told = f.wait_text(STAFF.id, "ไม่ได้รับอนุมัติ").await;
    assert!(
        told["text"].as_str().unwrap().contains("ข้อมูลไม่ครบ"),
        "{told}"
    );

    // Edited by an officer, then approved at a chosen time.
    f.text(STAFF, "ผลการปฏิบัติงาน\nข้อความเดิม");
    f.text(STAFF, "/send");
    let id2 = next_receipt(&f, id).await;
    f.wait_for("sendMessage", |v| {
        v["chat_id"].as_i64() == Some(OFFICER_B.id) && buttons(v).contains(&format!("ed:{id2}"))
    })
    .await;
    let card = message_id_of_card(&f, OFFICER_B.id, id2);
    f.press(OFFICER_B, card, &format!("ed:{id2}"));
    f.wait_text(OFFICER_B.id, "พิมพ์ข้อความใหม่").await;
    f.text(OFFICER_B, "ผลการปฏิบัติงานประจำวัน\nข้อความที่แก้แล้ว");
    f.wait_text(OFFICER_B.id, &format!("แก้ไขเรื่องที่ {id2} แล้ว"))
        .await;
    let app = st.app().await;
    let a = prakat::store::Store::announcement(app.store.as_ref(), id2)
        .await
        .unwrap();
    assert_eq!(a.title, "ผลการปฏิบัติงานประจำวัน");
    f.press(OFFICER_B, card, &format!("tm:{id2}"));
    f.wait_text(OFFICER_B.id, "จะให้เผยแพร่เมื่อไร").await;
    f.text(OFFICER_B, "เมื่อวาน");
    f.wait_text(OFFICER_B.id, "เมื่อวาน").await; // the refusal quotes what was typed
    f.text(OFFICER_B, "31/12/2600 09.00");
    f.wait_text(OFFICER_B.id, &format!("อนุมัติเรื่องที่ {id2} แล้ว"))
        .await;
    let a = prakat::store::Store::announcement(app.store.as_ref(), id2)
        .await
        .unwrap();
    assert_eq!(a.state, "approved");
    assert_eq!(
        a.publish_at.to_rfc3339(),
        "2057-12-31T02:00:00+00:00",
        "BE 2600 is CE 2057, 09:00 Bangkok"
    );

    // Withdrawn by the sender while pending.
    f.text(STAFF, "เรื่องที่จะถอน");
    f.text(STAFF, "/send");
    f.wait_text(STAFF.id, "เรื่องที่จะถอน").await;
    f.text(STAFF, "/cancel");
    let w = f.wait_text(STAFF.id, "ถอนเรื่องที่").await;
    let id3 = number_in(w["text"].as_str().unwrap(), "ถอนเรื่องที่");
    let a = prakat::store::Store::announcement(app.store.as_ref(), id3)
        .await
        .unwrap();
    assert_eq!(a.state, "withdrawn");
    // /status lists theirs.
    f.text(STAFF, "/status");
    let s = f.wait_text(STAFF.id, "เรื่องล่าสุดของท่าน").await;
    let s = s["text"].as_str().unwrap();
    assert!(
        s.contains("ไม่อนุมัติ") && s.contains("ถอนแล้ว") && s.contains("อนุมัติแล้ว"),
        "{s}"
    );

    // What cannot be announced.
    f.location(STAFF);
    f.wait_text(STAFF.id, "รับได้เฉพาะข้อความ").await;
    f.voice(STAFF);
    f.wait_for("sendMessage", |v| {
        v["chat_id"].as_i64() == Some(STAFF.id)
            && v["text"].as_str().unwrap().contains("รับได้เฉพาะข้อความ")
            && f.texts_to(STAFF.id)
                .iter()
                .filter(|t| t.contains("รับได้เฉพาะข้อความ"))
                .count()
                == 2
    })
    .await;
    let fetched = f.calls_of("getFile").len();
    f.video(STAFF, 30 * 1024 * 1024, Some("คลิปเหตุการณ์"));
    let big = f.wait_text(STAFF.id, "เกินกว่าที่บอทดาวน์โหลดได้").await;
    assert!(big["text"].as_str().unwrap().contains("20"), "{big}");
    assert_eq!(
        f.calls_of("getFile").len(),
        fetched,
        "a file over the limit is never fetched"
    );
    // A group: told once, then left.
    f.group_text(STAFF, -100777, "สวัสดีบอท");
    f.group_text(STRANGER, -100777, "ว่าไง");
    f.wait_for("leaveChat", |v| v["chat_id"].as_i64() == Some(-100777))
        .await;
    f.wait_for("leaveChat", |_| f.calls_of("leaveChat").len() == 2)
        .await;
    assert_eq!(f.texts_to(-100777).len(), 1, "a group is told once");
    // A button from an unknown message, and from someone who may not approve.
    f.press(OFFICER_A, 1, "ap:999999");
    f.wait_for("answerCallbackQuery", |v| {
        v["text"]
            .as_str()
            .is_some_and(|t| t.contains("ไม่พบรายการนี้"))
    })
    .await;
    f.press(STAFF, 1, &format!("ap:{id3}"));
    f.wait_for("answerCallbackQuery", |v| {
        v["text"].as_str().is_some_and(|t| t.contains("ไม่มีสิทธิ์"))
    })
    .await;
    st.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn flood_control_is_waited_out_and_a_blocked_officer_does_not_stop_the_other() {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    let f = st.fake.clone();
    f.block(OFFICER_B.id);
    f.flood("sendMessage", 1, 1);
    f.text(STAFF, "แจ้งเตือนมิจฉาชีพ\nระวังการหลอกลวงทางโทรศัพท์");
    f.text(STAFF, "/send");
    // The first sendMessage after this is refused with retry_after = 1, then sent again.
    f.wait_text(STAFF.id, "รับเรื่องที่").await;
    let card = f
        .wait_for("sendMessage", |v| {
            v["chat_id"].as_i64() == Some(OFFICER_A.id) && !buttons(v).is_empty()
        })
        .await;
    assert!(card["text"].as_str().unwrap().contains("มิจฉาชีพ"));
    let to_b = f
        .calls_of("sendMessage")
        .into_iter()
        .filter(|v| v["chat_id"].as_i64() == Some(OFFICER_B.id) && !buttons(v).is_empty())
        .count();
    assert_eq!(
        to_b, 1,
        "the blocked officer was tried once, not again and again"
    );

    // One photo alone is shown as itself before its card.
    f.photo(STAFF, jpeg("solo"), Some("ภาพเดียว\nรายละเอียดของภาพ"), None);
    f.text(STAFF, "/send");
    let photo = f
        .wait_for("sendPhoto", |v| v["chat_id"].as_i64() == Some(OFFICER_A.id))
        .await;
    assert!(
        photo["photo"]
            .as_str()
            .is_some_and(|id| id.starts_with("FILE")),
        "{photo}"
    );
    f.wait_for("sendMessage", |v| {
        v["chat_id"].as_i64() == Some(OFFICER_A.id)
            && !buttons(v).is_empty()
            && v["text"].as_str().is_some_and(|t| t.contains("ภาพเดียว"))
    })
    .await;
    st.stop().await;
    assert!(st.log().contains("flood control"), "{}", st.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_is_said_once_in_the_log_and_the_daemon_keeps_publishing() {
    let mut st = Station::new("").await;
    st.fake.revoke_token();
    st.start();
    // The rest of the daemon works: a post from the CLI is published.
    let out = common::prakat(
        &st.config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "ประกาศ\nข้อความ",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let app = st.app().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while common::count_published(&app.store.delivery_counts().await.unwrap()) < 1 {
        assert!(std::time::Instant::now() < deadline, "{}", st.log());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    st.stop().await;
    let log = st.log();
    assert_eq!(
        log.matches("Telegram refuses the bot's token").count(),
        1,
        "{log}"
    );
    assert!(!log.contains(TOKEN), "the token is never logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_calls_need_the_secret_and_are_answered_once_handled() {
    let mut st =
        Station::new("mode = \"webhook\"\nwebhook_secret = \"a-long-webhook-secret-1234\"\n").await;
    // Telegram calls webhooks over https; the station's proxy forwards to the listener.
    let text = std::fs::read_to_string(&st.config).unwrap().replace(
        "[storage]",
        "public_base_url = \"https://station.example\"\n\n[storage]",
    );
    std::fs::write(&st.config, text).unwrap();
    st.start();
    let set = st.fake.wait_for("setWebhook", |_| true).await;
    assert_eq!(set["url"], "https://station.example/telegram/webhook");
    assert_eq!(set["secret_token"], "a-long-webhook-secret-1234");
    let base = format!("http://{}", common::settings(&st.config).server.listen);
    let client = reqwest::Client::new();
    let update = serde_json::json!({"update_id": 1, "message": {"message_id": 1, "date": 0,
        "chat": {"id": STRANGER.id, "type": "private", "first_name": "x"},
        "from": {"id": STRANGER.id, "is_bot": false, "first_name": "x"}, "text": "hello"}});
    // Wait for the listener.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let forged = client
        .post(format!("{base}/telegram/webhook"))
        .header("X-Telegram-Bot-Api-Secret-Token", "guessed")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    let none = client
        .post(format!("{base}/telegram/webhook"))
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    assert!(
        st.fake.texts_to(STRANGER.id).is_empty(),
        "a forged call is not handled"
    );
    let real = client
        .post(format!("{base}/telegram/webhook"))
        .header(
            "X-Telegram-Bot-Api-Secret-Token",
            "a-long-webhook-secret-1234",
        )
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(real.status(), 200);
    // Answered 200 only once handled: the reply is already out.
    assert!(
        st.fake
            .texts_to(STRANGER.id)
            .iter()
            .any(|t| t.contains("ยังไม่ได้ลงทะเบียน")),
        "{:?}",
        st.fake.calls()
    );
    assert!(
        st.fake.calls_of("getUpdates").is_empty(),
        "no polling in webhook mode"
    );
    st.stop().await;
    assert!(
        !st.log().contains("a-long-webhook-secret-1234"),
        "the secret is never logged"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expiring_token_and_a_paused_rule_reach_the_pr_officers_in_thai() {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    // What the channel watch records when a health check finds a token about to expire.
    let app = st.app().await;
    let now = chrono::Utc::now();
    let health = prakat_adapters::Health {
        summary: "ok".into(),
        token_expires_at: Some(now + chrono::Duration::days(3)),
        missing_permissions: vec!["pages_manage_posts".into()],
        quota: None,
    };
    app.store
        .record_audit(
            &prakat::store::Actor::daemon("watch"),
            "channel_concern",
            "channel",
            "facebook",
            prakat::watch::concern_detail("facebook", Some(&health), None, now),
        )
        .await
        .unwrap();
    for o in [OFFICER_A, OFFICER_B] {
        let m = st
            .fake
            .wait_text(o.id, "โทเคนของช่องทาง facebook จะหมดอายุ")
            .await;
        assert!(
            m["text"].as_str().unwrap().contains("pages_manage_posts"),
            "{m}"
        );
    }
    // A recurring rule paused after its deliveries kept failing.
    app.store
        .record_audit(
            &prakat::store::Actor::daemon("rules"),
            "rule_paused",
            "rule",
            "3",
            serde_json::json!({"reason": "failures", "channel": "line", "failures": 3,
                "title": "เตือนภัย <มิจฉาชีพ>", "cron": "0 0 9 * * Mon"}),
        )
        .await
        .unwrap();
    let paused = st.fake.wait_text(OFFICER_A.id, "rule resume 3").await;
    assert!(
        paused["text"].as_str().unwrap().contains("&lt;มิจฉาชีพ&gt;"),
        "{paused}"
    );
    assert!(
        !st.fake
            .texts_to(STAFF.id)
            .iter()
            .any(|t| t.contains("โทเคน") || t.contains("rule resume")),
        "department staff are not troubled with tokens and rules"
    );
    st.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forwarded_long_text_is_kept_whole_a_moved_member_sends_for_the_new_department_and_the_daily_summary_comes_once()
 {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    let f = st.fake.clone();

    // Longer than LINE and X take: kept whole; each channel fits it at compose time.
    let long = format!("ประกาศยาว\n{}", "ประชาชนโปรดระมัดระวังมิจฉาชีพ ".repeat(400));
    f.forwarded(STAFF, STRANGER, &long);
    f.text(STAFF, "/send");
    let id = number_in(
        f.wait_text(STAFF.id, "รับเรื่องที่").await["text"]
            .as_str()
            .unwrap(),
        "รับเรื่องที่",
    );
    let app = st.app().await;
    let a = app.store.announcement(id).await.unwrap();
    assert_eq!(
        a.body.chars().count(),
        long.trim().chars().count(),
        "kept whole"
    );
    assert_eq!(a.department.code, "traffic");

    // Moved to investigation: a new invite, the same Telegram account.
    let code = st.invite(&["--department", "investigation"]);
    f.text(STAFF, &format!("/start {code}"));
    f.wait_for("sendMessage", |v| {
        v["chat_id"].as_i64() == Some(STAFF.id)
            && v["text"]
                .as_str()
                .is_some_and(|t| t.contains("investigation"))
    })
    .await;
    f.text(STAFF, "ผลการสืบสวน\nจับกุมผู้ต้องหาตามหมายจับ");
    f.text(STAFF, "/send");
    let id2 = next_receipt(&f, id).await;
    assert_eq!(
        app.store.announcement(id2).await.unwrap().department.code,
        "investigation"
    );
    st.stop().await;

    // The daily summary: at the hour set, once a day, to the PR officers only.
    let text = std::fs::read_to_string(&st.config)
        .unwrap()
        .replace("daily_summary_at = \"\"", "daily_summary_at = \"00:00\"");
    std::fs::write(&st.config, text).unwrap();
    st.start();
    for o in [OFFICER_A, OFFICER_B] {
        let s = f.wait_text(o.id, "สรุปประจำวัน").await;
        let s = s["text"].as_str().unwrap();
        assert!(s.contains("มี 2 เรื่องรออนุมัติ"), "{s}");
        assert!(
            s.contains(&format!("#{id} ")) && s.contains(&format!("#{id2} ")),
            "{s}"
        );
    }
    st.stop().await;
    st.start();
    // Restarted the same day: the next look finds it said. Wait for the bot to be polling.
    let polls = f.calls_of("getUpdates").len();
    f.wait_for("getUpdates", |_| f.calls_of("getUpdates").len() > polls + 2)
        .await;
    st.stop().await;
    for o in [OFFICER_A, OFFICER_B] {
        assert_eq!(
            f.texts_to(o.id)
                .iter()
                .filter(|t| t.contains("สรุปประจำวัน"))
                .count(),
            1
        );
    }
    assert!(
        f.texts_to(STAFF.id)
            .iter()
            .all(|t| !t.contains("สรุปประจำวัน"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pr_officer_retracts_from_the_chat_and_hears_what_each_channel_did() {
    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    let out = common::prakat(
        &st.config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "จับกุมผู้ต้องหา นายสมมติ\nรายละเอียด",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let app = st.app().await;
    let site = st._dir.path().join("data/site");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !site.join("news/1.html").exists() {
        assert!(std::time::Instant::now() < deadline, "not published");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Department staff cannot; a number without a reason is explained.
    st.fake.text(STAFF, "/retract 1 ผิด");
    st.fake.wait_text(STAFF.id, "ไม่รู้จักคำสั่งนี้").await;
    st.fake.text(OFFICER_A, "/retract ผิด");
    st.fake
        .wait_text(OFFICER_A.id, "/retract หมายเลข เหตุผล")
        .await;
    st.fake.text(OFFICER_A, "/retract 1");
    st.fake.wait_text(OFFICER_A.id, "ระบุเหตุผลที่ถอนประกาศ").await;
    assert_eq!(app.store.announcement(1).await.unwrap().state, "approved");

    st.fake.text(OFFICER_A, "/retract 1 ชื่อผู้ต้องหาไม่ถูกต้อง");
    let said = st.fake.wait_text(OFFICER_A.id, "ถอนประกาศที่ 1").await;
    assert!(
        said["text"].as_str().unwrap().contains("website"),
        "each channel is named: {said}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(site.join("news/1.html"))
        .unwrap()
        .contains("ประกาศนี้ถอนแล้ว")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the page is not a notice yet"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!home.contains("news/1.html"), "{home}");
    // A second retraction is refused, in Thai.
    st.fake.text(OFFICER_B, "/retract 1 ซ้ำ");
    st.fake.wait_text(OFFICER_B.id, "ถอนแล้ว").await;
    st.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_monthly_digest_reaches_each_pr_officer_as_a_pdf_once() {
    use prakat::digest::fixture::{self, Size};
    use prakat::digest::{Month, job};

    let mut st = Station::new("").await;
    st.start();
    st.register_everyone().await;
    // A month long past: the daemon's own monthly job builds only the latest month due.
    let month = Month::parse("2568-03").unwrap();
    let app = st.app().await;
    fixture::fill(
        app.store.as_ref(),
        month,
        &Size {
            announcements: 4,
            channels: vec!["website".into()],
            slots: vec![prakat::store::ReachSlot::parse("1d").unwrap()],
        },
        &|_, _| {},
    )
    .await
    .unwrap();
    let now = month.end();
    let built = job::build_and_publish(&app, month, now).await.unwrap();
    for o in [OFFICER_A, OFFICER_B] {
        let sent = st
            .fake
            .wait_for("sendDocument", |v| v["chat_id"].as_i64() == Some(o.id))
            .await;
        // The file is a part of the upload, named by the `attach://` reference.
        let part = sent["document"]
            .as_str()
            .and_then(|d| d.strip_prefix("attach://"))
            .unwrap_or_else(|| panic!("a document sent as an upload: {sent}"));
        let file = &sent[part];
        assert_eq!(file["file_name"], "digest-2568-03.pdf", "{sent}");
        assert_eq!(file["starts_with"], "%PDF-", "{sent}");
        let caption = sent["caption"].as_str().unwrap();
        assert!(
            caption.contains("รายงานผลการประชาสัมพันธ์ประจำเดือน มีนาคม ๒๕๖๘")
                && caption.contains("มีประกาศ 4 เรื่อง"),
            "{caption}"
        );
        assert_eq!(sent["parse_mode"], "HTML");
    }
    // A rerun replaces the files and tells no one again; the staff member is not sent it.
    let again = job::build_and_publish(&app, month, now).await.unwrap();
    assert_eq!(built.pdf, again.pdf);
    // Something told after the rerun: once it has arrived, a second PDF would have too.
    app.store
        .record_audit(
            &prakat::store::Actor::daemon("rules"),
            "rule_paused",
            "rule",
            "9",
            serde_json::json!({"reason": "failures", "channel": "line", "failures": 3,
                "title": "หลังรายงาน", "cron": "0 0 9 * * Mon"}),
        )
        .await
        .unwrap();
    st.fake.wait_text(OFFICER_B.id, "rule resume 9").await;
    let documents = st.fake.calls_of("sendDocument");
    assert_eq!(
        documents.len(),
        2,
        "one PDF for each PR officer: {documents:#?}"
    );
    assert!(
        documents
            .iter()
            .all(|d| d["chat_id"].as_i64() != Some(STAFF.id))
    );
    st.stop().await;
}
