//! End-to-end runs of `zhitong trace` on the real binary: contacts by seat rows, the crew, the
//! whole sealed coach, boarded-only after departure, and the errors a user can make.

#[path = "fixtures/plan/support.rs"]
mod support;

use serde_json::Value;
use std::path::Path;
use support::{ledger_db, zhitong};
use zhitong::store::Store;

/// Applies the fixture day and returns the ID number of the passenger in `seat` of `plate`.
fn planned_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = ledger_db();
    let r = zhitong(&db, &["plan", "--date", "2020-02-21", "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (d, db)
}

fn id_in_seat(db: &Path, plate: &str, seat: u32) -> String {
    let s = Store::open(db).unwrap();
    rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row(
            "SELECT w.id_number FROM passengers p JOIN workers w ON w.id = p.worker_id
             JOIN trips t ON t.id = p.trip_id JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND p.seat = ?2",
            rusqlite::params![plate, seat],
            |r| r.get(0),
        )
        .unwrap()
}

fn sql(db: &Path, stmt: &str) {
    rusqlite::Connection::open(Store::open(db).unwrap().path())
        .unwrap()
        .execute_batch(stmt)
        .unwrap();
}

fn whys(v: &Value) -> Vec<(Option<u64>, String)> {
    v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["row"].as_u64(), c["why"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn contacts_are_rows_within_three_plus_the_crew() {
    let (_d, db) = planned_db();
    // 陕G21001 (45 seats, not sealed) carries 18 to 宁波: two window seats a row, rows 1–9.
    let id = id_in_seat(&db, "陕G21001", 1);
    let r = zhitong(&db, &["trace", "--id", &id, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["plate"], "陕G21001");
    assert_eq!((v["seat"].as_u64(), v["row"].as_u64()), (Some(1), Some(1)));
    assert_eq!(v["sealed"], false);
    let w = whys(&v);
    // Row 1's other seat and rows 2–4 (two each): 7 passengers, then 2 drivers and 1 attendant.
    assert_eq!(w.iter().filter(|x| x.1 == "seat").count(), 7);
    assert!(w.iter().filter(|x| x.1 == "seat").all(|x| x.0 <= Some(4)));
    assert_eq!(w.iter().filter(|x| x.1 == "crew").count(), 3);
    for c in v["contacts"].as_array().unwrap() {
        assert!(c["phone"].as_str().unwrap().contains("****"), "{c}");
        if let Some(id) = c["id_number"].as_str() {
            assert!(id.contains("********"), "{c}");
        }
    }
    assert!(v["id_number"].as_str().unwrap().contains("********"));
}

#[test]
fn a_sealed_coach_makes_everyone_aboard_a_contact() {
    let (_d, db) = planned_db();
    // 陕G21000 is sealed and air-conditioned; it carries 14 to 苏州 (one driver, one attendant).
    let id = id_in_seat(&db, "陕G21000", 1);
    let v = zhitong(&db, &["trace", "--id", &id, "--json"]).json();
    let w = whys(&v);
    assert_eq!(w.iter().filter(|x| x.1 == "sealed-bus").count(), 13);
    assert_eq!(w.iter().filter(|x| x.1 == "crew").count(), 2);
}

#[test]
fn after_departure_only_those_who_boarded_count() {
    let (_d, db) = planned_db();
    let id = id_in_seat(&db, "陕G21001", 1);
    // Seat 1 and seat 4 (row 1) boarded, everyone else on the bus was a no-show.
    sql(
        &db,
        "UPDATE passengers SET status = 'no-show', refused_reason = 'no-show'
           WHERE trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');
         UPDATE passengers SET status = 'boarded'
           WHERE seat IN (1, 4) AND trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');
         UPDATE trips SET status = 'departed' WHERE bus_id = (SELECT id FROM buses WHERE plate = '陕G21001');",
    );
    let v = zhitong(&db, &["trace", "--id", &id, "--json"]).json();
    assert_eq!(v["trip_status"], "departed");
    let seats: Vec<u64> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["seat"].as_u64())
        .collect();
    assert_eq!(seats, [4]);
    // A passenger who did not show was on no bus: no contacts at all.
    let absent = id_in_seat(&db, "陕G21001", 5);
    let v = zhitong(&db, &["trace", "--id", &absent, "--json"]).json();
    assert_eq!(v["on_bus"], false);
    assert_eq!(v["contacts"], serde_json::json!([]));
}

#[test]
fn reveal_shows_full_numbers_and_is_audited() {
    let (_d, db) = planned_db();
    let id = id_in_seat(&db, "陕G21001", 1);
    let v = zhitong(&db, &["trace", "--id", &id, "--json", "--reveal"]).json();
    assert_eq!(v["id_number"], id.as_str());
    let phone = v["contacts"][0]["phone"].as_str().unwrap();
    assert_eq!(phone.len(), 11);
    let s = Store::open(&db).unwrap();
    let n: i64 = rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'reveal' AND entity = 'trace'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn human_table_lists_contacts_with_reasons() {
    let (_d, db) = planned_db();
    let id = id_in_seat(&db, "陕G21001", 1);
    let r = zhitong(&db, &["trace", "--id", &id]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("陕G21001 2020-02-21 (planned)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("attendant"), "{}", r.stdout);
    assert!(
        r.stdout.trim_end().ends_with("10 close contacts"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(&id), "full ID shown: {}", r.stdout);
}

#[test]
fn unknown_and_invalid_ids() {
    let (_d, db) = planned_db();
    // Valid number, not in the ledger.
    let r = zhitong(&db, &["trace", "--id", "11010519491231002X"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no worker with ID number 110105********002X"),
        "{}",
        r.stderr
    );
    // Check character wrong.
    let r = zhitong(&db, &["trace", "--id", "110105194912310021", "--json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("check character"), "{}", r.stderr);
    assert_eq!(r.json()["code"], "usage");
    // In the ledger, never placed (no certificate).
    let never = support::id_without_certificate();
    let r = zhitong(&db, &["trace", "--id", &never]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("never been placed"), "{}", r.stderr);
}

#[test]
fn a_passenger_moved_to_the_observation_rows_counts_at_both_seats() {
    let (_d, db) = planned_db();
    let moved = id_in_seat(&db, "陕G21001", 1);
    let near = id_in_seat(&db, "陕G21001", 13); // row 4
                                                // On the road: everyone boarded; the passenger of seat 1 had a fever and was moved to seat
                                                // 45 (back row), logged the way the en-route round logs it.
    sql(
        &db,
        "UPDATE trips SET status = 'departed' WHERE bus_id = (SELECT id FROM buses WHERE plate = '陕G21001');
         UPDATE passengers SET status = 'boarded'
           WHERE trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');
         INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note)
           SELECT trip_id, '2020-02-21T11:00:00', 'fever', worker_id, 1, 37.9, '' FROM passengers
           WHERE seat = 1 AND trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');
         INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note)
           SELECT trip_id, '2020-02-21T11:00:00', 'move', worker_id, 45, 37.9, 'from seat 1' FROM passengers
           WHERE seat = 1 AND trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');
         UPDATE passengers SET seat = 45
           WHERE seat = 1 AND trip_id = (SELECT t.id FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21001');",
    );
    let v = zhitong(&db, &["trace", "--id", &moved, "--json"]).json();
    assert_eq!(v["seat"], 45);
    let rows: Vec<u64> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["row"].as_u64())
        .collect();
    // Rows 1–4 around the seat they left (7 people), and rows 8–9 near the back row (4 people).
    assert_eq!(rows.iter().filter(|r| **r <= 4).count(), 7, "{rows:?}");
    assert_eq!(rows.iter().filter(|r| **r >= 8).count(), 4, "{rows:?}");
    // Someone in row 4 sat within three rows of the seat the moved passenger left.
    let v = zhitong(&db, &["trace", "--id", &near, "--json"]).json();
    let seats: Vec<u64> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["seat"].as_u64())
        .collect();
    assert!(seats.contains(&45), "{seats:?}");
}
