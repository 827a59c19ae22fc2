//! The desk's people from the command line — `prakat people add` and `prakat people
//! password` — and the first admin a new database gets when the daemon starts.

use std::io::{BufRead, IsTerminal};

use crate::app::App;
use crate::channels::Purpose;
use crate::cli::{CliError, CliResult};
use crate::i18n::{Lang, Msg};
use crate::newsroom::Role;
use crate::settings::Settings;
use crate::store::{Actor, NewDeskPerson, Store, StoreError};
use crate::{say, t};

use super::password;

/// Who adds people from the terminal: the admin at the machine.
fn terminal_actor() -> Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    Actor::person("cli", &user, Role::Admin.as_str())
}

/// A password from stdin's first line (`--password-stdin`), or asked twice on the terminal
/// without showing it. At least [`password::MIN_LEN`] characters.
fn read_password(lang: Lang, from_stdin: bool) -> Result<String, CliError> {
    let given = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::of(
                1,
                Msg::new("desk-password-unreadable").with("detail", e.to_string()),
            )
        })?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else if std::io::stdin().is_terminal() {
        let ask = |id| {
            rpassword::prompt_password(crate::i18n::tr(lang, id, &[])).map_err(|e| {
                CliError::of(
                    1,
                    Msg::new("desk-password-unreadable").with("detail", e.to_string()),
                )
            })
        };
        let first = ask("desk-password-prompt")?;
        if ask("desk-password-again")? != first {
            return Err(CliError::bad_input(Msg::new("desk-password-mismatch")));
        }
        first
    } else {
        return Err(CliError::bad_input(Msg::new("desk-password-needed")));
    };
    if given.chars().count() < password::MIN_LEN {
        return Err(CliError::bad_input(
            Msg::new("desk-password-short").with("min", password::MIN_LEN),
        ));
    }
    Ok(given)
}

async fn hashed(password: String) -> Result<String, CliError> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| {
            CliError::of(
                1,
                Msg::new("desk-password-unreadable").with("detail", e.to_string()),
            )
        })?
        .map_err(|e| {
            CliError::of(
                1,
                Msg::new("desk-password-unreadable").with("detail", e.to_string()),
            )
        })
}

/// What `people add` is given.
pub struct AddPerson {
    pub name: String,
    pub login: Option<String>,
    pub role: String,
    pub department: Option<String>,
    pub password_stdin: bool,
}

