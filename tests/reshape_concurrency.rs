//! Two terminals moving different passengers into the last free seat of a bus at the same
//! moment: one wins, the other hears exit 4 and a rule, and the seat is held once.

#[path = "fixtures/plan/support.rs"]
mod support;

use rusqlite::Connection;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use support::{ledger_db, zhitong};

/// 陕G21002 (33 seats, capacity 12) carries 6 of 申洲; 浙B80001 carries 18 of 海天.
const TARGET: &str = "陕G21002";
const SOURCE: &str = "浙B80001";

fn ids_on(db: &Path, plate: &str) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut s = c
        .prepare(
            "SELECT w.id_number FROM passengers p JOIN workers w ON w.id = p.worker_id
                  JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND p.status IN ('planned','recheck','boarded') ORDER BY p.seat",
        )
        .unwrap();
    s.query_map([plate], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn held(db: &Path, plate: &str) -> (i64, i64) {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT count(*), count(DISTINCT p.seat) FROM passengers p
                  JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND p.status IN ('planned','recheck','boarded')",
            [plate],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn mover(db: &Path, terminal: &str, id: &str, seat: Option<&str>) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    c.arg("--db")
        .arg(db)
        .args(["--operator", terminal, "--lang", "en", "move", "--id", id])
        .args(["--to-bus", TARGET, "--json"])
        .env("ZHITONG_TODAY", "2020-02-21")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(s) = seat {
        c.args(["--seat", s]);
    }
    c.spawn().unwrap()
}

#[test]
fn two_terminals_racing_for_the_last_seat_one_wins_the_other_is_refused() {
    let (_dir, db) = ledger_db();
    assert_eq!(
        zhitong(&db, &["plan", "--date", "2020-02-21", "--apply"]).code,
        0
    );
    let mut source = ids_on(&db, SOURCE).into_iter();
    // Fill the target up to its last free seat.
    while held(&db, TARGET).0 < 11 {
        let id = source.next().unwrap();
        let r = zhitong(&db, &["move", "--id", &id, "--to-bus", TARGET]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // Several rounds, by the plan's choice of seat and by naming the same free seat: each
    // round one move goes through and the loser gets a rule, never a database error.
    for round in 0..4 {
        let (a, b) = (source.next().unwrap(), source.next().unwrap());
        let free: Option<String> = if round % 2 == 1 {
            let c = Connection::open(&db).unwrap();
            let taken: Vec<u32> = c
                .prepare(
                    "SELECT p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
                          JOIN buses b ON b.id = t.bus_id
                     WHERE b.plate = ?1 AND p.status IN ('planned','recheck','boarded')",
                )
                .unwrap()
                .query_map([TARGET], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let layout = zhitong::model::Layout::new(33, &zhitong::model::Policy::default());
            let seat = layout
                .allowed()
                .map(|s| s.number)
                .find(|n| !taken.contains(n));
            seat.map(|n| n.to_string())
        } else {
            None
        };
        let children = [
            mover(&db, "终端甲", &a, free.as_deref()),
            mover(&db, "终端乙", &b, free.as_deref()),
        ];
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let mut codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
        codes.sort_unstable();
        assert_eq!(codes, [0, 4], "round {round}: {outs:?}");
        let loser = outs.iter().find(|o| o.status.code() == Some(4)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&loser.stdout).unwrap();
        let code = v["code"].as_str().unwrap();
        assert!(
            ["bus_full", "seat-taken"].contains(&code),
            "round {round}: {v}"
        );
        assert!(!String::from_utf8_lossy(&loser.stderr).contains("UNIQUE"));
        // Full, each seat once; the loser is still on their own bus.
        assert_eq!(held(&db, TARGET), (12, 12));
        let winner = if outs[0].status.code() == Some(0) {
            &a
        } else {
            &b
        };
        let loser_id = if winner == &a { &b } else { &a };
        assert!(ids_on(&db, SOURCE).contains(loser_id));
        // Free the seat again for the next round.
        let r = zhitong(&db, &["move", "--id", winner, "--to-bus", SOURCE]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}
