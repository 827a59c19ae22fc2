//! Fitting a text to a platform's length limit at a place a Thai reader finds natural.
//!
//! [`fit_text`] returns the text unchanged when it fits. Otherwise it keeps the longest natural
//! beginning, appends "…" and, when there is room, a link to the full text on the website
//! (`\n\nอ่านต่อ: <link>`). The ellipsis and the link count toward the limit. The cut is, in
//! order of preference:
//!
//! 1. the last space or phrase punctuation that fits, unless that throws away much of the room
//!    ([`PHRASE_SLACK`]): Thai writers separate phrases and sentences with spaces;
//! 2. the last word boundary that fits, unless that throws away much of the room
//!    ([`WORD_SLACK`]): a space (any whitespace, whatever precedes it: emoji, digits, Latin) or
//!    the end of a dictionary word ([`super::words`]: newmm over PyThaiNLP's word list; Thai has
//!    no spaces between words);
//! 3. failing that, the last word end the ICU4X LSTM guesses (inside a long run the dictionary
//!    does not cover, such as a name, or inside a word longer than the room), on the same terms;
//! 4. the last grapheme-cluster boundary that fits (one very long token).
//!
//! A link (`http://` or `https://` up to the next space) is kept whole or dropped whole.
//!
//! What must never happen here: a result longer than the limit, counted in the platform's own
//! unit; a cut inside a link, inside a grapheme cluster (an orphaned tone or vowel mark, a lone
//! ำ) or inside a UTF-8 sequence; a leading vowel (เ แ โ ใ ไ) left dangling at the end; a panic
//! on any input. No I/O and no normalisation here: NFKC/NFKD change Thai lengths.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::words;
use crate::LengthUnit;

/// Appended where the text was cut.
pub const ELLIPSIS: &str = "…";

/// Put between the ellipsis and the link to the full text.
pub const READ_MORE: &str = "\n\nอ่านต่อ: ";

/// A cut at a space or punctuation is taken only if it keeps the text within this many units of
/// the room available (or within half the room, when the room is small); otherwise a word
/// boundary nearer the limit reads better than losing a whole phrase.
pub const PHRASE_SLACK: usize = 40;

/// A word boundary (or, failing one, an LSTM guess) is taken only if it keeps the text within
/// this many characters of the room, whatever the unit (in bytes, 40 units would be 13 Thai
/// letters, shorter than many Thai words); otherwise the text is one long token (a code, a run
/// of Latin letters) and is cut between graphemes.
pub const WORD_SLACK: usize = 40;

/// The link is appended only if it leaves at least this share of the limit for the text.
pub const MIN_TEXT_SHARE_PERCENT: usize = 20;

/// How far around the limit, in characters, the word segmenters look when no space is nearer:
/// enough context to place the boundaries near the cut, without segmenting a whole long text.
const WORD_WINDOW_CHARS: usize = 200;

/// Closing punctuation after which a cut reads naturally even without a space.
const CLOSERS: &[char] = &[')', ']', '}', '”', '’', '»', '!', '?'];

/// Opening punctuation that must not be left at the end of the kept text.
const OPENERS: &[char] = &['(', '[', '{', '<', '“', '‘', '«'];

/// Separators that read oddly right before the ellipsis; dropped from the end of the kept text.
const SEPARATORS: &[char] = &[',', ';', ':', '-', '–', '—', '•', '/', '|', '&'];

/// How to fit a text.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions<'a> {
    /// The limit, counted in `unit`, for the whole result (text, ellipsis and link together).
    pub max: usize,
    pub unit: LengthUnit,
    /// The full text on the website, appended after a shortened text when it fits.
    pub link: Option<&'a str>,
}

/// The result of fitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    pub text: String,
    pub shortened: bool,
    /// Length of the input, in the unit.
    pub original_len: usize,
    /// Length of `text`, in the unit.
    pub len: usize,
}

/// Fit `text` into `opts.max` units: unchanged if it fits, else cut at a natural place with "…"
/// and, room permitting, the link. The result is never longer than `opts.max`; when the limit is
/// shorter than the ellipsis itself the result is empty.
pub fn fit_text(text: &str, opts: &FitOptions<'_>) -> Fitted {
    let unit = opts.unit;
    let original_len = unit.count(text);
    if original_len <= opts.max {
        return Fitted {
            text: text.to_owned(),
            shortened: false,
            original_len,
            len: original_len,
        };
    }
    let text = shorten(text, opts);
    let len = unit.count(&text);
    Fitted {
        text,
        shortened: true,
        original_len,
        len,
    }
}

