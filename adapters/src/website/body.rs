//! An announcement's plain text as structure for the page template: paragraphs (split on blank
//! lines), lines (split on single newlines) and segments (text, or an http(s) link).
//!
//! No HTML is made here: the template renders the structure with auto-escaping, so user text
//! can never become markup.

use serde::Serialize;

/// A run of text, or a link whose text is the URL itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// Set when the segment is an `http://` or `https://` URL.
    pub href: Option<String>,
}

/// One paragraph: lines to be joined with `<br>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub lines: Vec<Vec<Segment>>,
}

/// Split plain text into paragraphs, lines and link segments.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut lines: Vec<Vec<Segment>> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !lines.is_empty() {
                out.push(Paragraph {
                    lines: std::mem::take(&mut lines),
                });
            }
        } else {
            lines.push(segments(line));
        }
    }
    if !lines.is_empty() {
        out.push(Paragraph { lines });
    }
    out
}

/// Where a URL stops: whitespace, any non-ASCII character (Thai text often follows a URL with
/// no space) and characters that cannot appear unescaped in a URL.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || !c.is_ascii()
        || c.is_ascii_control()
        || matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^')
}

/// The length in bytes of the URL at the start of `s` (which starts with a scheme), without
/// trailing punctuation that belongs to the sentence.
fn url_len(s: &str) -> usize {
    let mut end = s.find(ends_url).unwrap_or(s.len());
    loop {
        let url = &s[..end];
        let Some(last) = url.chars().last() else {
            break;
        };
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']' | '}' => true,
            ')' => url.matches('(').count() < url.matches(')').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

/// Split one line into text and link segments.
pub fn segments(line: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        // ASCII lowercasing keeps every byte offset, so positions in `lower` are positions in
        // `rest`.
        let lower = rest.to_ascii_lowercase();
        let found = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| lower.find(scheme).map(|i| (i, scheme.len())))
            .min();
        let Some((start, scheme_len)) = found else {
            break;
        };
        let len = url_len(&rest[start..]);
        if len <= scheme_len {
            // A bare scheme with nothing after it: keep it as text and look further on.
            push_text(&mut out, &rest[..start + scheme_len]);
            rest = &rest[start + scheme_len..];
            continue;
        }
        push_text(&mut out, &rest[..start]);
        let url = &rest[start..start + len];
        out.push(Segment {
            text: url.to_owned(),
            href: Some(url.to_owned()),
        });
        rest = &rest[start + len..];
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Segment {
            text: prev,
            href: None,
        }) => prev.push_str(text),
        _ => out.push(Segment {
            text: text.to_owned(),
            href: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Segment {
        Segment {
            text: s.into(),
            href: None,
        }
    }
    fn l(s: &str) -> Segment {
        Segment {
            text: s.into(),
            href: Some(s.into()),
        }
    }

    #[test]
    fn blank_lines_split_paragraphs_and_newlines_split_lines() {
        let p = paragraphs("หนึ่ง\nสอง\n\n  \r\nสาม\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].lines, vec![vec![t("หนึ่ง")], vec![t("สอง")]]);
        assert_eq!(p[1].lines, vec![vec![t("สาม")]]);
        assert!(paragraphs("\n\n").is_empty());
    }

    #[test]
    fn urls_become_links_without_trailing_punctuation_or_thai_text() {
        assert_eq!(
            segments("ดูที่ https://example.go.th/a?b=1&c=2. ครับ"),
            vec![t("ดูที่ "), l("https://example.go.th/a?b=1&c=2"), t(". ครับ")]
        );
        assert_eq!(
            segments("ดูที่http://x.th/คู่มือ"),
            vec![t("ดูที่"), l("http://x.th/"), t("คู่มือ")]
        );
        assert_eq!(
            segments("(see https://en.wikipedia.org/wiki/Foo_(bar))"),
            vec![
                t("(see "),
                l("https://en.wikipedia.org/wiki/Foo_(bar)"),
                t(")")
            ]
        );
        assert_eq!(
            segments("a HTTPS://X.TH b"),
            vec![t("a "), l("HTTPS://X.TH"), t(" b")]
        );
    }

    #[test]
    fn other_schemes_and_bare_schemes_stay_text() {
        assert_eq!(
            segments("javascript:alert(1) https:// ftp://x"),
            vec![t("javascript:alert(1) https:// ftp://x")]
        );
        assert_eq!(
            segments("<b>https://a.th\"onmouseover=x</b>"),
            vec![t("<b>"), l("https://a.th"), t("\"onmouseover=x</b>")]
        );
    }
}
