//! Months to build digests of without a station: [`golden`], a small month written by hand
//! that has every case a digest must say plainly (a department without posts, a platform that
//! is not set up, figures not told, a platform that refused, a delivery that failed), for the
//! golden tests; and [`fill`], a month of any size put into a real store through its own
//! methods, for `prakat bench digest` and the store's tests.

use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::{Department, Draft, Payload, ReachSample, Receipt};

use super::model::ChannelInfo;
use super::month::Month;
use crate::store::{
    Actor, AnnouncementRecord, DigestRow, DigestRows, DigestSample, NewAnnouncement, NewDelivery,
    Outcome, PageViews, ReachSlot, Settlement, Store, StoreError,
};

/// The five lines of work of the seed, in its order.
pub fn departments() -> Vec<Department> {
    crate::app::default_departments()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid time")
        .with_timezone(&Utc)
}

fn sample(views: Option<u64>, reach: Option<u64>, reactions: Option<u64>) -> DigestSample {
    DigestSample {
        slot_secs: 7 * 86_400,
        taken_at: at("2026-11-28T03:00:00Z"),
        views,
        reach,
        reactions,
        comments: reactions.map(|r| r / 10),
        shares: reactions.map(|r| r / 20),
        clicks: None,
        video_views: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn row(
    id: i64,
    dept: &str,
    title: &str,
    body: &str,
    publish_at: &str,
    channel: &str,
    state: &str,
    s: Option<DigestSample>,
    page_views: u64,
) -> DigestRow {
    let published = state == "published";
    DigestRow {
        announcement_id: id,
        department: dept.into(),
        title: title.into(),
        body: body.into(),
        publish_at: at(publish_at),
        channel: Some(channel.into()),
        state: Some(state.into()),
        published_at: published.then(|| at(publish_at)),
        url: published.then(|| match channel {
            "website" => format!("https://ranong.example/site/news/{id}.html"),
            "facebook" => format!("https://www.facebook.com/123456789012345/posts/{id}00"),
            "line" => format!("https://line.me/R/home/public/post?id=@station&postId={id}"),
            _ => format!("https://www.youtube.com/watch?v=v{id}"),
        }),
        sample: s,
        reach_error: None,
        page_views,
    }
}

/// The channels of the golden month: TikTok is not set up.
pub fn golden_channels() -> Vec<ChannelInfo> {
    [
        ("website", "website"),
        ("facebook", "facebook"),
        ("line", "line"),
        ("youtube", "youtube"),
    ]
    .into_iter()
    .map(|(name, kind)| ChannelInfo {
        name: name.into(),
        kind: kind.into(),
    })
    .collect()
}

/// November 2569 BE (2026) and October before it, written by hand.
pub fn golden() -> (DigestRows, DigestRows) {
    let long_body = "สถานีตำรวจภูธรเมืองระนองร่วมกับแขวงทางหลวงระนองตั้งจุดตรวจความปลอดภัยบนถนนเพชรเกษม \
        บริเวณสี่แยกบางริ้น ตลอดช่วงเทศกาลลอยกระทง เพื่อลดอุบัติเหตุจากการขับขี่ขณะเมาสุรา \
        ผลการปฏิบัติ ตรวจรถยนต์และรถจักรยานยนต์รวม ๑,๒๔๐ คัน ดำเนินคดีผู้ขับขี่ที่ไม่สวมหมวกนิรภัย ๘๔ ราย";
    let mut refused = row(
        2,
        "traffic",
        "ตั้งจุดตรวจช่วงเทศกาลลอยกระทง",
        long_body,
        "2026-11-24T02:30:00Z",
        "facebook",
        "published",
        None,
        0,
    );
    refused.reach_error = Some((
        "rejected".into(),
        "(#10) This endpoint requires the 'read_insights' permission".into(),
    ));
    let rows = vec![
        // 1 Nov, 00:00 Bangkok: the month's first minute.
        row(
            1,
            "admin",
            "ประกาศนโยบายงดรับ งดให้ของขวัญ (No Gift Policy)",
            "ผู้กำกับการสถานีตำรวจภูธรเมืองระนอง ประกาศเจตนารมณ์ งดรับ งดให้ของขวัญและของกำนัลทุกชนิดในทุกเทศกาล",
            "2026-10-31T17:00:00Z",
            "website",
            "published",
            Some(sample(Some(310), None, None)),
            342,
        ),
        row(
            1,
            "admin",
            "ประกาศนโยบายงดรับ งดให้ของขวัญ (No Gift Policy)",
            "",
            "2026-10-31T17:00:00Z",
            "facebook",
            "published",
            Some(sample(Some(5_120), Some(3_800), Some(212))),
            342,
        ),
        row(
            1,
            "admin",
            "ประกาศนโยบายงดรับ งดให้ของขวัญ (No Gift Policy)",
            "",
            "2026-10-31T17:00:00Z",
            "line",
            "published",
            Some(sample(Some(1_450), Some(1_450), None)),
            342,
        ),
        row(
            2,
            "traffic",
            "ตั้งจุดตรวจช่วงเทศกาลลอยกระทง",
            long_body,
            "2026-11-24T02:30:00Z",
            "website",
            "published",
            Some(sample(Some(120), None, None)),
            150,
        ),
        refused,
        row(
            2,
            "traffic",
            "ตั้งจุดตรวจช่วงเทศกาลลอยกระทง",
            long_body,
            "2026-11-24T02:30:00Z",
            "youtube",
            "published",
            Some(sample(None, None, None)),
            150,
        ),
        // 30 Nov, 23:59 Bangkok: the month's last minute.
        row(
            3,
            "investigation",
            "จับกุมผู้ต้องหาคดียาเสพติด พร้อมของกลาง <ยาบ้า> ๒,๐๐๐ เม็ด",
            "ชุดสืบสวน สภ.เมืองระนอง จับกุมผู้ต้องหาพร้อมของกลาง ณ ตำบลบางนอน \"ขยายผลต่อ\" & ส่งพนักงานสอบสวนดำเนินคดี",
            "2026-11-30T16:59:00Z",
            "website",
            "published",
            None,
            0,
        ),
        row(
            3,
            "investigation",
            "จับกุมผู้ต้องหาคดียาเสพติด พร้อมของกลาง <ยาบ้า> ๒,๐๐๐ เม็ด",
            "",
            "2026-11-30T16:59:00Z",
            "facebook",
            "failed",
            None,
            0,
        ),
    ];
    let previous = vec![
        row(
            90,
            "admin",
            "ประชุมคณะทำงาน ITA",
            "ประชุมคณะทำงานประเมินคุณธรรมและความโปร่งใส",
            "2026-10-04T02:00:00Z",
            "website",
            "published",
            None,
            200,
        ),
        row(
            91,
            "traffic",
            "รณรงค์สวมหมวกนิรภัย",
            "รณรงค์สวมหมวกนิรภัย ๑๐๐%",
            "2026-10-10T02:00:00Z",
            "website",
            "published",
            None,
            100,
        ),
        row(
            92,
            "traffic",
            "อบรมวินัยจราจร",
            "อบรมวินัยจราจรให้นักเรียน",
            "2026-10-20T02:00:00Z",
            "website",
            "published",
            None,
            60,
        ),
    ];
    (
        DigestRows {
            departments: departments(),
            rows,
        },
        DigestRows {
            departments: departments(),
            rows: previous,
        },
    )
}

/// How big a month [`fill`] makes.
#[derive(Debug, Clone)]
pub struct Size {
    pub announcements: usize,
    pub channels: Vec<String>,
    pub slots: Vec<ReachSlot>,
}

/// Put a month of `size` into `store`: announcements spread over the month and the departments
/// (seeded if the store has none), each published on every channel, each delivery sampled at
/// every slot, the website's page views counted. `step` hears how far it got (of the total).
pub async fn fill<S: Store + ?Sized>(
    store: &S,
    month: Month,
    size: &Size,
    step: &(dyn Fn(u64, u64) + Sync),
) -> Result<(), StoreError> {
    let actor = Actor::daemon("fixture");
    let mut depts = store.departments().await?;
    if depts.is_empty() {
        store.seed_departments(&departments(), &actor).await?;
        depts = store.departments().await?;
    }
    let span = (month.end() - month.start()).num_seconds().max(1);
    let n = size.announcements.max(1) as i64;
    let news: Vec<NewAnnouncement> = (0..size.announcements)
        .map(|i| NewAnnouncement {
            department: depts[i % depts.len()].code.clone(),
            channels: size.channels.clone(),
            title: format!("ผลการปฏิบัติงานประจำวัน ลำดับที่ {}", i + 1),
            body: format!(
                "สถานีตำรวจภูธรเมืองระนองออกตรวจพื้นที่เสี่ยงและตั้งจุดตรวจ ลำดับที่ {} \
                 เพื่อดูแลความปลอดภัยในชีวิตและทรัพย์สินของประชาชน ตรวจยานพาหนะและบุคคลต้องสงสัย",
                i + 1
            ),
            link: None,
            tags: vec![],
            media: vec![],
            source: "fixture".into(),
            publish_at: month.start() + chrono::Duration::seconds(span * i as i64 / n + 60),
        })
        .collect();
    let channels = size.channels.clone();
    let compose = move |a: &AnnouncementRecord| -> Result<crate::compose::Composed, crate::compose::ComposeError> {
        Ok(channels
            .iter()
            .map(|ch| {
                let draft = Draft {
                    announcement_id: a.id,
                    department: a.department.clone(),
                    title: a.title.clone(),
                    text: a.body.clone(),
                    media: vec![],
                    link: None,
                    published_at: a.publish_at,
                    tags: vec![],
                };
                NewDelivery {
                    channel: ch.clone(),
                    payload: Payload::from_draft(ch, &draft),
                    due_at: a.publish_at,
                    idempotency_key: format!("fixture-{}-{ch}", a.id),
                }
            })
            .collect::<Vec<_>>()
            .into())
    };
    let total = (size.announcements * size.channels.len() * (1 + size.slots.len())) as u64;
    let mut done = 0u64;
    let mut created = Vec::new();
    for chunk in news.chunks(5_000) {
        created.extend(store.create_announcements(chunk, &compose, &actor).await?);
    }
    // Publish every delivery.
    let now = month.end();
    loop {
        let claimed = store
            .claim_due(now, "fixture", Duration::from_secs(600), 1_000)
            .await?;
        if claimed.is_empty() {
            break;
        }
        let settlements: Vec<Settlement> = claimed
            .iter()
            .map(|c| Settlement {
                delivery_id: c.id,
                claim: c.claim,
                outcome: Outcome::Published(Receipt {
                    remote_id: Some(format!("post-{}", c.id)),
                    url: Some(format!("https://example.invalid/post/{}", c.id)),
                    ..Receipt::default()
                }),
            })
            .collect();
        store.settle("fixture", now, &settlements).await?;
        done += claimed.len() as u64;
        step(done, total);
    }
    // Reach samples at every slot, and page views.
    let mut views = Vec::new();
    for (a, deliveries) in &created {
        for d in deliveries {
            for (k, slot) in size.slots.iter().enumerate() {
                let v = (a.id as u64 % 97 + 1) * (k as u64 + 1) * 10;
                let s = ReachSample {
                    taken_at: None,
                    views: Some(v),
                    unique_viewers: (d.channel != "website").then_some(v * 3 / 4),
                    reactions: Some(v / 10),
                    comments: Some(v / 50),
                    shares: None,
                    clicks: None,
                    video_views: None,
                };
                store
                    .record_reach(d.id, *slot, now + slot_offset(*slot), &s)
                    .await?;
                done += 1;
            }
            step(done, total);
        }
        views.push(PageViews {
            announcement_id: a.id,
            day: crate::digest::model::day_of(a.publish_at),
            views: a.id as u64 % 50 + 5,
        });
    }
    store.add_page_views(&views).await?;
    Ok(())
}

fn slot_offset(slot: ReachSlot) -> chrono::Duration {
    chrono::Duration::seconds(slot.secs())
}
