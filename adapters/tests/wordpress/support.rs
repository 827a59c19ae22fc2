//! What the wordpress tests share: the delivery they publish (a Thai traffic announcement) and
//! how a channel is built against a fake site.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::wordpress::{UrlStyle, Wordpress, WordpressSettings};
use prakat_adapters::{
    ChannelEnv, Checkpoint, Department, Draft, MediaKind, MediaRef, PublishContext, PublishError,
    Secret,
};

use crate::fake::{APP_PASSWORD, Fake, USER};

pub const KEY: &str = "9f1c2e7a-5b6d-4e2f-8a90-1234567890ab";
pub const SLUG: &str = "prakat-42-9f1c2e7a";
pub const THAI_FILE: &str = "ภาพประชุม ครั้งที่ 1.jpg";

pub fn department() -> Department {
    Department {
        code: "traffic".into(),
        name_th: "งานจราจร".into(),
        name_en: "Traffic".into(),
    }
}

pub fn env(timeout: Duration) -> ChannelEnv {
    ChannelEnv {
        http: client(HttpTimeouts {
            connect: Duration::from_secs(2),
            request: timeout,
        }),
        data_dir: std::env::temp_dir(),
        public_base_url: "http://prakat.test".into(),
    }
}

pub fn settings(fake: &Fake, style: UrlStyle) -> WordpressSettings {
    let mut s = WordpressSettings::new(&fake.base, USER, Secret::new(APP_PASSWORD));
    s.url_style = style;
    s
}

pub fn channel(fake: &Fake, style: UrlStyle) -> Wordpress {
    Wordpress::new(settings(fake, style), &env(Duration::from_secs(10))).unwrap()
}

/// A media file written into `dir`, as the daemon's media store would hold it.
pub fn media(dir: &tempfile::TempDir, name: &str, mime: &str, bytes: &[u8]) -> MediaRef {
    let sha = format!("{:0>64}", format!("{:x}", bytes.len() * 7919 + name.len()));
    let ext = name.rsplit('.').next().unwrap_or("bin").to_lowercase();
    let path = dir.path().join(format!("{sha}.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    MediaRef {
        sha256: sha,
        mime: mime.into(),
        kind: if mime.starts_with("video/") {
            MediaKind::Video
        } else {
            MediaKind::Image
        },
        size: bytes.len() as u64,
        path,
        original_name: name.into(),
    }
}

pub fn draft(media: Vec<MediaRef>) -> Draft {
    Draft {
        announcement_id: 42,
        department: department(),
        title: "ประกาศปิดการจราจรถนนมิตรภาพ <ชั่วคราว>".into(),
        text: "ขอปิดการจราจร 25 พ.ย. 2569 เวลา 06:00–09:00 น.\nโปรดใช้เส้นทางเลี่ยง <b>ถนนสายรอง</b> & ทางคู่ขนาน\n\nสอบถาม โทร 1599".into(),
        media,
        link: Some("https://station.example/prakat/42".into()),
        published_at: Utc.with_ymd_and_hms(2026, 11, 20, 1, 30, 0).unwrap(),
        tags: vec![],
    }
}

/// Records what the channel checkpoints.
#[derive(Default)]
pub struct Saved(pub Mutex<Vec<String>>);

#[async_trait::async_trait]
impl Checkpoint for Saved {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        self.0.lock().unwrap().push(state.to_owned());
        Ok(())
    }
}

pub fn ctx_with(saved: &Arc<Saved>) -> PublishContext {
    let mut ctx = PublishContext::first(7, KEY);
    ctx.checkpoint = Some(saved.clone());
    ctx
}
