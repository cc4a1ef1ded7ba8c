//! Two days of a county's dispatch on the real binary, the clock set for each command: buses
//! to 绍兴 (1,500 km) leave on day 1 and are still on the road on day 2; the bus to 郑州 (600 km)
//! is back in time for day 2's plan. Then: applying only the plan that was reviewed, and the
//! clock variables refused when they do not parse.

#[path = "fixtures/trips/mod.rs"]
mod fixture;

use fixture::{id, run_at, Ledger};
use serde_json::Value;

const DAY1: &str = "2020-02-21";
const DAY2: &str = "2020-02-22";

fn ok(o: &fixture::Out) {
    assert_eq!(o.code, 0, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// The bus of a plan going to `city`, all of them.
fn buses_to<'a>(plan: &'a Value, city: &str) -> Vec<&'a Value> {
    plan["buses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["destination_city"] == city)
        .collect()
}

#[test]
fn buses_on_the_road_overnight_are_not_planned_again_until_they_are_back() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);

    // Day 1, 06:30: the plan reviewed is the plan written.
    let now = "2020-02-21T06:30+08:00";
    let review = l.run(now, &["plan", "--date", DAY1, "--json"]);
    ok(&review);
    let fp = str_of(&review.json()["fingerprint"]).to_string();
    let applied = l.run(
        now,
        &["plan", "--date", DAY1, "--apply", "--expect", &fp, "--json"],
    );
    ok(&applied);
    let plan = applied.json();
    assert_eq!(plan["fingerprint"], fp.as_str());
    let shaoxing = buses_to(&plan, "绍兴市");
    let zhengzhou = buses_to(&plan, "郑州市");
    assert_eq!((shaoxing.len(), zhengzhou.len()), (2, 1), "{plan}");
    for b in shaoxing.iter().chain(&zhengzhou) {
        assert!(
            str_of(&b["trip"]).starts_with(&format!("{}-", str_of(&b["batch"]))),
            "{b}"
        );
    }
    let far: Vec<String> = shaoxing
        .iter()
        .map(|b| str_of(&b["plate"]).to_string())
        .collect();
    let near = str_of(&zhengzhou[0]["plate"]).to_string();
    let near_trip = str_of(&zhengzhou[0]["trip"]).to_string();

    // The door, 06:45: everyone boards (by trip code or by plate) but one worker bound for
    // 绍兴, who does not come.
    let door = "2020-02-21T06:45+08:00";
    let mut no_show = None;
    for b in shaoxing.iter().chain(&zhengzhou) {
        let trip = str_of(&b["trip"]);
        let plate = str_of(&b["plate"]);
        for (k, p) in b["passengers"].as_array().unwrap().iter().enumerate() {
            let seat = p["seat"].to_string();
            if no_show.is_none() && b["destination_city"] == "绍兴市" {
                let number = l.text(&format!(
                    "SELECT w.id_number FROM passengers p JOIN workers w ON w.id = p.worker_id
                     JOIN trips t ON t.id = p.trip_id WHERE t.code = '{trip}' AND p.seat = {seat}"
                ));
                ok(&l.run(
                    door,
                    &[
                        "refuse", "--bus", plate, "--id", &number, "--reason", "no-show",
                    ],
                ));
                no_show = Some(p["worker"].as_i64().unwrap());
                continue;
            }
            let which = if k % 2 == 0 {
                ["--trip", trip]
            } else {
                ["--bus", plate]
            };
            ok(&l.run(
                door,
                &[
                    "board", which[0], which[1], "--seat", &seat, "--temp", "36.4",
                ],
            ));
        }
    }
    let no_show = no_show.unwrap();
    for plate in far.iter().chain([&near]) {
        let o = l.run(
            "2020-02-21T07:05+08:00",
            &["depart", "--bus", plate, "--json"],
        );
        ok(&o);
        assert_eq!(o.json()["departed_at"], "2020-02-21T07:05:00+08:00");
    }
    // The no-show is back in the pool, the record of the missed bus kept.
    assert_eq!(
        l.text(&format!("SELECT status FROM workers WHERE id = {no_show}")),
        "registered"
    );
    // The 郑州 bus hands over the same evening.
    let o = l.run(
        "2020-02-21T18:40+08:00",
        &["arrive", "--bus", &near, "--receiver", "丁经理", "--json"],
    );
    ok(&o);
    assert_eq!(o.json()["trip"], near_trip.as_str());

    // Day 2, 06:30: the 绍兴 buses are still on the road; the 郑州 bus is home and takes the
    // worker who missed yesterday's bus.
    let now = "2020-02-22T06:30+08:00";
    let review = l.run(now, &["plan", "--date", DAY2, "--json"]);
    ok(&review);
    let plan = review.json();
    let buses = plan["buses"].as_array().unwrap();
    assert_eq!(buses.len(), 1, "{plan}");
    assert_eq!(buses[0]["plate"], near.as_str());
    assert_eq!(buses[0]["destination_city"], "绍兴市");
    assert_eq!(buses[0]["passengers"][0]["worker"], no_show);
    let held: Vec<(&str, &str)> = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "bus-busy")
        .map(|w| (str_of(&w["plate"]), str_of(&w["free_from"])))
        .collect();
    let mut want: Vec<(&str, &str)> = far.iter().map(|p| (p.as_str(), "2020-02-24")).collect();
    want.sort();
    assert_eq!(held, want, "{plan}");
    let fp = str_of(&plan["fingerprint"]).to_string();
    ok(&l.run(
        now,
        &["plan", "--date", DAY2, "--apply", "--expect", &fp, "--json"],
    ));

    // The 绍兴 buses hand over on day 2, found by plate whatever the day they left; the clock
    // given in local time (Asia/Shanghai) is written with its offset.
    for (plate, at) in far.iter().zip(["2020-02-22T09:15", "2020-02-22T10:20"]) {
        let o = run_at(
            &l.db,
            &[("ZHITONG_NOW", at), ("TZ", "Asia/Shanghai")],
            &["arrive", "--bus", plate, "--receiver", "沈经理", "--json"],
        );
        ok(&o);
        let v = o.json();
        assert!(str_of(&v["trip"]).contains("-20200221-"), "{v}");
        assert_eq!(v["arrived_at"], format!("{at}:00+08:00").as_str());
        assert_eq!(v["departed_at"], "2020-02-21T07:05:00+08:00");
    }
    // The 郑州 bus now has day 2's trip, not left yet: an arrival lands there and is refused.
    let o = l.run(
        "2020-02-22T11:00+08:00",
        &["arrive", "--bus", &near, "--json"],
    );
    assert_eq!(
        (o.code, o.json()["code"].clone()),
        (4, "not-departed".into())
    );
    assert_eq!(
        l.count(
            "SELECT COUNT(*) FROM (SELECT bus_id FROM trips GROUP BY bus_id
             HAVING SUM(status IN ('planned','boarding','departed')) > 1)"
        ),
        0
    );

    // Each day's figures count the arrivals that happened on it, with dates and offsets.
    let day2 = l.run(
        "2020-02-22T20:00+08:00",
        &["stats", "--date", DAY2, "--json"],
    );
    ok(&day2);
    let s = day2.json();
    assert_eq!(
        (
            s["day"]["arrived_buses"].clone(),
            s["day"]["arrived_people"].clone()
        ),
        (2.into(), 19.into())
    );
    assert_eq!(s["cumulative"]["arrived_buses"], 3);
    let trips = s["trips"].as_array().unwrap();
    assert_eq!(trips.len(), 3, "{s}");
    for t in trips
        .iter()
        .filter(|t| far.iter().any(|p| t["plate"] == p.as_str()))
    {
        assert_eq!(t["date"], DAY1);
        assert_eq!(t["status"], "arrived");
        assert!(str_of(&t["arrived_at"]).starts_with("2020-02-22T"), "{t}");
        assert!(str_of(&t["arrived_at"]).ends_with("+08:00"), "{t}");
        assert_eq!(t["departed_at"], "2020-02-21T07:05:00+08:00");
    }
    let today = trips.iter().find(|t| t["date"] == DAY2).unwrap();
    assert_eq!(today["plate"], near.as_str());
    assert!(today["departed_at"].is_null() && today["arrived_at"].is_null());
    assert!(str_of(&today["trip"]).contains("-20200222-"));
    let day1 = l.run(
        "2020-02-22T20:00+08:00",
        &["stats", "--date", DAY1, "--json"],
    );
    ok(&day1);
    let s = day1.json();
    assert_eq!(s["day"]["arrived_buses"], 1, "only 郑州 arrived on day 1");
    assert_eq!(s["day"]["buses"], 3);

    // Home on the 22nd after 1,500 km: two days' drive, free again on the 24th.
    let plan = l.run(
        "2020-02-22T20:00+08:00",
        &["plan", "--date", "2020-02-23", "--json"],
    );
    ok(&plan);
    let busy = plan.json()["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "bus-busy" && w["free_from"] == "2020-02-24")
        .count();
    assert_eq!(busy, 2);
    let plan = l.run(
        "2020-02-22T20:00+08:00",
        &["plan", "--date", "2020-02-24", "--json"],
    );
    let v = plan.json();
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| far.iter().all(|p| w["plate"] != p.as_str())),
        "{v}"
    );
}

