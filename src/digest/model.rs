//! The digest as every output shows it: built by [`build`] from the store's plain rows, pure
//! (no clock, no I/O), so the HTML, CSV, XLSX, PDF and JSON all say the same thing and the
//! figures add up: a department's total is the sum of its announcements, the station's the sum
//! of its departments.
//!
//! A figure a platform did not tell is `None` and shown as "–", never as zero; a sum of figures
//! some of which are unknown is the sum of those known, flagged as partial.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use prakat_adapters::thai::{Digits, FitOptions, dates, fit_text};
use prakat_adapters::{Department, LengthUnit};
use serde::Serialize;

use super::month::Month;
use crate::store::{DigestRow, DigestRows};

/// How long an announcement's excerpt may be, in characters.
pub const EXCERPT_CHARS: usize = 160;

/// The platforms the station's own measures name; one that no channel is set up for is said.
pub const SEED_PLATFORMS: &[(&str, &str)] = &[
    ("website", "เว็บไซต์"),
    ("facebook", "Facebook"),
    ("line", "LINE"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
];

/// Who signs the digest and whose it is (from `[digest]` and `[station]`).
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub station: String,
    pub commander_name: String,
    pub commander_rank: String,
    pub signer_title: String,
    pub digits: Digits,
}

/// A channel set up in the settings: its name and kind (`website`, `facebook`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInfo {
    pub name: String,
    pub kind: String,
}

/// What [`build`] needs.
pub struct Input<'a> {
    pub header: Header,
    pub month: Month,
    pub prepared_at: DateTime<Utc>,
    /// The public channels set up now, in the settings' order (outboxes left out).
    pub channels: Vec<ChannelInfo>,
    pub rows: &'a DigestRows,
    /// The month before, for the change from month to month.
    pub previous: &'a DigestRows,
}

/// Views, reach and engagement added up. `known` counts the deliveries that told the figure;
/// `partial` is true when some delivery did not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Deliveries published.
    pub posts: u64,
    pub views: Option<u64>,
    pub reach: Option<u64>,
    /// Reactions, comments and shares together.
    pub engagement: Option<u64>,
    /// Some published delivery told none of the three.
    pub partial: bool,
}

fn add(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

impl Figures {
    fn absorb(&mut self, o: &Figures) {
        self.posts += o.posts;
        self.views = add(self.views, o.views);
        self.reach = add(self.reach, o.reach);
        self.engagement = add(self.engagement, o.engagement);
        self.partial |= o.partial;
    }
}

/// One channel of one announcement.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub channel: String,
    /// `published`, `failed`, …; `none` when the announcement did not go to this channel.
    pub state: String,
    pub url: Option<String>,
    pub figures: Figures,
    /// A reason in Thai when the figures are missing: the platform refused, or has none yet.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub publish_at: DateTime<Utc>,
    /// `๓ พ.ย. ๖๙`
    pub date: String,
    pub title: String,
    pub excerpt: String,
    pub page_views: u64,
    /// One per digest channel, in the digest's channel order.
    pub cells: Vec<Cell>,
    pub total: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub code: String,
    pub name_th: String,
    pub name_en: String,
    pub items: Vec<Item>,
    /// Per digest channel.
    pub channels: Vec<Figures>,
    pub total: Figures,
    pub change: Change,
}

/// This month against the month before.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Change {
    pub announcements: u64,
    pub previous_announcements: u64,
    pub views: Option<u64>,
    pub previous_views: Option<u64>,
    /// Change in announcements, in percent of the month before; `None` when it had none.
    pub announcements_percent: Option<i64>,
    pub views_percent: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub kind: String,
    /// What the reader sees: `Facebook`, or `Facebook (page_traffic)` when there are two.
    pub label: String,
    /// False for a channel the month's posts went to that is no longer set up.
    pub configured: bool,
}

/// One bar of a chart.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    /// Of the longest bar, 0–1000.
    pub permille: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub unit: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub header: Header,
    pub month: String,
    pub month_th: String,
    pub previous_month_th: String,
    pub fiscal_year_be: i32,
    pub prepared_at: DateTime<Utc>,
    /// `วันที่ ๑ ธันวาคม ๒๕๖๙`
    pub prepared: String,
    pub columns: Vec<Column>,
    pub sections: Vec<Section>,
    /// Per column.
    pub channels: Vec<Figures>,
    pub total: Figures,
    pub announcements: u64,
    pub change: Change,
    pub charts: Vec<Chart>,
    /// Plain Thai sentences about what is missing or empty.
    pub notes: Vec<String>,
}

fn label_of(kind: &str) -> String {
    SEED_PLATFORMS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_else(|| match kind {
            "wordpress" => "WordPress".to_owned(),
            other => other.to_owned(),
        })
}

