//! Files dropped on the compose page: `POST /desk/media` (one file, the session, its form token,
//! the compose roles), the hashes the form then carries in `media_sha256`, and the limits and
//! messages the page hands its script.

use super::*;

impl World {
    /// One file to `/desk/media`, as the page's script sends it: the form token, then the file.
    async fn drop_file(
        &self,
        cookie: Option<&str>,
        csrf: &str,
        files: &[(&str, Vec<u8>)],
    ) -> (StatusCode, serde_json::Value, String) {
        let a = match cookie {
            Some(c) => {
                self.post_multipart("/desk/media", c, &[("csrf", csrf)], files)
                    .await
            }
            None => {
                self.post_multipart("/desk/media", "", &[("csrf", csrf)], files)
                    .await
            }
        };
        let json = serde_json::from_str(&a.body).unwrap_or(serde_json::Value::Null);
        (a.status, json, a.body)
    }

    async fn approved(&self) -> usize {
        let approved = self.desk.app.store.announcements_in_state("approved", 100);
        approved.await.unwrap().len()
    }
}

fn compose_fields<'a>(
    csrf: &'a str,
    department: &'a str,
    intent: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("department", department),
        ("title", "ภาพกิจกรรมตั้งจุดตรวจ"),
        ("text", "ภาพกิจกรรมตั้งจุดตรวจบริเวณสี่แยกหน้าสถานี"),
        ("channel", "website"),
        ("when", "now"),
        ("intent", intent),
    ]
}

#[tokio::test]
async fn a_dropped_file_is_kept_once_checked_and_answered_with_its_hash() {
    let w = world_with(|s| s.media.max_image_bytes = 4000).await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;

    let (status, kept, body) = w
        .drop_file(Some(&b.cookie), &b.csrf, &[("จุดตรวจ.png", png(300))])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sha = kept["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(kept["kind"], "image");
    assert_eq!(kept["name"], "จุดตรวจ.png");
    assert_eq!(kept["mime"], "image/png");
    let stored = w.desk.app.store.media(&[sha.to_owned()]).await.unwrap();
    assert_eq!(stored[0].original_name, "จุดตรวจ.png");
    assert!(stored[0].path.is_file(), "kept in the media store");
    assert_eq!(w.intake_left(), 0, "nothing left under intake");

    // Signed out: 401; a wrong form token: 403; nothing kept either way.
    let (status, _, _) = w.drop_file(None, &b.csrf, &[("a.png", png(200))]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, body) = w
        .drop_file(Some(&b.cookie), &"0".repeat(64), &[("a.png", png(200))])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("แบบฟอร์มนี้หมดอายุ"), "{body}");
    assert_eq!(w.intake_left(), 0);

    // Not a photo: 400; too large: 413; each names the file as it was sent and no path of the
    // server's; the messages are Thai.
    for (name, bytes, status, says) in [
        (
            "ข่าว.png",
            b"<html>not a photo</html>".to_vec(),
            StatusCode::BAD_REQUEST,
            "ไม่รองรับ",
        ),
        (
            "ใหญ่.png",
            png(4001),
            StatusCode::PAYLOAD_TOO_LARGE,
            "ใหญ่เกินไป",
        ),
    ] {
        let (got, answer, body) = w
            .drop_file(Some(&b.cookie), &b.csrf, &[(name, bytes)])
            .await;
        assert_eq!(got, status, "{name}: {body}");
        let error = answer["error"].as_str().unwrap();
        assert!(
            error.contains(name) && error.contains(says) && !error.contains("intake"),
            "{name}: {error}"
        );
        assert_eq!(w.intake_left(), 0, "{name}");
    }
    // One file a request: none, or two, is a 400 that says so.
    for files in [vec![], vec![("a.png", png(100)), ("b.png", png(101))]] {
        let (status, answer, _) = w.drop_file(Some(&b.cookie), &b.csrf, &files).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains("media"));
    }
}

