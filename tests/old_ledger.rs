//! A ledger written by the first version of zhitong (schema 1), with a day already planned
//! and boarded, opens in this one: every migration runs, nothing is lost, and the trip keeps
//! its passengers, seats and door readings.

#[path = "fixtures/nasty/support.rs"]
mod support;

use support::*;

const FIRST_SCHEMA: &str = include_str!("../src/store/migrations/001_ledger.sql");

#[test]
fn a_first_version_ledger_with_a_boarded_bus_opens_and_keeps_everything() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        c.execute_batch(FIRST_SCHEMA).expect("schema 1");
        c.execute_batch(
            "INSERT INTO employers (id, name, province, city, distance_km)
                 VALUES (1, '宁波海天电子厂', '浙江省', '宁波市', 1500);
             INSERT INTO workers (id, id_number, name, county, employer_id, cert_issued,
                                  cert_valid_until, status)
                 VALUES (1, '610928199001011234', '张伟', '旬阳县', 1, '2020-02-18', '2020-03-03',
                         'boarded'),
                        (2, '61092819900202123X', '王芳', '旬阳县', 1, '2020-02-18', '2020-03-03',
                         'planned');
             INSERT INTO buses (id, plate, seats, county) VALUES (1, '陕G21000', 45, '旬阳县');
             INSERT INTO batches (id, code, date, county, province, city, departure)
                 VALUES (1, '旬阳-20200221-01', '2020-02-21', '旬阳县', '浙江省', '宁波市',
                         '2020-02-21T07:00');
             INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status)
                 VALUES (1, 1, 1, '2020-02-21', 11, 22, 'boarding');
             INSERT INTO passengers (trip_id, worker_id, seat, status, temperature, boarded_at,
                                     changed_at)
                 VALUES (1, 1, 1, 'boarded', 36.5, '2020-02-21T06:40:00+08:00',
                         '2020-02-21T06:40:00+08:00'),
                        (1, 2, 4, 'planned', NULL, NULL, '2020-02-20T18:00:00+08:00');
             INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature)
                 VALUES (1, '2020-02-21T06:41:00+08:00', 'round', 1, 1, 36.6);
             PRAGMA user_version = 1;",
        )
        .expect("a planned, boarding day");
    }
    let out = command(&db, &["roster", "--bus", "陕G21000", "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let roster: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = roster.to_string();
    assert!(text.contains("旬阳-20200221-01-1"), "{text}");
    assert!(text.contains("张伟") && text.contains("王芳"), "{text}");
    let c = rusqlite::Connection::open(&db).expect("open");
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM workers"), 2);
    assert_eq!(
        count("SELECT count(*) FROM passengers WHERE trip_id = 1"),
        2
    );
    // The door reading and the round reading both became readings.
    assert_eq!(
        count("SELECT count(*) FROM readings WHERE worker_id = 1"),
        2
    );
    assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    // The one-ID-number-one-worker rule still holds on the rebuilt table.
    assert!(c
        .execute(
            "INSERT INTO workers (id_number, name) VALUES ('610928199001011234', '重复')",
            []
        )
        .is_err());
}
