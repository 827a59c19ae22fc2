//! `[desk]`: the web desk's sessions and sign-in limits.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DeskSettings {
    /// The web desk at `/` on the public listener (`false`: `/` goes to the website).
    pub enabled: bool,
    /// A session ends after this long without use.
    #[serde(with = "humantime_serde")]
    pub session_idle: Duration,
    /// A session ends this long after signing in, used or not.
    #[serde(with = "humantime_serde")]
    pub session_max: Duration,
    /// Failed attempts to sign in allowed per name and per address within `login_window`.
    pub login_max_failures: u32,
    #[serde(with = "humantime_serde")]
    pub login_window: Duration,
    /// The header a reverse proxy in front of prakat puts the client's address in
    /// (`x-real-ip`, or `x-forwarded-for` whose last address is taken). Unset: the address of
    /// the connection. Set it only behind a proxy that writes the header itself.
    pub client_ip_header: Option<String>,
}

impl Default for DeskSettings {
    fn default() -> Self {
        DeskSettings {
            enabled: true,
            session_idle: Duration::from_secs(2 * 3600),
            session_max: Duration::from_secs(12 * 3600),
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            client_ip_header: None,
        }
    }
}
