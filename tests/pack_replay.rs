//! Every kind of act the console records on a pack — a whole round of readings, a move to the
//! observation rows, a stop with its headcount — comes back into the ledger as it was on the
//! road: the same readings, the same log, the same seats, the same times and operator.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, ctx_on, id, BUS};
use zhitong::clock::{parse_now, set_thread};
use zhitong::ops::departure::{self, Who};

fn at(hhmm: &str) {
    set_thread(parse_now(&format!("2020-02-21T{hhmm}:00+08:00")));
}

type Rows = Vec<Vec<String>>;

fn rows(db: &std::path::Path, sql: &str) -> Rows {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                let v: rusqlite::types::Value = r.get(i)?;
                Ok(format!("{v:?}"))
            })
            .collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn rounds_moves_and_stops_replay_as_they_were_on_the_road() {
    let f = build(3);
    let pack = f.dir.path().join("road.pack");
    at("05:30");
    let mut office = f.ctx();
    zhitong::ops::pack::make(&mut office, BUS, &pack).unwrap();
    let w: Vec<i64> = (100..103).map(|n| f.worker_id(&id(n))).collect();

    // The console's context on the pack, made by hand: the file itself says it is a pack.
    let mut road = ctx_on(&pack, "随车员小李");
    at("06:30");
    for &worker in &w {
        departure::board(&mut road, BUS, Who::Worker(worker), "36.5").unwrap();
    }
    at("07:00");
    departure::depart(&mut road, BUS).unwrap();
    at("11:00");
    let round = departure::temperature_round(
        &mut road,
        BUS,
        &[
            (w[0], "36.6".into()),
            (w[1], "38.3".into()),
            (w[2], "36.7".into()),
        ],
    )
    .unwrap();
    assert_eq!(round.fevers.len(), 1);
    at("11:05");
    let moved = departure::move_to_observation(&mut road, BUS, Who::Worker(w[1]), "38.1").unwrap();
    at("13:00");
    departure::stop(&mut road, BUS, 3, "汉中服务区").unwrap();
    at("20:00");
    departure::arrive(&mut road, BUS, Some("陈经理"), Some(3)).unwrap();
    drop(road);

    at("21:00");
    let report = zhitong::ops::merge::merge(&mut office, &pack).unwrap();
    set_thread(None);
    assert_eq!((report.applied, report.already), (8, 0), "{report:?}");
    assert!(report.conflicts.is_empty() && report.trip_over);

    let same = |sql: &str| {
        let (l, p) = (rows(&f.db, sql), rows(&pack, sql));
        assert!(!l.is_empty(), "{sql}");
        assert_eq!(l, p, "{sql}");
    };
    same("SELECT trip_id, worker_id, seat, at, celsius, operator, place, outcome FROM readings ORDER BY id");
    same("SELECT trip_id, at, kind, headcount, worker_id, seat, temperature, note FROM trip_events ORDER BY id");
    same("SELECT id, seat, status, boarded_at, refused_reason, observation_at, changed_at FROM passengers WHERE trip_id = 1 ORDER BY id");
    same("SELECT status, departed_at, arrived_at, receiver, arrived_count FROM trips WHERE id = 1");
    let seat: u32 = rusqlite::Connection::open(&f.db)
        .unwrap()
        .query_row(
            "SELECT seat FROM passengers WHERE worker_id = ?1",
            [w[1]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        seat, moved.seat,
        "in the observation rows in the ledger too"
    );
}
