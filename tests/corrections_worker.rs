//! The daemon's correction worker against scripted channels: what it does for each state of
//! the delivery it corrects, how it takes a platform's bad answers, and that a channel without
//! the capability leaves the correction to a person, saying so.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prakat::channels::Registry;
use prakat::clock::{Clock, SteppedClock};
use prakat::compose::{ComposeError, Composed};
use prakat::corrections::Corrections;
use prakat::store::{
    Actor, AmendAction, AnnouncementEdit, AnnouncementRecord, AnnouncementRetraction,
    NewAnnouncement, NewDelivery, Outcome, Settlement, SqliteStore, Store,
};
use prakat_adapters::{
    Amend, Channel, Department, Draft, Edit, Health, Idempotency, LengthUnit, Limits, Payload,
    PublishContext, PublishError, Receipt, Reconcile, Rejection, Retraction,
};

/// A channel that records every correction call and answers from a script (then `Ok`).
struct Scripted {
    kind: &'static str,
    limits: Limits,
    amends: bool,
    idempotency: Idempotency,
    /// What a look-up finds (only for `Reconcile`).
    found: Option<Receipt>,
    script: Mutex<VecDeque<PublishError>>,
    calls: Mutex<Vec<String>>,
}

impl Scripted {
    fn new(kind: &'static str, amends: bool, idempotency: Idempotency) -> Self {
        Scripted {
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
            amends,
            idempotency,
            found: None,
            script: Mutex::new(VecDeque::new()),
            calls: Mutex::new(vec![]),
        }
    }

    fn answer(&self, call: String) -> Result<(), PublishError> {
        self.calls.lock().unwrap().push(call);
        match self.script.lock().unwrap().pop_front() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl Channel for Scripted {
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
        unreachable!("the worker never publishes")
    }
    async fn healthcheck(&self) -> Result<Health, PublishError> {
        unreachable!()
    }
    fn idempotency(&self) -> Idempotency {
        self.idempotency
    }
    fn reconcile(&self) -> Option<&dyn Reconcile> {
        (self.idempotency == Idempotency::Reconcile).then_some(self as &dyn Reconcile)
    }
    fn amend(&self) -> Option<&dyn Amend> {
        self.amends.then_some(self as &dyn Amend)
    }
}

#[async_trait]
impl Reconcile for Scripted {
    async fn find_published(
        &self,
        _: &Payload,
        key: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        self.calls.lock().unwrap().push(format!("lookup {key}"));
        Ok(self.found.clone())
    }
}

#[async_trait]
impl Amend for Scripted {
    async fn edit(&self, r: &Receipt, p: &Payload, e: &Edit) -> Result<Receipt, PublishError> {
        self.answer(format!(
            "edit {} r{} {}",
            r.remote_id.as_deref().unwrap_or("-"),
            e.revision,
            p.text
        ))?;
        Ok(Receipt {
            url: Some(format!(
                "https://{}/p/{}-r{}",
                self.kind, p.announcement_id, e.revision
            )),
            ..r.clone()
        })
    }
    async fn retract(&self, r: &Receipt, _: &Payload, x: &Retraction) -> Result<(), PublishError> {
        self.answer(format!(
            "retract {} ({})",
            r.remote_id.as_deref().unwrap_or("-"),
            x.reason
        ))
    }
}

struct World {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    clock: Arc<SteppedClock>,
    worker: Corrections<SqliteStore>,
}

impl World {
    async fn new(channels: Vec<Arc<Scripted>>) -> World {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            SqliteStore::open(&dir.path().join("prakat.db"))
                .await
                .unwrap(),
        );
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
        let mut registry = Registry::new();
        for c in channels {
            registry.insert(c.kind, c as Arc<dyn Channel>, 1);
        }
        let clock = Arc::new(SteppedClock::default());
        let worker = Corrections {
            store: store.clone(),
            registry,
            clock: clock.clone() as Arc<dyn Clock>,
            owner: "w".into(),
            lease: Duration::from_secs(60),
            timeout: Duration::from_secs(5),
            every: Duration::from_millis(50),
        };
        World {
            _dir: dir,
            store,
            clock,
            worker,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// An announcement for `channels`, each delivery claimed and settled with `outcome`
    /// (`None`: left in flight).
    async fn announcement(&self, channels: &[(&str, Option<Outcome>)]) -> AnnouncementRecord {
        let names: Vec<String> = channels.iter().map(|(c, _)| c.to_string()).collect();
        let now = self.now();
        let compose = move |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
            Ok(names
                .iter()
                .map(|c| NewDelivery {
                    channel: c.clone(),
                    payload: Payload::from_draft(
                        c,
                        &Draft {
                            announcement_id: a.id,
                            department: a.department.clone(),
                            title: a.title.clone(),
                            text: a.body.clone(),
                            media: vec![],
                            link: None,
                            published_at: a.publish_at,
                            tags: vec![],
                        },
                    ),
                    due_at: a.publish_at,
                    idempotency_key: format!("key-{}-{c}", a.id),
                })
                .collect::<Vec<_>>()
                .into())
        };
        let (a, _) = self
            .store
            .create_announcement(
                &NewAnnouncement {
                    channels: vec![],
                    department: "traffic".into(),
                    title: "ปิดถนน".into(),
                    body: "ข้อความเดิม".into(),
                    link: None,
                    tags: vec![],
                    media: vec![],
                    source: "cli".into(),
                    publish_at: now,
                },
                &compose,
                &Actor::person("cli", "somchai", "pr_officer"),
            )
            .await
            .unwrap();
        let claimed = self
            .store
            .claim_due(now, "dispatcher", Duration::from_secs(60), 100)
            .await
            .unwrap();
        let settlements: Vec<Settlement> = claimed
            .iter()
            .filter_map(|c| {
                let (_, outcome) = channels.iter().find(|(n, _)| *n == c.channel).unwrap();
                outcome.clone().map(|outcome| Settlement {
                    delivery_id: c.id,
                    claim: c.claim,
                    outcome,
                })
            })
            .collect();
        self.store
            .settle("dispatcher", now, &settlements)
            .await
            .unwrap();
        a
    }

