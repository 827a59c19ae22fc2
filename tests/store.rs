//! The `Store` conformance suite: every backend must pass the same stories.
//!
//! Each story is a generic `async fn story<S: Store>(store: &S)` working on an empty, migrated
//! store; the `backend!` macro at the end runs them all on one implementation. A PostgreSQL
//! store adds one `backend!` line with a function that opens a fresh database.
//!
//! Times are given to the store explicitly wherever the trait takes a `now`, and are whole
//! milliseconds: that is the resolution every backend keeps.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Result, ensure};
use chrono::{DateTime, Utc};
use prakat::compose::{ComposeError, Composed};
use prakat::store::{
    Actor, AmendAction, AmendOutcome, AnnouncementEdit, AnnouncementRecord, AnnouncementRetraction,
    ClaimedDelivery, DeliveryFilter, DeliveryGlance, DeliveryRow, DeliveryState, NewAnnouncement,
    NewDelivery, NewRule, Outcome, PageViews, ReachDue, ReachQuery, ReachRetry, ReachSlot,
    RuleEdit, RulePause, Settlement, SqliteStore, Store, StoreError,
};
use prakat_adapters::{Department, Draft, Payload, ReachSample, Receipt};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Now, at the store's resolution.
fn now_ms() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).expect("valid time")
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

fn pr_officer() -> Actor {
    Actor::person("cli", "somchai", "pr_officer")
}

const TRAFFIC_TH: &str = "งานจราจร";

async fn seed<S: Store>(store: &S) -> Result<()> {
    let actor = Actor::daemon("system:seed");
    for (code, th, en) in [
        ("traffic", TRAFFIC_TH, "Traffic"),
        ("prevention", "งานป้องกันปราบปราม", "Crime prevention"),
    ] {
        store
            .add_department(
                &Department {
                    code: code.into(),
                    name_th: th.into(),
                    name_en: en.into(),
                },
                &actor,
            )
            .await?;
    }
    Ok(())
}

fn new_announcement(department: &str, publish_at: DateTime<Utc>) -> NewAnnouncement {
    NewAnnouncement {
        channels: Vec::new(),
        department: department.into(),
        title: "ปิดการจราจรชั่วคราว ถนนท่าเมือง".into(),
        body: "สถานีตำรวจภูธรเมืองระนองขอปิดการจราจรชั่วคราว เวลา 06.00–09.00 น.\n\nขออภัยในความไม่สะดวก"
            .into(),
        link: Some("https://example.go.th/traffic/1".into()),
        tags: vec!["จราจร".into(), "road".into()],
        media: vec![],
        source: "cli".into(),
        publish_at,
    }
}

/// What a channel would send for `a`: its draft, unchanged, with a note so the round trip
/// covers every field.
fn payload_for(channel: &str, a: &AnnouncementRecord) -> Payload {
    let draft = Draft {
        announcement_id: a.id,
        department: a.department.clone(),
        title: a.title.clone(),
        text: format!("{}\n\n{}", a.title, a.body),
        media: a.media.clone(),
        link: a.link.clone(),
        published_at: a.publish_at,
        tags: a.tags.clone(),
    };
    let mut p = Payload::from_draft(channel, &draft);
    p.notes.push(format!("ตัดข้อความสำหรับ {channel}"));
    p
}

/// A compose callback: one delivery per channel, due at `due`.
fn compose(
    channels: &[&str],
    due: DateTime<Utc>,
) -> impl Fn(&AnnouncementRecord) -> Result<Composed, ComposeError> + Send + Sync + use<> {
    let channels: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
    move |a: &AnnouncementRecord| {
        Ok(channels
            .iter()
            .map(|c| NewDelivery {
                channel: c.clone(),
                payload: payload_for(c, a),
                due_at: due,
                idempotency_key: format!("a{}-{c}", a.id),
            })
            .collect::<Vec<_>>()
            .into())
    }
}

async fn announce<S: Store>(
    store: &S,
    channels: &[&str],
    due: DateTime<Utc>,
) -> Result<(AnnouncementRecord, Vec<DeliveryRow>)> {
    Ok(store
        .create_announcement(
            &new_announcement("traffic", due),
            &compose(channels, due),
            &pr_officer(),
        )
        .await?)
}

/// Every delivery, all states.
async fn all_deliveries<S: Store>(store: &S) -> Result<Vec<DeliveryRow>> {
    Ok(store.deliveries(&DeliveryFilter::default()).await?)
}

/// How many announcements a rule has created.
async fn announcements_of_rule<S: Store>(store: &S, rule_id: i64) -> Result<usize> {
    let mut ids: Vec<i64> = all_deliveries(store)
        .await?
        .iter()
        .map(|d| d.announcement_id)
        .collect();
    ids.sort();
    ids.dedup();
    let mut n = 0;
    for id in ids {
        if store.announcement(id).await?.rule_id == Some(rule_id) {
            n += 1;
        }
    }
    Ok(n)
}

async fn actions<S: Store>(store: &S, entity: &str, id: impl ToString) -> Result<Vec<String>> {
    Ok(store
        .audit_trail(entity, &id.to_string())
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect())
}

fn ids(claimed: &[ClaimedDelivery]) -> Vec<i64> {
    let mut v: Vec<i64> = claimed.iter().map(|c| c.id).collect();
    v.sort();
    v
}

const LEASE: Duration = Duration::from_secs(60);

/// Claim every due delivery at `now` for `owner` with the usual lease.
async fn claim<S: Store>(
    store: &S,
    now: DateTime<Utc>,
    owner: &str,
) -> Result<Vec<ClaimedDelivery>> {
    Ok(store.claim_due(now, owner, LEASE, 100).await?)
}

/// Settle delivery `id` for the claim `claim` (its token).
async fn settle_one<S: Store>(
    store: &S,
    now: DateTime<Utc>,
    id: i64,
    claim: i64,
    outcome: Outcome,
) -> Result<usize> {
    Ok(store
        .settle(
            "test",
            now,
            &[Settlement {
                delivery_id: id,
                claim,
                outcome,
            }],
        )
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Corrections

fn edit_of(
    a: &AnnouncementRecord,
    rows: &[DeliveryRow],
    from: u32,
    text: &str,
    at: DateTime<Utc>,
) -> AnnouncementEdit {
    let mut changed = a.clone();
    changed.title = format!("{} (แก้ไข)", a.title);
    changed.body = text.into();
    AnnouncementEdit {
        id: a.id,
        from_revision: from,
        title: changed.title.clone(),
        body: changed.body.clone(),
        media: None,
        payloads: rows
            .iter()
            .map(|d| (d.id, payload_for(&d.channel, &changed)))
            .collect(),
        at,
    }
}

async fn an_edit_changes_what_is_not_out_in_place_and_amends_what_is_out<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (a, rows) = announce(store, &["website", "line", "outbox"], t0).await?;
    // website published, line being sent, outbox still queued.
    let claimed = claim(store, t0, "w").await?;
    let website = claimed.iter().find(|c| c.channel == "website").unwrap();
    settle_one(
        store,
        t0,
        website.id,
        website.claim,
        Outcome::Published(Receipt {
            remote_id: Some(a.id.to_string()),
            url: Some("http://site/news/1.html".into()),
            ..Default::default()
        }),
    )
    .await?;
    let outbox = claimed.iter().find(|c| c.channel == "outbox").unwrap();
    settle_one(
        store,
        t0,
        outbox.id,
        outbox.claim,
        Outcome::Retry {
            at: t0 + secs(600),
            error: "down".into(),
            class: "transient".into(),
            count_attempt: true,
            unsettled: false,
        },
    )
    .await?;

    let done = store
        .edit_announcement(
            &edit_of(&a, &rows, 0, "ข้อความใหม่", t0 + secs(1)),
            &pr_officer(),
        )
        .await?;
    ensure!(done.revision == 1);
    ensure!(
        done.in_place
            .iter()
            .map(|(_, c)| c.as_str())
            .collect::<Vec<_>>()
            == ["outbox"],
        "{:?}",
        done.in_place
    );
    let mut amended: Vec<&str> = done.amendments.iter().map(|m| m.channel.as_str()).collect();
    amended.sort();
    ensure!(amended == ["line", "website"], "{amended:?}");
    ensure!(
        done.amendments
            .iter()
            .all(|m| m.state == "waiting" && m.action == AmendAction::Edit)
    );
    // Every delivery carries the new text from now on.
    for d in all_deliveries(store).await? {
        ensure!(
            d.payload.text.contains("ข้อความใหม่"),
            "{}: {}",
            d.channel,
            d.payload.text
        );
    }
    let record = store.announcement(a.id).await?;
    ensure!(record.body == "ข้อความใหม่" && record.revision.number == 1);
    ensure!(record.revision.edited_at == Some(t0 + secs(1)));
    // The trail keeps the old and the new text.
    let trail = store.audit_trail("announcement", &a.id.to_string()).await?;
    let edited = trail
        .iter()
        .find(|e| e.action == "edited")
        .expect("an edited line");
    ensure!(edited.detail["old"]["body"].as_str() == Some(a.body.as_str()));
    ensure!(edited.detail["new"]["body"].as_str() == Some("ข้อความใหม่"));

    // An edit made from the old revision is refused: it would undo this one.
    let stale = store
        .edit_announcement(&edit_of(&a, &rows, 0, "อีกแบบ", t0 + secs(2)), &pr_officer())
        .await;
    ensure!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    // A second edit replaces the first one's waiting amendments.
    let second = store
        .edit_announcement(
            &edit_of(&a, &rows, 1, "ครั้งที่สอง", t0 + secs(3)),
            &pr_officer(),
        )
        .await?;
    ensure!(second.revision == 2 && second.amendments.len() == 2);
    let all = store.amendments(a.id).await?;
    ensure!(
        all.iter().filter(|m| m.state == "superseded").count() == 2,
        "{all:?}"
    );
    ensure!(all.iter().filter(|m| m.state == "waiting").count() == 2);
    Ok(())
}

async fn a_retraction_cancels_what_is_not_out_and_is_never_claimed_again<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (a, rows) = announce(store, &["website", "line", "outbox"], t0).await?;
    let claimed = claim(store, t0, "w").await?;
    let by = |c: &str| claimed.iter().find(|x| x.channel == c).unwrap().clone();
    let website = by("website");
    settle_one(
        store,
        t0,
        website.id,
        website.claim,
        Outcome::Published(Receipt::default()),
    )
    .await?;
    // line: its answer was lost (it may have reached LINE); outbox: failed cleanly.
    let line = by("line");
    settle_one(
        store,
        t0,
        line.id,
        line.claim,
        Outcome::Retry {
            at: t0 + secs(600),
            error: "lost".into(),
            class: "ambiguous".into(),
            count_attempt: true,
            unsettled: true,
        },
    )
    .await?;
    let outbox = by("outbox");
    settle_one(
        store,
        t0,
        outbox.id,
        outbox.claim,
        Outcome::Retry {
            at: t0 + secs(600),
            error: "down".into(),
            class: "transient".into(),
            count_attempt: true,
            unsettled: false,
        },
    )
    .await?;

    let r = AnnouncementRetraction {
        id: a.id,
        reason: "ชื่อผิด".into(),
        at: t0 + secs(1),
    };
    let done = store.retract_announcement(&r, &pr_officer()).await?;
    ensure!(
        done.in_place
            .iter()
            .map(|(_, c)| c.as_str())
            .collect::<Vec<_>>()
            == ["outbox"]
    );
    let mut amended: Vec<&str> = done.amendments.iter().map(|m| m.channel.as_str()).collect();
    amended.sort();
    ensure!(
        amended == ["line", "website"],
        "the unsettled one is looked for: {amended:?}"
    );
    let states: BTreeMap<String, DeliveryState> = all_deliveries(store)
        .await?
        .into_iter()
        .map(|d| (d.channel, d.state))
        .collect();
    ensure!(states["website"] == DeliveryState::Published);
    ensure!(
        states["line"] == DeliveryState::Cancelled && states["outbox"] == DeliveryState::Cancelled
    );
    let record = store.announcement(a.id).await?;
    ensure!(record.state == "retracted");
    ensure!(
        record
            .revision
            .retracted
            .as_ref()
            .map(|r| r.reason.as_str())
            == Some("ชื่อผิด")
    );
    // Nothing of it is claimed again, retried, edited or retracted twice.
    ensure!(claim(store, t0 + secs(3600), "w").await?.is_empty());
    let retry = store
        .retry_delivery(
            rows.iter().find(|d| d.channel == "outbox").unwrap().id,
            t0 + secs(2),
            &pr_officer(),
        )
        .await;
    ensure!(matches!(retry, Err(StoreError::Conflict(_))), "{retry:?}");
    ensure!(matches!(
        store.retract_announcement(&r, &pr_officer()).await,
        Err(StoreError::Conflict(_))
    ));
    ensure!(matches!(
        store
            .edit_announcement(&edit_of(&a, &rows, 1, "x", t0), &pr_officer())
            .await,
        Err(StoreError::Conflict(_))
    ));
    ensure!(
        actions(store, "announcement", a.id)
            .await?
            .contains(&"retracted".to_string())
    );
    Ok(())
}

