//! The bus door as scripts and attendants meet it through the real binary: every reading
//! counts, a fever is re-checked after a rest, and `roster --json` shows one shape.

mod door_support;
#[path = "fixtures/departure/mod.rs"]
mod fixture;

use door_support::*;
use fixture::{build, id};
use serde_json::Value;
use std::process::Command;

#[test]
fn a_fever_reading_for_a_boarded_passenger_is_never_ignored() {
    let f = build(3);
    let board = |temp: &str| {
        zt(
            &f,
            &[
                "board",
                "--bus",
                "陕G21000",
                "--id",
                &id(100),
                "--temp",
                temp,
                "--json",
            ],
        )
    };
    let o = board("36.5");
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = board("38.9");
    assert_eq!(
        code(&o),
        4,
        "a fever must not answer 'boarded': {}",
        out(&o)
    );
    assert_eq!(json(&o)["code"], "fever_recheck", "{}", out(&o));
    assert!(err(&o).contains("38.9"), "{}", err(&o));
    let (temp, status) = manifest_seat(&f, 1);
    assert_eq!(temp, "38.9", "the manifest shows the fever reading");
    assert_eq!(
        status, "re-check",
        "the passenger is off the bus, seat held"
    );
    assert_eq!(f.worker_status(&id(100)), "planned");
    assert_eq!(f.count("SELECT COUNT(*) FROM readings"), 2);
}

#[test]
fn a_first_fever_holds_the_seat_for_a_recheck_and_the_bus_at_the_door() {
    let f = build(2);
    let o = board(&f, "", &["--seat", "1"], "38.2");
    assert_eq!(refused(&o), (4, "fever_recheck".into()));
    assert!(
        err(&o).contains("re-check after a 10-minute rest; seat 1 is held"),
        "{}",
        err(&o)
    );
    let v = roster(&f);
    let p = line(&v, 1);
    assert_eq!(
        (p["status"].clone(), p["last_temp"].clone()),
        ("recheck".into(), 38.2.into())
    );
    assert_eq!(v["counts"]["recheck"], 1);
    assert_eq!(v["counts"]["expected"], 2, "the seat is still held");
    // Everyone else boards; the one in 复测 still keeps the bus.
    assert_eq!(code(&board(&f, "", &["--seat", "4"], "36.5")), 0);
    let o = zt(&f, &["depart", "--bus", "陕G21000", "--json"]);
    assert_eq!(refused(&o), (4, "unaccounted".into()));
    assert!(err(&o).contains("seats 1 (re-check)"), "{}", err(&o));
    // Nobody else can take the held seat.
    let o = zt(
        &f,
        &[
            "undo",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--reason",
            "误测",
            "--json",
        ],
    );
    assert_eq!(refused(&o), (4, "undo_fever".into()));
}

#[test]
fn a_new_reading_before_the_rest_is_kept_but_decides_nothing() {
    let f = build(1);
    assert_eq!(
        refused(&board(&f, "", &["--seat", "1"], "37.5")).1,
        "fever_recheck"
    );
    let o = board(&f, "", &["--seat", "1"], "36.6");
    assert_eq!(refused(&o), (4, "recheck_wait".into()));
    assert!(
        err(&o).contains("a re-check needs a full 10-minute rest: wait 10 more minute(s) (until"),
        "{}",
        err(&o)
    );
    assert_eq!(line(&roster(&f), 1)["status"], "recheck");
    assert_eq!(line(&roster(&f), 1)["last_temp"], 36.6, "kept and shown");
    assert_eq!(
        f.count("SELECT COUNT(*) FROM readings WHERE outcome = 'early'"),
        1
    );
    // Chinese: how long to wait, in Chinese.
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args([
            "--lang",
            "zh",
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--temp",
            "36.7",
        ])
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap();
    assert_eq!(code(&o), 4);
    assert!(
        err(&o).contains("复测须休息满 10 分钟：还需等待"),
        "{}",
        err(&o)
    );
}

