//! The web desk end to end: people added from the command line (`prakat people add
//! --password-stdin`) sign in to a running daemon's public listener; a new password ends their
//! sessions; the daemon's first admin is written for the station once. The handler tests of
//! every route are in `src/desk/tests.rs`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;

fn with_stdin(config: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prakat"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("PRAKAT_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Sign in as a browser does; the session cookie (`name=value`) when it worked.
async fn sign_in(c: &reqwest::Client, base: &str, login: &str, password: &str) -> Option<String> {
    let page = c.get(format!("{base}/")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let r = c
        .post(format!("{base}/desk/sign-in"))
        .header("cookie", cookie)
        .form(&[
            ("csrf", token.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    if r.status() != StatusCode::SEE_OTHER {
        return None;
    }
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("prakat_session="))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_added_from_the_command_line_sign_in_to_the_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let config = common::write_config(dir.path(), port, "");
    let add = |login: &'static str, extra: &'static [&'static str], password: &'static str| {
        let config = config.clone();
        move || {
            let mut args = vec![
                "people",
                "add",
                "--name",
                "ร.ต.อ. สมชาย ใจดี",
                "--login",
                login,
                "--password-stdin",
            ];
            args.extend_from_slice(extra);
            with_stdin(&config, &args, password)
        }
    };
    let ok = add("somchai", &["--role", "pr_officer"], "ระนอง-เข้มแข็ง-2569\n")();
    assert!(ok.status.success(), "{}", common::stderr(&ok));
    let said = common::stdout(&ok);
    assert!(
        said.contains("somchai") && said.contains(&format!("http://127.0.0.1:{port}/")),
        "{said}"
    );
    let again = add("SOMCHAI", &["--role", "pr_officer"], "another-long-one\n")();
    assert_eq!(
        again.status.code(),
        Some(5),
        "the login is taken, whatever its case"
    );
    let short = add("s2", &["--role", "pr_officer"], "short\n")();
    assert_eq!(short.status.code(), Some(2));
    assert!(
        common::stderr(&short).contains("10"),
        "{}",
        common::stderr(&short)
    );
    let no_dept = add("s3", &["--role", "department_staff"], "long-enough-pass\n")();
    assert_eq!(no_dept.status.code(), Some(2));
    let bad_dept = add(
        "s4",
        &["--role", "department_staff", "--department", "nosuch"],
        "long-enough-pass\n",
    )();
    assert_eq!(
        bad_dept.status.code(),
        Some(2),
        "{}",
        common::stderr(&bad_dept)
    );

    let log = dir.path().join("daemon.log");
    let mut daemon = common::start_daemon(&config, &log, "info");
    common::wait_until_serving(&config).await;
    let base = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert!(
        sign_in(&c, &base, "somchai", "wrong-password")
            .await
            .is_none()
    );
    let session = sign_in(&c, &base, "somchai", "ระนอง-เข้มแข็ง-2569")
        .await
        .expect("signed in");
    let inbox = c
        .get(format!("{base}/desk/inbox"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), StatusCode::OK);
    assert!(inbox.text().await.unwrap().contains("ร.ต.อ. สมชาย ใจดี"));

    // No admin could sign in, so the daemon made one and wrote its password for the station.
    let first = std::fs::read_to_string(dir.path().join("data/desk-first-admin.txt")).unwrap();
    let secret = first
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap();
    assert!(sign_in(&c, &base, "admin", secret).await.is_some());
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains(secret), "the password is not in the log");

    // A token for the JSON API, made from the command line and shown once.
    let made = common::prakat(
        &config,
        &[
            "people", "token", "--login", "somchai", "--label", "intranet",
        ],
    );
    assert!(made.status.success(), "{}", common::stderr(&made));
    let token = common::stdout(&made)
        .split_whitespace()
        .last()
        .unwrap()
        .to_owned();
    let pending = c
        .get(format!("{base}/api/v1/pending"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status(), StatusCode::OK);
    assert_eq!(pending.text().await.unwrap(), "[]");
    let unknown = common::prakat(
        &config,
        &["people", "token", "--login", "nobody", "--label", "x"],
    );
    assert_eq!(unknown.status.code(), Some(4));

    // A new password ends the sessions of the old one.
    let set = with_stdin(
        &config,
        &[
            "people",
            "password",
            "--login",
            "somchai",
            "--password-stdin",
        ],
        "ใหม่-ยาวพอ-2569\n",
    );
    assert!(set.status.success(), "{}", common::stderr(&set));
    let after = c
        .get(format!("{base}/desk/inbox"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        sign_in(&c, &base, "somchai", "ใหม่-ยาวพอ-2569")
            .await
            .is_some()
    );

    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());
}
