//! The bus door as scripts and attendants meet it through the real binary: every reading
//! counts, a fever is re-checked, a door decision can be undone, rounds on the road.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, id, Fixture};
use serde_json::Value;
use std::process::{Command, Output};

fn zt(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args(["--operator", "随车员小李", "--lang", "en"])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}
fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}
fn json(o: &Output) -> Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}

/// The manifest's English CSV row of one seat, as (temperature, status).
fn manifest_seat(f: &Fixture, seat: u32) -> (String, String) {
    let o = zt(f, &["export", "manifest", "--bus", "陕G21000"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (s, t, st) = (col("seat"), col("temperature"), col("status"));
    r.records()
        .map(Result::unwrap)
        .find(|rec| rec[s] == seat.to_string())
        .map(|rec| (rec[t].to_string(), rec[st].to_string()))
        .unwrap_or_else(|| panic!("seat {seat} not on the manifest"))
}

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

/// `zt` under a policy file with these lines.
fn zt_policy(f: &Fixture, policy: &str, args: &[&str]) -> Output {
    let path = f.dir.path().join("policy.toml");
    std::fs::write(&path, policy).unwrap();
    let mut all = vec!["--policy", path.to_str().unwrap()];
    all.extend_from_slice(args);
    zt(f, &all)
}

/// A policy with re-checks but no rest: tests do not wait ten minutes.
const NO_WAIT: &str = "recheck_wait_minutes = 0\n";
/// The strict 2020 rule: the first fever reading refuses.
const STRICT: &str = "fever_rechecks = 0\nrecheck_wait_minutes = 0\n";

fn board(f: &Fixture, policy: &str, who: &[&str], temp: &str) -> Output {
    let mut args = vec!["board", "--bus", "陕G21000"];
    args.extend_from_slice(who);
    args.extend_from_slice(&["--temp", temp, "--json"]);
    zt_policy(f, policy, &args)
}

fn roster(f: &Fixture) -> Value {
    let o = zt(f, &["roster", "--bus", "陕G21000", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    json(&o)
}

/// The roster line of one seat (the record holding it, else the last one on it).
fn line(v: &Value, seat: u32) -> Value {
    v["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|p| p["seat"] == seat)
        .cloned()
        .unwrap_or_else(|| panic!("seat {seat} not on the roster: {v}"))
}

/// (exit code, JSON code) of a refusal.
fn refused(o: &Output) -> (i32, String) {
    (code(o), json(o)["code"].as_str().unwrap_or("").to_string())
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
fn undo_reverses_a_door_decision_with_its_reason() {
    let f = build(6);
    let undo = |who: &[&str], reason: &str| {
        let mut args = vec!["undo", "--bus", "陕G21000"];
        args.extend_from_slice(who);
        args.extend_from_slice(&["--reason", reason, "--json"]);
        zt(&f, &args)
    };
    // Boarded the wrong person: back to be checked.
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    let o = undo(&["--seat", "1"], "认错人");
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["passenger"]["status"], "planned");
    assert_eq!(f.worker_status(&id(100)), "planned");
    // Refused for identity, certificate, or marked no-show by a slip of the finger.
    let refuse = |id_number: &str, reason: &str| {
        zt(
            &f,
            &[
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                id_number,
                "--reason",
                reason,
            ],
        )
    };
    assert_eq!(code(&refuse(&id(101), "identity")), 0);
    assert_eq!(code(&refuse(&id(102), "no-show")), 0);
    assert_eq!(
        refused(&board(&f, "", &["--id", &id(105)], "36.5")).1,
        "certificate"
    );
    for (who, name) in [
        (id(101), "identity"),
        (id(102), "no-show"),
        (id(105), "certificate"),
    ] {
        let o = undo(&["--id", &who], "按错了");
        assert_eq!(code(&o), 0, "{name}: {}", err(&o));
        assert_eq!(json(&o)["passenger"]["status"], "planned", "{name}");
    }
    let v = roster(&f);
    assert_eq!(v["counts"]["refused"], 0);
    assert_eq!(v["counts"]["no_show"], 0);
    // Each undo is audited with its reason and no personal data.
    let reasons: Vec<String> = {
        let conn = f.conn();
        let mut stmt = conn
            .prepare("SELECT after FROM audit WHERE action = 'undo' AND entity = 'passenger'")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(reasons.len(), 4);
    assert!(reasons.iter().all(|a| a.contains("\"why\"")), "{reasons:?}");
    assert!(reasons.iter().any(|a| a.contains("认错人")));
    assert!(!reasons.iter().any(|a| a.contains(&id(100))));
    // Nothing to undo for someone not checked yet.
    let o = undo(&["--seat", "8"], "试试");
    assert_eq!(refused(&o), (4, "undo_nothing".into()));
    // A reason is required.
    assert_eq!(
        code(&zt(&f, &["undo", "--bus", "陕G21000", "--seat", "1"])),
        2
    );
    assert_eq!(code(&undo(&["--seat", "1"], "  ")), 2);
}

#[test]
fn undo_cannot_take_back_a_seat_given_to_a_stand_by_nor_anything_after_departure() {
    let f = build(2);
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--reason",
            "no-show",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    {
        let mut ctx = f.ctx();
        zhitong::ops::departure::seat_standby(&mut ctx, "陕G21000", f.worker_id(&id(300)), Some(1))
            .unwrap();
    }
    let undo = |who: &str| {
        zt(
            &f,
            &[
                "undo",
                "--bus",
                "陕G21000",
                "--id",
                who,
                "--reason",
                "来晚了",
                "--json",
            ],
        )
    };
    assert_eq!(refused(&undo(&id(100))), (4, "seat-taken".into()));
    for who in [id(300), id(101)] {
        assert_eq!(code(&board(&f, "", &["--id", &who], "36.5")), 0);
    }
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);
    let o = undo(&id(101));
    assert_eq!(refused(&o), (4, "undo_departed".into()));
    assert_eq!(line(&roster(&f), 4)["status"], "boarded");
}

#[test]
fn a_round_reading_is_kept_and_a_fever_marks_observation() {
    let f = build(3);
    let round = |who: &[&str], temp: &str| {
        let mut args = vec!["round", "--bus", "陕G21000"];
        args.extend_from_slice(who);
        args.extend_from_slice(&["--temp", temp, "--json"]);
        zt(&f, &args)
    };
    assert_eq!(
        refused(&round(&["--seat", "1"], "36.5")),
        (4, "not-departed".into())
    );
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    assert_eq!(code(&board(&f, "", &["--seat", "4"], "36.6")), 0);
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(102),
            "--reason",
            "identity",
        ],
    );
    assert_eq!(code(&o), 0);
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);

    let o = round(&["--seat", "1"], "36.8");
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = zt(
        &f,
        &[
            "round",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--temp",
            "36.7",
        ],
    );
    assert_eq!(out(&o), "陕G21000 seat 1 张伟: round reading 36.7 °C");
    let o = round(&["--id", &id(101)], "38.3");
    assert_eq!(refused(&o), (4, "fever_en_route".into()));
    assert!(
        err(&o).contains("seat 4) has a fever en route, 38.3 °C: marked for observation"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("free seats 37, 38"), "{}", err(&o));
    let v = roster(&f);
    let p = line(&v, 4);
    assert_eq!(
        (
            p["status"].clone(),
            p["last_temp"].clone(),
            p["observation"].clone()
        ),
        ("boarded".into(), 38.3.into(), true.into())
    );
    assert_eq!(line(&v, 1)["observation"], false);
    assert_eq!(line(&v, 1)["last_temp"], 36.7);
    // Not aboard; a typing error; another bus's passenger.
    assert_eq!(
        refused(&round(&["--seat", "5"], "36.5")),
        (4, "not-aboard".into())
    );
    assert_eq!(code(&round(&["--seat", "1"], "3.65")), 1);
    assert_eq!(
        refused(&round(&["--id", &id(200)], "36.5")),
        (4, "wrong-bus".into())
    );
    // Readings of the round and the trip log agree.
    assert_eq!(
        f.count("SELECT COUNT(*) FROM readings WHERE place = 'round'"),
        3
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM trip_events WHERE kind = 'round'"),
        3
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM trip_events WHERE kind = 'fever' AND note = 'en route'"),
        1
    );
    // The hand-over names whoever is under observation.
    let o = zt(&f, &["arrive", "--bus", "陕G21000", "--receiver", "陈主管"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).contains("under observation: seat 4 王芳 38.3 °C"),
        "{}",
        out(&o)
    );
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
            "counts",
            "date",
            "departure",
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