#[test]
fn after_the_rest_a_normal_reading_boards_and_a_fever_refuses() {
    let f = build(2);
    assert_eq!(
        refused(&board(&f, NO_WAIT, &["--seat", "1"], "37.5")).1,
        "fever_recheck"
    );
    let o = board(&f, NO_WAIT, &["--seat", "1"], "36.9");
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["passenger"]["status"], "boarded");
    assert_eq!(json(&o)["passenger"]["temperature"], 36.9);

    assert_eq!(
        refused(&board(&f, NO_WAIT, &["--seat", "4"], "38.0")).1,
        "fever_recheck"
    );
    let o = board(&f, NO_WAIT, &["--seat", "4"], "37.8");
    assert_eq!(refused(&o), (4, "fever".into()));
    assert!(err(&o).contains("seat 4 is free"), "{}", err(&o));
    let p = line(&roster(&f), 4);
    assert_eq!(
        (
            p["status"].clone(),
            p["reason"].clone(),
            p["last_temp"].clone()
        ),
        ("refused".into(), "fever".into(), 37.8.into())
    );
    // A fever refusal is not undone; a new reading after the rest changes it.
    let o = zt(
        &f,
        &[
            "undo",
            "--bus",
            "陕G21000",
            "--seat",
            "4",
            "--reason",
            "误测",
            "--json",
        ],
    );
    assert_eq!(refused(&o), (4, "undo_fever".into()));
    let o = board(&f, NO_WAIT, &["--seat", "4"], "36.4");
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(line(&roster(&f), 4)["status"], "boarded");
    assert_eq!(
        f.count("SELECT COUNT(*) FROM readings WHERE worker_id = (SELECT worker_id FROM passengers WHERE seat = 4 AND trip_id = 1)"),
        3,
        "every reading of seat 4 is kept"
    );
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);
}

#[test]
fn under_the_strict_rule_the_first_fever_refuses() {
    let f = build(1);
    let o = board(&f, STRICT, &["--seat", "1"], "37.3");
    assert_eq!(refused(&o), (4, "fever".into()));
    assert_eq!(line(&roster(&f), 1)["status"], "refused");
    assert_eq!(f.worker_status(&id(100)), "refused");
}

#[test]
fn roster_json_has_one_shape_masks_ids_and_audits_a_reveal() {
    let f = build(3);
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    let v = roster(&f);
    let keys = |o: &Value| -> Vec<String> {
        let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "changes",
            "counts",
            "date",
            "departure",
            "eta",
            "passengers",
            "plate",
            "status",
            "trip"
        ]
    );
    assert_eq!(
        keys(&v["passengers"][0]),
        [
            "col",
            "employer",
            "id_number",
            "last_temp",
            "name",
            "observation",
            "reason",
            "row",
            "seat",
            "status",
            "village"
        ]
    );
    assert_eq!(
        keys(&v["counts"]),
        ["boarded", "expected", "no_show", "recheck", "refused", "standby"]
    );
    assert_eq!(v["trip"], "旬阳-20200221-01-1", "the trip's code");
    assert_eq!(v["plate"], "陕G21000");
    assert_eq!(v["status"], "boarding");
    assert_eq!(v["date"], fixture::DAY);
    assert_eq!(v["departure"], "2020-02-21T07:00");
    let p = line(&v, 1);
    assert_eq!((p["row"].clone(), p["col"].clone()), (1.into(), 1.into()));
    assert_eq!(p["reason"], Value::Null);
    let text = out(&zt(&f, &["roster", "--bus", "陕G21000", "--json"]));
    assert!(!text.contains(&id(100)), "masked by default");
    assert!(text.contains(&format!("{}********{}", &id(100)[..6], &id(100)[14..])));
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'reveal'"),
        0
    );
    let o = zt(&f, &["roster", "--bus", "陕G21000", "--json", "--reveal"]);
    assert!(out(&o).contains(&id(100)));
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'reveal'"),
        1
    );
    let o = zt(
        &f,
        &[
            "--readonly",
            "roster",
            "--bus",
            "陕G21000",
            "--json",
            "--reveal",
        ],
    );
    assert_eq!(code(&o), 1, "a reveal must be audited");
    let o = zt(&f, &["--readonly", "roster", "--bus", "陕G21000", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
}
