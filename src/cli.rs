//! The command line: `serve`, `post`, `queue …`, `rule …`, `department …`, `channels check`, `bench …`,
//! `config show`, `reach …` ([`crate::reach::cli`]). Every failure is one clear line (English by default, Thai with `--lang th`)
//! and a meaningful exit code: 2 bad input, 3 bad settings, 4 not found, 5 conflict, 1 anything
//! else. Every line a person reads — output, failures, `--help` ([`crate::help`]) — comes from
//! the translation files (`locales/<lang>/cli.ftl`, `errors.ftl`, `help.ftl`).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Bangkok;
use clap::{Args, Parser, Subcommand};

use crate::app::App;
use crate::channels::Purpose;
use crate::i18n::Msg;
use crate::newsroom::{Draft, Newsroom, NewsroomError, Person, Role, Submitted, When};
use crate::say;
use crate::settings::{Lang, Settings};
use crate::store::{Actor, DeliveryFilter, DeliveryState, Store, StoreError};
use crate::t;

#[derive(Parser, Debug)]
#[command(
    name = "prakat",
    version,
    about = "Publish a police station's announcements to every channel, on time, exactly once"
)]
pub struct Cli {
    /// Settings file (TOML). Without one, built-in defaults: data in ./prakat-data, HTTP on 127.0.0.1:8080.
    #[arg(long, global = true, env = "PRAKAT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Language of messages: en or th (default: the settings' ui.lang).
    #[arg(long, global = true, value_enum, env = "PRAKAT_LANG")]
    pub lang: Option<Lang>,
    /// Log lines on stderr: `text` (colours only on a terminal) or `json` (one object per line,
    /// for log collectors).
    #[arg(
        long,
        global = true,
        value_enum,
        env = "PRAKAT_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: crate::logging::LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the daemon: publish due announcements; serve the website, media and /healthz (public
    /// listener), /metrics and /internal/* (admin listener).
    Serve,
    /// Queue an announcement for one or more channels.
    Post(PostArgs),
    /// See and act on deliveries.
    #[command(subcommand)]
    Queue(QueueCmd),
    /// The station's lines of work.
    #[command(subcommand)]
    Department(DepartmentCmd),
    /// Who may send and approve from a chat.
    #[command(subcommand)]
    People(PeopleCmd),
    /// Correct or take back an approved announcement, and follow each channel's correction.
    #[command(subcommand)]
    Announcement(crate::corrections::cli::AnnouncementCmd),
    /// Recurring rules (made with `post --recur`): list, show, pause, resume, delete, edit.
    #[command(subcommand)]
    Rule(RuleCmd),
    /// Check the enabled channels.
    #[command(subcommand)]
    Channels(ChannelsCmd),
    /// Measure the dispatcher and the monthly digest.
    #[command(subcommand)]
    Bench(crate::bench::BenchCmd),
    /// Show the effective settings (secrets redacted).
    #[command(subcommand)]
    Config(ConfigCmd),
    /// The built-in website.
    #[command(subcommand)]
    Site(SiteCmd),
    /// How far published announcements reached.
    #[command(subcommand)]
    Reach(crate::reach::cli::ReachCmd),
    /// Build one month's digest per department into a folder.
    Digest(crate::digest::cli::DigestArgs),
}

#[derive(Subcommand, Debug)]
pub enum SiteCmd {
    /// Re-render every page, index and feed (after editing the website templates). The daemon
    /// must be stopped: it writes the same files.
    Rebuild,
}