/// The columns: the channels set up now, then any other channel the month's posts went to.
fn columns(channels: &[ChannelInfo], rows: &DigestRows) -> Vec<Column> {
    let mut out: Vec<Column> = channels
        .iter()
        .filter(|c| c.kind != "outbox")
        .map(|c| Column {
            name: c.name.clone(),
            kind: c.kind.clone(),
            label: String::new(),
            configured: true,
        })
        .collect();
    for r in &rows.rows {
        if let Some(ch) = &r.channel
            && ch != "outbox"
            && !out.iter().any(|c| &c.name == ch)
        {
            out.push(Column {
                name: ch.clone(),
                kind: if ch == "website" {
                    "website".into()
                } else {
                    ch.clone()
                },
                label: String::new(),
                configured: false,
            });
        }
    }
    for i in 0..out.len() {
        let base = label_of(&out[i].kind);
        let shared = out.iter().filter(|c| c.kind == out[i].kind).count() > 1;
        out[i].label = if shared || (out[i].name != out[i].kind && !out[i].configured) {
            format!("{base} ({})", out[i].name)
        } else {
            base
        };
    }
    out
}

fn figures_of(row: &DigestRow, kind: &str) -> Figures {
    if row.state.as_deref() != Some("published") {
        return Figures::default();
    }
    let s = row.sample.as_ref();
    let mut views = s.and_then(|s| s.views);
    if kind == "website" {
        // The website counts its own views as they come: fresher than its last sample.
        views = Some(views.unwrap_or(0).max(row.page_views));
    }
    let engagement = s.and_then(|s| {
        [s.reactions, s.comments, s.shares]
            .into_iter()
            .fold(None, add)
    });
    let reach = s.and_then(|s| s.reach);
    Figures {
        posts: 1,
        views,
        reach,
        engagement,
        partial: views.is_none() && reach.is_none() && engagement.is_none(),
    }
}

/// Thai words for a delivery that is not published.
fn state_th(state: &str) -> &'static str {
    match state {
        "published" => "เผยแพร่แล้ว",
        "queued" | "in_flight" => "รอเผยแพร่",
        "failed" => "เผยแพร่ไม่สำเร็จ",
        "needs_attention" => "รอเจ้าหน้าที่แก้ไข",
        "none" => "ไม่ได้ส่งช่องทางนี้",
        _ => "อื่น ๆ",
    }
}

fn note_of(row: &DigestRow, f: &Figures) -> Option<String> {
    match row.state.as_deref() {
        Some("published") => {}
        Some(state) => return Some(state_th(state).to_owned()),
        None => return None,
    }
    if !f.partial {
        return None;
    }
    Some(match &row.reach_error {
        Some((class, _)) if class == "rejected" || class == "auth" => {
            "แพลตฟอร์มไม่ให้ตัวเลข".to_owned()
        }
        Some(_) => "ยังขอตัวเลขไม่สำเร็จ".to_owned(),
        None if row.sample.is_some() => "แพลตฟอร์มไม่แจ้งตัวเลข".to_owned(),
        None => "ยังไม่มีตัวเลข".to_owned(),
    })
}

/// A short excerpt that ends at a natural place (never inside a Thai word or a cluster).
pub fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    fit_text(
        &flat,
        &FitOptions {
            max: EXCERPT_CHARS,
            unit: LengthUnit::Chars,
            link: None,
        },
    )
    .text
}

fn percent(now: u64, before: u64) -> Option<i64> {
    (before > 0).then(|| ((now as f64 - before as f64) * 100.0 / before as f64).round() as i64)
}

/// Per department: announcements and views, for the month before.
fn previous_counts(rows: &DigestRows) -> BTreeMap<&str, (u64, Option<u64>)> {
    let mut seen = std::collections::HashSet::new();
    let mut out: BTreeMap<&str, (u64, Option<u64>)> = BTreeMap::new();
    for r in &rows.rows {
        let e = out.entry(r.department.as_str()).or_default();
        if seen.insert(r.announcement_id) {
            e.0 += 1;
        }
        let kind = if r.channel.as_deref() == Some("website") {
            "website"
        } else {
            ""
        };
        e.1 = add(e.1, figures_of(r, kind).views);
    }
    out
}

fn chart(title: &str, unit: &str, bars: Vec<(String, u64)>) -> Chart {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    Chart {
        title: title.to_owned(),
        unit: unit.to_owned(),
        bars: bars
            .into_iter()
            .map(|(label, value)| Bar {
                label,
                value,
                permille: (value * 1000).checked_div(max).unwrap_or(0),
            })
            .collect(),
    }
}

