//! The account: privacy levels and unaudited apps, the creator's limits, rotating tokens,
//! rate limits and the platform's refusals, settings.

use std::time::Duration;

use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::tiktok::{PrivacyLevel, Tiktok, TiktokSettings};
use prakat_adapters::{Channel, ChannelEnv, PublishContext, PublishError};
use serde_json::Value;

use crate::fake::MIB;
use crate::world::*;

#[tokio::test]
async fn an_unaudited_app_posts_self_only_and_says_so() {
    let w = World::new().await;
    w.fake
        .with(|s| s.privacy_options = vec!["SELF_ONLY".into()]);
    let ch = w.channel();
    let health = ch.healthcheck().await.unwrap();
    let line = health.to_string();
    assert!(line.starts_with("tiktok: @phonlamuang_police (สภ.เมืองพลเมือง) can post; privacy options: SELF_ONLY; videos up to 600 s; unaudited app: posts are visible to the account owner only"), "{line}");
    assert!(
        line.contains("; access token renews itself") && line.contains("; token expires "),
        "{line}"
    );
    assert!(health.missing_permissions.is_empty());

    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    ch.publish(&payload, &w.ctx(1)).await.unwrap();
    let init = w
        .fake
        .requests()
        .into_iter()
        .find(|r| r.path == VIDEO_INIT)
        .unwrap()
        .json();
    assert_eq!(init["post_info"]["privacy_level"], "SELF_ONLY");

    // Refusing private posts, or asking for a level TikTok does not offer: no post is created.
    for (when_unaudited, level) in [(false, None), (true, Some(PrivacyLevel::PublicToEveryone))] {
        let mut s = w.settings();
        s.post_when_unaudited = when_unaudited;
        s.privacy_level = level;
        let ch = w.channel_with(s, Duration::from_secs(10));
        let err = ch
            .publish(&payload, &PublishContext::first(42, "k"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, PublishError::Rejected(m) if m.contains("unaudited app: posts are visible to the account owner only")),
            "{err}"
        );
        let health = ch.healthcheck().await.unwrap().to_string();
        assert!(health.contains("every post is refused"), "{health}");
    }
    assert_eq!(w.fake.with(|s| s.inits), 1);
}

#[tokio::test]
async fn the_platforms_unaudited_error_and_refusals_are_rejected() {
    let w = World::new().await;
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    for code in [
        "unaudited_client_can_only_post_to_private_accounts",
        "spam_risk_too_many_posts",
        "privacy_level_option_mismatch",
    ] {
        w.fake.fail_next(VIDEO_INIT, 403, code);
        let err = ch
            .publish(&payload, &PublishContext::first(1, "k"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, PublishError::Rejected(m) if m.contains(code) && m.contains("log_id 202611240730001234ABCD")),
            "{err}"
        );
    }
    w.fake.fail_next(VIDEO_INIT, 400, "invalid_param");
    let err = ch
        .publish(&payload, &PublishContext::first(1, "k"))
        .await
        .unwrap_err();
    assert_eq!(err.class(), "rejected");
}

#[tokio::test]
async fn a_configured_level_the_creator_does_not_offer_is_refused_before_init() {
    let w = World::new().await;
    let mut s = w.settings();
    s.privacy_level = Some(PrivacyLevel::FollowerOfCreator);
    let ch = w.channel_with(s, Duration::from_secs(10));
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Rejected(m) if m.contains("FOLLOWER_OF_CREATOR") && m.contains("[PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY]")),
        "{err}"
    );
    assert_eq!(count(&w.fake, &format!("POST {VIDEO_INIT}")), 0);
}

#[tokio::test]
async fn a_video_longer_than_the_creator_may_post_is_refused_before_init() {
    let w = World::new().await;
    w.fake.with(|s| s.max_video_post_duration_sec = Some(60));
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video(MIB as usize, 61)]);
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Rejected(m) if m.contains("61 s") && m.contains("at most 60 s")),
        "{err}"
    );
    assert_eq!(w.fake.with(|s| s.inits), 0);
}