#[test]
fn apply_writes_the_reviewed_plan_or_nothing() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let now = "2020-02-21T06:30+08:00";
    let first = l.run(now, &["plan", "--date", DAY1, "--json"]);
    ok(&first);
    let reviewed = str_of(&first.json()["fingerprint"]).to_string();
    // Proposing is read-only and repeatable: the same ledger, the same fingerprint.
    let again = l.run(
        "2020-02-21T06:31+08:00",
        &["plan", "--date", DAY1, "--json"],
    );
    assert_eq!(again.json()["fingerprint"], reviewed.as_str());

    // Meanwhile a worker takes the train: the proposal on screen is no longer what would be
    // written.
    ok(&l.run(now, &["other-means", "--id", &id(100), "--means", "火车"]));
    let o = l.run(
        now,
        &[
            "plan", "--date", DAY1, "--apply", "--expect", &reviewed, "--json",
        ],
    );
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert_eq!(o.json()["code"], "plan_changed");
    assert!(o.stderr.contains(&reviewed), "{}", o.stderr);
    assert_eq!(l.count("SELECT COUNT(*) FROM trips"), 0);
    assert_eq!(l.count("SELECT COUNT(*) FROM batches"), 0);
    assert_eq!(
        l.count("SELECT COUNT(*) FROM audit WHERE action = 'plan.apply'"),
        0
    );

    // The new proposal, reviewed, is written as shown.
    let second = l.run(now, &["plan", "--date", DAY1, "--json"]);
    let fp = str_of(&second.json()["fingerprint"]).to_string();
    assert_ne!(fp, reviewed);
    let o = l.run(
        now,
        &["plan", "--date", DAY1, "--apply", "--expect", &fp, "--json"],
    );
    ok(&o);
    let written = o.json();
    assert_eq!(written["fingerprint"], fp.as_str());
    let codes = |plan: &Value| -> Vec<Value> {
        plan["buses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["trip"].clone())
            .collect()
    };
    let trips = codes(&written);
    assert_eq!(codes(&second.json()), trips);
    assert_eq!(l.count("SELECT COUNT(*) FROM trips"), trips.len() as i64);
    assert_eq!(
        l.count("SELECT COUNT(*) FROM passengers"),
        19 + 5,
        "the worker who took the train is not on a bus"
    );
    // Applying the same day again writes nothing more: nobody is left to place.
    let o = l.run(now, &["plan", "--date", DAY1, "--apply", "--json"]);
    ok(&o);
    assert!(o.json()["buses"].as_array().unwrap().is_empty());
    // --expect only makes sense with --apply.
    let o = l.run(now, &["plan", "--date", DAY1, "--expect", &fp]);
    assert_eq!(o.code, 2, "{}", o.stderr);
}

