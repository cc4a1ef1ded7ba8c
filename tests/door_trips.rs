//! The door on the trip and the clock, through the real binary: `ZHITONG_NOW` steps the clock
//! through a re-check's rest, `undo`, `round` and `roster` name a trip by its code as well as by
//! plate, and a trip that leaves at night takes its round after midnight and arrives the next day.

mod door_support;
#[path = "fixtures/departure/mod.rs"]
mod fixture;

use chrono::{DateTime, FixedOffset};
use door_support::{code, err, json, line, out, refused};
use fixture::{build, Fixture, BUS};
use std::process::{Command, Output};

/// The fixture's trip of 陕G21000.
const TRIP: &str = "旬阳-20200221-01-1";

/// The binary with the clock set to `now` (the default policy: one re-check after 10 minutes).
fn at(f: &Fixture, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args(["--operator", "随车员小李", "--lang", "en"])
        .args(args)
        .env_remove("ZHITONG_TODAY")
        .env("ZHITONG_NOW", now)
        .output()
        .unwrap()
}

fn board_seat(f: &Fixture, now: &str, seat: &str, temp: &str) -> Output {
    at(
        f,
        now,
        &[
            "board", "--bus", BUS, "--seat", seat, "--temp", temp, "--json",
        ],
    )
}

fn stamp(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The stored times of one seat's readings, oldest first.
fn reading_times(f: &Fixture, seat: u32) -> Vec<String> {
    f.conn()
        .prepare("SELECT at FROM readings WHERE trip_id = 1 AND seat = ?1 ORDER BY id")
        .unwrap()
        .query_map([seat], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// `at` lies within a minute after `from` (the clock runs on from where it was set).
fn just_after(at: &str, from: &str) -> bool {
    let (t, from) = (stamp(at), stamp(from));
    t >= from && t < from + chrono::Duration::minutes(1)
}

#[test]
fn a_recheck_waits_ten_minutes_on_the_clock_then_boards_or_refuses() {
    let f = build(2);
    let t0 = "2020-02-21T06:30:00+08:00";
    // Seat 1: a fever, then a normal reading too early, then one after the rest.
    assert_eq!(
        refused(&board_seat(&f, t0, "1", "38.0")),
        (4, "fever_recheck".into())
    );
    let o = board_seat(&f, "2020-02-21T06:35+08:00", "1", "36.6");
    assert_eq!(refused(&o), (4, "recheck_wait".into()));
    assert!(
        err(&o).contains("wait 5 more minute(s) (until 06:40)"),
        "{}",
        err(&o)
    );
    assert_eq!(
        line(&roster_of(&f, t0, &["--bus", BUS]), 1)["status"],
        "recheck"
    );
    let o = board_seat(&f, "2020-02-21T06:41+08:00", "1", "36.6");
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["passenger"]["status"], "boarded");
    // Seat 4: still feverish after the rest, and no re-check left: refused, seat freed.
    assert_eq!(
        refused(&board_seat(&f, t0, "4", "38.1")),
        (4, "fever_recheck".into())
    );
    let o = board_seat(&f, "2020-02-21T06:41+08:00", "4", "37.9");
    assert_eq!(refused(&o), (4, "fever".into()));
    assert!(err(&o).contains("seat 4 is free"), "{}", err(&o));
    // Every reading is kept, stamped by the clock with its offset.
    let times = reading_times(&f, 1);
    assert_eq!(times.len(), 3, "{times:?}");
    assert!(just_after(&times[0], t0), "{times:?}");
    assert!(
        just_after(&times[1], "2020-02-21T06:35:00+08:00"),
        "{times:?}"
    );
    assert!(
        just_after(&times[2], "2020-02-21T06:41:00+08:00"),
        "{times:?}"
    );
    let boarded_at: String = f
        .conn()
        .query_row(
            "SELECT boarded_at FROM passengers WHERE trip_id = 1 AND seat = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(just_after(&boarded_at, "2020-02-21T06:41:00+08:00"));
}

fn roster_of(f: &Fixture, now: &str, which: &[&str]) -> serde_json::Value {
    let mut args = vec!["roster"];
    args.extend_from_slice(which);
    args.push("--json");
    let o = at(f, now, &args);
    assert_eq!(code(&o), 0, "{}", err(&o));
    json(&o)
}

#[test]
fn undo_round_and_roster_take_the_trip_code_as_well_as_the_plate() {
    let f = build(3);
    let now = "2020-02-21T06:30+08:00";
    let by_code = ["--trip", TRIP];
    let v = roster_of(&f, now, &by_code);
    assert_eq!(
        (v["trip"].clone(), v["plate"].clone()),
        (TRIP.into(), BUS.into())
    );
    assert_eq!(roster_of(&f, now, &["--bus", BUS])["trip"], TRIP);
    for seat in ["1", "4", "5"] {
        let o = at(
            &f,
            now,
            &["board", "--trip", TRIP, "--seat", seat, "--temp", "36.5"],
        );
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    let o = at(
        &f,
        now,
        &[
            "undo",
            "--trip",
            TRIP,
            "--seat",
            "5",
            "--reason",
            "认错人",
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["trip"], TRIP);
    assert_eq!(json(&o)["passenger"]["status"], "planned");
    let o = at(
        &f,
        now,
        &[
            "refuse",
            "--trip",
            TRIP,
            "--id",
            &fixture::id(102),
            "--reason",
            "no-show",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        code(&at(
            &f,
            "2020-02-21T07:00+08:00",
            &["depart", "--trip", TRIP]
        )),
        0
    );

    let road = "2020-02-21T11:00+08:00";
    let o = at(
        &f,
        road,
        &[
            "round", "--trip", TRIP, "--seat", "4", "--temp", "38.3", "--json",
        ],
    );
    assert_eq!(refused(&o), (4, "fever_en_route".into()));
    let o = at(
        &f,
        road,
        &["round", "--trip", TRIP, "--seat", "1", "--temp", "36.4"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        format!(
            "{BUS} seat 1 {}: round reading 36.4 °C",
            line(&roster_of(&f, road, &by_code), 1)["name"]
                .as_str()
                .unwrap()
        )
    );
    let o = at(&f, "2020-02-21T18:00+08:00", &["arrive", "--trip", TRIP]);
    assert_eq!(code(&o), 0, "{}", err(&o));

    // Arrived: the bus has no open trip any more, and its trip is still there by code.
    let o = at(&f, road, &["roster", "--bus", BUS, "--json"]);
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains(&format!("--trip {TRIP}")), "{}", err(&o));
    let v = roster_of(&f, road, &by_code);
    assert_eq!(v["status"], "arrived");
    let p = line(&v, 4);
    assert_eq!(
        (p["last_temp"].clone(), p["observation"].clone()),
        (38.3.into(), true.into())
    );
    assert_eq!(line(&v, 5)["status"], "no_show");
    let o = at(
        &f,
        road,
        &[
            "undo", "--trip", TRIP, "--seat", "1", "--reason", "x", "--json",
        ],
    );
    assert_eq!(refused(&o), (4, "undo_departed".into()));
    // An unknown code, or both names at once.
    let o = at(
        &f,
        road,
        &["roster", "--trip", "旬阳-20200221-01-9", "--json"],
    );
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("旬阳-20200221-01-9"), "{}", err(&o));
    let o = at(
        &f,
        road,
        &[
            "round", "--bus", BUS, "--trip", TRIP, "--seat", "1", "--temp", "36.5",
        ],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
}

#[test]
fn a_night_trip_takes_its_round_after_midnight_and_arrives_the_next_day() {
    let f = build(3);
    for seat in ["1", "4", "5"] {
        assert_eq!(
            code(&board_seat(&f, "2020-02-21T19:40+08:00", seat, "36.5")),
            0
        );
    }
    let o = at(
        &f,
        "2020-02-21T20:00+08:00",
        &["depart", "--bus", BUS, "--json"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    // Past midnight the plate still names the trip that left yesterday.
    let night = "2020-02-22T01:30+08:00";
    let v = roster_of(&f, night, &["--bus", BUS]);
    assert_eq!(
        (v["trip"].clone(), v["date"].clone()),
        (TRIP.into(), "2020-02-21".into())
    );
    let o = at(
        &f,
        night,
        &[
            "round", "--bus", BUS, "--seat", "4", "--temp", "38.2", "--json",
        ],
    );
    assert_eq!(refused(&o), (4, "fever_en_route".into()));
    let times = reading_times(&f, 4);
    assert!(
        just_after(times.last().unwrap(), "2020-02-22T01:30:00+08:00"),
        "{times:?}"
    );
    let o = at(
        &f,
        "2020-02-22T09:00+08:00",
        &["arrive", "--bus", BUS, "--receiver", "陈主管"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).contains("under observation: seat 4")
            && out(&o).contains("(since 2020-02-22 01:30)"),
        "{}",
        out(&o)
    );
    // The manifest shows the fever with its day; the trip's log in full.
    let o = at(
        &f,
        "2020-02-22T09:05+08:00",
        &["export", "manifest", "--trip", TRIP],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = r
        .records()
        .map(Result::unwrap)
        .find(|x| &x[col("seat")] == "4")
        .unwrap();
    assert_eq!(
        &row[col("en_route")],
        "02-22 01:30 fever en route 38.2 °C (seat 4)",
        "beside the passenger, a time after midnight carries its day"
    );
    assert_eq!(&row[col("trip")], TRIP);
    let o = at(
        &f,
        "2020-02-22T09:05+08:00",
        &["export", "manifest", "--trip", TRIP, "--format", "html"],
    );
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.contains("2020-02-22 01:30 temperature round, 1 measured"),
        "{html}"
    );
    // The statistics of day 2 count the arrival then, with the clock's offset.
    let o = at(&f, "2020-02-22T09:10+08:00", &["stats", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let stats = json(&o);
    let trip = stats["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trip"] == TRIP)
        .unwrap_or_else(|| panic!("{stats}"));
    assert!(
        just_after(
            trip["departed_at"].as_str().unwrap(),
            "2020-02-21T20:00:00+08:00"
        ),
        "{trip}"
    );
    assert!(
        just_after(
            trip["arrived_at"].as_str().unwrap(),
            "2020-02-22T09:00:00+08:00"
        ),
        "{trip}"
    );
}
