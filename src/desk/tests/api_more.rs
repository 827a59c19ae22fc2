//! The JSON API's lists, changes and uploads: every route wants a live token and the right
//! role, refuses bad input in the caller's language, and goes through the newsroom.

use serde_json::{Value, json};

use super::*;

impl World {
    /// A token acting as `login`, and its id (to revoke it).
    async fn token_with_id(&self, login: &str) -> (String, i64) {
        let token = password::token();
        let id = self
            .desk
            .app
            .store
            .create_api_token(
                login,
                &password::digest(&token),
                "test",
                self.clock.now(),
                &crate::store::Actor::daemon("test"),
            )
            .await
            .unwrap();
        (token, id)
    }

    /// `multipart/form-data` with files in `media` fields, with a bearer token.
    async fn api_upload(&self, token: &str, files: &[(&str, Vec<u8>)]) -> (StatusCode, Value) {
        const B: &str = "apiboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (file, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{B}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        let req = Request::post("/api/v1/media")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            )
            .body(Body::from(body))
            .unwrap();
        let a = self.send(req).await;
        (
            a.status,
            serde_json::from_str(&a.body).unwrap_or(Value::Null),
        )
    }

    /// An announcement sent through the API; its id.
    async fn api_submit(&self, token: &str, department: &str, title: &str) -> i64 {
        let (status, body) = self
            .api(
                "POST",
                "/api/v1/announcements",
                Some(token),
                Some(json!({
                    "department": department,
                    "title": title,
                    "text": format!("{title}: รายละเอียด"),
                    "channels": ["website", "outbox"],
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().unwrap()
    }
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn every_new_route_wants_a_live_token_and_the_right_role() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let officer = w.token("pr1").await;
    let staff = w.token("t1").await;
    let (revoked, revoked_id) = w.token_with_id("pr1").await;
    assert!(
        w.desk
            .app
            .store
            .revoke_api_token(
                revoked_id,
                w.clock.now(),
                &crate::store::Actor::daemon("test")
            )
            .await
            .unwrap()
    );
    let id = w.api_submit(&officer, "traffic", "ปิดถนนชั่วคราว").await;
    let delivery = w
        .desk
        .app
        .store
        .deliveries(&crate::store::DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id;
    let text = json!({"text": "ข้อความใหม่"});
    // (method, path, body, only whoever approves)
    let routes: Vec<(&str, String, Option<Value>, bool)> = vec![
        ("GET", "/api/v1/announcements".into(), None, false),
        ("GET", "/api/v1/deliveries".into(), None, false),
        (
            "POST",
            format!("/api/v1/announcements/{id}/edit"),
            Some(text.clone()),
            false,
        ),
        (
            "POST",
            format!("/api/v1/announcements/{id}/withdraw"),
            None,
            false,
        ),
        (
            "POST",
            format!("/api/v1/announcements/{id}/correct"),
            Some(text),
            true,
        ),
        (
            "POST",
            format!("/api/v1/announcements/{id}/retract"),
            Some(json!({"reason": "ผิดพลาด"})),
            true,
        ),
        (
            "POST",
            format!("/api/v1/announcements/{id}/cancel"),
            None,
            true,
        ),
        (
            "POST",
            format!("/api/v1/deliveries/{delivery}/retry"),
            None,
            true,
        ),
        (
            "POST",
            format!("/api/v1/deliveries/{delivery}/cancel"),
            None,
            true,
        ),
        ("POST", "/api/v1/media".into(), None, false),
    ];
    for (method, path, body, approvers) in &routes {
        for token in [None, Some("not-a-token"), Some(revoked.as_str())] {
            let (status, answer) = w.api(method, path, token, body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} {token:?}"
            );
            assert_eq!(answer["code"], "unauthorized", "{method} {path}");
        }
        if *approvers {
            let (status, answer) = w.api(method, path, Some(&staff), body.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {answer}");
            assert_eq!(answer["code"], "forbidden");
            assert!(
                answer["error"]
                    .as_str()
                    .unwrap()
                    .contains("เฉพาะเจ้าหน้าที่ประชาสัมพันธ์"),
                "in Thai: {answer}"
            );
        }
    }
    // Nothing was changed by any of them.
    let (_, a) = w
        .api(
            "GET",
            &format!("/api/v1/announcements/{id}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(a["revision"], 0);
    assert!(
        a["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "queued"),
        "{a}"
    );

    // Every route is documented.
    let (_, doc) = w.api("GET", "/api/v1/openapi.json", None, None).await;
    for (method, path, _, _) in &routes {
        let path = path
            .replace(&format!("/{id}/"), "/{id}/")
            .replace(&format!("/{delivery}/"), "/{id}/");
        let op = &doc["paths"][&path][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is documented");
        assert!(op["security"].is_array(), "{method} {path} names its token");
    }
    for schema in ["DeliveryPage", "AnnouncementPage", "TextChange", "Media"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn lists_page_through_announcements_and_deliveries_by_filter() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let officer = w.token("pr1").await;
    let staff = w.token("t1").await;
    let a1 = w.api_submit(&officer, "traffic", "ข่าวหนึ่ง").await;
    let a2 = w.api_submit(&officer, "prevention", "ข่าวสอง").await;
    let a3 = w.api_submit(&officer, "traffic", "ข่าวสาม").await;

    // Deliveries, two at a time, the newest first: every one once.
    let mut seen = Vec::new();
    let mut path = "/api/v1/deliveries?limit=2".to_owned();
    loop {
        let (status, page) = w.api("GET", &path, Some(&officer), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(ids(&page, "deliveries"));
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/deliveries?limit=2&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert!(seen.windows(2).all(|p| p[0] > p[1]), "the newest first");

    let get = async |path: &str, token: &str| {
        let (status, body) = w.api("GET", path, Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        body
    };
    let traffic = get("/api/v1/deliveries?department=traffic", &officer).await;
    let rows = traffic["deliveries"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|d| d["department"] == "traffic"));
    let one = get(
        "/api/v1/deliveries?state=queued&channel=website&order=due",
        &officer,
    )
    .await;
    assert_eq!(one["deliveries"].as_array().unwrap().len(), 3);
    let of_a2 = get(&format!("/api/v1/deliveries?announcement={a2}"), &officer).await;
    assert_eq!(of_a2["deliveries"].as_array().unwrap().len(), 2);
    assert_eq!(of_a2["deliveries"][0]["title"], "ข่าวสอง");
    let none = get(
        "/api/v1/deliveries?from=2600-01-01%2000:00&until=2601-01-01T00:00:00Z",
        &officer,
    )
    .await;
    assert_eq!(none["deliveries"], json!([]));
    assert!(none["next"].is_null());

    // Staff: their own department's; another's lists nothing.
    let mine = get("/api/v1/deliveries", &staff).await;
    assert_eq!(mine["deliveries"].as_array().unwrap().len(), 4);
    let other = get("/api/v1/deliveries?department=prevention", &staff).await;
    assert_eq!(other["deliveries"], json!([]));

    // Bad input: 400, saying which field and what is allowed.
    for (path, field) in [
        ("/api/v1/deliveries?state=lost", "state"),
        ("/api/v1/deliveries?order=sideways", "order"),
        ("/api/v1/deliveries?after=yesterday", "after"),
        ("/api/v1/deliveries?announcement=x", "announcement"),
        ("/api/v1/deliveries?from=soon", "from"),
        ("/api/v1/deliveries?limit=0", "0"),
        ("/api/v1/deliveries?limit=501", "501"),
        ("/api/v1/announcements?state=lost", "state"),
        ("/api/v1/announcements?after=x", "after"),
        ("/api/v1/announcements?until=later", "until"),
        ("/api/v1/announcements?limit=many", "many"),
    ] {
        let (status, body) = w.api("GET", path, Some(&officer), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(body["code"], "refused");
        assert!(
            body["error"].as_str().unwrap().contains(field),
            "{path}: {body}"
        );
    }

    // Announcements, the newest first, two at a time.
    let page = get("/api/v1/announcements?limit=2", &officer).await;
    assert_eq!(ids(&page, "announcements"), vec![a3, a2]);
    let next = page["next"].as_str().unwrap().to_owned();
    let rest = get(
        &format!("/api/v1/announcements?limit=2&after={next}"),
        &officer,
    )
    .await;
    assert_eq!(ids(&rest, "announcements"), vec![a1]);
    assert!(rest["next"].is_null());
    let approved = get(
        "/api/v1/announcements?state=approved&department=traffic",
        &officer,
    )
    .await;
    assert_eq!(ids(&approved, "announcements"), vec![a3, a1]);
    let mine = get("/api/v1/announcements", &staff).await;
    assert_eq!(ids(&mine, "announcements"), vec![a3, a1]);
    let other = get("/api/v1/announcements?department=prevention", &staff).await;
    assert_eq!(other["announcements"], json!([]));
}

#[tokio::test]
async fn edits_corrections_retractions_and_cancels_go_through_the_newsroom() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    w.person("t2", "department_staff", Some("traffic")).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let officer = w.token("pr1").await;
    let (staff, colleague, other) = (
        w.token("t1").await,
        w.token("t2").await,
        w.token("p1").await,
    );

    // Waiting: its sender edits it; a colleague may not; another department does not see it.
    let waiting = w.api_submit(&staff, "traffic", "รอแก้ไข").await;
    let edit = format!("/api/v1/announcements/{waiting}/edit");
    let (status, body) = w
        .api(
            "POST",
            &edit,
            Some(&staff),
            Some(json!({"title": "หัวข้อใหม่", "text": "ข้อความใหม่"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["title"].as_str(), body["text"].as_str()),
        (Some("หัวข้อใหม่"), Some("ข้อความใหม่"))
    );
    let (status, _) = w
        .api(
            "POST",
            &edit,
            Some(&colleague),
            Some(json!({"text": "ของคนอื่น"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .api(
            "POST",
            &edit,
            Some(&other),
            Some(json!({"text": "ของคนอื่น"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = w
        .api("POST", &edit, Some(&staff), Some(json!({"text": "  "})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = w
        .api("POST", &edit, Some(&staff), Some(json!({"title": 5})))
        .await;
    assert!(status.is_client_error(), "a body that is not a change");
    let withdraw = format!("/api/v1/announcements/{waiting}/withdraw");
    let (status, _) = w.api("POST", &withdraw, Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = w.api("POST", &withdraw, Some(&staff), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "withdrawn");
    let (status, body) = w.api("POST", &withdraw, Some(&staff), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Approved: corrected on every channel, guarded by its revision; then retracted.
    let approved = w.api_submit(&officer, "traffic", "ประกาศเดิม").await;
    let correct = format!("/api/v1/announcements/{approved}/correct");
    let (status, body) = w
        .api(
            "POST",
            &correct,
            Some(&officer),
            Some(json!({"text": "แก้แล้ว", "revision": 3})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = w
        .api(
            "POST",
            &correct,
            Some(&officer),
            Some(json!({"title": "ประกาศเดิม", "text": "ประกาศเดิม: รายละเอียด"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "nothing to correct: {body}"
    );
    let (status, body) = w
        .api(
            "POST",
            &correct,
            Some(&officer),
            Some(json!({"title": "ประกาศแก้ไข", "text": "แก้แล้ว", "revision": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["announcement"]["title"], "ประกาศแก้ไข");
    assert_eq!(body["announcement"]["revision"], 1);
    assert!(body["by_hand"].is_array());
    let retract = format!("/api/v1/announcements/{approved}/retract");
    let (status, body) = w
        .api(
            "POST",
            &retract,
            Some(&officer),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = w
        .api(
            "POST",
            &retract,
            Some(&officer),
            Some(json!({"reason": "ข้อมูลคลาดเคลื่อน"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["announcement"]["state"], "retracted");
    assert!(
        body["announcement"]["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "cancelled"),
        "what was not out is cancelled: {body}"
    );

    // One delivery stopped and sent again; a state that does not allow it is a conflict.
    let next = w.api_submit(&officer, "traffic", "ประกาศใหม่").await;
    let (_, a) = w
        .api(
            "GET",
            &format!("/api/v1/announcements/{next}"),
            Some(&officer),
            None,
        )
        .await;
    let d = a["deliveries"][0]["id"].as_i64().unwrap();
    let cancel = format!("/api/v1/deliveries/{d}/cancel");
    let retry = format!("/api/v1/deliveries/{d}/retry");
    let (status, body) = w.api("POST", &retry, Some(&officer), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "queued already: {body}");
    let (status, body) = w.api("POST", &cancel, Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["state"].as_str(), body["announcement_id"].as_i64()),
        (Some("cancelled"), Some(next))
    );
    let (status, _) = w.api("POST", &cancel, Some(&officer), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = w.api("POST", &retry, Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "queued");
    for path in [
        "/api/v1/deliveries/999999/retry",
        "/api/v1/deliveries/999999/cancel",
        "/api/v1/announcements/999999/cancel",
    ] {
        let (status, body) = w.api("POST", path, Some(&officer), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }

    // The whole announcement: everything not out is cancelled.
    let (status, body) = w
        .api(
            "POST",
            &format!("/api/v1/announcements/{next}/cancel"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "cancelled"),
        "{body}"
    );
}

#[tokio::test]
async fn media_uploaded_through_the_api_goes_with_a_submission() {
    let w = world_with(|s| s.media.max_image_bytes = 4000).await;
    w.person("pr1", "pr_officer", None).await;
    let officer = w.token("pr1").await;

    let (status, kept) = w.api_upload(&officer, &[("จุดตรวจ.png", png(300))]).await;
    assert_eq!(status, StatusCode::CREATED, "{kept}");
    let sha = kept[0]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    assert_eq!(kept[0]["kind"], "image");
    assert_eq!(kept[0]["mime"], "image/png");
    assert_eq!(kept[0]["name"], "จุดตรวจ.png");
    assert_eq!(w.intake_left(), 0, "nothing left under intake");

    // Refused, naming the file as it was sent; nothing left behind.
    for (file, bytes, status, says) in [
        (
            "notes.png",
            b"<html>not a photo</html>".to_vec(),
            StatusCode::BAD_REQUEST,
            "notes.png",
        ),
        (
            "big.png",
            png(4001),
            StatusCode::PAYLOAD_TOO_LARGE,
            "big.png",
        ),
    ] {
        let (got, body) = w.api_upload(&officer, &[(file, bytes)]).await;
        assert_eq!(got, status, "{file}: {body}");
        let error = body["error"].as_str().unwrap();
        assert!(
            error.contains(says) && !error.contains("intake"),
            "{file}: {error}"
        );
        assert_eq!(w.intake_left(), 0, "{file}");
    }
    let (status, body) = w.api_upload(&officer, &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("media"), "{body}");
    let too_many: Vec<_> = (0..=uploads::MAX_FILES)
        .map(|_| ("p.png", png(100)))
        .collect();
    let (status, _) = w.api_upload(&officer, &too_many).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Not a form at all.
    let (status, body) = w
        .api(
            "POST",
            "/api/v1/media",
            Some(&officer),
            Some(json!({"media": []})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // The submission carries it by its hash.
    let submit = |media: Value| json!({"department": "traffic", "text": "ภาพกิจกรรม", "channels": ["website"], "media": media});
    let (status, sent) = w
        .api(
            "POST",
            "/api/v1/announcements",
            Some(&officer),
            Some(submit(json!([sha]))),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["media"], json!([sha]));
    let record = w
        .desk
        .app
        .store
        .announcement(sent["id"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(record.media[0].original_name, "จุดตรวจ.png");
    for bad in [json!(["0".repeat(64)]), json!(["../../etc/passwd"])] {
        let (status, body) = w
            .api(
                "POST",
                "/api/v1/announcements",
                Some(&officer),
                Some(submit(bad.clone())),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("/api/v1/media"),
            "{body}"
        );
    }
}