/// The cut text with its suffix: with the link if it leaves room enough, else "…" alone.
fn shorten(text: &str, opts: &FitOptions<'_>) -> String {
    let unit = opts.unit;
    let urls = url_spans(text);
    let with_link = opts.link.map(|link| format!("{ELLIPSIS}{READ_MORE}{link}"));
    let link_fits = |suffix: &&str| {
        let room = opts.max.saturating_sub(unit.count(suffix));
        unit.count(suffix) <= opts.max
            && room.saturating_mul(100) >= opts.max.saturating_mul(MIN_TEXT_SHARE_PERCENT)
    };
    let suffixes = with_link
        .as_deref()
        .filter(link_fits)
        .into_iter()
        .chain([ELLIPSIS]);
    for suffix in suffixes {
        let Some(room) = opts.max.checked_sub(unit.count(suffix)) else {
            continue;
        };
        // Lengths add up across grapheme boundaries, so the first try fits unless the text ends
        // with a link: then a space keeps the ellipsis out of the link (a platform would make
        // it part of the address), and a second try may be needed to make room for it. At room
        // 0 the result is the suffix alone, which fits.
        for room in (0..=room).rev() {
            let end = cut_point(text, room, unit, &urls);
            let gap = if end > 0 && urls.iter().any(|url| url.end == end) {
                " "
            } else {
                ""
            };
            let out = format!("{}{gap}{suffix}", &text[..end]);
            if unit.count(&out) <= opts.max {
                return out;
            }
        }
    }
    String::new()
}

/// Where to cut `text` so that `text[..end]` is at most `room` units long: a byte index on a
/// grapheme boundary, outside any of the `urls`, [settled](settle).
fn cut_point(text: &str, room: usize, unit: LengthUnit, urls: &[Range<usize>]) -> usize {
    // Grapheme boundaries that fit, in order; 0 always does.
    let mut fitting = vec![0];
    let mut len = 0;
    for (start, g) in text.grapheme_indices(true) {
        len += width(unit, g);
        if len > room {
            break;
        }
        fitting.push(start + g.len());
    }
    let limit = fitting.last().copied().unwrap_or(0);

    // 1. A space or phrase punctuation, if not wastefully early.
    let short_by = |end: usize| room.saturating_sub(unit.count(&text[..end]));
    if let Some(end) = last_cut(text, &fitting, urls, |i| is_phrase_break(text, i))
        && short_by(end) <= PHRASE_SLACK.min(room / 2)
    {
        return end;
    }

    // 2. A space or the end of a dictionary word, if not wastefully early.
    let chars_short = |end: usize| text[end..limit].chars().count();
    let window = word_window(text, limit);
    let word_ends = within(&window, limit, words::word_ends(&text[window.clone()]));
    let is_word_end = |i| is_space_boundary(text, i) || word_ends.binary_search(&i).is_ok();
    if let Some(end) = last_cut(text, &fitting, urls, is_word_end)
        && chars_short(end) <= WORD_SLACK
    {
        return end;
    }

    // 3. An LSTM guess, on the same terms.
    let guesses = within(&window, limit, words::guesses(&text[window.clone()]));
    if let Some(end) = last_cut(text, &fitting, urls, |i| guesses.binary_search(&i).is_ok())
        && chars_short(end) <= WORD_SLACK
    {
        return end;
    }

    // 4. A grapheme boundary (0 if the text starts with a link longer than the room).
    last_cut(text, &fitting, urls, |_| true).unwrap_or(0)
}

/// The last of the `fitting` grapheme boundaries that `is_cut` accepts, outside any link and
/// not before ๆ, [settled](settle); `None` if that leaves nothing.
fn last_cut(
    text: &str,
    fitting: &[usize],
    urls: &[Range<usize>],
    is_cut: impl Fn(usize) -> bool,
) -> Option<usize> {
    let i = fitting
        .iter()
        .rev()
        .copied()
        .find(|&i| i > 0 && !inside(urls, i) && !text[i..].starts_with('ๆ') && is_cut(i))?;
    Some(settle(text, i, urls)).filter(|&end| end > 0)
}

