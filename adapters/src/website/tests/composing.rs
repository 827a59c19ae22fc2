//! A website made for composing (what the command line uses while the daemon writes the site):
//! the same `prepare` and URLs as the opened site, and not one file created, swept or
//! rewritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{archive, ctx, publish, settings};
use crate::website::Website;
use crate::{Channel, PublishError};

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let modified = e.metadata().unwrap().modified().unwrap();
                out.insert(p.clone(), (std::fs::read(&p).unwrap(), modified));
            }
        }
    }
    out
}

#[tokio::test]
async fn composing_prepares_like_the_opened_site_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = archive(dir.path());
    let opened = Website::open(settings(dir.path())).unwrap();
    for (i, d) in drafts.iter().enumerate() {
        publish(&opened, d, &format!("key-{i}")).await;
    }
    // A write of the daemon in progress: its temporary file must survive.
    let in_progress = opened.root().join("news/.prakat-tmp-9.html-1-1");
    std::fs::write(&in_progress, b"half").unwrap();
    let before = snapshot(opened.root());

    let composing = Website::for_composing(settings(dir.path()));
    assert!(!composing.is_publishing() && opened.is_publishing());
    for d in &drafts {
        assert_eq!(
            serde_json::to_value(composing.prepare(d).unwrap()).unwrap(),
            serde_json::to_value(opened.prepare(d).unwrap()).unwrap()
        );
        assert_eq!(
            composing.page_url(d.announcement_id),
            opened.page_url(d.announcement_id)
        );
    }
    let health = composing.healthcheck().await.unwrap();
    assert!(health.summary.contains("4 pages"), "{health}");
    let payload = composing.prepare(&drafts[0]).unwrap();
    let refused = composing
        .publish(&payload, &ctx("key-x"))
        .await
        .unwrap_err();
    assert!(matches!(refused, PublishError::Rejected(_)), "{refused}");
    assert!(composing.rebuild_all().await.is_err());

    assert_eq!(snapshot(opened.root()), before, "the site was touched");
    assert!(in_progress.exists());
}

#[tokio::test]
async fn composing_for_a_site_not_created_yet_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let composing = Website::for_composing(settings(dir.path()));
    let d = &archive(dir.path())[1];
    composing.prepare(d).unwrap();
    let health = composing.healthcheck().await.unwrap();
    assert!(health.summary.contains("not there yet"), "{health}");
    assert!(!composing.root().exists());
}
