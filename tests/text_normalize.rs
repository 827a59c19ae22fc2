//! `prakat::text::normalize` on any input: what comes out has no control character but the
//! line break and the tab, no byte-order mark and no noncharacter, no line starting with a
//! combining mark, is NFC, and is a fixed
//! point (normalising twice changes nothing). Text that needs none of this is only put in NFC.

use prakat::text::normalize;
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// Characters intake has to deal with: every C0 and C1 control, the line and paragraph
/// separators, the byte-order mark and the two noncharacters, bidirectional controls,
/// combining marks (Latin and Thai, in either order), Hangul jamo that NFC composes.
const AWKWARD: &[char] = &[
    '\0',
    '\u{1}',
    '\u{8}',
    '\t',
    '\n',
    '\u{B}',
    '\u{C}',
    '\r',
    '\u{1B}',
    '\u{1F}',
    '\u{7F}',
    '\u{80}',
    '\u{85}',
    '\u{9F}',
    '\u{2028}',
    '\u{2029}',
    '\u{FEFF}',
    '\u{FFFE}',
    '\u{FFFF}',
    '\u{200B}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{202A}',
    '\u{202E}',
    '\u{2066}',
    '\u{2069}',
    '\u{0301}',
    '\u{0323}',
    '\u{0E01}',
    '\u{0E31}',
    '\u{0E38}',
    '\u{0E48}',
    '\u{0E4C}',
    '\u{1100}',
    '\u{1161}',
    '\u{11A8}',
    '\u{212B}',
    '\u{FDD0}',
    '\u{1FFFE}',
];

fn awkward_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        4 => proptest::sample::select(AWKWARD),
        2 => proptest::char::range('\u{0E00}', '\u{0E7F}'),
        1 => proptest::char::range('a', 'z'),
    ]
}

fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(awkward_char(), 0..64).prop_map(|v| v.into_iter().collect()),
        // Windows line ends, a leading byte-order mark and a trailing carriage return.
        proptest::collection::vec(awkward_char(), 0..32)
            .prop_map(|v| format!("\u{FEFF}{}\r\n\r", v.into_iter().collect::<String>())),
    ]
}

fn noncharacter(c: char) -> bool {
    (0xFDD0..=0xFDEF).contains(&(c as u32)) || c as u32 & 0xFFFE == 0xFFFE
}

fn kept(c: char) -> bool {
    c == '\n' || c == '\t' || !c.is_control()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalized_text_has_no_controls_no_bom_is_nfc_and_is_a_fixed_point(input in awkward_text()) {
        let out = normalize(&input);
        prop_assert!(out.chars().all(kept), "a control character is left: {out:?}");
        prop_assert!(!out.contains(['\u{FEFF}', '\u{FFFE}', '\u{FFFF}']), "{out:?}");
        prop_assert!(!out.chars().any(noncharacter), "a noncharacter is left: {out:?}");
        prop_assert!(
            !out.split('\n').any(|l| l.chars().next().is_some_and(is_combining_mark)),
            "a line starts with a mark that has nothing to sit on: {out:?}"
        );
        prop_assert!(!out.contains('\r'), "{out:?}");
        prop_assert!(is_nfc(&out), "not NFC: {out:?}");
        prop_assert_eq!(normalize(&out), out);
    }

    #[test]
    fn text_without_controls_is_only_put_in_nfc(input in proptest::collection::vec(awkward_char(), 0..64)) {
        let input: String = input
            .into_iter()
            .filter(|&c| {
                !c.is_control()
                    && !noncharacter(c)
                    && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
            })
            .collect();
        // Nor a mark at the very start, with nothing to sit on.
        let input = input.trim_start_matches(is_combining_mark).to_owned();
        prop_assert_eq!(normalize(&input), input.nfc().collect::<String>());
    }
}
