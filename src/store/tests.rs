//! The store opened, migrated and written: permissions, the audit log, migrations that keep rows, one seat per passenger.

use super::*;

#[test]
fn creates_private_migrated_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/z.db");
    let s = Store::open(&path).unwrap();
    let v: i64 = s
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, MIGRATIONS.len());
    let mode: String = s
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(m & 0o777, 0o600);
    }
    drop(s);
    // Reopening does not re-run migrations.
    Store::open(&path).unwrap();
}

#[test]
fn audit_is_append_only_and_readonly_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.db");
    let mut s = Store::open(&path).unwrap();
    let tx = s.begin().unwrap();
    audit(&tx, "王科长", "test", "worker", Some(1), None, None).unwrap();
    tx.commit().unwrap();
    assert!(s.conn.execute("DELETE FROM audit", []).is_err());
    assert!(s
        .conn
        .execute("UPDATE audit SET operator = 'x'", [])
        .is_err());
    drop(s);
    let mut ro = Store::open_readonly(&path).unwrap();
    assert!(matches!(ro.begin(), Err(StoreError::ReadOnly)));
    assert!(ro
        .conn
        .execute(
            "INSERT INTO employers (name, province, city) VALUES ('a','b','c')",
            []
        )
        .is_err());
}

#[test]
fn migration_005_keeps_rows_and_moves_every_temperature_into_readings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A database as the three earlier migrations left it, with a morning and a road.
        let conn = Connection::open(&path).unwrap();
        run_migrations(&conn, 0, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO employers (id, name, province, city) VALUES (1, 'E', '浙江省', '宁波市');
             INSERT INTO workers (id, id_number, name, employer_id) VALUES
                 (1, 'a', '甲', 1), (2, 'b', '乙', 1), (3, 'c', '丙', 1);
             INSERT INTO buses (id, plate, seats) VALUES (1, '陕G21000', 45);
             INSERT INTO batches (id, code, date, county, province, city, departure)
               VALUES (1, 'x', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00');
             INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status)
               VALUES (1, 1, 1, '2020-02-21', 11, 18, 'departed');
             INSERT INTO passengers (id, trip_id, worker_id, seat, status, temperature,
                                     boarded_at, refused_reason, changed_at) VALUES
                 (7, 1, 1, 41, 'boarded', 36.5, '2020-02-21T06:40:00', NULL, 'x'),
                 (8, 1, 2, 4, 'refused', 37.9, NULL, 'fever', '2020-02-21T06:45:00'),
                 (9, 1, 3, 5, 'no-show', NULL, NULL, 'no-show', '2020-02-21T07:00:00');
             INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note) VALUES
                 (1, '2020-02-21T06:45:00', 'fever', 2, 4, 37.9, 'at the door'),
                 (1, '2020-02-21T11:00:00', 'round', 1, 1, 38.2, ''),
                 (1, '2020-02-21T11:00:00', 'fever', 1, 1, 38.2, ''),
                 (1, '2020-02-21T11:02:00', 'move', 1, 41, 38.1, 'from seat 1');",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let rows: Vec<(i64, String, Option<String>)> = s
        .conn
        .prepare("SELECT id, status, observation_at FROM passengers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            (7, "boarded".into(), Some("2020-02-21T11:00:00".into())),
            (8, "refused".into(), None),
            (9, "no-show".into(), None),
        ]
    );
    let readings: Vec<(i64, f64, String, String)> = s
        .conn
        .prepare("SELECT worker_id, celsius, place, outcome FROM readings ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        readings,
        [
            (1, 36.5, "door".into(), "boarded".into()),
            (2, 37.9, "door".into(), "fever".into()),
            (1, 38.2, "round".into(), "observation".into()),
            (1, 38.1, "round".into(), "observation".into()),
        ]
    );
    // 复测 holds a seat like planned and boarded do.
    s.conn
        .execute("UPDATE passengers SET status = 'recheck' WHERE id = 9", [])
        .unwrap();
    let dup = s.conn.execute(
        "INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 2, 5, 't')",
        [],
    );
    assert!(dup.is_err(), "seat 5 is held by the passenger in 复测");
}

#[test]
fn trips_keep_their_ids_and_rows_and_gain_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A database written before trips had codes, one bus on two days.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        run_migrations(&conn, 0, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO employers (id, name, province, city) VALUES (1, 'E', '浙江省', '宁波市');
             INSERT INTO workers (id, id_number, name, employer_id) VALUES (1, 'a', '甲', 1);
             INSERT INTO buses (id, plate, seats) VALUES (1, '陕G21000', 45), (2, '陕G21001', 45);
             INSERT INTO batches (id, code, date, county, province, city, departure) VALUES
               (1, '旬阳-20200221-01', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00'),
               (2, '旬阳-20200222-01', '2020-02-22', '旬阳县', '浙江省', '宁波市', '2020-02-22T07:00');
             INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status, departed_at) VALUES
               (7, 1, 1, '2020-02-21', 11, 18, 'departed', '2020-02-21T07:03:12'),
               (9, 1, 2, '2020-02-21', 11, 18, 'planned', NULL),
               (12, 2, 1, '2020-02-22', 11, 18, 'planned', NULL);
             INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
               VALUES (7, 1, 1, 'boarded', 't');
             INSERT INTO trip_events (trip_id, at, kind) VALUES (7, 't', 'round');",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let rows: Vec<(i64, String, String, Option<String>)> = s
        .conn
        .prepare("SELECT id, code, status, departed_at FROM trips ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                7,
                "旬阳-20200221-01-1".into(),
                "departed".into(),
                Some("2020-02-21T07:03:12".into())
            ),
            (9, "旬阳-20200221-01-2".into(), "planned".into(), None),
            (12, "旬阳-20200222-01-1".into(), "planned".into(), None),
        ]
    );
    let fk: Vec<String> = s
        .conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(fk.is_empty(), "{fk:?}");
    // A bus may now run a trip on the day after another; a trip without a code gets the
    // next ordinal of its batch.
    s.conn
        .execute_batch(
            "INSERT INTO trips (batch_id, bus_id, date, rows, capacity) VALUES (1, 1, '2020-02-21', 11, 18);",
        )
        .unwrap();
    let code: String = s
        .conn
        .query_row("SELECT code FROM trips ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(code, "旬阳-20200221-01-3");
}

#[test]
fn seat_cannot_be_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("z.db")).unwrap();
    s.conn
        .execute_batch(
            "INSERT INTO employers (id, name, province, city) VALUES (1, 'E', '浙江省', '宁波市');
             INSERT INTO workers (id, id_number, name, employer_id) VALUES (1, 'a', '甲', 1), (2, 'b', '乙', 1);
             INSERT INTO buses (id, plate, seats) VALUES (1, '陕G21000', 45);
             INSERT INTO batches (id, code, date, county, province, city, departure)
               VALUES (1, 'x', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00');
             INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity) VALUES (1, 1, 1, '2020-02-21', 11, 18);
             INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 1, 1, 't');",
        )
        .unwrap();
    let dup = s.conn.execute(
        "INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 2, 1, 't')",
        [],
    );
    assert!(dup.is_err());
    // Once the first passenger is refused, the seat is free again.
    s.conn
        .execute(
            "UPDATE passengers SET status = 'refused' WHERE worker_id = 1",
            [],
        )
        .unwrap();
    s.conn
        .execute(
            "INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 2, 1, 't')",
            [],
        )
        .unwrap();
}
