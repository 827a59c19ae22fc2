//! The test harness: a fake, a channel pointed at it with a settable clock, a small video
//! file, a draft, and a checkpoint that records when the session was saved.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::youtube::{Youtube, YoutubeSettings};
use prakat_adapters::{
    Channel, ChannelEnv, Checkpoint, Department, Draft, MediaKind, MediaRef, Payload,
    PublishContext, PublishError, Secret,
};

use crate::fake::{self, Fake, GRANULE, INITIAL_REFRESH};

pub const KEY: &str = "d7-3f1c9a2e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
pub const TOTAL: usize = 4 * GRANULE + 1000;
pub const THAI_TITLE: &str = "ประกาศ สภ.เมืองระนอง: ปิดถนนชั่วคราว";

/// Saves the checkpoint and how many upload requests the fake had seen at that moment.
pub struct Saves {
    fake: Fake,
    saved: Mutex<Vec<(String, usize)>>,
}

#[async_trait::async_trait]
impl Checkpoint for Saves {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        let seen = self.fake.upload_requests().len();
        self.saved.lock().unwrap().push((state.to_owned(), seen));
        Ok(())
    }
}

pub struct Harness {
    pub fake: Fake,
    pub dir: tempfile::TempDir,
    pub now: Arc<Mutex<DateTime<Utc>>>,
    pub saves: Arc<Saves>,
    pub video: MediaRef,
}

impl Harness {
    pub async fn new() -> Harness {
        let fake = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        let bytes: Vec<u8> = (0..TOTAL).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let video = MediaRef {
            sha256: "ab".repeat(32),
            mime: "video/mp4".into(),
            kind: MediaKind::Video,
            size: TOTAL as u64,
            path,
            original_name: "ปิดถนน.mp4".into(),
        };
        let saves = Arc::new(Saves {
            fake: fake.clone(),
            saved: Mutex::new(Vec::new()),
        });
        Harness {
            fake,
            dir,
            now: Arc::new(Mutex::new(Utc::now())),
            saves,
            video,
        }
    }

    pub fn settings(&self) -> YoutubeSettings {
        let mut s = YoutubeSettings::new(
            "client-1.apps.googleusercontent.com",
            Secret::new("GOCSPX-secret"),
            Secret::new(INITIAL_REFRESH),
        );
        s.base_url = self.fake.base.clone();
        s.upload_base_url = self.fake.base.clone();
        s.token_url = format!("{}/token", self.fake.base);
        s.chunk_size = GRANULE as u64;
        s.chunk_timeout_secs = 2;
        s
    }

    pub fn channel_with(&self, settings: YoutubeSettings) -> Youtube {
        let env = ChannelEnv {
            http: client(HttpTimeouts {
                connect: Duration::from_secs(2),
                request: Duration::from_secs(2),
            }),
            data_dir: self.dir.path().to_owned(),
            public_base_url: "https://station.example".into(),
        };
        let now = self.now.clone();
        Youtube::new(settings, &env)
            .unwrap()
            .with_clock(Arc::new(move || *now.lock().unwrap()))
    }

    pub fn channel(&self) -> Youtube {
        self.channel_with(self.settings())
    }

    pub fn set_now(&self, at: &str) {
        *self.now.lock().unwrap() = at.parse().unwrap();
    }

    pub fn draft(&self) -> Draft {
        Draft {
            announcement_id: 42,
            department: Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            title: THAI_TITLE.into(),
            text: "ปิดถนนสายหลักหน้าสถานีตั้งแต่ ๐๙.๐๐ น. ขออภัยในความไม่สะดวก".into(),
            media: vec![self.video.clone()],
            link: Some("https://station.example/news/42.html".into()),
            published_at: Utc::now(),
            tags: vec!["จราจร".into(), "ระนอง".into()],
        }
    }

    pub fn payload(&self, yt: &Youtube) -> Payload {
        yt.prepare(&self.draft()).unwrap()
    }

    pub fn ctx(&self, attempt: u32, saved_state: Option<String>) -> PublishContext {
        PublishContext {
            delivery_id: 7,
            idempotency_key: KEY.into(),
            attempt,
            after_unsettled_attempt: attempt > 1,
            saved_state,
            checkpoint: Some(self.saves.clone()),
        }
    }

    pub fn saved(&self) -> Vec<(String, usize)> {
        self.saves.saved.lock().unwrap().clone()
    }

    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.video.path).unwrap()
    }
}

pub fn chunk_puts(h: &Harness) -> Vec<fake::Recorded> {
    h.fake
        .upload_requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect()
}