async fn amendments_are_claimed_in_order_per_delivery_and_fenced<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (a, rows) = announce(store, &["website"], t0).await?;
    let c = claim(store, t0, "w").await?.remove(0);
    settle_one(
        store,
        t0,
        c.id,
        c.claim,
        Outcome::Published(Receipt::default()),
    )
    .await?;
    store
        .edit_announcement(&edit_of(&a, &rows, 0, "หนึ่ง", t0), &pr_officer())
        .await?;
    let first = store.claim_amendments(t0, "w1", LEASE, 10).await?;
    ensure!(first.len() == 1 && first[0].payload.as_ref().unwrap().text.contains("หนึ่ง"));
    ensure!(first[0].target.state == "published" && !first[0].target.leased);
    // A second edit while the first is being carried out waits for it.
    store
        .edit_announcement(&edit_of(&a, &rows, 1, "สอง", t0), &pr_officer())
        .await?;
    ensure!(
        store
            .claim_amendments(t0, "w2", LEASE, 10)
            .await?
            .is_empty()
    );
    // Its lease runs out: claimed again, and the first claim can no longer write.
    let later = t0 + secs(61);
    let again = store.claim_amendments(later, "w2", LEASE, 10).await?;
    ensure!(
        again.len() == 1 && again[0].row.id == first[0].row.id && again[0].claim > first[0].claim
    );
    let done = AmendOutcome::Done {
        note: "edited".into(),
        url: Some("http://site/new".into()),
    };
    ensure!(
        !store
            .settle_amendment(&first[0], &done, later, "w1")
            .await?,
        "fenced"
    );
    ensure!(
        store
            .settle_amendment(&again[0], &done, later, "w2")
            .await?
    );
    // Now the second edit's turn.
    let second = store.claim_amendments(later, "w2", LEASE, 10).await?;
    ensure!(second.len() == 1 && second[0].payload.as_ref().unwrap().text.contains("สอง"));
    let left = AmendOutcome::ByHand {
        what: "no_edit_api".into(),
    };
    ensure!(
        store
            .settle_amendment(&second[0], &left, later, "w2")
            .await?
    );
    let rows = store.amendments(a.id).await?;
    ensure!(
        rows.iter().map(|m| m.state.as_str()).collect::<Vec<_>>() == ["done", "by_hand"],
        "{rows:?}"
    );
    ensure!(store.delivery(c.id).await?.remote_url.as_deref() == Some("http://site/new"));
    // Left to a person: an event.
    let events = store.events_after(0, 1000).await?;
    ensure!(events.iter().any(|e| e.action == "correction_by_hand"));
    ensure!(
        store
            .claim_amendments(later + secs(600), "w2", LEASE, 10)
            .await?
            .is_empty()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Announcements

async fn create_announcement_writes_announcement_deliveries_and_audit<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let due = now_ms() + secs(300);
    let (a, rows) = announce(store, &["website", "line"], due).await?;

    let stored = store.announcement(a.id).await?;
    assert_eq!(stored.department.code, "traffic");
    assert_eq!(stored.department.name_th, TRAFFIC_TH);
    assert_eq!(stored.title, "ปิดการจราจรชั่วคราว ถนนท่าเมือง");
    assert_eq!(stored.body, a.body);
    assert_eq!(
        stored.link.as_deref(),
        Some("https://example.go.th/traffic/1")
    );
    assert_eq!(stored.tags, vec!["จราจร".to_string(), "road".to_string()]);
    assert_eq!(stored.author, "cli:somchai");
    assert_eq!(stored.source, "cli");
    assert_eq!(stored.publish_at, due);
    assert_eq!(stored.rule_id, None);

    assert_eq!(rows.len(), 2);
    let listed = store
        .deliveries(&DeliveryFilter {
            announcement_id: Some(a.id),
            ..Default::default()
        })
        .await?;
    assert_eq!(listed.len(), 2);
    for d in &listed {
        assert_eq!(d.state, DeliveryState::Queued);
        assert_eq!(d.due_at, due);
        assert_eq!(d.next_attempt_at, due);
        assert_eq!(d.attempts, 0);
        assert!(!d.unsettled);
        assert_eq!(d.department, "traffic");
        assert_eq!(d.title, a.title);
        assert_eq!(d.idempotency_key, format!("a{}-{}", a.id, d.channel));
        assert_eq!(
            d.payload,
            payload_for(&d.channel, &stored),
            "the payload round-trips unchanged"
        );
        assert!(d.remote_id.is_none() && d.last_error.is_none() && d.published_at.is_none());
        let same = store.delivery(d.id).await?;
        assert_eq!(same.payload, d.payload);
        assert!(rows.iter().any(|r| r.id == d.id && r.channel == d.channel));
        assert_eq!(actions(store, "delivery", d.id).await?, vec!["queued"]);
    }
    let mut channels: Vec<&str> = listed.iter().map(|d| d.channel.as_str()).collect();
    channels.sort();
    assert_eq!(channels, vec!["line", "website"]);

    let trail = store.audit_trail("announcement", &a.id.to_string()).await?;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0].action, "created");
    assert_eq!(trail[0].actor, "cli:somchai");
    assert_eq!(trail[0].role.as_deref(), Some("pr_officer"));
    assert_eq!(trail[0].detail["department"], "traffic");
    Ok(())
}

async fn failed_compose_writes_nothing<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let refuse = |_: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        Err(ComposeError::UnknownChannel(
            "tiktok".into(),
            "website".into(),
        ))
    };
    let err = store
        .create_announcement(
            &new_announcement("traffic", now_ms()),
            &refuse,
            &pr_officer(),
        )
        .await
        .expect_err("compose failed, so must the creation");
    assert!(matches!(err, StoreError::Compose(_)), "{err:?}");

    // Half of the channels composing is no better.
    let half = |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        let _ = compose(&["website"], a.publish_at)(a)?;
        Err(ComposeError::UnknownChannel(
            "line".into(),
            "website".into(),
        ))
    };
    assert!(
        store
            .create_announcement(&new_announcement("traffic", now_ms()), &half, &pr_officer())
            .await
            .is_err()
    );

    assert!(all_deliveries(store).await?.is_empty());
    assert!(store.delivery_counts().await?.is_empty());
    for id in 1..=3 {
        assert!(
            matches!(store.announcement(id).await, Err(StoreError::NotFound(_))),
            "announcement {id} exists"
        );
        assert!(
            store
                .audit_trail("announcement", &id.to_string())
                .await?
                .is_empty()
        );
    }

    // The store is still usable, and the next announcement gets a clean start.
    let (a, rows) = announce(store, &["website"], now_ms()).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(store.announcement(a.id).await?.id, a.id);
    Ok(())
}

async fn unknown_department_is_not_found_and_writes_nothing<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let due = now_ms();
    let err = store
        .create_announcement(
            &new_announcement("narcotics", due),
            &compose(&["website"], due),
            &pr_officer(),
        )
        .await
        .expect_err("no such department");
    assert!(
        matches!(&err, StoreError::NotFound(what) if what.contains("narcotics")),
        "{err:?}"
    );
    assert!(all_deliveries(store).await?.is_empty());
    assert!(
        store.next_wake_at().await?.is_none(),
        "nothing queued, nothing to wake for"
    );
    Ok(())
}

async fn departments_are_listed_and_unique<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let codes: Vec<String> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.contains(&"traffic".to_string()) && codes.contains(&"prevention".to_string()));
    assert_eq!(
        store.department("traffic").await?.map(|d| d.name_th),
        Some(TRAFFIC_TH.to_string())
    );
    assert!(store.department("narcotics").await?.is_none());
    let again = Department {
        code: "traffic".into(),
        name_th: "ซ้ำ".into(),
        name_en: "Again".into(),
    };
    let err = store
        .add_department(&again, &pr_officer())
        .await
        .expect_err("duplicate code");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.department("traffic").await?.map(|d| d.name_th),
        Some(TRAFFIC_TH.to_string())
    );
    assert_eq!(
        actions(store, "department", "traffic").await?,
        vec!["created"]
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Claims and leases

async fn claim_takes_only_due_deliveries_up_to_the_limit<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let mut due_now = Vec::new();
    for _ in 0..3 {
        let (_, rows) = announce(store, &["website"], t0 - secs(10)).await?;
        due_now.push(rows[0].id);
    }
    let (_, later) = announce(store, &["website"], t0 + secs(30)).await?;
    let future = later[0].id;

    let first = store.claim_due(t0, "a", LEASE, 2).await?;
    assert_eq!(first.len(), 2, "the limit holds");
    for c in &first {
        assert!(
            due_now.contains(&c.id),
            "claimed a delivery that is not due: {c:?}"
        );
        assert_eq!(c.attempt, 1);
        assert!(!c.unsettled);
        assert_eq!(c.due_at, t0 - secs(10));
        assert_eq!(c.channel, "website");
        let row = store.delivery(c.id).await?;
        assert_eq!(row.state, DeliveryState::InFlight);
        assert_eq!(row.attempts, 1, "a claim counts an attempt");
        assert_eq!(c.payload, row.payload);
        assert_eq!(c.idempotency_key, row.idempotency_key);
        assert_eq!(
            actions(store, "delivery", c.id).await?,
            vec!["queued", "claimed"]
        );
    }

    // The rest that is due; never the future one, never one already in flight.
    let second = claim(store, t0 + secs(1), "b").await?;
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(due_now.contains(&second[0].id) && !ids(&first).contains(&second[0].id));
    assert!(
        claim(store, t0 + secs(2), "c").await?.is_empty(),
        "leases still run: nothing to claim"
    );
    let row = store.delivery(future).await?;
    assert_eq!((row.state, row.attempts), (DeliveryState::Queued, 0));

    // The future one is claimed once its time has come (the leases above still run).
    let at_due = claim(store, t0 + secs(30), "c").await?;
    assert_eq!(ids(&at_due), vec![future]);
    Ok(())
}

