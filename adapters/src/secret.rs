//! Secrets in settings (platform tokens, passwords): read from the settings file, an environment
//! variable or a file, and never shown — `Debug`, `Display` and `Serialize` all write
//! `[redacted]`, so `prakat config show` and logs cannot leak them.
//!
//! ```toml
//! token = "inline value"                      # works, but keep the file private
//! token = { env = "PRAKAT_LINE_TOKEN" }        # from the environment
//! token = { file = "/run/secrets/line-token" } # from a file (trailing newline removed)
//! ```
//!
//! A secret from the environment or a file is read when first used, not when the settings are
//! loaded: a command that needs no token (listing the queue, composing a post) works while a
//! platform's variable is unset. What needs them all checks them first with [`resolve_secrets`],
//! which names the first one that cannot be read.

use std::cell::Cell;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, OnceLock, RwLock};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret value, or where to read it from. Clones share the value once read.
#[derive(Clone)]
pub struct Secret {
    source: Source,
    value: Arc<OnceLock<Result<SecretString, String>>>,
}

#[derive(Clone, Deserialize)]
#[serde(untagged)]
enum Source {
    Inline(String),
    Env { env: String },
    File { file: PathBuf },
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        remember(&value);
        let cell = OnceLock::new();
        let _ = cell.set(Ok(SecretString::from(value)));
        Secret {
            source: Source::Inline(String::new()),
            value: Arc::new(cell),
        }
    }

    fn from_source(source: Source) -> Self {
        Secret {
            source,
            value: Arc::new(OnceLock::new()),
        }
    }

    /// The value, read from its variable or file the first time, or why it cannot be read.
    pub fn resolve(&self) -> Result<&str, String> {
        match self.value.get_or_init(|| read(&self.source)) {
            Ok(v) => Ok(v.expose_secret()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The value, for the one place that must send it (an HTTP header). Never log it. A secret
    /// that cannot be read gives an empty string, which a platform refuses: whatever publishes
    /// checks its secrets with [`resolve_secrets`] before it starts.
    pub fn expose(&self) -> &str {
        self.resolve().unwrap_or("")
    }
}

fn read(source: &Source) -> Result<SecretString, String> {
    let value = match source {
        Source::Inline(v) => v.clone(),
        Source::Env { env } => {
            std::env::var(env).map_err(|_| format!("environment variable {env} is not set"))?
        }
        Source::File { file } => std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read secret file {}: {e}", file.display()))?
            .trim_end_matches(['\n', '\r'])
            .to_owned(),
    };
    if !value.is_empty() {
        remember(&value);
    }
    if value.is_empty() {
        return Err(match source {
            Source::Env { env } => format!("environment variable {env} is empty"),
            Source::File { file } => format!("secret file {} is empty", file.display()),
            Source::Inline(_) => "the secret is empty".into(),
        });
    }
    Ok(SecretString::from(value))
}

/// Secret values shorter than this are not masked in messages: they would mask ordinary words.
const MIN_KNOWN_LEN: usize = 8;

/// Every secret value read so far (and its percent-encoded form), to be masked wherever it turns
/// up in a message: a platform or a proxy that echoes a token back must not get it stored,
/// logged or shown.
static KNOWN: LazyLock<RwLock<Vec<SecretString>>> = LazyLock::new(|| RwLock::new(Vec::new()));

/// Remember a secret value so [`mask_known`] masks it. Called for every secret read from the
/// settings; call it for any other credential (a database password).
pub fn remember(value: &str) {
    if value.chars().count() < MIN_KNOWN_LEN {
        return;
    }
    let encoded = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    for v in [value.to_owned(), encoded] {
        if !known.iter().any(|k| k.expose_secret() == v) {
            known.push(SecretString::from(v));
        }
    }
    // Longest first: a secret that contains another is masked whole.
    known.sort_by_key(|k| std::cmp::Reverse(k.expose_secret().len()));
}

/// `s` with every remembered secret value replaced by `[redacted]`.
pub fn mask_known(s: &str) -> String {
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    let mut out = s.to_owned();
    for k in known.iter() {
        if out.contains(k.expose_secret()) {
            out = out.replace(k.expose_secret(), "[redacted]");
        }
    }
    out
}

thread_local! {
    /// Set while [`resolve_secrets`] walks a value: serializing a secret then reads it.
    static RESOLVING: Cell<bool> = const { Cell::new(false) };
}

/// Read every secret in `value` (a channel's settings), or say which one cannot be read, by
/// its key path: `page_access_token: environment variable PRAKAT_FB_TOKEN is not set`.
pub fn resolve_secrets<T: Serialize>(value: &T) -> Result<(), String> {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            RESOLVING.with(|r| r.set(false));
        }
    }
    RESOLVING.with(|r| r.set(true));
    let _reset = Reset;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::new(&mut out);
    serde_path_to_error::serialize(value, &mut ser).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path.is_empty() || path == "." {
            inner
        } else {
            format!("{path}: {inner}")
        }
    })
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if RESOLVING.with(Cell::get) {
            self.resolve().map_err(serde::ser::Error::custom)?;
        }
        s.serialize_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let source = Source::deserialize(d).map_err(|e| {
            // A missing key is said as such; any other shape gets the three accepted forms.
            if e.to_string().starts_with("missing field") {
                e
            } else {
                D::Error::custom("a secret is a string, { env = \"VAR\" } or { file = \"/path\" }")
            }
        })?;
        if let Source::Inline(v) = &source {
            // Known now: refuse an empty one where it is written.
            if v.is_empty() {
                return Err(D::Error::custom("the secret is empty"));
            }
            return Ok(Secret::new(v.clone()));
        }
        Ok(Secret::from_source(source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_echoed_back_is_masked_in_any_message_once_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "tok+en/Echoed=42\n").unwrap();
        let s: Secret = serde_json::from_value(serde_json::json!({ "file": file })).unwrap();
        let msg = "proxy said: bad token tok+en/Echoed=42 (sent as tok%2Ben%2FEchoed%3D42)";
        assert_eq!(mask_known(msg), msg, "not read yet, so not known");
        assert_eq!(s.resolve().unwrap(), "tok+en/Echoed=42");
        assert_eq!(
            crate::http::scrub(msg),
            "proxy said: bad token [redacted] (sent as [redacted])"
        );
    }

    #[test]
    fn short_values_are_not_masked() {
        let _ = Secret::new("abc");
        assert_eq!(mask_known("abc def"), "abc def");
    }

    #[derive(Deserialize, Serialize, Debug)]
    struct Holder {
        token: Secret,
    }

    #[test]
    fn a_secret_is_never_shown() {
        let h: Holder = toml::from_str("token = \"s3cr3t-value\"").unwrap();
        assert_eq!(h.token.expose(), "s3cr3t-value");
        for shown in [
            format!("{h:?}"),
            format!("{}", h.token),
            toml::to_string(&h).unwrap(),
        ] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
        }
    }

    #[test]
    fn a_secret_comes_from_a_file_or_says_why_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "from-file\n").unwrap();
        let h: Holder =
            toml::from_str(&format!("token = {{ file = \"{}\" }}", path.display())).unwrap();
        assert_eq!(h.token.expose(), "from-file");
        // Read when used: loading succeeds, resolving names the file or the variable.
        let h = toml::from_str::<Holder>("token = { file = \"/nonexistent/t\" }").unwrap();
        let err = h.token.resolve().unwrap_err();
        assert!(err.contains("/nonexistent/t"), "{err}");
        assert_eq!(h.token.expose(), "");
        let h =
            toml::from_str::<Holder>("token = { env = \"PRAKAT_TEST_SURELY_UNSET_VAR\" }").unwrap();
        let err = resolve_secrets(&h).unwrap_err();
        assert!(
            err.contains("token") && err.contains("PRAKAT_TEST_SURELY_UNSET_VAR"),
            "{err}"
        );
        // Shown as ever after the check.
        assert!(toml::to_string(&h).unwrap().contains("[redacted]"));
        let err = toml::from_str::<Holder>("token = \"\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("empty"), "{err}");
        let err = toml::from_str::<Holder>("").unwrap_err().to_string();
        assert!(err.contains("missing field `token`"), "{err}");
        let err = toml::from_str::<Holder>("token = 3")
            .unwrap_err()
            .to_string();
        assert!(err.contains("{ env = \"VAR\" }"), "{err}");
    }

    #[test]
    fn resolve_secrets_reads_every_secret_and_clones_share_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "first\n").unwrap();
        let h: Holder =
            toml::from_str(&format!("token = {{ file = \"{}\" }}", path.display())).unwrap();
        let copy = h.token.clone();
        resolve_secrets(&h).unwrap();
        std::fs::write(&path, "second\n").unwrap();
        assert_eq!(copy.expose(), "first");
    }
}
