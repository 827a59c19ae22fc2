//! The dispatcher's test harness: scripted fake channels that record every call, a store in a
//! temporary directory, and engines to start and stop. Shared by the dispatcher's test files.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prakat::channels::Registry;
use prakat::clock::{Clock, TokioClock};
use prakat::compose::{ComposeError, Composed, Composer, StationInfo};
use prakat::dispatch::{Engine, EngineParts};
use prakat::metrics::Metrics;
use prakat::settings::Dispatch;
use prakat::store::{
    Actor, AnnouncementRecord, DeliveryRow, DeliveryState, NewAnnouncement, NewDelivery,
    SqliteStore, Store,
};
use prakat_adapters::{
    Channel, Department, Draft, Health, Idempotency, LengthUnit, Limits, Payload, PublishContext,
    PublishError, Receipt, Reconcile, Rejection,
};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------------
// A scripted channel

/// One publish call as the channel saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub delivery_id: i64,
    pub key: String,
    pub attempt: u32,
    pub after_unsettled: bool,
    pub at: DateTime<Utc>,
}

/// One scripted answer: wait `delay`, then answer `result`.
pub struct Step {
    pub delay: Duration,
    pub result: Result<Receipt, PublishError>,
}

pub struct Fake {
    pub kind: &'static str,
    pub idempotency: Idempotency,
    pub limits: Limits,
    pub clock: Arc<dyn Clock>,
    /// Answers in call order; when used up, `otherwise` (or a receipt) after `delay`.
    pub script: Mutex<VecDeque<Step>>,
    pub otherwise: Option<PublishError>,
    pub delay: Duration,
    /// What `find_published` returns (only asked when `idempotency` is `Reconcile`).
    pub found: Option<Receipt>,
    /// When set, every publish waits for a permit of this gate before answering.
    pub gate: Option<Arc<Semaphore>>,
    pub calls: Mutex<Vec<Call>>,
    pub lookups: Mutex<Vec<String>>,
    pub running: AtomicUsize,
    pub max_running: AtomicUsize,
    /// Publishes that ran to their end with a receipt: posts the platform holds.
    pub completed: AtomicUsize,
    /// How long `find_published` takes.
    pub lookup_delay: Duration,
    /// Every publish panics (a bug in a channel).
    pub panics: bool,
    /// Every publish saves a new checkpoint first (an upload that moves forward).
    pub saves_progress: bool,
}

impl Fake {
    pub fn new(kind: &'static str, idempotency: Idempotency, clock: &Arc<dyn Clock>) -> Fake {
        Fake {
            kind,
            idempotency,
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
            clock: clock.clone(),
            script: Mutex::new(VecDeque::new()),
            otherwise: None,
            delay: Duration::ZERO,
            found: None,
            gate: None,
            calls: Mutex::new(Vec::new()),
            lookups: Mutex::new(Vec::new()),
            running: AtomicUsize::new(0),
            max_running: AtomicUsize::new(0),
            completed: AtomicUsize::new(0),
            lookup_delay: Duration::ZERO,
            panics: false,
            saves_progress: false,
        }
    }

    /// The next call answers `result`.
    pub fn then(self, result: Result<Receipt, PublishError>) -> Self {
        self.then_after(Duration::ZERO, result)
    }

    pub fn then_after(self, delay: Duration, result: Result<Receipt, PublishError>) -> Self {
        self.script
            .lock()
            .unwrap()
            .push_back(Step { delay, result });
        self
    }

    /// Once the script is used up, every call fails with `err`.
    pub fn always(mut self, err: PublishError) -> Self {
        self.otherwise = Some(err);
        self
    }

