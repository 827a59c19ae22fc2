//! The five platform channels, each pointed at its own fake through a [`BadDay`] proxy: what a
//! case needs to know about a platform is here (how to build it, which request is its create,
//! how many posts its fake holds), nothing else.

use std::any::Any;
use std::time::Duration;

use axum::http::Method;
use chrono::TimeZone;
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::{
    Channel, ChannelEnv, Department, Draft, MediaKind, MediaRef, Payload, Secret,
};

use super::bad_day::BadDay;

/// How long the channels' client waits for an answer in these cases.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(1000);

#[derive(Debug, Clone, Copy)]
pub enum Platform {
    Facebook,
    Line,
    Youtube,
    Tiktok,
    Wordpress,
}

/// One platform ready for a case.
pub struct Subject {
    pub channel: Box<dyn Channel>,
    pub payload: Payload,
    pub net: BadDay,
    /// The request that makes the post: method and a part of its path.
    pub create: (Method, &'static str),
    posts: Box<dyn Fn() -> usize + Send + Sync>,
    /// Fakes and folders that must live as long as the case.
    _keep: Vec<Box<dyn Any + Send + Sync>>,
}

impl Subject {
    /// The posts the fake holds for the announcement (drafts and copies included).
    pub fn posts(&self) -> usize {
        (self.posts)()
    }
}

fn env(dir: &std::path::Path) -> ChannelEnv {
    ChannelEnv {
        http: client(HttpTimeouts {
            connect: Duration::from_secs(2),
            request: CLIENT_TIMEOUT,
        }),
        data_dir: dir.to_owned(),
        public_base_url: "https://station.example".into(),
    }
}

fn draft(text: &str, media: Vec<MediaRef>) -> Draft {
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
        link: Some("https://station.example/site/news/42.html".into()),
        published_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
        tags: vec![],
    }
}

const TEXT: &str = "ประกาศปิดถนนเพชรเกษมชั่วคราว วันที่ ๒๕ พฤศจิกายน ๒๕๖๙ เวลา ๐๙.๐๐–๑๒.๐๐ น.";