/// `prakat people add`: someone who signs in to the web desk with a password.
pub async fn add(settings: Settings, lang: Lang, a: AddPerson) -> CliResult {
    let Some(role) = Role::parse(&a.role) else {
        return Err(CliError::bad_input(
            Msg::new("people-bad-role").with("role", a.role.as_str()),
        ));
    };
    if role == Role::DepartmentStaff && a.department.is_none() {
        return Err(CliError::bad_input(Msg::new("people-department-needed")));
    }
    let name = crate::text::one_line(&a.name);
    let login = crate::text::one_line(a.login.as_deref().unwrap_or(&name));
    if name.is_empty() || login.is_empty() {
        return Err(CliError::bad_input(Msg::new("desk-name-needed")));
    }
    let password = read_password(lang, a.password_stdin)?;
    let app = App::open_for(settings, Purpose::Compose).await?;
    let new = NewDeskPerson {
        name,
        login,
        role: role.as_str().into(),
        department: a.department,
        password_hash: hashed(password).await?,
    };
    match app.store.add_desk_person(&new, &terminal_actor()).await {
        Ok(p) => {
            say!(
                "{}",
                t!(
                    lang,
                    "desk-person-added",
                    name = p.name.as_str(),
                    login = new.login.as_str(),
                    role = p.role.as_str(),
                    department = p.department.as_deref().unwrap_or("-"),
                    url = format!("{}/", app.settings.public_base_url())
                )
            );
            Ok(())
        }
        Err(StoreError::Conflict(_)) => Err(CliError::of(
            5,
            Msg::new("desk-login-taken").with("login", new.login.as_str()),
        )),
        Err(StoreError::NotFound(_)) => Err(CliError::bad_input(
            Msg::new("desk-unknown-department")
                .with("department", new.department.as_deref().unwrap_or("-")),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `prakat people password --login L`: a new password; every session of that person ends.
pub async fn set_password(
    settings: Settings,
    lang: Lang,
    login: String,
    password_stdin: bool,
) -> CliResult {
    let password = read_password(lang, password_stdin)?;
    let app = App::open_for(settings, Purpose::Compose).await?;
    let hash = hashed(password).await?;
    match app
        .store
        .set_desk_password(&login, &hash, chrono::Utc::now(), &terminal_actor())
        .await
    {
        Ok(()) => {
            say!("{}", t!(lang, "desk-password-set", login = login.as_str()));
            Ok(())
        }
        Err(StoreError::NotFound(_)) => Err(CliError::of(
            4,
            Msg::new("desk-login-unknown").with("login", login.as_str()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `prakat people token --login L --label X`: a JSON API token acting as that person, shown
/// once (only its SHA-256 is kept).
pub async fn make_token(settings: Settings, lang: Lang, login: String, label: String) -> CliResult {
    let app = App::open_for(settings, Purpose::Compose).await?;
    let token = password::token();
    match app
        .store
        .create_api_token(
            &login,
            &password::digest(&token),
            &crate::text::one_line(&label),
            chrono::Utc::now(),
            &terminal_actor(),
        )
        .await
    {
        Ok(_) => {
            say!(
                "{}",
                t!(
                    lang,
                    "desk-token-made",
                    login = login.as_str(),
                    label = label.as_str(),
                    token = token.as_str()
                )
            );
            Ok(())
        }
        Err(StoreError::NotFound(_)) => Err(CliError::of(
            4,
            Msg::new("desk-login-unknown").with("login", login.as_str()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The login the first admin gets.
pub const FIRST_ADMIN: &str = "admin";

/// When no admin can sign in to the desk yet, make one (`admin`) with a generated password,
/// written once to `<data_dir>/desk-first-admin.txt` (readable by the daemon's user only) and
/// shown on the terminal when there is one. Of two daemons starting at once, one makes it.
pub async fn first_admin(app: &App) -> anyhow::Result<()> {
    if !app.settings.desk.enabled {
        return Ok(());
    }
    // The usual case, answered without hashing a password; the store decides again below.
    if app
        .store
        .desk_logins()
        .await?
        .iter()
        .any(|l| l.person.role == Role::Admin.as_str())
    {
        return Ok(());
    }
    let secret = password::generate();
    let hash = {
        let s = secret.clone();
        tokio::task::spawn_blocking(move || password::hash(&s))
            .await?
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?
    };
    let new = NewDeskPerson {
        name: FIRST_ADMIN.into(),
        login: FIRST_ADMIN.into(),
        role: Role::Admin.as_str().into(),
        department: None,
        password_hash: hash,
    };
    let made = match app
        .store
        .add_first_desk_admin(&new, &Actor::daemon("system:desk"))
        .await
    {
        Ok(m) => m,
        Err(StoreError::Conflict(_)) => {
            tracing::warn!(
                "no admin can sign in to the web desk and the login \"admin\" is taken: add one with `prakat people add --role admin`"
            );
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if made.is_none() {
        return Ok(());
    }
    let file = app.settings.storage.data_dir.join("desk-first-admin.txt");
    let url = format!("{}/", app.settings.public_base_url());
    let text = format!(
        "web desk: {url}\nlogin: {FIRST_ADMIN}\npassword: {secret}\n\nSign in, add the people who use the desk (prakat people add), set a password of your own (prakat people password --login admin) and delete this file.\n"
    );
    write_private(&file, &text)?;
    tracing::warn!(
        file = %file.display(),
        url = %url,
        "the web desk's first admin was made: sign in as \"admin\" with the password in the file, then delete it"
    );
    if std::io::stderr().is_terminal() {
        eprintln!("{text}");
    }
    Ok(())
}

/// Write a file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(text.as_bytes())
}