#[derive(Args, Debug)]
pub struct PostArgs {
    /// Department code (see `prakat department list`).
    #[arg(long)]
    pub department: String,
    /// Title; defaults to the first line of the text.
    #[arg(long)]
    pub title: Option<String>,
    /// The text.
    #[arg(
        long,
        conflicts_with = "text_file",
        required_unless_present = "text_file"
    )]
    pub text: Option<String>,
    /// A UTF-8 file holding the text.
    #[arg(long)]
    pub text_file: Option<PathBuf>,
    /// A photo or video; repeat for several.
    #[arg(long)]
    pub media: Vec<PathBuf>,
    /// When to publish, Bangkok time: "YYYY-MM-DD HH:MM".
    #[arg(long, conflicts_with_all = ["now", "recur"])]
    pub at: Option<String>,
    /// Publish as soon as possible (the default).
    #[arg(long)]
    pub now: bool,
    /// Post again on a schedule: a cron expression in Bangkok time, seconds first ("0 0 9 * * Mon").
    #[arg(long)]
    pub recur: Option<String>,
    /// With --recur: accept a schedule firing more often than `rules.min_interval`.
    #[arg(long, requires = "recur")]
    pub allow_frequent: bool,
    /// Channels, comma separated (default: the settings' post.default_channels).
    #[arg(long, value_delimiter = ',')]
    pub channels: Vec<String>,
    /// A link to related material.
    #[arg(long)]
    pub link: Option<String>,
    /// A tag; repeat for several.
    #[arg(long)]
    pub tag: Vec<String>,
    /// Who is posting (default: $USER).
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum QueueCmd {
    /// Deliveries with state, due time (Bangkok), channel and last error.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        /// At most this many, the newest first.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Every delivery, however many.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One delivery in full, with its text and audit trail.
    Show {
        id: i64,
        /// Print JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Follow one delivery until it is published or needs a person, with a progress bar while
    /// a video uploads.
    Watch { id: i64 },
    /// Cancel a delivery that has not been published, or every such delivery of an announcement.
    Cancel {
        #[arg(required_unless_present = "announcement")]
        id: Option<i64>,
        /// Cancel every delivery of this announcement not yet published.
        #[arg(long, conflicts_with = "id")]
        announcement: Option<i64>,
    },
    /// Announcements waiting for approval (sent by department staff).
    Pending {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Approve an announcement that waits: queued for its channels, now or at --at.
    Approve {
        id: i64,
        /// When to publish, Bangkok time: "YYYY-MM-DD HH:MM" (default: its own time, or now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Do not approve an announcement that waits; the sender is told the reason.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Withdraw an announcement that waits.
    Withdraw { id: i64 },
    /// Queue a failed, parked or cancelled delivery again — at its own time when that is still to
    /// come, else now — one by id, or all of a channel in a state (after fixing a token: `--channel line --state needs_attention`).
    Retry {
        #[arg(required_unless_present = "channel")]
        id: Option<i64>,
        #[arg(long, conflicts_with = "id")]
        channel: Option<String>,
        /// With --channel: which deliveries (default needs_attention).
        #[arg(long, requires = "channel", default_value = "needs_attention")]
        state: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum RuleCmd {
    /// Every recurring rule: state, schedule, next time (Bangkok), department, title.
    List,
    /// One rule in full, with its next three times and its audit trail.
    Show { id: i64 },
    /// Stop a rule posting until it is resumed.
    Pause { id: i64 },
    /// Let a paused rule post again, from its next time (what it missed is not posted).
    Resume { id: i64 },
    /// Delete a rule: it never posts again (what it posted stays).
    Delete { id: i64 },
    /// Change a rule's text, title, link, channels or schedule.
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, conflicts_with = "text_file")]
        text: Option<String>,
        #[arg(long)]
        text_file: Option<PathBuf>,
        /// A link to related material ("" for none).
        #[arg(long)]
        link: Option<String>,
        #[arg(long, value_delimiter = ',')]
        channels: Option<Vec<String>>,
        /// A new schedule: a cron expression in Bangkok time, seconds first.
        #[arg(long)]
        recur: Option<String>,
        /// With --recur: accept a schedule firing more often than `rules.min_interval`.
        #[arg(long, requires = "recur")]
        allow_frequent: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum DepartmentCmd {
    List,
    Add {
        /// Short code used on the command line and in URLs (a-z, 0-9, -).
        code: String,
        #[arg(long)]
        th: String,
        #[arg(long)]
        en: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeopleCmd {
    /// Make a one-time invite code for a person to join from the chat bot.
    Invite {
        /// The department they send for (department staff).
        #[arg(long)]
        department: Option<String>,
        /// department_staff (default), pr_officer or admin.
        #[arg(long, default_value = "department_staff")]
        role: String,
        /// Days the code stays valid.
        #[arg(long, default_value_t = 2)]
        days: u32,
    },
    /// Add a person who signs in to the web desk with a password.
    Add {
        /// The name shown and recorded as who acted.
        #[arg(long)]
        name: String,
        /// What they type to sign in (default: the name).
        #[arg(long)]
        login: Option<String>,
        /// admin, pr_officer or department_staff.
        #[arg(long)]
        role: String,
        /// The department they send for (department staff).
        #[arg(long)]
        department: Option<String>,
        /// Read the password from the first line of stdin instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make a token for the JSON API (/api/v1) acting as a web desk login; shown once.
    Token {
        #[arg(long)]
        login: String,
        /// What the token is for (e.g. the system that uses it).
        #[arg(long)]
        label: String,
    },
    /// Give a web desk login a new password; its sessions end.
    Password {
        #[arg(long)]
        login: String,
        /// Read the password from the first line of stdin instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChannelsCmd {
    /// One line per enabled channel: does it work, what is missing.
    Check,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    Show,
}

/// A failure for the person at the terminal, with its exit code. Its words come from the
/// translation files ([`Msg`]) and are rendered in the reader's language when shown.
#[derive(Debug)]
pub struct CliError {
    pub msg: Msg,
    pub code: i32,
}

impl CliError {
    /// A failure with its exit code.
    pub fn of(code: i32, msg: Msg) -> Self {
        CliError { msg, code }
    }

    /// Bad input (exit code 2).
    pub fn bad_input(msg: Msg) -> Self {
        Self::of(2, msg)
    }

    /// A failure written inline in both languages. Only `post` still words its checks this way,
    /// until they move to the translation files with the rest of its logic.
    pub fn new(code: i32, en: impl Into<String>, th: impl Into<String>) -> Self {
        Self::of(code, Msg::new("as-written").with_both("text", en, th))
    }

    /// Bad input written inline in both languages; see [`CliError::new`].
    pub fn input(en: impl Into<String>, th: impl Into<String>) -> Self {
        Self::new(2, en, th)
    }

    pub fn message(&self, lang: Lang) -> String {
        self.msg.render(lang)
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        crate::errors::cli_error(&e)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        crate::errors::store_error(&e)
    }
}

impl From<crate::settings::SettingsError> for CliError {
    fn from(e: crate::settings::SettingsError) -> Self {
        CliError::of(3, e.msg())
    }
}

pub type CliResult = Result<(), CliError>;

/// Parse `--at` as Bangkok wall time (a Buddhist Era year is read as one).
pub fn parse_at(s: &str) -> Result<DateTime<Utc>, CliError> {
    crate::newsroom::time::parse_bangkok(s).map_err(newsroom_error)
}

/// A channel name a `queue` command may filter by: one in the settings, or one that still has
/// deliveries (a channel turned off since). Anything else is a typing mistake, said as one.
async fn check_channel_name(app: &App, name: &str) -> Result<(), CliError> {
    if app.settings.channels.get(name).is_some() {
        return Ok(());
    }
    let any = app
        .store
        .deliveries(&DeliveryFilter {
            channel: Some(name.to_owned()),
            limit: Some(1),
            ..Default::default()
        })
        .await?;
    if any.is_empty() {
        let known: Vec<&str> = app.settings.channels.iter().map(|(n, _)| n).collect();
        return Err(CliError::bad_input(
            Msg::new("error-no-such-channel")
                .with("name", format!("{name:?}"))
                .with("known", known.join(", ")),
        ));
    }
    Ok(())
}

/// A text file as UTF-8. Thai saved by older Windows programs is TIS-620 / Windows-874: such a
/// file is converted (and the person told); any other encoding is refused with the fix.
/// The text of `--text`, else of `--text-file`, else none.
pub(crate) fn text_arg(
    text: Option<String>,
    file: Option<&std::path::Path>,
) -> Result<Option<String>, CliError> {
    match (text, file) {
        (Some(t), _) => Ok(Some(t)),
        (None, Some(f)) => read_text_file(f).map(Some),
        (None, None) => Ok(None),
    }
}

fn read_text_file(f: &std::path::Path) -> Result<String, CliError> {
    let bytes = std::fs::read(f).map_err(|e| {
        CliError::input(
            format!("cannot read --text-file {}: {e}", f.display()),
            format!("อ่านไฟล์ข้อความ {} ไม่ได้: {e}", f.display()),
        )
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (thai, _, had_errors) = encoding_rs::WINDOWS_874.decode(bytes);
    if !had_errors && thai.chars().any(|c| ('\u{0E01}'..='\u{0E5B}').contains(&c)) {
        eprintln!(
            "prakat: {} is not UTF-8; read it as Thai Windows-874 (TIS-620). Save it as UTF-8 to silence this. \
             / ไฟล์นี้ไม่ใช่ UTF-8 จึงอ่านเป็นภาษาไทยแบบ Windows-874 (TIS-620) ให้ ควรบันทึกไฟล์เป็น UTF-8",
            f.display()
        );
        return Ok(thai.into_owned());
    }
    Err(CliError::input(
        format!(
            "--text-file {} is not UTF-8 text (nor Thai Windows-874): save it as UTF-8 \
             (in Notepad or Word: Save As, Encoding: UTF-8) and try again",
            f.display()
        ),
        format!(
            "ไฟล์ {} ไม่ใช่ข้อความ UTF-8: กรุณาบันทึกเป็น UTF-8 (เลือก Save As แล้วตั้ง Encoding เป็น UTF-8) แล้วลองใหม่",
            f.display()
        ),
    ))
}

/// A newsroom refusal for the terminal, in both languages, with its exit code.
pub(crate) fn newsroom_error(e: NewsroomError) -> CliError {
    use crate::media::MediaError;
    let code = match &e {
        NewsroomError::Store(s) => return crate::errors::store_error(s),
        NewsroomError::Media(MediaError::Store { .. } | MediaError::Read { .. }) => 1,
        NewsroomError::Conflict(_) => 5,
        _ => 2,
    };
    CliError::of(code, e.msg())
}

/// The person at the terminal: the PR officer (`--author`, else `$USER`).
pub(crate) fn cli_person(author: Option<&str>) -> Person {
    Person {
        name: author
            .map(str::to_owned)
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "cli".into()),
        role: Role::PrOfficer,
        department: None,
        source: "cli",
    }
}

pub async fn post(settings: Settings, lang: Lang, a: PostArgs) -> CliResult {
    let text = text_arg(a.text.clone(), a.text_file.as_deref())?
        .expect("clap requires one of --text and --text-file");
    let when = match (&a.recur, &a.at) {
        (Some(expr), _) => When::Recurring {
            cron: expr.clone(),
            allow_frequent: a.allow_frequent,
        },
        (None, Some(at)) => When::At(parse_at(at)?),
        (None, None) => When::Now,
    };
    let app = App::open_for(settings, Purpose::Compose).await?;
    let draft = Draft {
        department: a.department.clone(),
        title: a.title.clone(),
        text,
        link: a.link.clone(),
        tags: a.tag.clone(),
        media: a.media.clone(),
        channels: a.channels.clone(),
        when,
    };
    let who = cli_person(a.author.as_deref());
    let submitted = Newsroom::new(&app)
        .submit(&who, draft, Utc::now())
        .await
        .map_err(newsroom_error)?;
    match submitted {
        Submitted::Recurring {
            rule,
            first_at,
            next,
            skipped,
        } => {
            say!(
                "{}",
                t!(
                    lang,
                    "post-rule-created",
                    id = rule.id,
                    cron = rule.cron.as_str(),
                    at = local_time(lang, first_at)
                )
            );
            print_next(lang, &next);
            print_skipped(lang, &skipped);
        }
        Submitted::Queued {
            announcement,
            deliveries,
            skipped,
        } => {
            say!(
                "{}",
                t!(
                    lang,
                    "post-queued",
                    id = announcement.id,
                    deliveries = delivery_list(lang, &deliveries),
                    at = local_time(lang, announcement.publish_at)
                )
            );
            for d in &deliveries {
                for note in &d.payload.notes {
                    say!("  {}: {note}", d.channel);
                }
            }
            print_skipped(lang, &skipped);
        }
        Submitted::Pending { announcement, .. } | Submitted::Already { announcement } => {
            say!("{}", t!(lang, "post-pending", id = announcement.id));
        }
    }
    nudge(&app.settings).await;
    Ok(())
}

/// A rule's next times, one a line.
fn print_next(lang: Lang, next: &[DateTime<Utc>]) {
    if next.is_empty() {
        return;
    }
    say!("{}", t!(lang, "rule-next"));
    for at in next {
        let day = t!(
            lang,
            "weekday",
            day = at.with_timezone(&Bangkok).format("%a").to_string()
        );
        say!("  {day} {}", local_time(lang, *at));
    }
}

/// `rule list|show|pause|resume|delete|edit`: the newsroom decides, this shows.
pub async fn rule(settings: Settings, lang: Lang, cmd: RuleCmd) -> CliResult {
    use crate::out::{cell, clip, right};
    let app = App::open_for(settings, Purpose::Compose).await?;
    let room = Newsroom::new(&app);
    let who = cli_person(None);
    let now = Utc::now();
    let state = |r: &crate::store::RuleRecord| {
        t!(
            lang,
            "rule-state",
            state = match (r.active, r.paused_reason.as_deref()) {
                (true, _) => "active",
                (false, Some("failures")) => "failing",
                (false, _) => "paused",
            }
        )
    };
    match cmd {
        RuleCmd::List => {
            let rules = room.rules().await.map_err(newsroom_error)?;
            if rules.is_empty() {
                say!("{}", t!(lang, "rule-none"));
                return Ok(());
            }
            say!(
                "{} {} {} {} {} {}",
                right(&t!(lang, "queue-col-id"), 4),
                cell(&t!(lang, "rule-col-state"), 12),
                cell(&t!(lang, "rule-col-schedule"), 18),
                cell(&t!(lang, "rule-col-next"), 16),
                cell(&t!(lang, "queue-col-department"), 14),
                t!(lang, "pending-col-title")
            );
            for r in rules {
                let next = if r.active {
                    column_time(lang, r.next_fire_at)
                } else {
                    "-".into()
                };
                say!(
                    "{} {} {} {} {} {}",
                    right(&r.id.to_string(), 4),
                    cell(&state(&r), 12),
                    cell(&r.cron, 18),
                    cell(&next, 16),
                    cell(&r.department, 14),
                    clip(&r.title, 50)
                );
            }
        }
        RuleCmd::Show { id } => {
            let saved = room.rule(id, now).await.map_err(newsroom_error)?;
            let r = &saved.rule;
            say!(
                "{}",
                t!(
                    lang,
                    "rule-show",
                    id = r.id,
                    state = state(r),
                    cron = r.cron.as_str(),
                    department = r.department.as_str(),
                    channels = r.channels.join(", "),
                    author = r.author.as_str(),
                    title = r.title.as_str(),
                    link = r.link.as_deref().unwrap_or("-")
                )
            );
            say!("{}", r.body);
            print_next(lang, &saved.next);
            let trail = app.store.audit_trail("rule", &id.to_string()).await?;
            if !trail.is_empty() {
                say!("{}", t!(lang, "rule-trail"));
            }
            for e in trail {
                say!(
                    "  {} {} {}",
                    local_time(lang, e.at),
                    cell(&e.action, 12),
                    e.actor
                );
            }
        }
        RuleCmd::Pause { id } => {
            room.pause_rule(&who, id, now)
                .await
                .map_err(newsroom_error)?;
            say!("{}", t!(lang, "rule-paused", id = id));
        }
        RuleCmd::Resume { id } => {
            let saved = room
                .resume_rule(&who, id, now)
                .await
                .map_err(newsroom_error)?;
            say!("{}", t!(lang, "rule-resumed", id = id));
            print_next(lang, &saved.next);
            nudge(&app.settings).await;
        }
        RuleCmd::Delete { id } => {
            let r = room
                .delete_rule(&who, id, now)
                .await
                .map_err(newsroom_error)?;
            say!(
                "{}",
                t!(lang, "rule-deleted", id = id, title = r.title.as_str())
            );
        }
        RuleCmd::Edit {
            id,
            title,
            text,
            text_file,
            link,
            channels,
            recur,
            allow_frequent,
        } => {
            let text = text_arg(text, text_file.as_deref())?;
            let saved = room
                .edit_rule(
                    &who,
                    id,
                    crate::newsroom::RuleChanges {
                        title,
                        text,
                        link,
                        channels,
                        cron: recur,
                        allow_frequent,
                    },
                    now,
                )
                .await
                .map_err(newsroom_error)?;
            say!(
                "{}",
                t!(
                    lang,
                    "rule-edited",
                    id = id,
                    cron = saved.rule.cron.as_str()
                )
            );
            print_next(lang, &saved.next);
            print_skipped(lang, &saved.skipped);
            nudge(&app.settings).await;
        }
    }
    Ok(())
}

/// The channels a post does not go to, and why, one line each.
fn print_skipped(lang: Lang, skipped: &[crate::compose::Skipped]) {
    for k in skipped {
        let reason = match lang {
            Lang::En => &k.reason.en,
            Lang::Th => &k.reason.th,
        };
        say!(
            "{}",
            t!(
                lang,
                "post-skipped",
                channel = k.channel.as_str(),
                reason = reason.as_str()
            )
        );
    }
}

/// A time for a table's column, 16 wide, Bangkok time: `2026-12-01 09:00`, or in Thai the
/// day first with the Buddhist Era year, `01/12/2569 09.00` (as a Thai reader writes it).
pub(crate) fn column_time(lang: Lang, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Bangkok);
    match lang {
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        Lang::Th => {
            use chrono::Datelike;
            format!(
                "{} {}",
                local.format("%d/%m/").to_string() + &(local.year() + 543).to_string(),
                local.format("%H.%M")
            )
        }
    }
}

/// A time for a person: `2026-12-01 09:00 (Bangkok)`, or in Thai government style.
pub(crate) fn local_time(lang: Lang, at: DateTime<Utc>) -> String {
    match lang {
        Lang::En => format!("{} (Bangkok)", crate::newsroom::bangkok(at)),
        Lang::Th => {
            prakat_adapters::thai::dates::gov_datetime(at, prakat_adapters::thai::Digits::Arabic)
        }
    }
}

/// "website (delivery 3), line (delivery 4)".
fn delivery_list(lang: Lang, deliveries: &[crate::store::DeliveryRow]) -> String {
    deliveries
        .iter()
        .map(|d| {
            t!(
                lang,
                "post-delivery",
                channel = d.channel.as_str(),
                id = d.id
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `people invite`: a one-time code, shown once.
pub async fn people(settings: Settings, lang: Lang, cmd: PeopleCmd) -> CliResult {
    let (department, role, days) = match cmd {
        PeopleCmd::Invite {
            department,
            role,
            days,
        } => (department, role, days),
        PeopleCmd::Add {
            name,
            login,
            role,
            department,
            password_stdin,
        } => {
            let add = crate::desk::cli::AddPerson {
                name,
                login,
                role,
                department,
                password_stdin,
            };
            return crate::desk::cli::add(settings, lang, add).await;
        }
        PeopleCmd::Password {
            login,
            password_stdin,
        } => return crate::desk::cli::set_password(settings, lang, login, password_stdin).await,
        PeopleCmd::Token { login, label } => {
            return crate::desk::cli::make_token(settings, lang, login, label).await;
        }
    };
    let Some(role) = Role::parse(&role) else {
        return Err(CliError::of(
            2,
            Msg::new("people-bad-role").with("role", role.as_str()),
        ));
    };
    let app = App::open_for(settings, Purpose::Compose).await?;
    let inv = Newsroom::new(&app)
        .invite(
            &cli_person(None),
            role,
            department.as_deref(),
            chrono::Duration::days(i64::from(days)),
            Utc::now(),
        )
        .await
        .map_err(newsroom_error)?;
    say!(
        "{}",
        t!(
            lang,
            "people-invited",
            code = inv.code.as_str(),
            role = inv.role.as_str(),
            department = inv.department.as_deref().unwrap_or("-"),
            until = local_time(lang, inv.expires_at)
        )
    );
    if let Some(bot) = bot_username(&app.settings).await {
        let link = format!("https://t.me/{bot}?start={}", inv.code);
        say!("{}", t!(lang, "people-invite-link", link = link.as_str()));
    }
    Ok(())
}

/// The Telegram bot's user name, for invitation links: from the settings, else asked of
/// Telegram. None without a bot, or when Telegram cannot be asked (the code alone works).
async fn bot_username(settings: &Settings) -> Option<String> {
    let tg = &settings.telegram;
    if let Some(name) = &tg.bot_username {
        return Some(name.trim_start_matches('@').to_owned());
    }
    let token = tg.token.as_ref()?.resolve().ok()?;
    let api = crate::telegram::Api::new(token, &tg.api_url, &settings.http).ok()?;
    match tokio::time::timeout(std::time::Duration::from_secs(10), api.username()).await {
        Ok(Ok(name)) if !name.is_empty() => Some(name),
        _ => None,
    }
}

/// `queue pending|approve|reject|withdraw`: the PR officer's decisions on what waits.
async fn decide(app: &App, lang: Lang, cmd: QueueCmd, who: &Person) -> CliResult {
    let room = Newsroom::new(app);
    match cmd {
        QueueCmd::Pending { limit } => {
            use crate::out::{cell, clip, right};
            say!(
                "{} {} {} {} {}",
                right(&t!(lang, "queue-col-id"), 6),
                cell(&t!(lang, "pending-col-sent"), 16),
                cell(&t!(lang, "queue-col-department"), 14),
                cell(&t!(lang, "pending-col-from"), 20),
                t!(lang, "pending-col-title")
            );
            for a in room.waiting(limit).await.map_err(newsroom_error)? {
                say!(
                    "{} {} {} {} {}",
                    right(&a.id.to_string(), 6),
                    column_time(lang, a.created_at),
                    cell(&a.department.code, 14),
                    cell(&a.author, 20),
                    clip(&a.title, 60)
                );
            }
        }
        QueueCmd::Approve { id, at } => {
            let at = at.as_deref().map(parse_at).transpose()?;
            let done = room
                .approve(who, id, at, Utc::now())
                .await
                .map_err(newsroom_error)?;
            say!(
                "{}",
                t!(
                    lang,
                    "approve-done",
                    id = id,
                    deliveries = delivery_list(lang, &done.deliveries),
                    at = local_time(lang, done.announcement.publish_at)
                )
            );
            nudge(&app.settings).await;
        }
        QueueCmd::Reject { id, reason } => {
            room.reject(who, id, &reason)
                .await
                .map_err(newsroom_error)?;
            say!(
                "{}",
                t!(lang, "reject-done", id = id, reason = reason.as_str())
            );
        }
        QueueCmd::Withdraw { id } => {
            room.withdraw(who, id).await.map_err(newsroom_error)?;
            say!("{}", t!(lang, "withdraw-done", id = id));
        }
        _ => unreachable!("decide takes only the decisions"),
    }
    Ok(())
}

/// Tell a running daemon that work was added, so it need not wait for its next look. A daemon
/// that is not running will find the work when it starts: failure here is not an error.
pub(crate) async fn nudge(settings: &Settings) {
    let url = format!("{}/internal/wake", settings.server.admin_base_url());
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(800))
        .build();
    if let Ok(client) = client {
        match admin_auth(client.post(&url), settings).send().await {
            Ok(r) if r.status().is_success() => tracing::debug!(%url, "daemon woken"),
            Ok(r) => {
                tracing::warn!(%url, status = %r.status(), "the daemon refused the wake-up (check server.admin_token)")
            }
            Err(e) => tracing::debug!(%url, error = %e, "no daemon to wake"),
        }
    }
}

/// A request to the daemon's admin listener, with `server.admin_token` when set.
fn admin_auth(req: reqwest::RequestBuilder, settings: &Settings) -> reqwest::RequestBuilder {
    match &settings.server.admin_token {
        Some(token) => req.bearer_auth(token.expose()),
        None => req,
    }
}

pub async fn queue(settings: Settings, lang: Lang, cmd: QueueCmd) -> CliResult {
    let app = App::open_for(settings, Purpose::Compose).await?;

    let actor = Actor::person(
        "cli",
        &std::env::var("USER").unwrap_or_else(|_| "cli".into()),
        "pr_officer",
    );
    match cmd {
        decision @ (QueueCmd::Pending { .. }
        | QueueCmd::Approve { .. }
        | QueueCmd::Reject { .. }
        | QueueCmd::Withdraw { .. }) => {
            return decide(&app, lang, decision, &cli_person(None)).await;
        }
        QueueCmd::List {
            state,
            channel,
            limit,
            all,
            json,
        } => {
            let state = state.as_deref().map(parse_state).transpose()?;
            if let Some(c) = &channel {
                check_channel_name(&app, c).await?;
            }
            let filter = DeliveryFilter {
                state,
                channel,
                announcement_id: None,
                limit: (!all).then_some(limit),
                newest_first: true,
                ..Default::default()
            };
            let rows = app.store.deliveries(&filter).await?;
            let more = if all {
                0
            } else {
                app.store
                    .count_deliveries(&filter)
                    .await?
                    .saturating_sub(rows.len() as u64)
            };
            if json {
                for r in rows {
                    say!("{}", serde_json::to_string(&r).unwrap_or_default());
                }
                return Ok(());
            }
            let shown = rows.len();
            use crate::out::{cell, clip, right};
            say!(
                "{} {}  {} {} {} {}  {} {}",
                right(&t!(lang, "queue-col-id"), 6),
                right(&t!(lang, "queue-col-announcement"), 6),
                cell(&t!(lang, "queue-col-state"), 16),
                cell(&t!(lang, "queue-col-channel"), 10),
                cell(&t!(lang, "queue-col-due"), 16),
                right(&t!(lang, "queue-col-attempts"), 3),
                cell(&t!(lang, "queue-col-department"), 14),
                t!(lang, "queue-col-title")
            );
            for r in rows {
                say!(
                    "{} {}  {} {} {} {}  {} {}",
                    right(&r.id.to_string(), 6),
                    right(&r.announcement_id.to_string(), 6),
                    cell(&r.state.msg().render(lang), 16),
                    cell(&r.channel, 10),
                    column_time(lang, r.due_at),
                    right(&r.attempts.to_string(), 3),
                    cell(&r.department, 14),
                    clip(&r.title, 40)
                );
                if let Some(e) = &r.last_error
                    && r.state != DeliveryState::Published
                {
                    say!("{:>16}└ {}", "", clip(e, 200));
                }
            }
            if more > 0 {
                say!(
                    "{}",
                    t!(
                        lang,
                        "queue-more",
                        more = more as i64,
                        shown = shown as i64,
                        next = (shown as i64 * 2).max(1)
                    )
                );
            }
        }
        QueueCmd::Show { id, json } => {
            let d = app.store.delivery(id).await?;
            let trail = app.store.audit_trail("delivery", &id.to_string()).await?;
            let announcement = app
                .store
                .audit_trail("announcement", &d.announcement_id.to_string())
                .await?;
            if json {
                let out = serde_json::json!({"delivery": d, "audit": trail, "announcement_audit": announcement});
                say!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                return Ok(());
            }
            show_delivery(lang, &d, &trail, &announcement);
        }
        QueueCmd::Watch { id } => return watch(&app, lang, id).await,
        QueueCmd::Cancel {
            id: None,
            announcement: Some(announcement),
        } => {
            let done = Newsroom::new(&app)
                .cancel_announcement(&cli_person(None), announcement, Utc::now())
                .await
                .map_err(newsroom_error)?;
            for d in &done.cancelled {
                say!(
                    "{}",
                    t!(
                        lang,
                        "queue-cancelled",
                        id = d.id,
                        channel = d.channel.as_str()
                    )
                );
            }
            for d in &done.left {
                say!(
                    "{}",
                    t!(
                        lang,
                        "queue-cancel-left",
                        id = d.id,
                        channel = d.channel.as_str(),
                        state = d.state.msg().render(lang)
                    )
                );
            }
            say!(
                "{}",
                t!(
                    lang,
                    "queue-cancelled-announcement",
                    id = announcement,
                    count = done.cancelled.len() as i64
                )
            );
        }
        QueueCmd::Cancel { id, .. } => {
            let id = id.expect("clap requires an id without --announcement");
            let d = app.store.cancel_delivery(id, Utc::now(), &actor).await?;
            say!(
                "{}",
                t!(
                    lang,
                    "queue-cancelled",
                    id = d.id,
                    channel = d.channel.as_str()
                )
            );
        }
        QueueCmd::Retry { id: Some(id), .. } => {
            let d = app.store.retry_delivery(id, Utc::now(), &actor).await?;
            say!(
                "{}",
                t!(
                    lang,
                    "queue-retried",
                    id = d.id,
                    channel = d.channel.as_str()
                )
            );
            nudge(&app.settings).await;
        }
        QueueCmd::Retry {
            id: None,
            channel,
            state,
        } => {
            let state = parse_state(&state)?;
            if let Some(c) = &channel {
                check_channel_name(&app, c).await?;
            }
            let rows = app
                .store
                .deliveries(&DeliveryFilter {
                    state: Some(state),
                    channel: channel.clone(),
                    announcement_id: None,
                    limit: None,
                    newest_first: false,
                    ..Default::default()
                })
                .await?;
            for d in &rows {
                app.store.retry_delivery(d.id, Utc::now(), &actor).await?;
            }
            say!(
                "{}",
                t!(
                    lang,
                    "queue-retried-many",
                    count = rows.len(),
                    channel = channel.unwrap_or_default()
                )
            );
            nudge(&app.settings).await;
        }
    }
    Ok(())
}

/// Follow a delivery: state changes as lines, upload progress as a bar (from the daemon's
/// `/internal/progress`), until it is published (exit 0) or stops for a person (exit 1).
async fn watch(app: &App, lang: Lang, id: i64) -> CliResult {
    use indicatif::{ProgressBar, ProgressStyle};
    let url = format!("{}/internal/progress", app.settings.server.admin_base_url());
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .ok();
    // A line of words until there are bytes to count: a text post never shows `0 B/0 B`.
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("{msg}").expect("a valid template"));
    let bytes_style = ProgressStyle::with_template(&format!(
        "{{msg}} [{{bar:40}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {} {{eta}}",
        t!(lang, "watch-eta")
    ))
    .expect("a valid template")
    .progress_chars("=> ");
    let mut counting = false;
    let mut last_state = None;
    loop {
        let d = app.store.delivery(id).await?;
        if last_state != Some(d.state) {
            bar.println(t!(
                lang,
                "watch-state",
                id = id,
                channel = d.channel.as_str(),
                state = d.state.msg().render(lang)
            ));
            last_state = Some(d.state);
        }
        match d.state {
            DeliveryState::Published => {
                bar.finish_and_clear();
                let link = d
                    .remote_url
                    .or(d.remote_id)
                    .unwrap_or_else(|| t!(lang, "watch-no-link"));
                say!("{}", t!(lang, "watch-published", link = link));
                return Ok(());
            }
            DeliveryState::Failed | DeliveryState::NeedsAttention | DeliveryState::Cancelled => {
                bar.finish_and_clear();
                return Err(CliError::of(
                    1,
                    Msg::new("error-delivery-stopped")
                        .with("id", id)
                        .with_msg("state", d.state.msg())
                        .with("why", d.last_error.unwrap_or_default()),
                ));
            }
            DeliveryState::Queued => bar.set_message(t!(
                lang,
                "watch-waiting",
                at = d
                    .next_attempt_at
                    .with_timezone(&Bangkok)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            )),
            DeliveryState::InFlight => {
                bar.set_message(t!(lang, "watch-publishing", channel = d.channel.as_str()));
                let transfers = match &client {
                    Some(c) => match admin_auth(c.get(&url), &app.settings).send().await {
                        Ok(r) => r
                            .json::<std::collections::BTreeMap<i64, crate::dispatch::Transfer>>()
                            .await
                            .ok(),
                        Err(_) => None,
                    },
                    None => None,
                };
                if let Some((len, pos)) = transfers.and_then(|t| bar_of(t.get(&id).copied())) {
                    if !counting {
                        bar.set_style(bytes_style.clone());
                        counting = true;
                    }
                    bar.set_length(len);
                    bar.set_position(pos);
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

/// `queue show`: a delivery for a person — Bangkok times, the text as it will read, the trail.
fn show_delivery(
    lang: Lang,
    d: &crate::store::DeliveryRow,
    trail: &[crate::store::AuditEntry],
    announcement: &[crate::store::AuditEntry],
) {
    say!(
        "{}",
        t!(
            lang,
            "queue-show-head",
            id = d.id,
            channel = d.channel.as_str(),
            state = d.state.msg().render(lang),
            announcement = d.announcement_id,
            department = d.department.as_str(),
            title = d.title.as_str()
        )
    );
    say!(
        "{}",
        t!(
            lang,
            "queue-show-times",
            due = local_time(lang, d.due_at),
            next = local_time(lang, d.next_attempt_at),
            attempts = i64::from(d.attempts)
        )
    );
    if let Some(at) = d.published_at {
        say!(
            "{}",
            t!(
                lang,
                "queue-show-published",
                at = local_time(lang, at),
                link = d
                    .remote_url
                    .clone()
                    .or(d.remote_id.clone())
                    .unwrap_or_else(|| t!(lang, "watch-no-link"))
            )
        );
    }
    if let Some(e) = &d.last_error {
        say!("{}", t!(lang, "queue-show-error", error = e.as_str()));
    }
    say!("{}", t!(lang, "queue-show-text"));
    for line in d.payload.text.lines() {
        say!("  {line}");
    }
    if let Some(link) = &d.payload.link {
        say!("{}", t!(lang, "queue-show-link", link = link.as_str()));
    }
    for m in &d.payload.media {
        say!(
            "{}",
            t!(
                lang,
                "queue-show-media",
                name = m.original_name.as_str(),
                kind = m.kind.as_str(),
                size = indicatif::HumanBytes(m.size).to_string()
            )
        );
    }
    for note in &d.payload.notes {
        say!("  {note}");
    }
    for (head, entries) in [
        ("queue-show-trail", trail),
        ("queue-show-announcement-trail", announcement),
    ] {
        if entries.is_empty() {
            continue;
        }
        say!("{}", crate::i18n::tr(lang, head, &[]));
        for e in entries {
            let detail = match &e.detail {
                serde_json::Value::Object(m) if m.is_empty() => String::new(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            say!(
                "  {}  {} {} {}",
                local_time(lang, e.at),
                crate::out::cell(&e.action, 16),
                crate::out::cell(&e.actor, 20),
                crate::out::clip(&detail, 160)
            );
        }
    }
}

/// The bar's length and position for a delivery's transfer: only a transfer with something to
/// send draws one (a text post has none, and would show `0 B/0 B`).
fn bar_of(t: Option<crate::dispatch::Transfer>) -> Option<(u64, u64)> {
    t.filter(|t| t.total > 0).map(|t| (t.total, t.done))
}

fn parse_state(s: &str) -> Result<DeliveryState, CliError> {
    DeliveryState::parse(s).ok_or_else(|| {
        let all: Vec<&str> = DeliveryState::ALL.iter().map(|s| s.as_str()).collect();
        CliError::bad_input(
            Msg::new("error-unknown-state")
                .with("state", format!("{s:?}"))
                .with("states", all.join(", ")),
        )
    })
}

pub async fn department(settings: Settings, lang: Lang, cmd: DepartmentCmd) -> CliResult {
    let app = App::open_for(settings, Purpose::Compose).await?;
    match cmd {
        DepartmentCmd::List => {
            use crate::out::{cell, clip};
            // The departments people use; the monthly digest's own is the daemon's.
            for d in Newsroom::new(&app)
                .departments()
                .await
                .map_err(newsroom_error)?
            {
                say!(
                    "{} {} {}",
                    cell(&d.code, 16),
                    cell(&d.name_th, 24),
                    clip(&d.name_en, 60)
                );
            }
        }
        DepartmentCmd::Add { code, th, en } => {
            let user = std::env::var("USER").unwrap_or_else(|_| "cli".into());
            let added = Newsroom::new(&app)
                .add_department(&code, &th, &en, &Actor::person("cli", &user, "admin"))
                .await
                .map_err(newsroom_error)?;
            let code = added.code;
            say!("{}", t!(lang, "department-added", code = code.as_str()));
        }
    }
    Ok(())
}

pub async fn site_rebuild(settings: Settings, lang: Lang) -> CliResult {
    // The one command that writes the site: only while no daemon holds the lock.
    let _lock =
        match crate::lock::DaemonLock::acquire(&settings).map_err(|e| CliError::of(1, e.msg()))? {
            Some(lock) => lock,
            None => return Err(CliError::of(5, Msg::new("error-daemon-running"))),
        };
    let Some(website) = settings.channels.website() else {
        return Err(CliError::bad_input(Msg::new("error-website-off")));
    };
    let site =
        crate::channels::open_website(&settings, website).map_err(|e| CliError::of(1, e.msg()))?;
    let pages = site.rebuild_all().await.map_err(|e| {
        CliError::of(
            1,
            Msg::new("error-site-rebuild")
                .with("dir", site.root().display())
                .with("detail", e),
        )
    })?;
    say!(
        "{}",
        t!(
            lang,
            "site-rebuilt",
            pages = pages,
            dir = site.root().display().to_string()
        )
    );
    Ok(())
}

pub async fn channels_check(settings: Settings, lang: Lang) -> CliResult {
    use crate::out::cell;
    let app = App::open_for(settings, Purpose::Check).await?;
    let mut bad = 0;
    for (name, e) in app.registry.entries() {
        match e.channel.healthcheck().await {
            Ok(h) => say!(
                "{} {} {}",
                cell(&t!(lang, "channels-ok"), 9),
                cell(name, 10),
                crate::errors::health_line(&h, lang)
            ),
            Err(err) => {
                bad += 1;
                say!(
                    "{} {} {}",
                    cell(&t!(lang, "channels-fail"), 9),
                    cell(name, 10),
                    crate::errors::publish_error_msg(&err).render(lang)
                );
            }
        }
    }
    if bad > 0 {
        return Err(CliError::of(
            1,
            Msg::new("error-channels-failed").with_number("count", bad),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_post_draws_no_empty_bar() {
        let t = |done, total| Some(crate::dispatch::Transfer { done, total });
        assert_eq!(bar_of(t(0, 0)), None);
        assert_eq!(bar_of(None), None);
        assert_eq!(bar_of(t(5, 10)), Some((10, 5)));
    }
}
