//! `zhitong backup` while another terminal keeps writing: the copy finishes, passes SQLite's
//! integrity check and is one consistent moment of the ledger.

use rusqlite::Connection;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use zhitong::store::Store;

fn zhitong(db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    c.arg("--db").arg(db).env("ZHITONG_OPERATOR", "test");
    c
}

#[test]
fn backup_is_consistent_while_a_writer_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    // Enough pages that the copy takes many steps (a few MB of workers).
    let store = Store::open(&db).unwrap();
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute_batch(
            "INSERT INTO employers (id, name, province, city) VALUES (1, 'E0', '浙江省', '宁波市');
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
             INSERT INTO workers (id_number, name, village, employer_id)
             SELECT printf('%018d', i), '张三', hex(randomblob(40)), 1 FROM n;
             INSERT INTO meta (key, value) VALUES ('counter', '0');",
        )
        .unwrap();
    drop(store);

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            // A writer of its own beside the store being copied, as another terminal would be.
            let mut c = Connection::open(&db).unwrap();
            c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let tx = c
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .unwrap();
                tx.execute(
                    "INSERT INTO employers (name, province, city) VALUES (?1, '江苏省', '苏州市')",
                    [format!("W{n}")],
                )
                .unwrap();
                tx.execute(
                    "UPDATE meta SET value = ?1 WHERE key = 'counter'",
                    [n.to_string()],
                )
                .unwrap();
                tx.commit().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let copy = dir.path().join("copy.db");
    let out = zhitong(&db).arg("backup").arg(&copy).output().unwrap();
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(written > 0);

    let c = Connection::open(&copy).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (counter, rows): (String, i64) = c
        .query_row(
            "SELECT (SELECT value FROM meta WHERE key = 'counter'),
                    (SELECT count(*) FROM employers WHERE name LIKE 'W%')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(counter.parse::<i64>().unwrap(), rows, "copy is one moment");
    let workers: i64 = c
        .query_row("SELECT count(*) FROM workers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(workers, 60000);
    // The backup is in the audit log of the source, with the file name only.
    let s = Store::open(&db).unwrap();
    let after: String = rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row("SELECT after FROM audit WHERE action = 'backup'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(after, r#"{"file":"copy.db"}"#);
    assert!(!dir.path().join("copy.db.partial").exists());
}

/// A mistyped `--db` for backup is an error, not an empty database copied.
#[test]
fn backup_of_a_missing_database_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    let copy = dir.path().join("copy.db");
    let out = zhitong(&db)
        .args(["--lang", "en", "backup"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no database at") && err.contains("zhitong init"),
        "{err}"
    );
    assert!(!db.exists() && !copy.exists());
}

#[test]
fn backup_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let existing = dir.path().join("old.db");
    std::fs::write(&existing, b"precious").unwrap();
    assert!(zhitong(&db).arg("init").status().unwrap().success());
    let out = zhitong(&db).arg("backup").arg(&existing).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");
}
