//! `prakat reach collect` and `prakat reach show`, run as a person would, in English and Thai:
//! the website's sample comes from its page views, a LINE whose insight endpoint fails (a local
//! fake) leaves its slot waiting and the command exits 1; a second run finds nothing due.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::Utc;
use common::{prakat, stderr, stdout};
use prakat::app::App;
use prakat::channels::Purpose;
use prakat::store::{Outcome, PageViews, Settlement, Store};
use prakat_adapters::Receipt;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reach_collect_and_show_in_english_and_thai() {
    let asked = Arc::new(AtomicUsize::new(0));
    let a2 = asked.clone();
    let fake = Router::new().route(
        "/v2/bot/insight/message/event",
        get(move || {
            let asked = a2.clone();
            async move {
                asked.fetch_add(1, Ordering::SeqCst);
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    axum::Json(serde_json::json!({"message": "An error occurred in the backend"})),
                )
            }
        }),
    );
    let base = serve(fake).await;
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!("[channels.line]\nchannel_access_token = \"line-token\"\nbase_url = \"{base}\"\n"),
    );

    // One announcement published on the website and LINE two days ago, its page seen 5 times.
    let published_at = Utc::now() - chrono::Duration::days(2);
    let app = App::open_for(common::settings(&config), Purpose::Compose)
        .await
        .unwrap();
    let a = common::queue_many(&app, 1, &["website", "line"], published_at)
        .await
        .remove(0);
    let claimed = app
        .store
        .claim_due(published_at, "test", Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let settlements: Vec<Settlement> = claimed
        .iter()
        .map(|c| Settlement {
            delivery_id: c.id,
            claim: c.claim,
            outcome: Outcome::Published(Receipt {
                remote_id: Some(format!("{}-{}", c.channel, c.id)),
                request_id: (c.channel == "line").then(|| "req-from-line".into()),
                ..Receipt::default()
            }),
        })
        .collect();
    app.store
        .settle("test", published_at, &settlements)
        .await
        .unwrap();
    app.store
        .add_page_views(&[PageViews {
            announcement_id: a.id,
            day: published_at.date_naive(),
            views: 5,
        }])
        .await
        .unwrap();
    let line_delivery = claimed.iter().find(|c| c.channel == "line").unwrap().id;
    drop(app);

    let o = prakat(&config, &["reach", "collect"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("reach: 1 sample(s) stored, 1 failed (tried again later), 0 waiting"),
        "{out}"
    );
    assert!(
        out.contains(&format!("line (delivery {line_delivery}, 1d): ")),
        "{out}"
    );
    assert!(
        stderr(&o).contains("1 reach sample(s) failed; they are tried again on a later collection"),
        "{}",
        stderr(&o)
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert!(!out.contains("line-token"), "the token is never shown");

    let id = a.id.to_string();
    let o = prakat(&config, &["reach", "show", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!("announcement {id}: ")),
        "{out}"
    );
    assert!(
        lines[1].contains("SLOT") && lines[1].contains("VIEWS"),
        "{out}"
    );
    let row: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(row[0], "website", "{out}");
    assert_eq!(row[2], "1d", "{out}");
    assert_eq!(row[5], "5", "views: {out}");
    assert_eq!(row[6], "–", "reach is not told: {out}");
    assert!(
        lines[3].contains("line 1d: failed 1 time(s); next try at"),
        "{out}"
    );

    let o = prakat(&config, &["--lang", "th", "reach", "show", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("ประกาศหมายเลข {id}: ")), "{out}");
    assert!(out.contains("รอบ") && out.contains("การดู"), "{out}");
    assert!(out.contains("line รอบ 1d: ไม่สำเร็จ 1 ครั้ง"), "{out}");

    // The failed slot waits for its backoff: a second run finds nothing due and asks nobody.
    let o = prakat(&config, &["--lang", "th", "reach", "collect"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ยอดการเข้าถึง: บันทึกแล้ว 0 รายการ ไม่สำเร็จ 0 รายการ"),
        "{}",
        stdout(&o)
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);

    // Mistakes: an unreadable --since (exit 2), an announcement that does not exist (exit 4).
    let o = prakat(
        &config,
        &["--lang", "th", "reach", "collect", "--since", "ปีหน้า"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("อ่านค่า --since"), "{}", stderr(&o));
    let o = prakat(&config, &["reach", "collect", "--since", "soon"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read --since"), "{}", stderr(&o));
    let o = prakat(&config, &["reach", "show", "9999"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));

    // A --since after the publish leaves it out.
    let o = prakat(&config, &["reach", "collect", "--since", "2600-01-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("reach: 0 sample(s) stored"),
        "{}",
        stdout(&o)
    );
}
