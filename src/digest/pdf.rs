//! The digest as a PDF, set by typst used as a library: a small [`World`] with the template
//! (`config/templates/digest/digest.typ`), the digest's words as `/digest.json`, and the Sarabun
//! font compiled into the binary — no system fonts, no files, no network. typst shapes Thai
//! (vowels and tone marks stacked on their consonant) and breaks lines at Thai word boundaries.
//!
//! Where the announcements' lines may break is decided here ([`breakable`]) with the project's
//! own Thai segmenter (newmm, [`prakat_adapters::thai::words`]), not by typst's LSTM segmenter,
//! which took most of the time of a big month: a mark between two Thai words becomes a
//! zero-width break opportunity in the template, and nothing in the text layer.
//!
//! Every text the PDF shows is made here ([`View`]): Thai dates, digits and "–" for a figure not
//! told, so the template only places them and the PDF says exactly what the HTML says.

use std::collections::HashMap;
use std::sync::LazyLock;

use rayon::prelude::*;

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::html::{figure, number};
use super::model::{Digest, Figures};

const TEMPLATE: &str = include_str!("../../config/templates/digest/digest.typ");
pub(crate) const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Regular.ttf");
pub(crate) const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Bold.ttf");

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = [FONT_REGULAR, FONT_BOLD]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    ))
}

/// The template and the digest's words; nothing else exists in this world.
struct DigestWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl World for DigestWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

#[derive(Serialize)]
struct ChartView {
    title: String,
    unit: String,
    bars: Vec<BarView>,
}

#[derive(Serialize)]
struct BarView {
    label: String,
    value: String,
    permille: u64,
}

#[derive(Serialize)]
struct ChannelLine {
    label: String,
    url: Option<String>,
    text: String,
}

#[derive(Serialize)]
struct ItemView {
    date: String,
    title: String,
    excerpt: String,
    /// The address of the announcement's page on the station's website, printed in full: the
    /// page ITA asks for, which links to the posts on the other channels.
    web: Option<String>,
    /// Every channel on one line: its name (a link to the post) and its figures.
    channels: Vec<ChannelLine>,
}

#[derive(Serialize)]
struct SectionView {
    name: String,
    /// Above each part after the first: the department's name, "continued".
    continued: String,
    line: String,
    legend: String,
    empty: String,
    /// The announcements, [`PART`] at most in each part: a part starts on a new page, so typst
    /// lays the parts out in parallel (one page run each).
    parts: Vec<Vec<ItemView>>,
    rows: Vec<[String; 5]>,
    total: [String; 5],
}

/// Marks a place between two Thai words where a line may break; the template turns each into
/// weak zero-width spacing (`words` in `digest.typ`): no glyph, so the PDF's text layer reads
/// as the text does.
const BREAK: char = '\u{200B}';

/// The fewest letters between two marks. Every mark splits the text typst shapes, lays out
/// and writes into one more piece, and that, not the letters, is most of the cost of a big
/// month: with at least 12 letters between two marks a line ends at most a short word earlier
/// than it could (lines are ragged right anyway), and a month of 10,000 announcements is set
/// about 0.5 s sooner than with 6 (`prakat bench digest`).
const MIN_PIECE: usize = 12;

/// A Thai letter or mark (not a Thai digit nor punctuation).
fn thai_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E4F}')
}

