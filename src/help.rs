//! The command line's help and complaints in the reader's language.
//!
//! clap's derive writes help from doc comments at compile time, in English. Here the
//! [`clap::Command`] built from [`Cli`] gets every `about` and every argument's `help` from the
//! translation files (`locales/<lang>/help.ftl`) before parsing, and clap's own words — the
//! section headings, "[default: …]", the complaint about a mistyped command — are replaced by
//! translated ones. The doc comments on [`Cli`] stay for developers; what a person reads is here.
//!
//! The language is chosen before parsing, as far as it can be known cheaply: `--lang` in the
//! arguments, `PRAKAT_LANG`, then the settings' `ui.lang` (`PRAKAT__UI__LANG`, or `[ui] lang` in
//! the file named by `--config` / `PRAKAT_CONFIG`).
//!
//! Ids: `help-<subcommand path>` for a command (`help-queue-list`; the program itself is
//! `help-prakat`), `help-<path>-<argument>` for an argument (`help-post-text-file`), and
//! `help-global-<argument>` for the program's own (`help-global-lang`).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, ValueEnum};

use crate::cli::Cli;
use crate::i18n::{Lang, Msg, tr};
use crate::settings::Settings;
use crate::t;

/// Parse the process's arguments with help and errors in the reader's language. Help, version
/// and mistakes end the process here, as clap does (status 0 for help, 2 for a mistake).
/// Returns the command line and the language known before the settings were read.
pub fn parse() -> (Cli, Lang) {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = lang_hint(&args);
    match parse_from(lang, args) {
        Ok(cli) => (cli, lang),
        Err(e) => exit_with(e, lang),
    }
}

/// Parse `args` (the program name first) with the help of `lang`.
pub fn parse_from(lang: Lang, args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut cmd = command(lang);
    let mut matches = cmd.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd))
}

/// The language to speak before the command line is parsed.
pub fn lang_hint(args: &[OsString]) -> Lang {
    let mut config: Option<PathBuf> = None;
    let mut it = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        let value = |name: &str, it: &mut dyn Iterator<Item = String>| {
            if arg == name {
                it.next()
            } else {
                arg.strip_prefix(&format!("{name}=")).map(str::to_owned)
            }
        };
        if let Some(v) = value("--lang", &mut it) {
            if let Ok(lang) = Lang::from_str(&v, true) {
                return lang;
            }
        } else if let Some(v) = value("--config", &mut it) {
            config = Some(PathBuf::from(v));
        }
    }
    if let Some(lang) = std::env::var("PRAKAT_LANG")
        .ok()
        .and_then(|v| Lang::from_str(&v, true).ok())
    {
        return lang;
    }
    let config = config.or_else(|| std::env::var_os("PRAKAT_CONFIG").map(PathBuf::from));
    Settings::peek_lang(config.as_deref()).unwrap_or_default()
}

/// The whole command line, worded in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = translate(Cli::command(), lang, &[])
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t!(lang, "help-flag-version"))
                .help_heading(t!(lang, "help-heading-options")),
        );
    // clap adds the `help` subcommands when it builds the command: word them afterwards.
    cmd.build();
    word_help_subcommands(&mut cmd, lang);
    cmd
}

fn word_help_subcommands(cmd: &mut clap::Command, lang: Lang) {
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() == "help" {
            // Its one argument: the subcommand to show the help of.
            let positionals: Vec<String> = sub
                .get_positionals()
                .map(|a| a.get_id().to_string())
                .collect();
            let mut worded = std::mem::take(sub)
                .about(t!(lang, "help-help"))
                .help_template(template(lang));
            for id in positionals {
                worded = worded.mut_arg(id, |a| {
                    a.help(t!(lang, "help-help-subcommand"))
                        .help_heading(t!(lang, "help-heading-arguments"))
                });
            }
            *sub = worded;
        } else {
            word_help_subcommands(sub, lang);
        }
    }
}

/// The message id of a command (`path` is the subcommands' names from the top).
fn command_id(path: &[String]) -> String {
    if path.is_empty() {
        "help-prakat".into()
    } else {
        format!("help-{}", path.join("-"))
    }
}

