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
    pub args: Vec<(&'static str, Value)>,
}

/// A variable of a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Shown as it is: a path, a channel name, a setting key, a number already written out.
    Text(String),
    /// A whole number: a message may choose its words by it (`{ $count -> [one] … *[other] … }`).
    Number(i64),
    /// Another message, rendered in the same language.
    Msg(Box<Msg>),
    /// Messages in a row, rendered in the same language, with a separator (", ", "; ").
    List(Vec<Msg>, &'static str),
    /// Text that arrives already written in both languages (a channel's refusal, kept in the
    /// audit trail as such).
    Both { en: String, th: String },
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    /// Add a variable shown as it is.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Value::Text(value.to_string())));
        self
    }

    /// Add a number (plural forms choose by it).
    pub fn with_number(mut self, name: &'static str, value: i64) -> Self {
        self.args.push((name, Value::Number(value)));
        self
    }

    /// Add another message as a variable, rendered in the same language.
    pub fn with_msg(mut self, name: &'static str, value: Msg) -> Self {
        self.args.push((name, Value::Msg(Box::new(value))));
        self
    }

    /// Add a list of messages, rendered in the same language, separated by ", ".
    pub fn with_list(self, name: &'static str, values: Vec<Msg>) -> Self {
        self.with_list_sep(name, values, ", ")
    }

    /// Add a list of messages, rendered in the same language, separated by `sep`.
    pub fn with_list_sep(
        mut self,
        name: &'static str,
        values: Vec<Msg>,
        sep: &'static str,
    ) -> Self {
        self.args.push((name, Value::List(values, sep)));
        self
    }

    /// Add text that exists in both languages already.
    pub fn with_both(
        mut self,
        name: &'static str,
        en: impl Into<String>,
        th: impl Into<String>,
    ) -> Self {
        self.args.push((
            name,
            Value::Both {
                en: en.into(),
                th: th.into(),
            },
        ));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::Text(s) => Arg::from(s.as_str()),
                    Value::Number(n) => Arg::from(*n),
                    Value::Msg(m) => Arg::from(m.render(lang)),
                    Value::List(ms, sep) => Arg::from(
                        ms.iter()
                            .map(|m| m.render(lang))
                            .collect::<Vec<_>>()
                            .join(sep),
                    ),
                    Value::Both { en, th } => Arg::from(match lang {
                        Lang::En => en.as_str(),
                        Lang::Th => th.as_str(),
                    }),
                };
                (*k, v)
            })
            .collect();
        tr(lang, self.id, &args)
    }
}

/// Why a file or directory could not be used, in words a person can act on. Kinds people meet
/// (missing, no permission, disk full) are translated; anything else keeps the system's text.
pub fn io_reason(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => Msg::new("io-not-found"),
        K::PermissionDenied => Msg::new("io-permission-denied"),
        K::AlreadyExists => Msg::new("io-already-exists"),
        K::StorageFull | K::QuotaExceeded => Msg::new("io-disk-full"),
        K::ReadOnlyFilesystem => Msg::new("io-read-only"),
        K::IsADirectory => Msg::new("io-is-a-directory"),
        K::NotADirectory => Msg::new("io-not-a-directory"),
        _ => Msg::new("io-other").with("detail", e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The two catalogues of the workspace: the application's and the adapters' own
    /// (`prakat_adapters::i18n`), each with its source folder and the markers that name an id.
    const CATALOGUES: [(&str, &str, &[&str]); 2] = [
        ("locales", "src", &["t!(", "Msg::new(\"", "tr(", "tg!("]),
        (
            "adapters/locales",
            "adapters/src",
            &["refusal!(", "skip_reason!("],
        ),
    ];

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// Every message id of one language's files in `catalogue`, with the variables it uses.
    fn messages_in(catalogue: &str, lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let dir = root().join(catalogue).join(lang);
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
        for (catalogue, _, _) in CATALOGUES {
            let (en, th) = (messages_in(catalogue, "en"), messages_in(catalogue, "th"));
            let only_en: Vec<_> = en.keys().filter(|k| !th.contains_key(*k)).collect();
            let only_th: Vec<_> = th.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(
                only_en.is_empty(),
                "{catalogue}: missing in Thai: {only_en:?}"
            );
            assert!(
                only_th.is_empty(),
                "{catalogue}: missing in English: {only_th:?}"
            );
            for (id, vars) in &en {
                assert_eq!(
                    vars, &th[id],
                    "{catalogue}: {id}: the two languages use different variables"
                );
            }
        }
    }

    #[test]
    fn every_message_the_code_names_exists() {
        for (catalogue, src, markers) in CATALOGUES {
            every_message_named_in(catalogue, src, markers);
        }
    }

    fn every_message_named_in(catalogue: &str, src: &str, markers: &[&str]) {
        let en = messages_in(catalogue, "en");
        let mut missing = Vec::new();
        let src = root().join(src);
        for file in rust_files(&src) {
            let text = std::fs::read_to_string(&file).unwrap();
            for marker in markers {
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
            "messages named in code but not in {catalogue}/en: {missing:#?}"
        );
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                // Each catalogue's own i18n.rs defines the markers: not a use of them.
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
