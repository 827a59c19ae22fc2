//! `prakat serve`: the daemon as a library function, so tests start it on port 0 and stop it
//! with a signal of their own. It takes the data directory's and the database's locks (one
//! daemon per data directory and per SQLite database), releases the leases a killed
//! predecessor left, serves HTTP (public and admin listeners, see [`crate::server`]),
//! dispatches, collects reach ([`crate::reach`]) and builds the monthly digest
//! ([`crate::digest::job`]) until `shutdown` turns true, then drains.

use std::sync::Arc;

use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::clock::{Clock, SystemClock};
use crate::dispatch::{Engine, EngineParts};
use crate::metrics::Metrics;
use crate::server::HttpState;
pub use crate::server::Listeners;
use crate::settings::Settings;
use crate::store::{Actor, Store};

/// Run the daemon until `shutdown` is set, serving HTTP on `listeners` (bind them with
/// [`Listeners::bind`], or on port 0 in tests).
pub async fn run(
    settings: Settings,
    listeners: Listeners,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    run_with_clock(settings, listeners, shutdown, SystemClock::shared()).await
}

pub async fn run_with_clock(
    settings: Settings,
    listeners: Listeners,
    shutdown: watch::Receiver<bool>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    // The data directory's lock and the database's: one daemon per site and per database.
    let lock = crate::lock::DaemonLock::acquire_or_explain(&settings)?;
    let app = Arc::new(App::open(settings).await?);
    let owner = format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple());
    // We hold the lock: whoever held these leases is dead.
    let released = app
        .store
        .release_orphaned_leases(clock.now(), &Actor::daemon(&format!("dispatcher:{owner}")))
        .await?;
    if released > 0 {
        tracing::warn!(
            released,
            "resuming deliveries a stopped daemon left in flight"
        );
    }

    let metrics = Arc::new(Metrics::new());
    let wake = Arc::new(Notify::new());
    let progress = Arc::new(crate::dispatch::ProgressBoard::default());
    let db_file = crate::server::health::DbFile::identify(&app.settings.database_url())?;
    // The Telegram bot, when a token is set; in webhook mode Telegram's calls reach it through
    // the public listener.
    let bot = crate::telegram::Bot::new(app.clone(), clock.clone(), wake.clone())?;
    let (webhook, webhook_rx) = match (&bot, app.settings.telegram.mode) {
        (Some(bot), crate::settings::TelegramMode::Webhook) => {
            let secret = match &app.settings.telegram.webhook_secret {
                Some(s) => s
                    .resolve()
                    .map_err(|e| anyhow::anyhow!("telegram.webhook_secret: {e}"))?
                    .to_owned(),
                None => uuid::Uuid::new_v4().simple().to_string(),
            };
            prakat_adapters::remember_secret(&secret);
            let url = format!("{}/telegram/webhook", app.settings.public_base_url());
            bot.api
                .set_webhook(&url, &secret)
                .await
                .map_err(|e| anyhow::anyhow!("cannot set the Telegram webhook to {url}: {e}"))?;
            let (tx, rx) = tokio::sync::mpsc::channel(64);
            (
                Some(crate::server::TelegramWebhook {
                    secret,
                    updates: tx,
                }),
                Some(rx),
            )
        }
        _ => (None, None),
    };
    let page_views = Arc::new(crate::reach::PageViewCounter::new(clock.clone()));
    // The web desk on the public listener, with its first admin when no admin can sign in.
    let health = Arc::new(crate::watch::HealthBoard::default());
    let desk = if app.settings.desk.enabled {
        crate::desk::cli::first_admin(&app).await?;
        Some(crate::desk::router(Arc::new(
            crate::desk::Desk::new(app.clone(), clock.clone(), wake.clone())
                .with_health(health.clone()),
        )))
    } else {
        None
    };
    let server = crate::server::spawn_with_desk(
        listeners,
        Arc::new(HttpState {
            store: app.store.clone(),
            metrics: metrics.clone(),
            wake: wake.clone(),
            channels: app.registry.names(),
            progress: progress.clone(),
            db_file: db_file.clone(),
            telegram: webhook,
            page_views: page_views.clone(),
        }),
        &app.settings,
        shutdown.clone(),
        desk,
    )?;

    let watcher = tokio::spawn(crate::watch::run(
        app.registry.clone(),
        app.store.clone(),
        clock.clone(),
        std::time::Duration::from_secs(6 * 3600),
        health,
        shutdown.clone(),
    ));

    let mut notifiers: Vec<Arc<dyn crate::events::Notifier>> =
        vec![Arc::new(crate::events::LogNotifier)];
    let mut bot_task = None;
    if let Some(bot) = bot {
        notifiers.push(Arc::new(crate::telegram::TelegramNotifier::new(
            bot.clone(),
        )));
        bot_task = Some(tokio::spawn(bot.run(webhook_rx, shutdown.clone())));
    }
    // Its own wake-up: the dispatcher's is taken by whoever waits first.
    let events_wake = Arc::new(Notify::new());
    let notifier = tokio::spawn(crate::events::run(
        app.store.clone(),
        notifiers,
        events_wake.clone(),
        std::time::Duration::from_secs(2),
        shutdown.clone(),
    ));

    let page_view_writer = tokio::spawn(page_views.run(
        app.store.clone(),
        app.settings.reach.page_views_flush,
        shutdown.clone(),
    ));

    let collector = app.settings.reach.enabled.then(|| {
        tokio::spawn(
            crate::reach::Collector::new(
                app.store.clone(),
                app.registry.clone(),
                clock.clone(),
                app.settings.reach.clone(),
            )
            .with_metrics(metrics.clone())
            .run(shutdown.clone()),
        )
    });

    let corrections = tokio::spawn(
        crate::corrections::Corrections {
            store: app.store.clone(),
            registry: (*app.registry).clone(),
            clock: clock.clone(),
            owner: owner.clone(),
            lease: app.settings.dispatch.lease,
            timeout: app.settings.dispatch.publish_timeout,
            every: std::time::Duration::from_secs(1),
        }
        .run(shutdown.clone()),
    );
    // The monthly digest: built on the first of each month, kept and published on the website.
    let digest = app.settings.digest.enabled.then(|| {
        tokio::spawn(crate::digest::job::run(
            app.clone(),
            clock.clone(),
            events_wake,
            shutdown.clone(),
        ))
    });

    let engine = Engine::new(EngineParts {
        store: app.store.clone(),
        registry: app.registry.clone(),
        composer: app.composer.clone(),
        clock,
        settings: app.settings.dispatch.clone(),
        rules: app.settings.rules.clone(),
        metrics,
        wake,
        owner,
        seed: None,
        progress,
        db_file,
    });
    engine.run(shutdown).await;
    server.await??;
    let _ = watcher.await;
    let _ = notifier.await;
    if let Some(t) = bot_task {
        let _ = t.await;
    }
    if let Some(collector) = collector {
        let _ = collector.await;
    }
    let _ = page_view_writer.await;
    let _ = corrections.await;
    if let Some(digest) = digest {
        let _ = digest.await;
    }
    drop(lock);
    Ok(())
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "prakat".into())
}

/// A watch that turns true on SIGINT or SIGTERM.
pub fn shutdown_on_signals() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("can listen for SIGTERM");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down: finishing in-flight publishes");
        let _ = tx.send(true);
    });
    rx
}