/// `text` with [`BREAK`] at each word end newmm finds between two Thai letters. Spaces, Latin
/// words, digits and punctuation are left to typst's own line-breaking rules; no break is
/// offered before ๆ or ฯ, which never begin a line.
fn breakable(text: &str) -> String {
    if !text.chars().any(thai_letter) {
        return text.to_owned();
    }
    let ends = prakat_adapters::thai::words::word_ends(text);
    let mut out = String::with_capacity(text.len() + 3 * ends.len());
    let mut last = 0;
    // Letters since the last place a line may break (a mark, or anything not a Thai letter).
    let mut run = 0;
    for end in ends {
        let word = &text[last..end];
        out.push_str(word);
        run = match word.chars().rev().position(|c| !thai_letter(c)) {
            Some(tail) => tail,
            None => run + word.chars().count(),
        };
        let before = text[..end].chars().next_back();
        let after = text[end..].chars().next();
        if run >= MIN_PIECE
            && before.is_some_and(thai_letter)
            && after.is_some_and(|c| thai_letter(c) && !matches!(c, 'ๆ' | 'ฯ'))
        {
            out.push(BREAK);
            run = 0;
        }
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// The most announcements set in one part of a department (about 20 pages): parts are laid
/// out in parallel, each begins a page.
const PART: usize = 150;

/// What the PDF shows, every text ready.
#[derive(Serialize)]
struct View {
    /// Page numbers in Thai digits.
    thai_digits: bool,
    title: String,
    station: String,
    month_th: String,
    fiscal_year: String,
    prepared: String,
    signer: String,
    signer_title: String,
    summary: String,
    channel_head: [&'static str; 5],
    channel_rows: Vec<[String; 5]>,
    channel_total: [String; 5],
    dept_head: Vec<String>,
    dept_rows: Vec<Vec<String>>,
    dept_total: Vec<String>,
    charts: Vec<ChartView>,
    notes: Vec<String>,
    sections: Vec<SectionView>,
}

fn view(d: &Digest) -> View {
    let g = d.header.digits;
    let n = |v: u64| number(v, g);
    let f = |v: Option<u64>| figure(v, g);
    let pct = |v: Option<i64>| {
        v.map(|p| {
            let s = format!(", เปลี่ยนแปลง {}{}%", if p > 0 { "+" } else { "" }, p);
            match g {
                prakat_adapters::thai::Digits::Thai => {
                    prakat_adapters::thai::dates::thai_digits(&s)
                }
                prakat_adapters::thai::Digits::Arabic => s,
            }
        })
        .unwrap_or_default()
    };
    let figs_row = |label: &str, x: &Figures| {
        [
            label.to_owned(),
            n(x.posts),
            f(x.views),
            f(x.reach),
            f(x.engagement),
        ]
    };
    let figs_text = |x: &Figures| {
        if x.posts == 0 {
            "–".to_owned()
        } else {
            format!(
                "เข้าชม {} · เข้าถึง {} · มีส่วนร่วม {}",
                f(x.views),
                f(x.reach),
                f(x.engagement)
            )
        }
    };
    let channel_rows = |chs: &[Figures]| -> Vec<[String; 5]> {
        d.columns
            .iter()
            .zip(chs)
            .map(|(c, x)| figs_row(&c.label, x))
            .collect()
    };
    // The same few words stand beside every announcement (the channels' names, the notes on
    // figures): each is marked for line breaks once.
    let labels: Vec<String> = d.columns.iter().map(|c| breakable(&c.label)).collect();
    let mut notes: HashMap<&str, String> = HashMap::new();
    for cell in d
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.cells)
    {
        if let Some(note) = &cell.note {
            notes
                .entry(note.as_str())
                .or_insert_with(|| breakable(note));
        }
    }
    let mut dept_head = vec!["สายงาน".to_owned(), "ประกาศ".into(), "เดือนก่อน".into()];
    dept_head.extend(d.columns.iter().map(|c| format!("{} (เข้าชม)", c.label)));
    dept_head.push("เข้าชมรวม".into());
    let dept_rows = d
        .sections
        .iter()
        .map(|s| {
            let mut r = vec![
                s.name_th.clone(),
                n(s.items.len() as u64),
                n(s.change.previous_announcements),
            ];
            r.extend(s.channels.iter().map(|x| f(x.views)));
            r.push(f(s.total.views));
            r
        })
        .collect();
    let mut dept_total = vec![
        "รวม".to_owned(),
        n(d.announcements),
        n(d.change.previous_announcements),
    ];
    dept_total.extend(d.channels.iter().map(|x| f(x.views)));
    dept_total.push(f(d.total.views));
    View {
        thai_digits: g == prakat_adapters::thai::Digits::Thai,
        title: format!("รายงานผลการประชาสัมพันธ์ประจำเดือน {}", d.month_th),
        station: d.header.station.clone(),
        month_th: d.month_th.clone(),
        fiscal_year: format!(
            "ปีงบประมาณ พ.ศ. {}",
            match g {
                prakat_adapters::thai::Digits::Thai =>
                    prakat_adapters::thai::dates::thai_digits(&d.fiscal_year_be.to_string()),
                prakat_adapters::thai::Digits::Arabic => d.fiscal_year_be.to_string(),
            }
        ),
        prepared: d.prepared.clone(),
        signer: format!("{} {}", d.header.commander_rank, d.header.commander_name)
            .trim()
            .to_owned(),
        signer_title: d.header.signer_title.clone(),
        summary: format!(
            "ประกาศที่เผยแพร่ทั้งหมด {} เรื่อง (เดือนก่อน {} เรื่อง{}) · ยอดเข้าชมรวม {} ครั้ง (เดือนก่อน {} ครั้ง{})",
            n(d.announcements),
            n(d.change.previous_announcements),
            pct(d.change.announcements_percent),
            f(d.total.views),
            f(d.change.previous_views),
            pct(d.change.views_percent),
        ),
        channel_head: ["ช่องทาง", "โพสต์", "เข้าชม", "เข้าถึง", "มีส่วนร่วม"],
        channel_rows: channel_rows(&d.channels),
        channel_total: figs_row("รวม", &d.total),
        dept_head,
        dept_rows,
        dept_total,
        charts: d
            .charts
            .iter()
            .map(|c| ChartView {
                title: c.title.clone(),
                unit: c.unit.clone(),
                bars: c
                    .bars
                    .iter()
                    .map(|b| BarView {
                        label: b.label.clone(),
                        value: n(b.value),
                        permille: b.permille,
                    })
                    .collect(),
            })
            .collect(),
        notes: d.notes.clone(),
        sections: d
            .sections
            .iter()
            .map(|s| SectionView {
                name: s.name_th.clone(),
                line: format!(
                    "จำนวนประกาศ {} เรื่อง · {}",
                    n(s.items.len() as u64),
                    figs_text(&s.total)
                ),
                legend: "ตัวเลขของแต่ละช่องทาง: เข้าชม / เข้าถึง / มีส่วนร่วม (“–” คือแพลตฟอร์มไม่ได้แจ้ง) · ชื่อช่องทางเป็นลิงก์ไปยังโพสต์ ที่อยู่เต็มของทุกโพสต์อยู่ในไฟล์ HTML, CSV และ XLSX ของรายงานนี้"
                    .to_owned(),
                empty: format!("ไม่มีประกาศของ{}ในเดือนนี้", s.name_th),
                continued: format!("{} (ต่อ)", s.name_th),
                // Titles and excerpts are marked for line breaks on every core.
                parts: s
                    .items
                    .par_iter()
                    .map(|i| ItemView {
                        date: i.date.clone(),
                        title: breakable(&i.title),
                        excerpt: breakable(&i.excerpt),
                        web: i
                            .cells
                            .iter()
                            .zip(&d.columns)
                            .find(|(c, col)| col.kind == "website" && c.url.is_some())
                            .and_then(|(c, _)| c.url.clone()),
                        channels: i
                            .cells
                            .iter()
                            .zip(&labels)
                            .filter(|(c, _)| c.state != "none")
                            .map(|(c, label)| {
                                // Numbers only, in the order the section's legend gives: the
                                // fewer Thai words per line, the quicker a big month is set.
                                let mut text = if c.state == "published" {
                                    format!(
                                        "{} / {} / {}",
                                        f(c.figures.views),
                                        f(c.figures.reach),
                                        f(c.figures.engagement)
                                    )
                                } else {
                                    String::new()
                                };
                                if let Some(note) = c.note.as_deref().and_then(|n| notes.get(n)) {
                                    text.push_str(&format!(" ({note})"));
                                }
                                ChannelLine {
                                    label: label.clone(),
                                    url: c.url.clone(),
                                    text,
                                }
                            })
                            .collect(),
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .fold(Vec::new(), |mut parts: Vec<Vec<ItemView>>, item| {
                        match parts.last_mut() {
                            Some(part) if part.len() < PART => part.push(item),
                            _ => parts.push(vec![item]),
                        }
                        parts
                    }),
                rows: channel_rows(&s.channels),
                total: figs_row(&format!("รวม{}", s.name_th), &s.total),
            })
            .collect(),
    }
}

/// What typst reads: every text of the PDF made ready ([`prepare`]), and the prepared date.
pub struct Prepared {
    data: Vec<u8>,
    today: Option<Datetime>,
}

/// Make every text the PDF shows, on every core: the slow part before typst is marking where
/// the lines of thousands of titles and excerpts may break.
pub fn prepare(digest: &Digest) -> Prepared {
    let data = serde_json::to_vec(&view(digest)).expect("the view serializes");
    let today = {
        use chrono::Datelike;
        let l = prakat_adapters::thai::bangkok(digest.prepared_at);
        Datetime::from_ymd(l.year(), l.month() as u8, l.day() as u8)
    };
    Prepared { data, today }
}

/// Set the digest as a PDF. `Err` carries typst's complaints (a broken template).
pub fn render(digest: &Digest) -> Result<Vec<u8>, String> {
    set(prepare(digest), || {})
}

/// Set a [prepared](prepare) digest as a PDF. `laid_out` is called once the pages are laid
/// out, when writing the PDF begins: from then on this thread alone works, and the caller may
/// use the other cores. `Err` carries typst's complaints (a broken template).
pub fn set(prepared: Prepared, laid_out: impl FnOnce()) -> Result<Vec<u8>, String> {
    let world = DigestWorld {
        main: Source::new(file_id("/main.typ"), TEMPLATE.to_owned()),
        data_id: file_id("/digest.json"),
        data: Bytes::new(prepared.data),
        today: prepared.today,
    };
    let said = |diags: &[typst::diag::SourceDiagnostic]| {
        diags
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let compiled = typst::compile::<typst_layout::PagedDocument>(&world);
    laid_out();
    // typst keeps what it computed for the next compile; a digest is set once a month.
    typst::comemo::evict(0);
    let document = compiled.output.map_err(|e| said(&e))?;
    typst_pdf::pdf(
        &document,
        &typst_pdf::PdfOptions {
            tagged: false,
            ..Default::default()
        },
    )
    .map_err(|e| said(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_offered_between_thai_words_and_nowhere_else() {
        let text = "งดรับงดให้ของขวัญและของกำนัลทุกชนิดในทุกเทศกาลเพื่อความโปร่งใสของหน่วยงาน";
        let ends = prakat_adapters::thai::words::word_ends(text);
        let marked = breakable(text);
        assert_eq!(marked.replace(BREAK, ""), text, "nothing taken away");
        let pieces: Vec<&str> = marked.split(BREAK).collect();
        assert!(pieces.len() > 3, "{pieces:?}");
        let mut at = 0;
        for piece in &pieces {
            at += piece.len();
            assert!(ends.contains(&at), "a mark inside a word: {pieces:?}");
            assert!(
                piece.chars().count() >= MIN_PIECE || at == text.len(),
                "{pieces:?}"
            );
        }
        // Spaces, Latin words, digits and punctuation: left to typst's own rules. A mark stands
        // only between two Thai letters, and takes nothing away.
        for text in [
            "ลำดับที่ 12 (ต่อ)",
            "ตั้งจุดตรวจ(ถนนสะพานปลา)",
            "https://example.invalid/ข่าว",
        ] {
            let marked = breakable(text);
            assert_eq!(marked.replace(BREAK, ""), text);
            for (at, _) in marked.match_indices(BREAK) {
                let before = marked[..at].chars().next_back().unwrap();
                let after = marked[at + BREAK.len_utf8()..].chars().next().unwrap();
                assert!(
                    thai_letter(before) && thai_letter(after),
                    "{marked:?} at {at}"
                );
            }
        }
        assert_eq!(breakable("๘๐ / – / ๙"), "๘๐ / – / ๙");
        assert_eq!(breakable("No Gift Policy"), "No Gift Policy");
        // Never a line that begins with ๆ or ฯ.
        for text in ["เด็กๆเล่นกันที่สนาม", "กรุงเทพฯและปริมณฑล"]
        {
            let marked = breakable(text);
            assert_eq!(marked.replace(BREAK, ""), text);
            assert!(
                !marked.contains("\u{200B}ๆ") && !marked.contains("\u{200B}ฯ"),
                "{marked:?}"
            );
        }
    }
}