    /// Once the script is used up, every call takes `delay` (then succeeds).
    pub fn taking(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn finding(mut self, receipt: Receipt) -> Self {
        self.found = Some(receipt);
        self
    }

    pub fn slow_lookups(mut self, delay: Duration) -> Self {
        self.lookup_delay = delay;
        self
    }

    pub fn saving_progress(mut self) -> Self {
        self.saves_progress = true;
        self
    }

    pub fn panicking(mut self) -> Self {
        self.panics = true;
        self
    }

    pub fn gated(mut self, gate: Arc<Semaphore>) -> Self {
        self.gate = Some(gate);
        self
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    pub fn lookups(&self) -> Vec<String> {
        self.lookups.lock().unwrap().clone()
    }

    pub fn receipt(&self, ctx: &PublishContext) -> Receipt {
        Receipt {
            remote_id: Some(format!("{}-{}", self.kind, ctx.delivery_id)),
            url: Some(format!(
                "https://{}.example/p/{}",
                self.kind, ctx.delivery_id
            )),
            request_id: Some(format!("req-{}", ctx.attempt)),
            deduplicated: false,
        }
    }
}

/// Counts a publish as running until it ends or is dropped (timed out).
pub struct Running<'a>(&'a AtomicUsize);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Channel for Fake {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        Ok(Payload::from_draft(self.kind, draft))
    }

    async fn publish(
        &self,
        _payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        self.calls.lock().unwrap().push(Call {
            delivery_id: ctx.delivery_id,
            key: ctx.idempotency_key.clone(),
            attempt: ctx.attempt,
            after_unsettled: ctx.after_unsettled_attempt,
            at: self.clock.now(),
        });
        let now_running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        let _running = Running(&self.running);
        self.max_running.fetch_max(now_running, Ordering::SeqCst);
        let step = self.script.lock().unwrap().pop_front();
        let step = step.unwrap_or_else(|| Step {
            delay: self.delay,
            result: self
                .otherwise
                .clone()
                .map_or_else(|| Ok(self.receipt(ctx)), Err),
        });
        if let Some(gate) = &self.gate {
            gate.acquire().await.expect("gate open").forget();
        }
        assert!(!self.panics, "a bug in the channel");
        if self.saves_progress
            && let Some(cp) = &ctx.checkpoint
        {
            let calls = self.calls.lock().unwrap().len();
            cp.save(&format!("uploaded through call {calls}")).await?;
        }
        tokio::time::sleep(step.delay).await;
        if step.result.is_ok() {
            self.completed.fetch_add(1, Ordering::SeqCst);
        }
        step.result
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        Ok(Health {
            summary: "ok".into(),
            token_expires_at: None,
            missing_permissions: vec![],
            quota: None,
        })
    }

    fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    fn reconcile(&self) -> Option<&dyn Reconcile> {
        (self.idempotency == Idempotency::Reconcile).then_some(self as &dyn Reconcile)
    }
}

#[async_trait]
impl Reconcile for Fake {
    async fn find_published(
        &self,
        _payload: &Payload,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        self.lookups.lock().unwrap().push(fingerprint.to_owned());
        tokio::time::sleep(self.lookup_delay).await;
        Ok(self.found.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// The harness: a store in a temporary directory, channels, and engines to start and stop

pub fn dispatch_settings() -> Dispatch {
    Dispatch {
        batch_size: 16,
        lease: Duration::from_secs(5),
        publish_timeout: Duration::from_secs(2),
        max_attempts: 5,
        retry_base: Duration::from_millis(30),
        retry_max: Duration::from_millis(200),
        concurrency: 4,
        shutdown_grace: Duration::from_secs(10),
        idle_recheck: Duration::from_secs(30),
        auth_hold: Duration::from_secs(60),
        reconcile_margin: Duration::from_millis(100),
    }
}

/// For stories with retries: a lease far longer than [`DEADLINE`], so a retry that waited for
/// its claim's lease to run out (rather than for its own, much earlier time) misses the deadline.
pub fn retry_settings() -> Dispatch {
    Dispatch {
        lease: Duration::from_secs(60),
        ..dispatch_settings()
    }
}

pub const DEADLINE: Duration = Duration::from_secs(10);

pub struct Harness {
    pub _dir: tempfile::TempDir,
    pub store: Arc<SqliteStore>,
    pub registry: Arc<Registry>,
    pub composer: Arc<Composer>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub wake: Arc<Notify>,
    pub settings: Dispatch,
}

pub struct Engine0 {
    pub stop: watch::Sender<bool>,
    pub handle: JoinHandle<()>,
}

impl Engine0 {
    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }

    pub async fn stop(self) {
        self.shutdown();
        tokio::time::timeout(Duration::from_secs(30), self.handle)
            .await
            .expect("the engine stops")
            .expect("the engine did not panic");
    }
}

impl Harness {
    pub async fn new(
        clock: Arc<dyn Clock>,
        settings: Dispatch,
        channels: &[(&str, &Arc<Fake>, usize)],
    ) -> Harness {
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
                &Actor::daemon("system:seed"),
            )
            .await
            .unwrap();
        let mut registry = Registry::new();
        for (name, fake, concurrency) in channels {
            registry.insert(*name, Arc::clone(fake) as Arc<dyn Channel>, *concurrency);
        }
        Harness {
            _dir: dir,
            store,
            registry: Arc::new(registry),
            composer: Arc::new(Composer::new(
                None,
                StationInfo {
                    name_th: "สภ.เมืองระนอง".into(),
                    name_en: "Mueang Ranong".into(),
                },
                None,
            )),
            clock,
            metrics: Arc::new(Metrics::new()),
            wake: Arc::new(Notify::new()),
            settings,
        }
    }

    /// The database file, for a test that changes a row no store call changes.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("prakat.db")
    }

