//! Several terminals on one database on a departure morning: boardings from many processes at
//! once are each recorded exactly once, and a freed seat goes to one stand-by only.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, ctx_on, id, BUS};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use zhitong::model::RefuseReason;
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::OpError;
use zhitong::store::Db;

const ROSTER: usize = 18;

#[test]
fn many_processes_board_one_bus_at_once() {
    let f = build(ROSTER);
    let seats: Vec<u32> = {
        let c = f.conn();
        let mut s = c
            .prepare("SELECT seat FROM passengers WHERE trip_id = 1 ORDER BY seat")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // Every passenger is checked in twice, from two terminals: once by ID, once by seat.
    let mut children = Vec::new();
    for (i, seat) in seats.iter().enumerate() {
        let idn = id(100 + i as u16);
        let by_seat = seat.to_string();
        for who in [["--id", idn.as_str()], ["--seat", by_seat.as_str()]] {
            let child = Command::new(env!("CARGO_BIN_EXE_zhitong"))
                .arg("--db")
                .arg(f.path())
                .args(["--operator", &format!("terminal-{i}"), "--lang", "en"])
                .args(["board", "--bus", BUS])
                .args(who)
                .args(["--temp", "36.5", "--json"])
                .env("ZHITONG_TODAY", fixture::DAY)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            children.push(child);
        }
    }
    let mut refused = Vec::new();
    for child in children {
        let o = child.wait_with_output().unwrap();
        let code = o.status.code().unwrap();
        if code == 4 {
            refused.push(String::from_utf8_lossy(&o.stdout).to_string());
        } else {
            assert_eq!(code, 0, "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    // Only the passenger with an expired certificate is refused: by whichever terminal came
    // first, and the other terminal then hears that the refusal stands.
    let mut codes: Vec<String> = refused
        .iter()
        .map(|r| serde_json::from_str::<serde_json::Value>(r).unwrap()["code"].to_string())
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        ["\"already-refused\"", "\"certificate\""],
        "{refused:?}"
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM passengers WHERE trip_id = 1 AND status = 'boarded'"),
        ROSTER as i64 - 1
    );
    // Exactly one recorded boarding per passenger, one refusal, one trip transition.
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'board' AND entity = 'passenger'"),
        ROSTER as i64 - 1
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'refuse' AND entity = 'passenger'"),
        1
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'board' AND entity = 'trip'"),
        1
    );
    assert_eq!(
        f.count(
            "SELECT COUNT(*) FROM (SELECT worker_id FROM audit a JOIN passengers p
               ON p.id = a.entity_id WHERE a.entity = 'passenger' AND a.action = 'board'
             GROUP BY worker_id HAVING COUNT(*) > 1)"
        ),
        0
    );
    assert_no_double_booking(&f);
    let c = dep::counts(&zhitong::store::trips::roster(&Db::from(&f.conn()), 1).unwrap());
    assert_eq!((c.boarded, c.refused, c.missing), (ROSTER as u32 - 1, 1, 0));
}

fn assert_no_double_booking(f: &fixture::Fixture) {
    assert_eq!(
        f.count(
            "SELECT COUNT(*) FROM (SELECT seat FROM passengers
             WHERE trip_id = 1 AND status IN ('planned','boarded')
             GROUP BY seat HAVING COUNT(*) > 1)"
        ),
        0,
        "a seat is held twice"
    );
    assert_eq!(
        f.count(
            "SELECT COUNT(*) FROM (SELECT worker_id FROM passengers
             WHERE status IN ('planned','boarded') GROUP BY worker_id HAVING COUNT(*) > 1)"
        ),
        0,
        "a worker is placed twice"
    );
}

/// Runs `n` attempts at the same instant, each on its own connection to the file.
fn at_once(
    f: &fixture::Fixture,
    workers: Vec<i64>,
    seat: Option<u32>,
) -> Vec<Result<u32, OpError>> {
    let gate = Arc::new(Barrier::new(workers.len()));
    let handles: Vec<_> = workers
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let db = f.path().to_path_buf();
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                let mut ctx = ctx_on(&db, &format!("terminal-{i}"));
                gate.wait();
                dep::seat_standby(&mut ctx, BUS, w, seat).map(|p| p.seat)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn refusal_code(e: &OpError) -> &str {
    match e {
        OpError::Refused { code, .. } => code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_freed_seat_goes_to_one_stand_by_only() {
    let f = build(ROSTER);
    {
        let mut ctx = f.ctx();
        for seat in [8, 9, 13] {
            dep::refuse(&mut ctx, BUS, Who::Seat(seat), RefuseReason::Fever).unwrap();
        }
    }
    let pool: Vec<i64> = (300..=303).map(|n| f.worker_id(&id(n))).collect();

    // Four terminals give seat 8 to four different stand-bys at the same moment.
    let results = at_once(&f, pool.clone(), Some(8));
    let won: Vec<usize> = (0..results.len()).filter(|&i| results[i].is_ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refusal_code(r), "seat-taken", "{r}");
    }

    // The three others ask for any free seat: two seats are left (9 and 13).
    let losers: Vec<i64> = (0..pool.len())
        .filter(|i| !won.contains(i))
        .map(|i| pool[i])
        .collect();
    let results = at_once(&f, losers, None);
    let mut seats: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    seats.sort_unstable();
    assert_eq!(seats, vec![9, 13], "{results:?}");
    let full: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(refusal_code)
        .collect();
    assert_eq!(full, vec!["full"]);

    assert_no_double_booking(&f);
    assert_eq!(
        f.count("SELECT COUNT(*) FROM passengers WHERE trip_id = 1 AND standby = 1"),
        3
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'standby' AND entity = 'passenger'"),
        3
    );
}

#[test]
fn the_schema_itself_refuses_a_second_holder_of_a_seat() {
    // Whatever the code checks first, the partial unique index has the last word, and the
    // action reports it as the rule it is.
    let f = build(2);
    let conn = f.conn();
    let err = zhitong::store::departure::insert_standby(
        &Db::from(&conn),
        1,
        f.worker_id(&id(300)),
        1,
        "t",
    )
    .unwrap_err();
    assert_eq!(
        zhitong::store::departure::conflict(&err),
        Some(zhitong::store::departure::Conflict::SeatTaken)
    );
    let err = zhitong::store::departure::insert_standby(
        &Db::from(&conn),
        1,
        f.worker_id(&id(101)),
        30,
        "t",
    )
    .unwrap_err();
    assert_eq!(
        zhitong::store::departure::conflict(&err),
        Some(zhitong::store::departure::Conflict::WorkerPlaced)
    );
}
