//! Secrets in settings (platform tokens, passwords): read from the settings file, an environment
//! variable or a file, and never shown — `Debug`, `Display` and `Serialize` all write
//! `[redacted]`, so `prakat config show` and logs cannot leak them.
//!
//! ```toml
//! token = "inline value"                      # works, but keep the file private
//! token = { env = "PRAKAT_LINE_TOKEN" }        # from the environment
//! token = { file = "/run/secrets/line-token" } # from a file (trailing newline removed)
//! ```

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The value, for the one place that must send it (an HTTP header). Never log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
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
        s.serialize_str("[redacted]")
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Source {
    Inline(String),
    Env { env: String },
    File { file: std::path::PathBuf },
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = match Source::deserialize(d).map_err(|_| {
            D::Error::custom("a secret is a string, { env = \"VAR\" } or { file = \"/path\" }")
        })? {
            Source::Inline(v) => v,
            Source::Env { env } => std::env::var(&env)
                .map_err(|_| D::Error::custom(format!("environment variable {env} is not set")))?,
            Source::File { file } => std::fs::read_to_string(&file)
                .map_err(|e| {
                    D::Error::custom(format!("cannot read secret file {}: {e}", file.display()))
                })?
                .trim_end_matches(['\n', '\r'])
                .to_owned(),
        };
        if value.is_empty() {
            return Err(D::Error::custom("the secret is empty"));
        }
        Ok(Secret::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let err = toml::from_str::<Holder>("token = { file = \"/nonexistent/t\" }")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/t"), "{err}");
        let err = toml::from_str::<Holder>("token = { env = \"PRAKAT_TEST_SURELY_UNSET_VAR\" }")
            .unwrap_err()
            .to_string();
        assert!(err.contains("PRAKAT_TEST_SURELY_UNSET_VAR"), "{err}");
        let err = toml::from_str::<Holder>("token = \"\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("empty"), "{err}");
    }
}
