//! The plug pulled during a large import: `zhitong import` killed with SIGKILL at random, ever
//! later moments leaves a database that passes its integrity check, in which every worker row
//! written is whole (exactly the file's row) and everything imported before is untouched, and
//! the run that is let finish does the rest of the job and says it continued an interrupted one.
//! (An import writes in short steps so that the bus door never waits long: after a crash the
//! steps already committed stay.)
//!
//! The moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it.

#[path = "fixtures/nasty/support.rs"]
mod support;

use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::*;

/// A large import: seconds long in either build, whatever the machine (the kill schedule below
/// adapts to its speed).
const ROWS: u32 = if cfg!(debug_assertions) {
    100_000
} else {
    300_000
};
/// Kills before giving up on seeing the import finish (each waits ×1.3–1.9 longer).
const MAX_KILLS: u32 = 16;
const SEEDED: u32 = 1_000;

fn rng() -> SmallRng {
    let seed = std::env::var("ZHITONG_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!("ZHITONG_CRASH_SEED={seed}");
    SmallRng::seed_from_u64(seed)
}

#[test]
fn sigkill_during_a_large_import_leaves_whole_rows_and_a_rerun_finishes_the_job() {
    let l = Ledger::seeded(SEEDED, 0);
    let big = l.dir.path().join("big.csv");
    write_workers(&big, 0..ROWS, 60);
    let expected = file_rows(&big);
    let big = big.to_string_lossy().into_owned();
    let seeded = l.snapshot();
    let seeded_rows = first_workers(&l);
    let mut rng = rng();
    let mut killed = 0;
    let mut written_by_killed = 0;
    // Kill the import after a delay that grows by a random factor each time, starting the
    // import over after every kill, until one run finishes before its kill comes: the kills
    // land early (reading the file), midway and late (writing steps), and the run that
    // finishes is the rerun that completes the job.
    let mut delay = Duration::from_millis(rng.random_range(40..120));
    // Rows in the ledger when the run that finished (and audited) the import started.
    let mut audited_from;
    let finished = loop {
        audited_from = written_by_killed.max(i64::from(SEEDED));
        let mut child = command(&l.db, &["import", "workers", &big])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn import");
        let started = Instant::now();
        while started.elapsed() < delay && child.try_wait().expect("try_wait").is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().expect("try_wait").is_some() || killed == MAX_KILLS {
            eprintln!("{killed} kills, then the import ran to the end");
            break Some(child.wait_with_output().expect("output"));
        }
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.signal(), Some(9), "{:?}", out.status);
        assert!(
            out.stdout.is_empty(),
            "the import reported before dying: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        killed += 1;
        // Integrity checked by the snapshot; no table but the ledger and the job record moved
        // — unless the kill came after the last step's commit (while SQLite copied the log
        // into the file, before the report was printed): then the whole import is there, with
        // its one audit row.
        let after = l.snapshot();
        written_by_killed = assert_rows_whole(&l, &expected);
        if after.changed(&seeded, &["workers", "jobs"]) == ["audit"] {
            assert_eq!(
                written_by_killed,
                i64::from(ROWS),
                "killed after {delay:?}: the import was audited before it was whole"
            );
            eprintln!("killed after {delay:?}, just after the last commit");
            break None;
        }
        assert_eq!(
            after.changed(&seeded, &["workers", "jobs"]),
            Vec::<String>::new(),
            "killed after {delay:?}"
        );
        delay = delay.mul_f64(rng.random_range(1.3..1.9));
    };
    assert!(
        killed >= 2,
        "the import finished before the second kill: raise ROWS"
    );
    if let Some(finished) = finished {
        let stdout = String::from_utf8_lossy(&finished.stdout);
        let stderr = String::from_utf8_lossy(&finished.stderr);
        assert!(finished.status.success(), "{stdout} {stderr}");
        assert!(stdout.contains(&format!("{ROWS} rows read")), "{stdout}");
        if written_by_killed > i64::from(SEEDED) {
            assert!(
                stderr.contains("continues the import started"),
                "the rerun should say it finished an interrupted import: {stderr}"
            );
        }
    }
    assert_eq!(assert_rows_whole(&l, &expected), i64::from(ROWS));
    assert_eq!(
        l.count("SELECT count(DISTINCT id_number) FROM workers"),
        i64::from(ROWS)
    );
    let audit = audit_since(&l.db, seeded.last_audit);
    assert_eq!(
        audit.len(),
        1,
        "one finished import, one audit row: {audit:?}"
    );
    assert_eq!(
        audit[0].2["new"].as_i64().unwrap_or(-1) + audited_from - i64::from(SEEDED),
        i64::from(ROWS - SEEDED),
        "the rows written by the killed runs and by the last one add up: {:?}",
        audit[0].2
    );
    assert_eq!(
        l.count("SELECT count(*) FROM jobs WHERE state = 'running'"),
        0,
        "interrupted runs are marked as such"
    );
    // The workers of the seeded ledger are untouched by all of this.
    assert_eq!(first_workers(&l), seeded_rows);
}

/// ID number → the row's other fields, as the file has them.
fn file_rows(path: &std::path::Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).expect("read");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let employer = EMPLOYERS.iter().position(|e| *e == f[6]).expect("employer") + 1;
            let rest = [
                f[0],
                f[2],
                f[3],
                f[4],
                f[5],
                &employer.to_string(),
                f[7],
                f[9],
            ]
            .join(",");
            (f[1].to_string(), rest)
        })
        .collect()
}

/// Every worker row in the database equals its row of the file (nothing half-written);
/// returns how many there are.
fn assert_rows_whole(l: &Ledger, expected: &HashMap<String, String>) -> i64 {
    let c = rusqlite::Connection::open(&l.db).expect("open");
    let mut s = c
        .prepare(
            "SELECT id_number, concat_ws(',', name, phone, county, township, village, employer_id,
                    cert_issued, cert_issuer) FROM workers",
        )
        .expect("select");
    let mut rows = s.query([]).expect("query");
    let mut n = 0;
    while let Some(r) = rows.next().expect("row") {
        let id: String = r.get(0).expect("id");
        let got: String = r.get(1).expect("row");
        assert_eq!(expected.get(&id), Some(&got), "worker {id} is not whole");
        n += 1;
    }
    n
}
/// The seeded workers, whole, as one text.
fn first_workers(l: &Ledger) -> String {
    let c = rusqlite::Connection::open(&l.db).expect("open");
    c.query_row(
        "SELECT group_concat(w, char(10)) FROM (SELECT concat_ws(',', id, id_number, name, phone,
             county, township, village, employer_id, cert_issued, cert_valid_until, cert_issuer,
             status) AS w FROM workers WHERE id <= ?1 ORDER BY id)",
        [SEEDED],
        |r| r.get(0),
    )
    .expect("seeded workers")
}