async fn settle_published_stores_the_receipt<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["line"], t0).await?;
    let id = rows[0].id;
    assert_eq!(ids(&claim(store, t0, "a").await?), vec![id]);
    let receipt = Receipt {
        remote_id: Some("post-123".into()),
        url: Some("https://line.me/R/home/public/post?id=123".into()),
        request_id: Some("req-abc".into()),
        deduplicated: false,
    };
    let published_at = t0 + secs(2);
    assert_eq!(
        settle_one(store, published_at, id, 1, Outcome::Published(receipt)).await?,
        1
    );
    let row = store.delivery(id).await?;
    assert_eq!(row.state, DeliveryState::Published);
    assert_eq!(row.remote_id.as_deref(), Some("post-123"));
    assert_eq!(
        row.remote_url.as_deref(),
        Some("https://line.me/R/home/public/post?id=123")
    );
    assert_eq!(row.request_id.as_deref(), Some("req-abc"));
    assert_eq!(row.published_at, Some(published_at));
    assert_eq!(row.attempts, 1);
    let trail = store.audit_trail("delivery", &id.to_string()).await?;
    let last = trail.last().expect("audited");
    assert_eq!(last.action, "published");
    assert_eq!(last.detail["remote_id"], "post-123");

    // Published is final: nothing claims it again, even much later.
    assert!(claim(store, t0 + secs(86_400), "b").await?.is_empty());
    Ok(())
}

async fn publish_state_is_saved_for_the_next_attempt_and_fenced<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["youtube"], t0).await?;
    let id = rows[0].id;
    let lease = Duration::from_secs(10);
    let first = store.claim_due(t0, "a", lease, 10).await?;
    assert_eq!(first[0].saved_state, None);
    assert!(
        store
            .save_publish_state(id, first[0].claim, "https://upload.example/session/1")
            .await?
    );
    assert!(
        !store
            .save_publish_state(id, first[0].claim + 1, "not b's to write")
            .await?,
        "no claim 2 exists yet"
    );
    // a dies; b resumes with what a saved.
    let taken = store.claim_due(t0 + secs(11), "b", lease, 10).await?;
    assert_eq!(
        taken[0].saved_state.as_deref(),
        Some("https://upload.example/session/1")
    );
    assert!(
        !store
            .save_publish_state(id, first[0].claim, "late write from a")
            .await?,
        "a's claim was superseded"
    );
    assert!(
        store
            .save_publish_state(id, taken[0].claim, "https://upload.example/session/2")
            .await?
    );
    Ok(())
}

async fn settle_is_fenced_by_the_claim<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["website"], t0).await?;
    let id = rows[0].id;
    let lease = Duration::from_secs(10);
    assert_eq!(store.claim_due(t0, "a", lease, 10).await?.len(), 1);
    // Not yet expired: nobody else gets it.
    assert!(
        store
            .claim_due(t0 + secs(9), "b", lease, 10)
            .await?
            .is_empty()
    );

    // a hangs past its lease; b takes the delivery over.
    let taken = store.claim_due(t0 + secs(11), "b", lease, 10).await?;
    assert_eq!(ids(&taken), vec![id]);
    assert!(
        taken[0].unsettled,
        "a's attempt may have reached the platform"
    );
    assert_eq!(taken[0].attempt, 2);

    // a wakes up and reports: skipped, b's state stands.
    let late = Outcome::Published(Receipt {
        remote_id: Some("from-a".into()),
        ..Default::default()
    });
    assert_eq!(
        settle_one(store, t0 + secs(12), id, 1, late).await?,
        0,
        "a's claim was superseded by b's"
    );
    let row = store.delivery(id).await?;
    assert_eq!(row.state, DeliveryState::InFlight);
    assert!(row.remote_id.is_none());
    assert!(row.unsettled);

    // A settlement for a delivery nobody claimed is skipped too.
    let (_, other) = announce(store, &["line"], t0 + secs(3600)).await?;
    let stray = Outcome::Failed {
        error: "x".into(),
        class: "transient".into(),
    };
    assert_eq!(
        settle_one(store, t0 + secs(12), other[0].id, 1, stray).await?,
        0
    );
    assert_eq!(
        store.delivery(other[0].id).await?.state,
        DeliveryState::Queued
    );

    let ok = Outcome::Published(Receipt {
        remote_id: Some("from-b".into()),
        ..Default::default()
    });
    assert_eq!(
        settle_one(store, t0 + secs(13), id, taken[0].claim, ok).await?,
        1
    );
    let row = store.delivery(id).await?;
    assert_eq!(
        (row.state, row.remote_id.as_deref()),
        (DeliveryState::Published, Some("from-b"))
    );
    let published = store.audit_trail("delivery", &id.to_string()).await?;
    assert_eq!(
        published.iter().filter(|e| e.action == "published").count(),
        1,
        "only b's settlement is audited"
    );
    Ok(())
}

async fn released_orphaned_leases_are_claimable_now_and_unsettled<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["website", "outbox"], t0).await?;
    assert_eq!(
        store
            .claim_due(t0, "dead", Duration::from_secs(600), 10)
            .await?
            .len(),
        2
    );
    assert!(
        claim(store, t0 + secs(1), "new").await?.is_empty(),
        "leases still run"
    );
    assert_eq!(store.next_wake_at().await?, Some(t0 + secs(600)));

    let actor = Actor::daemon("dispatcher:new");
    assert_eq!(
        store.release_orphaned_leases(t0 + secs(1), &actor).await?,
        2
    );
    assert_eq!(
        store.release_orphaned_leases(t0 + secs(1), &actor).await?,
        0,
        "nothing left to release"
    );
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(1)),
        "released leases are due now"
    );
    let resumed = claim(store, t0 + secs(1), "new").await?;
    assert_eq!(ids(&resumed), ids_of_rows(&rows));
    for c in &resumed {
        assert!(c.unsettled, "the dead daemon may have published: {c:?}");
        assert_eq!(c.attempt, 2);
    }
    assert_eq!(
        actions(store, "delivery", "*").await?,
        vec!["released_leases"]
    );
    Ok(())
}

fn ids_of_rows(rows: &[DeliveryRow]) -> Vec<i64> {
    let mut v: Vec<i64> = rows.iter().map(|r| r.id).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Settling failures

async fn retry_outcomes_requeue_and_count_attempts_as_told<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["facebook", "line"], t0).await?;
    let (fb, line) = (rows[0].id, rows[1].id);
    assert_eq!(claim(store, t0, "a").await?.len(), 2);

    let wait = |at: DateTime<Utc>, count_attempt: bool, unsettled: bool| Outcome::Retry {
        at,
        error: "rate limited, retry after 30s: (#32) Page request limit reached".into(),
        class: "retry_after".into(),
        count_attempt,
        unsettled,
    };
    let n = store
        .settle(
            "a",
            t0 + secs(1),
            &[
                Settlement {
                    delivery_id: fb,
                    claim: 1,
                    outcome: wait(t0 + secs(30), false, false),
                },
                Settlement {
                    delivery_id: line,
                    claim: 1,
                    outcome: wait(t0 + secs(40), true, true),
                },
            ],
        )
        .await?;
    assert_eq!(n, 2);

    let row = store.delivery(fb).await?;
    assert_eq!(row.state, DeliveryState::Queued);
    assert_eq!(
        row.attempts, 0,
        "a wait the platform asked for is not the delivery's attempt"
    );
    assert_eq!(row.next_attempt_at, t0 + secs(30));
    assert_eq!(
        row.due_at, t0,
        "the due time is history, not the next attempt"
    );
    assert_eq!(
        row.last_error.as_deref(),
        Some("rate limited, retry after 30s: (#32) Page request limit reached")
    );
    assert_eq!(row.last_error_class.as_deref(), Some("retry_after"));
    assert!(!row.unsettled);

    let row = store.delivery(line).await?;
    assert_eq!(
        (row.state, row.attempts, row.unsettled),
        (DeliveryState::Queued, 1, true)
    );
    assert_eq!(row.next_attempt_at, t0 + secs(40));

    // Not before its time; then the attempt numbers continue.
    assert!(claim(store, t0 + secs(29), "a").await?.is_empty());
    let again = claim(store, t0 + secs(30), "a").await?;
    assert_eq!(ids(&again), vec![fb]);
    assert_eq!(again[0].attempt, 1);
    let again = claim(store, t0 + secs(40), "a").await?;
    assert_eq!(ids(&again), vec![line]);
    assert_eq!(again[0].attempt, 2);
    assert!(
        again[0].unsettled,
        "an ambiguous outcome stays unsettled until published"
    );
    assert!(
        actions(store, "delivery", fb)
            .await?
            .contains(&"retry".to_string())
    );
    Ok(())
}

/// A platform or a proxy that echoes a token back in its error: the stored error, the audit
/// trail and what `queue list` shows never carry it.
async fn a_secret_echoed_in_an_error_is_never_stored<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let token = "EAAGm0PX4ZCpsBAKZCstoredNever42";
    let _ = prakat_adapters::Secret::new(token); // read from the settings, as a channel does
    let t0 = now_ms();
    let (_, rows) = announce(store, &["facebook", "line"], t0).await?;
    assert_eq!(claim(store, t0, "a").await?.len(), 2);
    let echoed = format!("proxy error: upstream refused token {token} (bad request)");
    let settled = store
        .settle(
            "a",
            t0 + secs(1),
            &[
                Settlement {
                    delivery_id: rows[0].id,
                    claim: 1,
                    outcome: Outcome::NeedsAttention {
                        error: echoed.clone(),
                        class: "rejected".into(),
                    },
                },
                Settlement {
                    delivery_id: rows[1].id,
                    claim: 1,
                    outcome: Outcome::Retry {
                        at: t0 + secs(60),
                        error: echoed.clone(),
                        class: "transient".into(),
                        count_attempt: true,
                        unsettled: false,
                    },
                },
            ],
        )
        .await?;
    assert_eq!(settled, 2);
    for row in &rows {
        let stored = store.delivery(row.id).await?;
        let err = stored.last_error.unwrap_or_default();
        ensure!(!err.contains(token), "stored: {err}");
        ensure!(err.contains("upstream refused token [redacted]"), "{err}");
        let trail = store.audit_trail("delivery", &row.id.to_string()).await?;
        for entry in trail {
            ensure!(
                !entry.detail.to_string().contains(token),
                "audited: {}",
                entry.detail
            );
        }
    }
    Ok(())
}

