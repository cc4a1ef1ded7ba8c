//! Reshaping a planned day through the real binary, on a ledger built with `zhitong import`
//! and planned with `plan --apply`: move, swap, cancel, the receivers per employer at the gate,
//! and the plan's warnings about changes after planning.
//!
//! The fixture day (plan of 2020-02-21): 苏州 陕G21000 (14); 宁波 浙B80001 (18, 海天),
//! 陕G21001 (18, 海天 + 申洲), 陕G21002 (6 of 12, 申洲); 西安 陕G21003 (3); 汉滨's 宁波 bus
//! 陕G30001 (6, 申洲). 陕G21009 (53 seats, offered for the 22nd) runs no trip.

#[path = "fixtures/plan/support.rs"]
mod support;

use rusqlite::Connection;
use serde_json::Value;
use std::path::Path;
use support::{ledger_db, zhitong, Run};

const DAY: &str = "2020-02-21";

/// A 19-seat coach of 旬阳县: five passengers under the 2020 rules.
const MINIBUS: &str = "plate,seats,operator,driver1,driver1_phone,county\n陕G21010,19,旬阳客运,魏师傅,13809150020,旬阳县\n";

/// Imports `csv` (a fleet file, header included) as more coaches of the fleet.
fn add_coaches(dir: &tempfile::TempDir, db: &std::path::Path, csv: &str) {
    let extra = dir.path().join("coaches.csv");
    std::fs::write(&extra, csv).unwrap();
    assert_eq!(
        zhitong(db, &["import", "fleet", extra.to_str().unwrap()]).code,
        0
    );
}

fn planned() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", DAY, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, db)
}

