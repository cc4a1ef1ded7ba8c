//! The real `zhitong import` on township files: a GBK worker list with Chinese headers, CRLF,
//! blank lines, a quoted line break and bad rows; employers with a BOM; a fleet list. Checks
//! exit codes, the line and field of every rejected row, idempotence, --strict and --json.

use rusqlite::Connection;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn zhitong(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .args(["--operator", "王科长", "--lang", "en"])
        .args(args)
        .output()
        .expect("run zhitong")
}

fn import(db: &Path, kind: &str, file: &str, extra: &[&str]) -> Output {
    let path = fixture(file);
    let mut args = vec!["import", kind, path.to_str().unwrap()];
    args.extend_from_slice(extra);
    zhitong(db, &args)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn rejected_lines(v: &Value) -> Vec<(u64, String)> {
    v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["field"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A database with the two employers of the fixtures.
fn with_employers() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let out = import(&db, "employers", "employers.csv", &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["new"], 2);
    (dir, db)
}

const GBK_REJECTED: &[(u64, &str)] = &[
    (4, "id_number"),
    (5, "name"),
    (7, "id_number"),
    (8, "phone"),
    (9, "employer"),
    (10, "cert_valid_until"),
    (13, "cert_issued"),
];

#[test]
fn gbk_worker_list_with_bad_rows() {
    let (_dir, db) = with_employers();
    let out = import(&db, "workers", "workers_gbk.csv", &["--json"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    // The exact shape scripts rely on, keys in this order.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            r#"{"kind":"workers","read":9,"imported":2,"new":2,"updated":0,"unchanged":0,"rejected":[{"line":4,"field":"id_number","value":"110105********0021","reason":"#
        ),
        "{text}"
    );
    assert_eq!(v["kind"], "workers");
    assert_eq!(
        (v["read"].as_u64(), v["imported"].as_u64()),
        (Some(9), Some(2))
    );
    assert_eq!(
        (v["new"].as_u64(), v["updated"].as_u64()),
        (Some(2), Some(0))
    );
    let want: Vec<(u64, String)> = GBK_REJECTED
        .iter()
        .map(|(l, f)| (*l, f.to_string()))
        .collect();
    assert_eq!(rejected_lines(&v), want);
    let first = &v["rejected"][0];
    // Masked like the screen: a report never shows a full ID number.
    assert_eq!(first["value"], "110105********0021");
    assert_eq!(first["reason"], "check character should be X, found 1");
    assert_eq!(v["rejected"][2]["reason"], "same ID number as line 2");
    let r = Connection::open(&db).unwrap();
    let (county, issued, phone): (String, String, String) = r
        .query_row(
            "SELECT county, cert_issued, phone FROM workers WHERE name = '吴十'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // County from the ID number's area code, date from 2020.2.19, phone without +86.
    assert_eq!(
        (county.as_str(), issued.as_str(), phone.as_str()),
        ("白河县", "2020-02-19", "13900002222")
    );
    let county: String = r
        .query_row(
            "SELECT county FROM workers WHERE name = '张三'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(county, "旬阳县");
}

#[test]
fn human_output_names_file_line_field_value_and_reason() {
    let (_dir, db) = with_employers();
    let out = import(&db, "workers", "workers_gbk.csv", &[]);
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        "workers_gbk.csv (GBK): 9 rows read, 2 imported (2 new, 0 updated, 0 unchanged), 7 rejected"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(
        "workers_gbk.csv:4: id_number: '110105********0021': check character should be X, found 1"
    ));
    assert!(
        stderr.contains("workers_gbk.csv:9: employer: '不存在的公司': no employer of that name")
    );
    assert!(stderr.contains("workers_gbk.csv:13: cert_issued: '2020-02-30'"));
    assert!(stderr.contains("columns ignored (not known): 备注"));
    for (line, field) in GBK_REJECTED {
        assert!(
            stderr.contains(&format!("workers_gbk.csv:{line}: {field}: ")),
            "{line} {field}"
        );
    }
}

#[test]
fn reimport_changes_nothing_and_a_changed_row_updates() {
    let (_dir, db) = with_employers();
    import(&db, "workers", "workers_gbk.csv", &[]);
    let snapshot = |db: &Path| -> Vec<String> {
        let c = Connection::open(db).unwrap();
        let mut s = c
            .prepare(
                "SELECT id || id_number || name || phone || county || township || village
                        || employer_id || ifnull(cert_issued, '') || ifnull(cert_valid_until, '')
                        || cert_issuer || status FROM workers ORDER BY id",
            )
            .unwrap();
        let rows = s.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let before = snapshot(&db);
    let again = import(&db, "workers", "workers_gbk.csv", &["--json"]);
    assert_eq!(again.status.code(), Some(3));
    let v = json(&again);
    assert_eq!(
        (
            v["new"].as_u64(),
            v["updated"].as_u64(),
            v["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(2))
    );
    assert_eq!(snapshot(&db), before);
    assert_eq!(count(&db, "SELECT count(*) FROM workers"), 2);

    // A file with fewer columns updates only what it has: a new phone for 张三.
    let out = import(&db, "workers", "workers_phone_update.csv", &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(
        (v["updated"].as_u64(), v["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    let c = Connection::open(&db).unwrap();
    let (phone, village): (String, String) = c
        .query_row(
            "SELECT phone, village FROM workers WHERE name = '张三'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (phone.as_str(), village.as_str()),
        ("13800009999", "双河村")
    );
    // Audit: one row per import, one per updated worker naming the field, no personal values.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit WHERE action = 'import' AND entity = 'workers'"
        ),
        3
    );
    let changed: String = c
        .query_row("SELECT after FROM audit WHERE entity = 'worker'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(changed, r#"{"changed":["phone"]}"#);
    let all: String = c
        .query_row(
            "SELECT group_concat(ifnull(after, '') || ifnull(before, ''), ' ') FROM audit",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for personal in ["13800009999", "11010519491231002X", "张三", "13812345678"] {
        assert!(!all.contains(personal), "audit holds {personal}");
    }
}

#[test]
fn strict_writes_nothing() {
    let (_dir, db) = with_employers();
    let audit_before = count(&db, "SELECT count(*) FROM audit");
    let out = import(&db, "workers", "workers_gbk.csv", &["--strict", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(
        (v["imported"].as_u64(), v["new"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(rejected_lines(&v).len(), GBK_REJECTED.len());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing written"));
    assert_eq!(count(&db, "SELECT count(*) FROM workers"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), audit_before);
    // A clean file passes --strict.
    let ok = import(&db, "workers", "workers_phone_update.csv", &["--strict"]);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(count(&db, "SELECT count(*) FROM workers"), 2);
}

#[test]
fn whole_file_errors_name_file_and_header() {
    let (_dir, db) = with_employers();
    let out = import(&db, "workers", "workers_no_id.csv", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "zhitong: workers_no_id.csv:1: missing required column 身份证号 (id_number)"
    );
    let out = import(&db, "workers", "workers_no_id.csv", &["--json"]);
    let v = json(&out);
    assert_eq!(v["code"], "error");
    assert!(v["error"]
        .as_str()
        .unwrap()
        .contains("身份证号 (id_number)"));
    // Forcing UTF-8 on the GBK file: the header cannot be read.
    let out = import(&db, "workers", "workers_gbk.csv", &["--encoding", "utf-8"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("workers_gbk.csv:1: the header row is not readable"));
    let out = import(
        &db,
        "workers",
        "workers_gbk.csv",
        &["--encoding", "gbk", "--json"],
    );
    assert_eq!(json(&out)["new"], 2);
    let missing = import(&db, "workers", "no-such-file.csv", &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.csv: cannot read"));
}

#[test]
fn planned_worker_keeps_employer() {
    let (_dir, db) = with_employers();
    import(&db, "workers", "workers_gbk.csv", &[]);
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE workers SET status = 'planned' WHERE name = '张三'",
            [],
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let moved = dir.path().join("moved.csv");
    std::fs::write(
        &moved,
        "name,id_number,employer,phone\n张三,11010519491231002X,苏州恒丰精密机械有限公司,13700001111\n",
    )
    .unwrap();
    let out = zhitong(
        &db,
        &["import", "workers", moved.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(rejected_lines(&v), vec![(2, "employer".to_string())]);
    assert_eq!(v["rejected"][0]["value"], "苏州恒丰精密机械有限公司");
    assert!(v["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("already planned"));
    // Nothing of the row was applied, the phone included.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM workers WHERE phone = '13700001111'"
        ),
        0
    );
}

#[test]
fn fleet_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let out = import(&db, "fleet", "fleet.csv", &["--json"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["kind"], "fleet");
    assert_eq!(
        rejected_lines(&v),
        vec![
            (4, "plate".to_string()),
            (5, "driver2_phone".to_string()),
            (6, "plate".to_string()),
            (7, "driver1".to_string()),
        ]
    );
    assert_eq!(v["rejected"][2]["reason"], "same plate as line 2");
    let c = Connection::open(&db).unwrap();
    let (county, sealed, date): (String, bool, Option<String>) = c
        .query_row(
            "SELECT county, sealed, available_date FROM buses WHERE plate = '陕G21000'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (county.as_str(), sealed, date.as_deref()),
        ("旬阳县", true, Some("2020-02-21"))
    );
    let (seats, any_day): (i64, Option<String>) = c
        .query_row(
            "SELECT seats, available_date FROM buses WHERE plate = '陕GD12345'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((seats, any_day), (53, None));
}

#[test]
fn employers_with_bom_quotes_and_short_province() {
    let (_dir, db) = with_employers();
    let c = Connection::open(&db).unwrap();
    let (province, address, km, mutual): (String, String, i64, bool) = c
        .query_row(
            "SELECT province, address, distance_km, mutual_recognition FROM employers WHERE name = '宁波甬腾电子有限公司'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(province, "浙江省");
    assert_eq!(address, "北仑区大港工业城新碶路18号,东门");
    assert_eq!((km, mutual), (1650, true));
    let again = import(&db, "employers", "employers.csv", &["--json"]);
    assert_eq!(json(&again)["unchanged"], 2);
}