async fn parked_outcomes_keep_the_error_whole<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(store, &["facebook", "youtube"], t0).await?;
    let (fb, yt) = (rows[0].id, rows[1].id);
    assert_eq!(claim(store, t0, "a").await?.len(), 2);
    let rejected =
        "rejected by the platform: (#368) เนื้อหานี้ละเมิดมาตรฐานชุมชน — \"policy block\" \n line two";
    let gave_up = format!(
        "temporary failure: 503 บริการไม่พร้อมใช้งาน{} (gave up after 8 attempts)",
        "ก".repeat(3000)
    );
    let n = store
        .settle(
            "a",
            t0 + secs(1),
            &[
                Settlement {
                    delivery_id: fb,
                    claim: 1,
                    outcome: Outcome::NeedsAttention {
                        error: rejected.into(),
                        class: "rejected".into(),
                    },
                },
                Settlement {
                    delivery_id: yt,
                    claim: 1,
                    outcome: Outcome::Failed {
                        error: gave_up.clone(),
                        class: "transient".into(),
                    },
                },
            ],
        )
        .await?;
    assert_eq!(n, 2);
    let row = store.delivery(fb).await?;
    assert_eq!(row.state, DeliveryState::NeedsAttention);
    assert_eq!(row.last_error.as_deref(), Some(rejected));
    assert_eq!(row.last_error_class.as_deref(), Some("rejected"));
    let row = store.delivery(yt).await?;
    assert_eq!(row.state, DeliveryState::Failed);
    assert_eq!(
        row.last_error.as_deref(),
        Some(gave_up.as_str()),
        "kept whole, however long"
    );
    assert_eq!(row.last_error_class.as_deref(), Some("transient"));
    let trail = store.audit_trail("delivery", &fb.to_string()).await?;
    assert_eq!(
        trail.last().map(|e| e.detail["error"].as_str()),
        Some(Some(rejected))
    );

    // Parked deliveries wait for a person: no claim, no wake-up.
    assert!(claim(store, t0 + secs(86_400), "b").await?.is_empty());
    assert_eq!(store.next_wake_at().await?, None);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// People's side

async fn cancel_and_retry_follow_the_allowed_transitions<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let (_, rows) = announce(
        store,
        &["website", "facebook", "line", "youtube", "tiktok"],
        t0,
    )
    .await?;
    let by: BTreeMap<String, i64> = rows.iter().map(|r| (r.channel.clone(), r.id)).collect();
    let claimed = claim(store, t0, "a").await?;
    assert_eq!(claimed.len(), 5);
    let settle = vec![
        Settlement {
            delivery_id: by["website"],
            claim: 1,
            outcome: Outcome::Published(Receipt {
                remote_id: Some("news/1.html".into()),
                ..Default::default()
            }),
        },
        Settlement {
            delivery_id: by["facebook"],
            claim: 1,
            outcome: Outcome::NeedsAttention {
                error: "authorisation failed: token expired".into(),
                class: "auth".into(),
            },
        },
        Settlement {
            delivery_id: by["line"],
            claim: 1,
            outcome: Outcome::Failed {
                error: "temporary failure: 502".into(),
                class: "transient".into(),
            },
        },
        Settlement {
            delivery_id: by["youtube"],
            claim: 1,
            outcome: Outcome::Retry {
                at: t0 + secs(3600),
                error: "quota".into(),
                class: "quota".into(),
                count_attempt: false,
                unsettled: false,
            },
        },
        // tiktok stays in flight.
    ];
    assert_eq!(store.settle("a", t0 + secs(1), &settle).await?, 4);
    let officer = pr_officer();
    let now = t0 + secs(5);

    // Refused: published and in flight.
    for ch in ["website", "tiktok"] {
        let before = store.delivery(by[ch]).await?.state;
        let err = store
            .cancel_delivery(by[ch], now, &officer)
            .await
            .expect_err(ch);
        assert!(matches!(err, StoreError::Conflict(_)), "{ch}: {err:?}");
        assert_eq!(
            store.delivery(by[ch]).await?.state,
            before,
            "{ch} unchanged"
        );
        let err = store
            .retry_delivery(by[ch], now, &officer)
            .await
            .expect_err(ch);
        assert!(matches!(err, StoreError::Conflict(_)), "{ch}: {err:?}");
    }
    // Retry is refused for a queued one (nothing to retry).
    let err = store
        .retry_delivery(by["youtube"], now, &officer)
        .await
        .expect_err("queued");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    // Allowed: queued, needs attention, failed.
    for ch in ["youtube", "facebook", "line"] {
        let row = store.cancel_delivery(by[ch], now, &officer).await?;
        assert_eq!(row.state, DeliveryState::Cancelled, "{ch}");
        assert_eq!(
            store.delivery(by[ch]).await?.state,
            DeliveryState::Cancelled
        );
        let trail = store.audit_trail("delivery", &by[ch].to_string()).await?;
        let last = trail.last().expect("audited");
        assert_eq!(
            (last.action.as_str(), last.actor.as_str()),
            ("cancelled", "cli:somchai")
        );
    }
    // (tiktok's lease runs until t0 + 60 s.)
    assert!(
        claim(store, t0 + secs(30), "b").await?.is_empty(),
        "cancelled deliveries are never claimed"
    );
    let err = store
        .cancel_delivery(by["line"], now, &officer)
        .await
        .expect_err("already cancelled");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(matches!(
        store.cancel_delivery(9999, now, &officer).await,
        Err(StoreError::NotFound(_))
    ));

    // Retry requeues cancelled (and, below, needs attention and failed) deliveries, due now.
    let row = store.retry_delivery(by["line"], now, &officer).await?;
    assert_eq!(
        (row.state, row.next_attempt_at),
        (DeliveryState::Queued, now)
    );
    assert_eq!(ids(&claim(store, now, "b").await?), vec![by["line"]]);
    let parked = [
        (
            Outcome::NeedsAttention {
                error: "auth".into(),
                class: "auth".into(),
            },
            DeliveryState::NeedsAttention,
        ),
        (
            Outcome::Failed {
                error: "502".into(),
                class: "transient".into(),
            },
            DeliveryState::Failed,
        ),
    ];
    // The line delivery's claims from its second on: one per round.
    for (token, (outcome, state)) in (2..).zip(parked) {
        assert_eq!(settle_one(store, now, by["line"], token, outcome).await?, 1);
        assert_eq!(store.delivery(by["line"]).await?.state, state);
        let later = now + secs(10);
        let row = store.retry_delivery(by["line"], later, &officer).await?;
        assert_eq!(
            (row.state, row.next_attempt_at, row.attempts),
            (DeliveryState::Queued, later, 0),
            "from {state}: a person's retry starts a fresh set of attempts"
        );
        assert_eq!(ids(&claim(store, later, "b").await?), vec![by["line"]]);
    }
    let trail = actions(store, "delivery", by["line"]).await?;
    assert_eq!(
        trail.iter().filter(|a| *a == "retry_requested").count(),
        3,
        "{trail:?}"
    );
    Ok(())
}

async fn delivery_counts_group_by_channel_and_state<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let mut website = Vec::new();
    for _ in 0..3 {
        let (_, rows) = announce(store, &["website", "line"], t0).await?;
        website.push(
            rows.iter()
                .find(|r| r.channel == "website")
                .expect("website")
                .id,
        );
    }
    announce(store, &["line"], t0 + secs(3600)).await?;
    let claimed = claim(store, t0, "a").await?;
    assert_eq!(claimed.len(), 6);
    let published: Vec<Settlement> = website
        .iter()
        .take(2)
        .map(|&id| Settlement {
            delivery_id: id,
            claim: 1,
            outcome: Outcome::Published(Receipt::default()),
        })
        .collect();
    assert_eq!(store.settle("a", t0, &published).await?, 2);

    let counts: BTreeMap<(String, &str), u64> = store
        .delivery_counts()
        .await?
        .into_iter()
        .map(|c| ((c.channel, c.state.as_str()), c.count))
        .collect();
    let expected: BTreeMap<(String, &str), u64> = [
        (("line".to_string(), "in_flight"), 3),
        (("line".to_string(), "queued"), 1),
        (("website".to_string(), "in_flight"), 1),
        (("website".to_string(), "published"), 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);

    let listed = store
        .deliveries(&DeliveryFilter {
            channel: Some("line".into()),
            state: Some(DeliveryState::InFlight),
            ..Default::default()
        })
        .await?;
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .iter()
            .all(|d| d.channel == "line" && d.state == DeliveryState::InFlight)
    );
    let limited = store
        .deliveries(&DeliveryFilter {
            limit: Some(2),
            ..Default::default()
        })
        .await?;
    assert_eq!(limited.len(), 2);
    Ok(())
}

/// The seed, then five announcements an hour apart from now, alternating departments, two
/// channels each (the same due time for both channels: the key's id breaks the tie). Returns
/// the first one's due time.
async fn five_hourly_announcements<S: Store>(store: &S) -> Result<DateTime<Utc>> {
    seed(store).await?;
    let t0 = now_ms();
    for i in 0..5 {
        let due = t0 + secs(3600 * i);
        let dept = if i % 2 == 0 { "traffic" } else { "prevention" };
        store
            .create_announcement(
                &new_announcement(dept, due),
                &compose(&["website", "line"], due),
                &pr_officer(),
            )
            .await?;
    }
    Ok(t0)
}

/// Listing by department, due range and key: pages follow one another without a gap or a row
/// twice, in both orders, and the count ignores the page.
async fn deliveries_are_listed_by_department_and_due_range_a_page_at_a_time<S: Store>(
    store: &S,
) -> Result<()> {
    let t0 = five_hourly_announcements(store).await?;
    let all = all_deliveries(store).await?;
    ensure!(all.len() == 10);

    let traffic = store
        .deliveries(&DeliveryFilter {
            department: Some("traffic".into()),
            ..Default::default()
        })
        .await?;
    ensure!(traffic.len() == 6 && traffic.iter().all(|d| d.department == "traffic"));

    // [t0+1h, t0+3h): the second and third announcements.
    let range = DeliveryFilter {
        due_from: Some(t0 + secs(3600)),
        due_until: Some(t0 + secs(3 * 3600)),
        ..Default::default()
    };
    let in_range = store.deliveries(&range).await?;
    ensure!(in_range.len() == 4, "{in_range:?}");
    ensure!(
        in_range
            .iter()
            .all(|d| d.due_at >= t0 + secs(3600) && d.due_at < t0 + secs(3 * 3600))
    );
    ensure!(store.count_deliveries(&range).await? == 4);
    let prevention_in_range = DeliveryFilter {
        department: Some("prevention".into()),
        ..range.clone()
    };
    ensure!(store.count_deliveries(&prevention_in_range).await? == 2);
    ensure!(store.deliveries(&prevention_in_range).await?.len() == 2);

    // Pages of three, by due time, then the newest first: every row once, in order.
    for newest_first in [false, true] {
        let mut seen: Vec<i64> = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .deliveries(&DeliveryFilter {
                    after,
                    limit: Some(3),
                    newest_first,
                    ..Default::default()
                })
                .await?;
            seen.extend(page.iter().map(|d| d.id));
            match page.last() {
                Some(last) if page.len() == 3 => after = Some(last.key()),
                _ => break,
            }
        }
        let mut expected: Vec<DeliveryRow> = all.clone();
        if newest_first {
            expected.sort_by_key(|d| std::cmp::Reverse(d.id));
        } else {
            expected.sort_by_key(|d| (d.due_at, d.id));
        }
        let expected: Vec<i64> = expected.iter().map(|d| d.id).collect();
        ensure!(
            seen == expected,
            "newest_first={newest_first}: {seen:?} != {expected:?}"
        );
        ensure!(
            store
                .count_deliveries(&DeliveryFilter {
                    after,
                    limit: Some(3),
                    newest_first,
                    ..Default::default()
                })
                .await?
                == 10
        );
    }

    // One announcement's deliveries, paged the same way.
    let first = all[0].announcement_id;
    let of_first = DeliveryFilter {
        announcement_id: Some(first),
        limit: Some(1),
        ..Default::default()
    };
    let page1 = store.deliveries(&of_first).await?;
    ensure!(page1.len() == 1);
    let page2 = store
        .deliveries(&DeliveryFilter {
            after: Some(page1[0].key()),
            ..of_first.clone()
        })
        .await?;
    ensure!(page2.len() == 1 && page2[0].id != page1[0].id && page2[0].announcement_id == first);

    // A key survives the trip through a page link.
    let key = all[3].key();
    ensure!(prakat::store::DeliveryKey::decode(&key.encode()) == Some(key));
    ensure!(prakat::store::DeliveryKey::decode("12.x").is_none());
    Ok(())
}