/// The message id of an argument of the command at `path`.
fn arg_id(path: &[String], arg: &str) -> String {
    let arg = arg.replace('_', "-");
    if path.is_empty() {
        format!("help-global-{arg}")
    } else {
        format!("help-{}-{arg}", path.join("-"))
    }
}

/// clap's layout with the "Usage:" heading in `lang`.
fn template(lang: Lang) -> String {
    format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t!(lang, "help-heading-usage")
    )
}

fn translate(cmd: clap::Command, lang: Lang, path: &[String]) -> clap::Command {
    let mut cmd = cmd
        .about(tr(lang, &command_id(path), &[]))
        .long_about(None::<&str>)
        .help_template(template(lang))
        .subcommand_help_heading(t!(lang, "help-heading-commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!(lang, "help-flag-help"))
                .help_heading(t!(lang, "help-heading-options")),
        );
    let args: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help")
        .collect();
    for id in args {
        let msg_id = arg_id(path, &id);
        cmd = cmd.mut_arg(id, |a| word_arg(a, lang, &msg_id));
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in subcommands {
        let mut sub_path = path.to_vec();
        sub_path.push(name.clone());
        cmd = cmd.mut_subcommand(name, |c| translate(c, lang, &sub_path));
    }
    cmd
}

/// An argument's help from the files, with its default, its possible values and its variable
/// said in `lang` instead of clap's English annotations.
fn word_arg(mut a: Arg, lang: Lang, id: &str) -> Arg {
    let mut text = tr(lang, id, &[]);
    if a.get_action().takes_values() {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            text.push(' ');
            text.push_str(&t!(lang, "help-default", value = defaults.join(", ")));
        }
        let possible: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_owned())
            .collect();
        if !possible.is_empty() {
            text.push(' ');
            text.push_str(&t!(lang, "help-possible", values = possible.join(", ")));
        }
        a = a.hide_default_value(true).hide_possible_values(true);
    }
    if let Some(env) = a.get_env() {
        text.push(' ');
        text.push_str(&t!(
            lang,
            "help-env",
            var = env.to_string_lossy().into_owned()
        ));
        a = a.hide_env(true);
    }
    let heading = if a.is_positional() {
        t!(lang, "help-heading-arguments")
    } else {
        t!(lang, "help-heading-options")
    };
    a.help(text).long_help(None::<&str>).help_heading(heading)
}

/// End the process for a parse result that is not a command: help and version as clap prints
/// them (already worded), a mistake said in `lang` with status 2.
fn exit_with(e: clap::Error, lang: Lang) -> ! {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => {
            eprintln!("{}", complaint(&e).render(lang));
            if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
                let usage = usage.to_string();
                let usage = usage.trim().trim_start_matches("Usage:").trim();
                eprintln!();
                eprintln!("{} {usage}", t!(lang, "help-heading-usage"));
            }
            eprintln!();
            eprintln!("{}", t!(lang, "clap-more-info"));
            std::process::exit(e.exit_code());
        }
    }
}

