//! End-to-end runs of `zhitong plan` on the real binary against a database holding the fixture
//! ledger, employers and fleet.

#[path = "fixtures/plan/support.rs"]
mod support;

use serde_json::Value;
use support::{ledger_db, zhitong};

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let s = zhitong::store::Store::open(db).unwrap();
    rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn json_plan_has_the_contract_shape_and_masks_ids() {
    let (_d, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", "2020-02-21", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        keys(&v),
        [
            "buses",
            "date",
            "fingerprint",
            "lower_bound",
            "unplaced",
            "warnings"
        ]
    );
    assert_eq!(v["date"], "2020-02-21");
    let buses = v["buses"].as_array().unwrap();
    let bus = &buses[0];
    assert_eq!(
        keys(bus),
        [
            "batch",
            "capacity",
            "departure",
            "destination_city",
            "employers",
            "passengers",
            "plate",
            "rated_seats",
            "rows",
            "trip",
            "warnings"
        ]
    );
    assert_eq!(bus["trip"], format!("{}-1", bus["batch"].as_str().unwrap()));
    let p = &bus["passengers"][0];
    assert_eq!(
        keys(p),
        [
            "col",
            "employer",
            "id_number",
            "name",
            "row",
            "seat",
            "village",
            "worker"
        ]
    );
    for bus in buses {
        for p in bus["passengers"].as_array().unwrap() {
            let id = p["id_number"].as_str().unwrap();
            assert!(id.contains("********"), "unmasked {id}");
        }
    }
    // 59 eligible in 旬阳县 and 6 in 汉滨区, on 6 buses: the lower bound itself.
    let placed: usize = buses
        .iter()
        .map(|b| b["passengers"].as_array().unwrap().len())
        .sum();
    assert_eq!(placed, 65);
    assert_eq!(buses.len(), 6);
    assert_eq!(v["lower_bound"], 6);
    assert_eq!(bus["batch"], "旬阳-20200221-01");
    assert_eq!(bus["departure"], "2020-02-21T07:00");
    // Nothing was written without --apply.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trips"), 0);
    let reasons: Vec<&str> = v["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["no-certificate"; 3]);
}

#[test]
fn employer_sent_bus_carries_its_own_workers_and_long_routes_warn() {
    let (_d, db) = ledger_db();
    let v = zhitong(
        &db,
        &["plan", "--date", "2020-02-21", "--county", "旬阳", "--json"],
    )
    .json();
    let buses = v["buses"].as_array().unwrap();
    let sent = buses
        .iter()
        .find(|b| b["plate"] == "浙B80001")
        .expect("sent bus used");
    assert_eq!(sent["employers"], serde_json::json!(["宁波海天电子厂"]));
    assert_eq!(sent["passengers"].as_array().unwrap().len(), 18);
    // 陕G21000 has one driver and goes 1,000 km to 苏州.
    let one = buses
        .iter()
        .find(|b| b["plate"] == "陕G21000")
        .expect("bus used");
    assert_eq!(one["destination_city"], "苏州市");
    assert_eq!(
        one["warnings"][0],
        "陕G21000: 1000 km route, one driver — two required over 400 km"
    );
    // Not available that day, or from another county.
    assert!(buses
        .iter()
        .all(|b| b["plate"] != "陕G21009" && b["plate"] != "陕G30001"));
    // Two employers share a bus to 宁波, never more.
    for b in buses {
        assert!(b["employers"].as_array().unwrap().len() <= 2);
    }
}

#[test]
fn apply_writes_once_and_replanning_adds_nothing() {
    let (_d, db) = ledger_db();
    let first = zhitong(&db, &["plan", "--date", "2020-02-21", "--apply", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM passengers WHERE status = 'planned'"
        ),
        65
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM workers WHERE status = 'planned'"),
        65
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trips"), 6);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM batches"), 4);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit WHERE entity = 'worker'"),
        65
    );
    let seats = "SELECT group_concat(worker_id || ':' || trip_id || ':' || seat) FROM
                 (SELECT * FROM passengers ORDER BY worker_id)";
    let before: String = {
        let s = zhitong::store::Store::open(&db).unwrap();
        rusqlite::Connection::open(s.path())
            .unwrap()
            .query_row(seats, [], |r| r.get(0))
            .unwrap()
    };
    let again = zhitong(&db, &["plan", "--date", "2020-02-21", "--apply", "--json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["buses"], serde_json::json!([]));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM passengers"), 65);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit WHERE action = 'plan.apply' AND entity = 'day'"
        ),
        1
    );
    let after: String = {
        let s = zhitong::store::Store::open(&db).unwrap();
        rusqlite::Connection::open(s.path())
            .unwrap()
            .query_row(seats, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(before, after);
}

#[test]
fn reveal_shows_full_numbers_and_is_audited() {
    let (_d, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", "2020-02-21", "--json", "--reveal"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let id = v["buses"][0]["passengers"][0]["id_number"]
        .as_str()
        .unwrap();
    assert_eq!(id.len(), 18);
    assert!(!id.contains('*'));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit WHERE action = 'reveal'"),
        1
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trips"), 0);
}

#[test]
fn human_output_has_a_table_per_batch_and_the_totals() {
    let (_d, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", "2020/2/21"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("旬阳-20200221-02  浙江省宁波市"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("浙B80001"), "{}", r.stdout);
    assert!(r.stdout.contains("18/18"), "{}", r.stdout);
    assert!(r.stdout.contains("no-certificate (3)"), "{}", r.stdout);
    assert!(
        r.stdout
            .trim_end()
            .ends_with("65 passengers, 6 buses (lower bound 6)"),
        "{}",
        r.stdout
    );
    // No ID number, masked or not, in the human table.
    assert!(!r.stdout.contains("610928"), "{}", r.stdout);
}

#[test]
fn bad_date_and_unknown_county_are_usage_errors() {
    let (_d, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", "2020-02-30"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2020-02-30"), "{}", r.stderr);
    let r = zhitong(&db, &["plan", "--date", "2020-02-21", "--county", "紫阳"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("紫阳") && r.stderr.contains("旬阳县"),
        "{}",
        r.stderr
    );
}

#[test]
fn readonly_database_refuses_apply() {
    let (_d, db) = ledger_db();
    let r = zhitong(
        &db,
        &["--readonly", "plan", "--date", "2020-02-21", "--apply"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("read-only"), "{}", r.stderr);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trips"), 0);
}

/// What a plan object says, keys and order aside: buses with their batch, trip, plate and
/// (worker, seat) passengers, the unplaced, the figures and the warnings.
fn essence(v: &Value) -> Value {
    let buses: Vec<Value> = v["buses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let seats: Vec<Value> = b["passengers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| serde_json::json!([p["worker"], p["seat"]]))
                .collect();
            serde_json::json!([b["batch"], b["trip"], b["plate"], b["departure"], seats])
        })
        .collect();
    serde_json::json!({
        "buses": buses,
        "unplaced": v["unplaced"],
        "lower_bound": v["lower_bound"],
        "fingerprint": v["fingerprint"],
        "warnings": v["warnings"],
    })
}

#[test]
fn a_plan_written_out_county_by_county_is_the_one_pass_plan_even_for_counties_of_one_short_name() {
    let (_d, db) = ledger_db();
    // 旬阳县 became 旬阳市 halfway through the survey: both are in the ledger and the fleet, and
    // their batches share the short name 旬阳 (one numbering). A bus of 旬阳县 is still on
    // yesterday's trip.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TEMP TABLE w AS SELECT * FROM workers WHERE county = '旬阳县';
             UPDATE w SET id = id + 100000, id_number = '9' || substr(id_number, 2), county = '旬阳市';
             INSERT INTO workers SELECT * FROM w;
             CREATE TEMP TABLE b AS SELECT * FROM buses WHERE county = '旬阳县';
             UPDATE b SET id = id + 100000, plate = '陕H' || substr(plate, 3), county = '旬阳市';
             INSERT INTO buses SELECT * FROM b;",
        )
        .unwrap();
    }
    let r = zhitong(
        &db,
        &[
            "plan",
            "--date",
            "2020-02-20",
            "--county",
            "汉滨区",
            "--apply",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `--reveal` prints the plan made in one pass; without it the object is written out as
    // each county is planned.
    let streamed = zhitong(&db, &["plan", "--date", "2020-02-21", "--json"]);
    let one_pass = zhitong(&db, &["plan", "--date", "2020-02-21", "--json", "--reveal"]);
    assert_eq!(streamed.code, 0, "{}", streamed.stderr);
    assert_eq!(one_pass.code, 0, "{}", one_pass.stderr);
    let (s, o) = (streamed.json(), one_pass.json());
    assert_eq!(essence(&s), essence(&o));
    assert_eq!(s["warnings"][0]["kind"], "bus-busy", "{}", s["warnings"]);
    let trips: Vec<&str> = s["buses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["trip"].as_str().unwrap())
        .collect();
    let mut distinct = trips.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), trips.len(), "a trip code twice: {trips:?}");
    assert!(
        s["buses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["plate"].as_str().unwrap().starts_with("陕H"))
            && trips.iter().any(|t| t.starts_with("旬阳-20200221-04")),
        "{trips:?}"
    );
    // The reviewed fingerprint is what applying computes.
    let fp = s["fingerprint"].as_str().unwrap();
    let r = zhitong(
        &db,
        &[
            "plan",
            "--date",
            "2020-02-21",
            "--apply",
            "--expect",
            fp,
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["fingerprint"], fp);
}

#[test]
fn a_refused_streamed_plan_prints_only_the_error_object() {
    let (_d, db) = ledger_db();
    let r = zhitong(
        &db,
        &[
            "plan",
            "--date",
            "2020-02-21",
            "--county",
            "不存在县",
            "--json",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // One JSON object on stdout, the error's: no half-written plan before it.
    assert_eq!(r.json()["code"], "usage", "{}", r.stdout);
    assert!(
        r.stdout.trim_start().starts_with("{\"error\""),
        "{}",
        r.stdout
    );
}
