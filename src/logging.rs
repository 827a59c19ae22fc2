//! Log output on stderr: the `PRAKAT_LOG` filter (an `EnvFilter`, else a default per command),
//! as text — with colours only when stderr is a terminal and `NO_COLOR` is unset — or as JSON,
//! one object per line (`timestamp`, `level`, `target`, `message`, the event's fields, and the
//! spans it happened in), for log collectors. Every line passes through the secret scrubber
//! first: a token a platform echoed into an error message is never written to the log.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Install the global subscriber. `default_filter` applies when `PRAKAT_LOG` is unset or invalid.
pub fn init(format: LogFormat, default_filter: &str) {
    let filter =
        EnvFilter::try_from_env("PRAKAT_LOG").unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Scrubbed(Vec::new()));
    match format {
        LogFormat::Text => builder.with_ansi(colour_wanted()).init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .init(),
    }
}

/// Colours only for a person at a terminal: not in a file, a pipe or a journal.
fn colour_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// One log event, buffered, written to stderr scrubbed of secrets when dropped (the formatter
/// makes one writer per event).
struct Scrubbed(Vec<u8>);

impl std::io::Write for Scrubbed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Scrubbed {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let line = prakat_adapters::http::scrub(&String::from_utf8_lossy(&self.0));
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    }
}
