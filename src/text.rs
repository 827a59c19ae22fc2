//! Text as it arrives from people (a typed line, a pasted Word document, a file): made into the
//! one form every channel and page is built from. Unicode NFC (so the same Thai word is always
//! the same bytes), a UTF-8 byte-order mark dropped, Windows line ends made `\n`, a vertical tab
//! or form feed (Word's soft line break) made a line break, and every other control character
//! removed — none of them means anything to a reader, and one of them in an XML feed breaks it.
//! Every intake calls [`normalize`] before anything is checked or stored.

use unicode_normalization::UnicodeNormalization;

/// `input` in the form prakat keeps; see the module docs.
pub fn normalize(input: &str) -> String {
    let without_bom = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    without_bom
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(c),
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
            c if c.is_control() => None,
            '\u{FEFF}' => None,
            c if is_noncharacter(c) => None,
            c => Some(c),
        })
        .nfc()
        .scan(true, |line_start, c| {
            // A vowel or tone mark with nothing before it on its line has nothing to sit on: it
            // shows as a dotted circle, and HTML checkers refuse a text run that starts with one.
            let orphan = *line_start && unicode_normalization::char::is_combining_mark(c);
            *line_start = c == '\n' || (*line_start && orphan);
            Some((!orphan).then_some(c))
        })
        .flatten()
        .collect()
}

/// A short text that must stay on one line (a title, a tag, a department's name): normalised,
/// with every run of spaces and line breaks made one space.
pub fn one_line(input: &str) -> String {
    normalize(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): never
/// text, refused in HTML.
fn is_noncharacter(c: char) -> bool {
    let v = c as u32;
    (0xFDD0..=0xFDEF).contains(&v) || v & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_and_soft_breaks_become_lines() {
        assert_eq!(
            normalize("\u{FEFF}ปิดถนน\u{0B}ชั่วคราว\u{0}\r\nพรุ่งนี้\u{1F}\t09.00 น."),
            "ปิดถนน\nชั่วคราว\nพรุ่งนี้\t09.00 น."
        );
    }

    #[test]
    fn marks_typed_in_either_order_are_the_same_text() {
        // A tone mark typed before the vowel below it (ก + ่ + ุ) is the same word as ก + ุ + ่.
        assert_eq!(normalize("ก\u{0E48}\u{0E38}"), "ก\u{0E38}\u{0E48}");
        assert_eq!(normalize("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn noncharacters_and_orphaned_marks_are_dropped() {
        assert_eq!(normalize("a\u{FDD0}b\u{1FFFE}c\u{10FFFF}"), "abc");
        assert_eq!(normalize("\u{0E48}\u{0E38}ก่อน\n\u{0301}x"), "ก่อน\nx");
        assert_eq!(one_line("  ชื่อ\nหน่วยงาน\u{0B} "), "ชื่อ หน่วยงาน");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        let text = "งานจราจร สภ.เมืองระนอง\n\nตั้งจุดตรวจ https://example.test/a?x=1&y=2";
        assert_eq!(normalize(text), text);
    }
}
