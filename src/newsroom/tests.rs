use super::*;
use crate::channels::Purpose;
use crate::settings::Settings;

async fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().join("data");
    let app = App::open_for(settings, Purpose::Compose).await.unwrap();
    (dir, app)
}

fn officer(name: &str) -> Person {
    Person {
        name: name.into(),
        role: Role::PrOfficer,
        department: None,
        source: "telegram",
    }
}

fn staff(department: &str) -> Person {
    Person {
        name: format!("staff-{department}"),
        role: Role::DepartmentStaff,
        department: Some(department.into()),
        source: "telegram",
    }
}

fn draft(department: &str, text: &str) -> Draft {
    Draft {
        department: department.into(),
        title: None,
        text: text.into(),
        link: None,
        tags: vec![],
        media: vec![],
        channels: vec!["website".into()],
        when: When::Now,
    }
}

fn recur(cron: &str) -> When {
    When::Recurring {
        cron: cron.into(),
        allow_frequent: false,
    }
}

async fn deliveries_of(app: &App, id: i64) -> usize {
    app.store
        .deliveries(&crate::store::DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

async fn pending_from_staff(app: &App) -> i64 {
    let room = Newsroom::new(app);
    match room
        .submit(
            &staff("traffic"),
            draft("traffic", "ตั้งจุดตรวจถนนสะพานปลา"),
            Utc::now(),
        )
        .await
        .unwrap()
    {
        Submitted::Pending { announcement, .. } => announcement.id,
        other => panic!("staff submissions wait for approval: {other:?}"),
    }
}

#[tokio::test]
async fn what_staff_send_waits_and_approval_queues_it_once() {
    let (_dir, app) = app().await;
    let id = pending_from_staff(&app).await;
    assert_eq!(
        deliveries_of(&app, id).await,
        0,
        "nothing is queued before approval"
    );
    let room = Newsroom::new(&app);
    assert_eq!(room.waiting(10).await.unwrap().len(), 1);

    let approved = room
        .approve(&officer("pr1"), id, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(approved.announcement.state, "approved");
    assert_eq!(approved.deliveries.len(), 1);
    assert_eq!(approved.deliveries[0].channel, "website");
    assert!(room.waiting(10).await.unwrap().is_empty());

    let again = room
        .approve(&officer("pr2"), id, None, Utc::now())
        .await
        .unwrap_err();
    let said = again.message(Lang::En);
    assert!(
        said.contains("already approved") && said.contains("telegram:pr1"),
        "{said}"
    );
    assert!(again.message(Lang::Th).contains("ได้รับอนุมัติแล้ว"));
    assert_eq!(deliveries_of(&app, id).await, 1);
}

#[tokio::test]
async fn two_officers_approving_at_once_approve_once() {
    let (_dir, app) = app().await;
    for _ in 0..5 {
        let id = pending_from_staff(&app).await;
        let room = Newsroom::new(&app);
        let (pr1, pr2) = (officer("pr1"), officer("pr2"));
        let (a, b) = tokio::join!(
            room.approve(&pr1, id, None, Utc::now()),
            room.approve(&pr2, id, None, Utc::now())
        );
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "exactly one approval: {a:?} {b:?}"
        );
        let loser = a.err().or(b.err()).unwrap();
        assert!(
            matches!(loser, NewsroomError::Store(StoreError::Decided { .. })),
            "{loser:?}"
        );
        assert_eq!(
            deliveries_of(&app, id).await,
            1,
            "one delivery, however many press"
        );
    }
}

#[tokio::test]
async fn staff_cannot_approve_nor_send_for_another_department() {
    let (_dir, app) = app().await;
    let id = pending_from_staff(&app).await;
    let room = Newsroom::new(&app);
    let e = room
        .approve(&staff("traffic"), id, None, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
    assert!(e.message(Lang::Th).contains("เจ้าหน้าที่ประชาสัมพันธ์"));
    let e = room
        .submit(
            &staff("traffic"),
            draft("investigation", "ผลการสืบสวน"),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
    let mut recurring = draft("traffic", "ประกาศประจำสัปดาห์");
    recurring.when = recur("0 0 9 * * Mon");
    let e = room
        .submit(&staff("traffic"), recurring, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
}

#[tokio::test]
async fn a_rejection_keeps_its_reason_and_ends_the_wait() {
    let (_dir, app) = app().await;
    let id = pending_from_staff(&app).await;
    let room = Newsroom::new(&app);
    let e = room.reject(&officer("pr1"), id, "  ").await.unwrap_err();
    assert!(e.message(Lang::En).contains("say why"), "{e}");
    let r = room
        .reject(&officer("pr1"), id, "ภาพมีใบหน้าผู้เยาว์")
        .await
        .unwrap();
    assert_eq!(r.state, "rejected");
    let d = r.decision.unwrap();
    assert_eq!(d.note.as_deref(), Some("ภาพมีใบหน้าผู้เยาว์"));
    assert_eq!(d.by, "telegram:pr1");
    let e = room
        .approve(&officer("pr2"), id, None, Utc::now())
        .await
        .unwrap_err();
    assert!(e.message(Lang::En).contains("already rejected"), "{e}");
    assert_eq!(deliveries_of(&app, id).await, 0);
}

#[tokio::test]
async fn the_sender_edits_and_withdraws_what_waits_and_no_one_else_does() {
    let (_dir, app) = app().await;
    let id = pending_from_staff(&app).await;
    let room = Newsroom::new(&app);
    let e = room
        .edit(&staff("prevention"), id, None, "ข้อความใหม่", Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
    let edited = room
        .edit(
            &staff("traffic"),
            id,
            Some("ตั้งจุดตรวจ\nช่วงเทศกาล"),
            "ตั้งจุดตรวจวัดแอลกอฮอล์",
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(edited.title, "ตั้งจุดตรวจ ช่วงเทศกาล");
    assert_eq!(edited.body, "ตั้งจุดตรวจวัดแอลกอฮอล์");
    let w = room.withdraw(&staff("traffic"), id).await.unwrap();
    assert_eq!(w.state, "withdrawn");
    let e = room.withdraw(&staff("traffic"), id).await.unwrap_err();
    assert!(e.message(Lang::En).contains("already withdrawn"), "{e}");
}

#[tokio::test]
async fn what_the_pr_officer_sends_is_queued_at_once() {
    let (_dir, app) = app().await;
    let room = Newsroom::new(&app);
    match room
        .submit(
            &officer("pr1"),
            draft("admin", "รับสมัครอาสาจราจร"),
            Utc::now(),
        )
        .await
        .unwrap()
    {
        Submitted::Queued {
            announcement,
            deliveries,
            ..
        } => {
            assert_eq!(announcement.state, "approved");
            assert_eq!(deliveries.len(), 1);
            let trail = app
                .store
                .audit_trail("announcement", &announcement.id.to_string())
                .await
                .unwrap();
            let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
            assert!(
                actions.contains(&"submitted") && actions.contains(&"approved"),
                "{actions:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_drafts_are_refused_before_anything_is_written() {
    let (_dir, app) = app().await;
    let room = Newsroom::new(&app);
    let pr = officer("pr1");
    let mut bad_link = draft("admin", "x");
    bad_link.link = Some("javascript:alert(1)".into());
    let mut past = draft("admin", "x");
    past.when = When::At(Utc::now() - chrono::Duration::hours(2));
    let mut bad_cron = draft("admin", "x");
    bad_cron.when = recur("0 9 * * Mon");
    let mut off = draft("admin", "x");
    off.channels = vec!["tiktok".into()];
    for (d, en, th) in [
        (
            draft("admin", "\u{0B}\u{0} "),
            "the text is empty",
            "ข้อความว่างเปล่า",
        ),
        (draft("nosuch", "x"), "unknown department", "ไม่มีหน่วยงาน"),
        (bad_link, "not a web address", "ไม่ใช่ที่อยู่เว็บ"),
        (past, "is in the past", "ผ่านมาแล้ว"),
        (bad_cron, "five fields", "นิพจน์ cron"),
        (off, "not enabled", "ไม่ได้เปิดใช้"),
    ] {
        let e = room.submit(&pr, d, Utc::now()).await.unwrap_err();
        assert!(e.message(Lang::En).contains(en), "{}", e.message(Lang::En));
        assert!(e.message(Lang::Th).contains(th), "{}", e.message(Lang::Th));
    }
    assert!(room.waiting(10).await.unwrap().is_empty());
    assert!(
        app.store
            .deliveries(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
}

/// 1 December 2026, 10:00 Bangkok (a Tuesday).
fn tuesday() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T10:00:00+07:00")
        .unwrap()
        .with_timezone(&Utc)
}

async fn weekly_rule(app: &App) -> i64 {
    let mut d = draft("admin", "งดรับของขวัญ\nสถานีตำรวจงดรับของขวัญทุกชนิด");
    d.when = recur("0 0 9 * * Mon");
    match Newsroom::new(app)
        .submit(&officer("pr1"), d, tuesday())
        .await
        .unwrap()
    {
        Submitted::Recurring { rule, next, .. } => {
            assert_eq!(next.len(), 3);
            assert_eq!(bangkok(next[0]), "2026-12-07 09:00");
            assert_eq!(bangkok(next[2]), "2026-12-21 09:00");
            rule.id
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_schedule_firing_every_second_of_a_minute_is_refused_unless_confirmed() {
    let (_dir, app) = app().await;
    let room = Newsroom::new(&app);
    let mut d = draft("admin", "ประกาศประจำสัปดาห์");
    d.when = recur("* 0 9 * * Mon");
    let e = room
        .submit(&officer("pr1"), d.clone(), tuesday())
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Refused(_)), "{e:?}");
    let en = e.message(Lang::En);
    for want in [
        "60 times",
        "one second apart",
        "2026-12-07 09:00",
        "one hour",
        "\"0 0 9 * * Mon\"",
        "--allow-frequent",
    ] {
        assert!(en.contains(want), "{want}: {en}");
    }
    let th = e.message(Lang::Th);
    assert!(th.contains("60 ครั้ง") && th.contains("1 วินาที"), "{th}");
    assert!(
        th.contains("วันที่ 7 ธันวาคม 2569 เวลา 09.00 น."),
        "Buddhist Era: {th}"
    );
    assert!(room.rules().await.unwrap().is_empty(), "nothing kept");

    d.when = When::Recurring {
        cron: "* 0 9 * * Mon".into(),
        allow_frequent: true,
    };
    assert!(matches!(
        room.submit(&officer("pr1"), d, tuesday()).await.unwrap(),
        Submitted::Recurring { .. }
    ));
}

#[tokio::test]
async fn the_minimum_interval_comes_from_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().join("data");
    settings.rules.min_interval = std::time::Duration::from_secs(60);
    let app = App::open_for(settings, Purpose::Compose).await.unwrap();
    let room = Newsroom::new(&app);
    let mut d = draft("admin", "ทุกสามสิบนาที");
    d.when = recur("0 0,30 * * * *");
    assert!(room.submit(&officer("pr1"), d, tuesday()).await.is_ok());
    let mut d = draft("admin", "ทุกสามสิบวินาที");
    d.when = recur("0,30 * * * * *");
    let e = room
        .submit(&officer("pr1"), d, tuesday())
        .await
        .unwrap_err();
    assert!(
        e.message(Lang::En).contains("30 seconds apart")
            && e.message(Lang::En).contains("once every one minute"),
        "{e}"
    );
}

#[tokio::test]
async fn a_rule_is_paused_resumed_edited_and_deleted_by_the_pr_officer_only() {
    let (_dir, app) = app().await;
    let room = Newsroom::new(&app);
    let id = weekly_rule(&app).await;
    let pr = officer("pr1");
    let e = room
        .pause_rule(&staff("traffic"), id, tuesday())
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");

    let paused = room.pause_rule(&pr, id, tuesday()).await.unwrap();
    assert!(!paused.active);
    assert!(room.rule(id, tuesday()).await.unwrap().next.is_empty());
    let e = room.pause_rule(&pr, id, tuesday()).await.unwrap_err();
    assert!(matches!(e, NewsroomError::Conflict(_)), "{e:?}");
    assert!(e.message(Lang::Th).contains("หยุดชั่วคราวอยู่แล้ว"));

    // Resumed three weeks later: from the next Monday after then, nothing missed is posted.
    let later = tuesday() + chrono::Duration::days(21);
    let resumed = room.resume_rule(&pr, id, later).await.unwrap();
    assert_eq!(bangkok(resumed.rule.next_fire_at), "2026-12-28 09:00");
    assert_eq!(bangkok(resumed.next[0]), "2026-12-28 09:00");
    let e = room.resume_rule(&pr, id, later).await.unwrap_err();
    assert!(matches!(e, NewsroomError::Conflict(_)), "{e:?}");

    let e = room
        .edit_rule(
            &pr,
            id,
            RuleChanges {
                cron: Some("*/10 0 9 * * Fri".into()),
                ..Default::default()
            },
            later,
        )
        .await
        .unwrap_err();
    assert!(e.message(Lang::En).contains("6 times"), "{e}");
    let edited = room
        .edit_rule(
            &pr,
            id,
            RuleChanges {
                cron: Some("0 30 8 * * Fri".into()),
                text: Some("งดรับของขวัญในทุกเทศกาล".into()),
                ..Default::default()
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(edited.rule.cron, "0 30 8 * * Fri");
    assert_eq!(
        edited.rule.title, "งดรับของขวัญในทุกเทศกาล",
        "title follows the first line"
    );
    let next: Vec<String> = edited.next.iter().map(|t| bangkok(*t)).collect();
    assert_eq!(
        next,
        ["2026-12-25 08:30", "2027-01-01 08:30", "2027-01-08 08:30"]
    );

    room.delete_rule(&pr, id, later).await.unwrap();
    assert!(room.rules().await.unwrap().is_empty());
    let e = room.pause_rule(&pr, id, later).await.unwrap_err();
    assert!(e.message(Lang::En).contains("not found"), "{e}");
}

#[tokio::test]
async fn the_digests_department_is_offered_to_no_one_and_refused_everywhere() {
    let (_dir, app) = app().await;
    // As the daemon's first digest leaves it: a department of its own, after the seed's.
    app.store
        .add_department(
            &prakat_adapters::Department {
                code: crate::digest::announce::DEPARTMENT.into(),
                name_th: "รายงานประจำเดือน".into(),
                name_en: "Monthly digest".into(),
            },
            &Actor::daemon("digest"),
        )
        .await
        .unwrap();
    let room = Newsroom::new(&app);
    let offered: Vec<String> = room
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.code)
        .collect();
    let seed: Vec<String> = crate::app::default_departments()
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(offered, seed, "the seed's departments, in its order");
    assert_eq!(
        app.store.departments().await.unwrap().len(),
        seed.len() + 1,
        "the store still keeps the digest's"
    );

    let said = |e: NewsroomError| {
        assert!(matches!(e, NewsroomError::Refused(_)), "{e:?}");
        let (th, en) = (e.message(Lang::Th), e.message(Lang::En));
        assert!(
            th.contains("รายงานผลการประชาสัมพันธ์ประจำเดือน") && th.contains("traffic"),
            "{th}"
        );
        assert!(!th.contains("digest,") && !th.contains(", digest"), "{th}");
        assert!(en.contains("monthly digest's own"), "{en}");
    };
    let pr = officer("pr1");
    let now = Utc::now();
    said(
        room.submit(&pr, draft("digest", "สรุปผล"), now)
            .await
            .unwrap_err(),
    );
    said(
        room.preview(&pr, &draft("digest", "สรุปผล"), now)
            .await
            .unwrap_err(),
    );
    let mut weekly = draft("digest", "สรุปผลประจำสัปดาห์");
    weekly.when = recur("0 0 9 * * Mon");
    said(room.submit(&pr, weekly, now).await.unwrap_err());
    // Department staff of it (an invite made before this rule, say) cannot send for it either.
    said(
        room.submit(&staff("digest"), draft("digest", "สรุปผล"), now)
            .await
            .unwrap_err(),
    );
    said(
        room.invite(
            &pr,
            Role::DepartmentStaff,
            Some("digest"),
            chrono::Duration::days(1),
            now,
        )
        .await
        .unwrap_err(),
    );
    assert!(room.waiting(10).await.unwrap().is_empty());
    assert!(room.rules().await.unwrap().is_empty());
    assert!(
        app.store
            .deliveries(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    // An unknown department's refusal does not offer the digest's.
    let e = room
        .submit(&pr, draft("nosuch", "x"), now)
        .await
        .unwrap_err();
    assert!(
        !e.message(Lang::En).contains("digest"),
        "{}",
        e.message(Lang::En)
    );
}

#[tokio::test]
async fn a_department_is_added_once_with_a_valid_code_and_never_as_the_digests() {
    let (_dir, app) = app().await;
    let room = Newsroom::new(&app);
    let admin = Actor::person("cli", "somchai", "admin");
    let added = room
        .add_department(" community ", "งานชุมชน\nสัมพันธ์", "Community", &admin)
        .await
        .unwrap();
    assert_eq!(added.code, "community");
    assert_eq!(added.name_th, "งานชุมชน สัมพันธ์", "names are kept on one line");
    assert!(
        room.departments()
            .await
            .unwrap()
            .iter()
            .any(|d| d.code == "community")
    );

    let again = room
        .add_department("community", "x", "y", &admin)
        .await
        .unwrap_err();
    assert!(matches!(again, NewsroomError::Conflict(_)), "{again}");

    let digest = room
        .add_department(crate::digest::announce::DEPARTMENT, "x", "y", &admin)
        .await
        .unwrap_err();
    assert!(matches!(digest, NewsroomError::Refused(_)), "{digest}");
    assert!(digest.message(Lang::Th).contains("รหัสอื่น"), "{digest}");

    for bad in ["", "Bad Code", "สายตรวจ", &"a".repeat(33)] {
        let e = room
            .add_department(bad, "x", "y", &admin)
            .await
            .unwrap_err();
        assert!(matches!(e, NewsroomError::Refused(_)), "{bad:?}: {e}");
    }
    let e = room
        .add_department("traffic2", " ", "Traffic", &admin)
        .await
        .unwrap_err();
    assert!(matches!(e, NewsroomError::Refused(_)), "{e}");
    // Nothing refused was written.
    let codes = room.known_departments().await.unwrap();
    assert!(
        !codes.split(", ").any(|c| c == "traffic2" || c == "digest"),
        "{codes}"
    );
}