#[test]
fn clock_variables_that_do_not_parse_stop_everything() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    for (var, value) in [
        ("ZHITONG_NOW", ""),
        ("ZHITONG_NOW", "2020-02-30T06:30"),
        ("ZHITONG_NOW", "2020-02-21"),
        ("ZHITONG_NOW", "06:30"),
        ("ZHITONG_NOW", "2020-02-21T06:30+8"),
        ("ZHITONG_TODAY", ""),
        ("ZHITONG_TODAY", "2020-02-30"),
        ("ZHITONG_TODAY", "21.02.2020"),
        ("ZHITONG_TODAY", "tomorrow"),
    ] {
        let o = run_at(&db, &[(var, value)], &["stats", "--json"]);
        assert_eq!(o.code, 2, "{var}={value:?}: {}", o.stderr);
        assert!(
            o.stderr.contains(&format!("{var}='{value}'")),
            "{var}={value:?}: {}",
            o.stderr
        );
        assert_eq!(o.json()["code"], "usage");
        assert!(!db.exists(), "{var}={value:?}: nothing may be created");
    }
    // In Chinese too, naming the variable.
    let o = run_at(
        &db,
        &[("ZHITONG_TODAY", "2020-02-30")],
        &["--lang", "zh", "init"],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("环境变量 ZHITONG_TODAY='2020-02-30'"),
        "{}",
        o.stderr
    );
    // A bad value is refused even when the other variable is good.
    let o = run_at(
        &db,
        &[
            ("ZHITONG_NOW", "2020-02-21T06:30+08:00"),
            ("ZHITONG_TODAY", "2020-02-30"),
        ],
        &["stats", "--json"],
    );
    assert_eq!(o.code, 2);
    assert!(!db.exists());

    // Good values set the working day; ZHITONG_NOW wins over ZHITONG_TODAY. Only init makes
    // the database that stats then reads.
    ok(&run_at(&db, &[("ZHITONG_TODAY", "2020-02-21")], &["init"]));
    for (env, day) in [
        (vec![("ZHITONG_TODAY", "2020-02-21")], "2020-02-21"),
        (
            vec![("ZHITONG_NOW", "2020-02-21T23:59:30+08:00")],
            "2020-02-21",
        ),
        (vec![("ZHITONG_NOW", "2020-02-22T00:10")], "2020-02-22"),
        (
            vec![
                ("ZHITONG_NOW", "2020-02-23T06:30+08:00"),
                ("ZHITONG_TODAY", "2020-02-21"),
            ],
            "2020-02-23",
        ),
    ] {
        let o = run_at(&db, &env, &["stats", "--json"]);
        ok(&o);
        assert_eq!(o.json()["date"], day, "{env:?}");
    }
}

