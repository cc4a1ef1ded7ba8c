//! `zhitong register`: a walk-in entered on the real binary against a ledger built with
//! `zhitong import` — checked like an imported row, refused by field, and then seated by the
//! plan or a stand-by like any registered worker.

#[path = "fixtures/plan/support.rs"]
mod support;

use std::path::Path;
use support::{ledger_db, zhitong, Run};

/// A valid ID number of 旬阳县 (610928) born on `birth` with sequence `seq` (GB 11643).
fn id_number(birth: &str, seq: u32) -> String {
    let birth = chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").expect("YYYYMMDD");
    let seq = u16::try_from(seq).expect("a sequence under 1000");
    zhitong::model::IdNumber::compose("610928", birth, seq)
        .expect("a valid ID number")
        .as_str()
        .to_string()
}

fn masked(id: &str) -> String {
    format!("{}********{}", &id[..6], &id[14..])
}

fn workers(db: &Path) -> i64 {
    let s = zhitong::store::Store::open(db).unwrap();
    rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row("SELECT count(*) FROM workers", [], |r| r.get(0))
        .unwrap()
}

/// `register` with every option; `change` replaces (option, value) pairs.
fn register(db: &Path, id: &str, change: &[(&str, &str)], extra: &[&str]) -> Run {
    let mut opts = vec![
        ("--name", "杨柳"),
        ("--id", id),
        ("--phone", "13712345678"),
        ("--county", "旬阳"),
        ("--township", "蜀河镇"),
        ("--village", "杨家庄村"),
        ("--employer", "宁波海天电子厂"),
        ("--cert-issued", "2020-02-19"),
        ("--cert-valid-until", "2020-02-25"),
    ];
    for (k, v) in change {
        match opts.iter_mut().find(|(o, _)| o == k) {
            Some(o) => o.1 = v,
            None => opts.push((k, v)),
        }
    }
    let mut args = vec!["register"];
    for (k, v) in &opts {
        args.push(k);
        args.push(v);
    }
    args.extend_from_slice(extra);
    zhitong(db, &args)
}

#[test]
fn a_walk_in_is_registered_masked_and_seated_by_the_next_plan() {
    let (_d, db) = ledger_db();
    let id = id_number("19900304", 11);
    let before = workers(&db);
    let r = register(&db, &id, &[("--issuer", "蜀河镇卫生院")], &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["name"], "杨柳");
    assert_eq!(v["id_number"], masked(&id));
    assert_eq!(v["phone"], "137****5678");
    // The county typed short is stored as the ledger spells it.
    assert_eq!(v["county"], "旬阳县");
    assert_eq!(v["employer"], "宁波海天电子厂");
    assert_eq!(v["cert_issuer"], "蜀河镇卫生院");
    assert_eq!(v["status"], "registered");
    assert_eq!(v["cert_valid_today"], true);
    assert!(!r.stdout.contains(&id) && !r.stderr.contains(&id));
    assert_eq!(workers(&db), before + 1);

    let plan = zhitong(&db, &["plan", "--date", "2020-02-21", "--apply", "--json"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let seated = plan.json()["buses"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["passengers"].as_array().unwrap().clone())
        .any(|p| p["id_number"] == masked(&id));
    assert!(seated, "the walk-in is not on any bus: {}", plan.stdout);
}

#[test]
fn a_walk_in_after_planning_is_a_stand_by_candidate() {
    let (_d, db) = ledger_db();
    let plan = zhitong(&db, &["plan", "--date", "2020-02-21", "--apply", "--json"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let bus = plan.json()["buses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            b["employers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "宁波海天电子厂")
        })
        .expect("a bus to 宁波海天电子厂")["plate"]
        .as_str()
        .unwrap()
        .to_string();
    let id = id_number("19881212", 23);
    let r = register(&db, &id, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("杨柳") && r.stdout.contains(&masked(&id)));
    let store = zhitong::store::Store::open(&db).unwrap();
    let ctx = zhitong::ops::Ctx::new(
        store,
        "王科长".into(),
        zhitong::model::Policy::default(),
        zhitong::i18n::Lang::En,
    );
    let candidates =
        zhitong::ops::departure::standby_candidates(&ctx, zhitong::ops::TripRef::bus(bus.as_str()))
            .unwrap();
    assert!(
        candidates.iter().any(|c| c.name == "杨柳"),
        "{candidates:?}"
    );
}

#[test]
fn a_bad_field_is_exit_1_naming_it_and_nothing_is_written() {
    let (_d, db) = ledger_db();
    let before = workers(&db);
    let good = id_number("19900304", 11);
    let cases: &[(&str, &str, &str)] = &[
        ("--id", "110105194912310021", "id_number"),
        ("--phone", "12345", "phone"),
        ("--employer", "不存在的厂", "employer"),
        ("--cert-issued", "昨天", "cert_issued"),
        ("--cert-valid-until", "2020-02-10", "cert_valid_until"),
        ("--name", "杨3", "name"),
        (
            "--village",
            "村村村村村村村村村村村村村村村村村村村村村村村村村村村村村村村",
            "village",
        ),
    ];
    for (opt, value, field) in cases {
        let r = register(&db, &good, &[(opt, value)], &[]);
        assert_eq!(r.code, 1, "{opt} {value}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{field}:")),
            "{opt} {value}: {}",
            r.stderr
        );
        let j = register(&db, &good, &[(opt, value)], &["--json"]).json();
        assert_eq!(j["code"], "error");
    }
    assert_eq!(workers(&db), before);
}

#[test]
fn chinese_messages_name_the_field_and_give_the_reason_in_chinese() {
    let (_d, db) = ledger_db();
    let good = id_number("19900304", 11);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&db)
        .args([
            "--operator",
            "王科长",
            "--lang",
            "zh",
            "register",
            "--name",
            "杨柳",
            "--id",
        ])
        .arg(&good)
        .args([
            "--phone",
            "12345",
            "--county",
            "旬阳县",
            "--township",
            "蜀河镇",
        ])
        .args(["--village", "杨家庄村", "--employer", "宁波海天电子厂"])
        .args([
            "--cert-issued",
            "2020-02-19",
            "--cert-valid-until",
            "2020-02-25",
        ])
        .env("ZHITONG_TODAY", "2020-02-21")
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("手机号：'12345'：不是手机号"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_id_number_already_in_the_ledger_names_that_worker_masked() {
    let (_d, db) = ledger_db();
    let before = workers(&db);
    // 王芳 of the fixture ledger.
    let known = "610928197102110018";
    let r = register(&db, known, &[], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("王芳"), "{}", r.stderr);
    assert!(r.stderr.contains(&masked(known)), "{}", r.stderr);
    assert!(!r.stderr.contains(known), "{}", r.stderr);
    assert!(r.stderr.contains("id_number"), "{}", r.stderr);
    assert_eq!(workers(&db), before);
}

#[test]
fn unsafe_text_is_a_usage_error_that_does_not_echo_it() {
    let (_d, db) = ledger_db();
    let good = id_number("19900304", 11);
    let r = register(&db, &good, &[("--township", "蜀河\u{202e}镇")], &["--json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("township"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{202e}') && !r.stdout.contains('\u{202e}'));
    assert_eq!(r.json()["code"], "usage");
}

#[test]
fn readonly_and_missing_database_write_nothing() {
    let (_d, db) = ledger_db();
    let good = id_number("19900304", 11);
    let r = register(&db, &good, &[], &["--readonly"]);
    assert_ne!(r.code, 0);
    let missing = db.with_file_name("none.db");
    let r = register(&missing, &good, &[], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!missing.exists());
}
