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
    assert!(s.channels.website().is_some());
    assert!(s.channel_enabled("website") && s.channel_enabled("outbox"));
    assert_eq!(s.channels.deprecation(), None);
}

#[test]
fn a_file_overrides_defaults_and_env_overrides_the_file() {
    let s = load(
        "[dispatch]\nbatch_size = 32\nlease = \"5m\"\n[server]\nlisten = \"0.0.0.0:9000\"\npublic_base_url = \"https://station.example\"\n",
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
fn a_channel_has_its_own_publish_timeout_shorter_than_the_lease() {
    let s = load("[channels.outbox]\npublish_timeout = \"90s\"\n", &[]).unwrap();
    assert_eq!(
        s.channels.get("outbox").unwrap().publish_timeout(),
        Some(Duration::from_secs(90))
    );
    let err = load(
        "[dispatch]\nlease = \"2m\"\n[channels.outbox]\npublish_timeout = \"3m\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("channels.outbox.publish_timeout") && err.contains("dispatch.lease"),
        "{err}"
    );
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
    // A token from an unset variable is read when used, not when the settings load: commands
    // that need no token work.
    let s = load(
        "[channels.oa]\ntype = \"line\"\nchannel_access_token = { env = \"PRAKAT_TEST_LINE_TOKEN_SET\" }\n",
        &[],
    )
    .unwrap();
    let err = s.channels.get("oa").unwrap().resolve_secrets().unwrap_err();
    assert!(
        err.contains("PRAKAT_TEST_LINE_TOKEN_SET") && err.contains("channel_access_token"),
        "{err}"
    );

    let s = load(
        "[channels.oa]\ntype = \"line\"\nchannel_access_token = \"tok-123\"\nmode = \"broadcast\"\n",
        &[],
    )
    .unwrap();
    assert!(s.channel_enabled("oa"));
    assert!(!s.redacted().contains("tok-123"), "{}", s.redacted());
    let err = load(
        "[channels.oa]\ntype = \"line\"\nchannel_access_token = \"t\"\nmodes = \"push\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("prakat.toml") && err.contains("modes") && err.contains("line 4"),
        "{err}"
    );
    let err = load(
        "[channels.oa]\nchannel_access_token = \"t\"\ntype = \"line\"\nmode = \"sometimes\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("sometimes") && err.contains("line 4"), "{err}");
}

#[test]
fn two_pages_of_one_platform_are_two_named_sections() {
    let s = load(
        "[channels.page_traffic]\ntype = \"facebook\"\npage_id = \"1\"\npage_access_token = \"a\"\n\n[channels.page_station]\npage_id = \"2\"\ntype = \"facebook\"\npage_access_token = \"b\"\nconcurrency = 2\n",
        &[("PRAKAT__CHANNELS__PAGE_TRAFFIC__GRAPH_VERSION", "v24.0")],
    )
    .unwrap();
    let page = |name: &str| match s.channels.get(name) {
        Some(ChannelSettings::Facebook(f)) => f.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(page("page_traffic").page_id, "1");
    assert_eq!(page("page_traffic").graph_version, "v24.0");
    assert_eq!(page("page_station").page_id, "2");
    assert_eq!(page("page_station").graph_version, "v25.0");
    assert_eq!(
        s.channels.get("page_station").unwrap().concurrency(),
        Some(2)
    );
    let names: Vec<&str> = s.channels.enabled().map(|(n, _)| n).collect();
    assert_eq!(names, ["outbox", "page_station", "page_traffic", "website"]);
    assert_eq!(s.channels.deprecation(), None);
    // Shown with their type, and read back the same.
    let shown = s.redacted();
    assert!(
        shown.contains("[channels.page_station]\ntype = \"facebook\""),
        "{shown}"
    );
}

#[test]
fn the_old_form_is_read_with_one_deprecation_line() {
    let s = load(
        "[channels.facebook]\npage_id = \"1\"\npage_access_token = \"a\"\n\n[channels.line]\nchannel_access_token = \"t\"\n\n[channels.website]\nfeed_items = 20\n",
        &[],
    )
    .unwrap();
    assert_eq!(s.channels.get("facebook").unwrap().type_name(), "facebook");
    assert_eq!(s.channels.get("line").unwrap().type_name(), "line");
    assert_eq!(s.channels.website().unwrap().feed_items, 20);
    let line = s.channels.deprecation().unwrap();
    assert!(
        line.contains("[channels.facebook] needs type = \"facebook\"")
            && line.contains("[channels.line] needs type = \"line\"")
            && !line.contains("website")
            && !line.contains('\n'),
        "{line}"
    );
    // Environment overrides of an old-form section keep working.
    let s = load(
        "[channels.line]\nchannel_access_token = \"t\"\n",
        &[("PRAKAT__CHANNELS__LINE__MODE", "push")],
    )
    .unwrap();
    let shown = s.redacted();
    assert!(
        shown.contains("[channels.line]\ntype = \"line\"") && shown.contains("mode = \"push\""),
        "{shown}"
    );
}

#[test]
fn a_section_of_no_known_type_is_named_with_its_line() {
    let err = load(
        "[channels.page]\npage_id = \"1\"\ntype = \"facebok\"\n",
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("facebok") && err.contains("line 3"), "{err}");
    let err = load("[channels.page]\npage_id = \"1\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("prakat.toml") && err.contains("page") && err.contains("type"),
        "{err}"
    );
    let err = load("[channels.Page-1]\ntype = \"outbox\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("Page-1") && err.contains("line 1"), "{err}");
    let err = load("[channels.site2]\ntype = \"website\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("channels.site2"), "{err}");
}

#[test]
fn built_ins_can_be_turned_off_and_more_outboxes_added() {
    let s = load(
        "[post]\ndefault_channels = [\"handover\"]\n\n[channels.outbox]\nenabled = false\n\n[channels.handover]\ntype = \"outbox\"\n",
        &[("PRAKAT__CHANNELS__WEBSITE__ENABLED", "false")],
    )
    .unwrap();
    assert!(s.channels.website().is_none());
    let names: Vec<&str> = s.channels.enabled().map(|(n, _)| n).collect();
    assert_eq!(names, ["handover"]);
    assert_eq!(
        s.outbox_dir_of("handover"),
        PathBuf::from("./prakat-data/channels/handover/outbox")
    );
    assert_eq!(s.outbox_dir(), PathBuf::from("./prakat-data/outbox"));
}

/// The example file's platform sections, uncommented: every one is valid and builds its channel.
#[test]
fn the_example_platform_sections_are_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/prakat.example.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("# [channels.")
        .expect("commented platform sections");
    let uncommented: String = text[start..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = load(&uncommented, &[]).unwrap();
    let types: Vec<&str> = s
        .channels
        .enabled()
        .map(|(_, c)| c.type_name())
        .filter(|t| !["website", "outbox"].contains(t))
        .collect();
    let mut sorted = types.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted,
        ["facebook", "line", "tiktok", "wordpress", "youtube"]
    );
    let registry = crate::channels::Registry::build(&s, crate::channels::Purpose::Compose).unwrap();
    assert_eq!(registry.names().len(), types.len() + 2);
}

#[test]
fn listening_everywhere_without_a_public_address_is_refused_with_the_fix() {
    let err = load("[server]\nlisten = \"0.0.0.0:8080\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("server.public_base_url") && err.contains("0.0.0.0:8080"),
        "{err}"
    );
    let s = load(
        "[server]\nlisten = \"0.0.0.0:8080\"\n",
        &[("PRAKAT__SERVER__PUBLIC_BASE_URL", "https://ranong.example")],
    )
    .unwrap();
    assert_eq!(s.public_base_url(), "https://ranong.example");
}

#[test]
fn a_numeric_environment_value_is_a_string_where_the_setting_wants_one() {
    let s = load(
        "",
        &[
            ("PRAKAT__CHANNELS__FACEBOOK__PAGE_ID", "123456789012345"),
            ("PRAKAT__CHANNELS__FACEBOOK__PAGE_ACCESS_TOKEN", "t"),
            ("PRAKAT__DISPATCH__BATCH_SIZE", "7"),
        ],
    )
    .unwrap();
    assert_eq!(s.dispatch.batch_size, 7);
    let shown = s.redacted();
    assert!(shown.contains("page_id = \"123456789012345\""), "{shown}");
}

#[test]
fn a_bad_environment_value_names_only_that_variable() {
    let err = load(
        "",
        &[
            ("PRAKAT__DISPATCH__BATCH_SIZE", "many"),
            ("PRAKAT__STATION__NAME_TH", "สภ.ทดสอบ"),
            ("PRAKAT__SERVER__PUBLIC_BASE_URL", "https://example.go.th"),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("PRAKAT__DISPATCH__BATCH_SIZE"), "{err}");
    assert!(!err.contains("PRAKAT__STATION__NAME_TH"), "{err}");
    let err = load(
        "",
        &[
            ("PRAKAT__NOPE__X", "1"),
            ("PRAKAT__DISPATCH__BATCH_SIZE", "3"),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("PRAKAT__NOPE__X") && !err.contains("BATCH_SIZE"),
        "{err}"
    );
}

#[test]
fn a_database_password_is_never_shown() {
    let s = load(
        "[storage]\ndatabase_url = \"postgres://prakat:s3cret-Pass@db.local/prakat\"\n",
        &[],
    )
    .unwrap();
    assert!(!s.redacted().contains("s3cret-Pass"), "{}", s.redacted());
    assert_eq!(
        s.database_url_shown(),
        "postgres://prakat:[redacted]@db.local/prakat"
    );
    assert_eq!(
        prakat_adapters::http::scrub("connect failed for s3cret-Pass"),
        "connect failed for [redacted]"
    );
}

#[test]
fn listen_takes_a_host_name() {
    let s = load(
        "[server]\nlisten = \"localhost:8080\"\nadmin_listen = \"localhost:9091\"\n",
        &[],
    )
    .unwrap();
    assert_eq!(s.server.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.server.admin_listen.to_string(), "127.0.0.1:9091");
    let err = load("[server]\nlisten = \"8080\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("write it as 127.0.0.1:8080"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn reach_slots_are_read_with_humantime_and_checked() {
    let d = Settings::default().reach;
    let shown: Vec<String> = d.after.iter().map(|s| s.to_string()).collect();
    assert_eq!(shown, ["1h", "1d", "7d", "30d"]);
    assert!(d.enabled);

    let s = load(
        "[reach]\nenabled = false\nafter = [\"30m\", \"24h\", \"3days\"]\nevery = \"1m\"\n",
        &[("PRAKAT__REACH__MAX_ATTEMPTS", "3")],
    )
    .unwrap();
    let shown: Vec<String> = s.reach.after.iter().map(|s| s.to_string()).collect();
    assert_eq!(shown, ["30m", "1d", "3d"]);
    assert!(!s.reach.enabled);
    assert_eq!(s.reach.every, Duration::from_secs(60));
    assert_eq!(s.reach.max_attempts, 3);

    let err = load("[reach]\nafter = [\"soon\"]\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("soon") && err.contains("line 2"), "{err}");
    let err = load("[reach]\nbatch_size = 0\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("reach.batch_size"), "{err}");
}

#[test]
fn the_digest_section_is_read_and_checked_like_the_others() {
    let s = load(
        "[digest]\ncommander_name = \"สมชาย ใจดี\"\nbuild_at = \"06:30\"\ndigits = \"arabic\"\n",
        &[("PRAKAT__DIGEST__SIGNER_TITLE", "ผู้กำกับการ สภ.เมืองระนอง")],
    )
    .unwrap();
    assert_eq!(s.digest.commander_name, "สมชาย ใจดี");
    assert_eq!(s.digest.commander_rank, "พ.ต.อ.");
    assert_eq!(s.digest.signer_title, "ผู้กำกับการ สภ.เมืองระนอง");
    assert_eq!(s.digest.build_at.0.format("%H:%M").to_string(), "06:30");
    assert_eq!(s.digest.digits, prakat_adapters::thai::Digits::Arabic);
    assert!(s.redacted().contains("build_at = \"06:30\""));
    let default = Settings::load_from(None, Vec::new()).unwrap();
    assert_eq!(default.digest_dir(), PathBuf::from("./prakat-data/digests"));
    assert!(default.digest.enabled);

    let err = load("[digest]\n\nbuild_at = \"7am\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("prakat.toml") && err.contains("line 3") && err.contains("build_at"),
        "{err}"
    );
    assert!(err.contains("HH:MM"), "{err}");
    let err = load("[digest]\ncommander = \"x\"\n", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("commander") && err.contains("line 2"), "{err}");
}
