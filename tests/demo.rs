//! `zhitong demo --no-tui`: a deterministic, valid ledger; it replaces only a demo database.

use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Output};

fn demo(db: Option<&Path>, home: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    if let Some(db) = db {
        c.arg("--db").arg(db);
    }
    c.args(["--lang", "en", "demo", "--no-tui"])
        .args(args)
        .env("ZHITONG_TODAY", "2020-02-21")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("ZHITONG_DB")
        .output()
        .expect("run zhitong")
}

fn dump(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT id_number || name || phone || county || township || village || employer_id
                || ifnull(cert_issued, '-') || ifnull(cert_valid_until, '-') FROM workers ORDER BY id",
        "SELECT name || province || city || expected || distance_km FROM employers ORDER BY id",
        "SELECT plate || seats || operator || county || ifnull(available_date, 'any') FROM buses ORDER BY id",
    ] {
        let mut s = c.prepare(sql).unwrap();
        out.extend(s.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
    }
    out
}

#[test]
fn demo_is_deterministic_valid_and_realistic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let out = demo(Some(&a), dir.path(), &["--workers", "400", "--seed", "7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with(&a.display().to_string()), "{stdout}");
    assert!(stdout.contains("400 workers, 40 employers"), "{stdout}");
    assert!(
        demo(Some(&b), dir.path(), &["--workers", "400", "--seed", "7"])
            .status
            .success()
    );
    let first = dump(&a);
    assert_eq!(first, dump(&b), "same seed and day, same database");
    let c = dir.path().join("c.db");
    assert!(
        demo(Some(&c), dir.path(), &["--workers", "400", "--seed", "8"])
            .status
            .success()
    );
    assert_ne!(first, dump(&c));

    let conn = Connection::open(&a).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT count(*) FROM workers"), 400);
    assert_eq!(
        q("SELECT count(*) FROM workers WHERE substr(id_number, 1, 4) <> '6109'"),
        0
    );
    // Certificates vary around the working day: most valid, some expired, some missing.
    assert!(q("SELECT count(*) FROM workers WHERE cert_issued IS NULL") > 0);
    assert!(q("SELECT count(*) FROM workers WHERE cert_issued < '2020-02-14'") > 0);
    assert!(q("SELECT count(*) FROM workers WHERE cert_issued >= '2020-02-16'") > 250);
    // Buses for today, tomorrow and any day; some sent by employers themselves.
    assert!(q("SELECT count(*) FROM buses WHERE available_date = '2020-02-21'") > 0);
    assert!(q("SELECT count(*) FROM buses WHERE available_date = '2020-02-22'") > 0);
    assert!(q("SELECT count(*) FROM buses WHERE available_date IS NULL") > 0);
    assert!(q("SELECT count(*) FROM buses WHERE operator IN (SELECT name FROM employers)") >= 3);
    let marker: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'demo'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(marker, "2020-02-21");
}

#[test]
fn demo_replaces_only_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert!(demo(Some(&db), dir.path(), &["--workers", "50"])
        .status
        .success());
    let again = demo(Some(&db), dir.path(), &["--workers", "60"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let n: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM workers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 60);

    let real = dir.path().join("real.db");
    let init = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&real)
        .arg("init")
        .output()
        .unwrap();
    assert!(init.status.success());
    let before = std::fs::read(&real).unwrap();
    let refused = demo(Some(&real), dir.path(), &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a demo database"));
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn demo_defaults_to_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo(None, dir.path(), &["--workers", "20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.path().join("data/zhitong/demo.db");
    assert!(path.exists());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&path.display().to_string()));
}

#[test]
fn large_demo_goes_through_the_bulk_load_and_keeps_its_indexes() {
    // Past the row count at which the import writes in ID-number blocks instead of file order.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    let out = demo(Some(&db), dir.path(), &["--workers", "25000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = Connection::open(&db).unwrap();
    let indexes: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'workers' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        [
            "workers_county",
            "workers_employer",
            "workers_id_number",
            "workers_other_means"
        ]
    );
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let n: i64 = c
        .query_row("SELECT count(DISTINCT id_number) FROM workers", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, 25000);
    let fk: i64 = c
        .query_row(
            "SELECT count(*) FROM pragma_foreign_key_check('workers')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fk, 0);
}

/// The default demo is a normal day: the fleet fits the ledger, so the day's plan seats at
/// least 95 % of the workers eligible that day, no big coach goes nearly empty, and nothing
/// about the employers needs a warning.
#[test]
fn the_demo_day_seats_nearly_everyone_eligible() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = demo(Some(&db), dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "plan", "--date", "2020-02-21", "--json"])
        .env("ZHITONG_TODAY", "2020-02-21")
        .output()
        .unwrap();
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let buses = v["buses"].as_array().unwrap();
    let seated: usize = buses
        .iter()
        .map(|b| b["passengers"].as_array().unwrap().len())
        .sum();
    let no_bus = v["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["reason"] == "no-bus")
        .count();
    let eligible = seated + no_bus;
    assert!(eligible > 1500, "{eligible}");
    assert!(
        seated * 100 >= eligible * 95,
        "{seated} of {eligible} eligible seated"
    );
    // A bus under the policy's minimum is warned; none of them is a big coach.
    for b in buses {
        let n = b["passengers"].as_array().unwrap().len();
        if n < 5 {
            assert!(b["rated_seats"].as_u64().unwrap() < 35, "{b}");
            assert!(
                b["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|w| w.as_str().unwrap().contains("fewer than 5")),
                "{b}"
            );
        }
    }
    let small = buses
        .iter()
        .filter(|b| b["passengers"].as_array().unwrap().len() < 5)
        .count();
    assert!(
        small * 10 <= buses.len(),
        "{small} of {} buses nearly empty",
        buses.len()
    );
    let kinds: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds
            .iter()
            .any(|k| ["beyond-expected", "one-driver", "sent-bus-idle"].contains(k)),
        "{kinds:?}"
    );
}
