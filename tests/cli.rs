//! The command line as a person uses it: good input is queued, bad input is one clear line with
//! a meaningful exit code, and nothing is half-written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{prakat, stderr, stdout};

/// `prakat post --department admin --text x` plus `extra`.
fn post_admin(config: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["post", "--department", "admin", "--text", "x"];
    args.extend_from_slice(extra);
    prakat(config, &args)
}

/// A data directory with a config; the port is never listened on, so nudges go nowhere.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    (dir, config)
}

fn queued(config: &Path) -> Vec<serde_json::Value> {
    let o = prakat(config, &["queue", "list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn media_files(dir: &Path) -> usize {
    let media = dir.join("data/media");
    if !media.exists() {
        return 0;
    }
    walk(&media)
}

fn walk(p: &Path) -> usize {
    std::fs::read_dir(p)
        .unwrap()
        .flatten()
        // Not the `.prakat-store-id` marker: media files only.
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn a_post_is_queued_for_each_channel_and_can_be_listed_shown_cancelled_and_retried() {
    let (dir, config) = setup();
    let photo = dir.path().join("photo.jpg");
    std::fs::write(
        &photo,
        b"\xff\xd8\xff\xe0 not really a jpeg but named as one",
    )
    .unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--title",
            "ตั้งจุดตรวจ",
            "--text",
            "ตั้งจุดตรวจวัดแอลกอฮอล์ช่วงเทศกาล",
            "--media",
            photo.to_str().unwrap(),
            "--now",
            "--channels",
            "website,outbox",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("website") && stdout(&o).contains("outbox"),
        "{}",
        stdout(&o)
    );
    let rows = queued(&config);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r["state"] == "queued" && r["title"] == "ตั้งจุดตรวจ")
    );
    assert_eq!(
        media_files(dir.path()),
        1,
        "the photo is stored once, by content"
    );

    let id = rows[0]["id"].as_i64().unwrap().to_string();
    let o = prakat(&config, &["queue", "show", &id, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(shown["delivery"]["id"].as_i64().unwrap().to_string(), id);
    assert_eq!(shown["audit"][0]["action"], "queued");
    assert!(
        shown["audit"][0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("cli:")
    );

    let o = prakat(&config, &["queue", "retry", &id]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "retrying a queued delivery is a conflict: {}",
        stderr(&o)
    );
    let o = prakat(&config, &["queue", "cancel", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = prakat(
        &config,
        &["queue", "list", "--state", "cancelled", "--json"],
    );
    assert_eq!(stdout(&o).lines().count(), 1);
    let o = prakat(&config, &["queue", "retry", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = prakat(&config, &["queue", "show", "999999"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
}

#[test]
fn the_title_defaults_to_the_first_line_and_the_time_to_now() {
    let (_dir, config) = setup();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "admin",
            "--text",
            "งดรับ งดให้ของขวัญ (No Gift Policy)\nรายละเอียด",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = queued(&config);
    assert_eq!(rows[0]["title"], "งดรับ งดให้ของขวัญ (No Gift Policy)");
    assert_eq!(rows[0]["channel"], "website", "post.default_channels");
}

#[test]
fn an_unknown_department_is_refused_with_the_known_ones() {
    let (_dir, config) = setup();
    let o = prakat(&config, &["post", "--department", "marine", "--text", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("marine") && e.contains("traffic") && e.contains("inquiry"),
        "{e}"
    );
    assert!(queued(&config).is_empty());
    let o = prakat(
        &config,
        &[
            "--lang",
            "th",
            "post",
            "--department",
            "marine",
            "--text",
            "x",
        ],
    );
    assert!(stderr(&o).contains("ไม่มีหน่วยงาน"), "{}", stderr(&o));
}

#[test]
fn a_cron_expression_that_does_not_parse_is_refused_with_an_example() {
    let (_dir, config) = setup();
    let o = post_admin(&config, &["--recur", "every monday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0 0 9 * * Mon"), "{}", stderr(&o));
    let o = post_admin(&config, &["--recur", "0 0 9 * * Mon"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("recurring rule"), "{}", stdout(&o));
}

#[test]
fn a_time_in_the_past_or_not_a_time_is_refused() {
    let (_dir, config) = setup();
    let o = post_admin(&config, &["--at", "2020-01-01 09:00"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("in the past"), "{}", stderr(&o));
    let o = post_admin(&config, &["--at", "tomorrow"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD HH:MM"), "{}", stderr(&o));
    assert!(queued(&config).is_empty());
}

#[test]
fn a_missing_or_unsupported_media_file_is_refused_before_anything_is_written() {
    let (dir, config) = setup();
    let o = post_admin(&config, &["--media", "/nonexistent/photo.jpg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/photo.jpg"),
        "{}",
        stderr(&o)
    );
    let doc = dir.path().join("notes.docx");
    std::fs::write(&doc, b"PK").unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "admin",
            "--text",
            "x",
            "--media",
            doc.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not supported"), "{}", stderr(&o));
    assert!(queued(&config).is_empty());
    assert_eq!(media_files(dir.path()), 0);
}

#[test]
fn a_video_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[media]\nmax_video_bytes = 1000\n",
    );
    let video = dir.path().join("clip.mp4");
    let mut mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    mp4.resize(2000, 0);
    std::fs::write(&video, mp4).unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "x",
            "--media",
            video.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("is 2 kB; the limit for a video is 1 kB") && e.contains("max_video_bytes"),
        "{e}"
    );
}

#[test]
fn a_text_of_100000_characters_is_refused_and_nothing_is_written() {
    let (dir, config) = setup();
    let text = dir.path().join("long.txt");
    std::fs::write(&text, "ก".repeat(100_000)).unwrap();
    let photo = dir.path().join("p.png");
    std::fs::write(&photo, b"\x89PNG").unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "admin",
            "--text-file",
            text.to_str().unwrap(),
            "--media",
            photo.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("website") && e.contains("100,000") || e.contains("100000"),
        "{e}"
    );
    assert!(queued(&config).is_empty());
    assert_eq!(
        media_files(dir.path()),
        0,
        "no media stored for a refused post"
    );
    let o = prakat(
        &config,
        &[
            "--lang",
            "th",
            "post",
            "--department",
            "admin",
            "--text-file",
            text.to_str().unwrap(),
        ],
    );
    assert!(stderr(&o).contains("ยาวเกิน"), "{}", stderr(&o));
}

#[test]
fn malformed_settings_name_the_file_the_key_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[server]\nlisten = \"127.0.0.1:1\"\n\n[dispatch]\nbatch = 3\n",
    )
    .unwrap();
    let o = prakat(&config, &["queue", "list"]);
    assert_eq!(o.status.code(), Some(3));
    let e = stderr(&o);
    assert!(
        e.contains("bad.toml") && e.contains("batch") && e.contains("line 5"),
        "{e}"
    );
    std::fs::write(&config, "[server\nlisten = 1").unwrap();
    let o = prakat(&config, &["queue", "list"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
    assert!(
        !dir.path().join("prakat-data").exists(),
        "nothing created on bad settings"
    );
}

#[test]
fn departments_are_data() {
    let (_dir, config) = setup();
    let o = prakat(&config, &["department", "list"]);
    let out = stdout(&o);
    for code in ["admin", "prevention", "traffic", "investigation", "inquiry"] {
        assert!(out.contains(code), "{out}");
    }
    assert!(
        out.contains("งานอำนวยการ") && out.contains("งานสอบสวน"),
        "{out}"
    );
    let o = prakat(
        &config,
        &[
            "department",
            "add",
            "community",
            "--th",
            "งานชุมชนสัมพันธ์",
            "--en",
            "Community policing",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = prakat(
        &config,
        &["department", "add", "community", "--th", "x", "--en", "y"],
    );
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let o = prakat(
        &config,
        &["department", "add", "Bad Code", "--th", "x", "--en", "y"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The monthly digest's own department is the daemon's: nobody adds it.
    let o = prakat(
        &config,
        &["department", "add", "digest", "--th", "x", "--en", "y"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("digest"), "{}", stderr(&o));
    let o = prakat(
        &config,
        &["post", "--department", "community", "--text", "กิจกรรมชุมชน"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn channels_check_reports_each_enabled_channel() {
    let (_dir, config) = setup();
    let o = prakat(&config, &["channels", "check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("website") && out.contains("outbox"), "{out}");
}

#[test]
fn deliveries_of_a_channel_can_be_retried_together() {
    let (_dir, config) = setup();
    for _ in 0..3 {
        assert!(
            post_admin(&config, &["--channels", "outbox"])
                .status
                .success()
        );
    }
    for r in queued(&config) {
        let o = prakat(
            &config,
            &["queue", "cancel", &r["id"].as_i64().unwrap().to_string()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = prakat(
        &config,
        &[
            "queue",
            "retry",
            "--channel",
            "outbox",
            "--state",
            "cancelled",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("3 deliveries"), "{}", stdout(&o));
    assert!(queued(&config).iter().all(|r| r["state"] == "queued"));
    let o = prakat(
        &config,
        &["queue", "retry", "--channel", "outbox", "--state", "lost"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn watching_a_delivery_that_stopped_for_a_person_says_why() {
    let (_dir, config) = setup();
    assert!(
        post_admin(&config, &["--channels", "outbox"])
            .status
            .success()
    );
    let id = queued(&config)[0]["id"].as_i64().unwrap().to_string();
    assert!(prakat(&config, &["queue", "cancel", &id]).status.success());
    let o = prakat(&config, &["queue", "watch", &id]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cancelled"), "{}", stderr(&o));
}

#[test]
fn the_website_is_rebuilt_from_edited_templates_but_not_under_a_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("website")).unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[templates]\ndir = \"{}\"\n\n[dispatch]\nidle_recheck = \"1s\"\n",
            templates.display()
        ),
    );
    assert!(
        post_admin(&config, &["--title", "ประกาศทดสอบ"])
            .status
            .success()
    );
    let log = dir.path().join("serve.log");
    let mut daemon = common::start_daemon(&config, &log, "warn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while queued(&config)[0]["state"] != "published" {
        assert!(std::time::Instant::now() < deadline, "not published");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let o = prakat(&config, &["site", "rebuild"]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "refused while the daemon runs: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("stop it"), "{}", stderr(&o));
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());

    // An edited page template: the built-in one with a line added.
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/templates/website/page.html"),
    )
    .unwrap()
    .replacen(
        "</article>",
        "<p class=\"marker\">แก้ไขแม่แบบแล้ว</p></article>",
        1,
    );
    assert!(
        page.contains("marker"),
        "the built-in page template has an </article>"
    );
    std::fs::write(templates.join("website/page.html"), page).unwrap();
    let o = prakat(&config, &["site", "rebuild"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 pages"), "{}", stdout(&o));
    let html = std::fs::read_to_string(dir.path().join("data/site/news/1.html")).unwrap();
    assert!(
        html.contains("แก้ไขแม่แบบแล้ว") && html.contains("ประกาศทดสอบ"),
        "{html}"
    );
}

#[test]
fn a_text_only_announcement_is_skipped_for_youtube_with_the_reason_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[channels.youtube]\nclient_id = \"cid\"\nclient_secret = \"s\"\nrefresh_token = \"rt\"\n",
    );
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "ปิดถนนชั่วคราว",
            "--channels",
            "website,youtube",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("youtube: not sent — YouTube publishes video only"),
        "{}",
        stdout(&o)
    );
    let rows = queued(&config);
    assert_eq!(rows.len(), 1, "only the website delivery: {rows:?}");
    assert_eq!(rows[0]["channel"], "website");
    let shown: serde_json::Value = serde_json::from_str(&stdout(&prakat(
        &config,
        &["queue", "show", &rows[0]["id"].to_string(), "--json"],
    )))
    .unwrap();
    let skipped = shown["announcement_audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "skipped")
        .unwrap();
    assert_eq!(skipped["detail"]["channel"], "youtube");
    assert!(
        skipped["detail"]["reason_th"]
            .as_str()
            .unwrap()
            .contains("วิดีโอ"),
        "{skipped}"
    );

    // YouTube alone: nothing would be sent, so nothing is queued.
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "x",
            "--channels",
            "youtube",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no channel takes this announcement"),
        "{}",
        stderr(&o)
    );
    assert_eq!(queued(&config).len(), 1);
}

#[test]
fn commands_that_need_no_token_work_while_a_platform_token_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[channels.page_traffic]\ntype = \"facebook\"\npage_id = \"1\"\npage_access_token = { env = \"PRAKAT_TEST_CLI_UNSET_FB_TOKEN\" }\n",
    );
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--text",
            "ปิดถนนชั่วคราว",
            "--channels",
            "website,page_traffic",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let channels: Vec<String> = queued(&config)
        .iter()
        .map(|r| r["channel"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(channels.len(), 2);
    assert!(
        channels.contains(&"page_traffic".to_owned()),
        "{channels:?}"
    );
    for args in [&["department", "list"][..], &["config", "show"]] {
        let o = prakat(&config, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    // Composing wrote nothing the daemon owns.
    assert!(!dir.path().join("data/site").exists());
    assert!(!dir.path().join("data/channels/page_traffic").exists());

    // The check needs the token, and says which.
    let o = prakat(&config, &["channels", "check"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("channels.page_traffic")
            && stderr(&o).contains("PRAKAT_TEST_CLI_UNSET_FB_TOKEN"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn old_channel_sections_still_work_with_one_warning_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[channels.youtube]\nclient_id = \"cid\"\nclient_secret = \"s\"\nrefresh_token = \"rt\"\n\n[channels.line]\nchannel_access_token = \"t\"\n",
    );
    let o = prakat(&config, &["department", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings: Vec<&str> = std::str::from_utf8(&o.stderr)
        .unwrap()
        .lines()
        .filter(|l| l.contains("deprecated"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", stderr(&o));
    assert!(
        warnings[0].contains("type = \"youtube\"") && warnings[0].contains("type = \"line\""),
        "{}",
        warnings[0]
    );
}

/// Two daemons with different data directories on one database: the second refuses to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_daemon_on_the_same_database_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let config_for = |sub: &str| {
        let d = dir.path().join(sub);
        std::fs::create_dir_all(&d).unwrap();
        // `write_config` writes [storage] data_dir; add the shared database to that section.
        let path = common::write_config(&d, common::free_port(), "");
        let text = std::fs::read_to_string(&path).unwrap().replace(
            "[storage]\n",
            &format!("[storage]\ndatabase_url = \"sqlite://{}\"\n", db.display()),
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let (first, second) = (config_for("a"), config_for("b"));
    let listeners = prakat::daemon::Listeners {
        public: tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        admin: tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
    };
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(prakat::daemon::run(
        common::settings(&first),
        listeners,
        shutdown,
    ));
    let lock = dir.path().join("shared.db.lock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !dir.path().join("a/data/site/index.html").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "first daemon did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // The second daemon must stop by itself; one still running after 15 s is stopped here.
    let o = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prakat"))
            .arg("--config")
            .arg(&second)
            .arg("serve")
            .env_remove("PRAKAT_CONFIG")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        o.status.code().is_some_and(|c| c != 0),
        "the second daemon ran: {}",
        stderr(&o)
    );
    assert!(lock.exists());
    assert!(
        stderr(&o).contains("shared.db") && stderr(&o).contains("stop it first"),
        "{}",
        stderr(&o)
    );
    assert!(
        !dir.path().join("b/data/site").exists(),
        "the second daemon wrote before refusing"
    );

    stop.send(true).unwrap();
    running.await.unwrap().unwrap();
}

/// What a person pastes is kept in one clean form: a channel named twice is one delivery, a title
/// with a line break is one line, and control characters (Word's soft line break, a NUL) never
/// reach the store.
#[test]
fn pasted_text_is_normalised_and_a_repeated_channel_is_one_delivery() {
    let (dir, config) = setup();
    let pasted = dir.path().join("pasted.txt");
    std::fs::write(&pasted, "\u{FEFF}ปิดถนนท่าเมือง\u{0B}06.00\u{0}–09.00 น.").unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "traffic",
            "--title",
            "ปิดถนน\nชั่วคราว",
            "--text-file",
            pasted.to_str().unwrap(),
            "--now",
            "--channels",
            "outbox,outbox",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = prakat(&config, &["queue", "list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert_eq!(
        stdout(&list).matches("outbox").count(),
        1,
        "{}",
        stdout(&list)
    );
    let show = prakat(&config, &["queue", "show", "1", "--json"]);
    let shown = stdout(&show);
    assert!(shown.contains("ปิดถนน ชั่วคราว"), "{shown}");
    assert!(
        shown.contains("ปิดถนนท่าเมือง\\n06.00–09.00 น.")
            || shown.contains("ปิดถนนท่าเมือง\n06.00–09.00 น."),
        "{shown}"
    );
    assert!(
        !shown.contains('\u{0}') && !shown.contains('\u{0B}') && !shown.contains('\u{FEFF}'),
        "{shown:?}"
    );
}

/// Media are judged by what they are, not by their names: text named `.jpg`, HTML named `.gif`
/// and an SVG (an image that can carry script) are refused before anything is written.
#[test]
fn media_are_judged_by_content_and_svg_is_refused() {
    let (dir, config) = setup();
    for (name, bytes) in [
        ("photo.jpg", &b"just some text, not a photo"[..]),
        ("funny.gif", &b"<html><script>alert(1)</script></html>"[..]),
        (
            "logo.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
        ),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = post_admin(&config, &["--media", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not supported"),
            "{name}: {}",
            stderr(&o)
        );
    }
    assert!(queued(&config).is_empty());
    assert_eq!(media_files(dir.path()), 0);
}

/// A link readers would follow must be a web address, and a channel name in `queue` must exist:
/// `javascript:` and a typing mistake are refused with what to do.
#[test]
fn a_javascript_link_and_an_unknown_queue_channel_are_refused() {
    let (_dir, config) = setup();
    for link in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "not a link",
    ] {
        let o = post_admin(&config, &["--link", link]);
        assert_eq!(o.status.code(), Some(2), "{link}: {}", stderr(&o));
        assert!(stderr(&o).contains("http"), "{link}: {}", stderr(&o));
    }
    assert!(queued(&config).is_empty());
    let ok = post_admin(&config, &["--link", "https://ranong.police.go.th/news/1"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    for args in [
        &["queue", "list", "--channel", "websit"][..],
        &["queue", "retry", "--channel", "websit", "--state", "failed"][..],
    ] {
        let o = prakat(&config, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("websit") && stderr(&o).contains("website"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let known = prakat(&config, &["queue", "list", "--channel", "website"]);
    assert!(known.status.success(), "{}", stderr(&known));
}

/// `prakat queue list | head -1`: the reader goes away, the command ends quietly (no panic,
/// status 0), as other command-line tools do.
#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    use std::process::Stdio;
    let (_dir, config) = setup();
    for i in 0..30 {
        let o = post_admin(&config, &["--title", &format!("ประกาศ {i}")]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_prakat"))
        .arg("--config")
        .arg(&config)
        .args(["queue", "list", "--limit", "500"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before the first line
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

/// A title with a line break stays on its row, and Thai titles line up: columns are counted in
/// terminal columns, not characters.
#[test]
fn the_queue_table_keeps_one_row_per_delivery_and_its_columns() {
    use unicode_width::UnicodeWidthStr;
    let (_dir, config) = setup();
    for title in [
        "ปิดถนน\nชั่วคราว",
        "ผู้ต้องหาคดียาเสพติดถูกจับกุมที่ตำบลบางริ้น",
        "Road closed",
    ] {
        let o = prakat(
            &config,
            &[
                "post",
                "--department",
                "traffic",
                "--channels",
                "outbox",
                "--title",
                title,
                "--text",
                "x",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = prakat(&config, &["queue", "list"]);
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 4, "a header and three rows: {out}");
    // The title column starts at the same terminal column on every row.
    let title_at = |row: &str, title_start: &str| row[..row.find(title_start).unwrap()].width();
    let header = title_at(rows[0], "TITLE");
    // The newest first.
    for (row, start) in rows[1..].iter().zip(["Road", "ผู้ต้อง", "ปิดถนน"])
    {
        assert_eq!(title_at(row, start), header, "{out}");
    }
}

/// Thai saved by an older Windows program (TIS-620 / Windows-874) is read as Thai, with a note;
/// another encoding is refused with the fix, not "stream did not contain valid UTF-8".
#[test]
fn a_thai_windows_874_file_is_read_and_other_encodings_get_the_fix() {
    let (dir, config) = setup();
    let (tis, _, _) = encoding_rs::WINDOWS_874.encode("ประกาศปิดถนนชั่วคราว");
    let file = dir.path().join("tis620.txt");
    std::fs::write(&file, &tis).unwrap();
    let o = post_admin_file(&config, &file);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Windows-874"), "{}", stderr(&o));
    let show = prakat(&config, &["queue", "show", "1"]);
    assert!(
        stdout(&show).contains("ประกาศปิดถนนชั่วคราว"),
        "{}",
        stdout(&show)
    );

    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, [0x00, 0xff, 0xfe, 0xfd, 0xfc, 0x81]).unwrap();
    let o = post_admin_file(&config, &binary);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("is not UTF-8") && err.contains("save it as UTF-8"),
        "{err}"
    );
    assert!(!err.contains("stream did not contain"), "{err}");
}

fn post_admin_file(config: &Path, file: &Path) -> Output {
    prakat(
        config,
        &[
            "post",
            "--department",
            "admin",
            "--channels",
            "outbox",
            "--text-file",
            file.to_str().unwrap(),
        ],
    )
}

/// The PR officer invites from the command line: a code shown once, never stored as it is.
#[test]
fn an_invite_code_is_shown_once_and_kept_only_as_its_hash() {
    let (dir, config) = setup();
    let o = prakat(&config, &["people", "invite", "--department", "traffic"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let code = out
        .split_whitespace()
        .nth(2)
        .expect("invite code <CODE> …")
        .to_owned();
    assert_eq!(code.len(), 10, "{out}");
    assert!(out.contains(&format!("/start {code}")), "{out}");
    let db = std::fs::read(dir.path().join("data/prakat.db")).unwrap();
    let wal = std::fs::read(dir.path().join("data/prakat.db-wal")).unwrap_or_default();
    let stored = |bytes: &[u8]| bytes.windows(code.len()).any(|w| w == code.as_bytes());
    assert!(
        !stored(&db) && !stored(&wal),
        "the code itself is never stored"
    );

    let o = prakat(&config, &["people", "invite", "--role", "chief"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown role"), "{}", stderr(&o));
    let o = prakat(&config, &["people", "invite"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "department staff need a department"
    );
}
