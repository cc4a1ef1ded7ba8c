//! The command line in Chinese: `--help` of every command and clap's own errors, when the
//! language is Chinese (`--lang zh`, else a `zh_*` locale). clap has no catalogue of its own,
//! so the derived command is rewritten at start-up from the tables below, before the rest of
//! the arguments are parsed.

use super::Cli;
use crate::i18n::Lang;
use clap::builder::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;

mod texts;

use texts::{ABOUT, HELP, VALUE_NAMES};

fn lookup(table: &'static [(&str, &str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The help of argument `id` of the command at `path` (`.bus` for the root's own), else the
/// one shared by every command that has it.
fn arg_help(path: &str, id: &str) -> Option<&'static str> {
    lookup(HELP, &format!("{path}.{id}")).or_else(|| lookup(HELP, id))
}

/// The language chosen on the command line (`--lang zh`, `--lang=zh`), else the locale's.
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        match value {
            Some("zh") => return Lang::Zh,
            Some("en") => return Lang::En,
            _ => {}
        }
    }
    Lang::from_env()
}

/// The command with every text a user reads in Chinese.
pub fn chinese(cmd: Command) -> Command {
    let mut cmd = localize(cmd, "");
    cmd.build();
    finish(&mut cmd);
    cmd
}

fn localize(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = lookup(ABOUT, path) {
        cmd = cmd.about(about).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = arg_help(path, &id);
        cmd = cmd.mut_arg(&id, |mut a| {
            if let Some(h) = help {
                a = a.help(h).long_help(None);
            }
            let names: Vec<String> = a
                .get_value_names()
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            if let Some(zh) = names.first().and_then(|n| lookup(VALUE_NAMES, n)) {
                a = a.value_name(zh);
            } else if a.get_action().takes_values() && names.is_empty() {
                let upper = id.to_ascii_uppercase();
                if let Some(zh) = lookup(VALUE_NAMES, &upper) {
                    a = a.value_name(zh);
                }
            }
            // The defaults, choices and variables are said in the Chinese help itself.
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            if a.get_action().takes_values() {
                a = a
                    .hide_default_value(true)
                    .hide_possible_values(true)
                    .hide_env(true);
            }
            a.help_heading(heading)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path));
    }
    cmd.subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
}

/// After clap has added its own `--help`, `--version` and `help`: their texts, and usage
/// lines with Chinese placeholders.
fn finish(cmd: &mut Command) {
    let usage = cmd
        .render_usage()
        .to_string()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]")
        .replace("[COMMAND]", "[命令]")
        .replace("<COMMAND>", "<命令>");
    let mut owned = std::mem::take(cmd)
        .override_usage(usage)
        .mut_arg("help", |a| {
            a.help(lookup(HELP, "help").unwrap_or_default())
                .help_heading("选项")
        });
    if owned.get_arguments().any(|a| a.get_id() == "version") {
        owned = owned.mut_arg("version", |a| {
            a.help(lookup(HELP, "version").unwrap_or_default())
                .help_heading("选项")
        });
    }
    if owned.find_subcommand("help").is_some() {
        owned = owned.mut_subcommand("help", |s| {
            s.about(lookup(ABOUT, "help").unwrap_or_default())
                .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}")
        });
    }
    *cmd = owned;
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() != "help" {
            finish(sub);
        }
    }
}

/// Parses the process's arguments in the language they choose; a wrong argument is exit 2
/// with clap's message, in Chinese when the language is.
pub fn parse() -> Cli {
    // An empty variable means "not set", as a shell script's `ZHITONG_DB=` intends (clap would
    // take it as an empty value). Start-up is single-threaded: nothing reads the environment yet.
    for var in ["ZHITONG_DB", "ZHITONG_OPERATOR"] {
        if std::env::var_os(var).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(var);
        }
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = lang_of(&args);
    let cmd = match lang {
        Lang::Zh => chinese(Cli::command()),
        Lang::En => Cli::command(),
    };
    let parsed = cmd.clone().try_get_matches_from(args).and_then(|m| {
        let mut cli = Cli::from_arg_matches(&m)?;
        cli.db_from_env = m.value_source("db") == Some(ValueSource::EnvVariable);
        Ok(cli)
    });
    parsed.unwrap_or_else(|e| match lang {
        Lang::Zh => fail(e, &cmd),
        Lang::En => e.exit(),
    })
}

/// clap's error in Chinese, then the usage and where to read more; help and version as they
/// are (already in Chinese).
fn fail(e: clap::Error, cmd: &Command) -> ! {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit()
    }
    eprintln!("zhitong: {}", error_text(&e));
    // The usage of the command the error is in (clap keeps it with the error).
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.to_string(),
        _ => cmd.clone().render_usage().to_string(),
    };
    let usage = usage.trim_start_matches("Usage:").trim();
    eprintln!("\n用法：{usage}\n\n更多信息请用 --help");
    std::process::exit(2)
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// One sentence for clap's error: what was wrong, with the argument and value it names.
pub fn error_text(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    // The choices are words to type: quoted as such.
    let choices = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) if !v.is_empty() => {
            let quoted: Vec<String> = v.iter().map(|c| format!("`{c}`")).collect();
            format!("；可选：{}", quoted.join("、"))
        }
        _ => String::new(),
    };
    match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值{choices}"),
        ErrorKind::InvalidValue => format!("{arg} 的值 '{value}' 无效{choices}"),
        ErrorKind::ValueValidation => format!("{arg} 的值 '{value}' 无效"),
        ErrorKind::UnknownArgument => {
            let like = context(e, ContextKind::SuggestedArg);
            if like.is_empty() {
                format!("不认识的参数 '{arg}'")
            } else {
                format!("不认识的参数 '{arg}'；是否想用 {like}？")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let like = context(e, ContextKind::SuggestedSubcommand);
            let hint = if like.is_empty() {
                String::new()
            } else {
                format!("；是否想用 {like}？")
            };
            format!(
                "不认识的命令 '{}'{hint}",
                context(e, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".into(),
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg);
            if other.is_empty() || other == arg {
                format!("参数 {arg} 只能给一次")
            } else {
                format!("参数 {arg} 不能与 {other} 同时使用")
            }
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用 = 连写"),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".into(),
        _ => "命令行参数有误".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and every option a user can see has its Chinese text.
    #[test]
    fn every_command_and_option_has_chinese() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if lookup(ABOUT, path).is_none() {
                missing.push(format!("command '{path}'"));
            }
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = a.get_id().as_str();
                if !matches!(id, "help" | "version") && arg_help(path, id).is_none() {
                    missing.push(format!("'{path}.{id}'"));
                }
            }
            for s in cmd.get_subcommands() {
                let p = if path.is_empty() {
                    s.get_name().to_string()
                } else {
                    format!("{path} {}", s.get_name())
                };
                walk(s, &p, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Chinese for {missing:?}");
    }

    #[test]
    fn the_chinese_command_is_a_valid_command() {
        chinese(Cli::command()).debug_assert();
    }

    #[test]
    fn the_language_is_read_before_the_rest() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_of(&args(&["zhitong", "--lang", "zh", "board"])),
            Lang::Zh
        );
        assert_eq!(lang_of(&args(&["zhitong", "board", "--lang=en"])), Lang::En);
    }
}
