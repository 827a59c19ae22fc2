//! Kill -9 during a YouTube upload: the daemon is killed while a chunk is in flight, restarted,
//! and the upload resumes from the session it saved — one session, one video, every byte once —
//! against a fake YouTube that implements the resumable protocol as Google documents it.

mod common;

#[path = "../adapters/tests/youtube/fake.rs"]
#[allow(dead_code)]
mod yt_fake;

use std::process::Command;
use std::time::{Duration, Instant};

use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};

async fn wait_for(what: &str, deadline: Duration, mut done: impl AsyncFnMut() -> bool) {
    let until = Instant::now() + deadline;
    while !done().await {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_upload_resumes_the_same_session_and_makes_one_video() {
    let fake = yt_fake::Fake::start().await;
    // The third chunk is stored by the fake, then never answered: the daemon is mid-upload.
    fake.script(|s| s.hang_at_chunk = Some(2));

    let dir = tempfile::tempdir().unwrap();
    let base = &fake.base;
    let port = common::free_port();
    let config = common::write_config(
        dir.path(),
        port,
        &format!(
            "[dispatch]\nlease = \"20s\"\npublish_timeout = \"15s\"\nidle_recheck = \"1s\"\n\n\
             [channels.youtube]\nclient_id = \"client-1.apps.googleusercontent.com\"\n\
             client_secret = \"GOCSPX-secret\"\nrefresh_token = \"{}\"\n\
             base_url = \"{base}\"\nupload_base_url = \"{base}\"\ntoken_url = \"{base}/token\"\n\
             chunk_size = {}\nchunk_timeout_secs = 60\n",
            yt_fake::INITIAL_REFRESH,
            yt_fake::GRANULE
        ),
    );
    // An MP4's first box, then bytes enough for six chunks.
    let mut video = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    video.extend((0..(5 * yt_fake::GRANULE + 1000)).map(|i| (i % 251) as u8));
    let clip = dir.path().join("clip.mp4");
    std::fs::write(&clip, &video).unwrap();
    let posted = Command::new(env!("CARGO_BIN_EXE_prakat"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "post",
            "--department",
            "traffic",
        ])
        .args([
            "--title",
            "ตั้งจุดตรวจวัดแอลกอฮอล์",
            "--text",
            "คลิปการตั้งจุดตรวจช่วงเทศกาล",
        ])
        .args([
            "--media",
            clip.to_str().unwrap(),
            "--channels",
            "youtube",
            "--now",
        ])
        .output()
        .unwrap();
    assert!(
        posted.status.success(),
        "{}",
        String::from_utf8_lossy(&posted.stderr)
    );

    let log = dir.path().join("serve.log");
    let app = App::open(common::settings(&config)).await.unwrap();
    let mut daemon = common::start_daemon(&config, &log, "info,sqlx=warn");
    wait_for(
        "the third chunk to reach YouTube",
        Duration::from_secs(60),
        async || fake.lock().chunk_puts >= 3,
    )
    .await;
    // Meanwhile the daemon shows how far the upload got (two chunks answered).
    let progress: serde_json::Value =
        reqwest::get(format!("{}/internal/progress", common::admin_url(&config)))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        progress["1"],
        serde_json::json!({"done": 2 * yt_fake::GRANULE, "total": video.len()}),
        "{progress}"
    );
    daemon.kill().expect("SIGKILL");
    daemon.wait().unwrap();
    {
        let st = fake.lock();
        assert_eq!(
            (st.sessions.len(), st.videos.len()),
            (1, 0),
            "killed mid-upload"
        );
    }
    let row = &app
        .store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap()[0];
    assert_eq!(
        row.state,
        DeliveryState::InFlight,
        "the kill left the delivery in flight"
    );

    let mut daemon = common::start_daemon(&config, &log, "info,sqlx=warn");
    wait_for(
        "the upload to finish after the restart",
        Duration::from_secs(60),
        async || {
            app.store
                .deliveries(&DeliveryFilter::default())
                .await
                .unwrap()[0]
                .state
                == DeliveryState::Published
        },
    )
    .await;
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());

    let row = &app
        .store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap()[0];
    if std::env::var_os("PRAKAT_SHOW_LOG").is_some() {
        eprintln!("{}", std::fs::read_to_string(&log).unwrap());
    }
    let st = fake.lock();
    assert_eq!(
        st.sessions.len(),
        1,
        "the restart resumed the saved session, it did not start another"
    );
    assert_eq!(st.videos.len(), 1, "one video");
    assert_eq!(
        st.videos[0].data, video,
        "the video is the file, byte for byte"
    );
    assert_eq!(row.remote_id.as_deref(), Some(st.videos[0].id.as_str()));
    assert!(row.attempts >= 2, "{row:?}");
    let resumed = st.requests.iter().any(|r| {
        r.method == "PUT" && r.header("content-range") == Some(&format!("bytes */{}", video.len()))
    });
    assert!(
        resumed,
        "the restarted daemon asked YouTube how far the upload got"
    );
    let uploaded: usize = st
        .requests
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.body.len())
        .sum();
    assert_eq!(
        uploaded,
        video.len(),
        "every byte sent once: nothing re-uploaded"
    );
}
