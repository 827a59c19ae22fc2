//! Every message a person reads comes from the translation files under `locales/` (Project
//! Fluent), one folder per language: `locales/en/*.ftl` and `locales/th/*.ftl`. Code names a
//! message by its id and passes its variables; it holds no sentence of its own.
//!
//! ```ignore
//! let line = tr(Lang::Th, "queue-cancelled", &[("id", 7.into()), ("channel", "line".into())]);
//! let line = t!(lang, "queue-cancelled", id = 7, channel = "line");
//! ```
//!
//! A message missing from one language falls back to English, then to its id. Tests check that
//! both languages have the same ids with the same variables, and that every id the code names
//! exists.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

pub use crate::settings::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No bidi isolation marks around variables: the text goes to terminals, chat and
        // e-mail, where they show as stray characters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static TH: LanguageIdentifier = langid!("th");

impl Lang {
    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Th => &TH,
        }
    }
}

/// A value for a message's variable.
pub type Arg<'a> = FluentValue<'a>;

/// The message `id` in `lang`, with its variables.
pub fn tr(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), v.clone()))
        .collect();
    LOCALES
        .try_lookup_complete(lang.id(), id, Some(&args))
        .unwrap_or_else(|| id.to_owned())
}

/// `t!(lang, "id", name = value, …)`: [`tr`] with the variables written inline. Values are
/// anything that converts into a Fluent value: strings, numbers. Paths: `path.display().to_string()`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::tr(
            $lang,
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// A message not yet put into words: its id and variables, rendered in the reader's language
/// when shown. Errors carry one, so the same error reads right in the CLI, the chat and the
/// web desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    /// Add a variable.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, Arg::from(v.as_str())))
            .collect();
        tr(lang, self.id, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Every message id of one language's files, with the variables it uses.
    fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let resource = fluent_templates::fluent_bundle::FluentResource::try_new(text)
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", entry.path().display()));
            for item in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = item {
                    let vars = variables(&format!("{m:?}"));
                    assert!(
                        out.insert(m.id.name.to_owned(), vars).is_none(),
                        "{} is defined twice in {lang}",
                        m.id.name
                    );
                }
            }
        }
        out
    }

    /// The names of `$variables` in a message's syntax tree (its debug form).
    fn variables(debug: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let marker = "VariableReference { id: Identifier { name: \"";
        let mut rest = debug;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            if let Some(end) = rest.find('"') {
                out.insert(rest[..end].to_owned());
            }
        }
        out
    }

    #[test]
    fn both_languages_have_the_same_messages_and_variables() {
        let (en, th) = (messages("en"), messages("th"));
        let only_en: Vec<_> = en.keys().filter(|k| !th.contains_key(*k)).collect();
        let only_th: Vec<_> = th.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "missing in Thai: {only_en:?}");
        assert!(only_th.is_empty(), "missing in English: {only_th:?}");
        for (id, vars) in &en {
            assert_eq!(
                vars, &th[id],
                "{id}: the two languages use different variables"
            );
        }
    }

    #[test]
    fn every_message_the_code_names_exists() {
        let en = messages("en");
        let mut missing = Vec::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for file in rust_files(&src) {
            let text = std::fs::read_to_string(&file).unwrap();
            for marker in ["t!(", "Msg::new(\"", "tr("] {
                for (i, _) in text.match_indices(marker) {
                    let before = text[..i].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue; // `attr(`, `str(`: not a message
                    }
                    // The first string literal after the marker is the id.
                    let after = &text[i + marker.len()..];
                    let Some(open) = after.find('"') else {
                        continue;
                    };
                    if open > 80 {
                        continue;
                    }
                    let id = &after[open + 1..];
                    let Some(close) = id.find('"') else { continue };
                    let id = &id[..close];
                    let looks_like_id = !id.is_empty()
                        && id
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if looks_like_id && !en.contains_key(id) && id != "id" {
                        missing.push(format!("{}: {id}", file.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "messages named in code but not in locales/en: {missing:#?}"
        );
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn variables_are_filled_in_without_isolation_marks() {
        let line = tr(Lang::Th, "error-prefix", &[("message", "ไม่พบ".into())]);
        assert_eq!(line, "prakat: ไม่พบ");
        assert_eq!(t!(Lang::En, "yes"), "yes");
        assert_eq!(
            Msg::new("error-prefix").with("message", 5).render(Lang::En),
            "prakat: 5"
        );
    }

    #[test]
    fn an_unknown_id_shows_itself() {
        assert_eq!(tr(Lang::Th, "no-such-message", &[]), "no-such-message");
    }
}