/// What a mistake on the command line is, from clap's error and its context.
pub fn complaint(e: &clap::Error) -> Msg {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = |m: Msg| match text(ContextKind::SuggestedArg)
        .or_else(|| text(ContextKind::SuggestedSubcommand))
        .or_else(|| text(ContextKind::SuggestedValue))
    {
        Some(s) => Msg::new("clap-with-tip")
            .with_msg("message", m)
            .with("suggested", s),
        None => m,
    };
    match e.kind() {
        ErrorKind::UnknownArgument => {
            suggestion(Msg::new("clap-unknown-argument").with("arg", arg))
        }
        ErrorKind::InvalidSubcommand => suggestion(Msg::new("clap-unknown-subcommand").with(
            "name",
            text(ContextKind::InvalidSubcommand).unwrap_or_default(),
        )),
        ErrorKind::InvalidValue => match text(ContextKind::ValidValue) {
            Some(valid) if !value.is_empty() => suggestion(
                Msg::new("clap-invalid-value-of")
                    .with("value", value)
                    .with("arg", arg)
                    .with("valid", valid),
            ),
            _ => Msg::new("clap-missing-value").with("arg", arg),
        },
        ErrorKind::ValueValidation => {
            let number = std::error::Error::source(e)
                .is_some_and(|s| s.downcast_ref::<std::num::ParseIntError>().is_some());
            if number {
                Msg::new("clap-not-a-number")
                    .with("value", value)
                    .with("arg", arg)
            } else {
                Msg::new("clap-invalid-value")
                    .with("value", value)
                    .with("arg", arg)
            }
        }
        ErrorKind::MissingRequiredArgument => Msg::new("clap-missing-required").with("args", arg),
        ErrorKind::ArgumentConflict => Msg::new("clap-conflict")
            .with("arg", arg)
            .with("other", text(ContextKind::PriorArg).unwrap_or_default()),
        ErrorKind::MissingSubcommand => Msg::new("clap-missing-subcommand")
            .with(
                "name",
                text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            )
            .with(
                "valid",
                text(ContextKind::ValidSubcommand).unwrap_or_default(),
            ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            Msg::new("clap-value-count").with("arg", arg)
        }
        _ => Msg::new("clap-other").with(
            "detail",
            e.render()
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument of the command line, with its message id.
    fn ids(cmd: &clap::Command, path: &[String], out: &mut Vec<String>) {
        out.push(command_id(path));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id != "help" && id != "version" && (path.is_empty() || !a.is_global_set()) {
                out.push(arg_id(path, id));
            }
        }
        for sub in cmd.get_subcommands() {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_owned());
            ids(sub, &p, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let mut all = Vec::new();
        ids(&Cli::command(), &[], &mut all);
        for lang in [Lang::En, Lang::Th] {
            let missing: Vec<&String> = all.iter().filter(|id| tr(lang, id, &[]) == **id).collect();
            assert!(missing.is_empty(), "{lang:?}: no help for {missing:?}");
        }
    }

    fn help_of(lang: Lang, path: &[&str]) -> String {
        let mut cmd = command(lang);
        let mut sub = &mut cmd;
        for name in path {
            sub = sub.find_subcommand_mut(name).unwrap();
        }
        sub.render_help().to_string()
    }

    #[test]
    fn help_is_worded_in_the_chosen_language() {
        let th = help_of(Lang::Th, &["post"]);
        assert!(th.contains("วิธีใช้:") && th.contains("หน่วยงาน"), "{th}");
        for english in [
            "Usage:",
            "Options:",
            "Print help",
            "[default",
            "Department code",
        ] {
            assert!(!th.contains(english), "{english} in {th}");
        }
        let en = help_of(Lang::En, &["post"]);
        assert!(
            en.contains("Usage:") && en.contains("Department code"),
            "{en}"
        );
        assert!(
            !en.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)),
            "{en}"
        );
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_hint(&args(&["prakat", "--lang", "th", "post"])),
            Lang::Th
        );
        assert_eq!(lang_hint(&args(&["prakat", "post", "--lang=th"])), Lang::Th);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "[ui]\nlang = \"th\"\n[dispatch]\nbatch = 1\n").unwrap();
        let config = file.to_str().unwrap();
        assert_eq!(
            lang_hint(&args(&["prakat", "--config", config, "post"])),
            Lang::Th
        );
    }

    #[test]
    fn a_mistake_is_said_in_the_chosen_language() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let e = parse_from(Lang::Th, args(&["prakat", "queue", "cancel", "abc"])).unwrap_err();
        let th = complaint(&e).render(Lang::Th);
        assert!(th.contains("abc") && th.contains("ตัวเลข"), "{th}");
        let e = parse_from(Lang::Th, args(&["prakat", "queue", "lisst"])).unwrap_err();
        let th = complaint(&e).render(Lang::Th);
        assert!(th.contains("lisst") && th.contains("list"), "{th}");
    }
}