#[test]
fn a_bus_with_two_open_trips_must_be_named_by_its_trip_code() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let now = "2020-02-21T06:30+08:00";
    let o = l.run(now, &["plan", "--date", DAY1, "--apply", "--json"]);
    ok(&o);
    let plan = o.json();
    let bus = &plan["buses"][0];
    let (plate, first) = (str_of(&bus["plate"]), str_of(&bus["trip"]));
    // A ledger written before the rule gave the bus a second open trip the next day.
    let c = rusqlite::Connection::open(&l.db).unwrap();
    c.execute_batch(&format!(
        "INSERT INTO batches (code, date, county, province, city, departure)
           VALUES ('旬阳-20200222-01', '2020-02-22', '旬阳县', '浙江省', '绍兴市', '2020-02-22T07:00');
         INSERT INTO trips (batch_id, bus_id, date, rows, capacity)
           SELECT b.id, bus.id, '2020-02-22', 11, 18 FROM batches b, buses bus
           WHERE b.code = '旬阳-20200222-01' AND bus.plate = '{plate}';"
    ))
    .unwrap();
    drop(c);
    let seat = bus["passengers"][0]["seat"].to_string();
    let o = l.run(
        now,
        &[
            "board", "--bus", plate, "--seat", &seat, "--temp", "36.5", "--json",
        ],
    );
    assert_eq!(o.code, 4, "{}", o.stderr);
    let v = o.json();
    assert_eq!(v["code"], "ambiguous_trip");
    let msg = str_of(&v["error"]);
    assert!(
        msg.contains(first) && msg.contains("旬阳-20200222-01-1") && msg.contains("--trip"),
        "{msg}"
    );
    assert_eq!(
        l.count("SELECT COUNT(*) FROM passengers WHERE status = 'boarded'"),
        0,
        "nothing written"
    );
    // Named by code, the action lands on that trip.
    let o = l.run(
        now,
        &[
            "board", "--trip", first, "--seat", &seat, "--temp", "36.5", "--json",
        ],
    );
    ok(&o);
    assert_eq!(o.json()["trip"], first);
}
