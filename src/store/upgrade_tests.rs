//! Migrations on databases as earlier versions left them. 006 on schema 5: a morning with an
//! undo whose reason was written into the audit log, a reading and a road log; 007 on schema
//! 6. Everything keeps its row id.

use super::*;

/// Schema 5, written the way that version wrote it (its undo kept the reason in the audit).
fn version_5(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    run_migrations(&conn, 0, 5).unwrap();
    conn.execute_batch(
        "INSERT INTO employers (id, name, province, city) VALUES (1, 'E', '浙江省', '宁波市');
         INSERT INTO workers (id, id_number, name, employer_id, status) VALUES
             (1, '11010519491231002X', '甲', 1, 'planned'), (2, '440524188001010014', '乙', 1, 'boarded');
         INSERT INTO buses (id, plate, seats) VALUES (1, '陕G21000', 45);
         INSERT INTO batches (id, code, date, county, province, city, departure)
           VALUES (1, '旬阳-20200221-01', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00');
         INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status)
           VALUES (3, 1, 1, '2020-02-21', 11, 18, 'boarding');
         INSERT INTO passengers (id, trip_id, worker_id, seat, status, boarded_at, changed_at) VALUES
             (7, 3, 1, 1, 'planned', NULL, '2020-02-21T06:50:00+08:00'),
             (8, 3, 2, 3, 'boarded', '2020-02-21T06:41:00+08:00', '2020-02-21T06:41:00+08:00');
         INSERT INTO readings (id, trip_id, worker_id, seat, at, celsius, operator, place, outcome) VALUES
             (4, 3, 1, 1, '2020-02-21T06:40:00+08:00', 36.5, '随车员', 'door', 'boarded'),
             (5, 3, 2, 3, '2020-02-21T06:41:00+08:00', 36.6, '随车员', 'door', 'boarded');
         INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note) VALUES
             (3, '2020-02-21T06:30:00+08:00', 'fever', 1, 1, 37.6, 'at the door');
         INSERT INTO audit (id, at, operator, action, entity, entity_id, before, after) VALUES
             (10, '2020-02-21T06:40:00+08:00', '随车员', 'board', 'passenger', 7,
              '{\"status\":\"planned\"}', '{\"status\":\"boarded\"}'),
             (11, '2020-02-21T06:50:00+08:00', '随车员', 'undo', 'passenger', 7,
              '{\"status\":\"boarded\",\"reason\":null,\"seat\":1}',
              '{\"status\":\"planned\",\"seat\":1,\"why\":\"认错人，是甲的弟弟\"}'),
             (12, '2020-02-21T06:50:00+08:00', '随车员', 'undo', 'worker', 1, NULL, '{\"status\":\"planned\"}');",
    )
    .unwrap();
}

#[test]
fn a_schema_5_database_moves_undo_reasons_out_of_the_audit_log_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    version_5(&path);
    let s = Store::open(&path).unwrap();
    assert!(!s.notices().contains(&Notice::Created));
    let q = |sql: &str| -> String { s.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        q("SELECT CAST(user_version AS TEXT) FROM pragma_user_version"),
        MIGRATIONS.len().to_string()
    );
    // The reason moved under the audit row's id; the audit row keeps only the pointer.
    assert_eq!(
        q("SELECT id || ' ' || trip_id || ' ' || worker_id || ' ' || action || ' ' || text FROM reasons"),
        "11 3 1 undo 认错人，是甲的弟弟"
    );
    assert_eq!(
        q("SELECT after FROM audit WHERE id = 11"),
        r#"{"status":"planned","seat":1,"reason_id":11}"#
    );
    // Other audit rows are as they were, and the log is append-only again.
    assert_eq!(
        q("SELECT after FROM audit WHERE id = 12"),
        r#"{"status":"planned"}"#
    );
    assert_eq!(q("SELECT COUNT(*) || '' FROM audit"), "3");
    assert!(s
        .conn
        .execute("UPDATE audit SET operator = 'x' WHERE id = 10", [])
        .is_err());
    // Trips, passengers, readings and the road log keep their ids and data.
    assert_eq!(
        q("SELECT code FROM trips WHERE id = 3"),
        "旬阳-20200221-01-1"
    );
    assert_eq!(
        q("SELECT group_concat(id || ':' || status, ',') FROM passengers"),
        "7:planned,8:boarded"
    );
    assert_eq!(
        q("SELECT group_concat(id || ':' || celsius, ',') FROM readings"),
        "4:36.5,5:36.6"
    );
    assert_eq!(q("SELECT note FROM trip_events"), "at the door");
    // The batch planned before employers were remembered assumes the employer as it is now.
    assert_eq!(
        q("SELECT batch_id || ' ' || employer_id || ' ' || city FROM planned_employers"),
        "1 1 宁波市"
    );
    // Written before secure_delete: the next purge rewrites the file once.
    assert!(purge::needs_scrub(&s.db()).unwrap());
    let fk: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    // Opening it again runs nothing again.
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize,
        MIGRATIONS.len()
    );
}

/// Schema 6 as that version left a morning: a purge marker, a reading, an undo reason.
fn version_6(path: &Path) {
    version_5(path);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    run_migrations(&conn, 5, 6).unwrap();
    conn.execute_batch(
        "INSERT INTO workers (id, id_number, name, county, employer_id, status) VALUES
             (3, '610928199003010011', '丙', '旬阳县', 1, 'registered');",
    )
    .unwrap();
}

#[test]
fn a_schema_6_database_gains_jobs_and_name_history_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    version_6(&path);
    let count =
        |conn: &Connection, sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let before: Vec<(String, i64)> = {
        let conn = Connection::open(&path).unwrap();
        [
            "workers",
            "trips",
            "passengers",
            "readings",
            "reasons",
            "audit",
            "trip_events",
        ]
        .iter()
        .map(|t| {
            (
                t.to_string(),
                count(&conn, &format!("SELECT count(*) FROM {t}")),
            )
        })
        .collect()
    };
    let mut s = Store::open(&path).unwrap();
    assert_eq!(
        count(&s.conn, "SELECT user_version FROM pragma_user_version") as usize,
        MIGRATIONS.len()
    );
    for (table, n) in &before {
        assert_eq!(
            count(&s.conn, &format!("SELECT count(*) FROM {table}")),
            *n,
            "{table}"
        );
    }
    // The rows are the same rows.
    let names: String = s
        .conn
        .query_row(
            "SELECT group_concat(id || ':' || name || ':' || status, ',') FROM workers",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(names, "1:甲:planned,2:乙:boarded,3:丙:registered");
    // The county index, and the new tables, which take rows.
    assert_eq!(
        count(
            &s.conn,
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'workers_county'"
        ),
        1
    );
    let tx = s.begin().unwrap();
    tx.execute(
        "INSERT INTO worker_names (worker_id, old_name, new_name, changed_at, operator)
         VALUES (3, '丙', '丁', 't', '王科长')",
        [],
    )
    .unwrap();
    let job = jobs::start(&tx, jobs::JobKind::Import, "x.csv", "王科长", Some(3)).unwrap();
    jobs::finish(&tx, job, true).unwrap();
    tx.commit().unwrap();
    let fk: i64 = count(&s.conn, "SELECT COUNT(*) FROM pragma_foreign_key_check");
    assert_eq!(fk, 0);
}
