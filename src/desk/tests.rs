//! Handler tests: the desk's router driven with `oneshot`, as a browser would — signed out,
//! each role, with and without the form token — on a real SQLite store.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use super::*;
use crate::channels::Purpose;
use crate::clock::SteppedClock;
use crate::store::{NewDeskPerson, Store};

const PASSWORD: &str = "ระนอง-2569-ปลอดภัย";

struct World {
    _dir: tempfile::TempDir,
    desk: Arc<Desk>,
    router: Router,
    clock: Arc<SteppedClock>,
}

async fn world_with(edit: impl FnOnce(&mut crate::settings::Settings)) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = crate::settings::Settings::default();
    settings.storage.data_dir = dir.path().join("data");
    edit(&mut settings);
    let app = Arc::new(App::open_for(settings, Purpose::Compose).await.unwrap());
    let clock = Arc::new(SteppedClock::default());
    let desk = Arc::new(Desk::new(app, clock.clone(), Arc::new(Notify::new())));
    let router = router(desk.clone());
    World {
        _dir: dir,
        desk,
        router,
        clock,
    }
}

async fn world() -> World {
    world_with(|_| {}).await
}

/// What came back: status, the `Location` and `Set-Cookie` headers, the body.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

impl Answer {
    /// A hidden form token in the page.
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let i = self.body.find(marker).expect("a form token") + marker.len();
        self.body[i..i + 64].to_owned()
    }

    fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }
}