/// Deliveries at a glance are the deliveries listed by the same filter, in the same order,
/// with the same fields: in each order, by department, state, channel and due range, for one
/// announcement, a page at a time.
async fn deliveries_at_a_glance_are_the_listed_ones<S: Store>(store: &S) -> Result<()> {
    let t0 = five_hourly_announcements(store).await?;
    let all = all_deliveries(store).await?;
    store.cancel_delivery(all[1].id, t0, &pr_officer()).await?;
    let glance = |d: &DeliveryRow| DeliveryGlance {
        id: d.id,
        announcement_id: d.announcement_id,
        department: d.department.clone(),
        title: d.title.clone(),
        channel: d.channel.clone(),
        state: d.state,
        due_at: d.due_at,
    };
    let page = |newest_first, after| DeliveryFilter {
        newest_first,
        after,
        limit: Some(3),
        ..Default::default()
    };
    let filters = [
        DeliveryFilter::default(),
        page(false, None),
        page(false, Some(all[2].key())),
        page(true, None),
        page(true, Some(all[7].key())),
        DeliveryFilter {
            department: Some("traffic".into()),
            channel: Some("line".into()),
            ..Default::default()
        },
        DeliveryFilter {
            state: Some(DeliveryState::Cancelled),
            ..Default::default()
        },
        DeliveryFilter {
            due_from: Some(t0 + secs(3600)),
            due_until: Some(t0 + secs(3 * 3600)),
            newest_first: true,
            ..Default::default()
        },
        DeliveryFilter {
            announcement_id: Some(all[4].announcement_id),
            ..Default::default()
        },
    ];
    for f in &filters {
        let rows = store.deliveries(f).await?;
        let glances = store.delivery_glances(f).await?;
        ensure!(!rows.is_empty(), "{f:?} lists nothing");
        ensure!(
            glances == rows.iter().map(glance).collect::<Vec<_>>(),
            "{f:?}: {glances:?} != {rows:?}"
        );
    }
    Ok(())
}

/// Announcements are listed the newest first by state and department, a page at a time.
async fn announcements_are_listed_the_newest_first_a_page_at_a_time<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let mut ids = Vec::new();
    for i in 0..4 {
        let dept = if i % 2 == 0 { "traffic" } else { "prevention" };
        let (a, _) = store
            .create_announcement(
                &new_announcement(dept, t0 + secs(i)),
                &compose(&["website"], t0 + secs(i)),
                &pr_officer(),
            )
            .await?;
        ids.push(a.id);
    }
    let page = store
        .list_announcements(&prakat::store::AnnouncementFilter {
            limit: 3,
            ..Default::default()
        })
        .await?;
    ensure!(page.iter().map(|a| a.id).collect::<Vec<_>>() == vec![ids[3], ids[2], ids[1]]);
    let rest = store
        .list_announcements(&prakat::store::AnnouncementFilter {
            limit: 3,
            before: Some(ids[1]),
            ..Default::default()
        })
        .await?;
    ensure!(rest.iter().map(|a| a.id).collect::<Vec<_>>() == vec![ids[0]]);
    let traffic = store
        .list_announcements(&prakat::store::AnnouncementFilter {
            limit: 10,
            department: Some("traffic".into()),
            state: Some("approved".into()),
            publish_from: Some(t0 + secs(1)),
            ..Default::default()
        })
        .await?;
    ensure!(traffic.iter().map(|a| a.id).collect::<Vec<_>>() == vec![ids[2]]);
    Ok(())
}

async fn next_wake_is_the_earliest_due_time_lease_or_rule<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    assert_eq!(
        store.next_wake_at().await?,
        None,
        "an empty store never needs waking"
    );

    announce(store, &["website"], t0 + secs(100)).await?;
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(100)),
        "queued due time"
    );

    store
        .create_rule(&new_rule(t0 + secs(50)), &pr_officer())
        .await?;
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(50)),
        "rule's next fire time"
    );

    let (_, rows) = announce(store, &["line"], t0 - secs(1)).await?;
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 - secs(1)),
        "a delivery already due"
    );

    let claimed = store
        .claim_due(t0, "a", Duration::from_secs(20), 10)
        .await?;
    assert_eq!(ids(&claimed), vec![rows[0].id]);
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(20)),
        "the claim's lease expiry"
    );

    let wait = Outcome::Retry {
        at: t0 + secs(7),
        error: "e".into(),
        class: "transient".into(),
        count_attempt: true,
        unsettled: false,
    };
    assert_eq!(
        settle_one(store, t0 + secs(1), rows[0].id, 1, wait).await?,
        1
    );
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(7)),
        "the retry time, not the original due time"
    );

    assert_eq!(claim(store, t0 + secs(7), "a").await?.len(), 1);
    let done = Outcome::Published(Receipt::default());
    assert_eq!(
        settle_one(store, t0 + secs(8), rows[0].id, 2, done).await?,
        1
    );
    assert_eq!(
        store.next_wake_at().await?,
        Some(t0 + secs(50)),
        "published deliveries no longer count"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Recurring rules

fn new_rule(next_fire_at: DateTime<Utc>) -> NewRule {
    NewRule {
        department: "prevention".into(),
        title: "เตือนภัยมิจฉาชีพออนไลน์".into(),
        body: "อย่าโอนเงินให้ผู้ที่อ้างว่าเป็นเจ้าหน้าที่ตำรวจ".into(),
        link: None,
        media: vec![],
        channels: vec!["website".into(), "line".into()],
        cron: "0 0 9 * * Mon".into(),
        next_fire_at,
    }
}

async fn rules_fire_once_per_occurrence<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let first = t0 + secs(60);
    let rule = store.create_rule(&new_rule(first), &pr_officer()).await?;
    assert!(rule.active);
    assert_eq!(rule.author, "cli:somchai");
    assert_eq!(actions(store, "rule", rule.id).await?, vec!["created"]);
    let listed = store.rules().await?;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].channels,
        vec!["website".to_string(), "line".to_string()]
    );
    assert_eq!(listed[0].next_fire_at, first);

    assert!(
        store.due_rules(first - secs(1), 10).await?.is_empty(),
        "not due before its time"
    );
    let due = store.due_rules(first, 10).await?;
    assert_eq!(due.len(), 1);
    let rule = due.into_iter().next().expect("due");

    let channels: Vec<&str> = rule.channels.iter().map(String::as_str).collect();
    let composer = compose(&channels, first);
    let next = first + secs(7 * 86_400);
    let a = store
        .fire_rule(&rule, first, next, &composer)
        .await?
        .expect("first firing creates the announcement");
    assert_eq!(a.rule_id, Some(rule.id));
    assert_eq!(a.publish_at, first);
    assert_eq!(a.source, "recurring");
    assert_eq!(a.department.code, "prevention");
    assert_eq!(a.title, rule.title);
    let deliveries = store
        .deliveries(&DeliveryFilter {
            announcement_id: Some(a.id),
            ..Default::default()
        })
        .await?;
    assert_eq!(deliveries.len(), 2);
    assert!(
        deliveries
            .iter()
            .all(|d| d.state == DeliveryState::Queued && d.due_at == first)
    );
    assert_eq!(
        store.rules().await?[0].next_fire_at,
        next,
        "the rule moved on"
    );
    assert!(store.due_rules(first + secs(1), 10).await?.is_empty());

    // The same occurrence again — a second dispatcher, or a retry with the stale record: never
    // a second announcement.
    assert!(
        store
            .fire_rule(&rule, first, next, &composer)
            .await?
            .is_none()
    );
    assert!(
        store
            .fire_rule(&rule, first, next + secs(1), &composer)
            .await?
            .is_none()
    );
    assert_eq!(announcements_of_rule(store, rule.id).await?, 1);
    assert_eq!(all_deliveries(store).await?.len(), 2);
    assert_eq!(
        store.rules().await?[0].next_fire_at,
        next,
        "a refused firing does not move the rule"
    );

    // The next occurrence creates the next one.
    let rule = store
        .due_rules(next, 10)
        .await?
        .into_iter()
        .next()
        .expect("due again");
    let composer = compose(&channels, next);
    let b = store
        .fire_rule(&rule, next, next + secs(7 * 86_400), &composer)
        .await?
        .expect("next occurrence");
    assert_ne!(a.id, b.id);
    assert_eq!(announcements_of_rule(store, rule.id).await?, 2);
    let fired = actions(store, "rule", rule.id).await?;
    assert_eq!(
        fired.iter().filter(|a| *a == "fired").count(),
        2,
        "{fired:?}"
    );
    Ok(())
}

async fn a_rule_whose_compose_fails_writes_nothing<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let rule = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    let refuse = |_: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        Err(ComposeError::UnknownChannel(
            "line".into(),
            "website".into(),
        ))
    };
    assert!(
        store
            .fire_rule(&rule, t0, t0 + secs(60), &refuse)
            .await
            .is_err()
    );
    assert!(all_deliveries(store).await?.is_empty());
    assert_eq!(
        store.rules().await?[0].next_fire_at,
        t0,
        "the rule did not move: the whole firing rolled back"
    );
    assert_eq!(actions(store, "rule", rule.id).await?, vec!["created"]);
    Ok(())
}

async fn skipping_an_occurrence_moves_the_rule_and_audits_why<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let rule = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    let next = t0 + secs(7 * 86_400);
    let reason = "line: ข้อความยาวเกินสำหรับ LINE (5,312/5,000 หน่วย)";
    store
        .skip_rule_occurrence(rule.id, t0, next, reason)
        .await?;
    let rules = store.rules().await?;
    assert_eq!(rules[0].next_fire_at, next);
    assert!(rules[0].active);
    assert!(store.due_rules(t0 + secs(1), 10).await?.is_empty());
    assert_eq!(store.next_wake_at().await?, Some(next));
    let trail = store.audit_trail("rule", &rule.id.to_string()).await?;
    let last = trail.last().expect("audited");
    assert_eq!(last.action, "skipped");
    assert_eq!(last.detail["reason"], reason);
    assert!(
        all_deliveries(store).await?.is_empty(),
        "a skipped occurrence has no announcement"
    );
    Ok(())
}

