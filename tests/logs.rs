//! The daemon's log as a collector or a journal sees it: no colour codes when stderr is not a
//! terminal, and with `--log-format json` (or `PRAKAT_LOG_FORMAT=json`) one JSON object per line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Run `prakat serve` with stderr to a pipe until it says it is serving, stop it with SIGTERM,
/// and return everything it logged.
fn serve_log(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    let mut child = Command::new(env!("CARGO_BIN_EXE_prakat"))
        .args(["--config", config.to_str().unwrap()])
        .args(args)
        .arg("serve")
        .env("PRAKAT_LOG", "info,sqlx=warn")
        .env_remove("NO_COLOR")
        .env_remove("PRAKAT_LOG_FORMAT")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let log = log.clone();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            let mut line = Vec::new();
            while stderr.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                log.lock().unwrap().extend_from_slice(&line);
                line.clear();
            }
        })
    };
    let until = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&log.lock().unwrap()).contains("prakat is serving") {
        assert!(Instant::now() < until, "the daemon did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    log.lock().unwrap().clone()
}

#[test]
fn text_logs_to_a_pipe_carry_no_colour_codes() {
    let log = serve_log(&[], &[]);
    let text = String::from_utf8_lossy(&log);
    assert!(!log.contains(&0x1b), "ESC in the log:\n{text:?}");
    assert!(text.contains(" INFO "), "{text}");
    assert!(text.contains("shutting down"), "{text}");
}

fn assert_json_lines(log: &[u8]) {
    let text = String::from_utf8(log.to_vec()).unwrap();
    assert!(!log.contains(&0x1b), "ESC in the log:\n{text:?}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert!(lines.len() >= 2, "{text}");
    for l in &lines {
        for key in ["timestamp", "level", "target", "message"] {
            assert!(l[key].is_string(), "{key} missing in {l}");
        }
    }
    let serving = lines
        .iter()
        .find(|l| l["message"] == "prakat is serving")
        .expect("the start line");
    assert_eq!(serving["level"], "INFO");
    assert!(
        serving["addr"].as_str().unwrap().starts_with("127.0.0.1:"),
        "{serving}"
    );
    assert!(
        serving["admin"].as_str().unwrap().starts_with("127.0.0.1:"),
        "{serving}"
    );
}

#[test]
fn log_format_json_gives_one_object_per_line() {
    assert_json_lines(&serve_log(&["--log-format", "json"], &[]));
}

#[test]
fn prakat_log_format_json_in_the_environment_does_the_same() {
    assert_json_lines(&serve_log(&[], &[("PRAKAT_LOG_FORMAT", "json")]));
}
