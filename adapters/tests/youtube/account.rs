//! The account side: OAuth refresh ahead of expiry and rotation, reach, the health line,
//! settings.

use std::path::PathBuf;

use chrono::TimeDelta;
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::tokens::{TokenFile, Tokens};
use prakat_adapters::youtube::{Youtube, YoutubeSettings};
use prakat_adapters::{Channel, ChannelEnv, PublishError, Receipt, Secret};

use crate::fake::{self, INITIAL_REFRESH, error_body};
use crate::harness::Harness;

fn write_tokens(h: &Harness, access: &str, refresh: &str, expires_in: TimeDelta) {
    TokenFile::new(h.dir.path(), "youtube")
        .save(&Tokens {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            expires_at: Some(*h.now.lock().unwrap() + expires_in),
            refresh_expires_at: None,
        })
        .unwrap();
}

fn token_calls(h: &Harness) -> Vec<fake::Recorded> {
    h.fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/token")
        .collect()
}

#[tokio::test]
async fn the_token_is_refreshed_ahead_of_expiry_and_a_rotated_refresh_token_is_kept() {
    let h = Harness::new().await;
    let receipt = Receipt {
        remote_id: Some("vid9".into()),
        ..Receipt::default()
    };
    // Valid for ten more minutes: used as it is.
    write_tokens(&h, "ya29.saved", INITIAL_REFRESH, TimeDelta::minutes(10));
    h.channel()
        .reach_source()
        .unwrap()
        .reach(&receipt)
        .await
        .unwrap();
    assert!(token_calls(&h).is_empty());
    assert_eq!(
        h.fake.requests()[0].header("authorization"),
        Some("Bearer ya29.saved")
    );

    // Four minutes left, less than the five-minute margin: refreshed first; Google rotates.
    write_tokens(&h, "ya29.saved", INITIAL_REFRESH, TimeDelta::minutes(4));
    h.fake.script(|s| s.rotate_to = Some("1//rotated".into()));
    let yt = h.channel();
    yt.reach_source().unwrap().reach(&receipt).await.unwrap();
    let calls = token_calls(&h);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].form()["refresh_token"], INITIAL_REFRESH);
    let saved = TokenFile::new(h.dir.path(), "youtube")
        .load()
        .unwrap()
        .unwrap();
    assert_eq!(saved.refresh_token.unwrap().expose(), "1//rotated");
    assert_eq!(saved.access_token.expose(), "ya29.fake-1");
    assert_eq!(
        h.fake.requests().last().unwrap().header("authorization"),
        Some("Bearer ya29.fake-1")
    );

    // An hour later the next refresh uses the rotated token (the initial one is revoked now).
    *h.now.lock().unwrap() += TimeDelta::minutes(56);
    yt.reach_source().unwrap().reach(&receipt).await.unwrap();
    let calls = token_calls(&h);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].form()["refresh_token"], "1//rotated");
}

#[tokio::test]
async fn statistics_strings_become_numbers() {
    let h = Harness::new().await;
    let yt = h.channel();
    let receipt = Receipt {
        remote_id: Some("vid1".into()),
        ..Receipt::default()
    };
    let sample = yt.reach_source().unwrap().reach(&receipt).await.unwrap();
    assert_eq!(sample.views, Some(1234));
    assert_eq!(sample.reactions, Some(56));
    assert_eq!(sample.comments, Some(7));
    assert_eq!(sample.shares, None);
    assert!(sample.taken_at.is_some());
    let req = h.fake.requests().pop().unwrap();
    assert_eq!(req.path, "/youtube/v3/videos");
    assert_eq!(req.query["part"], "statistics");
    assert_eq!(req.query["id"], "vid1");

    let gone = Receipt {
        remote_id: Some("gone".into()),
        ..Receipt::default()
    };
    assert!(matches!(
        yt.reach_source().unwrap().reach(&gone).await,
        Err(PublishError::Rejected(_))
    ));
}

#[tokio::test]
async fn the_health_line_names_the_channel_token_expiry_permissions_and_quota() {
    let h = Harness::new().await;
    h.set_now("2026-11-24T09:00:00Z");
    h.fake
        .script(|s| s.scope = Some("https://www.googleapis.com/auth/youtube.upload".into()));
    let yt = h.channel();
    let line = yt.healthcheck().await.unwrap().to_string();
    assert_eq!(
        line,
        "YouTube channel «สภ.เมืองระนอง» (UCfake): token OK \
         (access token renews itself; current one until 2026-11-24 09:59 UTC); \
         missing permissions: https://www.googleapis.com/auth/youtube.readonly; \
         quota: videos.insert 0/100 today, other methods 1/10000 units today \
         (Pacific day, counted by this process)"
    );
    let req = h.fake.requests().pop().unwrap();
    assert_eq!(req.query["part"], "snippet");
    assert_eq!(req.query["mine"], "true");

    h.fake.script(|s| {
        s.api_error = Some((
            401,
            error_body(401, "global", "authError", "Invalid Credentials"),
        ))
    });
    assert!(matches!(yt.healthcheck().await, Err(PublishError::Auth(_))));

    // The refused access token is forgotten: the next call refreshes before sending.
    let reach = yt.reach_source().unwrap();
    let receipt = Receipt {
        remote_id: Some("vid1".into()),
        ..Receipt::default()
    };
    let before = token_calls(&h).len();
    assert!(matches!(
        reach.reach(&receipt).await,
        Err(PublishError::Auth(_))
    ));
    assert_eq!(token_calls(&h).len(), before + 1);
    h.fake.script(|s| s.api_error = None);
    reach.reach(&receipt).await.unwrap();
    assert_eq!(token_calls(&h).len(), before + 2);
}

#[test]
fn settings_have_defaults_and_refuse_unknown_keys() {
    let s: YoutubeSettings =
        toml::from_str("client_id = \"c\"\nclient_secret = \"s\"\nrefresh_token = \"r\"\n")
            .unwrap();
    assert_eq!(s.base_url, "https://www.googleapis.com");
    assert_eq!(s.upload_base_url, "https://www.googleapis.com");
    assert_eq!(s.token_url, "https://oauth2.googleapis.com/token");
    assert_eq!(s.chunk_size, 8 * 1024 * 1024);
    assert_eq!(s.max_video_bytes, 274_877_906_944);
    assert_eq!(s.category_id, "25");
    assert_eq!(s.quota.videos_insert_per_day, 100);
    assert_eq!(s.quota.units_per_day, 10_000);
    assert!(!format!("{s:?}").contains("\"s\""));
    assert!(
        toml::from_str::<YoutubeSettings>(
            "client_id = \"c\"\nclient_secret = \"s\"\nrefresh_token = \"r\"\nbogus = 1\n"
        )
        .is_err()
    );
    let mut bad = s.clone();
    bad.chunk_size = 1000;
    let env = ChannelEnv {
        http: client(HttpTimeouts::default()),
        data_dir: PathBuf::from("/nonexistent"),
        public_base_url: String::new(),
    };
    let err = Youtube::new(bad, &env).unwrap_err();
    assert!(err.contains("256 KiB"), "{err}");
}