#[tokio::test]
async fn department_staff_drop_files_for_their_own_department_only() {
    let w = world().await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let staff = w.signed_in("t1").await;
    let (status, kept, body) = w
        .drop_file(Some(&staff.cookie), &staff.csrf, &[("ป้าย.png", png(300))])
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "staff compose, so they upload: {body}"
    );
    let sha = kept["sha256"].as_str().unwrap().to_owned();

    // Their own department: waits for approval, with the photo.
    let mut fields = compose_fields(&staff.csrf, "traffic", "submit");
    fields.push(("media_sha256", &sha));
    let a = w.post("/desk/compose", Some(&staff.cookie), &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let record = w
        .desk
        .app
        .store
        .announcement(id_from(a.location.as_deref().unwrap()))
        .await
        .unwrap();
    assert_eq!(record.state, "pending_approval");
    assert_eq!(record.media.len(), 1);
    assert_eq!(record.media[0].sha256, sha);
    assert_eq!(record.media[0].original_name, "ป้าย.png");

    // Another department's: refused as before, the photo or not.
    let mut fields = compose_fields(&staff.csrf, "prevention", "submit");
    fields.push(("media_sha256", &sha));
    let a = w.post("/desk/compose", Some(&staff.cookie), &fields).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

    // Signed out once removed: the upload is refused.
    w.desk
        .app
        .store
        .remove_desk_person("t1", w.clock.now(), &crate::store::Actor::daemon("test"))
        .await
        .unwrap();
    let (status, _, _) = w
        .drop_file(Some(&staff.cookie), &staff.csrf, &[("ป้าย.png", png(300))])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_form_carries_kept_files_by_hash_and_refuses_a_forged_one() {
    let w = world_with(|s| s.media.max_image_bytes = 4000).await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;
    let (_, kept, _) = w
        .drop_file(Some(&b.cookie), &b.csrf, &[("จุดตรวจ.png", png(300))])
        .await;
    let sha = kept["sha256"].as_str().unwrap().to_owned();

    // A preview without script, with one file dropped earlier and one chosen in the file
    // field: both are kept, and the page comes back carrying both by hash (the file field
    // cannot be refilled).
    let mut fields = compose_fields(&b.csrf, "traffic", "preview");
    fields.push(("media_sha256", &sha));
    let a = w
        .post_multipart(
            "/desk/compose",
            &b.cookie,
            &fields,
            &[("ป้ายเตือน.png", png(500))],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("id=\"preview\""), "{}", a.body);
    let carried: Vec<&str> = a
        .body
        .match_indices("name=\"media_sha256\" value=\"")
        .map(|(i, m)| &a.body[i + m.len()..i + m.len() + 64])
        .collect();
    assert_eq!(carried.len(), 2, "{}", a.body);
    assert_eq!(carried[0], sha);
    assert!(a.body.contains("ป้ายเตือน.png") && a.body.contains("จุดตรวจ.png"));
    assert_eq!(w.intake_left(), 0);

    // Submitted with the hashes alone: both go with it, in order, named as they were sent.
    let mut fields = compose_fields(&b.csrf, "traffic", "submit");
    fields.push(("media_sha256", carried[0]));
    fields.push(("media_sha256", carried[1]));
    fields.push(("media_sha256", carried[0])); // twice is once
    let a = w.post("/desk/compose", Some(&b.cookie), &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let record = w
        .desk
        .app
        .store
        .announcement(id_from(a.location.as_deref().unwrap()))
        .await
        .unwrap();
    let names: Vec<&str> = record
        .media
        .iter()
        .map(|m| m.original_name.as_str())
        .collect();
    assert_eq!(names, ["จุดตรวจ.png", "ป้ายเตือน.png"]);

    // A hash that names no kept file, or no hash at all: 400, said plainly, nothing queued;
    // the same for the script's preview.
    let before = w.approved().await;
    for forged in ["ab".repeat(32), "../../etc/passwd".to_owned()] {
        for (path, intent) in [
            ("/desk/compose", "submit"),
            ("/desk/compose", "preview"),
            ("/desk/compose/preview", "preview"),
        ] {
            let mut fields = compose_fields(&b.csrf, "traffic", intent);
            fields.push(("media_sha256", &forged));
            let a = w.post(path, Some(&b.cookie), &fields).await;
            if path == "/desk/compose" {
                assert_eq!(a.status, StatusCode::BAD_REQUEST, "{forged} {intent}");
            }
            assert!(
                a.body.contains("ไม่พบไฟล์ที่แนบไว้") && a.body.contains("กรุณาเลือกไฟล์นั้นอีกครั้ง"),
                "{forged} {path} {intent}: {}",
                a.body
            );
        }
    }
    assert_eq!(w.approved().await, before, "nothing queued");
}

#[tokio::test]
async fn a_too_large_file_on_the_compose_form_is_413() {
    let w = world_with(|s| s.media.max_image_bytes = 4000).await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;
    let before = w.approved().await;
    let a = w
        .post_multipart(
            "/desk/compose",
            &b.cookie,
            &compose_fields(&b.csrf, "traffic", "submit"),
            &[("big.png", png(4001))],
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.body.contains("big.png ใหญ่เกินไป"), "{}", a.body);
    assert_eq!(w.approved().await, before);
    assert_eq!(w.intake_left(), 0);
}

#[tokio::test]
async fn the_compose_page_hands_its_script_the_limits_and_messages() {
    let w = world_with(|s| {
        s.media.max_image_bytes = 5_000_000;
        s.media.max_video_bytes = 200_000_000;
    })
    .await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;
    let page = w.get("/desk/compose", Some(&b.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for attr in [
        "data-upload=\"/desk/media\"",
        "data-max-image=\"5000000\"",
        "data-max-video=\"200000000\"",
        "data-max-files=\"20\"",
        "data-msg-image-size=\"ไฟล์ {name} ใหญ่เกินไป จึงไม่ได้อัปโหลด: ขนาดที่รับได้ไม่เกิน 5 MB\"",
        "data-msg-video-size=\"ไฟล์ {name} ใหญ่เกินไป จึงไม่ได้อัปโหลด: ขนาดที่รับได้ไม่เกิน 200 MB\"",
        "data-msg-type=\"ไฟล์ {name} ไม่ใช่ภาพหรือวิดีโอ",
        "role=\"button\" tabindex=\"0\"",
    ] {
        assert!(page.body.contains(attr), "{attr}: {}", page.body);
    }
    // The file field is still there for a browser without script.
    assert!(
        page.body
            .contains("<input id=\"media\" name=\"media\" type=\"file\"")
    );

    w.get("/desk/lang/en", Some(&b.cookie)).await;
    let cookie = format!("{}; {}=en", b.cookie, auth::LANG_COOKIE);
    let page = w.get("/desk/compose", Some(&cookie)).await;
    assert!(
        page.body
            .contains("data-msg-image-size=\"{name} is too large, so it was not uploaded: the limit is 5 MB.\""),
        "{}",
        page.body
    );
}