/// Build the digest of `input.month`.
pub fn build(input: Input<'_>) -> Digest {
    let d = input.header.digits;
    let cols = columns(&input.channels, input.rows);
    let index: BTreeMap<&str, usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();

    // Announcements in the store's order (publishing time), each with a cell per column.
    let mut items: Vec<(String, Item)> = Vec::new();
    for r in &input.rows.rows {
        if items.last().is_none_or(|(_, i)| i.id != r.announcement_id) {
            items.push((
                r.department.clone(),
                Item {
                    id: r.announcement_id,
                    publish_at: r.publish_at,
                    date: dates::short_date(r.publish_at, d),
                    title: r.title.clone(),
                    excerpt: excerpt(&r.body),
                    page_views: r.page_views,
                    cells: cols
                        .iter()
                        .map(|c| Cell {
                            channel: c.name.clone(),
                            state: "none".into(),
                            url: None,
                            figures: Figures::default(),
                            note: None,
                        })
                        .collect(),
                    total: Figures::default(),
                },
            ));
        }
        let Some(ch) = &r.channel else { continue };
        let Some(&i) = index.get(ch.as_str()) else {
            continue;
        };
        let item = &mut items.last_mut().expect("pushed above").1;
        let f = figures_of(r, &cols[i].kind);
        item.cells[i] = Cell {
            channel: ch.clone(),
            state: r.state.clone().unwrap_or_default(),
            url: r.url.clone(),
            figures: f,
            note: note_of(r, &f),
        };
        item.total.absorb(&f);
    }

    let previous = previous_counts(input.previous);
    let mut departments: Vec<Department> = input.rows.departments.clone();
    // A department the rows name but the store did not list (removed since): still shown.
    for (code, _) in &items {
        if !departments.iter().any(|x| &x.code == code) {
            departments.push(Department {
                code: code.clone(),
                name_th: code.clone(),
                name_en: code.clone(),
            });
        }
    }
    let mut by_dept: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for (code, item) in items {
        by_dept.entry(code).or_default().push(item);
    }
    let mut sections = Vec::new();
    for dept in departments {
        let items = by_dept.remove(&dept.code).unwrap_or_default();
        let mut channels = vec![Figures::default(); cols.len()];
        let mut total = Figures::default();
        for item in &items {
            for (i, c) in item.cells.iter().enumerate() {
                channels[i].absorb(&c.figures);
            }
            total.absorb(&item.total);
        }
        let (prev_n, prev_views) = previous
            .get(dept.code.as_str())
            .copied()
            .unwrap_or_default();
        let n = items.len() as u64;
        sections.push(Section {
            code: dept.code,
            name_th: dept.name_th,
            name_en: dept.name_en,
            change: Change {
                announcements: n,
                previous_announcements: prev_n,
                views: total.views,
                previous_views: prev_views,
                announcements_percent: percent(n, prev_n),
                views_percent: total.views.zip(prev_views).and_then(|(a, b)| percent(a, b)),
            },
            items,
            channels,
            total,
        });
    }

    let mut channels = vec![Figures::default(); cols.len()];
    let mut total = Figures::default();
    for s in &sections {
        for (i, f) in s.channels.iter().enumerate() {
            channels[i].absorb(f);
        }
        total.absorb(&s.total);
    }
    let announcements: u64 = sections.iter().map(|s| s.items.len() as u64).sum();
    let prev_n: u64 = previous.values().map(|v| v.0).sum();
    let prev_views = previous.values().map(|v| v.1).fold(None, add);
    let change = Change {
        announcements,
        previous_announcements: prev_n,
        views: total.views,
        previous_views: prev_views,
        announcements_percent: percent(announcements, prev_n),
        views_percent: total.views.zip(prev_views).and_then(|(a, b)| percent(a, b)),
    };

    // Posts per week: days 1–7, 8–14, 15–21, 22–28, 29 to the end.
    let mut weeks = vec![0u64; input.month.days().div_ceil(7) as usize];
    for s in &sections {
        for item in &s.items {
            let day = dates::bangkok(item.publish_at).day0() as usize;
            if let Some(w) = weeks.get_mut(day / 7) {
                *w += 1;
            }
        }
    }
    let days = input.month.days();
    let week_bars = weeks
        .iter()
        .enumerate()
        .map(|(w, n)| {
            let from = w as u32 * 7 + 1;
            let to = (from + 6).min(days);
            let label = dates::thai_digits(&format!("สัปดาห์ที่ {} ({from}–{to})", w + 1));
            let label = match d {
                Digits::Thai => label,
                Digits::Arabic => format!("สัปดาห์ที่ {} ({from}–{to})", w + 1),
            };
            (label, *n)
        })
        .collect();
    let charts = vec![
        chart(
            "ยอดเข้าชมแยกตามสายงาน",
            "ครั้ง",
            sections
                .iter()
                .map(|s| (s.name_th.clone(), s.total.views.unwrap_or(0)))
                .collect(),
        ),
        chart(
            "ยอดเข้าชมแยกตามช่องทาง",
            "ครั้ง",
            cols.iter()
                .zip(&channels)
                .map(|(c, f)| (c.label.clone(), f.views.unwrap_or(0)))
                .collect(),
        ),
        chart("จำนวนประกาศรายสัปดาห์", "เรื่อง", week_bars),
    ];

    let notes = notes(&input, &cols, &sections, &channels, announcements);
    Digest {
        month: input.month.slug(),
        month_th: input.month.thai(d),
        previous_month_th: input.month.previous().thai(d),
        fiscal_year_be: input.month.fiscal_year_be(),
        prepared: format!("วันที่ {}", dates::gov_date(input.prepared_at, d)),
        prepared_at: input.prepared_at,
        header: input.header,
        columns: cols,
        sections,
        channels,
        total,
        announcements,
        change,
        charts,
        notes,
    }
}

