//! Where Thai words end, for cutting a text short.
//!
//! Thai is written without spaces between words, so word ends come from a dictionary:
//!
//! - [`word_ends`]: newmm, PyThaiNLP's dictionary maximal matching constrained by Thai
//!   character clusters (the `nlpo3` crate, its Rust implementation), over PyThaiNLP's CC0 word
//!   list (`data/words_th.txt`, 62k words, compiled in). It is the segmentation Thai NLP tools
//!   default to and the one Thai readers accept: it keeps โรคไซนัสอักเสบ and เว็บไซต์ whole,
//!   where the ICU4X LSTM model splits some words (โรคไซนัส|อัก|เสบ). A run the dictionary
//!   does not cover (a name, a new word, a misspelling) is one token, cut only at its edges.
//!   nlpo3 1.4 follows PyThaiNLP's newmm closely: on the texts of `tests/thai/golden` its word
//!   ends differ from PyThaiNLP 5.4's only inside links and between an opening bracket and a
//!   Latin word, where a cut never stays.
//! - [`guesses`]: the ICU4X LSTM segmenter (`new_auto`), a fallback for where the dictionary
//!   gives nothing near enough: inside a long run it does not cover, or inside a word longer
//!   than the room. A guess is worse than a dictionary word end, better than a cut between
//!   letters.
//!
//! Spaces are not handled here: every space is a boundary whatever surrounds it, and the
//! caller ([`super::fit`]) sees the spaces of the whole text, not only of a window.
//!
//! What must never happen here: a boundary that is not a char boundary of the text, or a panic.
//! If newmm fails or returns tokens that do not add up to the text, the LSTM's word ends take
//! its place.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use nlpo3::tokenizer::newmm::NewmmTokenizer;
use nlpo3::tokenizer::tokenizer_trait::Tokenizer as _;

/// PyThaiNLP's word list (CC0-1.0); its source is in `data/README.md`.
const WORD_LIST: &str = include_str!("../../data/words_th.txt");

/// The newmm segmenter over the word list, built once, on the first cut that needs word ends
/// (a text that fits, or that can be cut at a space, never builds it): `fit_text` runs for
/// every channel of every announcement. Building takes about 0.2 s in a release build, and
/// nlpo3's trie (a hash map per node) then holds some 60 MB for the life of the process.
static NEWMM: LazyLock<NewmmTokenizer> = LazyLock::new(|| {
    NewmmTokenizer::from_word_list(
        WORD_LIST
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
    )
});

/// The LSTM word segmenter, built once. `new_auto`, not `new_dictionary`, which splits Thai
/// words in the middle (ผลก|า|รป|ฏิ|บัติ).
static LSTM: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_auto(WordBreakInvariantOptions::default()));

/// The ends of the dictionary words in `text` and of the runs between them (spaces, digits,
/// Latin words, punctuation, each run the dictionary does not cover), as byte offsets in
/// increasing order, without 0, with `text.len()`. The segmenter sees nothing outside `text`:
/// the caller gives a window that starts and ends at a space where it can.
pub fn word_ends(text: &str) -> Vec<usize> {
    match NEWMM.segment(text, false, false) {
        Ok(tokens) if tokens.concat() == text => tokens
            .iter()
            .scan(0, |at, token| {
                *at += token.len();
                Some(*at)
            })
            .collect(),
        // Not expected; the LSTM still gives usable word ends.
        _ => guesses(text),
    }
}

/// The LSTM's word ends in `text`, as byte offsets in increasing order, without 0.
pub fn guesses(text: &str) -> Vec<usize> {
    LSTM.segment_str(text).filter(|&b| b > 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut start = 0;
        word_ends(text)
            .into_iter()
            .map(|end| {
                let w = &text[start..end];
                start = end;
                w
            })
            .collect()
    }

    #[test]
    fn dictionary_words_stay_whole() {
        assert_eq!(words("โรคไซนัสอักเสบ"), ["โรคไซนัสอักเสบ"]);
        assert_eq!(
            words("🚓 เว็บไซต์สถานีตำรวจ"),
            ["🚓", " ", "เว็บไซต์", "สถานีตำรวจ"]
        );
        assert_eq!(words("ผลการปฏิบัติงาน"), ["ผล", "การ", "ปฏิบัติงาน"]);
        assert_eq!(
            words("วันที่ ๑๗ มีนาคม ๒๕๖๘"),
            ["วันที่", " ", "๑๗", " ", "มีนาคม", " ", "๒๕๖๘"]
        );
        // Where the LSTM splits the word.
        assert!(guesses("โรคไซนัสอักเสบ").len() > 1);
    }

    #[test]
    fn a_run_the_dictionary_does_not_cover_is_one_token() {
        // A made-up name between two known words.
        let text = "คุณฐฐฐฐฐฐฐฐฐฐรักษ์ไทยมาแล้ว";
        let w = words(text);
        assert!(w.contains(&"คุณ") && w.contains(&"มา"), "{w:?}");
        assert!(w.iter().any(|w| w.contains("ฐฐฐฐฐฐฐฐฐฐ")), "{w:?}");
    }

    #[test]
    fn odd_input_gives_char_boundaries() {
        for text in [
            "",
            " ",
            "\r\n\r\n",
            "ััััำำ",
            "เเเเ",
            "ๆๆๆ",
            "a\u{200D}🚓\u{200D}👮🏽‍♀️🇹🇭🇹",
            "กำ\u{200B}นัล\u{200B}ทุก",
            "https://x.y/ก?q=ข#ค",
            "(((((",
            "\u{0E00}\u{0E3B}\u{0E5C}\u{0E7F}",
        ] {
            let ends = word_ends(text);
            assert_eq!(ends.last().copied().unwrap_or(0), text.len(), "{text:?}");
            for i in ends.into_iter().chain(guesses(text)) {
                assert!(
                    0 < i && i <= text.len() && text.is_char_boundary(i),
                    "{text:?} {i}"
                );
            }
        }
    }
}
