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

/// What each command does, by its path (`export manifest`).
const ABOUT: &[(&str, &str)] = &[
    ("", "直通车：点对点返岗包车调度台"),
    ("demo", "用 assets/ 中的样例建一个演示数据库，然后打开它"),
    ("init", "新建一个空数据库"),
    ("import", "导入台账、企业或车队表格（CSV）"),
    ("plan", "编排某天的发车：批次、车辆、座位"),
    ("batch", "修改已编排批次的发车时间或集合地点"),
    ("board", "在车门口为乘客登车核验"),
    ("refuse", "拒绝乘客登车"),
    ("undo", "发车前撤销乘客最近一次车门口的决定（发热拒载除外）"),
    ("round", "途中测温：记录一次体温"),
    ("roster", "一个车次的乘客名单，含状态和最近一次体温"),
    ("depart", "记录车辆发车"),
    ("arrive", "记录车辆到达和交接"),
    (
        "other-means",
        "记录工人已用其他方式返岗（火车、自驾……），单独统计",
    ),
    ("move", "发车前把乘客调到另一辆车或另一个座位"),
    ("swap", "换车：车次改由替换车辆执行（如抛锚），车次编号不变"),
    ("cancel", "发车前取消车次：乘客回到待编排名单"),
    (
        "register",
        "登记临时来报名的工人：不在台账中，按导入的规则核对",
    ),
    ("export", "导出文书"),
    ("export manifest", "每辆车的乘客名单（CSV 或可打印的网页）"),
    (
        "export notice",
        "发给目的地省份的预先通知：车辆、司乘、预计到达、企业",
    ),
    ("notice-sent", "记录已向目的地省份发出预先通知"),
    ("stats", "统计：人数、符合条件人数、车次、每日简报"),
    ("trace", "一名乘客的密切接触者"),
    ("backup", "用 SQLite 在线备份复制一份一致的数据库"),
    ("purge", "删除早已到达车次的个人信息"),
    (
        "pack",
        "为路上写出一个车次的离线包（不含完整身份证号），或刷新离线包",
    ),
    (
        "merge",
        "把离线包中的记录合并回台账，只合并一次；有未能合并的记录时退出码为 3",
    ),
    ("help", "显示本帮助或某个命令的帮助"),
];