async fn a_paused_or_deleted_rule_never_fires<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let rule = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    let due = store.due_rules(t0, 10).await?.remove(0);
    let paused = store
        .pause_rule(
            rule.id,
            RulePause::ByHand,
            serde_json::json!({}),
            t0,
            &pr_officer(),
        )
        .await?;
    assert!(!paused.active);
    assert_eq!(paused.paused_reason.as_deref(), Some("by_hand"));
    assert!(store.due_rules(t0 + secs(60), 10).await?.is_empty());
    assert_eq!(
        store.next_wake_at().await?,
        None,
        "a paused rule wakes nobody"
    );
    // A dispatcher that read the rule as due before the pause does not fire it.
    let channels: Vec<&str> = due.channels.iter().map(String::as_str).collect();
    assert!(
        store
            .fire_rule(&due, t0, t0 + secs(60), &compose(&channels, t0))
            .await?
            .is_none()
    );
    assert!(all_deliveries(store).await?.is_empty());
    assert!(matches!(
        store
            .pause_rule(
                rule.id,
                RulePause::ByHand,
                serde_json::json!({}),
                t0,
                &pr_officer()
            )
            .await,
        Err(StoreError::Conflict(_))
    ));

    let later = t0 + secs(3600);
    let resumed = store
        .resume_rule(rule.id, later + secs(60), later, &pr_officer())
        .await?;
    assert!(resumed.active && resumed.paused_reason.is_none());
    assert_eq!(resumed.next_fire_at, later + secs(60));
    assert!(matches!(
        store
            .resume_rule(rule.id, later, later, &pr_officer())
            .await,
        Err(StoreError::Conflict(_))
    ));

    store.delete_rule(rule.id, later, &pr_officer()).await?;
    assert!(store.due_rules(later + secs(3600), 10).await?.is_empty());
    assert!(
        store.rules().await?.is_empty(),
        "a deleted rule is listed nowhere"
    );
    assert!(matches!(
        store.rule(rule.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .resume_rule(rule.id, later, later, &pr_officer())
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .fire_rule(&due, t0, t0 + secs(60), &compose(&channels, t0))
            .await?
            .is_none()
    );
    assert_eq!(
        actions(store, "rule", rule.id).await?,
        vec!["created", "paused", "resumed", "deleted"]
    );
    Ok(())
}

async fn an_edited_rule_keeps_old_and_new_in_its_trail<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let rule = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    let edited = store
        .edit_rule(
            rule.id,
            &RuleEdit {
                title: "เตือนภัยแก๊งคอลเซ็นเตอร์".into(),
                body: "โทรแจ้ง 1441".into(),
                link: Some("https://example.go.th/1441".into()),
                channels: vec!["website".into()],
                cron: "0 0 10 * * Tue".into(),
                next_fire_at: t0 + secs(86_400),
            },
            &pr_officer(),
        )
        .await?;
    assert_eq!(
        (
            edited.title.as_str(),
            edited.cron.as_str(),
            edited.channels.len()
        ),
        ("เตือนภัยแก๊งคอลเซ็นเตอร์", "0 0 10 * * Tue", 1)
    );
    assert_eq!(edited.next_fire_at, t0 + secs(86_400));
    let last = store
        .audit_trail("rule", &rule.id.to_string())
        .await?
        .pop()
        .expect("audited");
    assert_eq!(last.action, "edited");
    assert_eq!(last.detail["old"]["cron"], "0 0 9 * * Mon");
    assert_eq!(last.detail["new"]["body"], "โทรแจ้ง 1441");
    Ok(())
}

/// Fire `rule` at `at` and settle each of its deliveries with `outcome(channel)`.
async fn fire_and_settle<S: Store>(
    store: &S,
    rule_id: i64,
    at: DateTime<Utc>,
    outcome: impl Fn(&str) -> Outcome,
) -> Result<()> {
    let rule = store.rule(rule_id).await?;
    let channels: Vec<&str> = rule.channels.iter().map(String::as_str).collect();
    store
        .fire_rule(&rule, at, at + secs(60), &compose(&channels, at))
        .await?
        .expect("fired");
    for c in claim(store, at + secs(1), "a").await? {
        settle_one(store, at + secs(2), c.id, c.claim, outcome(&c.channel)).await?;
    }
    Ok(())
}

async fn a_channel_failing_in_a_row_is_found_and_an_automatic_pause_is_an_event<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let rule = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    let line_fails = |c: &str| match c {
        "line" => Outcome::Failed {
            error: "401".into(),
            class: "auth".into(),
        },
        _ => Outcome::Published(Receipt {
            remote_id: Some(format!("{c}-1")),
            ..Default::default()
        }),
    };
    fire_and_settle(store, rule.id, t0, line_fails).await?;
    fire_and_settle(store, rule.id, t0 + secs(60), line_fails).await?;
    assert_eq!(
        store.rule_failing_channel(rule.id, 3).await?,
        None,
        "two failures"
    );
    assert_eq!(
        store.rule_failing_channel(rule.id, 0).await?,
        None,
        "0: never"
    );
    fire_and_settle(store, rule.id, t0 + secs(120), line_fails).await?;
    assert_eq!(
        store.rule_failing_channel(rule.id, 3).await?.as_deref(),
        Some("line")
    );
    let before = store.events_after(0, 1000).await?.len();
    store
        .pause_rule(
            rule.id,
            RulePause::Failures,
            serde_json::json!({"channel": "line"}),
            t0 + secs(180),
            &Actor::daemon("rules"),
        )
        .await?;
    let events = store.events_after(0, 1000).await?;
    assert_eq!(events.len(), before + 1);
    let e = events.last().expect("event");
    assert_eq!(
        (e.action.as_str(), e.entity.as_str(), e.entity_id.clone()),
        ("rule_paused", "rule", rule.id.to_string())
    );
    assert_eq!(e.detail["channel"], "line");
    // Resumed: counted afresh.
    store
        .resume_rule(rule.id, t0 + secs(240), t0 + secs(200), &pr_officer())
        .await?;
    assert_eq!(store.rule_failing_channel(rule.id, 3).await?, None);
    // A success in between breaks the row.
    let rule2 = store.create_rule(&new_rule(t0), &pr_officer()).await?;
    fire_and_settle(store, rule2.id, t0, line_fails).await?;
    fire_and_settle(store, rule2.id, t0 + secs(60), |c| {
        line_fails(if c == "line" { "website" } else { c })
    })
    .await?;
    fire_and_settle(store, rule2.id, t0 + secs(120), line_fails).await?;
    fire_and_settle(store, rule2.id, t0 + secs(180), line_fails).await?;
    assert_eq!(store.rule_failing_channel(rule2.id, 3).await?, None);
    Ok(())
}

async fn a_retried_delivery_keeps_a_time_still_to_come<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let embargo = t0 + secs(86_400);
    let (_, d) = announce(store, &["website"], embargo).await?;
    store.cancel_delivery(d[0].id, t0, &pr_officer()).await?;
    let row = store
        .retry_delivery(d[0].id, t0 + secs(5), &pr_officer())
        .await?;
    assert_eq!(
        (row.state, row.next_attempt_at),
        (DeliveryState::Queued, embargo)
    );
    assert!(
        claim(store, t0 + secs(10), "a").await?.is_empty(),
        "the embargo holds"
    );
    assert_eq!(claim(store, embargo, "a").await?.len(), 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reach

fn slots(list: &[&str]) -> Vec<ReachSlot> {
    list.iter().map(|s| ReachSlot::parse(s).unwrap()).collect()
}

fn reach_query(now: DateTime<Utc>) -> ReachQuery {
    ReachQuery {
        now,
        slots: slots(&["1h", "1d", "7d", "30d"]),
        channels: vec!["facebook".into(), "line".into()],
        since: None,
        max_attempts: 3,
        limit: 100,
    }
}

/// A delivery to `channel` published at `at`, with its receipt.
async fn published<S: Store>(store: &S, channel: &str, at: DateTime<Utc>) -> Result<i64> {
    let (_, rows) = announce(store, &[channel], at).await?;
    let taken = claim(store, at, "test").await?;
    ensure!(taken.len() == 1, "one claimed: {taken:?}");
    let receipt = Receipt {
        remote_id: Some(format!("post-{}", rows[0].id)),
        url: Some("https://example.com/p".into()),
        request_id: Some("req-1".into()),
        deduplicated: false,
    };
    settle_one(
        store,
        at,
        rows[0].id,
        taken[0].claim,
        Outcome::Published(receipt),
    )
    .await?;
    Ok(rows[0].id)
}

fn due_slots(due: &[ReachDue]) -> Vec<(i64, String)> {
    due.iter()
        .map(|d| (d.delivery_id, d.slot.to_string()))
        .collect()
}

async fn a_reach_sample_is_kept_once_per_slot<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let id = published(store, "facebook", t0).await?;
    let hour = secs(3600);

    ensure!(
        store
            .reach_due(&reach_query(t0 + secs(59 * 60)))
            .await?
            .is_empty(),
        "no slot has come yet"
    );
    let due = store.reach_due(&reach_query(t0 + hour)).await?;
    ensure!(due_slots(&due) == vec![(id, "1h".to_string())], "{due:?}");
    ensure!(
        due[0].receipt.remote_id.as_deref() == Some(&*format!("post-{id}")),
        "the receipt comes along"
    );
    ensure!(due[0].receipt.request_id.as_deref() == Some("req-1"));
    ensure!(due[0].published_at == t0 && due[0].attempts == 0);

    let first = ReachSample {
        views: Some(120),
        unique_viewers: None,
        reactions: Some(4),
        ..ReachSample::default()
    };
    ensure!(
        store
            .record_reach(id, due[0].slot, t0 + hour, &first)
            .await?,
        "the first sample is stored"
    );
    let second = ReachSample {
        views: Some(999),
        ..ReachSample::default()
    };
    ensure!(
        !store
            .record_reach(id, due[0].slot, t0 + hour + secs(5), &second)
            .await?,
        "never twice for one slot"
    );
    ensure!(
        store
            .reach_due(&reach_query(t0 + hour + secs(60)))
            .await?
            .is_empty(),
        "the slot is done"
    );

    // A day later the 1d slot comes; a missed slot is not sampled late: at 8 days, only 7d.
    let due = store.reach_due(&reach_query(t0 + secs(86_400))).await?;
    ensure!(due_slots(&due) == vec![(id, "1d".to_string())], "{due:?}");
    let due = store.reach_due(&reach_query(t0 + secs(8 * 86_400))).await?;
    ensure!(due_slots(&due) == vec![(id, "7d".to_string())], "{due:?}");

    let samples = store.reach_samples(due[0].announcement_id).await?;
    ensure!(samples.len() == 1, "{samples:?}");
    let s = &samples[0];
    ensure!(s.delivery_id == id && s.channel == "facebook" && s.slot.to_string() == "1h");
    ensure!(s.taken_at == t0 + hour && s.published_at == Some(t0));
    ensure!(
        s.sample.views == Some(120) && s.sample.reactions == Some(4),
        "{s:?}"
    );
    ensure!(
        s.sample.unique_viewers.is_none() && s.sample.video_views.is_none(),
        "hidden figures stay empty, not zero: {s:?}"
    );

    // Only the channels asked for, only deliveries published since.
    let mut q = reach_query(t0 + hour);
    q.channels = vec!["line".into()];
    ensure!(store.reach_due(&q).await?.is_empty());
    let mut q = reach_query(t0 + secs(86_400));
    q.since = Some(t0 + secs(1));
    ensure!(store.reach_due(&q).await?.is_empty());
    Ok(())
}

