//! The plug pulled during a merge: `zhitong merge` is SIGKILLed at random moments and run
//! again until it finishes. Every event of the pack is applied exactly once: one reading per
//! reading taken on the road, one merge record and one merge audit line per event, and the
//! ledger's roster is the pack's.
//!
//! The moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it.

#[path = "fixtures/departure/mod.rs"]
mod fixture;
mod pack_support;

use fixture::id;
use pack_support::*;
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Instant;

const PASSENGERS: u16 = 18;

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

/// A full trip on the pack: everyone checked at the door (one with an expired certificate),
/// departure, two rounds of readings, arrival.
fn the_road(d: &Day) -> usize {
    let mut events = 0;
    let mut act = |now: &str, args: &[&str]| {
        let o = d.road(now, args);
        assert!(
            code(&o) == 0 || code(&o) == 4,
            "{args:?}: {} {}",
            out(&o),
            err(&o)
        );
        events += 1;
    };
    for n in 0..PASSENGERS {
        let now = format!("06:{:02}", 10 + n);
        act(
            &now,
            &[
                "board",
                "--bus",
                "陕G21000",
                "--id",
                &id(100 + n),
                "--temp",
                "36.5",
            ],
        );
    }
    act("07:00", &["depart", "--bus", "陕G21000"]);
    for (hour, temp) in [("11", "36.6"), ("15", "36.8")] {
        for n in 0..PASSENGERS {
            if n == 5 {
                continue; // refused at the door: not aboard
            }
            let now = format!("{hour}:{:02}", n);
            act(
                &now,
                &[
                    "round",
                    "--bus",
                    "陕G21000",
                    "--id",
                    &id(100 + n),
                    "--temp",
                    temp,
                ],
            );
        }
    }
    act(
        "20:30",
        &["arrive", "--bus", "陕G21000", "--receiver", "陈经理"],
    );
    events
}

#[test]
fn a_merge_killed_at_random_moments_applies_every_event_exactly_once() {
    let d = Day::new(PASSENGERS as usize);
    d.make_pack("05:30");
    let events = the_road(&d);
    let pack_readings = rusqlite::Connection::open(&d.pack)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM readings", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(pack_readings, 18 + 2 * 17);

    // How long one whole merge takes here, on a copy of the ledger.
    let copy = d.f.dir.path().join("copy.db");
    std::fs::copy(&d.f.db, &copy).unwrap();
    let started = Instant::now();
    let o = run(
        &copy,
        &at("21:00"),
        OFFICE,
        &["merge", d.pack.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let whole = started.elapsed();

    let mut rng = rng();
    // The ledger before any merge: a round in which no kill lands halfway (the machine was
    // quicker than measured) starts over from it with shorter waits.
    let fresh = d.f.dir.path().join("fresh.db");
    std::fs::copy(&d.f.db, &fresh).unwrap();
    let mut kills = 0;
    // Kills that left a merge half done: some events recorded, not all.
    let mut halfway = 0;
    let mut scale = 1.0;
    for _round in 0..8 {
        let mut finished = false;
        for attempt in 0..40 {
            let mut child = command(
                &d.f.db,
                &at("21:00"),
                OFFICE,
                &["merge", d.pack.to_str().unwrap(), "--json"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
            std::thread::sleep(whole.mul_f64(scale * rng.random_range(0.1..0.5)));
            if attempt < 30 {
                let _ = child.kill();
            }
            let o = child.wait_with_output().unwrap();
            if o.status.signal() == Some(9) {
                kills += 1;
                let recorded = d.f.count("SELECT COUNT(*) FROM merged_events") as usize;
                if recorded > 0 && recorded < events {
                    halfway += 1;
                }
                continue;
            }
            assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
            finished = true;
            break;
        }
        assert!(finished, "a merge finished");
        if halfway > 0 {
            break;
        }
        for suffix in ["-wal", "-shm"] {
            let mut p = d.f.db.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        std::fs::copy(&fresh, &d.f.db).unwrap();
        scale /= 2.0;
    }
    assert!(
        halfway > 0,
        "no merge was killed halfway: the test proved nothing"
    );

    let (c, report) = d.merge("22:00");
    assert_eq!(c, 0);
    assert_eq!(report["already"], events as u64, "{report}");
    assert_eq!(report["applied"], 0);
    let count = |sql: &str| d.f.count(sql);
    assert_eq!(count("SELECT COUNT(*) FROM merged_events") as usize, events);
    assert_eq!(
        count("SELECT COUNT(*) FROM audit WHERE action = 'merge'") as usize,
        events,
        "one merge line per event"
    );
    assert_eq!(count("SELECT COUNT(*) FROM readings"), pack_readings);
    assert_eq!(
        count("SELECT COUNT(*) FROM trip_events WHERE kind = 'round'"),
        2 * 17
    );
    assert_eq!(lines(&d.roster(&d.f.db)), lines(&d.roster(&d.pack)));
    let check: String =
        d.f.conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
    assert_eq!(check, "ok");
    eprintln!("{kills} merges killed ({halfway} halfway), one whole merge took {whole:?}");
}

#[test]
fn three_merges_of_one_pack_at_once_apply_each_event_once() {
    let d = Day::new(PASSENGERS as usize);
    d.make_pack("05:30");
    let events = the_road(&d);
    let merges: Vec<_> = (0..3)
        .map(|_| {
            command(
                &d.f.db,
                &at("21:00"),
                OFFICE,
                &["merge", d.pack.to_str().unwrap(), "--json"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut applied = 0;
    for m in merges {
        let o = m.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
        let r = json(&o);
        assert_eq!(
            r["applied"].as_u64().unwrap() + r["already"].as_u64().unwrap(),
            events as u64,
            "{r}"
        );
        applied += r["applied"].as_u64().unwrap();
    }
    assert_eq!(
        applied, events as u64,
        "each event applied by exactly one merge"
    );
    assert_eq!(d.f.count("SELECT COUNT(*) FROM readings"), 18 + 2 * 17);
    assert_eq!(
        d.f.count("SELECT COUNT(*) FROM audit WHERE action = 'merge'") as usize,
        events
    );
    assert_eq!(lines(&d.roster(&d.f.db)), lines(&d.roster(&d.pack)));
}
