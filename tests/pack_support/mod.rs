//! The real binary on the departure fixture with a pack beside the ledger: each command runs
//! at a stated clock time (`ZHITONG_NOW`, Beijing time) as a stated operator, so that a day
//! at the office and a day on the road can be told apart in the ledger afterwards.
#![allow(dead_code)]

use crate::fixture::{self, Fixture};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const OFFICE: &str = "王科长";
pub const ROAD: &str = "随车员小李";
pub const TRIP: &str = "旬阳-20200221-01-1";

/// `2020-02-21T` + `hh:mm` + `+08:00`.
pub fn at(hhmm: &str) -> String {
    format!("2020-02-21T{hhmm}:00+08:00")
}

/// The command for `zhitong --db DB --operator WHO --lang en ARGS…` at `now`.
pub fn command(db: &Path, now: &str, who: &str, args: &[&str]) -> Command {
    command_in("en", db, now, who, args)
}

/// `command` in another interface language.
pub fn command_in(lang: &str, db: &Path, now: &str, who: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    c.arg("--db")
        .arg(db)
        .args(["--operator", who, "--lang", lang])
        .args(args)
        .env("ZHITONG_NOW", now)
        .env_remove("ZHITONG_TODAY")
        .env_remove("ZHITONG_DB");
    c
}

pub fn run(db: &Path, now: &str, who: &str, args: &[&str]) -> Output {
    command(db, now, who, args).output().unwrap()
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
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {} {}", out(o), err(o)))
}

/// A ledger (the fixture) and where its pack goes.
pub struct Day {
    pub f: Fixture,
    pub pack: PathBuf,
}

impl Day {
    /// The fixture with `roster_size` passengers on 陕G21000, under a policy without the
    /// re-check rest (the pack carries the office's policy).
    pub fn new(roster_size: usize) -> Day {
        let f = fixture::build(roster_size);
        std::fs::write(
            f.dir.path().join("policy.toml"),
            "recheck_wait_minutes = 0\n",
        )
        .unwrap();
        let pack = f.dir.path().join("陕G21000.pack");
        Day { f, pack }
    }

    fn policy(&self) -> String {
        self.f.dir.path().join("policy.toml").display().to_string()
    }

    /// At the office, on the ledger.
    pub fn office(&self, now: &str, args: &[&str]) -> Output {
        let policy = self.policy();
        let mut all = vec!["--policy", policy.as_str()];
        all.extend_from_slice(args);
        run(&self.f.db, &now_or(now), OFFICE, &all)
    }

    /// On the road, on the pack (its own policy: no `--policy`).
    pub fn road(&self, now: &str, args: &[&str]) -> Output {
        run(&self.pack, &now_or(now), ROAD, args)
    }

    /// `pack --bus 陕G21000 --out PACK` at the office; must succeed.
    pub fn make_pack(&self, now: &str) {
        let o = self.office(
            now,
            &[
                "pack",
                "--bus",
                "陕G21000",
                "--out",
                self.pack.to_str().unwrap(),
            ],
        );
        assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
    }

    /// `merge PACK --json` at the office: (exit code, report).
    pub fn merge(&self, now: &str) -> (i32, Value) {
        let o = self.office(now, &["merge", self.pack.to_str().unwrap(), "--json"]);
        let c = code(&o);
        assert!(c == 0 || c == 3, "merge: {c} {} {}", out(&o), err(&o));
        (c, json(&o))
    }

    /// `roster --trip TRIP --json` on a database.
    pub fn roster(&self, db: &Path) -> Value {
        let o = run(
            db,
            &at("23:00"),
            OFFICE,
            &["roster", "--trip", TRIP, "--json"],
        );
        assert_eq!(code(&o), 0, "{}", err(&o));
        json(&o)
    }
}

/// `hh:mm` on the day, or a full time as given.
fn now_or(now: &str) -> String {
    if now.len() == 5 {
        at(now)
    } else {
        now.to_string()
    }
}

/// The roster's passengers without the ID number (a pack shows only its last four).
pub fn lines(roster: &Value) -> Vec<Value> {
    roster["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().unwrap().remove("id_number");
            p
        })
        .collect()
}

/// The line of one seat (the record holding it, else the last on it).
pub fn seat(roster: &Value, n: u32) -> Value {
    roster["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|p| p["seat"] == n)
        .cloned()
        .unwrap_or_else(|| panic!("seat {n} not on the roster"))
}
