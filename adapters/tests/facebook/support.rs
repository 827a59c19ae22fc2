//! Test helpers: the channel pointed at the fake, drafts and media, a checkpoint that keeps
//! what was saved, and a log capture for the "no token in logs" check.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeZone;
use prakat_adapters::facebook::{Facebook, FacebookSettings};
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::{
    Channel, ChannelEnv, Checkpoint, Department, Draft, MediaKind, MediaRef, Payload,
    PublishContext, PublishError, Secret,
};

use super::fake::{self, Fake};

pub const PUBLIC: &str = "https://prakat.example.go.th";

pub fn env(timeout: Duration) -> ChannelEnv {
    ChannelEnv {
        http: client(HttpTimeouts {
            connect: Duration::from_secs(2),
            request: timeout,
        }),
        data_dir: std::env::temp_dir(),
        public_base_url: PUBLIC.into(),
    }
}

pub fn settings(fake: &Fake) -> FacebookSettings {
    let mut s = FacebookSettings::new(fake::PAGE, Secret::new(fake::TOKEN));
    s.base_url = fake.base.clone();
    s.video_base_url = fake.base.clone();
    s
}

pub fn channel(fake: &Fake) -> Facebook {
    Facebook::new(settings(fake), &env(Duration::from_secs(5))).unwrap()
}

pub fn draft(text: &str, media: Vec<MediaRef>) -> Draft {
    Draft {
        announcement_id: 42,
        department: Department {
            code: "traffic".into(),
            name_th: "งานจราจร".into(),
            name_en: "Traffic".into(),
        },
        title: "ปิดถนนชั่วคราว".into(),
        text: text.into(),
        media,
        link: Some(format!("{PUBLIC}/site/news/42.html")),
        published_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
        tags: vec![],
    }
}

pub const THAI: &str =
    "ประกาศปิดถนนเพชรเกษมชั่วคราว วันที่ ๒๕ พฤศจิกายน ๒๕๖๙ เวลา ๐๙.๐๐–๑๒.๐๐ น.\n\nขออภัยในความไม่สะดวก";

pub fn image(n: u8) -> MediaRef {
    let sha = format!("{n:02x}{}", "ab".repeat(31));
    MediaRef {
        sha256: sha.clone(),
        mime: "image/jpeg".into(),
        kind: MediaKind::Image,
        size: 200_000,
        path: format!("/media/{sha}.jpg").into(),
        original_name: format!("photo{n}.jpg"),
    }
}

pub fn video(dir: &Path, bytes: &[u8]) -> MediaRef {
    let sha = "cd".repeat(32);
    let path = dir.join(format!("{sha}.mp4"));
    std::fs::write(&path, bytes).unwrap();
    MediaRef {
        sha256: sha,
        mime: "video/mp4".into(),
        kind: MediaKind::Video,
        size: bytes.len() as u64,
        path,
        original_name: "clip.mp4".into(),
    }
}

pub fn prepared(fb: &Facebook, d: &Draft) -> Payload {
    fb.prepare(d).unwrap()
}

/// A checkpoint keeping everything saved, like the delivery row would.
#[derive(Default)]
pub struct Saved(pub Mutex<Vec<String>>);

#[async_trait::async_trait]
impl Checkpoint for Saved {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        self.0.lock().unwrap().push(state.to_owned());
        Ok(())
    }
}

impl Saved {
    pub fn last(&self) -> Option<String> {
        self.0.lock().unwrap().last().cloned()
    }
}

pub fn ctx(saved: &Arc<Saved>, state: Option<String>, attempt: u32) -> PublishContext {
    PublishContext {
        delivery_id: 7,
        idempotency_key: "delivery-7".into(),
        attempt,
        after_unsettled_attempt: attempt > 1,
        saved_state: state,
        checkpoint: Some(saved.clone() as Arc<dyn Checkpoint>),
    }
}

/// Collects every event's fields as text.
#[derive(Clone, Default)]
pub struct Logs(pub Arc<Mutex<Vec<String>>>);

struct Line<'a>(&'a mut String);

impl tracing::field::Visit for Line<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Logs {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = String::new();
        event.record(&mut Line(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