fn q<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// ID numbers of the passengers holding a seat on a bus's open trip, by seat.
fn ids_on(db: &Path, plate: &str) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut s = c
        .prepare(
            "SELECT w.id_number FROM passengers p JOIN workers w ON w.id = p.worker_id
                  JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND t.status IN ('planned','boarding','departed')
               AND p.status IN ('planned','recheck','boarded')
             ORDER BY p.seat",
        )
        .unwrap();
    s.query_map([plate], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn refusal(r: &Run) -> (i32, String) {
    (
        r.code,
        r.json()["code"].as_str().unwrap_or_default().to_string(),
    )
}

fn roster(db: &Path, which: &[&str]) -> Value {
    let mut args = vec!["roster"];
    args.extend_from_slice(which);
    args.push("--json");
    let r = zhitong(db, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

/// Boards everyone holding a seat on the bus and sends it on the road.
fn depart(db: &Path, plate: &str) {
    for id in ids_on(db, plate) {
        let r = zhitong(
            db,
            &["board", "--bus", plate, "--id", &id, "--temp", "36.4"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let r = zhitong(db, &["depart", "--bus", plate]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_move_is_refused_by_the_rule_it_breaks_and_nothing_is_written() {
    let (dir, db) = planned();
    let haitian = ids_on(&db, "浙B80001")[0].clone();
    let audit_before: i64 = q(&db, "SELECT count(*) FROM audit");
    let mv = |extra: &[&str]| {
        let mut args = vec!["move", "--id", haitian.as_str(), "--json"];
        args.extend_from_slice(extra);
        zhitong(&db, &args)
    };
    // 苏州 is not where 海天's gate is.
    let r = mv(&["--to-bus", "陕G21000"]);
    assert_eq!(refusal(&r), (4, "different_city".into()));
    assert!(r.stderr.contains("宁波市"), "{}", r.stderr);
    // 陕G21001 holds its 18 of 18.
    assert_eq!(
        refusal(&mv(&["--to-bus", "陕G21001"])),
        (4, "bus_full".into())
    );
    // Seat 2 is kept empty by the spacing rule; seat 1 is someone's; 40 is in the
    // observation rows of a 33-seat coach.
    let r = mv(&["--to-bus", "陕G21002", "--seat", "2"]);
    assert_eq!(refusal(&r), (4, "seat_blocked".into()));
    assert!(r.stderr.contains("spacing"), "{}", r.stderr);
    assert_eq!(
        refusal(&mv(&["--to-bus", "陕G21002", "--seat", "1"])),
        (4, "seat-taken".into())
    );
    assert_eq!(
        refusal(&mv(&["--to-bus", "陕G21002", "--seat", "29"])),
        (4, "seat_blocked".into())
    );
    // Its own bus with no other seat named.
    assert_eq!(
        refusal(&mv(&["--to-bus", "浙B80001"])),
        (4, "same_bus".into())
    );
    // One employer a bus: 陕G21002 carries 申洲 already.
    let policy = dir.path().join("one-stop.toml");
    std::fs::write(&policy, "max_stops = 1\n").unwrap();
    let r = zhitong(
        &db,
        &[
            "--policy",
            policy.to_str().unwrap(),
            "move",
            "--id",
            &haitian,
            "--to-bus",
            "陕G21002",
        ],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("at most 1"), "{}", r.stderr);
    // Someone holding no seat (no certificate), and nobody at all.
    let unplaced = support::id_without_certificate();
    let r = zhitong(
        &db,
        &["move", "--id", &unplaced, "--to-bus", "陕G21002", "--json"],
    );
    assert_eq!(refusal(&r), (4, "not_placed".into()));
    let r = zhitong(
        &db,
        &["move", "--id", "11010519491231002X", "--to-bus", "陕G21002"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("110105********002X"),
        "masked: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("11010519491231002X"));
    let r = zhitong(
        &db,
        &["move", "--id", "110105194912310021", "--to-bus", "陕G21002"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let audit_after: i64 = q(&db, "SELECT count(*) FROM audit");
    assert_eq!(audit_before, audit_after, "refusals write nothing");
    // A bus that has left takes nobody.
    depart(&db, "陕G30001");
    let shenzhou = ids_on(&db, "陕G21002")[0].clone();
    let r = zhitong(
        &db,
        &["move", "--id", &shenzhou, "--to-bus", "陕G30001", "--json"],
    );
    assert_eq!(refusal(&r), (4, "departed".into()));
}

#[test]
fn a_moved_passenger_sits_on_the_new_bus_checked_again_with_their_readings() {
    let (_dir, db) = planned();
    let id = ids_on(&db, "浙B80001")[3].clone();
    let r = zhitong(
        &db,
        &["board", "--bus", "浙B80001", "--id", &id, "--temp", "36.6"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = zhitong(
        &db,
        &[
            "move",
            "--id",
            &id,
            "--to-bus",
            "陕G21002",
            "--reason",
            "和同乡同车",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["from", "id_number", "name", "status", "to", "worker_id"]
    );
    assert!(v["id_number"].as_str().unwrap().contains("********"));
    assert_eq!(v["from"]["plate"], "浙B80001");
    assert_eq!(v["to"]["plate"], "陕G21002");
    assert_eq!(v["to"]["trip"], "旬阳-20200221-02-3");
    assert_eq!(
        v["status"], "planned",
        "aboard one bus is not aboard another"
    );
    let seat = v["to"]["seat"].as_u64().unwrap();
    // The new roster has them, to be checked, with the reading taken at the first door.
    let to = roster(&db, &["--bus", "陕G21002"]);
    let line = to["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seat"] == seat)
        .cloned()
        .unwrap();
    assert_eq!(line["status"], "planned");
    assert_eq!(line["last_temp"], 36.6);
    assert_eq!(to["counts"]["expected"], 7);
    let from = roster(&db, &["--bus", "浙B80001"]);
    assert_eq!(from["counts"]["expected"], 17);
    assert_eq!(from["counts"]["boarded"], 0);
    // Both trips' histories tell the move; the reason is kept beside the audit log.
    assert_eq!(from["changes"][0]["kind"], "move");
    assert_eq!(from["changes"][0]["from_trip"], "旬阳-20200221-02-1");
    assert_eq!(from["changes"][0]["trip"], "旬阳-20200221-02-3");
    assert_eq!(to["changes"][0]["kind"], "move");
    assert_eq!(to["changes"][0]["reason"], "和同乡同车");
    let audit: String = q(
        &db,
        "SELECT operator || ' ' || action || ' ' || entity FROM audit ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(audit, "王科长 move passenger");
    let worker: String = q(
        &db,
        &format!("SELECT status FROM workers WHERE id_number = '{id}'"),
    );
    assert_eq!(worker, "planned");
    // Another seat on the same bus: named, and a seat the layout allows.
    let r = zhitong(
        &db,
        &[
            "move",
            "--id",
            &id,
            "--to-bus",
            "陕G21002",
            "--seat",
            "24",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["to"]["seat"], 24);
}

#[test]
fn a_swap_keeps_the_trip_and_shows_the_new_plate_everywhere() {
    let (dir, db) = planned();
    add_coaches(
        &dir,
        &db,
        "plate,seats,operator,driver1,driver1_phone,county\n\
         陕G21010,19,旬阳客运,魏师傅,13809150020,旬阳县\n\
         陕G21011,53,安康汽运,严师傅,13809150021,旬阳县\n",
    );
    let before = roster(&db, &["--bus", "陕G21001"]);
    // A 19-seat coach allows 5 under the 2020 rules: 13 short.
    let r = zhitong(
        &db,
        &["swap", "--bus", "陕G21001", "--to", "陕G21010", "--json"],
    );
    assert_eq!(refusal(&r), (4, "shortfall".into()));
    assert!(r.stderr.contains("13 seat(s) short"), "{}", r.stderr);
    // A coach on another trip cannot stand in.
    let r = zhitong(
        &db,
        &["swap", "--bus", "陕G21001", "--to", "陕G21000", "--json"],
    );
    assert_eq!(refusal(&r), (4, "bus_busy".into()));
    assert!(r.stderr.contains("旬阳-20200221-01-1"), "{}", r.stderr);
    // 陕G21009 is offered for the next day only.
    let r = zhitong(
        &db,
        &["swap", "--bus", "陕G21001", "--to", "陕G21009", "--json"],
    );
    assert_eq!(refusal(&r), (4, "not_available".into()));
    let r = zhitong(
        &db,
        &[
            "swap",
            "--bus",
            "陕G21001",
            "--to",
            "陕G·21011",
            "--reason",
            "发动机故障",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.json();
    assert_eq!(s["trip"], "旬阳-20200221-02-2");
    assert_eq!(
        (s["from_plate"].as_str(), s["to_plate"].as_str()),
        (Some("陕G21001"), Some("陕G21011"))
    );
    assert_eq!(s["passengers"], 18);
    assert_eq!(s["kept_crew"], false);
    // 45 → 53 seats: every seat number the 45-seat coach allowed is allowed on the 53.
    assert_eq!(s["reseated"].as_array().unwrap().len(), 0);
    let after = roster(&db, &["--trip", "旬阳-20200221-02-2"]);
    assert_eq!(after["plate"], "陕G21011");
    assert_eq!(
        after["passengers"], before["passengers"],
        "same people, seats and statuses"
    );
    let change = &after["changes"][0];
    assert_eq!(
        (change["from_plate"].as_str(), change["to_plate"].as_str()),
        (Some("陕G21001"), Some("陕G21011"))
    );
    assert_eq!(change["reason"], "发动机故障");
    // The replaced coach has no trip left; the substitute answers for it, and whoever types
    // the old plate is told where the trip went.
    let old = zhitong(&db, &["roster", "--bus", "陕G21001"]);
    assert_eq!(old.code, 1);
    assert!(
        old.stderr
            .contains("trip 旬阳-20200221-02-2 now runs on 陕G21011"),
        "{}",
        old.stderr
    );
    assert_eq!(
        roster(&db, &["--bus", "陕G21011"])["trip"],
        "旬阳-20200221-02-2"
    );
    // Papers and statistics name the new plate and its crew.
    let m = zhitong(&db, &["export", "manifest", "--trip", "旬阳-20200221-02-2"]);
    assert!(
        m.stdout.contains("陕G21011") && m.stdout.contains("严师傅"),
        "{}",
        m.stdout
    );
    assert!(!m.stdout.contains("陕G21001"));
    let stats = zhitong(&db, &["stats", "--date", DAY, "--json"]).json();
    let t = stats["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trip"] == "旬阳-20200221-02-2")
        .cloned()
        .unwrap();
    assert_eq!(t["plate"], "陕G21011");
    // The old coach is free again for the next day's plan.
    let next = zhitong(&db, &["plan", "--date", "2020-02-22", "--json"]).json();
    let busy: Vec<&Value> = next["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "bus-busy" && w["plate"] == "陕G21001")
        .collect();
    assert!(busy.is_empty(), "{busy:?}");
}

#[test]
fn a_breakdown_on_the_road_keeps_the_crew_if_asked_and_holds_the_broken_coach() {
    let (_dir, db) = planned();
    depart(&db, "陕G21002");
    let r = zhitong(
        &db,
        &[
            "swap",
            "--bus",
            "陕G21002",
            "--to",
            "陕G21009",
            "--keep-crew",
            "--reason",
            "途中爆胎",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("陕G21002 → 陕G21009"), "{}", r.stdout);
    let v = roster(&db, &["--bus", "陕G21009"]);
    assert_eq!(v["status"], "departed");
    assert_eq!(v["counts"]["boarded"], 6);
    assert_eq!(v["changes"][0]["on_road"], true);
    // The crew who drove from home drives on: 李师傅 of 陕G21002, not 陕G21009's 沈师傅.
    let m = zhitong(&db, &["export", "manifest", "--bus", "陕G21009"]);
    assert!(
        m.stdout.contains("李师傅") && !m.stdout.contains("沈师傅"),
        "{}",
        m.stdout
    );
    // The broken coach is far from home: the next day's plan does not offer it.
    let next = zhitong(&db, &["plan", "--date", "2020-02-22", "--json"]).json();
    assert!(
        next["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["kind"] == "bus-busy" && w["plate"] == "陕G21002"),
        "{}",
        next["warnings"]
    );
    // Arrived: the trip's roster is closed to swaps.
    assert_eq!(zhitong(&db, &["arrive", "--bus", "陕G21009"]).code, 0);
    let r = zhitong(
        &db,
        &[
            "swap",
            "--trip",
            "旬阳-20200221-02-3",
            "--to",
            "陕G21002",
            "--json",
        ],
    );
    assert_eq!(refusal(&r), (4, "closed".into()));
}

#[test]
fn a_cancelled_trip_returns_its_passengers_to_the_pool_and_stays_in_the_figures() {
    let (_dir, db) = planned();
    let ids = ids_on(&db, "陕G30001");
    let r = zhitong(&db, &["cancel", "--bus", "陕G30001"]);
    assert_eq!(r.code, 2, "the reason is required: {}", r.stderr);
    let r = zhitong(&db, &["cancel", "--bus", "陕G30001", "--reason", "  "]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = zhitong(
        &db,
        &[
            "cancel",
            "--bus",
            "陕G30001",
            "--reason",
            "车辆故障\u{202e}",
            "--json",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = zhitong(
        &db,
        &[
            "cancel",
            "--bus",
            "陕G30001",
            "--reason",
            "车辆故障",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["trip"], "汉滨-20200221-01-1");
    assert_eq!(v["status"], "cancelled");
    assert_eq!(v["released"], 6);
    for id in &ids {
        let s: String = q(
            &db,
            &format!("SELECT status FROM workers WHERE id_number = '{id}'"),
        );
        assert_eq!(s, "registered");
    }
    // Plannable again at once: the day's plan seats them.
    let plan = zhitong(&db, &["plan", "--date", DAY, "--json"]).json();
    let placed: Vec<String> = plan["buses"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["passengers"].as_array().unwrap().iter())
        .map(|p| p["worker"].to_string())
        .collect();
    assert_eq!(placed.len(), 6, "{plan}");
    // The trip stays, cancelled, in the statistics and its history.
    let stats = zhitong(&db, &["stats", "--date", DAY, "--json"]).json();
    assert!(stats["trips"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["trip"] == "汉滨-20200221-01-1" && t["status"] == "cancelled"));
    let h = roster(&db, &["--trip", "汉滨-20200221-01-1"]);
    assert_eq!(h["status"], "cancelled");
    let kinds: Vec<&str> = h["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "release").count(), 6);
    assert_eq!(kinds.last(), Some(&"cancel"));
    // Cancelled once is closed; a bus that left cannot be cancelled.
    let r = zhitong(
        &db,
        &[
            "cancel",
            "--trip",
            "汉滨-20200221-01-1",
            "--reason",
            "再次",
            "--json",
        ],
    );
    assert_eq!(refusal(&r), (4, "closed".into()));
    depart(&db, "陕G21003");
    let r = zhitong(
        &db,
        &["cancel", "--bus", "陕G21003", "--reason", "x", "--json"],
    );
    assert_eq!(refusal(&r), (4, "departed".into()));
}

#[test]
fn each_employer_of_a_mixed_bus_has_its_own_receiver_at_the_gate() {
    let (_dir, db) = planned();
    depart(&db, "陕G21001");
    let r = zhitong(
        &db,
        &[
            "arrive",
            "--bus",
            "陕G21001",
            "--receiver",
            "宁波苏州厂=陈经理",
            "--json",
        ],
    );
    assert_eq!(r.code, 2, "not an employer of this bus: {}", r.stderr);
    assert!(
        r.stderr.contains("宁波海天电子厂"),
        "lists the bus's employers: {}",
        r.stderr
    );
    let r = zhitong(
        &db,
        &[
            "arrive",
            "--bus",
            "陕G21001",
            "--receiver",
            "甲",
            "--receiver",
            "乙",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let status: String = q(
        &db,
        "SELECT status FROM trips WHERE code = '旬阳-20200221-02-2'",
    );
    assert_eq!(status, "departed", "nothing written");
    let r = zhitong(
        &db,
        &[
            "arrive",
            "--bus",
            "陕G21001",
            "--receiver",
            "宁波海天电子厂=陈经理",
            "--receiver",
            "宁波申洲服装厂 = 林经理",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let got: Vec<(String, String, u64)> = v["receivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["employer"].as_str().unwrap().to_string(),
                x["name"].as_str().unwrap().to_string(),
                x["passengers"].as_u64().unwrap(),
            )
        })
        .collect();
    let n_haitian = got.iter().find(|g| g.0 == "宁波海天电子厂").unwrap().2;
    assert_eq!(got.iter().map(|g| g.2).sum::<u64>(), 18);
    assert!(got.contains(&("宁波海天电子厂".into(), "陈经理".into(), n_haitian)));
    assert!(got
        .iter()
        .any(|g| g.0 == "宁波申洲服装厂" && g.1 == "林经理"));
    // The hand-over on the papers names both.
    let m = zhitong(
        &db,
        &[
            "export",
            "manifest",
            "--trip",
            "旬阳-20200221-02-2",
            "--format",
            "html",
        ],
    );
    assert!(
        m.stdout
            .contains("宁波海天电子厂：陈经理；宁波申洲服装厂：林经理"),
        "{}",
        m.stdout
    );
    // One name for all still works.
    depart(&db, "浙B80001");
    let r = zhitong(
        &db,
        &[
            "arrive",
            "--bus",
            "浙B80001",
            "--receiver",
            "陈经理",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["receiver"], "陈经理");
    assert_eq!(r.json()["receivers"][0]["name"], "陈经理");
}

#[test]
fn the_plan_warns_of_changed_employers_overfull_ones_and_small_buses() {
    let (dir, db) = planned();
    let warnings = |extra: &[&str]| -> Vec<Value> {
        let mut args = extra.to_vec();
        args.extend_from_slice(&["plan", "--date", DAY, "--json"]);
        zhitong(&db, &args).json()["warnings"]
            .as_array()
            .unwrap()
            .clone()
    };
    let kinds = |w: &[Value], kind: &str| w.iter().filter(|x| x["kind"] == kind).count();
    assert_eq!(kinds(&warnings(&[]), "employer-changed"), 0);
    // 申洲 moves its gate to 杭州 and wants 10 workers after its buses were planned.
    let moved = dir.path().join("employers.csv");
    std::fs::write(
        &moved,
        "name,province,city,address,expected\n宁波申洲服装厂,浙江省,杭州市,萧山区建设路3号,10\n",
    )
    .unwrap();
    assert_eq!(
        zhitong(&db, &["import", "employers", moved.to_str().unwrap()]).code,
        0
    );
    let w = warnings(&[]);
    let changed: Vec<&Value> = w
        .iter()
        .filter(|x| x["kind"] == "employer-changed")
        .collect();
    let batches: Vec<&str> = changed
        .iter()
        .map(|x| x["batch"].as_str().unwrap())
        .collect();
    assert_eq!(batches, ["旬阳-20200221-02", "汉滨-20200221-01"]);
    assert_eq!(changed[0]["employer"], "宁波申洲服装厂");
    let text = changed[0]["text"].as_str().unwrap();
    assert!(
        text.contains("浙江省宁波市 → 浙江省杭州市") && text.contains("expected 15 → 10"),
        "{text}"
    );
    let beyond: Vec<&Value> = w
        .iter()
        .filter(|x| x["kind"] == "beyond-expected")
        .collect();
    assert_eq!(beyond.len(), 1, "{w:?}");
    assert!(beyond[0]["text"]
        .as_str()
        .unwrap()
        .contains("18 placed, beyond the 10"));
    // Said in Chinese too, and on stderr for people.
    let zh = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&db)
        .args(["--lang", "zh", "plan", "--date", DAY, "--json"])
        .env("ZHITONG_TODAY", DAY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&zh.stderr);
    assert!(
        stderr.contains("宁波申洲服装厂：批次 旬阳-20200221-02 编排后信息已变更"),
        "{stderr}"
    );
    // Moving 申洲's people onto a bus of the new city clears its batch's warning: here the
    // trips are cancelled instead and the warning goes with them.
    for plate in ["陕G21002", "陕G30001"] {
        let r = zhitong(&db, &["cancel", "--bus", plate, "--reason", "企业改址"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let left: Vec<Value> = warnings(&[])
        .into_iter()
        .filter(|x| x["kind"] == "employer-changed")
        .collect();
    let batches: Vec<&str> = left.iter().map(|x| x["batch"].as_str().unwrap()).collect();
    assert_eq!(
        batches,
        ["旬阳-20200221-02"],
        "陕G21001 still carries 申洲 people"
    );
}

#[test]
fn a_bus_under_the_policy_minimum_is_warned_in_the_plan_not_refused() {
    let (dir, db) = ledger_db();
    let warned = |extra: &[&str]| -> Vec<String> {
        let mut args = extra.to_vec();
        args.extend_from_slice(&["plan", "--date", DAY, "--json"]);
        let v = zhitong(&db, &args).json();
        v["buses"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["warnings"].as_array().unwrap().iter())
            .filter_map(|w| w.as_str())
            .filter(|w| w.contains("fewer than"))
            .map(String::from)
            .collect()
    };
    // 西安: 3 passengers on the day's one bus there.
    assert_eq!(
        warned(&[]),
        ["陕G21003: only 3 passengers (fewer than 5); consider merging"]
    );
    let policy = dir.path().join("p.toml");
    std::fs::write(&policy, "min_passengers_warn = 0\n").unwrap();
    assert!(warned(&["--policy", policy.to_str().unwrap()]).is_empty());
    std::fs::write(&policy, "min_passengers_warn = 7\n").unwrap();
    assert_eq!(warned(&["--policy", policy.to_str().unwrap()]).len(), 3);
    std::fs::write(&policy, "min_passengers_warn = 99\n").unwrap();
    let r = zhitong(
        &db,
        &["--policy", policy.to_str().unwrap(), "plan", "--date", DAY],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("min_passengers_warn"), "{}", r.stderr);
    // Warned, not forbidden: the small bus is written with the rest.
    let r = zhitong(&db, &["plan", "--date", DAY, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids_on(&db, "陕G21003").len(), 3);
}

#[test]
fn a_no_show_after_a_swap_to_a_smaller_coach_gets_a_seat_it_allows_or_none() {
    let (dir, db) = planned();
    add_coaches(&dir, &db, MINIBUS);
    // 陕G21002 (33 seats) carries 6; the one at the back does not come.
    let ids = ids_on(&db, "陕G21002");
    let late = ids.last().unwrap().clone();
    let r = zhitong(
        &db,
        &[
            "refuse",
            "--bus",
            "陕G21002",
            "--id",
            &late,
            "--reason",
            "no-show",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Five hold a seat: the 19-seat coach allows exactly five.
    let r = zhitong(
        &db,
        &["swap", "--bus", "陕G21002", "--to", "陕G21010", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The late one cannot come back: the coach is full (and their seat number is not one it
    // has); nothing is written, the coach keeps its five.
    let r = zhitong(
        &db,
        &[
            "board",
            "--bus",
            "陕G21010",
            "--id",
            &late,
            "--temp",
            "36.5",
            "--json",
        ],
    );
    let (code, rule) = refusal(&r);
    assert_eq!(code, 4, "{}", r.stderr);
    assert!(
        ["full", "seat-not-allowed"].contains(&rule.as_str()),
        "{rule}"
    );
    let r = zhitong(
        &db,
        &[
            "undo",
            "--bus",
            "陕G21010",
            "--id",
            &late,
            "--reason",
            "来了",
            "--json",
        ],
    );
    assert_eq!(refusal(&r).0, 4, "{}", r.stderr);
    let v = roster(&db, &["--bus", "陕G21010"]);
    assert_eq!(v["counts"]["expected"], 5);
    // A seat free again does not make their old number one the coach has.
    let first = ids_on(&db, "陕G21010")[0].clone();
    let r = zhitong(
        &db,
        &[
            "refuse",
            "--bus",
            "陕G21010",
            "--id",
            &first,
            "--reason",
            "identity",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = zhitong(
        &db,
        &[
            "undo",
            "--bus",
            "陕G21010",
            "--id",
            &late,
            "--reason",
            "来了",
            "--json",
        ],
    );
    assert_eq!(refusal(&r), (4, "seat-not-allowed".into()), "{}", r.stderr);
    assert!(r.stderr.contains("swapped"), "{}", r.stderr);
}

#[test]
fn a_no_show_on_a_swapped_coach_comes_back_to_a_seat_the_coach_allows() {
    let (dir, db) = planned();
    add_coaches(&dir, &db, MINIBUS);
    let ids = ids_on(&db, "陕G21002");
    let late = ids.last().unwrap().clone();
    for id in &ids[4..] {
        let r = zhitong(
            &db,
            &[
                "refuse",
                "--bus",
                "陕G21002",
                "--id",
                id,
                "--reason",
                "no-show",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let r = zhitong(&db, &["swap", "--bus", "陕G21002", "--to", "陕G21010"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Four aboard the five-seat coach: one no-show's seat became the free one.
    let v = roster(&db, &["--bus", "陕G21010"]);
    let allowed = [2, 3, 6, 7, 10];
    let seats: Vec<u64> = v["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["seat"].as_u64().unwrap())
        .collect();
    assert_eq!(
        seats.iter().filter(|s| allowed.contains(*s)).count(),
        5,
        "{seats:?}"
    );
    let back = [&ids[4], &late];
    let mut boarded = 0;
    for id in back {
        let r = zhitong(
            &db,
            &[
                "board",
                "--bus",
                "陕G21010",
                "--id",
                id,
                "--temp",
                "36.5",
                "--json",
            ],
        );
        if r.code == 0 {
            let seat = r.json()["passenger"]["seat"].as_u64().unwrap();
            assert!(allowed.contains(&seat), "{seat}");
            boarded += 1;
        } else {
            assert_eq!(refusal(&r).0, 4, "{}", r.stderr);
        }
    }
    assert_eq!(boarded, 1, "one free seat, one of the two comes back");
    assert_eq!(roster(&db, &["--bus", "陕G21010"])["counts"]["expected"], 5);
}

#[test]
fn a_pack_of_one_trip_leaves_moves_swaps_and_cancels_to_the_ledger() {
    let (dir, db) = planned();
    let pack = dir.path().join("陕G21002.pack");
    let r = zhitong(
        &db,
        &["pack", "--bus", "陕G21002", "--out", pack.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [
        vec![
            "cancel",
            "--bus",
            "陕G21002",
            "--reason",
            "车坏了",
            "--json",
        ],
        vec!["swap", "--bus", "陕G21002", "--to", "陕G21009", "--json"],
    ] {
        let r = zhitong(&pack, &args);
        assert_eq!(
            refusal(&r),
            (4, "pack_only_this_trip".into()),
            "{args:?}: {}",
            r.stderr
        );
    }
    // On the ledger the same acts go through.
    let r = zhitong(&db, &["cancel", "--bus", "陕G21002", "--reason", "车坏了"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn receivers_per_employer_given_on_a_pack_reach_the_ledger_when_merged() {
    let (dir, db) = planned();
    let pack = dir.path().join("陕G21001.pack");
    let r = zhitong(
        &db,
        &["pack", "--bus", "陕G21001", "--out", pack.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for id in ids_on(&db, "陕G21001") {
        let r = zhitong(
            &pack,
            &["board", "--bus", "陕G21001", "--id", &id, "--temp", "36.4"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(zhitong(&pack, &["depart", "--bus", "陕G21001"]).code, 0);
    let r = zhitong(
        &pack,
        &[
            "arrive",
            "--bus",
            "陕G21001",
            "--receiver",
            "宁波海天电子厂=陈经理",
            "--receiver",
            "宁波申洲服装厂=林经理",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = zhitong(&db, &["merge", pack.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let got: String = q(
        &db,
        "SELECT group_concat(e.name || '=' || r.name, ';') FROM trip_receivers r
              JOIN employers e ON e.id = r.employer_id JOIN trips t ON t.id = r.trip_id
         WHERE t.code = '旬阳-20200221-02-2' ORDER BY e.name",
    );
    assert!(got.contains("宁波海天电子厂=陈经理"), "{got}");
    assert!(got.contains("宁波申洲服装厂=林经理"), "{got}");
}
