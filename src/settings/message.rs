//! What a [`SettingsError`] says to a person, from the translation files
//! (`locales/*/settings.ftl`): always the file or variable, the key and the line, and the reason
//! in the reader's language. The reasons serde and the TOML reader give in English ("unknown
//! field `batch`, expected one of …") are read back into their parts here; a reason of another
//! shape (one of the settings' own checks on a value) is shown as it was written.

use crate::i18n::{Msg, io_reason};

use super::SettingsError;

impl SettingsError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            SettingsError::Read { path, source } => Msg::new("settings-read")
                .with("path", path.display())
                .with_msg("reason", io_reason(source)),
            SettingsError::File {
                path,
                message,
                line,
                column,
                reason,
                syntax,
            } => {
                let reason = if *syntax {
                    Msg::new("settings-syntax").with("detail", reason)
                } else {
                    serde_reason(reason)
                };
                let m = match (line, column) {
                    (Some(line), Some(column)) => Msg::new("settings-file")
                        .with("line", line)
                        .with("column", column),
                    _ => Msg::new("settings-file-no-line"),
                };
                m.with("path", path.display())
                    .with_msg("reason", reason)
                    .with("quote", quote(message))
            }
            SettingsError::Env { var, key, message } => match key {
                Some(key) => Msg::new("settings-env")
                    .with("var", var)
                    .with("key", key)
                    .with_msg("reason", serde_reason(message)),
                None => Msg::new("settings-env-name").with("var", var),
            },
            SettingsError::Invalid(m) => Msg::new("settings-invalid").with_msg("detail", m.clone()),
        }
    }
}

/// Line and column (from 1) of a byte offset in `text`.
pub(super) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, last)| last)
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The lines of the TOML reader's report that quote the file (`5 | batch = 3` and the marks
/// under it), which read the same in every language; empty when there are none.
fn quote(report: &str) -> String {
    let lines: Vec<&str> = report
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with('|')
                || t.split_once(" |")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("\n{}", lines.join("\n"))
    }
}

/// A reason as serde words it, read back into its parts.
fn serde_reason(raw: &str) -> Msg {
    let raw = raw.trim();
    let between = |s: &str| -> Option<(String, String)> {
        let s = s.strip_prefix('`')?;
        let (name, rest) = s.split_once('`')?;
        Some((name.to_owned(), rest.to_owned()))
    };
    if let Some(rest) = raw.strip_prefix("unknown field ")
        && let Some((key, rest)) = between(rest)
    {
        return match expected(&rest) {
            Some(known) => Msg::new("settings-unknown-key")
                .with("key", key)
                .with("known", known),
            None => Msg::new("settings-unknown-key-none").with("key", key),
        };
    }
    if let Some(rest) = raw.strip_prefix("unknown variant ")
        && let Some((value, rest)) = between(rest)
        && let Some(known) = expected(&rest)
    {
        return Msg::new("settings-unknown-value")
            .with("value", value)
            .with("known", known);
    }
    if let Some(rest) = raw.strip_prefix("missing field ")
        && let Some((key, rest)) = between(rest)
        && rest.is_empty()
    {
        return Msg::new("settings-missing-key").with("key", key);
    }
    for (prefix, id) in [
        ("invalid type: ", "settings-wrong-type"),
        ("invalid value: ", "settings-wrong-value"),
    ] {
        if let Some(rest) = raw.strip_prefix(prefix)
            && let Some((found, wanted)) = rest.split_once(", expected ")
        {
            return Msg::new(id).with("found", found).with("wanted", wanted);
        }
    }
    Msg::new("settings-reason").with("detail", raw)
}

/// "…, expected one of `a`, `b`" / "…, expected `a` or `b`" / "…, expected `a`" → "`a`, `b`";
/// `None` for "…, there are no fields".
fn expected(rest: &str) -> Option<String> {
    let list = rest
        .strip_prefix(", expected one of ")
        .or_else(|| rest.strip_prefix(", expected "))?;
    Some(list.replace(" or ", ", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Lang;

    #[test]
    fn serdes_reasons_are_read_back_into_their_parts() {
        let m = serde_reason("unknown field `batch`, expected one of `batch_size`, `lease`");
        assert_eq!(m.id, "settings-unknown-key");
        assert!(m.render(Lang::Th).contains("`batch_size`, `lease`"));
        assert_eq!(
            serde_reason("unknown variant `sometimes`, expected `broadcast` or `push`").id,
            "settings-unknown-value"
        );
        assert_eq!(
            serde_reason("missing field `type`").id,
            "settings-missing-key"
        );
        let m = serde_reason("invalid type: string \"x\", expected usize");
        assert_eq!(
            m.render(Lang::En),
            "invalid type: string \"x\", expected usize"
        );
        assert_eq!(serde_reason("something else").id, "settings-reason");
    }

    #[test]
    fn lines_and_columns_count_from_one() {
        assert_eq!(line_and_column("a = 1\nbb = 2\n", 6), (2, 1));
        assert_eq!(line_and_column("a = 1\nbb = 2\n", 9), (2, 4));
        assert_eq!(line_and_column("ก = 1", 3), (1, 2));
    }
}
