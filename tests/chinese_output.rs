//! Chinese all the way: every refusal and error the command line can give, driven through the
//! real binary with `--lang zh`, reads as Chinese. What may stay in Latin letters: values
//! quoted from the input ('…'), commands and options (`zhitong init`, --trip), file names,
//! plates, units and encodings (KB, GBK), and the `code` of the JSON object.

#[path = "support/english.rs"]
mod english;
#[path = "fixtures/departure/mod.rs"]
mod fixture;

use english::english_word;
use fixture::{build, id, Fixture, BUS, OTHER_BUS};
use std::path::Path;
use std::process::{Command, Output};

struct Run {
    what: String,
    out: Output,
}

fn zt(db: &Path, args: &[&str]) -> Run {
    zt_env(db, args, &[])
}

fn zt_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .args(["--operator", "随车员小李", "--lang", "zh"])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        what: args.join(" "),
        out,
    }
}

/// Checks one failing run: it failed, said something, in Chinese; its JSON (if any) carries
/// the same Chinese in `error`.
fn check(r: &Run, problems: &mut Vec<String>) {
    let err = String::from_utf8_lossy(&r.out.stderr);
    if r.out.status.success() {
        problems.push(format!(
            "{}: succeeded, expected a refusal or an error",
            r.what
        ));
        return;
    }
    if err.trim().is_empty() {
        problems.push(format!("{}: said nothing", r.what));
    }
    for line in err.lines() {
        let line = line.trim_start_matches("zhitong: ");
        if let Some(w) = english_word(line) {
            problems.push(format!("{}: '{w}' in: {line}", r.what));
        }
    }
    let out = String::from_utf8_lossy(&r.out.stdout);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(out.trim()) {
        if let Some(e) = v["error"].as_str() {
            if let Some(w) = english_word(e) {
                problems.push(format!("{} --json: '{w}' in: {e}", r.what));
            }
        }
    }
}

#[test]
fn the_checker_finds_english_and_leaves_quoted_input_alone() {
    assert_eq!(
        english_word("体温 '36,5' is not a number：输入有误").as_deref(),
        Some("not")
    );
    assert_eq!(
        english_word("已被拒绝登车（fever）").as_deref(),
        Some("fever")
    );
    assert_eq!(english_word("体温 'abc' 不是数字"), None);
    assert_eq!(english_word("请先运行 `zhitong init`"), None);
    assert_eq!(english_word("请用 --trip 车次编号 指明"), None);
    assert_eq!(english_word("workers_gbk.csv:4: 身份证号: 校验位"), None);
    assert_eq!(english_word("陕GD12345 单元格超过 1024 KB"), None);
    assert_eq!(english_word("环境变量 ZHITONG_TODAY='x' 无法识别"), None);
    assert_eq!(english_word("车队中没有车辆 陕G21000"), None);
    assert_eq!(english_word("No such file"), Some("such".into()));
}

/// Commands that print their refusal as JSON too with `--json`.
const WITH_JSON: &[&str] = &[
    "board",
    "refuse",
    "undo",
    "round",
    "roster",
    "depart",
    "arrive",
    "other-means",
    "move",
    "swap",
    "cancel",
    "register",
    "notice-sent",
    "stats",
    "trace",
    "pack",
    "merge",
    "batch",
    "plan",
];

/// Codes the door day's runs must meet (refusals, usage errors, failures).
const EXPECTED_CODES: &[&str] = &[
    "usage",
    "error",
    "wrong-bus",
    "certificate",
    "fever_recheck",
    "recheck_wait",
    "not-on-roster",
    "already-refused",
    "undo_nothing",
    "undo_fever",
    "unaccounted",
    "not-departed",
    "empty",
    "same_bus",
    "not_placed",
    "bus_busy",
];

fn door_day() -> Fixture {
    build(6)
}

