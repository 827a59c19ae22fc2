//! Every kind of message the command line shows, in the language asked for: a not-found, a
//! conflict, a settings error, the lock, a damaged database, a mistyped command, the table of
//! `queue list`, success lines and `--help`. In Thai each has Thai and no English sentence left
//! (technical names — paths, setting keys, channel names — stay as they are); the same in
//! English has no Thai.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run prakat with `config`, in `lang` (`None`: neither `--lang` nor a language variable).
fn prakat(config: &Path, lang: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prakat"));
    cmd.arg("--config").arg(config);
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    cmd.args(args)
        .env_remove("PRAKAT_CONFIG")
        .env_remove("PRAKAT_LANG")
        .env_remove("PRAKAT__UI__LANG")
        .output()
        .expect("run prakat")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What prakat said on stderr: from its `prakat: ` line on (log lines before it left out).
fn said(o: &Output) -> String {
    let e = stderr(o);
    match e.find("prakat: ") {
        Some(i) => e[i..].to_owned(),
        None => e,
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn has_thai(s: &str) -> bool {
    s.chars().any(|c| ('\u{0E01}'..='\u{0E5B}').contains(&c))
}

/// Words of the English messages; none may be left in a Thai one.
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "not",
    "found",
    "to",
    "of",
    "and",
    "cannot",
    "must",
    "only",
    "can",
    "be",
    "delivery",
    "deliveries",
    "announcement",
    "invalid",
    "unknown",
    "already",
    "exists",
    "stop",
    "first",
    "setting",
    "settings",
    "line",
    "column",
    "damaged",
    "database",
    "queued",
    "again",
    "cancelled",
    "published",
    "title",
    "state",
    "channel",
    "error",
    "usage",
    "options",
    "print",
    "added",
    "expected",
    "field",
    "daemon",
    "running",
    "restore",
    "backup",
    "value",
    "for",
    "argument",
    "number",
    "information",
    "try",
];

/// The words of `s` a person reads as language: not paths, keys, option names and their
/// values (`--channel line`) or placeholders (`<ID>`, `[OPTIONS]`), which stay as they are in
/// every language.
fn words(s: &str) -> Vec<String> {
    let pieces: Vec<&str> = s
        .split_whitespace()
        .map(|piece| piece.trim_matches(|c: char| "[]<>(){}:;,'\"`“”|".contains(c)))
        .collect();
    pieces
        .iter()
        .enumerate()
        .filter(|(i, piece)| {
            let after_option = *i > 0 && pieces[i - 1].starts_with("--");
            !after_option
                && !piece.starts_with('-')
                && !piece.contains(['.', '/', '_', '=', '$', '@'])
        })
        .map(|(_, piece)| *piece)
        .flat_map(|piece| piece.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Thai, with no English word of a message left.
fn assert_thai(what: &str, s: &str) {
    assert!(has_thai(s), "{what}: no Thai in {s:?}");
    let words = words(s);
    let left: Vec<&String> = words
        .iter()
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect();
    assert!(left.is_empty(), "{what}: English {left:?} left in {s:?}");
}

fn assert_english(what: &str, s: &str) {
    assert!(!s.trim().is_empty(), "{what}: nothing said");
    assert!(!has_thai(s), "{what}: Thai in the English message {s:?}");
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    (dir, config)
}

/// Queue one announcement for the outbox; its delivery's id.
fn queue_one(config: &Path) -> String {
    let o = prakat(
        config,
        None,
        &[
            "post",
            "--department",
            "traffic",
            "--channels",
            "outbox",
            "--title",
            "ปิดถนนชั่วคราว",
            "--text",
            "ปิดถนนท่าเมืองชั่วคราว",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = prakat(config, None, &["queue", "list", "--json"]);
    let row: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    row["id"].as_i64().unwrap().to_string()
}

#[test]
fn a_delivery_that_does_not_exist() {
    let (_dir, config) = setup();
    let th = prakat(&config, Some("th"), &["queue", "cancel", "99999"]);
    assert_eq!(th.status.code(), Some(4), "{}", stderr(&th));
    assert_thai("not found", &said(&th));
    assert!(stderr(&th).contains("99999"), "{}", stderr(&th));

    let en = prakat(&config, Some("en"), &["queue", "cancel", "99999"]);
    assert_eq!(en.status.code(), Some(4));
    assert_english("not found", &stderr(&en));
    assert!(
        stderr(&en).contains("delivery 99999 not found"),
        "{}",
        stderr(&en)
    );
}

#[test]
fn conflicts_success_lines_and_the_queue_table() {
    let (_dir, config) = setup();
    let id = queue_one(&config);

    // The table: headers and state in Thai, the title as it was written.
    let th = prakat(&config, Some("th"), &["queue", "list"]);
    assert!(th.status.success(), "{}", stderr(&th));
    let out = stdout(&th);
    let header = out.lines().next().unwrap();
    assert_thai("queue list header", header);
    assert!(
        header.contains("สถานะ") && header.contains("ช่องทาง"),
        "{out}"
    );
    assert!(
        out.contains("รอเผยแพร่") && out.contains("ปิดถนนชั่วคราว"),
        "{out}"
    );
    let en = prakat(&config, Some("en"), &["queue", "list"]);
    let header = stdout(&en).lines().next().unwrap().to_owned();
    assert_english("queue list header", &header);
    assert!(
        header.contains("STATE") && header.contains("TITLE"),
        "{header}"
    );

    // Success lines.
    let th = prakat(&config, Some("th"), &["queue", "cancel", &id]);
    assert!(th.status.success(), "{}", stderr(&th));
    assert_thai("cancelled", &stdout(&th));
    let en = prakat(&config, Some("en"), &["queue", "retry", &id]);
    assert!(en.status.success(), "{}", stderr(&en));
    assert_english("retried", &stdout(&en));
    assert!(stdout(&en).contains(&format!("delivery {id} to outbox queued again")));
    let en = prakat(&config, Some("en"), &["queue", "cancel", &id]);
    assert!(en.status.success(), "{}", stderr(&en));

    // Conflicts: a cancelled delivery cannot be cancelled again; a department exists once.
    let th = prakat(&config, Some("th"), &["queue", "cancel", &id]);
    assert_eq!(th.status.code(), Some(5), "{}", stderr(&th));
    assert_thai("cancel conflict", &said(&th));
    assert!(stderr(&th).contains("ยกเลิกแล้ว"), "{}", stderr(&th));
    let en = prakat(&config, Some("en"), &["queue", "cancel", &id]);
    assert_eq!(en.status.code(), Some(5));
    assert_english("cancel conflict", &stderr(&en));
    assert!(stderr(&en).contains("is cancelled; only a delivery that is"));

    let add = |lang| {
        let args = [
            "department",
            "add",
            "traffic",
            "--th",
            "งานจราจร",
            "--en",
            "Traffic",
        ];
        prakat(&config, Some(lang), &args)
    };
    let th = add("th");
    assert_eq!(th.status.code(), Some(5), "{}", stderr(&th));
    assert_thai("department conflict", &said(&th));
    let en = add("en");
    assert_english("department conflict", &stderr(&en));
    assert!(
        stderr(&en).contains("a department with the code traffic exists already"),
        "{}",
        stderr(&en)
    );

    let th = prakat(
        &config,
        Some("th"),
        &[
            "department",
            "add",
            "community",
            "--th",
            "งานชุมชนสัมพันธ์",
            "--en",
            "Community",
        ],
    );
    assert!(th.status.success(), "{}", stderr(&th));
    assert_thai("department added", &stdout(&th));
}

#[test]
fn a_settings_error_keeps_its_file_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[server]\nlisten = \"127.0.0.1:1\"\n\n[dispatch]\nbatch = 3\n",
    )
    .unwrap();
    let th = prakat(&config, Some("th"), &["queue", "list"]);
    assert_eq!(th.status.code(), Some(3));
    let e = said(&th);
    assert_thai("settings", &e);
    assert!(
        e.contains("bad.toml") && e.contains("batch") && e.contains("บรรทัด 5"),
        "{e}"
    );
    let en = prakat(&config, Some("en"), &["queue", "list"]);
    let e = stderr(&en);
    assert_english("settings", &e);
    assert!(
        e.contains("bad.toml") && e.contains("batch") && e.contains("line 5"),
        "{e}"
    );

    // The settings' own ui.lang counts even when the rest of the file is wrong.
    std::fs::write(&config, "[ui]\nlang = \"th\"\n\n[dispatch]\nbatch = 3\n").unwrap();
    let o = prakat(&config, None, &["queue", "list"]);
    assert_eq!(o.status.code(), Some(3));
    assert_thai("settings with ui.lang", &said(&o));
}

#[test]
fn the_settings_language_is_used_without_lang() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "[ui]\nlang = \"th\"\n");
    let o = prakat(&config, None, &["queue", "cancel", "99999"]);
    assert_eq!(o.status.code(), Some(4));
    assert_thai("ui.lang", &said(&o));
    let o = prakat(&config, Some("en"), &["queue", "cancel", "99999"]);
    assert_english("--lang over ui.lang", &stderr(&o));
}

#[test]
fn a_damaged_database_is_named_in_the_readers_language() {
    let (dir, config) = setup();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/prakat.db"),
        "this is not a database, it is a note left by mistake\n".repeat(200),
    )
    .unwrap();
    let th = prakat(&config, Some("th"), &["queue", "list"]);
    assert_eq!(th.status.code(), Some(1), "{}", stderr(&th));
    let e = said(&th);
    assert_thai("damaged database", &e);
    assert!(e.contains("prakat.db") && e.contains("เสียหาย"), "{e}");
    let en = prakat(&config, Some("en"), &["queue", "list"]);
    let e = stderr(&en);
    assert_english("damaged database", &e);
    assert!(e.contains("is damaged or is not a prakat database"), "{e}");
}

#[test]
fn the_lock_of_a_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    let log = dir.path().join("serve.log");
    let mut daemon = common::start_daemon(&config, &log, "warn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !dir.path().join("data/site/index.html").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the daemon did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // A second daemon on the same data directory, on ports of its own.
    let second = dir.path().join("second.toml");
    std::fs::write(
        &second,
        format!(
            "[server]\nlisten = \"127.0.0.1:{}\"\nadmin_listen = \"127.0.0.1:{}\"\n\n[storage]\ndata_dir = \"{}\"\n",
            common::free_port(),
            common::free_port(),
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let th = prakat(&second, Some("th"), &["serve"]);
    let en = prakat(&second, Some("en"), &["serve"]);
    let rebuild_th = prakat(&config, Some("th"), &["site", "rebuild"]);
    let rebuild_en = prakat(&config, Some("en"), &["site", "rebuild"]);
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());

    assert!(!th.status.success());
    let e = said(&th);
    assert_thai("lock held", &e);
    assert!(e.contains("prakat.lock"), "{e}");
    let e = said(&en);
    assert_english("lock held", &e);
    assert!(e.contains("stop it first"), "{e}");

    assert_eq!(rebuild_th.status.code(), Some(5));
    assert_thai("site rebuild under the daemon", &said(&rebuild_th));
    assert_english("site rebuild under the daemon", &said(&rebuild_en));
}

#[test]
fn a_mistyped_command_is_said_in_the_readers_language() {
    let (_dir, config) = setup();
    let th = prakat(&config, Some("th"), &["queue", "cancel", "abc"]);
    assert_eq!(th.status.code(), Some(2));
    assert_thai("not a number", &stderr(&th));
    let th = prakat(&config, Some("th"), &["queue", "lisst"]);
    assert_eq!(th.status.code(), Some(2));
    let e = stderr(&th);
    assert!(e.contains("lisst") && has_thai(&e), "{e}");
    let en = prakat(&config, Some("en"), &["queue", "cancel", "abc"]);
    assert_eq!(en.status.code(), Some(2));
    assert_english("not a number", &stderr(&en));
}

#[test]
fn help_is_in_the_chosen_language() {
    let (_dir, config) = setup();
    let th = prakat(&config, Some("th"), &["post", "--help"]);
    assert!(th.status.success(), "{}", stderr(&th));
    let out = stdout(&th);
    assert_thai("post --help", &out);
    assert!(
        out.contains("--department") && out.contains("หน่วยงาน"),
        "{out}"
    );

    let en = prakat(&config, None, &["post", "--help"]);
    assert!(en.status.success(), "{}", stderr(&en));
    let out = stdout(&en);
    assert_english("post --help", &out);
    assert!(
        out.contains("Department code") && out.contains("Usage:"),
        "{out}"
    );

    // PRAKAT_LANG chooses too, and the whole tree is worded.
    let o = Command::new(env!("CARGO_BIN_EXE_prakat"))
        .args(["queue", "--help"])
        .env("PRAKAT_LANG", "th")
        .env_remove("PRAKAT_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_thai("queue --help", &stdout(&o));
}
