//! The `prakat` binary: parse the command line (its help and its complaints in the reader's
//! language), load the settings, run the command. All the work is in the library.
#![forbid(unsafe_code)]

use prakat::cli::{self, ChannelsCmd, CliError, Command, ConfigCmd, SiteCmd};
use prakat::i18n::Lang;
use prakat::settings::Settings;
use prakat::t;

fn main() {
    let (cli, hint) = prakat::help::parse();
    prakat::logging::init(cli.log_format, default_filter(&cli.command));

    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            let lang = cli.lang.unwrap_or(hint);
            fail(lang, &e.msg().render(lang), 3);
        }
    };
    let lang = cli.lang.unwrap_or(settings.ui.lang);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result: Result<(), CliError> = runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve(settings).await,
            Command::Post(a) => cli::post(settings, lang, a).await,
            Command::Queue(q) => cli::queue(settings, lang, q).await,
            Command::Department(d) => cli::department(settings, lang, d).await,
            Command::People(p) => cli::people(settings, lang, p).await,
            Command::Rule(r) => cli::rule(settings, lang, r).await,
            Command::Channels(ChannelsCmd::Check) => cli::channels_check(settings, lang).await,
            Command::Bench(b) => prakat::bench::run(b).await,
            Command::Site(SiteCmd::Rebuild) => cli::site_rebuild(settings, lang).await,
            Command::Reach(r) => prakat::reach::cli::run(settings, lang, r).await,
            Command::Announcement(a) => prakat::corrections::cli::run(settings, lang, a).await,
            Command::Digest(d) => prakat::digest::cli::run(settings, lang, d).await,
            Command::Config(ConfigCmd::Show) => {
                prakat::say!("{}", settings.redacted().trim_end());
                Ok(())
            }
        }
    });
    if let Err(e) = result {
        fail(lang, &e.message(lang), e.code);
    }
}

/// Say what went wrong on stderr, secrets masked, and end with `code`.
fn fail(lang: Lang, message: &str, code: i32) -> ! {
    let message = prakat_adapters::http::scrub(message);
    eprintln!("{}", t!(lang, "error-prefix", message = message));
    std::process::exit(code);
}

fn default_filter(cmd: &Command) -> &'static str {
    match cmd {
        Command::Serve => "info,sqlx=warn,tower_http=info",
        _ => "warn",
    }
}

async fn serve(settings: Settings) -> Result<(), CliError> {
    let listeners = prakat::daemon::Listeners::bind(&settings.server)
        .await
        .map_err(|e| CliError::of(1, prakat::errors::bind_error_msg(&e)))?;
    let shutdown = prakat::daemon::shutdown_on_signals();
    prakat::daemon::run(settings, listeners, shutdown)
        .await
        .map_err(CliError::from)?;
    Ok(())
}