/// What the reader must know about what is missing, in plain Thai.
fn notes(
    input: &Input<'_>,
    cols: &[Column],
    sections: &[Section],
    channels: &[Figures],
    announcements: u64,
) -> Vec<String> {
    let mut notes = Vec::new();
    if announcements == 0 {
        notes.push(format!(
            "เดือน{}ไม่มีประกาศที่เผยแพร่ รายงานนี้จึงไม่มีรายการประกาศ",
            input.month.thai(input.header.digits)
        ));
    }
    let empty: Vec<&str> = sections
        .iter()
        .filter(|s| s.items.is_empty())
        .map(|s| s.name_th.as_str())
        .collect();
    if announcements > 0 && !empty.is_empty() {
        notes.push(format!("สายงานที่ไม่มีประกาศในเดือนนี้: {}", empty.join(", ")));
    }
    let missing: Vec<&str> = SEED_PLATFORMS
        .iter()
        .filter(|(k, _)| !input.channels.iter().any(|c| c.kind == *k))
        .map(|(_, l)| *l)
        .collect();
    if !missing.is_empty() {
        notes.push(format!(
            "ช่องทางที่ยังไม่ได้ตั้งค่า จึงไม่มีโพสต์และตัวเลขในรายงานนี้: {}",
            missing.join(", ")
        ));
    }
    let gone: Vec<&str> = cols
        .iter()
        .filter(|c| !c.configured)
        .map(|c| c.label.as_str())
        .collect();
    if !gone.is_empty() {
        notes.push(format!(
            "ช่องทางที่มีโพสต์ในเดือนนี้แต่ปัจจุบันไม่ได้ตั้งค่าแล้ว: {}",
            gone.join(", ")
        ));
    }
    let posts: u64 = channels.iter().map(|f| f.posts).sum();
    let told = channels
        .iter()
        .any(|f| f.views.is_some() || f.reach.is_some() || f.engagement.is_some());
    if posts > 0 && !told {
        notes.push(
            "ยังไม่มีตัวเลขการเข้าถึงจากช่องทางใดเลยในเดือนนี้ (แพลตฟอร์มยังไม่แจ้ง หรือยังไม่ถึงเวลาเก็บตัวเลข)"
                .to_owned(),
        );
    }
    // A platform that refused figures, said once per channel.
    let mut refused: BTreeMap<&str, (u64, String)> = BTreeMap::new();
    for r in &input.rows.rows {
        if let (Some(ch), Some((class, error)), None) = (&r.channel, &r.reach_error, &r.sample) {
            let e = refused.entry(ch.as_str()).or_insert((0, String::new()));
            e.0 += 1;
            if e.1.is_empty() {
                e.1 = format!("{class}: {}", error.chars().take(120).collect::<String>());
            }
        }
    }
    for (ch, (n, why)) in refused {
        let label = cols
            .iter()
            .find(|c| c.name == ch)
            .map_or(ch, |c| c.label.as_str());
        notes.push(format!(
            "{label} ไม่ให้ตัวเลขของ {} โพสต์ (แพลตฟอร์มตอบว่า {why})",
            match input.header.digits {
                Digits::Thai => dates::thai_digits(&n.to_string()),
                Digits::Arabic => n.to_string(),
            }
        ));
    }
    notes.push(
        "เครื่องหมาย “–” หมายถึงแพลตฟอร์มไม่ได้แจ้งตัวเลข ไม่ใช่ศูนย์ ยอดรวมนับเฉพาะตัวเลขที่ได้รับแจ้ง".to_owned(),
    );
    notes
}

/// The Bangkok calendar day of an instant.
pub fn day_of(at: DateTime<Utc>) -> chrono::NaiveDate {
    dates::bangkok(at).date_naive()
}
