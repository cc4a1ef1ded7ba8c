//! The plug pulled during a large import: `zhitong import` killed with SIGKILL at random moments
//! leaves a database that passes its integrity check, shows nothing of the half-done import and
//! everything imported before, and a second run finishes the job.
//!
//! The moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it.

#[path = "fixtures/nasty/support.rs"]
mod support;

use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::*;

/// Enough rows that the import is still running when the last kill comes (a debug build
/// imports ~30,000 rows a second on two cores; a release build ten times as many).
const ROWS: u32 = if cfg!(debug_assertions) {
    60_000
} else {
    300_000
};
/// Already in the ledger before the big import (the big file repeats them: unchanged).
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
    // Early (reading the first chunks), midway, late: three different moments of the write.
    for (from, to) in [(150u64, 400u64), (400, 900), (900, 1600)] {
        let before = l.snapshot();
        let mut child = command(&l.db, &["import", "workers", &big])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn import");
        let delay = Duration::from_millis(rng.random_range(from..to));
        let started = Instant::now();
        std::thread::sleep(delay);
        if child.try_wait().expect("try_wait").is_some() {
            // Finished before the kill came: nothing to test at this moment (a fast machine).
            let out = child.wait_with_output().expect("output");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            eprintln!("import finished within {delay:?}; no kill");
            continue;
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
        // Integrity checked by the snapshot; the whole ledger, audit included, as before.
        let after = l.snapshot();
        assert_eq!(
            after.changed(&before, &[]),
            Vec::<String>::new(),
            "killed after {:?}: half an import is visible",
            started.elapsed()
        );
    }
    assert!(
        killed > 0,
        "every import finished before its kill: raise ROWS"
    );
    let run = l.run(&["import", "workers", &big]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = ROWS - SEEDED;
    assert!(
        run.stdout.contains(&format!("{ROWS} rows read"))
            && run.stdout.contains(&format!("{new} new")),
        "{}",
        run.stdout
    );
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
