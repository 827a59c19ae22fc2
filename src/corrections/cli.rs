//! `prakat announcement edit|retract|show`: correct or take back an approved announcement, and
//! follow what each channel made of it. The command writes the correction to the store and
//! wakes the daemon, which carries it to the channels (it is the only writer of what is
//! published); `show --wait` follows until every channel is settled.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::Subcommand;

use super::describe;
use crate::app::App;
use crate::channels::Purpose;
use crate::cli::{CliResult, cli_person, local_time, newsroom_error, nudge, text_arg};
use crate::newsroom::{Correction, Newsroom};
use crate::settings::{Lang, Settings};
use crate::store::{AmendmentRow, Store};
use crate::{say, t};

#[derive(Subcommand, Debug)]
pub enum AnnouncementCmd {
    /// Change the text (and title) of an approved announcement: what is not out yet goes out
    /// with it; the website page is rewritten with "แก้ไขเมื่อ …", and Facebook, WordPress and
    /// YouTube posts are changed; for LINE and TikTok you are told what to do by hand.
    Edit {
        /// The announcement's number.
        id: i64,
        /// The new title (default: the first line of the text).
        #[arg(long)]
        title: Option<String>,
        /// The new text, whole.
        #[arg(
            long,
            conflicts_with = "text_file",
            required_unless_present = "text_file"
        )]
        text: Option<String>,
        /// A UTF-8 file holding the new text.
        #[arg(long)]
        text_file: Option<PathBuf>,
        /// Who is correcting (default: $USER).
        #[arg(long)]
        author: Option<String>,
    },
    /// Take an approved announcement back: cancelled where not yet out, taken off the website's
    /// indexes and feeds (its page becomes a notice, or is removed), deleted on Facebook,
    /// WordPress and YouTube; for LINE and TikTok you are told what to do by hand.
    Retract {
        id: i64,
        /// Why (shown on the website's notice and kept in the audit trail).
        #[arg(long)]
        reason: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// An announcement's state, revision and each channel's corrections.
    Show {
        id: i64,
        /// Wait until no correction is left to carry out (the daemon must be running).
        #[arg(long)]
        wait: bool,
    },
}

pub async fn run(settings: Settings, lang: Lang, cmd: AnnouncementCmd) -> CliResult {
    let app = App::open_for(settings, Purpose::Compose).await?;
    let room = Newsroom::new(&app);
    let now = Utc::now();
    match cmd {
        AnnouncementCmd::Edit {
            id,
            title,
            text,
            text_file,
            author,
        } => {
            let text =
                text_arg(text, text_file.as_deref())?.expect("clap requires --text or --text-file");
            let done = room
                .correct(
                    &cli_person(author.as_deref()),
                    id,
                    title.as_deref(),
                    &text,
                    now,
                )
                .await
                .map_err(newsroom_error)?;
            say!(
                "{}",
                t!(
                    lang,
                    "announcement-edited",
                    id = id,
                    revision = i64::from(done.corrected.revision)
                )
            );
            report(&app, lang, &done).await;
        }
        AnnouncementCmd::Retract { id, reason, author } => {
            let done = room
                .retract(&cli_person(author.as_deref()), id, &reason, now)
                .await
                .map_err(newsroom_error)?;
            say!("{}", t!(lang, "announcement-retracted", id = id));
            report(&app, lang, &done).await;
        }
        AnnouncementCmd::Show { id, wait } => {
            let a = app.store.announcement(id).await?;
            say!(
                "{}",
                t!(
                    lang,
                    "announcement-show-head",
                    id = id,
                    title = a.title.as_str(),
                    state = a.state.as_str(),
                    revision = i64::from(a.revision.number)
                )
            );
            if let Some(at) = a.revision.edited_at {
                say!(
                    "{}",
                    t!(lang, "announcement-show-edited", at = local_time(lang, at))
                );
            }
            if let Some(r) = &a.revision.retracted {
                say!(
                    "{}",
                    t!(
                        lang,
                        "announcement-show-retracted",
                        at = local_time(lang, r.at),
                        reason = r.reason.as_str()
                    )
                );
            }
            let mut amendments = app.store.amendments(id).await?;
            if wait {
                while amendments.iter().any(open) {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    amendments = app.store.amendments(id).await?;
                }
            }
            for m in &amendments {
                say!("  {}", line(&app, lang, m).await);
            }
        }
    }
    Ok(())
}

fn open(m: &AmendmentRow) -> bool {
    m.state == "waiting" || m.state == "in_flight"
}

async fn line(app: &App, lang: Lang, m: &AmendmentRow) -> String {
    let url = app
        .store
        .delivery(m.delivery_id)
        .await
        .ok()
        .and_then(|d| d.remote_url);
    format!(
        "#{} {} — {}",
        m.id,
        local_time(lang, m.updated_at),
        describe(lang, m, url.as_deref())
    )
}

/// What the correction did, channel by channel, and what is left to do by hand; then wake the
/// daemon to carry it out.
async fn report(app: &App, lang: Lang, done: &Correction) {
    for (_, channel) in &done.corrected.in_place {
        say!(
            "  {}",
            t!(lang, "announcement-in-place", channel = channel.as_str())
        );
    }
    for m in &done.corrected.amendments {
        if done.by_hand.contains(&m.channel) {
            let mut m = m.clone();
            m.state = "by_hand".into();
            m.outcome = Some(
                match m.action {
                    crate::store::AmendAction::Edit => super::Outcome::NoEdit,
                    crate::store::AmendAction::Retract => super::Outcome::NoRetract,
                }
                .code()
                .into(),
            );
            say!("  {}", line(app, lang, &m).await);
        } else {
            say!("  {}", line(app, lang, m).await);
        }
    }
    if !done.corrected.amendments.is_empty() {
        say!(
            "{}",
            t!(lang, "announcement-follow", id = done.announcement.id)
        );
    }
    nudge(&app.settings).await;
}
