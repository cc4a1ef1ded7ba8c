//! A whole departure day with the real binary, from the spreadsheets to the factory gate:
//! import, plan, check everyone in at the door, a stand-by in a freed seat, depart, arrive.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use zhitong::model::SeatStatus;
use zhitong::ops::departure::{self as dep, Who};
use zhitong::store::trips;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/departure");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The county's policy for the day: the 2020 defaults, re-checks without the rest period
/// (a test does not wait ten minutes).
const POLICY: &str = "recheck_wait_minutes = 0\n";

fn zt(db: &Path, args: &[&str]) -> Run {
    let policy = db.with_file_name("policy.toml");
    if !policy.exists() {
        std::fs::write(&policy, POLICY).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .arg("--policy")
        .arg(&policy)
        .args(["--operator", "刘干事", "--lang", "en"])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .env_remove("ZHITONG_DB")
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).trim().to_string(),
        stderr: String::from_utf8_lossy(&o.stderr).trim().to_string(),
    }
}

fn ok(db: &Path, args: &[&str]) -> Run {
    let r = zt(db, args);
    assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
    r
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn from_the_ledger_to_the_factory_gate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    for kind in ["employers", "workers", "fleet"] {
        let file = Path::new(FIXTURES).join(format!("{kind}.csv"));
        ok(&db, &["import", kind, file.to_str().unwrap(), "--strict"]);
    }
    ok(&db, &["plan", "--date", fixture::DAY, "--apply"]);

    // The plan seated 18 of the 20 eligible workers (the 45-seat coach's capacity).
    let mut ctx = fixture::ctx_on(&db, "刘干事");
    let trip = dep::bus_trip(&ctx, "陕G21000").unwrap();
    let roster = trips::roster(&ctx.store.db(), trip.trip_id).unwrap();
    assert_eq!(roster.len(), 18);
    let stand_bys = dep::standby_candidates(&ctx, "陕G21000").unwrap();
    assert_eq!(stand_bys.len(), 2);

    let seats: Vec<u32> = roster.iter().map(|p| p.seat).collect();
    let (fever_seat, no_show_seat) = (seats[3], seats[10]);
    for &seat in &seats {
        let s = seat.to_string();
        let temp = if seat == fever_seat { "38.2" } else { "36.6" };
        if seat == no_show_seat {
            continue;
        }
        let r = zt(
            &db,
            &["board", "--bus", "陕G21000", "--seat", &s, "--temp", temp],
        );
        let want = if seat == fever_seat { 4 } else { 0 };
        assert_eq!(r.code, want, "seat {seat}: {}{}", r.stdout, r.stderr);
    }
    // Someone is still missing and the fever waits for its re-check: the bus may not leave.
    let r = zt(&db, &["depart", "--bus", "陕G21000", "--json"]);
    assert_eq!(
        (r.code, json(&r)["code"].clone()),
        (4, "unaccounted".into())
    );
    assert!(
        r.stderr
            .contains(&format!("(seats {fever_seat} (re-check), {no_show_seat})")),
        "{}",
        r.stderr
    );
    // Re-checked after the rest, still high: refused, the seat freed.
    let s = fever_seat.to_string();
    let r = zt(
        &db,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            &s,
            "--temp",
            "38.0",
            "--json",
        ],
    );
    assert_eq!((r.code, json(&r)["code"].clone()), (4, "fever".into()));

    let id_of = |seat: u32| {
        roster
            .iter()
            .find(|p| p.seat == seat)
            .and_then(|p| p.id_number.clone())
            .unwrap()
    };
    let r = ok(
        &db,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id_of(no_show_seat),
            "--reason",
            "no-show",
            "--json",
        ],
    );
    assert_eq!(json(&r)["counts"]["missing"], 0);

    // The fever's seat goes to a stand-by of the same employer, who is then checked in.
    let sb = &stand_bys[0];
    let p = dep::seat_standby(&mut ctx, "陕G21000", sb.worker_id, Some(fever_seat)).unwrap();
    assert_eq!((p.seat, p.status), (fever_seat, SeatStatus::Planned));
    let r = ok(
        &db,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &sb.id_number,
            "--temp",
            "36.3",
            "--json",
        ],
    );
    let v = json(&r);
    assert_eq!(v["passenger"]["standby"], true);
    assert_eq!(v["counts"]["boarded"], 17);
    assert_eq!(v["counts"]["expected"], 17);

    let r = ok(&db, &["depart", "--bus", "陕G21000", "--json"]);
    let v = json(&r);
    assert_eq!(v["status"], "departed");
    assert_eq!(
        (
            v["counts"]["boarded"].clone(),
            v["counts"]["refused"].clone(),
            v["counts"]["no_show"].clone()
        ),
        (17.into(), 1.into(), 1.into())
    );

    // On the road: a round, a fever moved to the back, a stop.
    let aboard: Vec<(i64, String)> = trips::roster(&ctx.store.db(), trip.trip_id)
        .unwrap()
        .into_iter()
        .filter(|p| p.status == SeatStatus::Boarded)
        .map(|p| {
            (
                p.worker_id,
                if p.seat == seats[0] { "37.5" } else { "36.5" }.to_string(),
            )
        })
        .collect();
    let round = dep::temperature_round(&mut ctx, "陕G21000", &aboard).unwrap();
    assert_eq!((round.measured, round.fevers.len()), (17, 1));
    let moved =
        dep::move_to_observation(&mut ctx, "陕G21000", Who::Seat(seats[0]), "37.5").unwrap();
    assert!(
        moved.seat > 36,
        "observation rows of a 45-seat coach: {}",
        moved.seat
    );
    assert!(
        dep::stop(&mut ctx, "陕G21000", 17, "商洛服务区")
            .unwrap()
            .matches
    );

    let r = ok(
        &db,
        &[
            "arrive",
            "--bus",
            "陕G21000",
            "--receiver",
            "陈经理",
            "--json",
        ],
    );
    let v = json(&r);
    assert_eq!(v["headcount"], 17);
    assert_eq!(v["refused"]["fever"], 1);
    assert_eq!(v["no_show"], 1);
    assert_eq!(v["standby"], 1);
    assert_eq!(v["moved_to_observation"], 1);
    // Handed over as under observation, on the observation seat, with the latest reading.
    assert_eq!(v["observation"][0]["seat"], moved.seat);
    assert_eq!(v["observation"][0]["last_temp"], 37.5);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM workers WHERE status = 'arrived'"),
        17
    );
    // The fever stays refused; the no-show went back to the pool when the bus left.
    assert_eq!(
        count("SELECT COUNT(*) FROM workers WHERE status = 'refused'"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM workers WHERE status = 'registered'"),
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM audit WHERE operator = '刘干事' AND action = 'arrive'"),
        18
    );
}
