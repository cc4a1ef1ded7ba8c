//! Several terminals on one file at once: migrations run once however many processes open an
//! old or a new file together, a write that finds the database locked past its budget says so
//! in the user's language (and with what, when a long job is recorded), and boarding during a
//! large import goes through.

#[path = "fixtures/nasty/support.rs"]
mod support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// The schema version this program migrates to.
fn latest_version() -> i64 {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("v.db");
    zhitong::store::Store::open(&db).expect("open");
    version(&db)
}

fn version(db: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version")
}

/// Starts `n` copies of one command as close together as the machine allows.
fn at_once(db: &std::path::Path, args: &[&str], n: usize) -> Vec<std::process::Output> {
    let children: Vec<Child> = (0..n)
        .map(|_| {
            command(db, args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

#[test]
fn eight_processes_opening_a_new_file_and_an_old_populated_one_all_succeed() {
    let latest = latest_version();
    // A new file, twelve times over: every `init` succeeds and the schema is whole (two that
    // both ask to turn the log on used to see "database is locked" about once in 100 opens).
    for round in 0..12 {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join(format!("fresh-{round}.db"));
        for out in at_once(&db, &["init"], 8) {
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(version(&db), latest);
        let tables: i64 = rusqlite::Connection::open(&db)
            .expect("open")
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('workers','jobs','worker_names')",
                [],
                |r| r.get(0),
            )
            .expect("tables");
        assert_eq!(tables, 3);
    }
    // A populated file of the schema before the newest migration (as an older zhitong
    // left it): eight terminals open it at once; it is migrated once and nothing is lost.
    let l = Ledger::seeded(3000, 20);
    {
        let c = rusqlite::Connection::open(&l.db).expect("open");
        c.execute_batch(&format!(
            "DROP TABLE trip_changes; DROP TABLE trip_receivers; DROP TABLE planned_employers;
             DROP INDEX trips_crew_bus; ALTER TABLE trips DROP COLUMN crew_bus_id;
             PRAGMA user_version = {};",
            latest - 1
        ))
        .expect("downgrade");
    }
    let before = l.snapshot();
    for out in at_once(&l.db, &["stats", "--json"], 8) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(stats.is_object());
    }
    assert_eq!(version(&l.db), latest);
    let after = l.snapshot();
    // Every table as it was; the migration's new tables besides, and trips with one more
    // (empty) column.
    assert_eq!(
        after.changed(
            &before,
            &[
                "trip_changes",
                "trip_receivers",
                "planned_employers",
                "trips"
            ]
        ),
        Vec::<String>::new()
    );
    assert_eq!(l.count("SELECT count(*) FROM workers"), 3000);
    assert_eq!(
        l.count("SELECT count(*) FROM trips WHERE crew_bus_id IS NULL"),
        l.count("SELECT count(*) FROM trips")
    );
    assert_eq!(l.count("SELECT count(*) FROM trip_changes"), 0);
}

/// A ledger with today's plan applied: workers 0.. hold seats on coach 0.
fn planned() -> Ledger {
    let l = Ledger::seeded(300, 20);
    let r = l.run(&["plan", "--date", DAY, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    l
}

/// A worker planned on `plate`.
fn passenger_on(l: &Ledger, plate: &str, nth: i64) -> String {
    let c = rusqlite::Connection::open(&l.db).expect("open");
    c.query_row(
        "SELECT w.id_number FROM passengers p JOIN workers w ON w.id = p.worker_id
         JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
         WHERE b.plate = ?1 ORDER BY p.seat LIMIT 1 OFFSET ?2",
        rusqlite::params![plate, nth],
        |r| r.get(0),
    )
    .expect("passenger")
}

#[test]
fn a_write_that_waits_past_its_budget_says_the_database_is_busy_and_with_what() {
    let l = planned();
    let id = passenger_on(&l, &plate(0), 0);
    let policy = l.file("policy.toml", b"busy_wait_seconds = 1\n");
    let policy = policy.to_string_lossy().into_owned();
    // Another terminal holds the write lock, and has recorded a long import as running
    // (this test's own process stands for it).
    let holder = rusqlite::Connection::open(&l.db).expect("open");
    holder
        .execute(
            "INSERT INTO jobs (kind, subject, operator, pid, started_at, updated_at, done, total)
             VALUES ('import', 'county-ledger.csv', '李干事', ?1, '2020-02-21T07:03:00',
                     '2020-02-21T07:03:00', 450, 1000)",
            [i64::from(std::process::id())],
        )
        .expect("job");
    holder.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let before = l.snapshot();
    let board = [
        "--policy",
        &policy,
        "board",
        "--bus",
        &plate(0),
        "--id",
        &id,
        "--temp",
        "36.5",
    ];
    let started = Instant::now();
    let en = l.run(&[&board[..], &["--json"]].concat());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited its budget"
    );
    assert_eq!(en.code, 1, "{}", en.stderr);
    assert!(
        en.stderr.contains("the database is busy: 李干事 is importing county-ledger.csv (since 07:03, 45% done); waited 1 s, nothing was changed"),
        "{}",
        en.stderr
    );
    assert!(
        !en.stderr.contains("locked"),
        "no SQLite text: {}",
        en.stderr
    );
    assert_eq!(en.json()["code"], "busy");
    let zh = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&l.db)
        .args(["--operator", OPERATOR, "--lang", "zh"])
        .args(board)
        .env("ZHITONG_TODAY", DAY)
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let zh_err = String::from_utf8_lossy(&zh.stderr);
    assert_eq!(zh.status.code(), Some(1));
    assert!(
        zh_err.contains(
            "数据库正忙：李干事 正在导入 county-ledger.csv（07:03 开始，已完成 45%）；已等待 1 秒"
        ),
        "{zh_err}"
    );
    holder.execute_batch("ROLLBACK").expect("unlock");
    assert_eq!(l.snapshot().changed(&before, &[]), Vec::<String>::new());
    // Once the lock is free the same command goes through.
    let ok = l.run(&board);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn boarding_during_a_large_import_goes_through() {
    let l = planned();
    let rows: u32 = if cfg!(debug_assertions) {
        150_000
    } else {
        400_000
    };
    let big = l.dir.path().join("big.csv");
    write_workers(&big, 1_000..1_000 + rows, 60);
    let big = big.to_string_lossy().into_owned();
    let mut import = command(&l.db, &["import", "workers", &big])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    // Wait until the import writes (its job is recorded in its first write step).
    let started = Instant::now();
    while l.count("SELECT count(*) FROM jobs WHERE state = 'running'") == 0 {
        assert!(
            import.try_wait().expect("try_wait").is_none(),
            "the import ended before it wrote: make it larger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import never wrote"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut boarded = 0;
    for nth in 0..6 {
        let id = passenger_on(&l, &plate(0), nth);
        let r = l.run(&["board", "--bus", &plate(0), "--id", &id, "--temp", "36.6"]);
        assert_eq!(r.code, 0, "boarding during the import: {}", r.stderr);
        boarded += 1;
    }
    let still_importing = import.try_wait().expect("try_wait").is_none();
    let out = import.wait_with_output().expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{boarded} boarded; import still running after the last: {still_importing}");
    assert_eq!(
        l.count("SELECT count(*) FROM passengers WHERE status = 'boarded'"),
        boarded
    );
    assert_eq!(
        l.count("SELECT count(*) FROM workers"),
        300 + i64::from(rows)
    );
}