/// The length of one grapheme cluster in the unit.
fn width(unit: LengthUnit, grapheme: &str) -> usize {
    match unit {
        LengthUnit::Graphemes => 1,
        _ => unit.count(grapheme),
    }
}

/// Spaces, including the zero-width space some Thai texts put between words.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

/// A cut at `i` is next to a space, whatever is on the other side (an emoji, a digit, a Latin
/// letter, Thai).
fn is_space_boundary(text: &str, i: usize) -> bool {
    text[i..].starts_with(is_space) || text[..i].ends_with(is_space)
}

/// U+0E40–U+0E44 เ แ โ ใ ไ: written before the consonant they follow in speech.
fn is_leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

/// A cut at `i` falls between phrases: before a space or an opening bracket, or after closing
/// punctuation. A '.' counts only before a space, so rank abbreviations such as พ.ต.อ. and
/// ผกก.สภ. stay whole.
fn is_phrase_break(text: &str, i: usize) -> bool {
    let next = text[i..].chars().next();
    let prev = text[..i].chars().next_back();
    match (prev, next) {
        (None, _) | (_, None) => false,
        (_, Some(n)) if is_space(n) || OPENERS.contains(&n) => true,
        (Some(p), _) => CLOSERS.contains(&p),
    }
}

/// Links (`http://` or `https://` up to the next space), as byte ranges: never cut inside one.
fn url_spans(text: &str) -> Vec<Range<usize>> {
    // ASCII lowercasing keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        let rest = &lower[start + 4..];
        if rest.starts_with("://") || rest.starts_with("s://") {
            let end = text[start..]
                .find(is_space)
                .map_or(text.len(), |n| start + n);
            spans.push(start..end);
            from = end;
        } else {
            from = start + 4;
        }
    }
    spans
}

fn inside(spans: &[Range<usize>], i: usize) -> bool {
    spans.iter().any(|s| s.start < i && i < s.end)
}

/// Move a cut back over what must not end the kept text: spaces, then a leading vowel, an
/// opening bracket or a separator left hanging (`กาแฟ,…`, `- …`), but never into a link that
/// ends the kept text. A link glued to Thai text that ends in a leading vowel
/// (`https://x.th/ไ`) goes whole.
fn settle(text: &str, mut end: usize, urls: &[Range<usize>]) -> usize {
    loop {
        let kept = text[..end].trim_end_matches(is_space);
        let trimmed = kept.len();
        if let Some(url) = urls.iter().find(|url| url.end == trimmed) {
            if !kept.ends_with(is_leading_vowel) {
                return trimmed;
            }
            end = url.start;
            continue;
        }
        match kept.chars().next_back() {
            Some(c) if is_leading_vowel(c) || OPENERS.contains(&c) || SEPARATORS.contains(&c) => {
                end = trimmed - c.len_utf8();
            }
            _ => return trimmed,
        }
        if let Some(url) = urls.iter().find(|url| url.start < end && end < url.end) {
            end = url.start;
        }
    }
}

