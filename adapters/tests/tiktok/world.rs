//! The test world of the TikTok tests: the fake, a channel pointed at it, a checkpoint that
//! records saved states into the same event log as the fake's requests, and sample media.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeZone;
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::tiktok::{Tiktok, TiktokSettings};
use prakat_adapters::{
    Channel, ChannelEnv, Checkpoint, Department, Draft, MediaKind, MediaRef, Payload,
    PublishContext, PublishError, Secret,
};
use serde_json::Value;

use crate::fake::{Fake, MIB};

pub type Events = Arc<Mutex<Vec<String>>>;

/// The daemon's checkpoint, in memory: every save lands in the shared event log too, so a test
/// can see it relative to the requests the fake received.
pub struct Recorder {
    pub events: Events,
    pub states: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Checkpoint for Recorder {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        self.events.lock().unwrap().push(format!("save {state}"));
        self.states.lock().unwrap().push(state.to_owned());
        Ok(())
    }
}

pub struct World {
    pub fake: Fake,
    pub events: Events,
    pub dir: tempfile::TempDir,
    pub checkpoint: Arc<Recorder>,
}

impl World {
    pub async fn new() -> World {
        let events: Events = Arc::default();
        let fake = Fake::start(events.clone()).await;
        let dir = tempfile::tempdir().unwrap();
        fake.with(|s| s.token_file = Some(dir.path().join("tokens/tiktok.json")));
        World {
            checkpoint: Arc::new(Recorder {
                events: events.clone(),
                states: Mutex::default(),
            }),
            fake,
            events,
            dir,
        }
    }

    pub fn settings(&self) -> TiktokSettings {
        TiktokSettings {
            client_key: "ck".into(),
            client_secret: Secret::new("cs"),
            refresh_token: Secret::new("rft.0"),
            base_url: self.fake.url.clone(),
            privacy_level: None,
            post_when_unaudited: true,
            allow_comment: true,
            allow_duet: false,
            allow_stitch: true,
            chunk_size: 5 * MIB,
            status_poll_timeout: Duration::from_secs(5),
            status_poll_interval: Duration::from_millis(20),
            rate_limit_wait: Duration::from_secs(60),
            concurrency: None,
            publish_timeout: None,
        }
    }

    pub fn env(&self, timeout: Duration) -> ChannelEnv {
        ChannelEnv {
            http: client(HttpTimeouts {
                connect: Duration::from_secs(2),
                request: timeout,
            }),
            data_dir: self.dir.path().to_owned(),
            public_base_url: "https://station.example".into(),
        }
    }

    pub fn channel(&self) -> Tiktok {
        self.channel_with(self.settings(), Duration::from_secs(10))
    }

    pub fn channel_with(&self, s: TiktokSettings, timeout: Duration) -> Tiktok {
        Tiktok::new(s, &self.env(timeout)).unwrap()
    }

    /// The context of attempt `n`, with what earlier attempts saved.
    pub fn ctx(&self, attempt: u32) -> PublishContext {
        PublishContext {
            delivery_id: 41,
            idempotency_key: "d41-tiktok".into(),
            attempt,
            after_unsettled_attempt: attempt > 1,
            saved_state: self.checkpoint.states.lock().unwrap().last().cloned(),
            checkpoint: Some(self.checkpoint.clone()),
        }
    }

    pub fn states(&self) -> Vec<Value> {
        self.checkpoint
            .states
            .lock()
            .unwrap()
            .iter()
            .map(|s| serde_json::from_str(s).unwrap())
            .collect()
    }

    pub fn events(&self) -> Vec<String> {
        self.events.lock().unwrap().clone()
    }

    /// A small MP4 (ftyp, moov/mvhd of `secs` seconds, mdat) of exactly `size` bytes.
    pub fn video(&self, size: usize, secs: u32) -> MediaRef {
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&16u32.to_be_bytes());
        out.extend_from_slice(b"ftypisom\0\0\0\x01");
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&(secs * 1000).to_be_bytes());
        out.extend_from_slice(&(116u32).to_be_bytes());
        out.extend_from_slice(b"moov");
        out.extend_from_slice(&(108u32).to_be_bytes());
        out.extend_from_slice(b"mvhd");
        out.extend_from_slice(&mvhd);
        let payload = size - out.len() - 8;
        out.extend_from_slice(&((8 + payload) as u32).to_be_bytes());
        out.extend_from_slice(b"mdat");
        out.extend((0..payload).map(|i| (i % 251) as u8));
        let path = self.dir.path().join(format!("v{size}.mp4"));
        std::fs::write(&path, &out).unwrap();
        MediaRef {
            sha256: format!("ab{size:062}"),
            mime: "video/mp4".into(),
            kind: MediaKind::Video,
            size: size as u64,
            path,
            original_name: "แถลงข่าว.mp4".into(),
        }
    }
}

pub fn photo(n: usize) -> MediaRef {
    MediaRef {
        sha256: format!("c{n}{:062}", 0),
        mime: "image/jpeg".into(),
        kind: MediaKind::Image,
        size: 300_000,
        path: format!("/media/c{n}.jpg").into(),
        original_name: format!("ภาพ{n}.jpg"),
    }
}

pub const TEXT: &str = "สภ.เมืองพลเมือง ประชาสัมพันธ์ ปิดการจราจรถนนมิตรภาพชั่วคราว วันเสาร์ที่ 28 พฤศจิกายน 2569 เวลา 06.00–09.00 น. เพื่อจัดกิจกรรมเดินวิ่งการกุศล";

pub fn draft(text: &str, media: Vec<MediaRef>) -> Draft {
    Draft {
        announcement_id: 41,
        department: Department {
            code: "traffic".into(),
            name_th: "งานจราจร".into(),
            name_en: "Traffic".into(),
        },
        title: "ปิดการจราจรถนนมิตรภาพชั่วคราว".into(),
        text: text.into(),
        media,
        link: Some("https://station.example/2569/11/traffic-41".into()),
        published_at: chrono::Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
        tags: vec![],
    }
}

pub fn prepared(ch: &Tiktok, media: Vec<MediaRef>) -> Payload {
    ch.prepare(&draft(TEXT, media)).unwrap()
}

pub fn count(fake: &Fake, what: &str) -> usize {
    fake.paths().iter().filter(|p| p.as_str() == what).count()
}

pub const VIDEO_INIT: &str = "/v2/post/publish/video/init/";
pub const PHOTO_INIT: &str = "/v2/post/publish/content/init/";
pub const CREATOR: &str = "/v2/post/publish/creator_info/query/";
pub const STATUS: &str = "/v2/post/publish/status/fetch/";
