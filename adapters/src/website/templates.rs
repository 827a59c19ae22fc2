//! The website's template environment: the embedded templates from
//! `config/templates/website/`, each replaceable by a file of the same name in the configured
//! templates directory, with the Thai date filters and HTML auto-escaping for `.html` names.

use std::path::PathBuf;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Value};

use super::error::WebsiteError;
use crate::thai::{Digits, dates};

/// The embedded defaults, by name. One copy of each template: the files in `config/`.
pub(super) const EMBEDDED: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../../config/templates/website/base.html"),
    ),
    (
        "page.html",
        include_str!("../../../config/templates/website/page.html"),
    ),
    (
        "retracted.html",
        include_str!("../../../config/templates/website/retracted.html"),
    ),
    (
        "home.html",
        include_str!("../../../config/templates/website/home.html"),
    ),
    (
        "department.html",
        include_str!("../../../config/templates/website/department.html"),
    ),
    (
        "department_year.html",
        include_str!("../../../config/templates/website/department_year.html"),
    ),
    (
        "month.html",
        include_str!("../../../config/templates/website/month.html"),
    ),
    (
        "departments.html",
        include_str!("../../../config/templates/website/departments.html"),
    ),
    (
        "months.html",
        include_str!("../../../config/templates/website/months.html"),
    ),
    (
        "macros.html",
        include_str!("../../../config/templates/website/macros.html"),
    ),
    (
        "style.css",
        include_str!("../../../config/templates/website/style.css"),
    ),
];

/// The embedded default of a template, if there is one.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, src)| *src)
}

/// `s` escaped for HTML text, as the pages escape it (the RSS description carries it).
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// Escape `& < > " '` for HTML text and attribute values. `/` is left alone (it needs no
/// escaping in HTML), so URLs stay readable in the page source. The scanning is memchr's
/// vectorised search, so escaping costs little even in a debug build, where every page of a
/// publish passes all its text through here.
fn escape_html(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    let b = s.as_bytes();
    let find_markup = |from: usize| memchr::memchr3(b'&', b'<', b'>', &b[from..]).map(|i| i + from);
    let find_quote = |from: usize| memchr::memchr2(b'"', b'\'', &b[from..]).map(|i| i + from);
    let (mut next_markup, mut next_quote) = (find_markup(0), find_quote(0));
    let mut start = 0;
    loop {
        let i = match (next_markup, next_quote) {
            (None, None) => break,
            (Some(m), None) => m,
            (None, Some(q)) => q,
            (Some(m), Some(q)) => m.min(q),
        };
        out.write_str(&s[start..i])?;
        out.write_str(match b[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        start = i + 1;
        if next_markup == Some(i) {
            next_markup = find_markup(start);
        } else {
            next_quote = find_quote(start);
        }
    }
    out.write_str(&s[start..])
}

/// Build the environment. `templates_dir` files win over the embedded ones; a name with a path
/// separator or `..` is never looked up on disk.
pub fn environment(templates_dir: Option<PathBuf>, digits: Digits) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_loader(move |name| {
        if let Some(dir) = &templates_dir
            && !name.contains(['/', '\\'])
            && !name.contains("..")
        {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(src) => return Ok(Some(src)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::TemplateNotFound,
                        format!("cannot read {}: {e}", path.display()),
                    ));
                }
            }
        }
        Ok(embedded(name).map(str::to_owned))
    });
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(s) = value.as_str()
        {
            return escape_html(out, s).map_err(Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    crate::thai::register_filters(&mut env);
    // Numbers in the site's digits: `{{ count | digits }}`.
    env.add_filter("digits", move |v: Value| match digits {
        Digits::Thai => dates::thai_digits(&v.to_string()),
        Digits::Arabic => v.to_string(),
    });
    env
}

/// Render a template by name.
pub fn render(env: &Environment<'static>, name: &str, ctx: Value) -> Result<String, WebsiteError> {
    let tmpl = env
        .get_template(name)
        .map_err(|source| WebsiteError::Template {
            name: name.to_owned(),
            source,
        })?;
    tmpl.render(ctx).map_err(|source| WebsiteError::Template {
        name: name.to_owned(),
        source,
    })
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` are written as
/// `\u` escapes, which only ever occur inside JSON strings, so the text can neither close the
/// script element nor open a comment, and still parses to the same value.
pub fn script_json(value: &serde_json::Value) -> String {
    // `{:#}` is serde_json's own pretty printer, compiled (and optimised) in serde_json.
    let json = format!("{value:#}");
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 64);
    let mut start = 0;
    while let Some(i) = memchr::memchr3(b'<', b'>', b'&', &b[start..]).map(|i| i + start) {
        out.push_str(&json[start..i]);
        out.push_str(match b[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        start = i + 1;
    }
    out.push_str(&json[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_templates_escape_user_text_and_css_does_not() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.html", "{{ x }}|{{ 25 | digits }}")
            .unwrap();
        env.add_template("t.css", "{{ x }}").unwrap();
        let ctx = minijinja::context! { x => "<a href='/x'>&\"" };
        assert_eq!(
            render(&env, "t.html", ctx.clone()).unwrap(),
            "&lt;a href=&#39;/x&#39;&gt;&amp;&quot;|๒๕"
        );
        assert_eq!(render(&env, "t.css", ctx).unwrap(), "<a href='/x'>&\"");
    }

    #[test]
    fn every_embedded_template_parses() {
        let env = environment(None, Digits::Thai);
        for (name, _) in EMBEDDED {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        }
    }

    #[test]
    fn a_file_in_the_templates_dir_overrides_the_embedded_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("style.css"), "body{}").unwrap();
        let env = environment(Some(dir.path().to_owned()), Digits::Thai);
        assert_eq!(
            render(&env, "style.css", Value::UNDEFINED).unwrap(),
            "body{}"
        );
        assert!(render(&env, "../style.css", Value::UNDEFINED).is_err());
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = serde_json::json!({ "headline": "</script><!-- <b>&" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