impl World {
    async fn send(&self, req: Request<Body>) -> Answer {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let cookies = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        Answer {
            status,
            location,
            cookies,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Answer {
        self.post_from(path, cookie, fields, None).await
    }

    async fn post_from(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        ip: Option<&str>,
    ) -> Answer {
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(ip) = ip {
            req = req.header("x-real-ip", ip);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    async fn person(&self, login: &str, role: &str, department: Option<&str>) {
        self.desk
            .app
            .store
            .add_desk_person(
                &NewDeskPerson {
                    name: format!("ร.ต.ท. {login}"),
                    login: login.into(),
                    role: role.into(),
                    department: department.map(str::to_owned),
                    password_hash: password::hash(PASSWORD).unwrap(),
                },
                &crate::store::Actor::daemon("test"),
            )
            .await
            .unwrap();
    }

    /// Sign in from `ip` through the sign-in page, as a browser does.
    async fn try_sign_in(&self, login: &str, password: &str, ip: Option<&str>) -> Answer {
        let page = self.get("/", None).await;
        let token = page.csrf();
        let cookie = format!("{}={token}", auth::SIGN_IN_COOKIE);
        self.post_from(
            "/desk/sign-in",
            Some(&cookie),
            &[("csrf", &token), ("login", login), ("password", password)],
            ip,
        )
        .await
    }

    /// Signed in: the cookie to send and the form token of the session.
    async fn signed_in(&self, login: &str) -> Browser {
        let a = self.try_sign_in(login, PASSWORD, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{a:?}");
        let set = a.cookie(auth::SESSION_COOKIE).expect("a session cookie");
        let cookie = set.split(';').next().unwrap().to_owned();
        let inbox = self.get("/desk/inbox", Some(&cookie)).await;
        assert_eq!(inbox.status, StatusCode::OK);
        Browser {
            csrf: inbox.csrf(),
            cookie,
        }
    }

    async fn submit(&self, b: &Browser, department: &str, title: &str) -> Answer {
        self.post(
            "/desk/compose",
            Some(&b.cookie),
            &[
                ("csrf", &b.csrf),
                ("department", department),
                ("title", title),
                ("text", "ตั้งจุดตรวจบริเวณสี่แยกหน้าสถานี ตั้งแต่เวลา 20.00 น."),
                ("channel", "website"),
                ("channel", "outbox"),
                ("when", "now"),
                ("intent", "submit"),
            ],
        )
        .await
    }
}

struct Browser {
    cookie: String,
    csrf: String,
}

fn id_from(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn signed_out_pages_go_to_sign_in_and_posts_are_refused() {
    let w = world().await;
    for path in [
        "/desk/inbox",
        "/desk/compose",
        "/desk/announcements",
        "/desk/announcements/1",
        "/desk/people",
    ] {
        let a = w.get(path, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(a.location.as_deref(), Some("/"), "{path}");
    }
    for path in [
        "/desk/announcements/1/approve",
        "/desk/announcements/1/reject",
        "/desk/announcements/1/edit",
        "/desk/announcements/1/withdraw",
        "/desk/announcements/1/correct",
        "/desk/announcements/1/retract",
        "/desk/compose",
        "/desk/compose/preview",
        "/desk/deliveries/1/retry",
        "/desk/deliveries/1/cancel",
        "/desk/sign-out",
        "/desk/people",
        "/desk/tokens",
        "/desk/tokens/1/revoke",
    ] {
        let a = w.post(path, None, &[("csrf", "x")]).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(a.body.contains("เข้าสู่ระบบใหม่"), "{path}: {}", a.body);
    }
    // A session cookie the store does not know is no session.
    let a = w
        .get("/desk/inbox", Some("prakat_session=0123456789abcdef"))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);

    let home = w.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"th\""), "Thai first");
    assert!(home.body.contains("เข้าสู่ระบบ"));
    assert!(
        home.body.contains("<label for=\"password\">"),
        "labelled fields"
    );
    let token = home.cookie(auth::SIGN_IN_COOKIE).unwrap();
    assert!(
        token.contains("HttpOnly") && token.contains("SameSite=Strict") && token.contains("Path=/"),
        "{token}"
    );
    // A second tab keeps the first tab's token.
    let first = home.csrf();
    let cookie = format!("{}={first}", auth::SIGN_IN_COOKIE);
    assert_eq!(w.get("/", Some(&cookie)).await.csrf(), first);
}

#[tokio::test]
async fn signing_in_sets_a_strict_cookie_kept_only_as_a_hash_and_signing_out_ends_it() {
    let w = world_with(|s| s.server.public_base_url = Some("https://ranong.example".into())).await;
    w.person("pr1", "pr_officer", None).await;

    let wrong = w.try_sign_in("pr1", "not the password", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"));
    assert!(wrong.cookie(auth::SESSION_COOKIE).is_none());
    let unknown = w.try_sign_in("nobody", PASSWORD, None).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "the same answer");

    let a = w.try_sign_in("PR1", PASSWORD, None).await;
    assert_eq!(
        a.status,
        StatusCode::SEE_OTHER,
        "the name's case is ignored"
    );
    assert_eq!(a.location.as_deref(), Some("/desk/inbox"));
    let set = a.cookie(auth::SESSION_COOKIE).unwrap();
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Secure",
        "Max-Age=43200",
    ] {
        assert!(set.contains(flag), "{flag} missing: {set}");
    }
    let id = set
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let store = &w.desk.app.store;
    let now = w.clock.now();
    let idle = w.desk.settings.session_idle;
    assert!(
        store.desk_session(&id, now, idle).await.unwrap().is_none(),
        "the id itself is not what is stored"
    );
    assert!(
        store
            .desk_session(&password::digest(&id), now, idle)
            .await
            .unwrap()
            .is_some()
    );

    let b = w.signed_in("pr1").await;
    assert_eq!(
        w.get("/", Some(&b.cookie)).await.location.as_deref(),
        Some("/desk/inbox")
    );
    let out = w
        .post("/desk/sign-out", Some(&b.cookie), &[("csrf", &b.csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.cookie(auth::SESSION_COOKIE)
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = w.get("/desk/inbox", Some(&b.cookie)).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie is no session"
    );

    // A session unused for longer than desk.session_idle ends.
    let c = w.signed_in("pr1").await;
    w.clock.step(chrono::Duration::hours(3));
    assert_eq!(
        w.get("/desk/inbox", Some(&c.cookie)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_missing_or_wrong_form_token_is_refused_in_thai() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let staff = w.signed_in("t1").await;
    let sent = w.submit(&staff, "traffic", "จุดตรวจ").await;
    let id = id_from(sent.location.as_deref().unwrap());
    let b = w.signed_in("pr1").await;
    let approve = format!("/desk/announcements/{id}/approve");
    for fields in [
        vec![],
        vec![("csrf", "0".repeat(64))],
        vec![("csrf", staff.csrf.clone())],
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let a = w.post(&approve, Some(&b.cookie), &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{fields:?}");
        assert!(a.body.contains("แบบฟอร์มนี้หมดอายุ"), "{}", a.body);
    }
    for path in [
        "/desk/compose",
        "/desk/compose/preview",
        "/desk/sign-out",
        "/desk/deliveries/1/retry",
        "/desk/announcements/1/edit",
        "/desk/announcements/1/withdraw",
        "/desk/announcements/1/correct",
        "/desk/announcements/1/retract",
    ] {
        let a = w.post(path, Some(&b.cookie), &[("csrf", "nope")]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Still waiting: nothing was approved.
    assert_eq!(
        w.desk.app.store.announcement(id).await.unwrap().state,
        "pending_approval"
    );
    // Signing in without the sign-in page's token.
    let a = w
        .post(
            "/desk/sign-in",
            None,
            &[("csrf", "abc"), ("login", "pr1"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // A form that is not a form.
    let req = Request::post(&approve)
        .header(header::COOKIE, &b.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{{\"csrf\":\"{}\"}}", b.csrf)))
        .unwrap();
    assert_eq!(w.send(req).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn signing_in_is_limited_per_name_and_per_address() {
    let w = world_with(|s| s.desk.client_ip_header = Some("x-real-ip".into())).await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    // Five wrong passwords for one name, each from another address.
    for i in 0..5 {
        let ip = format!("10.0.0.{i}");
        let a = w.try_sign_in("pr1", "wrong-password", Some(&ip)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = w.try_sign_in("pr1", PASSWORD, Some("10.0.1.1")).await;
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the name is locked"
    );
    assert!(a.body.contains("รอ 15 นาที"), "{}", a.body);
    assert!(a.cookie(auth::SESSION_COOKIE).is_none());
    // Another name from another address is not.
    let a = w.try_sign_in("t1", PASSWORD, Some("10.0.1.2")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);

    // Five failures from one address, each for another name, lock the address.
    for i in 0..5 {
        let a = w
            .try_sign_in(&format!("guess{i}"), "x", Some("192.0.2.7"))
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = w.try_sign_in("t1", PASSWORD, Some("192.0.2.7")).await;
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is locked"
    );

    // After the window, the name may try again.
    w.clock.step(chrono::Duration::minutes(16));
    let a = w.try_sign_in("pr1", PASSWORD, Some("10.0.1.1")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_successful_sign_in_does_not_count_against_the_limit() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    for _ in 0..7 {
        let a = w.try_sign_in("pr1", PASSWORD, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn department_staff_see_only_their_department_and_cannot_decide() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let traffic = w.signed_in("t1").await;
    let prevention = w.signed_in("p1").await;
    let officer = w.signed_in("pr1").await;

    let sent = w.submit(&traffic, "traffic", "จุดตรวจวัดแอลกอฮอล์").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{sent:?}");
    let at = sent.location.unwrap();
    let id = id_from(&at);
    assert_eq!(
        w.desk.app.store.announcement(id).await.unwrap().state,
        "pending_approval",
        "what staff send waits"
    );

    // Their own department's: listed, without the buttons.
    let inbox = w.get("/desk/inbox", Some(&traffic.cookie)).await;
    assert!(inbox.body.contains("จุดตรวจวัดแอลกอฮอล์"));
    assert!(!inbox.body.contains("/approve"));
    assert_eq!(
        w.get(&at, Some(&traffic.cookie)).await.status,
        StatusCode::OK
    );
    // Another department's: not listed, not found.
    let inbox = w.get("/desk/inbox", Some(&prevention.cookie)).await;
    assert!(!inbox.body.contains("จุดตรวจวัดแอลกอฮอล์"));
    assert_eq!(
        w.get(&at, Some(&prevention.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    // The compose form offers their own department only, and sending for another is refused.
    let form = w.get("/desk/compose", Some(&prevention.cookie)).await;
    assert!(form.body.contains("value=\"prevention\""));
    assert!(!form.body.contains("value=\"traffic\""));
    let other = w.submit(&prevention, "traffic", "ไม่ใช่ของเรา").await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // Staff cannot decide, even on their own department's.
    for (action, fields) in [
        ("approve", vec![("csrf", traffic.csrf.as_str())]),
        (
            "reject",
            vec![("csrf", traffic.csrf.as_str()), ("reason", "x")],
        ),
    ] {
        let a = w
            .post(
                &format!("/desk/announcements/{id}/{action}"),
                Some(&traffic.cookie),
                &fields,
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{action}");
        assert!(a.body.contains("บทบาทของคุณทำรายการนี้ไม่ได้"));
    }
    assert_eq!(
        w.desk.app.store.announcement(id).await.unwrap().state,
        "pending_approval"
    );
    // The officer sees every department's, with the buttons.
    let inbox = w.get("/desk/inbox", Some(&officer.cookie)).await;
    assert!(inbox.body.contains("จุดตรวจวัดแอลกอฮอล์"));
    assert!(
        inbox
            .body
            .contains(&format!("/desk/announcements/{id}/approve"))
    );
}

#[tokio::test]
async fn approving_twice_tells_the_second_who_decided_first() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("pr2", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let staff = w.signed_in("t1").await;
    let first = w.signed_in("pr1").await;
    let second = w.signed_in("pr2").await;
    let id = id_from(
        &w.submit(&staff, "traffic", "ผลการจับกุม")
            .await
            .location
            .unwrap(),
    );
    let path = format!("/desk/announcements/{id}/approve");
    let (one, two) = (
        [("csrf", first.csrf.as_str())],
        [("csrf", second.csrf.as_str())],
    );
    let (a, b) = tokio::join!(
        w.post(&path, Some(&first.cookie), &one),
        w.post(&path, Some(&second.cookie), &two),
    );
    let (won, lost, winner) = if a.status == StatusCode::SEE_OTHER {
        (a, b, "pr1")
    } else {
        (b, a, "pr2")
    };
    assert_eq!(won.status, StatusCode::SEE_OTHER, "{won:?}");
    assert_eq!(
        won.location.as_deref(),
        Some(format!("/desk/announcements/{id}").as_str())
    );
    assert_eq!(lost.status, StatusCode::CONFLICT, "{lost:?}");
    assert!(
        lost.body.contains(winner),
        "the second is told who: {}",
        lost.body
    );

    let record = w.desk.app.store.announcement(id).await.unwrap();
    assert_eq!(record.state, "approved");
    // The announcement's page: who decided, and a delivery per channel.
    let page = w
        .get(&format!("/desk/announcements/{id}"), Some(&staff.cookie))
        .await;
    assert!(page.body.contains(winner));
    assert!(page.body.contains("website") && page.body.contains("outbox"));
    assert!(page.body.contains("รอส่ง"), "queued, in Thai");
    assert!(!page.body.contains("/cancel"), "no buttons for staff");
}

#[tokio::test]
async fn approving_at_a_buddhist_era_time_and_rejecting_with_a_reason() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let staff = w.signed_in("t1").await;
    let officer = w.signed_in("pr1").await;
    let one = id_from(&w.submit(&staff, "traffic", "หนึ่ง").await.location.unwrap());
    let two = id_from(&w.submit(&staff, "traffic", "สอง").await.location.unwrap());

    let bad = w
        .post(
            &format!("/desk/announcements/{one}/approve"),
            Some(&officer.cookie),
            &[("csrf", &officer.csrf), ("at", "พรุ่งนี้")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let ok = w
        .post(
            &format!("/desk/announcements/{one}/approve"),
            Some(&officer.cookie),
            &[("csrf", &officer.csrf), ("at", "01/12/2600 09.00")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{ok:?}");
    let a = w.desk.app.store.announcement(one).await.unwrap();
    assert_eq!(a.publish_at.to_rfc3339(), "2057-12-01T02:00:00+00:00");
    let page = w
        .get(&format!("/desk/announcements/{one}"), Some(&officer.cookie))
        .await;
    assert!(page.body.contains("1 ธันวาคม 2600 เวลา 09.00 น."), "in BE");

    let empty = w
        .post(
            &format!("/desk/announcements/{two}/reject"),
            Some(&officer.cookie),
            &[("csrf", &officer.csrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "a reason is needed");
    let done = w
        .post(
            &format!("/desk/announcements/{two}/reject"),
            Some(&officer.cookie),
            &[("csrf", &officer.csrf), ("reason", "ภาพมีใบหน้าผู้เยาว์")],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/desk/inbox"));
    let page = w
        .get(&format!("/desk/announcements/{two}"), Some(&staff.cookie))
        .await;
    assert!(page.body.contains("ภาพมีใบหน้าผู้เยาว์"));
    assert!(page.body.contains("ไม่อนุมัติ"));
    let inbox = w.get("/desk/inbox", Some(&officer.cookie)).await;
    assert!(inbox.body.contains("ไม่มีข่าวที่รออนุมัติ"), "{}", inbox.body);
}

#[tokio::test]
async fn the_preview_shows_each_channel_with_its_length_and_what_it_skips() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;
    let fields = [
        ("csrf", b.csrf.as_str()),
        ("department", "traffic"),
        ("title", "ประชาสัมพันธ์"),
        ("text", "ขอความร่วมมือสวมหมวกนิรภัย"),
        ("channel", "website"),
        ("channel", "outbox"),
        ("when", "at"),
        ("at", "2600-01-05 08:30"),
    ];
    let a = w
        .post("/desk/compose/preview", Some(&b.cookie), &fields)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("<section id=\"preview\""));
    assert!(a.body.contains("website") && a.body.contains("outbox"));
    assert!(a.body.contains("5 มกราคม 2600 เวลา 08.30 น."), "{}", a.body);
    assert!(
        a.body.contains("ตัวอักษร") || a.body.contains("ไบต์"),
        "a counter with its unit"
    );
    // Without script, the Preview button posts the whole form back.
    let mut with_intent = fields.to_vec();
    with_intent.push(("intent", "preview"));
    let page = w.post("/desk/compose", Some(&b.cookie), &with_intent).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<textarea") && page.body.contains("ขอความร่วมมือสวมหมวกนิรภัย"));
    assert!(page.body.contains("สิ่งที่แต่ละช่องทางจะเผยแพร่"));
    // Nothing was kept.
    assert!(
        w.desk
            .app
            .store
            .announcements_in_state("approved", 10)
            .await
            .unwrap()
            .is_empty()
    );

    // No channel ticked, a time in the past: said, with the form kept.
    let a = w
        .post(
            "/desk/compose",
            Some(&b.cookie),
            &[
                ("csrf", &b.csrf),
                ("department", "traffic"),
                ("text", "ข้อความ"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("กรุณาเลือกอย่างน้อยหนึ่งช่องทาง"));
    let a = w
        .post(
            "/desk/compose",
            Some(&b.cookie),
            &[
                ("csrf", &b.csrf),
                ("department", "traffic"),
                ("text", "ข้อความเดิม"),
                ("channel", "website"),
                ("when", "at"),
                ("at", "2560-01-01 09:00"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("ข้อความเดิม"), "what was typed stays");
}

#[tokio::test]
async fn an_officer_s_post_is_queued_and_its_deliveries_retried_and_cancelled() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("t1").await;
    let sent = w
        .submit(&officer, "traffic", "<script>alert(1)</script>")
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{sent:?}");
    let id = id_from(sent.location.as_deref().unwrap());
    let record = w.desk.app.store.announcement(id).await.unwrap();
    assert_eq!(
        record.state, "approved",
        "an officer's post is approved at once"
    );
    let page = w
        .get(&format!("/desk/announcements/{id}"), Some(&officer.cookie))
        .await;
    assert!(page.body.contains("&lt;script&gt;"), "escaped");
    assert!(!page.body.contains("<script>alert"));

    let deliveries = w
        .desk
        .app
        .store
        .deliveries(&crate::store::DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    let d = deliveries[0].id;
    let cancel = format!("/desk/deliveries/{d}/cancel");
    let retry = format!("/desk/deliveries/{d}/retry");
    // Staff may not.
    for path in [&cancel, &retry] {
        let a = w
            .post(path, Some(&staff.cookie), &[("csrf", &staff.csrf)])
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    let a = w
        .post(&cancel, Some(&officer.cookie), &[("csrf", &officer.csrf)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.location.as_deref(),
        Some(format!("/desk/announcements/{id}").as_str())
    );
    let a = w
        .post(&cancel, Some(&officer.cookie), &[("csrf", &officer.csrf)])
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "cancelled already");
    let page = w
        .get(&format!("/desk/announcements/{id}"), Some(&officer.cookie))
        .await;
    assert!(page.body.contains("ยกเลิกแล้ว"));
    let a = w
        .post(&retry, Some(&officer.cookie), &[("csrf", &officer.csrf)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.desk.app.store.delivery(d).await.unwrap().state,
        crate::store::DeliveryState::Queued
    );
    assert_eq!(
        w.post(
            "/desk/deliveries/999999/retry",
            Some(&officer.cookie),
            &[("csrf", &officer.csrf)]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_language_switch_and_the_page_headers() {
    let w = world().await;
    let a = w.get("/desk/lang/en", None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let set = a.cookie(auth::LANG_COOKIE).unwrap();
    assert!(set.starts_with("prakat_lang=en"));
    let home = w.get("/", Some("prakat_lang=en")).await;
    assert!(home.body.contains("<html lang=\"en\"") && home.body.contains("Password"));
    let r = w
        .router
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("form-action 'self'"),
        "{csp}"
    );
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    for path in ["/desk/static/desk.css", "/desk/static/desk.js"] {
        assert_eq!(w.get(path, None).await.status, StatusCode::OK, "{path}");
    }
    // The Thai font comes from the daemon, allowed by the policy; the style sheet names it.
    assert!(csp.contains("font-src 'self'"), "{csp}");
    let css = w.get("/desk/static/desk.css", None).await;
    assert!(css.body.contains("/desk/static/sarabun-regular.ttf"));
    for path in [
        "/desk/static/sarabun-regular.ttf",
        "/desk/static/sarabun-bold.ttf",
    ] {
        let r = w
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "font/ttf");
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(&bytes[..4], &[0, 1, 0, 0], "a TrueType font");
    }
}

#[tokio::test]
async fn the_first_admin_is_made_once_and_written_for_the_station() {
    let w = world().await;
    let (a, b) = tokio::join!(cli::first_admin(&w.desk.app), cli::first_admin(&w.desk.app));
    a.unwrap();
    b.unwrap();
    let admins: Vec<_> = w
        .desk
        .app
        .store
        .people()
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.role == "admin")
        .collect();
    assert_eq!(admins.len(), 1, "{admins:?}");
    let file = w
        .desk
        .app
        .settings
        .storage
        .data_dir
        .join("desk-first-admin.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let secret = text
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap()
        .to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let signed = w.try_sign_in(cli::FIRST_ADMIN, &secret, None).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    // A later start makes no other.
    std::fs::remove_file(&file).unwrap();
    cli::first_admin(&w.desk.app).await.unwrap();
    assert!(!file.exists());
}

/// Every `t("…")` of the templates, and the ids they make from states and roles, exist in
/// both languages.
#[test]
fn the_templates_name_only_messages_that_exist() {
    use crate::i18n::{Lang, tr};
    let mut ids: Vec<String> = Vec::new();
    for (name, source) in pages::TEMPLATES {
        for quote in ["t(\"", "t('"] {
            for (i, _) in source.match_indices(quote) {
                let rest = &source[i + quote.len()..];
                let end = rest.find(['"', '\'']).unwrap();
                let id = &rest[..end];
                assert!(id.starts_with("desk-"), "{name}: {id}");
                if !rest[end + 1..].starts_with(" ~") {
                    ids.push(id.to_owned());
                }
            }
        }
    }
    for role in ["admin", "pr_officer", "department_staff"] {
        ids.push(format!("desk-role-{role}"));
    }
    for state in crate::store::DeliveryState::ALL {
        ids.push(format!("desk-delivery-state-{}", state.as_str()));
    }
    for state in [
        "pending_approval",
        "approved",
        "rejected",
        "withdrawn",
        "retracted",
    ] {
        ids.push(format!("desk-announcement-state-{state}"));
    }
    for state in [
        "waiting",
        "in_flight",
        "done",
        "by_hand",
        "failed",
        "superseded",
        "not_needed",
    ] {
        ids.push(format!("desk-amend-state-{state}"));
    }
    for action in ["edit", "retract"] {
        ids.push(format!("desk-amend-{action}"));
    }
    assert!(ids.len() > 40);
    for lang in ["en", "th"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang)
            .join("desk.ftl");
        let file = std::fs::read_to_string(path).unwrap();
        let defined: std::collections::HashSet<&str> = file
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim()))
            .collect();
        for id in &ids {
            assert!(defined.contains(id.as_str()), "{id} is missing in {lang}");
        }
    }
    assert_eq!(tr(Lang::Th, "desk-sign-in", &[]), "เข้าสู่ระบบ");
}

#[tokio::test]
async fn waiting_items_are_edited_by_their_sender_and_approved_ones_corrected_or_retracted() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    w.person("t2", "department_staff", Some("traffic")).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let sender = w.signed_in("t1").await;
    let colleague = w.signed_in("t2").await;
    let other = w.signed_in("p1").await;
    let officer = w.signed_in("pr1").await;
    let id = id_from(
        &w.submit(&sender, "traffic", "ร่างแรก")
            .await
            .location
            .unwrap(),
    );
    let edit = format!("/desk/announcements/{id}/edit");
    let text = |b: &Browser, text: &str| {
        vec![
            ("csrf".to_owned(), b.csrf.clone()),
            ("title".to_owned(), "ฉบับแก้".to_owned()),
            ("text".to_owned(), text.to_owned()),
        ]
    };
    let send = async |b: &Browser, path: &str, f: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        w.post(path, Some(&b.cookie), &f).await
    };
    let token = |b: &Browser| vec![("csrf".to_owned(), b.csrf.clone())];
    assert_eq!(
        send(&colleague, &edit, text(&colleague, "x")).await.status,
        StatusCode::FORBIDDEN,
        "not theirs"
    );
    assert_eq!(
        send(&other, &edit, text(&other, "x")).await.status,
        StatusCode::NOT_FOUND,
        "another department's"
    );
    let page = w
        .get(&format!("/desk/announcements/{id}"), Some(&sender.cookie))
        .await;
    assert!(page.body.contains(&edit), "the sender has the edit form");
    let a = send(&sender, &edit, text(&sender, "ข้อความที่แก้แล้ว")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{a:?}");
    let record = w.desk.app.store.announcement(id).await.unwrap();
    assert_eq!(
        (record.title.as_str(), record.body.as_str()),
        ("ฉบับแก้", "ข้อความที่แก้แล้ว")
    );

    // Approved: staff cannot correct; a correction made on an old page is refused.
    let approve = format!("/desk/announcements/{id}/approve");
    assert_eq!(
        send(&officer, &approve, token(&officer)).await.status,
        StatusCode::SEE_OTHER
    );
    let correct = format!("/desk/announcements/{id}/correct");
    assert_eq!(
        send(&sender, &correct, text(&sender, "แก้ชื่อผู้ต้องหา"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut f = text(&officer, "แก้ชื่อผู้ต้องหา");
    f.push(("revision".into(), "7".into()));
    let stale = send(&officer, &correct, f.clone()).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("มีผู้อื่นแก้ไขข้อความ"));
    f.last_mut().unwrap().1 = "0".into();
    let a = send(&officer, &correct, f).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{a:?}");
    let record = w.desk.app.store.announcement(id).await.unwrap();
    assert_eq!(record.body, "แก้ชื่อผู้ต้องหา");
    assert_eq!(record.revision.number, 1);

    let retract = format!("/desk/announcements/{id}/retract");
    assert_eq!(
        send(&officer, &retract, token(&officer)).await.status,
        StatusCode::BAD_REQUEST,
        "a reason is needed"
    );
    let mut f = token(&officer);
    f.push(("reason".into(), "ชื่อผู้ต้องหาไม่ถูกต้อง".into()));
    let a = send(&officer, &retract, f).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{a:?}");
    assert_eq!(
        w.desk.app.store.announcement(id).await.unwrap().state,
        "retracted"
    );
    let page = w
        .get(&format!("/desk/announcements/{id}"), Some(&officer.cookie))
        .await;
    assert!(page.body.contains("ถอนข่าวแล้ว"));
    assert!(
        !page.body.contains("/correct"),
        "no correcting what is retracted"
    );

    // Withdrawn by its sender while it waits.
    let two = id_from(&w.submit(&sender, "traffic", "ส่งผิด").await.location.unwrap());
    let withdraw = format!("/desk/announcements/{two}/withdraw");
    assert_eq!(
        send(&sender, &withdraw, token(&sender)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.desk.app.store.announcement(two).await.unwrap().state,
        "withdrawn"
    );
}

impl World {
    /// POST a `multipart/form-data` form, as the compose page sends it with files.
    async fn post_multipart(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, Vec<u8>)],
    ) -> Answer {
        const B: &str = "deskboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
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
        let req = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// What is left under `<data_dir>/intake/` (uploads are removed with their request).
    fn intake_left(&self) -> usize {
        let dir = self.desk.app.settings.storage.data_dir.join("intake");
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }
}

fn png(size: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.resize(size, 0);
    b
}

#[tokio::test]
async fn photos_come_with_the_compose_form_and_bad_uploads_are_refused() {
    let w = world_with(|s| s.media.max_image_bytes = 4000).await;
    w.person("pr1", "pr_officer", None).await;
    let b = w.signed_in("pr1").await;
    let fields = [
        ("csrf", b.csrf.as_str()),
        ("department", "traffic"),
        ("text", "ภาพกิจกรรมตั้งจุดตรวจ"),
        ("channel", "website"),
        ("when", "now"),
        ("intent", "submit"),
    ];
    let count = async || {
        w.desk
            .app
            .store
            .announcements_in_state("approved", 100)
            .await
            .unwrap()
            .len()
    };

    let ok = w
        .post_multipart(
            "/desk/compose",
            &b.cookie,
            &fields,
            &[("จุดตรวจ.png", png(300)), ("", Vec::new())],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id = id_from(ok.location.as_deref().unwrap());
    let a = w.desk.app.store.announcement(id).await.unwrap();
    assert_eq!(a.media.len(), 1, "the empty file field is no file");
    assert_eq!(a.media[0].original_name, "จุดตรวจ.png");
    assert_eq!(a.media[0].mime, "image/png");
    assert_eq!(w.intake_left(), 0, "the upload is removed once kept");

    // A text file named as a photo, a photo over the limit, too many files: refused, nothing
    // kept, nothing left behind.
    for (files, status) in [
        (
            vec![("photo.jpg", b"<html>not a photo</html>".to_vec())],
            StatusCode::BAD_REQUEST,
        ),
        (vec![("big.png", png(4001))], StatusCode::PAYLOAD_TOO_LARGE),
        (
            (0..=uploads::MAX_FILES)
                .map(|_| ("p.png", png(100)))
                .collect(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let names: Vec<_> = files.iter().map(|(n, _)| *n).collect();
        let a = w
            .post_multipart("/desk/compose", &b.cookie, &fields, &files)
            .await;
        assert_eq!(a.status, status, "{names:?}: {}", a.body);
        assert_eq!(count().await, 1, "{names:?}");
        assert_eq!(w.intake_left(), 0, "{names:?}");
    }
    let big = w
        .post_multipart(
            "/desk/compose",
            &b.cookie,
            &fields,
            &[("big.png", png(4001))],
        )
        .await;
    assert!(
        big.body.contains("big.png ใหญ่เกินไป") && !big.body.contains("intake"),
        "the file is named as it was sent: {}",
        big.body
    );

    // Without the form token the files are not kept either.
    let mut no_token = fields.to_vec();
    no_token.remove(0);
    let a = w
        .post_multipart(
            "/desk/compose",
            &b.cookie,
            &no_token,
            &[("a.png", png(100))],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(w.intake_left(), 0);

    // The preview takes the files too, and keeps nothing.
    let mut preview = fields.to_vec();
    preview.pop();
    let a = w
        .post_multipart(
            "/desk/compose/preview",
            &b.cookie,
            &preview,
            &[("a.png", png(100))],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("website"));
    assert_eq!(count().await, 1);
}

impl World {
    /// A JSON API token acting as `login`.
    async fn token(&self, login: &str) -> String {
        let token = password::token();
        self.desk
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
        token
    }

    async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let a = self.send(req).await;
        (
            a.status,
            serde_json::from_str(&a.body).unwrap_or(serde_json::Value::Null),
        )
    }
}

#[tokio::test]
async fn the_json_api_takes_a_token_and_keeps_the_newsroom_s_rules() {
    use serde_json::json;
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("pr2", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let (officer, officer2, staff, other) = (
        w.token("pr1").await,
        w.token("pr2").await,
        w.token("t1").await,
        w.token("p1").await,
    );

    let (status, body) = w.api("GET", "/api/v1/pending", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    let (status, _) = w
        .api("GET", "/api/v1/pending", Some("not-a-token"), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A browser's session cookie is no token.
    let b = w.signed_in("pr1").await;
    let req = Request::get("/api/v1/pending")
        .header(header::COOKIE, &b.cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(w.send(req).await.status, StatusCode::UNAUTHORIZED);

    let submission = json!({
        "department": "traffic",
        "text": "ผลการตั้งจุดตรวจ",
        "channels": ["website", "outbox"],
        "at": "2600-01-05 08:30",
    });
    let (status, sent) = w
        .api(
            "POST",
            "/api/v1/announcements",
            Some(&staff),
            Some(submission.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["state"], "pending_approval");
    assert_eq!(sent["publish_at"], "2057-01-05T01:30:00Z");
    let id = sent["id"].as_i64().unwrap();
    let (status, _) = w
        .api(
            "POST",
            "/api/v1/announcements",
            Some(&other),
            Some(submission),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another department's");

    let (_, list) = w.api("GET", "/api/v1/pending", Some(&other), None).await;
    assert_eq!(list, json!([]), "another department's is not listed");
    let (status, _) = w
        .api(
            "GET",
            &format!("/api/v1/announcements/{id}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = w.api("GET", "/api/v1/pending", Some(&officer), None).await;
    assert_eq!(list[0]["id"], id);

    let approve = format!("/api/v1/announcements/{id}/approve");
    let (status, body) = w.api("POST", &approve, Some(&staff), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let ((s1, b1), (s2, b2)) = tokio::join!(
        w.api("POST", &approve, Some(&officer), None),
        w.api("POST", &approve, Some(&officer2), None),
    );
    let (won, lost) = if s1 == StatusCode::OK {
        (b1, (s2, b2))
    } else {
        (b2, (s1, b1))
    };
    assert_eq!(won["state"], "approved", "{won}");
    assert_eq!(won["deliveries"].as_array().unwrap().len(), 2);
    assert_eq!(lost.0, StatusCode::CONFLICT, "{}", lost.1);
    let winner = won["decided_by"]
        .as_str()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(
        lost.1["error"].as_str().unwrap().contains(winner),
        "{}",
        lost.1
    );

    let (status, body) = w
        .api(
            "POST",
            "/api/v1/announcements",
            Some(&officer),
            Some(json!({"department": "traffic", "text": "x", "channels": ["nosuch"]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "refused");

    let (status, doc) = w.api("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/v1/pending",
        "/api/v1/announcements",
        "/api/v1/announcements/{id}",
        "/api/v1/announcements/{id}/approve",
        "/api/v1/announcements/{id}/reject",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["Submission"].is_object());
}

#[tokio::test]
async fn the_latest_announcements_show_each_channel_and_what_needs_attention() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("p1").await;
    let traffic = id_from(
        &w.submit(&officer, "traffic", "ข่าวจราจร")
            .await
            .location
            .unwrap(),
    );
    let prevention = id_from(
        &w.submit(&officer, "prevention", "ข่าวป้องกันปราบปราม")
            .await
            .location
            .unwrap(),
    );
    let list = w.get("/desk/announcements", Some(&officer.cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    let (a, b) = (
        list.body.find("ข่าวป้องกันปราบปราม").unwrap(),
        list.body.find("ข่าวจราจร").unwrap(),
    );
    assert!(a < b, "the newest first");
    assert!(
        list.body
            .contains(&format!("/desk/announcements/{traffic}"))
    );
    assert!(
        list.body
            .contains("website: <span class=\"state queued\">รอส่ง</span>"),
        "{}",
        list.body
    );
    assert!(
        !list.body.contains("ต้องตรวจสอบ"),
        "nothing needs attention yet"
    );
    let mine = w.get("/desk/announcements", Some(&staff.cookie)).await;
    assert!(
        mine.body
            .contains(&format!("/desk/announcements/{prevention}"))
    );
    assert!(
        !mine.body.contains("ข่าวจราจร"),
        "another department's is not listed"
    );
}

#[tokio::test]
async fn the_admin_adds_people_and_makes_and_revokes_api_tokens() {
    let w = world().await;
    w.person("boss", "admin", None).await;
    w.person("pr1", "pr_officer", None).await;
    let admin = w.signed_in("boss").await;
    let officer = w.signed_in("pr1").await;
    assert_eq!(
        w.get("/desk/people", Some(&officer.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let page = w.get("/desk/people", Some(&admin.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("pr1") && page.body.contains("<label for=\"p-password\">"));
    let add = |login: &'static str, password: &'static str| {
        [
            ("csrf", admin.csrf.clone()),
            ("name", "ส.ต.ต. สมหญิง".to_owned()),
            ("login", login.to_owned()),
            ("role", "department_staff".to_owned()),
            ("department", "traffic".to_owned()),
            ("password", password.to_owned()),
        ]
    };
    let send = async |f: [(&str, String); 6], b: &Browser| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        w.post("/desk/people", Some(&b.cookie), &f).await
    };
    assert_eq!(
        send(add("t9", PASSWORD), &officer).await.status,
        StatusCode::FORBIDDEN
    );
    let short = send(add("t9", "short"), &admin).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("รหัสผ่านสั้นเกินไป"));
    assert_eq!(
        send(add("t9", PASSWORD), &admin).await.status,
        StatusCode::SEE_OTHER
    );
    let taken = send(add("T9", PASSWORD), &admin).await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert!(taken.body.contains("มีผู้ใช้แล้ว"));
    let staff = w.signed_in("t9").await;
    let form = w.get("/desk/compose", Some(&staff.cookie)).await;
    assert!(form.body.contains("value=\"traffic\""));

    let made = w
        .post(
            "/desk/tokens",
            Some(&admin.cookie),
            &[
                ("csrf", &admin.csrf),
                ("login", "pr1"),
                ("label", "intranet"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK);
    let marker = "<code class=\"token\">";
    let i = made.body.find(marker).unwrap() + marker.len();
    let token = made.body[i..i + 64].to_owned();
    assert_eq!(
        w.api("GET", "/api/v1/pending", Some(&token), None).await.0,
        StatusCode::OK
    );
    let again = w.get("/desk/people", Some(&admin.cookie)).await;
    assert!(
        again.body.contains("intranet") && !again.body.contains(&token),
        "shown once"
    );
    let id = w.desk.app.store.api_tokens().await.unwrap()[0].id;
    let revoke = format!("/desk/tokens/{id}/revoke");
    assert_eq!(
        w.post(&revoke, Some(&officer.cookie), &[("csrf", &officer.csrf)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.post(&revoke, Some(&admin.cookie), &[("csrf", &admin.csrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.api("GET", "/api/v1/pending", Some(&token), None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn every_route_that_decides_refuses_department_staff() {
    let w = world().await;
    w.person("t1", "department_staff", Some("traffic")).await;
    w.person("pr1", "pr_officer", None).await;
    let staff = w.signed_in("t1").await;
    let officer = w.signed_in("pr1").await;
    let queued = id_from(
        &w.submit(&officer, "traffic", "อนุมัติแล้ว")
            .await
            .location
            .unwrap(),
    );
    let waiting = id_from(
        &w.submit(&staff, "traffic", "รออนุมัติ")
            .await
            .location
            .unwrap(),
    );
    let fields = [
        ("csrf", staff.csrf.as_str()),
        ("reason", "เหตุผล"),
        ("text", "ข้อความ"),
        ("login", "t1"),
        ("label", "x"),
    ];
    for path in [
        format!("/desk/announcements/{waiting}/approve"),
        format!("/desk/announcements/{waiting}/reject"),
        format!("/desk/announcements/{queued}/correct"),
        format!("/desk/announcements/{queued}/retract"),
        "/desk/deliveries/1/retry".to_owned(),
        "/desk/deliveries/1/cancel".to_owned(),
        "/desk/people".to_owned(),
        "/desk/people/remove".to_owned(),
        "/desk/tokens".to_owned(),
        "/desk/tokens/1/revoke".to_owned(),
    ] {
        let a = w.post(&path, Some(&staff.cookie), &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        w.desk.app.store.announcement(queued).await.unwrap().state,
        "approved"
    );
    assert_eq!(
        w.desk.app.store.announcement(waiting).await.unwrap().state,
        "pending_approval"
    );
    // The API's reject, for whoever approves, with the reason.
    let (staff_token, officer_token) = (w.token("t1").await, w.token("pr1").await);
    let reject = format!("/api/v1/announcements/{waiting}/reject");
    let reason = serde_json::json!({"reason": "ภาพไม่ชัด"});
    let (status, _) = w
        .api("POST", &reject, Some(&staff_token), Some(reason.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w
        .api("POST", &reject, Some(&officer_token), Some(reason.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "rejected");
    assert_eq!(body["decision_note"], "ภาพไม่ชัด");
    let (status, body) = w
        .api("POST", &reject, Some(&officer_token), Some(reason))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn a_person_removed_by_the_admin_is_signed_out_everywhere() {
    let w = world().await;
    w.person("boss", "admin", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let admin = w.signed_in("boss").await;
    let staff = w.signed_in("t1").await;
    let token = w.token("t1").await;
    let page = w.get("/desk/people", Some(&admin.cookie)).await;
    assert!(page.body.contains("name=\"login\" value=\"t1\""));
    assert!(
        !page.body.contains("name=\"login\" value=\"boss\""),
        "no button to remove oneself"
    );
    let me = w
        .post(
            "/desk/people/remove",
            Some(&admin.cookie),
            &[("csrf", &admin.csrf), ("login", "boss")],
        )
        .await;
    assert_eq!(me.status, StatusCode::BAD_REQUEST);
    let gone = w
        .post(
            "/desk/people/remove",
            Some(&admin.cookie),
            &[("csrf", &admin.csrf), ("login", "t1")],
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.get("/desk/inbox", Some(&staff.cookie)).await.status,
        StatusCode::SEE_OTHER,
        "their session ended"
    );
    assert_eq!(
        w.api("GET", "/api/v1/pending", Some(&token), None).await.0,
        StatusCode::UNAUTHORIZED,
        "their token stopped"
    );
    assert_eq!(
        w.try_sign_in("t1", PASSWORD, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = w
        .post(
            "/desk/people/remove",
            Some(&admin.cookie),
            &[("csrf", &admin.csrf), ("login", "t1")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // The login is free for someone else.
    w.person("t1", "department_staff", Some("prevention")).await;
    assert_eq!(
        w.try_sign_in("t1", PASSWORD, None).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn parked_deliveries_are_on_the_inbox_with_what_to_do() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("p1").await;
    w.submit(&officer, "traffic", "ข่าวจราจรค้าง").await;
    let store = &w.desk.app.store;
    let claimed = store
        .claim_due(
            w.clock.now() + chrono::Duration::seconds(1),
            "test",
            std::time::Duration::from_secs(60),
            10,
        )
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2, "website and outbox");
    let settlements: Vec<_> = claimed
        .iter()
        .map(|c| crate::store::Settlement {
            delivery_id: c.id,
            claim: c.claim,
            outcome: if c.channel == "website" {
                crate::store::Outcome::NeedsAttention {
                    error: "token <rejected> by the platform".into(),
                    class: "auth".into(),
                }
            } else {
                crate::store::Outcome::Failed {
                    error: "500 after 8 tries".into(),
                    class: "transient".into(),
                }
            },
        })
        .collect();
    store
        .settle("test", w.clock.now(), &settlements)
        .await
        .unwrap();

    let inbox = w.get("/desk/inbox", Some(&officer.cookie)).await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(
        inbox.body.contains("ต้องดำเนินการ (2 รายการ)"),
        "{}",
        inbox.body
    );
    assert!(inbox.body.contains("ข่าวจราจรค้าง"));
    assert!(
        inbox
            .body
            .contains("token &lt;rejected&gt; by the platform"),
        "the platform's words, escaped"
    );
    assert!(
        inbox.body.contains("โทเคนของ website ใช้ไม่ได้ ออกโทเคนใหม่"),
        "an auth error: renew the token, then retry"
    );
    assert!(
        inbox.body.contains("อ่านสาเหตุข้างบน แล้วเปิดข่าวนี้กด"),
        "another error: read it, then retry or cancel"
    );
    let theirs = w.get("/desk/inbox", Some(&staff.cookie)).await;
    assert!(
        !theirs.body.contains("ข่าวจราจรค้าง"),
        "another department's problems are not shown to staff"
    );
}

#[tokio::test]
async fn the_channels_page_shows_the_latest_check_and_what_to_do() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("t1").await;
    let page = w.get("/desk/channels", Some(&staff.cookie)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "staff do not see it");
    let page = w.get("/desk/channels", Some(&officer.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("ยังไม่ได้ตรวจตั้งแต่เริ่ม prakat"),
        "{}",
        page.body
    );

    let now = w.clock.now();
    w.desk.health.record(
        "website",
        crate::watch::Checked {
            at: now,
            result: Err("cannot write <site>".into()),
        },
    );
    w.desk.health.record(
        "outbox",
        crate::watch::Checked {
            at: now,
            result: Ok(prakat_adapters::Health {
                summary: "writes files".into(),
                token_expires_at: Some(now + chrono::Duration::days(3)),
                missing_permissions: vec!["pages_manage_posts".into()],
                quota: Some("9,950 units".into()),
            }),
        },
    );
    let page = w.get("/desk/channels", Some(&officer.cookie)).await;
    assert!(page.body.contains("ใช้งานไม่ได้"));
    assert!(page.body.contains("cannot write &lt;site&gt;"), "escaped");
    assert!(page.body.contains("ตรวจช่องทาง website ไม่ผ่าน"));
    assert!(page.body.contains("ใช้งานได้ แต่ต้องดำเนินการเร็ว ๆ นี้"));
    assert!(page.body.contains("(อีก 3 วัน)"), "{}", page.body);
    assert!(page.body.contains("pages_manage_posts") && page.body.contains("9,950 units"));
    assert!(page.body.contains("โทเคนของ outbox ใกล้หมดอายุ"));

    // Check now: once a minute at most, and only with the form token.
    let a = w
        .post("/desk/channels/check", Some(&officer.cookie), &[])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "no form token");
    let a = w
        .post(
            "/desk/channels/check",
            Some(&officer.cookie),
            &[("csrf", &officer.csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        !w.desk.health.check_now(w.clock.now()),
        "asked a moment ago"
    );
    w.clock.step(chrono::Duration::seconds(61));
    assert!(w.desk.health.check_now(w.clock.now()));
}

#[tokio::test]
async fn the_next_free_slot_and_a_repeat_picked_on_the_form() {
    let hours: Vec<crate::settings::SlotTime> = (0..24)
        .map(|h| crate::settings::SlotTime::try_from(format!("{h:02}:00")).unwrap())
        .collect();
    let w = world_with(|s| s.post.slots = hours).await;
    w.person("pr1", "pr_officer", None).await;
    w.person("t1", "department_staff", Some("traffic")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("t1").await;

    let slot = |title: &'static str| {
        let b = &officer;
        let w = &w;
        async move {
            let a = w
                .post(
                    "/desk/compose",
                    Some(&b.cookie),
                    &[
                        ("csrf", &b.csrf),
                        ("department", "traffic"),
                        ("title", title),
                        ("text", "ประชาสัมพันธ์การจราจรช่วงเทศกาล"),
                        ("channel", "website"),
                        ("when", "slot"),
                        ("intent", "submit"),
                    ],
                )
                .await;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
            let id = id_from(&a.location.unwrap());
            w.desk.app.store.announcement(id).await.unwrap().publish_at
        }
    };
    let first = slot("ช่องแรก").await;
    let second = slot("ช่องถัดไป").await;
    let now = w.clock.now();
    assert!(first >= now + crate::newsroom::schedule::SLOT_LEAD);
    assert_eq!(first.timestamp() % 3600, 0, "on a posting time");
    assert_eq!(
        second - first,
        chrono::Duration::hours(1),
        "the slot taken is skipped"
    );
    // Approving a department's item for the next free slot: the one after both.
    let sent = w.submit(&staff, "traffic", "ข่าวจากงานจราจร").await;
    let pending = id_from(&sent.location.unwrap());
    let a = w
        .post(
            &format!("/desk/announcements/{pending}/approve"),
            Some(&officer.cookie),
            &[("csrf", &officer.csrf), ("at", ""), ("when", "slot")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let approved = w.desk.app.store.announcement(pending).await.unwrap();
    assert_eq!(approved.state, "approved");
    assert_eq!(approved.publish_at - second, chrono::Duration::hours(1));

    // A repeat: weekly on Monday and Friday at 09:30, previewed with its next times.
    let repeat = [
        ("csrf", officer.csrf.as_str()),
        ("department", "traffic"),
        ("title", "ประกาศประจำสัปดาห์"),
        ("text", "ตรวจวัดแอลกอฮอล์ทุกคืนวันศุกร์"),
        ("channel", "website"),
        ("when", "repeat"),
        ("repeat", "weekly"),
        ("repeat_time", "09:30"),
        ("repeat_day", "fri"),
        ("repeat_day", "mon"),
    ];
    let p = w
        .post("/desk/compose/preview", Some(&officer.cookie), &repeat)
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("0 30 9 * * MON,FRI"), "{}", p.body);
    assert_eq!(
        p.body.matches("เวลา 09.30 น.").count(),
        3,
        "three next times"
    );
    let mut submit = repeat.to_vec();
    submit.push(("intent", "submit"));
    let made = w
        .post("/desk/compose", Some(&officer.cookie), &submit)
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("ตั้งประกาศซ้ำตามกำหนดแล้ว"));
    let rules = w.desk.app.store.rules().await.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].cron, "0 30 9 * * MON,FRI");

    // A weekly repeat without a day, a monthly one on the 31st: said, nothing made.
    let mut no_day: Vec<_> = repeat
        .iter()
        .copied()
        .filter(|(k, _)| *k != "repeat_day")
        .collect();
    no_day.push(("intent", "submit"));
    let a = w
        .post("/desk/compose", Some(&officer.cookie), &no_day)
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("ต้องเลือกอย่างน้อยหนึ่งวัน"), "{}", a.body);
    let mut monthly: Vec<_> = repeat
        .iter()
        .copied()
        .map(|(k, v)| {
            if k == "repeat" {
                (k, "monthly")
            } else {
                (k, v)
            }
        })
        .collect();
    monthly.push(("repeat_date", "31"));
    monthly.push(("intent", "submit"));
    let a = w
        .post("/desk/compose", Some(&officer.cookie), &monthly)
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("วันที่ 31 ใช้ไม่ได้"), "{}", a.body);
    assert_eq!(w.desk.app.store.rules().await.unwrap().len(), 1);

    // The monthly digest's own department is not offered to people.
    w.desk
        .app
        .store
        .add_department(
            &prakat_adapters::Department {
                code: crate::digest::announce::DEPARTMENT.into(),
                name_th: "รายงานประจำเดือน".into(),
                name_en: "Monthly digest".into(),
            },
            &crate::store::Actor::daemon("test"),
        )
        .await
        .unwrap();
    let form = w.get("/desk/compose", Some(&officer.cookie)).await;
    assert!(form.body.contains("value=\"traffic\""));
    assert!(!form.body.contains("รายงานประจำเดือน"), "{}", form.body);

    // Department staff are not offered a repeat, and cannot post one.
    let form = w.get("/desk/compose", Some(&staff.cookie)).await;
    assert!(form.body.contains("value=\"slot\""));
    assert!(!form.body.contains("value=\"repeat\""));
    let mut theirs: Vec<_> = submit
        .iter()
        .copied()
        .map(|(k, v)| {
            if k == "csrf" {
                (k, staff.csrf.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    theirs.retain(|(k, _)| *k != "intent");
    theirs.push(("intent", "submit"));
    let a = w.post("/desk/compose", Some(&staff.cookie), &theirs).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
}
mod api_more;
mod calendar;
mod drop_uploads;
