//! The plug pulled on a departure morning: four terminals check passengers in with `zhitong board`
//! while `zhitong` processes are SIGKILLed at random moments. Every boarding (or fever refusal)
//! a terminal confirmed is in the database, nothing is half-written, and checking the rest in
//! again finishes the job with one record per passenger.
//!
//! The moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it. The
//! morning runs under the strict rule (`fever_rechecks = 0`): the first fever reading refuses.

#[path = "fixtures/nasty/support.rs"]
mod support;

use rand::{rngs::SmallRng, Rng, SeedableRng};
use rusqlite::Connection;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use support::*;

const TERMINALS: usize = 4;
/// 180 workers of three employers on 45-seat coaches (18 passengers each): 10 buses.
const WORKERS: u32 = 180;
const BUSES: u32 = 12;
/// The policy file of the strict 2020 rule, beside the database.
const STRICT: &str = "strict.toml";

#[derive(Debug, Clone)]
struct Passenger {
    plate: String,
    id_number: String,
    seat: u32,
    passenger_id: i64,
    worker_id: i64,
    /// What the attendant reads off the thermometer: every seventh has a fever.
    temp: &'static str,
}

impl Passenger {
    fn fever(&self) -> bool {
        self.temp != "36.6"
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Exit 0: the terminal showed "boarded".
    Boarded,
    /// Exit 4 with code `fever`: the refusal was recorded and shown.
    Refused,
    Killed,
}

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

/// A planned departure day: the seeded ledger and fleet, planned and applied.
fn morning() -> (Ledger, Vec<Passenger>) {
    let l = Ledger::seeded(WORKERS, BUSES);
    l.file(STRICT, b"fever_rechecks = 0\nrecheck_wait_minutes = 0\n");
    let mut ctx = l.ctx();
    let day = ctx.today;
    zhitong::ops::plan::apply(&mut ctx, day, None).expect("plan --apply");
    let c = Connection::open(&l.db).expect("open");
    let mut s = c
        .prepare(
            "SELECT b.plate, w.id_number, p.seat, p.id, w.id FROM passengers p
             JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
             JOIN workers w ON w.id = p.worker_id ORDER BY p.id",
        )
        .expect("roster");
    let passengers: Vec<Passenger> = s
        .query_map([], |r| {
            let passenger_id: i64 = r.get(3)?;
            Ok(Passenger {
                plate: r.get(0)?,
                id_number: r.get(1)?,
                seat: r.get(2)?,
                passenger_id,
                worker_id: r.get(4)?,
                temp: if passenger_id % 7 == 3 {
                    "38.2"
                } else {
                    "36.6"
                },
            })
        })
        .and_then(|rows| rows.collect())
        .expect("passengers");
    assert_eq!(passengers.len(), WORKERS as usize, "everyone planned");
    drop(s);
    (l, passengers)
}

/// One `zhitong board`, which `killer` may SIGKILL while it runs (the child sits in `slot`).
fn board(l: &Ledger, p: &Passenger, by_seat: bool, slot: &Mutex<Option<Child>>) -> Outcome {
    let seat = p.seat.to_string();
    let who = if by_seat {
        ["--seat", seat.as_str()]
    } else {
        ["--id", p.id_number.as_str()]
    };
    let policy = l.dir.path().join(STRICT);
    let child = command(
        &l.db,
        &[
            "--policy",
            policy.to_str().expect("UTF-8 path"),
            "board",
            "--bus",
            &p.plate,
            who[0],
            who[1],
            "--temp",
            p.temp,
            "--json",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn board");
    *slot.lock().expect("slot") = Some(child);
    let (status, mut child) = loop {
        {
            let mut guard = slot.lock().expect("slot");
            let child = guard.as_mut().expect("child in slot");
            if let Some(status) = child.try_wait().expect("try_wait") {
                break (status, guard.take().expect("child"));
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if status.signal() == Some(9) {
        return Outcome::Killed;
    }
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    match status.code() {
        Some(0) if json["passenger"]["status"] == "boarded" => Outcome::Boarded,
        Some(4) if json["code"] == "fever" || json["code"] == "already-refused" => Outcome::Refused,
        other => panic!(
            "{} seat {}: unexpected {other:?}: {out} {err}",
            p.plate, p.seat
        ),
    }
}

/// Every passenger in one consistent state across passengers, workers, audit and events.
fn assert_consistent(l: &Ledger, passengers: &[Passenger]) {
    let _ = l.snapshot(); // integrity_check
    let c = Connection::open(&l.db).expect("open");
    let one = |sql: &str, id: i64| -> i64 { c.query_row(sql, [id], |r| r.get(0)).expect(sql) };
    for p in passengers {
        let (status, temp, boarded_at, reason): (
            String,
            Option<f64>,
            Option<String>,
            Option<String>,
        ) = c
            .query_row(
                "SELECT status, (SELECT celsius FROM readings r WHERE r.trip_id = p.trip_id
                     AND r.worker_id = p.worker_id ORDER BY r.id DESC LIMIT 1),
                     boarded_at, refused_reason FROM passengers p WHERE id = ?1",
                [p.passenger_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("passenger");
        let worker: String = c
            .query_row(
                "SELECT status FROM workers WHERE id = ?1",
                [p.worker_id],
                |r| r.get(0),
            )
            .expect("worker");
        let audit = |action: &str, entity: &str, id: i64| {
            one(
                &format!("SELECT count(*) FROM audit WHERE action = '{action}' AND entity = '{entity}' AND entity_id = ?1"),
                id,
            )
        };
        // A terminal killed after its commit leaves a reading; checking that passenger in
        // again adds another: every reading is kept, each fever one also in the trip log.
        let readings = one(
            "SELECT count(*) FROM readings WHERE worker_id = ?1",
            p.worker_id,
        );
        let fever_events = one(
            "SELECT count(*) FROM trip_events WHERE kind = 'fever' AND worker_id = ?1",
            p.worker_id,
        );
        let fever_readings = one(
            "SELECT count(*) FROM readings WHERE outcome = 'fever' AND worker_id = ?1",
            p.worker_id,
        );
        assert_eq!(fever_events, fever_readings, "{} seat {}", p.plate, p.seat);
        assert_eq!(
            audit("reading", "passenger", p.passenger_id),
            readings,
            "{} seat {}: each reading audited",
            p.plate,
            p.seat
        );
        let counts = (
            audit("board", "passenger", p.passenger_id),
            audit("board", "worker", p.worker_id),
            audit("refuse", "passenger", p.passenger_id),
            audit("refuse", "worker", p.worker_id),
            fever_events.min(1),
        );
        let seat = format!("{} seat {}", p.plate, p.seat);
        match status.as_str() {
            "boarded" => {
                assert_eq!(worker, "boarded", "{seat}");
                assert!(temp.is_some() && boarded_at.is_some(), "{seat}");
                assert_eq!(counts, (1, 1, 0, 0, 0), "{seat}: board once, refuse never");
            }
            "refused" => {
                assert_eq!(
                    (worker.as_str(), reason.as_deref()),
                    ("refused", Some("fever")),
                    "{seat}"
                );
                assert_eq!(
                    counts,
                    (0, 0, 1, 1, 1),
                    "{seat}: refused once, with its fever event"
                );
            }
            "planned" => {
                assert_eq!(worker, "planned", "{seat}");
                assert!(temp.is_none() && boarded_at.is_none(), "{seat}");
                assert_eq!(counts, (0, 0, 0, 0, 0), "{seat}: nothing recorded");
                assert_eq!(readings, 0, "{seat}: no reading");
            }
            other => panic!("{seat}: {other}"),
        }
    }
    // A trip is boarding exactly when someone was checked at its door, and says so once.
    let mut s = c
        .prepare(
            "SELECT t.id, t.status, (SELECT count(*) FROM passengers p WHERE p.trip_id = t.id
                 AND p.status <> 'planned'),
             (SELECT count(*) FROM audit a WHERE a.action = 'board' AND a.entity = 'trip'
                 AND a.entity_id = t.id) FROM trips t",
        )
        .expect("trips");
    let trips: Vec<(i64, String, i64, i64)> = s
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .and_then(|rows| rows.collect())
        .expect("trips");
    for (id, status, checked, audited) in trips {
        let boarding = checked > 0;
        assert_eq!(
            status == "boarding",
            boarding,
            "trip {id}: {status} with {checked} checked"
        );
        assert_eq!(audited, i64::from(boarding), "trip {id}");
    }
}

/// Checks `todo` in from `TERMINALS` terminals at once; with `kill`, a killer SIGKILLs a running
/// `zhitong` every few dozen milliseconds. Returns what each terminal saw.
fn terminals(l: &Ledger, todo: &[Passenger], kill: Option<&mut SmallRng>) -> Vec<(usize, Outcome)> {
    let slots: Vec<Mutex<Option<Child>>> = (0..TERMINALS).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let killer_seed = kill.map(|r| r.random::<u64>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for t in 0..TERMINALS {
            let (slots, next, results) = (&slots, &next, &results);
            handles.push(s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(p) = todo.get(i) else { break };
                let outcome = board(l, p, i % 3 == 0, &slots[t]);
                results.lock().expect("results").push((i, outcome));
            }));
        }
        if let Some(seed) = killer_seed {
            let (slots, done) = (&slots, &done);
            s.spawn(move || {
                let mut rng = SmallRng::seed_from_u64(seed);
                while !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(rng.random_range(15..90)));
                    let t = rng.random_range(0..TERMINALS);
                    if let Some(child) = slots[t].lock().expect("slot").as_mut() {
                        let _ = child.kill();
                    }
                }
            });
        }
        for h in handles {
            h.join().expect("terminal");
        }
        done.store(true, Ordering::SeqCst);
    });
    let mut r = results.into_inner().expect("results");
    r.sort_by_key(|(i, _)| *i);
    r
}

#[test]
fn sigkill_during_boarding_loses_nothing_confirmed_and_a_rerun_finishes() {
    let (l, passengers) = morning();
    let mut rng = rng();
    let seen = terminals(&l, &passengers, Some(&mut rng));
    let killed = seen.iter().filter(|(_, o)| *o == Outcome::Killed).count();
    eprintln!("{} checks, {killed} killed", seen.len());
    assert!(killed > 0, "no boarding was killed");
    assert!(killed < seen.len(), "every boarding was killed");
    assert_consistent(&l, &passengers);
    let c = Connection::open(&l.db).expect("open");
    let status_of = |p: &Passenger| -> String {
        c.query_row(
            "SELECT status FROM passengers WHERE id = ?1",
            [p.passenger_id],
            |r| r.get(0),
        )
        .expect("status")
    };
    // Killed after the commit, before the answer reached the terminal: recorded, never shown.
    let unseen = seen
        .iter()
        .filter(|(i, o)| *o == Outcome::Killed && status_of(&passengers[*i]) != "planned")
        .count();
    eprintln!("{killed} killed, of which {unseen} had committed");
    for (i, outcome) in &seen {
        let p = &passengers[*i];
        let status: String = c
            .query_row(
                "SELECT status FROM passengers WHERE id = ?1",
                [p.passenger_id],
                |r| r.get(0),
            )
            .expect("status");
        match outcome {
            Outcome::Boarded => assert_eq!(
                status, "boarded",
                "{} seat {}: confirmed, then lost",
                p.plate, p.seat
            ),
            Outcome::Refused => assert_eq!(
                status, "refused",
                "{} seat {}: refusal lost",
                p.plate, p.seat
            ),
            Outcome::Killed => {}
        }
        if *outcome != Outcome::Killed {
            assert_eq!(
                p.fever(),
                *outcome == Outcome::Refused,
                "{} seat {}",
                p.plate,
                p.seat
            );
        }
    }
    // The attendants check in again everyone whose terminal showed nothing.
    let again: Vec<Passenger> = seen
        .iter()
        .filter(|(_, o)| *o == Outcome::Killed)
        .map(|(i, _)| passengers[*i].clone())
        .collect();
    let rerun = terminals(&l, &again, None);
    for ((_, outcome), p) in rerun.iter().zip(&again) {
        let want = if p.fever() {
            Outcome::Refused
        } else {
            Outcome::Boarded
        };
        assert_eq!(*outcome, want, "{} seat {}", p.plate, p.seat);
    }
    assert_consistent(&l, &passengers);
    let fevers = passengers.iter().filter(|p| p.fever()).count() as i64;
    assert_eq!(
        l.count("SELECT count(*) FROM passengers WHERE status = 'boarded'"),
        WORKERS as i64 - fevers
    );
    assert_eq!(
        l.count("SELECT count(*) FROM passengers WHERE status = 'refused'"),
        fevers
    );
}