impl Platform {
    pub async fn start(self) -> Subject {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        match self {
            Platform::Facebook => {
                use super::facebook::fake::{Fake, PAGE, TOKEN};
                use prakat_adapters::facebook::{Facebook, FacebookSettings};
                let fake = Fake::start().await;
                let net = BadDay::start(&fake.base).await;
                let mut s = FacebookSettings::new(PAGE, Secret::new(TOKEN));
                s.base_url = net.url.clone();
                s.video_base_url = net.url.clone();
                let ch = Facebook::new(s, &env).unwrap();
                let payload = ch.prepare(&draft(TEXT, vec![])).unwrap();
                let f = fake.clone();
                Subject {
                    channel: Box::new(ch),
                    payload,
                    net,
                    create: (Method::POST, "/feed"),
                    posts: Box::new(move || f.posts().len()),
                    _keep: vec![Box::new(fake), Box::new(dir)],
                }
            }
            Platform::Line => {
                use super::line::fake::{Fake, TOKEN};
                use prakat_adapters::line::{Line, LineSettings};
                let fake = Fake::start().await;
                let net = BadDay::start(&fake.url).await;
                let mut s = LineSettings::new(Secret::new(TOKEN));
                s.base_url = net.url.clone();
                let ch = Line::new(s, &env).unwrap();
                let payload = ch.prepare(&draft(TEXT, vec![])).unwrap();
                let f = fake.state.clone();
                Subject {
                    channel: Box::new(ch),
                    payload,
                    net,
                    create: (Method::POST, "/v2/bot/message/"),
                    posts: Box::new(move || f.lock().unwrap().accepted.len()),
                    _keep: vec![Box::new(dir)],
                }
            }
            Platform::Youtube => {
                use super::youtube::fake::{Fake, GRANULE, INITIAL_REFRESH};
                use prakat_adapters::youtube::{Youtube, YoutubeSettings};
                let fake = Fake::start().await;
                let net = BadDay::start(&fake.base).await;
                // Upload sessions are named with the proxy's address, so chunks pass it too.
                fake.lock().base = net.url.clone();
                let total = 2 * GRANULE + 1000;
                let path = dir.path().join("clip.mp4");
                std::fs::write(&path, vec![7u8; total]).unwrap();
                let video = MediaRef {
                    sha256: "ab".repeat(32),
                    mime: "video/mp4".into(),
                    kind: MediaKind::Video,
                    size: total as u64,
                    path,
                    original_name: "clip.mp4".into(),
                };
                let mut s = YoutubeSettings::new(
                    "client-1.apps.googleusercontent.com",
                    Secret::new("GOCSPX-secret"),
                    Secret::new(INITIAL_REFRESH),
                );
                s.base_url = net.url.clone();
                s.upload_base_url = net.url.clone();
                s.token_url = format!("{}/token", net.url);
                // One PUT carries the whole file: that PUT is the request that makes the video.
                s.chunk_size = (4 * GRANULE) as u64;
                s.chunk_timeout_secs = CLIENT_TIMEOUT.as_secs().max(1);
                let ch = Youtube::new(s, &env).unwrap();
                let payload = ch.prepare(&draft(TEXT, vec![video])).unwrap();
                let f = fake.clone();
                Subject {
                    channel: Box::new(ch),
                    payload,
                    net,
                    create: (Method::PUT, "/upload/youtube/v3/videos"),
                    posts: Box::new(move || f.lock().videos.len()),
                    _keep: vec![Box::new(dir)],
                }
            }
            Platform::Tiktok => {
                use super::tiktok::fake::Fake;
                use prakat_adapters::tiktok::{Tiktok, TiktokSettings};
                let fake = Fake::start(Default::default()).await;
                let net = BadDay::start(&fake.url).await;
                fake.with(|s| s.token_file = Some(dir.path().join("tokens/tiktok.json")));
                let s = TiktokSettings {
                    client_key: "ck".into(),
                    client_secret: Secret::new("cs"),
                    refresh_token: Secret::new("rft.0"),
                    base_url: net.url.clone(),
                    privacy_level: None,
                    post_when_unaudited: true,
                    allow_comment: true,
                    allow_duet: false,
                    allow_stitch: true,
                    chunk_size: 5 * super::tiktok::fake::MIB,
                    status_poll_timeout: Duration::from_secs(5),
                    status_poll_interval: Duration::from_millis(20),
                    rate_limit_wait: Duration::from_secs(60),
                    concurrency: None,
                    publish_timeout: None,
                };
                let ch = Tiktok::new(s, &env).unwrap();
                let photo = MediaRef {
                    sha256: format!("c1{:062}", 0),
                    mime: "image/jpeg".into(),
                    kind: MediaKind::Image,
                    size: 300_000,
                    path: "/media/c1.jpg".into(),
                    original_name: "ภาพ1.jpg".into(),
                };
                let payload = ch.prepare(&draft(TEXT, vec![photo])).unwrap();
                let f = fake.clone();
                Subject {
                    channel: Box::new(ch),
                    payload,
                    net,
                    create: (Method::POST, "/v2/post/publish/content/init/"),
                    posts: Box::new(move || f.with(|s| s.publishes.len())),
                    _keep: vec![Box::new(dir)],
                }
            }
            Platform::Wordpress => {
                use super::wordpress::fake::{APP_PASSWORD, Fake, USER};
                use prakat_adapters::wordpress::{UrlStyle, Wordpress, WordpressSettings};
                let fake = Fake::start().await;
                let net = BadDay::start(&fake.base).await;
                let mut s = WordpressSettings::new(&net.url, USER, Secret::new(APP_PASSWORD));
                s.url_style = UrlStyle::Query;
                let ch = Wordpress::new(s, &env).unwrap();
                let payload = ch.prepare(&draft(TEXT, vec![])).unwrap();
                let f = fake.clone();
                Subject {
                    channel: Box::new(ch),
                    payload,
                    net,
                    create: (Method::POST, "rest_route=/wp/v2/posts"),
                    posts: Box::new(move || f.with(|i| i.posts.len())),
                    _keep: vec![Box::new(dir)],
                }
            }
        }
    }
}