    async fn edit(&self, a: &AnnouncementRecord, text: &str) {
        let deliveries = self
            .store
            .deliveries(&prakat::store::DeliveryFilter {
                announcement_id: Some(a.id),
                ..Default::default()
            })
            .await
            .unwrap();
        let from = self.store.announcement(a.id).await.unwrap().revision.number;
        let payloads = deliveries
            .iter()
            .map(|d| {
                let mut p = d.payload.clone();
                p.text = text.into();
                (d.id, p)
            })
            .collect();
        self.store
            .edit_announcement(
                &AnnouncementEdit {
                    id: a.id,
                    from_revision: from,
                    title: a.title.clone(),
                    body: text.into(),
                    media: None,
                    payloads,
                    at: self.now(),
                },
                &Actor::person("cli", "somchai", "pr_officer"),
            )
            .await
            .unwrap();
    }

    async fn retract(&self, a: &AnnouncementRecord) {
        self.store
            .retract_announcement(
                &AnnouncementRetraction {
                    id: a.id,
                    reason: "ชื่อผิด".into(),
                    at: self.now(),
                },
                &Actor::person("cli", "somchai", "pr_officer"),
            )
            .await
            .unwrap();
    }

    /// Run the worker until nothing is claimable, stepping the clock past every wait, at most
    /// `rounds` times.
    async fn drain(&self, rounds: usize) {
        for _ in 0..rounds {
            if self.worker.once().await.unwrap() == 0 {
                self.clock.step(chrono::Duration::minutes(30));
                if self.worker.once().await.unwrap() == 0 {
                    return;
                }
            }
        }
    }

    async fn states(
        &self,
        a: &AnnouncementRecord,
    ) -> Vec<(String, AmendAction, String, Option<String>)> {
        self.store
            .amendments(a.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.channel, m.action, m.state, m.outcome))
            .collect()
    }
}

fn published(id: &str) -> Option<Outcome> {
    Some(Outcome::Published(Receipt {
        remote_id: Some(id.into()),
        url: Some(format!("https://x/{id}")),
        ..Default::default()
    }))
}

