//! The plug pulled during a large import: `zhitong import` killed with SIGKILL at random, ever
//! later moments leaves a database that passes its integrity check, shows nothing of the
//! half-done import and everything imported before, and the run that is let finish does the job.
//!
//! The moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it.

#[path = "fixtures/nasty/support.rs"]
mod support;

use rand::{rngs::SmallRng, Rng, SeedableRng};
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
fn sigkill_during_a_large_import_leaves_the_ledger_as_it_was_and_a_rerun_finishes() {
    let l = Ledger::seeded(SEEDED, 0);
    let big = l.dir.path().join("big.csv");
    write_workers(&big, 0..ROWS, 60);
    let big = big.to_string_lossy().into_owned();
    let seeded = l.snapshot();
    let seeded_rows = first_workers(&l);
    let mut rng = rng();
    let mut killed = 0;
    // Kill the import after a delay that grows by a random factor each time, starting the
    // import over after every kill, until one run finishes before its kill comes: the kills
    // land early (reading the first rows), midway and late (index rebuild, commit), and the
    // run that finishes is the rerun that completes the job.
    let mut delay = Duration::from_millis(rng.random_range(40..120));
    let finished = loop {
        let before = l.snapshot();
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
        // Integrity checked by the snapshot; the whole ledger, audit included, as before —
        // unless the kill came after the commit (while SQLite copied the finished import into
        // the file, before the report was printed): then all of it is there, never a part.
        if !l.snapshot().changed(&before, &[]).is_empty() {
            assert_eq!(
                l.count("SELECT count(*) FROM workers"),
                i64::from(ROWS),
                "killed after {delay:?}: half an import is visible"
            );
            eprintln!("killed after {delay:?}, just after the commit");
            break None;
        }
        delay = delay.mul_f64(rng.random_range(1.3..1.9));
    };
    assert!(
        killed >= 2,
        "the import finished before the second kill: raise ROWS"
    );
    let new = ROWS - SEEDED;
    if let Some(finished) = finished {
        let stdout = String::from_utf8_lossy(&finished.stdout);
        assert!(
            finished.status.success(),
            "{stdout} {}",
            String::from_utf8_lossy(&finished.stderr)
        );
        assert!(
            stdout.contains(&format!("{ROWS} rows read")) && stdout.contains(&format!("{new} new")),
            "{stdout}"
        );
    }
    assert_eq!(l.count("SELECT count(*) FROM workers"), i64::from(ROWS));
    assert_eq!(
        l.count("SELECT count(DISTINCT id_number) FROM workers"),
        i64::from(ROWS)
    );
    let audit = audit_since(&l.db, seeded.last_audit);
    assert_eq!(audit.len(), 1, "one import, one audit row: {audit:?}");
    assert_eq!(audit[0].2["new"], new);
    // The workers of the seeded ledger are untouched by all of this.
    let after = l.snapshot();
    assert_eq!(
        after.changed(&seeded, &["workers", "audit"]),
        Vec::<String>::new()
    );
    assert_eq!(first_workers(&l), seeded_rows);
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