/// Each option's help, by `command path.argument id`, else by argument id alone.
const HELP: &[(&str, &str)] = &[
    (
        "db",
        "数据库文件（默认：环境变量 ZHITONG_DB，否则数据目录中的 zhitong.db）",
    ),
    (
        "operator",
        "谁在操作，记入审计日志（默认：环境变量 ZHITONG_OPERATOR，否则登录名）",
    ),
    ("lang", "界面语言 `zh` 或 `en`（默认：按系统语言环境）"),
    (
        "policy",
        "规则文件（TOML）（默认：数据目录中的 policy.toml，否则内置规则）",
    ),
    ("readonly", "只读：拒绝一切写入"),
    (
        "plate",
        "该车未结束的车次（不论日期）；可只写车牌尾号，如 21003",
    ),
    ("trip", "按编号指定一个车次，如 旬阳-20200221-01-1"),
    (".bus", "打开该车未结束车次的随车名单（随车人员模式）"),
    (".trip", "打开这个车次的随车名单（随车人员模式）"),
    ("json", "输出一个 JSON 对象"),
    ("reveal", "显示完整身份证号（记入审计）"),
    ("id", "身份证号"),
    ("seat", "座位号"),
    ("date", "日期，如 2020-02-21"),
    ("demo.workers", "台账中的人数（默认 2000）"),
    (
        "demo.seed",
        "随机种子：同一种子建出同样的数据库（默认 2020）",
    ),
    ("demo.no_tui", "只建数据库，不打开控制台"),
    (
        "import.kind",
        "表格种类：`employers`（企业）、`workers`（台账）或 `fleet`（车队）",
    ),
    ("import.file", "CSV 文件"),
    ("encoding", "文字编码：`auto`（自动）、`utf-8` 或 `gbk`"),
    (
        "import.encoding",
        "文字编码：`auto`（自动，默认）、`utf-8` 或 `gbk`",
    ),
    ("import.strict", "有一行出错就放弃整个导入，不写入任何内容"),
    (
        "import.allow_rename",
        "允许表格为已编排或已出行的人员改名（旧名保留）",
    ),
    ("plan.date", "发车日期，如 2020-02-21"),
    ("plan.county", "只编排这个区县的人员和车辆"),
    ("plan.apply", "写入编排（否则只显示）"),
    (
        "plan.expect",
        "与 --apply 同用：只有方案仍是这个指纹时才写入（指纹见 `plan --json`）",
    ),
    ("batch.code", "批次编号，如 旬阳-20200221-01"),
    ("batch.departure", "批次当天新的发车时间，时:分"),
    ("batch.gathering", "新的集合地点"),
    (
        "board.temp",
        "车门口测得的体温，°C（可用全角数字或小数逗号）",
    ),
    (
        "refuse.reason",
        "原因：`fever`（发热）、`certificate`（健康证明）、`identity`（身份）或 `no-show`（未到）",
    ),
    ("undo.reason", "撤销的原因（记入审计日志）"),
    ("round.temp", "途中测得的体温，°C"),
    (
        "arrive.receiver",
        "在厂门口接收乘客的人：写姓名表示全部，或 企业=姓名 表示该企业的乘客（每个企业各写一次）",
    ),
    ("other-means.means", "怎样返岗的：火车、自驾……"),
    ("other-means.date", "出行日期（默认：当前工作日）"),
    (
        "move.to_bus",
        "调往的车辆（其未结束的车次；换座位时写本车）",
    ),
    ("move.to_trip", "调往的车次，按编号"),
    ("move.seat", "那辆车上的座位（默认：靠近同村乘客的座位）"),
    ("reason", "原因（记在审计日志旁）"),
    ("swap.to", "替换车辆的车牌"),
    (
        "swap.keep_crew",
        "由被替换车辆的司乘人员驾驶替换车辆（默认：替换车辆自己的司乘）",
    ),
    ("cancel.reason", "取消车次的原因（记在审计日志旁）"),
    ("register.name", "姓名，与身份证一致"),
    ("register.id_number", "身份证号（18 位）"),
    ("register.phone", "手机号"),
    ("register.county", "户籍区县，如 旬阳县"),
    ("register.township", "乡镇"),
    ("register.village", "村"),
    ("register.employer", "要去的企业，与企业名单中的名称一致"),
    ("register.cert_issued", "健康证明签发日期，如 2020-02-18"),
    (
        "register.cert_valid_until",
        "健康证明有效期至，如 2020-02-24",
    ),
    ("register.issuer", "签发健康证明的卫生院"),
    ("notice-sent.date", "通知所涉的发车日期，如 2020-02-21"),
    ("notice-sent.province", "目的地省份（浙江省 或 浙江）"),
    ("notice-sent.to", "发给了谁：某个办公室、联络人或工作群"),
    ("stats.date", "哪一天（默认：当前工作日）"),
    ("stats.bulletin", "每日简报的文字"),
    ("backup.file", "备份写到的文件"),
    (
        "purge.older_than",
        "到达多少天以后（默认：规则中的 `retention_days`）",
    ),
    ("purge.yes", "不再询问确认"),
    (
        "pack.out",
        "要写的离线包文件（除非加 --refresh，否则不覆盖已有文件）",
    ),
    (
        "pack.refresh",
        "先把 --out 处该车次的离线包合并回来，再按台账重新写出",
    ),
    ("merge.file", "离线包文件"),
    ("export manifest.plate", "该车未结束的车次"),
    ("export manifest.trip", "按编号指定一个车次"),
    ("export manifest.date", "这一天的所有车次"),
    ("format", "格式"),
    (
        "export manifest.format",
        "格式：`csv` 或 `html`（默认 `csv`）",
    ),
    (
        "export manifest.encoding",
        "CSV 的文字编码（中文版 Excel 读 GBK）：`utf-8`（默认）或 `gbk`",
    ),
    ("out", "输出文件（`-` 表示标准输出）（默认：标准输出）"),
    ("force", "替换已有的 --out 文件（绝不替换数据库或符号链接）"),
    ("export manifest.reveal", "完整身份证号（记入审计）"),
    ("export notice.date", "发车日期，如 2020-02-21"),
    (
        "export notice.province",
        "只要这个目的地省份（浙江省 或 浙江）",
    ),
    (
        "export notice.format",
        "格式：`csv`、`html` 或 `json`（默认 `csv`）",
    ),
    (
        "export notice.reveal",
        "乘客名单含姓名、完整身份证号和电话（记入审计）",
    ),
    ("help", "显示帮助"),
    ("version", "显示版本"),
];

/// Placeholders in the usage lines, by the English name clap shows.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("PATH", "路径"),
    ("NAME", "姓名"),
    ("LANG", "语言"),
    ("FILE", "文件"),
    ("PLATE", "车牌"),
    ("PLATE2", "车牌"),
    ("CODE", "编号"),
    ("IDNUM", "身份证号"),
    ("TEXT", "文字"),
    ("DATE", "日期"),
    ("YYYY-MM-DD", "日期"),
    ("HH:MM", "时:分"),
    ("PLACE", "地点"),
    ("FP", "指纹"),
    ("DAYS", "天数"),
    ("WORKERS", "人数"),
    ("SEED", "种子"),
    ("KIND", "种类"),
    ("ENCODING", "编码"),
    ("FORMAT", "格式"),
    ("REASON", "原因"),
    ("COUNTY", "区县"),
    ("TOWNSHIP", "乡镇"),
    ("VILLAGE", "村"),
    ("EMPLOYER", "企业"),
    ("PHONE", "手机号"),
    ("ISSUER", "签发单位"),
    ("PROVINCE", "省份"),
    ("[EMPLOYER=]NAME", "[企业=]姓名"),
];

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
