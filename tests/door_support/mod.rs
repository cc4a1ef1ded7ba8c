//! The real binary on the departure fixture, as the door tests drive it: run a command (under
//! a policy file when asked), read its JSON, the roster and the manifest.
#![allow(dead_code)]

use crate::fixture::{self, Fixture};
use serde_json::Value;
use std::process::{Command, Output};

pub fn zt(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args(["--operator", "随车员小李", "--lang", "en"])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap()
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}
pub fn json(o: &Output) -> Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}

/// The manifest's English CSV row of one seat, as (temperature, status).
pub fn manifest_seat(f: &Fixture, seat: u32) -> (String, String) {
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

/// `zt` under a policy file with these lines.
pub fn zt_policy(f: &Fixture, policy: &str, args: &[&str]) -> Output {
    let path = f.dir.path().join("policy.toml");
    std::fs::write(&path, policy).unwrap();
    let mut all = vec!["--policy", path.to_str().unwrap()];
    all.extend_from_slice(args);
    zt(f, &all)
}

/// A policy with re-checks but no rest: tests do not wait ten minutes.
pub const NO_WAIT: &str = "recheck_wait_minutes = 0\n";
/// The strict 2020 rule: the first fever reading refuses.
pub const STRICT: &str = "fever_rechecks = 0\nrecheck_wait_minutes = 0\n";

pub fn board(f: &Fixture, policy: &str, who: &[&str], temp: &str) -> Output {
    let mut args = vec!["board", "--bus", "陕G21000"];
    args.extend_from_slice(who);
    args.extend_from_slice(&["--temp", temp, "--json"]);
    zt_policy(f, policy, &args)
}

pub fn roster(f: &Fixture) -> Value {
    let o = zt(f, &["roster", "--bus", "陕G21000", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    json(&o)
}

/// The roster line of one seat (the record holding it, else the last one on it).
pub fn line(v: &Value, seat: u32) -> Value {
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
pub fn refused(o: &Output) -> (i32, String) {
    (code(o), json(o)["code"].as_str().unwrap_or("").to_string())
}
