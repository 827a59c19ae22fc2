//! The digest as one printable HTML page (A4): the cover with the signature block, the
//! station's totals, the charts (plain SVG bars drawn by the template), the notes, then one
//! section per department. Rendered by minijinja from `config/templates/digest/digest.html`
//! (or the same file under `templates.dir`), every text escaped.

use std::path::Path;

use minijinja::{Environment, Value};
use prakat_adapters::thai::{Digits, dates};

use super::model::Digest;

const TEMPLATE: &str = include_str!("../../config/templates/digest/digest.html");
/// The page's style sheet: inside the page for a file of its own, beside it on the website
/// (whose pages load only their own style sheets, no inline style).
pub const STYLE: &str = include_str!("../../config/templates/digest/digest.css");

/// Where the page's style comes from.
#[derive(Debug, Clone)]
pub enum Look {
    /// In the page: a file that prints on its own.
    Inline,
    /// A style sheet at this address (relative to the page).
    Linked(String),
}

/// `1234567` → `1,234,567`, in the digest's digits.
pub fn number(n: u64, digits: Digits) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    match digits {
        Digits::Thai => dates::thai_digits(&out),
        Digits::Arabic => out,
    }
}

/// A figure, or "–" for one not told.
pub fn figure(v: Option<u64>, digits: Digits) -> String {
    v.map_or_else(|| "–".to_owned(), |n| number(n, digits))
}

fn environment(
    digits: Digits,
    templates_dir: Option<&Path>,
) -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let text = match templates_dir.map(|d| d.join("digest/digest.html")) {
        Some(p) if p.is_file() => {
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?
        }
        _ => TEMPLATE.to_owned(),
    };
    env.add_filter("num", move |v: Value| -> String {
        if v.is_none() || v.is_undefined() {
            return "–".to_owned();
        }
        match i64::try_from(v.clone()) {
            Ok(n) if n >= 0 => number(n as u64, digits),
            Ok(n) => format!("-{}", number(n.unsigned_abs(), digits)),
            Err(_) => v.to_string(),
        }
    });
    env.add_filter("num_plain", move |v: Value| -> String {
        match digits {
            Digits::Thai => dates::thai_digits(&v.to_string()),
            Digits::Arabic => v.to_string(),
        }
    });
    env.add_filter("pct", move |v: i64| -> String {
        let s = format!("{}{}%", if v > 0 { "+" } else { "" }, v);
        match digits {
            Digits::Thai => dates::thai_digits(&s),
            Digits::Arabic => s,
        }
    });
    env.add_template_owned("digest.html", text)
        .map_err(|e| e.to_string())?;
    Ok(env)
}

/// Render the digest's HTML page. `Err` only for a broken override of the template.
pub fn render(
    digest: &Digest,
    templates_dir: Option<&Path>,
    look: &Look,
) -> Result<String, String> {
    let env = environment(digest.header.digits, templates_dir)?;
    let (style, stylesheet) = match look {
        Look::Inline => (Some(stylesheet(templates_dir)), None),
        Look::Linked(href) => (None, Some(href.clone())),
    };
    let ctx = minijinja::context! { style, stylesheet, ..Value::from_serialize(digest) };
    env.get_template("digest.html")
        .and_then(|t| t.render(ctx))
        .map_err(|e| format!("digest.html: {e:#}"))
}

/// The style sheet: `digest/digest.css` under `templates.dir` when there is one, else built in.
pub fn stylesheet(templates_dir: Option<&Path>) -> String {
    templates_dir
        .map(|d| d.join("digest/digest.css"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_else(|| STYLE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_in_either_digits() {
        assert_eq!(number(0, Digits::Arabic), "0");
        assert_eq!(number(999, Digits::Arabic), "999");
        assert_eq!(number(1000, Digits::Arabic), "1,000");
        assert_eq!(number(1_234_567, Digits::Arabic), "1,234,567");
        assert_eq!(number(1_234_567, Digits::Thai), "๑,๒๓๔,๕๖๗");
        assert_eq!(figure(None, Digits::Thai), "–");
    }
}