#[tokio::test]
async fn an_edit_is_carried_out_after_the_platform_s_bad_answers_and_left_to_a_person_where_it_cannot_be()
 {
    let fb = Arc::new(Scripted::new("facebook", true, Idempotency::Reconcile));
    fb.script.lock().unwrap().extend([
        PublishError::Transient("502 after acting".into()),
        PublishError::RetryAfter(Duration::from_secs(30), "429".into()),
    ]);
    let line = Arc::new(Scripted::new("line", false, Idempotency::Native));
    let w = World::new(vec![fb.clone(), line.clone()]).await;
    let a = w
        .announcement(&[
            ("facebook", published("post-1")),
            ("line", published("req-1")),
        ])
        .await;
    w.edit(&a, "ข้อความที่ถูกต้อง").await;
    w.drain(10).await;
    // Tried three times (two bad answers), each time with the whole new text.
    assert_eq!(
        fb.calls(),
        vec!["edit post-1 r1 ข้อความที่ถูกต้อง"; 3],
        "a repeat is the same call"
    );
    assert!(
        line.calls().is_empty(),
        "LINE is never asked to do what it cannot"
    );
    let states = w.states(&a).await;
    assert_eq!(
        states,
        vec![
            (
                "facebook".into(),
                AmendAction::Edit,
                "done".into(),
                Some("edited".into())
            ),
            (
                "line".into(),
                AmendAction::Edit,
                "by_hand".into(),
                Some("no_edit_api".into())
            ),
        ]
    );
    // The new link is kept; the person is told what is left (an event), in Thai by the bot.
    let d = w
        .store
        .deliveries(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.channel == "facebook")
        .unwrap();
    assert_eq!(
        d.remote_url.as_deref(),
        Some(&*format!("https://facebook/p/{}-r1", a.id))
    );
    let events = w.store.events_after(0, 100).await.unwrap();
    assert!(events.iter().any(|e| e.action == "correction_by_hand"));
    let m = w.store.amendments(a.id).await.unwrap();
    let said =
        prakat::corrections::describe(prakat::i18n::Lang::Th, &m[1], Some("https://x/req-1"));
    assert!(
        said.contains("แก้ไขไม่ได้") && said.contains("https://x/req-1"),
        "{said}"
    );
}

#[tokio::test]
async fn an_edit_waits_for_an_attempt_in_progress_and_is_not_needed_for_what_never_went_out() {
    let fb = Arc::new(Scripted::new("facebook", true, Idempotency::Reconcile));
    let ob = Arc::new(Scripted::new("outbox", true, Idempotency::Native));
    let w = World::new(vec![fb.clone(), ob.clone()]).await;
    // facebook is being published (in flight, lease running); outbox went back to the queue
    // after an attempt that surely did not reach it.
    let a = w
        .announcement(&[
            ("facebook", None),
            (
                "outbox",
                Some(Outcome::Retry {
                    at: w.now() + chrono::Duration::hours(1),
                    error: "disk".into(),
                    class: "transient".into(),
                    count_attempt: true,
                    unsettled: false,
                }),
            ),
        ])
        .await;
    w.edit(&a, "ใหม่").await;
    // Only facebook's delivery is out (or may be): one amendment, waiting for the attempt.
    assert_eq!(w.states(&a).await.len(), 1);
    assert_eq!(w.worker.once().await.unwrap(), 1);
    assert!(
        fb.calls().is_empty(),
        "not while the attempt may still publish the old text"
    );
    assert_eq!(w.states(&a).await[0].2, "waiting");
    // The attempt ends published (with the old text): now the edit goes out.
    let d = w
        .store
        .deliveries(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.channel == "facebook")
        .unwrap();
    let claimed = w
        .store
        .claim_due(
            w.now() + chrono::Duration::minutes(2),
            "dispatcher-2",
            Duration::from_secs(60),
            10,
        )
        .await
        .unwrap();
    let c = claimed
        .iter()
        .find(|c| c.id == d.id)
        .expect("its lease ran out");
    assert_eq!(c.payload.text, "ใหม่", "a new attempt sends the new text");
    w.store
        .settle(
            "dispatcher-2",
            w.now(),
            &[Settlement {
                delivery_id: c.id,
                claim: c.claim,
                outcome: published("post-9").unwrap(),
            }],
        )
        .await
        .unwrap();
    w.drain(5).await;
    assert_eq!(fb.calls(), vec!["edit post-9 r1 ใหม่"]);
    assert_eq!(w.states(&a).await[0].2, "done");
}

