//! Reach collection against fake platforms: one failing delivery does not stop the others and
//! is sampled on a later pass; a rate-limited platform is left alone while the others go on; a
//! platform whose figures come late is not asked early; the website's page views are counted
//! for people, not bots, and become its samples. Time is a clock the test sets.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prakat::channels::Registry;
use prakat::clock::Clock;
use prakat::compose::{ComposeError, Composed};
use prakat::reach::{Collector, PageViewCounter, Sampled};
use prakat::settings::Reach as ReachSettings;
use prakat::store::{
    Actor, AnnouncementRecord, NewAnnouncement, NewDelivery, Outcome, Settlement, SqliteStore,
    Store,
};
use prakat_adapters::{
    Channel, Department, Draft, Health, Idempotency, LengthUnit, Limits, Payload, PublishContext,
    PublishError, ReachSample, ReachSource, Receipt, Rejection,
};

/// A clock that says what the test sets.
struct SetClock(Mutex<DateTime<Utc>>);

impl SetClock {
    fn at(t: DateTime<Utc>) -> Arc<SetClock> {
        Arc::new(SetClock(Mutex::new(t)))
    }
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
}

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

type Answer = Result<ReachSample, PublishError>;

/// A platform that answers reach questions per post id, from a script; unscripted posts get a
/// sample of 10 views.
struct FakePlatform {
    kind: &'static str,
    limits: Limits,
    reports: bool,
    ready_after: Duration,
    script: Mutex<HashMap<String, VecDeque<Answer>>>,
    asked: Mutex<Vec<String>>,
}

impl FakePlatform {
    fn new(kind: &'static str) -> FakePlatform {
        FakePlatform {
            kind,
            limits: Limits {
                text_max: 10_000,
                unit: LengthUnit::Chars,
                title_max: None,
                media_max: 10,
                image_max_bytes: u64::MAX,
                video_max_bytes: u64::MAX,
                requires_video: false,
                links_allowed: true,
            },
            reports: true,
            ready_after: Duration::ZERO,
            script: Mutex::new(HashMap::new()),
            asked: Mutex::new(Vec::new()),
        }
    }

