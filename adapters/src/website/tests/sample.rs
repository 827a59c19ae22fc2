//! Ignored on purpose: tools, not checks.
//!
//! - `sample_site` writes the story's archive (plus a few more) to `$PRAKAT_SAMPLE_SITE` (or a
//!   temporary directory) for `scripts/validate-site.sh` to feed to an HTML validator.
//! - `thousand_publishes` times 1,000 publishes in a row into one site and prints the figure
//!   (`PRAKAT_PUBLISHES=n` for another count; the site goes under `$TMPDIR`, and on a disk the
//!   file system's inode allocation for the atomic renames is much of the time: compare with
//!   `TMPDIR=/dev/shm`).
//!
//! ```sh
//! PRAKAT_SAMPLE_SITE=/tmp/site cargo test -p prakat-adapters website::tests::sample -- --ignored --nocapture
//! ```

use std::time::Instant;

use super::*;

#[tokio::test]
#[ignore = "writes a sample site for scripts/validate-site.sh"]
async fn sample_site() {
    let keep = std::env::var_os("PRAKAT_SAMPLE_SITE").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let out = keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    let mut s = settings(tmp.path());
    s.root = out.clone();
    let site = Website::open(s).unwrap();
    let mut drafts = archive(tmp.path());
    drafts.push(draft(
        5,
        traffic(),
        "ประกาศไม่มีข้อความ",
        "",
        "2025-11-05T01:00:00Z",
    ));
    for (i, d) in drafts.iter().enumerate() {
        publish(&site, d, &format!("sample-{i}")).await;
    }
    println!("sample site written to {}", out.display());
}

#[tokio::test]
#[ignore = "timing, prints a figure: run with --nocapture"]
async fn thousand_publishes() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let departments = [traffic(), investigation()];
    let start = Instant::now();
    let n: i64 = std::env::var("PRAKAT_PUBLISHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    for id in 1..=n {
        // Spread over about two years, as a station's archive would be.
        let at = utc("2024-10-01T02:00:00Z") + chrono::Duration::hours(17 * id);
        let mut d = draft(
            id,
            departments[(id % 2) as usize].clone(),
            &format!("ข่าวที่ {id}"),
            "ข้อความ ".repeat(60).trim(),
            "2024-10-01T02:00:00Z",
        );
        d.published_at = at;
        let payload = site.prepare(&d).unwrap();
        site.publish(&payload, &ctx(&format!("k{id}")))
            .await
            .unwrap();
    }
    let took = start.elapsed();
    println!("{n} publishes: {took:.2?} ({:.2?} each)", took / n as u32);
    let reopen = Instant::now();
    drop(site);
    let _site = Website::open(settings(dir.path())).unwrap();
    println!("open with {n} entries: {:.2?}", reopen.elapsed());
}

/// 1,000 publishes due at once, `PRAKAT_PUBLISH_CONCURRENCY` (default 4, as
/// `dispatch.concurrency`) at a time, as the dispatcher runs them: prints the pages per second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "timing, prints a figure: run with --nocapture"]
async fn thousand_publishes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let n: i64 = std::env::var("PRAKAT_PUBLISHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let at_once: usize = std::env::var("PRAKAT_PUBLISH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(at_once));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for id in 1..=n {
        let (site, gate) = (site.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            let at = utc("2024-10-01T02:00:00Z") + chrono::Duration::hours(17 * id);
            let mut d = draft(
                id,
                if id % 2 == 0 {
                    traffic()
                } else {
                    investigation()
                },
                &format!("ข่าวที่ {id}"),
                "ข้อความ ".repeat(60).trim(),
                "2024-10-01T02:00:00Z",
            );
            d.published_at = at;
            let payload = site.prepare(&d).unwrap();
            site.publish(&payload, &ctx(&format!("k{id}")))
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let took = start.elapsed();
    println!(
        "{n} publishes, {at_once} at a time: {took:.2?} ({:.0} pages/s)",
        n as f64 / took.as_secs_f64()
    );
}