#[tokio::test]
async fn a_retraction_looks_for_what_a_cut_off_attempt_made_and_takes_it_down() {
    // facebook's attempt was cut off (answer lost: unsettled) and the post is there; youtube's
    // too, but nothing is found; website's delivery is published.
    let mut fb = Scripted::new("facebook", true, Idempotency::Reconcile);
    fb.found = Some(Receipt {
        remote_id: Some("post-found".into()),
        ..Default::default()
    });
    let fb = Arc::new(fb);
    let yt = Arc::new(Scripted::new("youtube", true, Idempotency::Reconcile));
    let site = Arc::new(Scripted::new("website", true, Idempotency::Native));
    let tiktok = Arc::new(Scripted::new("tiktok", false, Idempotency::Resumable));
    let w = World::new(vec![fb.clone(), yt.clone(), site.clone(), tiktok.clone()]).await;
    let lost = || {
        Some(Outcome::Retry {
            at: chrono::Utc::now() + chrono::Duration::hours(1),
            error: "answer lost".into(),
            class: "ambiguous".into(),
            count_attempt: true,
            unsettled: true,
        })
    };
    let a = w
        .announcement(&[
            ("facebook", lost()),
            ("youtube", lost()),
            ("website", published("1")),
            ("tiktok", lost()),
        ])
        .await;
    w.retract(&a).await;
    w.drain(10).await;
    assert_eq!(
        fb.calls(),
        vec![
            format!("lookup key-{}-facebook", a.id),
            "retract post-found (ชื่อผิด)".into()
        ]
    );
    assert_eq!(yt.calls(), vec![format!("lookup key-{}-youtube", a.id)]);
    assert_eq!(site.calls(), vec!["retract 1 (ชื่อผิด)"]);
    let mut states = w.states(&a).await;
    states.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        states,
        vec![
            (
                "facebook".into(),
                AmendAction::Retract,
                "done".into(),
                Some("retracted".into())
            ),
            (
                "tiktok".into(),
                AmendAction::Retract,
                "by_hand".into(),
                Some("maybe_out".into())
            ),
            (
                "website".into(),
                AmendAction::Retract,
                "done".into(),
                Some("retracted".into())
            ),
            (
                "youtube".into(),
                AmendAction::Retract,
                "not_needed".into(),
                Some("not_out".into())
            ),
        ]
    );
}

#[tokio::test]
async fn a_refusal_is_left_to_a_person_and_a_retraction_of_an_abandoned_attempt_ends_it() {
    let fb = Arc::new(Scripted::new("facebook", true, Idempotency::Reconcile));
    fb.script
        .lock()
        .unwrap()
        .push_back(PublishError::Auth("token expired".into()));
    let site = Arc::new(Scripted::new("website", true, Idempotency::Native));
    let w = World::new(vec![fb.clone(), site.clone()]).await;
    // website: the daemon died during its attempt (in flight; the next start releases leases).
    let a = w
        .announcement(&[("facebook", published("post-1")), ("website", None)])
        .await;
    w.retract(&a).await;
    w.store
        .release_orphaned_leases(w.now(), &Actor::daemon("test"))
        .await
        .unwrap();
    w.drain(10).await;
    let states = w.states(&a).await;
    assert_eq!(states[0].2, "failed");
    assert_eq!(states[1].2, "done");
    assert_eq!(
        site.calls(),
        vec![format!("retract key-{}-website (ชื่อผิด)", a.id)]
    );
    let website = w
        .store
        .deliveries(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.channel == "website")
        .unwrap();
    assert_eq!(website.state, prakat::store::DeliveryState::Cancelled);
    let events = w.store.events_after(0, 100).await.unwrap();
    assert!(events.iter().any(|e| e.action == "correction_failed"));
}