/// The part of `text` the word segmenters see around `limit`: from the last space before it to
/// the first space after it, at most [`WORD_WINDOW_CHARS`] either way.
fn word_window(text: &str, limit: usize) -> Range<usize> {
    let before = &text[..limit];
    let start = before
        .char_indices()
        .rev()
        .take(WORD_WINDOW_CHARS)
        .find(|&(_, c)| is_space(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or_else(|| {
            before
                .char_indices()
                .rev()
                .nth(WORD_WINDOW_CHARS - 1)
                .map_or(0, |(i, _)| i)
        });
    let after = &text[limit..];
    let end = limit
        + after
            .char_indices()
            .take(WORD_WINDOW_CHARS)
            .find(|&(_, c)| is_space(c))
            .map(|(i, _)| i)
            .unwrap_or_else(|| {
                after
                    .char_indices()
                    .nth(WORD_WINDOW_CHARS)
                    .map_or(after.len(), |(i, _)| i)
            });
    start..end
}

/// Boundaries found in the `window`, as offsets in the whole text, after its start and at or
/// before `limit`. The window's own edges are not boundaries (where they are spaces,
/// [`is_space_boundary`] finds them).
fn within(window: &Range<usize>, limit: usize, found: Vec<usize>) -> Vec<usize> {
    found
        .into_iter()
        .map(|b| window.start + b)
        .filter(|&b| window.start < b && b <= limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    // Paragraphs from the seed document (station-service-measures.th.txt), HTML tags removed.
    const MEASURES: &str = "ภาพกิจกรรมที่แสดงถึงการกำหนดมาตรการการพัฒนาคุณภาพการให้บริการของสถานีตำรวจภูธรเมืองระนอง ๓ ด้าน ดังต่อไปนี้";
    const ROLES: &str = "๑) ภาพประชาสัมพันธ์การสื่อสาร บทบาทภารกิจและผลการปฏิบัติงานของสถานีตำรวจนครบาล/สถานีตำรวจภูธรให้กับประชาชนที่มารับบริการได้รับทราบ";
    const ITA_MEETING: &str = "วันที่ ๔ ก.พ.๖๘ พ.ต.อ.ธวัชชัย ชื่นเจริญ ผกก.สภ.เมืองระนอง ซึ่งเป็นหัวหน้าคณะทำงาน ประชุมชี้แจง และให้ข้อมูลเกี่ยวกับคู่มือแนวทางการประเมินคุณธรรมและความโปร่งใสในหน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) เพื่อให้คณะทำงานและผู้รับผิดชอบ ได้ทราบและเข้าใจถึงรายละเอียด ของการจัดทำข้อมูลต่างๆ ซึ่งมีรายละเอียดเกี่ยวกับปฏิทินการประเมิน เครื่องมือที่ใช้ในการประเมิน กรอบระยะเวลาการประเมิน คะแนนระดับผลการประเมิน ให้เป็นไปตามกรอบและปฏิทินที่ สำนักงาน ป.ป.ช. กำหนด ณ ห้อง สปก.สภ.เมืองระนอง";
    const OIT_MEETING: &str = "วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น. พ.ต.อ.ธวัชชัย ชื่นเจริญ ผกก.สภ.เมืองระนอง ได้ประชุมติดตามความคืบหน้าการเผยแพร่ข้อมูลสาธารณะ OIT ทั้ง ๒๕ ข้อ ณ ห้อง ศปก.สภ.เมืองระนอง";
    const RESULTS: &str = "ประชาสัมพันธ์ผลการปฏิบัติงานของสถานีตำรวจผ่านช่องทางที่สร้างขึ้นมาอย่างต่อเนื่องเพื่อให้ประชาชนสามารถ รับประทานผลการปฏิบัติงานของสถานีได้อย่างต่อเนื่อง โดยให้ แต่ละแผนกงานส่งผลการปฏิบัติหน้าที่สำคัญที่จะเผยแพร่ ให้กับผู้รับผิดชอบ ทุกครั้งที่มีผลการปฏิบัติงานที่สำคัญ";
    const CHANNELS: &str = "เพจเฟซบุ๊กของสถานีตำรวจภูธรเมืองระนอง https://www.facebook.com/mrnpolice?mibextid=ZbWKwL ช่องทางยูทูป สภ.เมืองระนอง https://youtube.com/@muengranongpolicestation315?si=dfgrnNLWf3_DeNGE";
    const NO_GIFT: &str = "ขอประกาศเจตนารมณ์ว่า ผู้บริหารและเจ้าหน้าที่\nทุกคนในสถานีตำรวจภูธรเมืองระนอง\nไม่รับของขวัญและของกำนัลทุกชนิด\nจากการปฏิบัติหน้าที่ (NO GIFT POLICY)\nทั้งในขณะ ก่อน และหลังปฏิบัติหน้าที่ที่ส่งผลให้เกิดการ\nทุจริตและประพฤติมิชอบทั้งในปัจจุบันและอนาคต";
    const LINK: &str = "https://mueangranong.ranong.police.go.th/news/2568/oit";
    const UNITS: [LengthUnit; 4] = [
        LengthUnit::Chars,
        LengthUnit::Utf16,
        LengthUnit::Bytes,
        LengthUnit::Graphemes,
    ];

    fn fit(text: &str, max: usize, unit: LengthUnit) -> Fitted {
        fit_text(
            text,
            &FitOptions {
                max,
                unit,
                link: None,
            },
        )
    }

    /// The kept part of a shortened result: before the ellipsis.
    fn kept(fitted: &str) -> &str {
        fitted.split(ELLIPSIS).next().unwrap_or("")
    }

    fn is_thai_mark(c: char) -> bool {
        matches!(c, '\u{0E31}' | '\u{0E33}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
    }

    /// Human-readable cuts of `text` for a snapshot: one block per (unit, max, link).
    fn report(text: &str, cases: &[(LengthUnit, usize, Option<&str>)]) -> String {
        let mut out = String::new();
        for &(unit, max, link) in cases {
            let f = fit_text(text, &FitOptions { max, unit, link });
            let how = if f.shortened {
                "shortened"
            } else {
                "unchanged"
            };
            let with = if link.is_some() { " with link" } else { "" };
            let _ = writeln!(
                out,
                "── {unit:?} max {max}{with}: {} → {} ({how})",
                f.original_len, f.len
            );
            let _ = writeln!(out, "{}\n", f.text);
        }
        out
    }

    fn golden_cases() -> Vec<(LengthUnit, usize, Option<&'static str>)> {
        let mut cases = Vec::new();
        for unit in [LengthUnit::Chars, LengthUnit::Utf16] {
            for max in [60, 100, 200] {
                cases.push((unit, max, None));
            }
        }
        cases.push((LengthUnit::Graphemes, 60, None));
        cases.push((LengthUnit::Bytes, 200, None));
        cases.push((LengthUnit::Chars, 200, Some(LINK)));
        cases
    }

    #[test]
    fn golden_measures() {
        insta::assert_snapshot!(report(MEASURES, &golden_cases()));
    }

    #[test]
    fn golden_roles() {
        insta::assert_snapshot!(report(ROLES, &golden_cases()));
    }

    #[test]
    fn golden_ita_meeting() {
        insta::assert_snapshot!(report(ITA_MEETING, &golden_cases()));
    }

    #[test]
    fn golden_oit_meeting() {
        insta::assert_snapshot!(report(OIT_MEETING, &golden_cases()));
    }

    #[test]
    fn golden_results() {
        insta::assert_snapshot!(report(RESULTS, &golden_cases()));
    }

    #[test]
    fn golden_no_gift() {
        insta::assert_snapshot!(report(NO_GIFT, &golden_cases()));
    }

    #[test]
    fn fits_unchanged() {
        for unit in UNITS {
            let n = unit.count(OIT_MEETING);
            let f = fit(OIT_MEETING, n, unit);
            assert_eq!(
                f,
                Fitted {
                    text: OIT_MEETING.to_owned(),
                    shortened: false,
                    original_len: n,
                    len: n
                }
            );
            assert!(fit(OIT_MEETING, n - 1, unit).shortened);
        }
        assert_eq!(fit("", 0, LengthUnit::Chars).text, "");
    }

    #[test]
    fn counts_in_the_platforms_unit() {
        // Thai is in the BMP: one UTF-16 unit per code point, three UTF-8 bytes. 🚓 is one code
        // point, two UTF-16 units, four bytes.
        let text = "ผู้ต้องหา 🚓";
        let lens: Vec<usize> = UNITS
            .iter()
            .map(|&u| fit(text, 100, u).original_len)
            .collect();
        assert_eq!(lens, [11, 12, 32, 8]);

        // The police car fits in 11 code points but not in 11 UTF-16 units.
        assert!(!fit(text, 11, LengthUnit::Chars).shortened);
        assert_eq!(fit(text, 11, LengthUnit::Utf16).text, "ผู้ต้องหา…");
        // 30 bytes hold nine Thai characters and the ellipsis.
        let bytes = fit(text, 30, LengthUnit::Bytes);
        assert_eq!((bytes.text.as_str(), bytes.len), ("ผู้ต้องหา…", 30));
        // A platform counting bytes gets a third as much Thai as one counting characters.
        let chars = fit(RESULTS, 60, LengthUnit::Chars);
        let bytes = fit(RESULTS, 60, LengthUnit::Bytes);
        assert!(bytes.len <= 60 && chars.len <= 60);
        assert!(bytes.text.chars().count() * 3 <= chars.text.chars().count() + 3);
    }

    #[test]
    fn thai_without_spaces_at_tiny_limits() {
        let text = "ผู้ต้องหา";
        let cuts: Vec<String> = (0..=9)
            .map(|max| fit(text, max, LengthUnit::Chars).text)
            .collect();
        assert_eq!(
            cuts,
            ["", "…", "…", "…", "ผู้…", "ผู้…", "ผู้…", "ผู้…", "ผู้ต้อง…", "ผู้ต้องหา",]
        );
        // In graphemes ผู้ is one unit (ผู้|ต้|อ|ง|ห|า): never ผู… or ผ…
        let cuts: Vec<String> = (0..=6)
            .map(|max| fit(text, max, LengthUnit::Graphemes).text)
            .collect();
        assert_eq!(cuts, ["", "…", "ผู้…", "ผู้…", "ผู้…", "ผู้ต้อง…", "ผู้ต้องหา"]);
    }

    #[test]
    fn never_orphans_a_mark() {
        for text in ["ผู้ต้องหา", "กำนัลทุกชนิด", RESULTS, "ััั่่่ำำ"]
        {
            for unit in UNITS {
                for max in 0..=unit.count(text) {
                    let kept = kept(&fit(text, max, unit).text).to_owned();
                    let rest = text
                        .strip_prefix(kept.as_str())
                        .expect("kept text is a prefix");
                    let next = rest.chars().next();
                    assert!(
                        kept.is_empty() || !next.is_some_and(is_thai_mark),
                        "{unit:?} {max}: {kept:?} leaves {next:?} behind"
                    );
                }
            }
        }
    }

    #[test]
    fn leading_vowel_never_dangles() {
        assert_eq!(settle("ไปเ", "ไปเ".len(), &[]), "ไป".len());
        assert_eq!(settle("ข้อมูล แ", "ข้อมูล แ".len(), &[]), "ข้อมูล".len());
        // A long Latin token glued to Thai: the grapheme cut would land after เ.
        let text = "ABCDEFGHIJKLMNOPQRSTUVWXYZเก่ง";
        let f = fit(text, 28, LengthUnit::Chars);
        assert_eq!(f.text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ…");
        for text in [RESULTS, NO_GIFT, "เเเเเเเเ", "โอ้โหเเล้วไปไหน"]
        {
            for unit in UNITS {
                for max in 0..=unit.count(text) {
                    let f = fit(text, max, unit);
                    let last = kept(&f.text).chars().next_back();
                    assert!(
                        !(f.shortened && last.is_some_and(is_leading_vowel)),
                        "{unit:?} {max}: {:?}",
                        f.text
                    );
                }
            }
        }
    }

    #[test]
    fn hanging_punctuation_is_dropped_but_links_stay_whole() {
        let text = "จัดให้มีอุปกรณ์ เก้าอี้, กาแฟ, ทีวี ฯลฯ ไว้คอยบริการประชาชน";
        assert_eq!(
            fit(text, 31, LengthUnit::Chars).text,
            "จัดให้มีอุปกรณ์ เก้าอี้, กาแฟ…"
        );
        let text = "ช่องทาง - เว็บไซต์ของสถานีตำรวจ - Facebook - Line";
        assert_eq!(
            fit(text, 36, LengthUnit::Chars).text,
            "ช่องทาง - เว็บไซต์ของสถานีตำรวจ…"
        );
        // A link ending in '/' keeps its '/', and a space keeps the ellipsis out of the address.
        let text = "เว็บไซต์หลัก https://mueangranong.ranong.police.go.th/ โทร ๐ ๗๗๕๑ ๑๒๗๓";
        let expected = "เว็บไซต์หลัก https://mueangranong.ranong.police.go.th/ …";
        assert_eq!(fit(text, 56, LengthUnit::Chars).text, expected);
        // One unit less: no room for the space, so the link goes.
        assert_eq!(fit(text, 55, LengthUnit::Chars).text, "เว็บไซต์หลัก…");
    }

    #[test]
    fn a_link_glued_to_thai_text_is_still_kept_whole_or_dropped() {
        // No space after the link: a platform may take the Thai letters as part of it, so the
        // link runs to the next space and is never cut, not even between Thai words.
        let text = "ดูคู่มือที่https://x.th/คู่มือประชาชน และสอบถามเพิ่มเติมได้ที่สถานี";
        let link_end = text.find(' ').unwrap_or(0);
        for unit in UNITS {
            for max in 0..=unit.count(text) {
                let kept = kept(&fit(text, max, unit).text).trim_end_matches(' ').len();
                assert!(
                    kept <= "ดูคู่มือที่".len() || kept >= link_end,
                    "{unit:?} {max}: {:?}",
                    &text[..kept]
                );
            }
        }
        // A link ending in a leading vowel goes whole rather than leave ไ dangling.
        let text = "ติดตามได้ที่ https://x.th/ไ และเพจของสถานี";
        assert_eq!(fit(text, 28, LengthUnit::Chars).text, "ติดตามได้ที่…");
        assert_eq!(
            settle(text, "ติดตามได้ที่ https://x.th/ไ".len(), &url_spans(text)),
            "ติดตามได้ที่".len()
        );
    }

    #[test]
    fn never_splits_a_link() {
        let urls: Vec<&str> = CHANNELS
            .split(' ')
            .filter(|w| w.starts_with("https://"))
            .collect();
        for unit in UNITS {
            for max in 0..=unit.count(CHANNELS) {
                let f = fit(CHANNELS, max, unit);
                let kept = kept(&f.text);
                for url in &urls {
                    let start = CHANNELS.find(url).unwrap_or(0);
                    assert!(
                        kept.len() <= start || kept.len() >= start + url.len(),
                        "{unit:?} {max}: {kept:?} cuts {url}"
                    );
                }
            }
        }
        // Near the limit the whole link goes: the text stops before it.
        let f = fit(CHANNELS, 70, LengthUnit::Chars);
        assert_eq!(f.text, "เพจเฟซบุ๊กของสถานีตำรวจภูธรเมืองระนอง…");
        // A text that is one link longer than the limit keeps nothing but the ellipsis.
        assert_eq!(fit(urls[1], 20, LengthUnit::Chars).text, "…");
    }

    #[test]
    fn link_is_appended_when_it_fits_and_dropped_when_tiny() {
        let with = |max| {
            fit_text(
                ITA_MEETING,
                &FitOptions {
                    max,
                    unit: LengthUnit::Utf16,
                    link: Some(LINK),
                },
            )
        };
        let f = with(200);
        assert!(
            f.text.ends_with(&format!("…\n\nอ่านต่อ: {LINK}")),
            "{}",
            f.text
        );
        assert!(f.len <= 200);
        // The suffix takes 65 units: at 80 it would leave less than a fifth for the text.
        let f = with(80);
        assert!(
            !f.text.contains(LINK) && f.text.ends_with(ELLIPSIS),
            "{}",
            f.text
        );
        assert!(f.len <= 80);
        let f = with(10);
        assert!(!f.text.contains(LINK) && f.len <= 10);
    }

    #[test]
    fn rank_abbreviations_stay_whole() {
        // Room ends inside ผกก.สภ.เมืองระนอง: cut at the space before it, not after ผกก.
        let f = fit(OIT_MEETING, 60, LengthUnit::Chars);
        assert_eq!(
            f.text,
            "วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น. พ.ต.อ.ธวัชชัย ชื่นเจริญ…"
        );
        assert!(!is_phrase_break("พ.ต.อ.ธวัชชัย", "พ.".len()));
        assert!(is_phrase_break(
            "เวลา ๐๙.๓๐ น. พ.ต.อ.",
            "เวลา ๐๙.๓๐ น.".len()
        ));
    }

    #[test]
    fn word_cut_keeps_common_words_whole() {
        // No space for 80 characters: the cut is by word. ผลการปฏิบัติงาน may end after ผล, การ
        // or งาน (newmm keeps ปฏิบัติงาน whole), never after ผลก or ปฏิ (what ICU4X's dictionary
        // mode does).
        let text = "ประชาสัมพันธ์ผลการปฏิบัติงานของสถานีตำรวจผ่านช่องทางที่สร้างขึ้นมาอย่างต่อเนื่อง";
        let word = "ผลการปฏิบัติงาน";
        let start = text.find(word).unwrap_or(0);
        let whole_parts: Vec<usize> = ["", "ผล", "ผลการ", word]
            .iter()
            .map(|p| start + p.len())
            .collect();
        let mut seen = Vec::new();
        for max in 2..=40 {
            let kept = kept(&fit(text, max, LengthUnit::Chars).text).len();
            if (start..=start + word.len()).contains(&kept) {
                assert!(
                    whole_parts.contains(&kept),
                    "max {max}: {:?}",
                    &text[..kept]
                );
                seen.push(kept);
            }
        }
        assert!(
            seen.contains(&(start + word.len())),
            "the whole word is kept at some limit"
        );
        // The dictionary knows the word's parts.
        let bounds = words::word_ends(word);
        let pieces: Vec<&str> = [0]
            .iter()
            .chain(&bounds)
            .zip(&bounds)
            .map(|(&a, &b)| &word[a..b])
            .collect();
        assert_eq!(pieces, ["ผล", "การ", "ปฏิบัติงาน"]);
    }

    #[test]
    fn result_never_exceeds_the_limit() {
        let texts = [
            MEASURES,
            ROLES,
            OIT_MEETING,
            RESULTS,
            CHANNELS,
            NO_GIFT,
            "ผู้ต้องหา",
            "",
            " ",
            "\n\n\n",
            "ััััำำ",
            "a\u{200D}🚓\u{200D}👮🏽‍♀️🇹🇭🇹🇭🇹",
            "\r\n\r\nกก\r\n",
            "กำ\u{200B}นัล\u{200B}ทุก\u{200B}ชนิด",
            "(((((((((( ))))))))))",
            "https://x.y/ก",
            "เเเเ เเเ",
            "ๆๆๆ กๆ ขๆ",
        ];
        for text in texts {
            for unit in UNITS {
                for link in [None, Some(LINK)] {
                    for max in 0..=unit.count(text) + 2 {
                        let f = fit_text(text, &FitOptions { max, unit, link });
                        assert!(
                            f.len <= max,
                            "{unit:?} {max} {link:?}: {:?} is {}",
                            f.text,
                            f.len
                        );
                        assert_eq!(f.len, unit.count(&f.text));
                        assert_eq!(f.original_len, unit.count(text));
                        assert_eq!(f.shortened, f.original_len > max);
                        if f.shortened && max >= unit.count(ELLIPSIS) {
                            assert!(f.text.contains(ELLIPSIS), "{unit:?} {max}: {:?}", f.text);
                            assert!(text.starts_with(kept(&f.text)));
                        }
                    }
                }
            }
        }
    }

    /// Mixed text from a fixed pseudo-random sequence: Thai words and stray marks, leading
    /// vowels, ๆ, digits, Latin, emoji sequences, every kind of space, links. Every guarantee
    /// of the module holds for every unit and limit tried.
    #[test]
    fn mixed_text_keeps_every_guarantee() {
        const PIECES: &[&str] = &[
            "ก",
            "ผู้",
            "ต้อง",
            "หา",
            "เ",
            "แ",
            "ไ",
            "ั",
            "่",
            "ำ",
            "ๆ",
            "ฯ",
            "๑๒",
            "12",
            "Police",
            " ",
            "\u{A0}",
            "\t",
            "\r\n",
            "\n",
            "\u{200B}",
            "\u{3000}",
            "🚓",
            "👮🏽‍♀️",
            "🇹🇭",
            ",",
            ".",
            "(",
            ")",
            "“",
            "https://x.th/ก?a=1",
            "โรคไซนัสอักเสบ",
            "เว็บไซต์",
            "ฐฐฐฐ",
            "สถานีตำรวจภูธรเมืองระนอง",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n.max(1) as u64).unwrap_or(0)
        };
        for _ in 0..120 {
            let len = 1 + next(80);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let urls = url_spans(&text);
            for unit in UNITS {
                let total = unit.count(&text);
                for max in [next(total + 1), next(total + 1), total.saturating_sub(1)] {
                    let f = fit(&text, max, unit);
                    assert!(f.len <= max, "{unit:?} {max}: {:?}", f.text);
                    if !f.shortened {
                        continue;
                    }
                    let kept = kept(&f.text).trim_end_matches(' ');
                    let end = kept.len();
                    assert!(text.starts_with(kept), "{unit:?} {max}: {:?}", f.text);
                    let rest = &text[end..];
                    assert!(
                        end == 0 || !rest.starts_with(is_thai_mark),
                        "{unit:?} {max}: orphaned mark in {text:?}"
                    );
                    assert!(
                        !kept.ends_with(is_leading_vowel),
                        "{unit:?} {max}: {kept:?}"
                    );
                    assert!(!inside(&urls, end), "{unit:?} {max}: {kept:?} cuts a link");
                }
            }
        }
    }

    #[test]
    fn huge_limits_do_not_overflow() {
        let f = fit_text(
            RESULTS,
            &FitOptions {
                max: usize::MAX,
                unit: LengthUnit::Bytes,
                link: Some(LINK),
            },
        );
        assert!(!f.shortened);
    }
}
