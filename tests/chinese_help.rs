//! `--help` in Chinese for every command when the language is Chinese (`--lang zh` or a
//! Chinese locale), and clap's own errors too; English stays as it was.

use clap::CommandFactory;
use std::process::{Command, Output};
use zhitong::cli::Cli;

/// Format and program names that stand in Chinese text as they are.
const ALLOWED: &[&str] = &[
    "JSON", "CSV", "TOML", "SQLite", "Excel", "GBK", "UTF", "zhitong", "help",
];

/// The words of the commands themselves (`board`, `other-means`): typed, like options.
fn command_words() -> Vec<String> {
    commands()
        .into_iter()
        .flatten()
        .flat_map(|c| c.split('-').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// The first English word outside `values`, options, commands, file names and variables.
fn english_word(text: &str) -> Option<String> {
    let commands = command_words();
    let mut rest = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '`' | '\'' => quoted = !quoted,
            c if !quoted => rest.push(c),
            _ => {}
        }
    }
    rest.split(|c: char| c.is_whitespace() || "，。：；、（）()[]<>|,:;".contains(c))
        .filter(|t| !t.starts_with('-') && !t.contains('/') && !t.contains('.'))
        .filter(|t| !(t.contains('_') && t.chars().all(|c| c.is_ascii_uppercase() || c == '_')))
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .find(|w| w.len() >= 3 && !ALLOWED.contains(w) && !commands.iter().any(|c| c == w))
        .map(str::to_string)
}

fn zt(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Every command's path (`export manifest`), the root first.
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for s in cmd.get_subcommands() {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn every_command_explains_itself_in_chinese() {
    let mut problems = Vec::new();
    for path in commands() {
        let mut args: Vec<&str> = vec!["--lang", "zh"];
        args.extend(path.iter().map(String::as_str));
        args.push("--help");
        let o = zt(&args, &[]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(text.contains("用法："), "{args:?}: {text}");
        for line in text.lines() {
            if let Some(w) = english_word(line) {
                problems.push(format!("{}: '{w}' in: {line}", path.join(" ")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_chinese_locale_chooses_chinese_help_and_english_stays_english() {
    let zh = zt(&["board", "--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(String::from_utf8_lossy(&zh.stdout).contains("在车门口为乘客登车核验"));
    let en = zt(
        &["--lang", "en", "board", "--help"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    let en = String::from_utf8_lossy(&en.stdout);
    assert!(en.contains("Check a passenger in at the bus door"), "{en}");
    assert!(en.contains("Usage: zhitong board"), "{en}");
    // clap's env feature shows where the defaults come from.
    let root = zt(&["--help"], &[]);
    assert!(String::from_utf8_lossy(&root.stdout).contains("[env: ZHITONG_DB="));
}

#[test]
fn wrong_arguments_are_said_in_chinese_with_the_usage() {
    for (args, expected) in [
        (vec!["board", "--bus", "陕G21000"], "缺少必需的参数：--temp"),
        (vec!["bord"], "不认识的命令 'bord'；是否想用 board？"),
        (
            vec!["import", "people", "x.csv"],
            "的值 'people' 无效；可选：`employers`、`workers`、`fleet`",
        ),
        (
            vec!["depart", "--bus", "陕G21000", "--colour"],
            "不认识的参数 '--colour'",
        ),
        (
            vec![
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                "1",
                "--reason",
                "sick",
            ],
            "'sick' 无效",
        ),
    ] {
        let mut all = vec!["--lang", "zh"];
        all.extend(args.iter().copied());
        let o = zt(&all, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {err}");
        assert!(err.contains(expected), "{all:?}: {err}");
        assert!(err.contains("用法：zhitong"), "{all:?}: {err}");
        for line in err.lines() {
            assert_eq!(english_word(line), None, "{all:?}: {line}");
        }
    }
}
