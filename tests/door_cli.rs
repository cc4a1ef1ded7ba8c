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
