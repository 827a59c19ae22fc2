//! The database and the folders written for it go together: a database that is lost, replaced
//! or damaged is said so, with the file and what to do, and never silently made afresh next to
//! a published website (its announcement 1 would overwrite the old `news/1.html`).

mod common;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{prakat, stderr};

fn post(config: &Path, text: &str) -> Output {
    prakat(
        config,
        &[
            "post",
            "--department",
            "admin",
            "--channels",
            "website",
            "--text",
            text,
        ],
    )
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(files(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// A data directory whose daemon published announcement 1 to the website, then stopped.
fn published_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 a photo").unwrap();
    let o = prakat(
        &config,
        &[
            "post",
            "--department",
            "admin",
            "--channels",
            "website",
            "--text",
            "ประกาศฉบับแรก",
            "--media",
            photo.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = dir.path().join("data/site/news/1.html");
    let mut daemon = common::start_daemon(&config, &dir.path().join("daemon.log"), "warn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !page.exists() {
        assert!(Instant::now() < deadline, "the page was never published");
        std::thread::sleep(Duration::from_millis(100));
    }
    daemon.kill().unwrap();
    daemon.wait().unwrap();
    (dir, config)
}

fn remove_database(data: &Path) {
    for name in ["prakat.db", "prakat.db-wal", "prakat.db-shm"] {
        let _ = std::fs::remove_file(data.join(name));
    }
}

#[test]
fn a_lost_database_is_not_made_afresh_next_to_a_published_site() {
    let (dir, config) = published_site();
    let data = dir.path().join("data");
    let page = std::fs::read(data.join("site/news/1.html")).unwrap();
    remove_database(&data);

    for args in [
        &["post", "--department", "admin", "--text", "ประกาศใหม่"][..],
        &["queue", "list"][..],
    ] {
        let o = prakat(&config, args);
        assert!(!o.status.success(), "{args:?} must refuse");
        let err = stderr(&o);
        assert!(err.contains("prakat.db is missing"), "{err}");
        assert!(err.contains("restore"), "{err}");
        assert!(
            err.contains("data/site") || err.contains("data/media"),
            "{err}"
        );
    }
    let o = prakat(&config, &["serve"]);
    assert!(!o.status.success(), "serve must refuse");
    assert!(stderr(&o).contains("is missing"), "{}", stderr(&o));

    assert!(
        !data.join("prakat.db").exists(),
        "no new empty database was made"
    );
    assert_eq!(std::fs::read(data.join("site/news/1.html")).unwrap(), page);
}

#[test]
fn another_database_in_its_place_is_refused_naming_the_folder() {
    let (dir, config) = published_site();
    let data = dir.path().join("data");
    // Another station's (or a fresh) database put where this one was.
    let other = tempfile::tempdir().unwrap();
    let other_config = common::write_config(other.path(), common::free_port(), "");
    let o = prakat(&other_config, &["queue", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    remove_database(&data);
    for name in ["prakat.db", "prakat.db-wal"] {
        let from = other.path().join("data").join(name);
        if from.exists() {
            std::fs::copy(from, data.join(name)).unwrap();
        }
    }

    let o = prakat(&config, &["serve"]);
    assert!(!o.status.success(), "serve must refuse");
    let err = stderr(&o);
    assert!(err.contains("belongs to another database"), "{err}");
    assert!(
        err.contains("restore the right database from a backup"),
        "{err}"
    );
    let o = post(&config, "ประกาศใหม่");
    assert!(!o.status.success(), "post must refuse");
    assert!(
        stderr(&o).contains("belongs to another database"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_damaged_database_names_its_file_and_says_restore() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), common::free_port(), "");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("prakat.db"), vec![0x5a; 8192]).unwrap();
    let o = prakat(&config, &["queue", "list"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("prakat.db is damaged or is not a prakat database"),
        "{err}"
    );
    assert!(err.contains("restore it from a backup"), "{err}");
    assert!(!err.contains("code: 26"), "{err}");
}

#[test]
fn a_published_photo_is_kept_once_and_readable_like_the_pages() {
    use std::os::unix::fs::MetadataExt;
    let (dir, _config) = published_site();
    let data = dir.path().join("data");
    let is_photo = |p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "jpg");
    let stored: Vec<_> = files(&data.join("media"))
        .into_iter()
        .filter(is_photo)
        .collect();
    let served: Vec<_> = files(&data.join("site/media"))
        .into_iter()
        .filter(is_photo)
        .collect();
    assert_eq!(
        (stored.len(), served.len()),
        (1, 1),
        "{stored:?} {served:?}"
    );
    let (a, b) = (
        std::fs::metadata(&stored[0]).unwrap(),
        std::fs::metadata(&served[0]).unwrap(),
    );
    assert_eq!(
        (a.dev(), a.ino()),
        (b.dev(), b.ino()),
        "one file on disk, two names"
    );
    let page = std::fs::metadata(data.join("site/news/1.html")).unwrap();
    assert_eq!(b.mode() & 0o777, 0o644);
    assert_eq!(b.mode() & 0o777, page.mode() & 0o777);
}