#[test]
fn every_refusal_and_error_at_the_door_and_on_the_road_is_chinese() {
    let f = door_day();
    let db = f.path();
    let mut problems = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut run = |args: &[&str]| {
        // With --json where the command has it: the same message, and the code it is refused with.
        let mut args = args.to_vec();
        if WITH_JSON.contains(&args[0]) && !args.contains(&"--json") {
            args.push("--json");
        }
        let r = zt(db, &args);
        let out = String::from_utf8_lossy(&r.out.stdout).to_string();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(out.trim()) {
            if let Some(c) = v["code"].as_str() {
                codes.push(c.to_string());
            }
        }
        check(&r, &mut problems)
    };
    // Readings that cannot be read.
    run(&["board", "--bus", BUS, "--id", &id(100), "--temp", "abc"]);
    run(&["board", "--bus", BUS, "--id", &id(100), "--temp", "365"]);
    run(&[
        "board",
        "--bus",
        BUS,
        "--id",
        &id(100),
        "--temp",
        "36,5,1",
        "--json",
    ]);
    // Who is not here: wrong bus, nobody on the roster, nobody in the ledger.
    run(&[
        "board",
        "--bus",
        BUS,
        "--id",
        &id(200),
        "--temp",
        "36.5",
        "--json",
    ]);
    run(&["board", "--bus", BUS, "--id", &id(300), "--temp", "36.5"]);
    run(&["board", "--bus", BUS, "--id", &id(400), "--temp", "36.5"]);
    run(&["board", "--bus", BUS, "--id", "12345", "--temp", "36.5"]);
    run(&["board", "--bus", BUS, "--seat", "99", "--temp", "36.5"]);
    // An expired certificate and a fever.
    run(&[
        "board",
        "--bus",
        BUS,
        "--id",
        &id(105),
        "--temp",
        "36.5",
        "--json",
    ]);
    run(&[
        "board",
        "--bus",
        BUS,
        "--id",
        &id(101),
        "--temp",
        "38.2",
        "--json",
    ]);
    run(&[
        "board",
        "--bus",
        BUS,
        "--id",
        &id(101),
        "--temp",
        "36.5",
        "--json",
    ]);
    // Refusing twice, boarding someone refused; undoing what cannot be undone.
    run(&[
        "refuse",
        "--bus",
        BUS,
        "--id",
        &id(102),
        "--reason",
        "identity",
    ]);
    run(&[
        "refuse",
        "--bus",
        BUS,
        "--id",
        &id(102),
        "--reason",
        "identity",
        "--json",
    ]);
    run(&["board", "--bus", BUS, "--id", &id(102), "--temp", "36.5"]);
    run(&["undo", "--bus", BUS, "--id", &id(103), "--reason", "点错了"]);
    run(&["undo", "--bus", BUS, "--id", &id(101), "--reason", "点错了"]);
    // The bus may not leave with passengers unaccounted; nothing to arrive yet.
    run(&["depart", "--bus", BUS, "--json"]);
    run(&["arrive", "--bus", BUS]);
    run(&["round", "--bus", BUS, "--id", &id(100), "--temp", "36.5"]);
    // Which bus, which trip.
    run(&["depart", "--bus", "99999"]);
    run(&["depart", "--bus", "陕A99999"]);
    run(&["depart", "--trip", "旬阳-20200230-09-9"]);
    run(&["roster", "--bus", "G2", "--json"]);
    run(&["export", "manifest", "--bus", "G2"]);
    // Moving and swapping against the rules.
    run(&["move", "--id", &id(100), "--to-bus", BUS]);
    run(&["move", "--id", &id(320), "--to-bus", OTHER_BUS]);
    run(&["swap", "--bus", BUS, "--to", OTHER_BUS]);
    run(&["swap", "--bus", BUS, "--to", "陕A00000"]);
    run(&["cancel", "--bus", BUS, "--reason", ""]);
    // Nobody boarded on the other bus: it cannot leave.
    run(&[
        "refuse",
        "--bus",
        OTHER_BUS,
        "--id",
        &id(200),
        "--reason",
        "no-show",
    ]);
    run(&[
        "refuse",
        "--bus",
        OTHER_BUS,
        "--id",
        &id(201),
        "--reason",
        "no-show",
    ]);
    run(&[
        "refuse",
        "--bus",
        OTHER_BUS,
        "--id",
        &id(202),
        "--reason",
        "no-show",
    ]);
    run(&["depart", "--bus", OTHER_BUS]);
    // Ledger questions.
    run(&["trace", "--id", &id(400)]);
    run(&["stats", "--date", "2020-02-30"]);
    run(&["plan", "--date", "昨天"]);
    // The rest of the day's commands, each given something it cannot take.
    run(&[
        "batch",
        "--code",
        "旬阳-20200221-09",
        "--departure",
        "07:30",
    ]);
    run(&[
        "batch",
        "--code",
        "旬阳-20200221-01",
        "--departure",
        "25:99",
    ]);
    run(&["other-means", "--id", &id(400), "--means", "火车"]);
    run(&[
        "other-means",
        "--id",
        &id(300),
        "--means",
        "火车",
        "--date",
        "2020-02-30",
    ]);
    run(&[
        "notice-sent",
        "--date",
        "2020-02-21",
        "--province",
        "火星",
        "--to",
        "办公室",
    ]);
    run(&["export", "notice", "--date", "2020-02-30"]);
    run(&[
        "register",
        "--name",
        "张3",
        "--id",
        "123",
        "--phone",
        "1",
        "--county",
        "旬阳县",
        "--township",
        "城关镇",
        "--village",
        "东门村",
        "--employer",
        "不存在的厂",
        "--cert-issued",
        "昨天",
        "--cert-valid-until",
        "明天",
    ]);
    run(&["pack", "--bus", BUS, "--out", "/nonexistent/dir/p.zip"]);
    run(&["merge", "/nonexistent/p.zip"]);
    run(&["backup", "/nonexistent/dir/b.db"]);
    run(&["--policy", "/nonexistent/policy.toml", "stats"]);
    run(&[
        "export",
        "manifest",
        "--bus",
        BUS,
        "--out",
        db.to_str().unwrap(),
    ]);
    // The refusals above that are correct acts (refusing no-shows) are not problems.
    problems.retain(|p| !p.contains("succeeded") || !p.starts_with("refuse"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The runs went down the paths they name: each of these codes was given, in Chinese.
    for code in EXPECTED_CODES {
        assert!(
            codes.iter().any(|c| c == code),
            "no run was refused with {code}: {codes:?}"
        );
    }
}

#[test]
fn opening_and_importing_speak_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let mut problems = Vec::new();
    check(&zt(&missing, &["stats"]), &mut problems);
    check(
        &zt_env(&missing, &["stats"], &[("ZHITONG_TODAY", "2020-13-45")]),
        &mut problems,
    );
    let db = dir.path().join("z.db");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let file = |name: &str| fixtures.join(name).to_string_lossy().into_owned();
    assert!(zt(&db, &["import", "employers", &file("employers.csv")])
        .out
        .status
        .success());
    // A ledger with bad rows: every reason Chinese, every field the file's own header.
    let r = zt(&db, &["import", "workers", &file("workers_gbk.csv")]);
    let err = String::from_utf8_lossy(&r.out.stderr).to_string();
    assert!(
        err.contains("workers_gbk.csv:4: 身份证号: '110105********0021': 校验位应为 X，实为 1"),
        "{err}"
    );
    check(&r, &mut problems);
    // A file without the required column, a file that does not exist.
    check(
        &zt(&db, &["import", "workers", &file("workers_no_id.csv")]),
        &mut problems,
    );
    check(
        &zt(&db, &["import", "workers", &file("nothing_here.csv")]),
        &mut problems,
    );
    // A read-only session refuses to write.
    check(
        &zt(
            &db,
            &["--readonly", "import", "employers", &file("employers.csv")],
        ),
        &mut problems,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What a successful act prints (no `--json`), each line checked like an error.
fn check_output(r: &Run, problems: &mut Vec<String>) {
    if !r.out.status.success() {
        let err = String::from_utf8_lossy(&r.out.stderr);
        problems.push(format!("{}: failed: {err}", r.what));
        return;
    }
    for line in String::from_utf8_lossy(&r.out.stdout).lines() {
        if let Some(w) = english_word(line) {
            problems.push(format!("{}: '{w}' in: {line}", r.what));
        }
    }
}

#[test]
fn what_the_door_prints_is_chinese() {
    let f = door_day();
    let db = f.path();
    let mut problems = Vec::new();
    let mut run = |args: &[&str]| check_output(&zt(db, args), &mut problems);
    run(&["board", "--bus", BUS, "--id", &id(100), "--temp", "36.5"]);
    run(&[
        "refuse",
        "--bus",
        BUS,
        "--id",
        &id(101),
        "--reason",
        "identity",
    ]);
    run(&[
        "refuse",
        "--bus",
        BUS,
        "--id",
        &id(102),
        "--reason",
        "no-show",
    ]);
    run(&["undo", "--bus", BUS, "--id", &id(102), "--reason", "人到了"]);
    run(&["trace", "--id", &id(100)]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
