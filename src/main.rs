//! The `prakat` binary: parse the command line, load the settings, run the command. All the
//! work is in the library.
#![forbid(unsafe_code)]

use clap::Parser;
use prakat::cli::{self, ChannelsCmd, Cli, CliError, Command, ConfigCmd, SiteCmd};
use prakat::settings::Settings;

fn main() {
    let cli = Cli::parse();
    prakat::logging::init(cli.log_format, default_filter(&cli.command));

    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("prakat: {e}");
            std::process::exit(3);
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
            Command::Post(a) => cli::post(settings, a).await,
            Command::Queue(q) => cli::queue(settings, q).await,
            Command::Department(d) => cli::department(settings, d).await,
            Command::Channels(ChannelsCmd::Check) => cli::channels_check(settings).await,
            Command::Bench(b) => prakat::bench::run(b).await,
            Command::Site(SiteCmd::Rebuild) => cli::site_rebuild(settings).await,
            Command::Config(ConfigCmd::Show) => {
                prakat::say!("{}", settings.redacted().trim_end());
                Ok(())
            }
        }
    });
    if let Err(e) = result {
        eprintln!("prakat: {}", prakat_adapters::http::scrub(e.message(lang)));
        std::process::exit(e.code);
    }
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
        .map_err(|e| {
            CliError::new(
                1,
                e.to_string(),
                format!("เปิดพอร์ต {} ไม่ได้: {} (ตั้งค่า {})", e.addr, e.source, e.key),
            )
        })?;
    let shutdown = prakat::daemon::shutdown_on_signals();
    prakat::daemon::run(settings, listeners, shutdown)
        .await
        .map_err(CliError::from)?;
    Ok(())
}