async fn a_failed_reach_sample_is_retried_later<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let a = published(store, "facebook", t0).await?;
    let b = published(store, "line", t0 + secs(1)).await?;
    let at = t0 + secs(3601);
    let due = store.reach_due(&reach_query(at)).await?;
    ensure!(
        due_slots(&due) == vec![(a, "1h".into()), (b, "1h".into())],
        "{due:?}"
    );

    let fail = |count_attempt: bool, retry_at: DateTime<Utc>| ReachRetry {
        delivery_id: a,
        slot: due[0].slot,
        now: at,
        retry_at,
        error: "temporary failure: 503 from the platform".into(),
        class: "transient".into(),
        count_attempt,
    };
    ensure!(store.reach_retry_later(&fail(true, at + secs(600))).await? == 1);
    // The other delivery is still due; the failed one waits for its retry.
    let due_now = store.reach_due(&reach_query(at)).await?;
    ensure!(due_slots(&due_now) == vec![(b, "1h".into())], "{due_now:?}");
    let later = store.reach_due(&reach_query(at + secs(600))).await?;
    ensure!(
        later.iter().any(|d| d.delivery_id == a && d.attempts == 1),
        "due again after its wait: {later:?}"
    );

    let failures = store.reach_failures(later[0].announcement_id).await?;
    ensure!(
        failures.len() == 1 && failures[0].attempts == 1 && failures[0].class == "transient",
        "{failures:?}"
    );

    // A wait the platform asked for does not use up an attempt; failures do, up to the limit.
    ensure!(
        store
            .reach_retry_later(&fail(false, at + secs(700)))
            .await?
            == 1
    );
    ensure!(store.reach_retry_later(&fail(true, at + secs(800))).await? == 2);
    ensure!(
        store
            .reach_due(&reach_query(at + secs(800)))
            .await?
            .iter()
            .any(|d| d.delivery_id == a)
    );
    ensure!(store.reach_retry_later(&fail(true, at + secs(900))).await? == 3);
    ensure!(
        !store
            .reach_due(&reach_query(at + secs(10_000)))
            .await?
            .iter()
            .any(|d| d.delivery_id == a),
        "given up after max_attempts"
    );

    // A sample stored settles the slot and clears its failures.
    ensure!(
        store
            .record_reach(
                a,
                due[0].slot,
                at + secs(900),
                &ReachSample {
                    views: Some(3),
                    ..ReachSample::default()
                }
            )
            .await?
    );
    ensure!(
        store
            .reach_failures(later[0].announcement_id)
            .await?
            .is_empty()
    );
    Ok(())
}

async fn page_views_add_up_per_announcement_and_day<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let (a, _) = announce(store, &["website"], now_ms()).await?;
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let views = |id: i64, d: u32, n: u64| PageViews {
        announcement_id: id,
        day: day(d),
        views: n,
    };
    store
        .add_page_views(&[views(a.id, 1, 3), views(a.id, 2, 1)])
        .await?;
    store
        .add_page_views(&[views(a.id, 1, 2), views(a.id + 100, 1, 7)])
        .await?;
    ensure!(store.page_views_total(a.id).await? == 6);
    ensure!(
        store.page_views_total(a.id + 100).await? == 0,
        "an unknown page's views are dropped"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Many at once: queueing in bulk, settling a batch, the claim's order, counts kept as they change

async fn many_announcements_are_created_in_one_change<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    // One made alone first: the batch's ids follow it.
    let (first, _) = announce(store, &["website"], t0).await?;
    let news: Vec<NewAnnouncement> = (0..5)
        .map(|i| {
            let mut n = new_announcement(
                if i % 2 == 0 { "traffic" } else { "prevention" },
                t0 + secs(i),
            );
            n.title = format!("ประกาศที่ {i}");
            n
        })
        .collect();
    let by_due = |a: &AnnouncementRecord| compose(&["website", "line"], a.publish_at)(a);
    let created = store
        .create_announcements(&news, &by_due, &pr_officer())
        .await?;
    assert_eq!(created.len(), 5, "one per announcement, in the order given");
    let mut last_delivery = 0;
    for (i, (a, rows)) in created.iter().enumerate() {
        assert_eq!(a.id, first.id + 1 + i as i64, "ids follow on");
        assert_eq!(a.title, format!("ประกาศที่ {i}"));
        let stored = store.announcement(a.id).await?;
        assert_eq!(stored.title, a.title);
        assert_eq!(stored.department.code, news[i].department);
        assert_eq!(stored.publish_at, t0 + secs(i as i64));
        assert_eq!(stored.state, "approved");
        assert_eq!(stored.author, "cli:somchai");
        assert_eq!(stored.tags, news[i].tags);
        assert_eq!(rows.len(), 2);
        for r in rows {
            assert!(r.id > last_delivery, "delivery ids ascend: {rows:?}");
            last_delivery = r.id;
            let d = store.delivery(r.id).await?;
            assert_eq!(d.announcement_id, a.id);
            assert_eq!(d.channel, r.channel);
            assert_eq!(d.state, DeliveryState::Queued);
            assert_eq!(d.due_at, t0 + secs(i as i64));
            assert_eq!(d.idempotency_key, format!("a{}-{}", a.id, r.channel));
            assert_eq!(d.payload, payload_for(&r.channel, &stored));
            assert_eq!(actions(store, "delivery", r.id).await?, vec!["queued"]);
        }
        let trail = store.audit_trail("announcement", &a.id.to_string()).await?;
        assert_eq!(trail.len(), 1, "{trail:?}");
        assert_eq!(trail[0].action, "created");
        assert_eq!(trail[0].role.as_deref(), Some("pr_officer"));
    }
    // One made alone afterwards takes the next ids.
    let (after, rows) = announce(store, &["website"], t0).await?;
    assert_eq!(after.id, first.id + 6);
    assert!(rows[0].id > last_delivery);
    // They are claimed like any other.
    assert_eq!(
        store.claim_due(t0 + secs(10), "a", LEASE, 100).await?.len(),
        12
    );
    assert!(
        store
            .create_announcements(&[], &by_due, &pr_officer())
            .await?
            .is_empty()
    );
    Ok(())
}

async fn a_batch_that_cannot_be_stored_writes_nothing<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let news: Vec<NewAnnouncement> = (0..3).map(|_| new_announcement("traffic", t0)).collect();
    // The second cannot be composed.
    let refuse_second = |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        if a.id == 2 {
            return Err(ComposeError::UnknownChannel(
                "tiktok".into(),
                "website".into(),
            ));
        }
        compose(&["website"], t0)(a)
    };
    let err = store
        .create_announcements(&news, &refuse_second, &pr_officer())
        .await
        .expect_err("one could not be composed");
    assert!(matches!(err, StoreError::Compose(_)), "{err:?}");
    // An unknown department anywhere in the batch.
    let mut bad = news.clone();
    bad[2].department = "narcotics".into();
    let err = store
        .create_announcements(&bad, &compose(&["website"], t0), &pr_officer())
        .await
        .expect_err("no such department");
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    // Two with the same idempotency key.
    let same_key = |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
        let mut c = compose(&["website"], t0)(a)?;
        c.deliveries[0].idempotency_key = "same".into();
        Ok(c)
    };
    assert!(
        store
            .create_announcements(&news, &same_key, &pr_officer())
            .await
            .is_err()
    );

    assert!(all_deliveries(store).await?.is_empty());
    assert!(store.delivery_counts().await?.is_empty());
    for id in 1..=3 {
        assert!(matches!(
            store.announcement(id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(
            store
                .audit_trail("announcement", &id.to_string())
                .await?
                .is_empty()
        );
    }
    let created = store
        .create_announcements(&news, &compose(&["website"], t0), &pr_officer())
        .await?;
    assert_eq!(created.len(), 3);
    assert_eq!(created[0].0.id, 1, "the failed batches left nothing behind");
    Ok(())
}

async fn a_settled_batch_writes_each_outcome_fenced_by_its_claim<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let mut ids = Vec::new();
    for _ in 0..5 {
        let (_, rows) = announce(store, &["website"], t0).await?;
        ids.push(rows[0].id);
    }
    let [published, retried, parked, failed, superseded] = ids[..] else {
        unreachable!()
    };
    let lease = Duration::from_secs(10);
    assert_eq!(store.claim_due(t0, "a", lease, 4).await?.len(), 4);
    // The fifth is claimed by a, its lease runs out, b takes it over.
    assert_eq!(
        ids_of(&store.claim_due(t0 + secs(1), "a", lease, 10).await?),
        vec![superseded]
    );
    // At +11 s every lease of a has run out: b takes all five over (their second claims).
    let taken = store.claim_due(t0 + secs(11), "b", lease, 10).await?;
    assert_eq!(ids_of(&taken), ids);
    assert!(taken.iter().all(|c| c.claim == 2), "{taken:?}");
    let claim_of = |_: i64| 2;
    let receipt = |id: &str| {
        Outcome::Published(Receipt {
            remote_id: Some(id.into()),
            url: Some(format!("https://example.org/{id}")),
            request_id: Some(format!("req-{id}")),
            deduplicated: false,
        })
    };
    let batch = vec![
        Settlement {
            delivery_id: published,
            claim: claim_of(published),
            outcome: receipt("p1"),
        },
        Settlement {
            delivery_id: retried,
            claim: claim_of(retried),
            outcome: Outcome::Retry {
                at: t0 + secs(60),
                error: "timeout".into(),
                class: "ambiguous".into(),
                count_attempt: false,
                unsettled: true,
            },
        },
        Settlement {
            delivery_id: parked,
            claim: claim_of(parked),
            outcome: Outcome::NeedsAttention {
                error: "token expired".into(),
                class: "auth".into(),
            },
        },
        Settlement {
            delivery_id: failed,
            claim: claim_of(failed),
            outcome: Outcome::Failed {
                error: "attempts used up".into(),
                class: "transient".into(),
            },
        },
        // a's late outcome for the delivery b holds: kept in the trail only.
        Settlement {
            delivery_id: superseded,
            claim: 1,
            outcome: receipt("late"),
        },
        // The same delivery twice: b's own outcome, after a's.
        Settlement {
            delivery_id: superseded,
            claim: claim_of(superseded),
            outcome: receipt("b1"),
        },
    ];
    assert_eq!(store.settle("b", t0 + secs(12), &batch).await?, 5);

    let row = store.delivery(published).await?;
    assert_eq!(row.state, DeliveryState::Published);
    assert_eq!(row.remote_id.as_deref(), Some("p1"));
    assert_eq!(row.remote_url.as_deref(), Some("https://example.org/p1"));
    assert_eq!(row.request_id.as_deref(), Some("req-p1"));
    assert_eq!(row.published_at, Some(t0 + secs(12)));
    assert!(row.last_error.is_none());

    let row = store.delivery(retried).await?;
    assert_eq!(row.state, DeliveryState::Queued);
    assert_eq!(row.next_attempt_at, t0 + secs(60));
    assert_eq!(
        row.attempts, 1,
        "a claim handed back does not count: 2 claims, 1 counted"
    );
    assert!(row.unsettled);
    assert_eq!(row.last_error.as_deref(), Some("timeout"));
    assert!(row.published_at.is_none() && row.remote_id.is_none());

    let row = store.delivery(parked).await?;
    assert_eq!(row.state, DeliveryState::NeedsAttention);
    assert_eq!(
        (row.last_error.as_deref(), row.last_error_class.as_deref()),
        (Some("token expired"), Some("auth"))
    );
    let row = store.delivery(failed).await?;
    assert_eq!(row.state, DeliveryState::Failed);
    assert_eq!(row.last_error.as_deref(), Some("attempts used up"));

    let row = store.delivery(superseded).await?;
    assert_eq!(
        (row.state, row.remote_id.as_deref()),
        (DeliveryState::Published, Some("b1"))
    );
    let trail = actions(store, "delivery", superseded).await?;
    assert_eq!(
        trail.iter().filter(|a| *a == "late_outcome").count(),
        1,
        "{trail:?}"
    );
    assert_eq!(
        trail.iter().filter(|a| *a == "published").count(),
        1,
        "{trail:?}"
    );
    let late = store
        .audit_trail("delivery", &superseded.to_string())
        .await?;
    let late = late
        .iter()
        .find(|e| e.action == "late_outcome")
        .expect("kept");
    assert_eq!(late.detail["remote_id"], "late");
    assert_eq!(late.detail["claim"], 1);
    for (id, action) in [
        (published, "published"),
        (retried, "retry"),
        (parked, "needs_attention"),
        (failed, "failed"),
    ] {
        assert_eq!(
            actions(store, "delivery", id)
                .await?
                .last()
                .map(String::as_str),
            Some(action)
        );
    }
    // Settling the same batch again changes nothing: every claim is spent.
    assert_eq!(store.settle("b", t0 + secs(13), &batch).await?, 0);
    assert_eq!(
        store.delivery(published).await?.published_at,
        Some(t0 + secs(12))
    );
    Ok(())
}

fn ids_of(claimed: &[ClaimedDelivery]) -> Vec<i64> {
    ids(claimed)
}

async fn claims_resume_expired_leases_first_then_the_earliest_due<S: Store>(
    store: &S,
) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    // Created in an order unlike their due times.
    let mut by_due = BTreeMap::new();
    for s in [30, 10, 50, 20, 40] {
        let (_, rows) = announce(store, &["website"], t0 + secs(s)).await?;
        by_due.insert(s, rows[0].id);
    }
    // The one due at +10 s is claimed, and its owner dies.
    let orphan = store
        .claim_due(t0 + secs(10), "dead", Duration::from_secs(5), 1)
        .await?;
    assert_eq!(ids(&orphan), vec![by_due[&10]]);
    let at = t0 + secs(60);
    let mut order = Vec::new();
    for _ in 0..5 {
        let c = store.claim_due(at, "a", LEASE, 1).await?;
        assert_eq!(c.len(), 1);
        order.push(c[0].id);
    }
    assert_eq!(
        order,
        vec![
            by_due[&10],
            by_due[&20],
            by_due[&30],
            by_due[&40],
            by_due[&50]
        ],
        "the expired lease first, then the earliest due"
    );
    assert!(store.claim_due(at, "a", LEASE, 1).await?.is_empty());
    Ok(())
}