    pub fn start(&self, owner: &str) -> Engine0 {
        let engine = Engine::new(EngineParts {
            store: self.store.clone(),
            registry: self.registry.clone(),
            composer: self.composer.clone(),
            clock: self.clock.clone(),
            settings: self.settings.clone(),
            rules: prakat::settings::Rules::default(),
            metrics: self.metrics.clone(),
            wake: self.wake.clone(),
            owner: owner.to_owned(),
            seed: Some(7),
            progress: Arc::default(),
            db_file: None,
        });
        let (stop, rx) = watch::channel(false);
        Engine0 {
            stop,
            handle: tokio::spawn(engine.run(rx)),
        }
    }

    /// The clock's now, at the store's millisecond resolution.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.clock.now().timestamp_millis()).unwrap()
    }

    /// Queue one announcement for `channels` (any names, enabled or not), due at `due`.
    pub async fn queue(&self, channels: &[&str], due: DateTime<Utc>) -> Vec<DeliveryRow> {
        let new = NewAnnouncement {
            channels: Vec::new(),
            department: "traffic".into(),
            title: "ปิดการจราจรชั่วคราว".into(),
            body: "ถนนท่าเมือง 06.00–09.00 น.".into(),
            link: None,
            tags: vec![],
            media: vec![],
            source: "test".into(),
            publish_at: due,
        };
        let names: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
        let compose = move |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
            Ok(names
                .iter()
                .map(|c| NewDelivery {
                    channel: c.clone(),
                    payload: Payload::from_draft(c, &draft(a)),
                    due_at: due,
                    idempotency_key: format!("a{}-{c}", a.id),
                })
                .collect::<Vec<_>>()
                .into())
        };
        let (_, rows) = self
            .store
            .create_announcement(&new, &compose, &Actor::daemon("test"))
            .await
            .unwrap();
        rows
    }

    pub async fn delivery(&self, id: i64) -> DeliveryRow {
        self.store.delivery(id).await.unwrap()
    }

    /// Wait until delivery `id` is in `state`; fail with its row if the deadline passes.
    pub async fn wait_state(&self, id: i64, state: DeliveryState) -> DeliveryRow {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            let row = self.delivery(id).await;
            if row.state == state {
                return row;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "delivery {id} never became {state}: {row:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn actions(&self, id: i64) -> Vec<String> {
        self.store
            .audit_trail("delivery", &id.to_string())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}

pub fn draft(a: &AnnouncementRecord) -> Draft {
    Draft {
        announcement_id: a.id,
        department: a.department.clone(),
        title: a.title.clone(),
        text: a.body.clone(),
        media: vec![],
        link: None,
        published_at: a.publish_at,
        tags: vec![],
    }
}

pub fn system_clock() -> Arc<dyn Clock> {
    TokioClock::system()
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

pub fn transient(msg: &str) -> PublishError {
    PublishError::Transient(msg.into())
}

/// Wait until `f` holds, or fail saying `what`.
pub async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !f() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting: {what}"
        );
        tokio::time::sleep(ms(10)).await;
    }
}