    fn answers(self, post: &str, answers: Vec<Answer>) -> Self {
        self.script
            .lock()
            .unwrap()
            .insert(post.into(), answers.into());
        self
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

#[async_trait]
impl Channel for FakePlatform {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn limits(&self) -> &Limits {
        &self.limits
    }
    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        Ok(Payload::from_draft(self.kind, draft))
    }
    async fn publish(&self, _: &Payload, _: &PublishContext) -> Result<Receipt, PublishError> {
        unreachable!("reach collection never publishes")
    }
    async fn healthcheck(&self) -> Result<Health, PublishError> {
        unreachable!("not asked here")
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::Native
    }
    fn reach_source(&self) -> Option<&dyn ReachSource> {
        self.reports.then_some(self as &dyn ReachSource)
    }
}

#[async_trait]
impl ReachSource for FakePlatform {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        let post = receipt.remote_id.clone().expect("a post id");
        self.asked.lock().unwrap().push(post.clone());
        let scripted = self
            .script
            .lock()
            .unwrap()
            .get_mut(&post)
            .and_then(VecDeque::pop_front);
        scripted.unwrap_or_else(|| {
            Ok(ReachSample {
                views: Some(10),
                ..ReachSample::default()
            })
        })
    }
    fn ready_after(&self) -> Duration {
        self.ready_after
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T02:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn mins(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

async fn open_store() -> (tempfile::TempDir, Arc<SqliteStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("prakat.db"))
        .await
        .unwrap();
    store
        .add_department(
            &Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            &Actor::daemon("test"),
        )
        .await
        .unwrap();
    (dir, Arc::new(store))
}

/// An announcement published on `channel` at `at` as post `post`; returns it and the delivery.
async fn published(
    store: &SqliteStore,
    channel: &str,
    post: &str,
    at: DateTime<Utc>,
) -> (AnnouncementRecord, i64) {
    let new = NewAnnouncement {
        channels: vec![],
        department: "traffic".into(),
        title: format!("ประกาศปิดถนน {post}"),
        body: "ขออภัยในความไม่สะดวก".into(),
        link: None,
        tags: vec![],
        media: vec![],
        source: "test".into(),
        publish_at: at,
    };
    let ch = channel.to_owned();
    let compose = move |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        let draft = Draft {
            announcement_id: a.id,
            department: a.department.clone(),
            title: a.title.clone(),
            text: a.body.clone(),
            media: vec![],
            link: None,
            published_at: at,
            tags: vec![],
        };
        Ok(vec![NewDelivery {
            channel: ch.clone(),
            payload: Payload::from_draft(&ch, &draft),
            due_at: at,
            idempotency_key: format!("a{}-{ch}", a.id),
        }]
        .into())
    };
    let (a, rows) = store
        .create_announcement(&new, &compose, &Actor::daemon("test"))
        .await
        .unwrap();
    let claimed = store
        .claim_due(at, "test", Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let settled = store
        .settle(
            "test",
            at,
            &[Settlement {
                delivery_id: rows[0].id,
                claim: claimed[0].claim,
                outcome: Outcome::Published(Receipt {
                    remote_id: Some(post.into()),
                    ..Receipt::default()
                }),
            }],
        )
        .await
        .unwrap();
    assert_eq!(settled, 1);
    (a, rows[0].id)
}

fn settings() -> ReachSettings {
    ReachSettings {
        retry_base: Duration::from_secs(600),
        ..ReachSettings::default()
    }
}

fn registry(platforms: &[(&str, &Arc<FakePlatform>)]) -> Arc<Registry> {
    let mut r = Registry::new();
    for (name, p) in platforms {
        r.insert(*name, Arc::clone(p) as Arc<dyn Channel>, 1);
    }
    Arc::new(r)
}

#[tokio::test]
async fn one_failing_delivery_does_not_stop_the_others_and_is_sampled_later() {
    let (_dir, store) = open_store().await;
    let fb = Arc::new(FakePlatform::new("facebook").answers(
        "post-a",
        vec![
            Err(PublishError::Transient("503 from the platform".into())),
            Ok(ReachSample {
                views: Some(120),
                unique_viewers: None,
                reactions: Some(7),
                ..ReachSample::default()
            }),
        ],
    ));
    let (a, delivery_a) = published(&store, "facebook", "post-a", t0()).await;
    let (b, _) = published(&store, "facebook", "post-b", t0() + mins(1)).await;
    let clock = SetClock::at(t0() + mins(61));
    let collector = Collector::new(
        store.clone(),
        registry(&[("facebook", &fb)]),
        clock.clone(),
        settings(),
    );

    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!(report.stored, 1, "{report:?}");
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].0.delivery_id, delivery_a);
    assert_eq!(
        fb.asked(),
        vec!["post-a", "post-b"],
        "the failure did not stop the pass"
    );
    assert!(store.reach_samples(a.id).await.unwrap().is_empty());
    let b_samples = store.reach_samples(b.id).await.unwrap();
    assert_eq!(b_samples.len(), 1);
    assert_eq!(b_samples[0].slot.to_string(), "1h");
    assert_eq!(b_samples[0].sample.views, Some(10));
    let waiting = store.reach_failures(a.id).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].attempts, 1);
    assert_eq!(waiting[0].next_attempt_at, t0() + mins(61) + mins(10));

    // Before its backoff is over, nothing is asked again; b's slot is never sampled twice.
    clock.set(t0() + mins(65));
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!((report.stored, report.failed.len()), (0, 0));
    assert_eq!(fb.asked().len(), 2);

    clock.set(t0() + mins(71));
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!((report.stored, report.failed.len()), (1, 0));
    assert_eq!(fb.asked(), vec!["post-a", "post-b", "post-a"]);
    let a_samples = store.reach_samples(a.id).await.unwrap();
    assert_eq!(a_samples.len(), 1);
    assert_eq!(a_samples[0].taken_at, t0() + mins(71));
    assert_eq!(a_samples[0].sample.views, Some(120));
    assert_eq!(a_samples[0].sample.reactions, Some(7));
    assert_eq!(
        a_samples[0].sample.unique_viewers, None,
        "a hidden figure stays empty"
    );
    assert!(store.reach_failures(a.id).await.unwrap().is_empty());

    // The next slot, a day after publishing, is one more sample each.
    clock.set(t0() + chrono::Duration::days(1) + mins(2));
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!((report.stored, report.failed.len()), (2, 0));
    let slots: Vec<String> = store
        .reach_samples(a.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.slot.to_string())
        .collect();
    assert_eq!(slots, vec!["1h", "1d"]);
}

