//! The post's HTML, built from the payload's plain text and the uploaded media: every character
//! of the announcement is escaped (a PR officer's text is never taken as HTML), paragraphs are
//! split at blank lines, single line breaks kept, web addresses made into links. Block-editor
//! comments wrap each part so the post opens as ordinary blocks in Gutenberg. Pure.

use std::fmt::Write;

use crate::MediaKind;

/// A media file as the site knows it after upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Embedded<'a> {
    pub id: u64,
    pub source_url: &'a str,
    pub kind: MediaKind,
}

/// The post content: the text's paragraphs, then each media file.
pub(crate) fn render(text: &str, alt: &str, media: &[Embedded<'_>]) -> String {
    let mut out = String::new();
    for para in paragraphs(text) {
        let lines: Vec<String> = para.lines().map(|l| linkify(l.trim_end())).collect();
        let _ = write!(
            out,
            "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->\n\n",
            lines.join("<br>\n")
        );
    }
    for m in media {
        let src = escape(m.source_url);
        let _ = match m.kind {
            MediaKind::Image => write!(
                out,
                "<!-- wp:image {{\"id\":{id}}} -->\n<figure class=\"wp-block-image\"><img src=\"{src}\" alt=\"{alt}\" class=\"wp-image-{id}\"/></figure>\n<!-- /wp:image -->\n\n",
                id = m.id,
                alt = escape(alt),
            ),
            MediaKind::Video => write!(
                out,
                "<!-- wp:video {{\"id\":{id}}} -->\n<figure class=\"wp-block-video\"><video controls src=\"{src}\"></video></figure>\n<!-- /wp:video -->\n\n",
                id = m.id,
            ),
            // Not given any: compose leaves documents to the channels that carry them.
            MediaKind::Document => Ok(()),
        };
    }
    out.truncate(out.trim_end().len());
    out
}

/// A media file embedded in a post, read back from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub id: u64,
    pub source_url: String,
    pub kind: MediaKind,
}

impl Found {
    pub(crate) fn embedded(&self) -> Embedded<'_> {
        Embedded {
            id: self.id,
            source_url: &self.source_url,
            kind: self.kind,
        }
    }
}

/// The media blocks [`render`] wrote into a post's raw content, in order: each
/// `<!-- wp:image {"id":N} -->` or `<!-- wp:video {"id":N} -->` with the `src` inside it.
/// What another editor wrote in another shape is not found.
pub(crate) fn media_in(raw: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find("<!-- wp:") {
        rest = &rest[start + "<!-- wp:".len()..];
        let kind = if rest.starts_with("image ") {
            MediaKind::Image
        } else if rest.starts_with("video ") {
            MediaKind::Video
        } else {
            continue;
        };
        let Some(end) = rest.find("<!-- /wp:") else {
            break;
        };
        let block = &rest[..end];
        let id = block.split_once("{\"id\":").and_then(|(_, t)| {
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        });
        let src = block
            .split_once("src=\"")
            .and_then(|(_, t)| t.split_once('"'))
            .map(|(src, _)| unescape(src));
        if let (Some(id), Some(source_url)) = (id, src) {
            out.push(Found {
                id,
                source_url,
                kind,
            });
        }
        rest = &rest[end..];
    }
    out
}

/// Undo [`escape`].
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&amp;", "&")
}

/// Paragraphs: runs of non-blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

/// Escape one line, turning `http(s)://…` runs (up to the next whitespace) into links.
fn linkify(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(pos) = find_url(rest) {
        out.push_str(&escape(&rest[..pos]));
        let tail = &rest[pos..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        // Closing punctuation right after an address belongs to the sentence.
        let url = tail[..end].trim_end_matches(['.', ',', ')', '"', '\'', ';', ':', '!', '?']);
        let e = escape(url);
        let _ = write!(out, "<a href=\"{e}\">{e}</a>");
        rest = &tail[url.len()..];
    }
    out.push_str(&escape(rest));
    out
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("https://"), s.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// HTML-escape text and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_paragraphs_and_links() {
        let html = render(
            "ประกาศ <script>alert('x')</script> & อื่นๆ\nบรรทัดสอง\n\n\nอ่านต่อ: https://station.example/a?b=1&c=2.",
            "t",
            &[],
        );
        assert_eq!(
            html,
            "<!-- wp:paragraph -->\n<p>ประกาศ &lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt; &amp; อื่นๆ<br>\nบรรทัดสอง</p>\n<!-- /wp:paragraph -->\n\n\
             <!-- wp:paragraph -->\n<p>อ่านต่อ: <a href=\"https://station.example/a?b=1&amp;c=2\">https://station.example/a?b=1&amp;c=2</a>.</p>\n<!-- /wp:paragraph -->"
        );
    }

    #[test]
    fn media_are_read_back_from_what_render_wrote() {
        let media = [
            Embedded {
                id: 7,
                source_url: "https://s.example/up/a.jpg?x=1&y=\"2\"",
                kind: MediaKind::Image,
            },
            Embedded {
                id: 18,
                source_url: "https://s.example/up/b.mp4",
                kind: MediaKind::Video,
            },
        ];
        let html = render("ข้อความ <!-- wp:x --> https://a.example", "ชื่อ", &media);
        let found = media_in(&html);
        let again: Vec<Embedded<'_>> = found.iter().map(Found::embedded).collect();
        assert_eq!(again, media);
        assert_eq!(render("ใหม่", "ชื่อ", &again), render("ใหม่", "ชื่อ", &media));
        assert!(media_in(&render("ไม่มีภาพ", "t", &[])).is_empty());
    }

    #[test]
    fn media_follow_the_text() {
        let html = render(
            "ข้อความ",
            "ชื่อ \"ข่าว\"",
            &[
                Embedded {
                    id: 7,
                    source_url: "https://s.example/up/a.jpg",
                    kind: MediaKind::Image,
                },
                Embedded {
                    id: 8,
                    source_url: "https://s.example/up/b.mp4",
                    kind: MediaKind::Video,
                },
            ],
        );
        assert!(html.contains("<img src=\"https://s.example/up/a.jpg\" alt=\"ชื่อ &quot;ข่าว&quot;\" class=\"wp-image-7\"/>"), "{html}");
        assert!(html.contains("<!-- wp:video {\"id\":8} -->"), "{html}");
        assert!(html.find("ข้อความ").unwrap() < html.find("wp-image-7").unwrap());
    }
}