/// The dispatcher's turn: the outcomes of its last claims are written and the next due ones
/// claimed together; the outcomes are fenced as with `settle`, and a superseded one is kept in
/// the trail.
async fn outcomes_and_the_next_claim_are_written_together<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    let mut ids = Vec::new();
    for s in [0, 0, 5] {
        let (_, rows) = announce(store, &["website"], t0 + secs(s)).await?;
        ids.push(rows[0].id);
    }
    let [first, second, later] = ids[..] else {
        unreachable!()
    };
    let claimed = store.claim_due(t0, "a", LEASE, 10).await?;
    assert_eq!(ids_of(&claimed), vec![first, second]);
    let outcomes = vec![
        Settlement {
            delivery_id: first,
            claim: 1,
            outcome: Outcome::Published(Receipt {
                remote_id: Some("r1".into()),
                ..Receipt::default()
            }),
        },
        // Not its claim (that is 1): superseded, kept in the trail only.
        Settlement {
            delivery_id: second,
            claim: 7,
            outcome: Outcome::Failed {
                error: "late".into(),
                class: "transient".into(),
            },
        },
    ];
    let (settled, next) = store
        .settle_and_claim("a", t0 + secs(5), &outcomes, LEASE, 10)
        .await?;
    assert_eq!(settled, 1);
    assert_eq!(ids_of(&next), vec![later]);
    assert_eq!(next[0].claim, 1);
    let row = store.delivery(first).await?;
    assert_eq!(row.state, DeliveryState::Published);
    assert_eq!(row.remote_id.as_deref(), Some("r1"));
    assert_eq!(store.delivery(second).await?.state, DeliveryState::InFlight);
    assert_eq!(store.delivery(later).await?.state, DeliveryState::InFlight);
    assert_eq!(
        actions(store, "delivery", first).await?,
        ["queued", "claimed", "published"]
    );
    assert_eq!(
        actions(store, "delivery", second).await?,
        ["queued", "claimed", "late_outcome"]
    );
    assert_eq!(
        actions(store, "delivery", later).await?,
        ["queued", "claimed"]
    );
    let trail = store.audit_trail("delivery", &later.to_string()).await?;
    assert_eq!(
        trail[1].detail,
        serde_json::json!({"attempt": 1, "unsettled": false})
    );
    // Nothing to write and nothing due: nothing changes.
    let (settled, next) = store
        .settle_and_claim("a", t0 + secs(6), &[], LEASE, 10)
        .await?;
    assert_eq!((settled, next.len()), (0, 0));
    Ok(())
}

/// The counts by channel and state are the deliveries, counted, after every kind of change.
async fn delivery_counts_follow_every_change<S: Store>(store: &S) -> Result<()> {
    seed(store).await?;
    let t0 = now_ms();
    async fn check<S: Store>(store: &S, when: &str) -> Result<()> {
        let mut counted: BTreeMap<(String, String), u64> = BTreeMap::new();
        for d in all_deliveries(store).await? {
            *counted
                .entry((d.channel, d.state.as_str().to_owned()))
                .or_default() += 1;
        }
        let kept: BTreeMap<(String, String), u64> = store
            .delivery_counts()
            .await?
            .into_iter()
            .map(|c| ((c.channel, c.state.as_str().to_owned()), c.count))
            .collect();
        ensure!(
            kept == counted,
            "{when}: kept {kept:?}, counted {counted:?}"
        );
        Ok(())
    }
    check(store, "empty").await?;
    let news: Vec<NewAnnouncement> = (0..4).map(|_| new_announcement("traffic", t0)).collect();
    store
        .create_announcements(&news, &compose(&["website", "line"], t0), &pr_officer())
        .await?;
    announce(store, &["facebook"], t0).await?;
    check(store, "queued").await?;
    let claimed = store.claim_due(t0, "a", Duration::from_secs(5), 6).await?;
    check(store, "claimed").await?;
    let outcomes: Vec<Settlement> = claimed
        .iter()
        .enumerate()
        .map(|(i, c)| Settlement {
            delivery_id: c.id,
            claim: c.claim,
            outcome: match i % 3 {
                0 => Outcome::Published(Receipt::default()),
                1 => Outcome::Failed {
                    error: "x".into(),
                    class: "rejected".into(),
                },
                _ => Outcome::Retry {
                    at: t0,
                    error: "x".into(),
                    class: "transient".into(),
                    count_attempt: true,
                    unsettled: false,
                },
            },
        })
        .collect();
    store.settle("a", t0, &outcomes).await?;
    check(store, "settled").await?;
    // Leases run out and are taken over (in flight to in flight).
    store
        .claim_due(t0, "b", Duration::from_secs(5), 100)
        .await?;
    store
        .claim_due(t0 + secs(6), "c", Duration::from_secs(5), 100)
        .await?;
    check(store, "taken over").await?;
    let failed = claimed[1].id;
    store.retry_delivery(failed, t0, &pr_officer()).await?;
    check(store, "retried").await?;
    store.cancel_delivery(failed, t0, &pr_officer()).await.ok();
    check(store, "cancelled").await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Backends

/// Run every story on one backend: `backend!(module_name, opener)` where `opener()` returns a
/// guard to keep alive (a temporary directory, a database) and a fresh, empty store.
macro_rules! backend {
    ($module:ident, $open:path) => {
        mod $module {
            backend!(@tests $open;
                create_announcement_writes_announcement_deliveries_and_audit,
                failed_compose_writes_nothing,
                unknown_department_is_not_found_and_writes_nothing,
                departments_are_listed_and_unique,
                claim_takes_only_due_deliveries_up_to_the_limit,
                settle_published_stores_the_receipt,
                settle_is_fenced_by_the_claim,
                publish_state_is_saved_for_the_next_attempt_and_fenced,
                released_orphaned_leases_are_claimable_now_and_unsettled,
                retry_outcomes_requeue_and_count_attempts_as_told,
                parked_outcomes_keep_the_error_whole,
                a_secret_echoed_in_an_error_is_never_stored,
                cancel_and_retry_follow_the_allowed_transitions,
                delivery_counts_group_by_channel_and_state,
                next_wake_is_the_earliest_due_time_lease_or_rule,
                rules_fire_once_per_occurrence,
                a_rule_whose_compose_fails_writes_nothing,
                skipping_an_occurrence_moves_the_rule_and_audits_why,
                a_paused_or_deleted_rule_never_fires,
                an_edited_rule_keeps_old_and_new_in_its_trail,
                a_channel_failing_in_a_row_is_found_and_an_automatic_pause_is_an_event,
                a_retried_delivery_keeps_a_time_still_to_come,
                a_reach_sample_is_kept_once_per_slot,
                a_failed_reach_sample_is_retried_later,
                page_views_add_up_per_announcement_and_day,
                many_announcements_are_created_in_one_change,
                a_batch_that_cannot_be_stored_writes_nothing,
                a_settled_batch_writes_each_outcome_fenced_by_its_claim,
                claims_resume_expired_leases_first_then_the_earliest_due,
                outcomes_and_the_next_claim_are_written_together,
                delivery_counts_follow_every_change,
                an_edit_changes_what_is_not_out_in_place_and_amends_what_is_out,
                a_retraction_cancels_what_is_not_out_and_is_never_claimed_again,
                amendments_are_claimed_in_order_per_delivery_and_fenced,
                deliveries_are_listed_by_department_and_due_range_a_page_at_a_time,
                deliveries_at_a_glance_are_the_listed_ones,
                announcements_are_listed_the_newest_first_a_page_at_a_time,
            );
        }
    };
    (@tests $open:path; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $story() -> anyhow::Result<()> {
                let (_guard, store) = $open().await?;
                super::$story(&store).await
            }
        )*
    };
}

async fn open_sqlite() -> Result<(tempfile::TempDir, SqliteStore)> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("prakat.db")).await?;
    ensure!(
        store.departments().await?.is_empty(),
        "a fresh store has no departments"
    );
    Ok((dir, store))
}

backend!(sqlite, super::open_sqlite);

/// The daemon starting while a command runs: both open a new database at once. Its migrations
/// are applied once, whoever comes first, and both open it.
#[tokio::test(flavor = "multi_thread")]
async fn processes_opening_a_new_database_at_once_all_open_it() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prakat.db");
        let opens = (0..4).map(|_| SqliteStore::open(&path));
        let mut ids = Vec::new();
        for opened in futures_util::future::join_all(opens).await {
            let store = opened.expect("every opener succeeds");
            ids.push(store.store_id().await.unwrap());
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "one database, one identity: {ids:?}");
    }
}

/// A command run while the daemon starts on a new data directory finds every department the
/// database starts with, never some of them.
#[tokio::test(flavor = "multi_thread")]
async fn whoever_opens_a_new_data_directory_sees_all_its_departments() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = prakat::settings::Settings::default();
        settings.storage.data_dir = dir.path().join("data");
        // Each looks the moment its own opening is done.
        let opens = (0..4).map(|_| {
            let settings = settings.clone();
            async move {
                let app = prakat::app::App::open_for(settings, prakat::channels::Purpose::Compose)
                    .await
                    .expect("every opener succeeds");
                app.store.departments().await.unwrap().len()
            }
        });
        let seen = futures_util::future::join_all(opens).await;
        assert_eq!(seen, [5, 5, 5, 5]);
    }
}
