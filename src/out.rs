//! A command's output on stdout. A reader that goes away (`prakat queue list | head`) ends the
//! command quietly with status 0, as it does for other command-line tools, instead of a panic;
//! and table cells are measured in terminal columns, so Thai (whose vowel and tone marks take no
//! column) and wide characters line up.

use std::fmt;
use std::io::Write;

use unicode_width::UnicodeWidthStr;

/// Print a line of a command's output (`say!("{n} queued")`).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::out::line(format_args!($($arg)*)) };
}

/// Write one line to stdout; a closed pipe ends the process quietly.
pub fn line(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}").and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("prakat: cannot write the output: {e}");
        std::process::exit(1);
    }
}

/// One table cell: on one line (line breaks and tabs become spaces), at most `width` columns
/// (cut with "…"), padded to `width` columns.
pub fn cell(text: &str, width: usize) -> String {
    let mut s = clip(text, width);
    let used = s.width();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    s
}

/// `text` on one line and at most `width` columns, cut between grapheme clusters with "…".
pub fn clip(text: &str, width: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.width() <= width {
        return flat;
    }
    let mut out = String::new();
    let mut used = 0;
    for g in flat.graphemes(true) {
        let w = g.width();
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `text` right-aligned in `width` columns.
pub fn right(text: &str, width: usize) -> String {
    let t = clip(text, width);
    format!("{}{t}", " ".repeat(width.saturating_sub(t.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_cells_are_measured_in_columns() {
        // 11 characters, 9 columns: the marks ั and ุ take none.
        let thai = "ผลการจับกุม";
        assert_eq!((thai.chars().count(), thai.width()), (11, 9));
        assert_eq!(cell(thai, 12).width(), 12);
        assert_eq!(cell("abc", 5), "abc  ");
    }

    #[test]
    fn a_line_break_never_reaches_the_table() {
        let c = cell("first line\nsecond\tline", 40);
        assert!(!c.contains('\n') && !c.contains('\t'), "{c:?}");
        assert_eq!(c.width(), 40);
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_width() {
        let c = clip("ประชาสัมพันธ์ผลการปฏิบัติงานประจำเดือนพฤศจิกายน", 10);
        assert!(c.ends_with('…'), "{c}");
        assert!(c.width() <= 10, "{c}");
    }
}
