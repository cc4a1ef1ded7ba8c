//! `--readonly`: reading commands work, every write is refused with exit 1 and leaves the
//! database as it was, and an audited reveal cannot slip through.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;

/// What a write could change, read straight from the tables.
fn state(db: &Db) -> String {
    let store = db.store();
    let mut out = String::new();
    for sql in [
        "SELECT group_concat(id || ':' || status || ':' || COALESCE(id_number, '') || ':' || name, ',') FROM workers",
        "SELECT group_concat(id || ':' || status || ':' || seat, ',') FROM passengers",
        "SELECT group_concat(id || ':' || status, ',') FROM trips",
        "SELECT COUNT(*) FROM audit",
        "SELECT COUNT(*) FROM employers",
        "SELECT COUNT(*) FROM buses",
    ] {
        let v: rusqlite::types::Value = rusqlite::Connection::open(store.path()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap();
        out += &format!("{v:?}\n");
    }
    out
}

#[test]
fn reading_commands_work_read_only() {
    let db = day_db();
    let v = json(&ok(db.run(&["--readonly", "stats", "--json"])));
    assert_eq!(v["workers"], 26);
    ok(db.run(&["--readonly", "stats", "--bulletin"]));
    let o = ok(db.run(&["--readonly", "export", "manifest", "--bus", "陕G21001"]));
    assert!(!o.stdout.is_empty());
}

#[test]
fn a_reveal_is_refused_read_only_and_nothing_is_exported() {
    let db = day_db();
    let before = state(&db);
    let out = db.out();
    let o = db.run(&[
        "--readonly",
        "--lang",
        "en",
        "export",
        "manifest",
        "--date",
        TODAY,
        "--reveal",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert!(!out.exists(), "no file written");
    let err = stderr(&o);
    assert!(
        err.contains("--reveal") && err.contains("--readonly"),
        "{err}"
    );
    assert!(!err.contains("610928199207032473"));
    // Without --out the same: no full number reaches stdout.
    let o = db.run(&[
        "--readonly",
        "export",
        "manifest",
        "--bus",
        "陕G21001",
        "--reveal",
    ]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert_eq!(state(&db), before);
}

#[test]
fn purge_is_refused_read_only_even_before_asking() {
    let db = day_db();
    let before = state(&db);
    for args in [
        &["--readonly", "purge", "--older-than", "2", "--yes"][..],
        &["--readonly", "purge", "--older-than", "2"][..],
    ] {
        let o = db.run(args);
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    }
    assert_eq!(state(&db), before);
}

#[test]
fn every_write_command_is_refused_read_only() {
    let db = day_db();
    let csv = db.dir.path().join("workers.csv");
    std::fs::write(
        &csv,
        "姓名,身份证号,手机号,区县,乡镇,村,意向企业,健康证明签发日期\n\
         新人,11010519491231002X,13800000000,旬阳县,城关镇,东门村,长沙湘江制衣厂,2020-02-20\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap().to_string();
    let backup = db.dir.path().join("b.db");
    let commands: Vec<Vec<&str>> = vec![
        vec!["import", "workers", &csv],
        vec!["plan", "--date", TODAY, "--apply"],
        vec![
            "board",
            "--bus",
            "陕G21002",
            "--seat",
            "3",
            "--temp",
            "36.5",
        ],
        vec![
            "refuse",
            "--bus",
            "陕G21002",
            "--id",
            "610922200011061069",
            "--reason",
            "no-show",
        ],
        vec!["depart", "--bus", "陕G21002"],
        vec!["arrive", "--bus", "陕G21001", "--receiver", "周经理"],
        vec!["purge", "--older-than", "0", "--yes"],
    ];
    let before = state(&db);
    for c in &commands {
        let mut args = vec!["--readonly"];
        args.extend(c);
        let o = db.run(&args);
        let err = stderr(&o);
        if err.contains("not available in this build") {
            eprintln!(
                "NOTICE: `{}` is not built yet; its read-only refusal is untested",
                c[0]
            );
            continue;
        }
        assert_eq!(code(&o), 1, "{c:?} exit: {err}");
        assert!(
            err.contains("read-only") || err.contains("只读"),
            "{c:?}: {err}"
        );
        assert_eq!(state(&db), before, "{c:?} changed the database");
    }
    // A backup reads the database and writes another file: allowed.
    let o = db.run(&["--readonly", "backup", backup.to_str().unwrap()]);
    if !stderr(&o).contains("not available in this build") {
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    assert_eq!(state(&db), before);
}

#[test]
fn read_only_never_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .args([
            "--db",
            path.to_str().unwrap(),
            "--readonly",
            "stats",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(!path.exists());
}