#[tokio::test]
async fn rotated_refresh_tokens_are_saved_before_the_new_access_token_is_used() {
    let w = World::new().await;
    // Access tokens that expire within the refresh margin: every channel start refreshes.
    w.fake.with(|s| s.expires_in = 600);
    let ch = w.channel();
    ch.healthcheck().await.unwrap();
    let token_file = w.dir.path().join("tokens/tiktok.json");
    let saved: Value = serde_json::from_slice(&std::fs::read(&token_file).unwrap()).unwrap();
    assert_eq!(saved["refresh_token"], "rft.1");
    assert_eq!(
        w.fake.with(|s| s.file_refresh_at_first_use.clone()),
        [("act.1".to_owned(), Some("rft.1".to_owned()))],
        "when act.1 first reached TikTok, rft.1 was already on disk"
    );
    let form = String::from_utf8(w.fake.requests()[0].body.clone()).unwrap();
    assert_eq!(
        form,
        "client_key=ck&client_secret=cs&grant_type=refresh_token&refresh_token=rft.0"
    );

    // A restart: the channel refreshes with the saved (rotated) token, not the settings' one.
    let ch = w.channel();
    ch.healthcheck().await.unwrap();
    let form = String::from_utf8(w.fake.requests()[2].body.clone()).unwrap();
    assert!(form.ends_with("refresh_token=rft.1"), "{form}");
    let saved: Value = serde_json::from_slice(&std::fs::read(&token_file).unwrap()).unwrap();
    assert_eq!(saved["refresh_token"], "rft.2");

    // The old refresh token is dead: a channel with only the settings' rft.0 cannot post.
    let other = tempfile::tempdir().unwrap();
    let env = ChannelEnv {
        data_dir: other.path().to_owned(),
        ..w.env(Duration::from_secs(5))
    };
    let stale = Tiktok::new(w.settings(), &env).unwrap();
    let err = stale.healthcheck().await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Auth(m) if m.contains("invalid_grant") && !m.contains("rft.0")),
        "{err}"
    );
}

#[tokio::test]
async fn a_valid_saved_token_is_used_without_refreshing() {
    let w = World::new().await;
    std::fs::create_dir_all(w.dir.path().join("tokens")).unwrap();
    std::fs::write(
        w.dir.path().join("tokens/tiktok.json"),
        format!(
            r#"{{"access_token":"act.valid","refresh_token":"rft.0","expires_at":"{}"}}"#,
            (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339()
        ),
    )
    .unwrap();
    let ch = w.channel();
    ch.healthcheck().await.unwrap();
    assert_eq!(w.fake.paths(), [format!("POST {CREATOR}")]);
}

#[tokio::test]
async fn rate_limits_wait_and_token_errors_need_a_person() {
    let w = World::new().await;
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    w.fake.fail_next(VIDEO_INIT, 429, "rate_limit_exceeded");
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::RetryAfter(d, m) if *d == Duration::from_secs(60) && m.contains("rate_limit_exceeded")),
        "{err}"
    );

    w.fake.fail_next(CREATOR, 401, "access_token_invalid");
    let err = ch.publish(&payload, &w.ctx(2)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Auth(m) if m.contains("access_token_invalid")),
        "{err}"
    );
    w.fake.fail_next(CREATOR, 401, "scope_not_authorized");
    assert_eq!(ch.healthcheck().await.unwrap_err().class(), "auth");
    // The refused access token is dropped: the next attempt refreshes first, and posts once.
    ch.publish(&payload, &w.ctx(3)).await.unwrap();
    assert_eq!(count(&w.fake, "POST /v2/oauth/token/"), 3);
    assert_eq!(w.fake.with(|s| s.inits), 1);
}

#[test]
fn settings_read_from_toml_with_defaults() {
    let s: TiktokSettings = toml::from_str(
        "client_key = \"ck\"\nclient_secret = \"cs\"\nrefresh_token = \"rft\"\nprivacy_level = \"SELF_ONLY\"\nstatus_poll_timeout = \"2m\"\n",
    )
    .unwrap();
    assert_eq!(s.privacy_level, Some(PrivacyLevel::SelfOnly));
    assert_eq!(s.status_poll_timeout, Duration::from_secs(120));
    assert_eq!(s.chunk_size, 10_000_000);
    let env = ChannelEnv {
        http: client(HttpTimeouts::default()),
        data_dir: std::env::temp_dir(),
        public_base_url: "https://x".into(),
    };
    let mut bad = s.clone();
    bad.chunk_size = 1000;
    assert!(Tiktok::new(bad, &env).unwrap_err().contains("chunk_size"));
    assert_eq!(Tiktok::new(s, &env).unwrap().kind(), "tiktok");
}

#[tokio::test]
async fn the_health_line_names_missing_scopes() {
    let w = World::new().await;
    w.fake
        .with(|s| s.scope = "user.info.basic,video.publish".into());
    let health = w.channel().healthcheck().await.unwrap();
    assert_eq!(health.missing_permissions, ["video.list"]);
    let line = health.to_string();
    assert!(
        line.starts_with(
            "tiktok: @phonlamuang_police (สภ.เมืองพลเมือง) can post; privacy options: \
             PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY; videos up to 600 s; access \
             token renews itself (current one until "
        ),
        "{line}"
    );
    // The date a person must act on is the refresh token's end, months away (not the access
    // token's, a day away, which renews itself).
    let renew = health.token_expires_at.expect("the refresh token's expiry");
    assert!(
        renew > chrono::Utc::now() + chrono::Duration::days(30),
        "{renew}"
    );
    assert!(
        line.ends_with("; missing permissions: video.list"),
        "{line}"
    );
    assert!(!line.contains("unaudited"), "{line}");
}