#[tokio::test]
async fn a_rate_limited_platform_is_left_alone_while_the_others_go_on() {
    let (_dir, store) = open_store().await;
    let fb = Arc::new(FakePlatform::new("facebook").answers(
        "fb-1",
        vec![Err(PublishError::RetryAfter(
            Duration::from_secs(30 * 60),
            "(#32) Page request limit reached".into(),
        ))],
    ));
    let yt = Arc::new(FakePlatform::new("youtube"));
    let (fb1, _) = published(&store, "facebook", "fb-1", t0()).await;
    let (fb2, _) = published(&store, "facebook", "fb-2", t0() + mins(1)).await;
    let (yt1, _) = published(&store, "youtube", "yt-1", t0() + mins(2)).await;
    let clock = SetClock::at(t0() + mins(70));
    let metrics = Arc::new(prakat::metrics::Metrics::new());
    let collector = Collector::new(
        store.clone(),
        registry(&[("facebook", &fb), ("youtube", &yt)]),
        clock.clone(),
        settings(),
    )
    .with_metrics(metrics.clone());

    struct Seen(Mutex<Vec<(String, &'static str)>>);
    impl prakat::reach::Progress for Seen {
        fn done(&self, due: &prakat::store::ReachDue, outcome: &Sampled) {
            let what = outcome.name();
            self.0
                .lock()
                .unwrap()
                .push((due.receipt.remote_id.clone().unwrap(), what));
        }
    }
    let seen = Seen(Mutex::new(vec![]));
    let report = collector.pass(None, &seen).await.unwrap();
    let mut seen = seen.0.into_inner().unwrap();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("fb-1".into(), "failed"),
            ("fb-2".into(), "held"),
            ("yt-1".into(), "stored")
        ]
    );
    assert_eq!(
        (report.stored, report.failed.len(), report.waiting),
        (1, 1, 1)
    );
    assert_eq!(
        fb.asked(),
        vec!["fb-1"],
        "no second request after the rate limit"
    );
    assert_eq!(store.reach_samples(yt1.id).await.unwrap().len(), 1);
    let waits = store.reach_failures(fb1.id).await.unwrap();
    assert_eq!(
        waits[0].attempts, 0,
        "a rate limit is not the sample's fault"
    );
    assert_eq!(waits[0].class, "retry_after");

    // Within the platform's wait, the channel is not asked at all.
    clock.set(t0() + mins(90));
    collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!(fb.asked(), vec!["fb-1"]);

    // After it, both are sampled.
    clock.set(t0() + mins(101));
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!((report.stored, report.failed.len()), (2, 0));
    assert_eq!(store.reach_samples(fb1.id).await.unwrap().len(), 1);
    assert_eq!(store.reach_samples(fb2.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_platform_whose_figures_come_late_is_not_asked_early() {
    let (_dir, store) = open_store().await;
    let mut line = FakePlatform::new("line");
    line.ready_after = Duration::from_secs(24 * 3600);
    let line = Arc::new(line);
    let (a, _) = published(&store, "line", "req-1", t0()).await;
    let clock = SetClock::at(t0() + mins(61));
    let collector = Collector::new(
        store.clone(),
        registry(&[("line", &line)]),
        clock.clone(),
        settings(),
    );

    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!(
        (report.stored, report.failed.len(), report.waiting),
        (0, 0, 1)
    );
    clock.set(t0() + mins(180));
    collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert!(line.asked().is_empty(), "LINE has no figures before a day");

    clock.set(t0() + chrono::Duration::days(1));
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!(report.stored, 1);
    assert_eq!(line.asked(), vec!["req-1"]);
    let samples = store.reach_samples(a.id).await.unwrap();
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].slot.to_string(), "1d");
}

#[tokio::test]
async fn the_website_counts_page_views_of_people_not_bots() {
    let (dir, store) = open_store().await;
    let mut site = FakePlatform::new("website");
    site.reports = false;
    let site = Arc::new(site);
    let (a, _) = published(&store, "website", "news/1.html", t0()).await;
    let site_dir = dir.path().join("site");
    std::fs::create_dir_all(site_dir.join("news")).unwrap();
    std::fs::write(
        site_dir.join(format!("news/{}.html", a.id)),
        "<html><body>ประกาศ</body></html>",
    )
    .unwrap();

    let clock = SetClock::at(t0() + mins(30));
    let counter = Arc::new(PageViewCounter::new(clock.clone()));
    let state = Arc::new(prakat::server::HttpState {
        store: store.clone(),
        metrics: Arc::new(prakat::metrics::Metrics::new()),
        wake: Arc::new(tokio::sync::Notify::new()),
        channels: vec!["website".into()],
        progress: Arc::new(prakat::dispatch::ProgressBoard::default()),
        db_file: None,
        telegram: None,
        page_views: counter.clone(),
    });
    let router = prakat::server::public::router(state, site_dir, dir.path().join("media"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let http = reqwest::Client::new();
    let get = |path: String, agent: Option<&'static str>| {
        let mut req = http.get(format!("{base}{path}"));
        if let Some(agent) = agent {
            req = req.header("user-agent", agent);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const GOOGLEBOT: &str =
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    let page = format!("/site/news/{}.html", a.id);
    assert_eq!(get(page.clone(), Some(PHONE)).await, 200);
    assert_eq!(get(page.clone(), Some(PHONE)).await, 200);
    assert_eq!(
        get(page.clone(), Some(GOOGLEBOT)).await,
        200,
        "a bot is served, not counted"
    );
    assert_eq!(
        get(page.clone(), None).await,
        200,
        "nor is a request without a user agent"
    );
    assert_eq!(get("/site/news/999.html".into(), Some(PHONE)).await, 404);

    assert_eq!(
        store.page_views_total(a.id).await.unwrap(),
        0,
        "nothing is written per request"
    );
    assert_eq!(counter.flush(&*store).await.unwrap(), 1);
    assert_eq!(store.page_views_total(a.id).await.unwrap(), 2);
    assert_eq!(
        counter.flush(&*store).await.unwrap(),
        0,
        "a flush takes what was counted"
    );

    // The website's sample is its page views so far.
    clock.set(t0() + mins(61));
    let collector = Collector::new(
        store.clone(),
        registry(&[("website", &site)]),
        clock.clone(),
        settings(),
    );
    let report = collector
        .pass(None, &prakat::reach::collector::Quiet)
        .await
        .unwrap();
    assert_eq!(report.stored, 1);
    let samples = store.reach_samples(a.id).await.unwrap();
    assert_eq!(samples[0].sample.views, Some(2));
    assert_eq!(samples[0].sample.reactions, None);
}
