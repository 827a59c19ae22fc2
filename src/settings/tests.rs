use super::*;

fn load(text: &str, env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prakat.toml");
    std::fs::write(&path, text).unwrap();
    Settings::load_from(
        Some(&path),
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    )
}

#[test]
fn no_file_gives_the_embedded_default() {
    let s = Settings::load_from(None, Vec::new()).unwrap();
    assert_eq!(s.server.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.storage.data_dir, PathBuf::from("./prakat-data"));
    assert_eq!(s.database_url(), "sqlite://./prakat-data/prakat.db");
    assert_eq!(s.public_base_url(), "http://127.0.0.1:8080");
    assert!(s.channels.website.enabled);
}

#[test]
fn a_file_overrides_defaults_and_env_overrides_the_file() {
    let s = load(
        "[dispatch]\nbatch_size = 32\nlease = \"5m\"\n[server]\nlisten = \"0.0.0.0:9000\"\n",
        &[
            ("PRAKAT__DISPATCH__BATCH_SIZE", "64"),
            ("PRAKAT__STATION__NAME_EN", "Test Station"),
            ("OTHER", "x"),
        ],
    )
    .unwrap();
    assert_eq!(s.dispatch.batch_size, 64);
    assert_eq!(s.dispatch.lease, Duration::from_secs(300));
    assert_eq!(s.server.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(s.station.name_en, "Test Station");
}

#[test]
fn an_unknown_key_names_the_file_the_key_and_the_line() {
    let err = load("[dispatch]\nbatch_size = 32\n\nbatchsize = 10\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("prakat.toml"), "{err}");
    assert!(err.contains("batchsize"), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn a_bad_value_names_the_key_and_the_line() {
    let err = load("[server]\nlisten = \"not an address\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2") && err.contains("listen"), "{err}");
    let err = load("[dispatch]\n\nlease = \"soon\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3") && err.contains("lease"), "{err}");
}

#[test]
fn a_bad_environment_value_names_the_variable() {
    let err = load("", &[("PRAKAT__DISPATCH__BATCH_SIZE", "many")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("PRAKAT__DISPATCH__BATCH_SIZE"), "{err}");
    let err = load("", &[("PRAKAT__NOPE__X", "1")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("PRAKAT__NOPE__X") && err.contains("nope"),
        "{err}"
    );
}

#[test]
fn inconsistent_values_are_refused_with_the_fix() {
    let err = load(
        "[dispatch]\nlease = \"10s\"\npublish_timeout = \"30s\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("dispatch.lease") && err.contains("publish_timeout"),
        "{err}"
    );
    let err = load("[post]\ndefault_channels = [\"facebook\"]\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("facebook"), "{err}");
}

#[test]
fn a_missing_file_is_named() {
    let err = Settings::load_from(Some(Path::new("/nonexistent/prakat.toml")), Vec::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/prakat.toml"), "{err}");
}

#[test]
fn the_example_file_lists_valid_settings_equal_to_the_defaults() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/prakat.example.toml");
    let s = Settings::load_from(Some(&path), Vec::new()).unwrap();
    let d = Settings::default();
    assert_eq!(toml::to_string(&s).unwrap(), toml::to_string(&d).unwrap());
}

#[test]
fn a_platform_section_enables_its_channel_and_keeps_its_token_secret() {
    let s = load(
        "[channels.line]\nchannel_access_token = { env = \"PRAKAT_TEST_LINE_TOKEN_SET\" }\n",
        &[],
    );
    // The variable is not set in this process: the error names it.
    let err = s.unwrap_err().to_string();
    assert!(
        err.contains("PRAKAT_TEST_LINE_TOKEN_SET") && err.contains("line 2"),
        "{err}"
    );

    let s = load(
        "[channels.line]\nchannel_access_token = \"tok-123\"\nmode = \"broadcast\"\n",
        &[],
    )
    .unwrap();
    assert!(s.channel_enabled("line"));
    assert!(!s.redacted().contains("tok-123"), "{}", s.redacted());
    let err = load(
        "[channels.line]\nchannel_access_token = \"t\"\nmodes = \"push\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("modes") && err.contains("line 3"), "{err}");
}
