//! The ledger tables as stored: employers, workers, buses — the records an import writes, the
//! prepared statements a bulk load holds, and the small `meta` settings of a database.

use super::Result;
use crate::model::WorkerStatus;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Statement};
use std::collections::HashMap;
use std::path::Path;

/// An employer (用工企业) and its destination, keyed by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Employer {
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub expected: u32,
    pub distance_km: u32,
    pub mutual_recognition: bool,
}

/// A worker of the ledger (台账), keyed by the normalised ID number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Worker {
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer_id: Option<i64>,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub cert_issuer: String,
}

/// A chartered coach or an employer's own bus, keyed by plate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bus {
    pub plate: String,
    pub seats: u32,
    pub operator: String,
    pub driver1: String,
    pub driver1_phone: String,
    pub driver2: String,
    pub driver2_phone: String,
    pub attendant: String,
    pub attendant_phone: String,
    pub county: String,
    /// `None`: available any day.
    pub available_date: Option<NaiveDate>,
    pub sealed: bool,
}

/// Employer name → row id, for resolving the employer named on each worker row.
pub fn employer_ids(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT name, id FROM employers")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const EMPLOYER_COLS: &str = "name, province, city, address, contact, contact_phone, expected, \
                             distance_km, mutual_recognition";

pub fn employer_by_name(conn: &Connection, name: &str) -> Result<Option<(i64, Employer)>> {
    let sql = format!("SELECT id, {EMPLOYER_COLS} FROM employers WHERE name = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([name], |r| {
            Ok((
                r.get(0)?,
                Employer {
                    name: r.get(1)?,
                    province: r.get(2)?,
                    city: r.get(3)?,
                    address: r.get(4)?,
                    contact: r.get(5)?,
                    contact_phone: r.get(6)?,
                    expected: r.get(7)?,
                    distance_km: r.get(8)?,
                    mutual_recognition: r.get(9)?,
                },
            ))
        })
        .optional()?)
}

/// Inserts an employer, or overwrites the one with `id`; returns the row id.
pub fn save_employer(conn: &Connection, id: Option<i64>, e: &Employer) -> Result<i64> {
    let values = params![
        e.name,
        e.province,
        e.city,
        e.address,
        e.contact,
        e.contact_phone,
        e.expected,
        e.distance_km,
        e.mutual_recognition,
    ];
    match id {
        None => {
            let sql = format!(
                "INSERT INTO employers ({EMPLOYER_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            );
            conn.prepare_cached(&sql)?.execute(values)?;
            Ok(conn.last_insert_rowid())
        }
        Some(id) => {
            conn.prepare_cached(
                "UPDATE employers SET name = ?1, province = ?2, city = ?3, address = ?4,
                 contact = ?5, contact_phone = ?6, expected = ?7, distance_km = ?8,
                 mutual_recognition = ?9 WHERE id = ?10",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
            ))?;
            Ok(id)
        }
    }
}

const BUS_COLS: &str = "plate, seats, operator, driver1, driver1_phone, driver2, driver2_phone, \
                        attendant, attendant_phone, county, available_date, sealed";

pub fn bus_by_plate(conn: &Connection, plate: &str) -> Result<Option<(i64, Bus)>> {
    let sql = format!("SELECT id, {BUS_COLS} FROM buses WHERE plate = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([plate], |r| {
            Ok((
                r.get(0)?,
                Bus {
                    plate: r.get(1)?,
                    seats: r.get(2)?,
                    operator: r.get(3)?,
                    driver1: r.get(4)?,
                    driver1_phone: r.get(5)?,
                    driver2: r.get(6)?,
                    driver2_phone: r.get(7)?,
                    attendant: r.get(8)?,
                    attendant_phone: r.get(9)?,
                    county: r.get(10)?,
                    available_date: r.get(11)?,
                    sealed: r.get(12)?,
                },
            ))
        })
        .optional()?)
}

/// Inserts a bus, or overwrites the one with `id`; returns the row id.
pub fn save_bus(conn: &Connection, id: Option<i64>, b: &Bus) -> Result<i64> {
    let values = params![
        b.plate,
        b.seats,
        b.operator,
        b.driver1,
        b.driver1_phone,
        b.driver2,
        b.driver2_phone,
        b.attendant,
        b.attendant_phone,
        b.county,
        b.available_date,
        b.sealed,
    ];
    match id {
        None => {
            let sql = format!(
                "INSERT INTO buses ({BUS_COLS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            );
            conn.prepare_cached(&sql)?.execute(values)?;
            Ok(conn.last_insert_rowid())
        }
        Some(id) => {
            conn.prepare_cached(
                "UPDATE buses SET plate = ?1, seats = ?2, operator = ?3, driver1 = ?4,
                 driver1_phone = ?5, driver2 = ?6, driver2_phone = ?7, attendant = ?8,
                 attendant_phone = ?9, county = ?10, available_date = ?11, sealed = ?12
                 WHERE id = ?13",
            )?
            .execute(rusqlite::params_from_iter(
                values.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
            ))?;
            Ok(id)
        }
    }
}

/// The earliest day on which the bus has a trip that is not over (planned, boarding or
/// departed): while it has one, its seats and home county are part of a plan.
pub fn bus_open_trip(conn: &Connection, bus_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT min(date) FROM trips
             WHERE bus_id = ?1 AND status IN ('planned','boarding','departed')",
        )?
        .query_row([bus_id], |r| r.get(0))?)
}

/// A worker as found by ID number, with what an import needs to decide on an update.
#[derive(Debug, Clone)]
pub struct StoredWorker {
    pub id: i64,
    pub status: WorkerStatus,
    pub worker: Worker,
}

/// The statements of a worker bulk load, prepared once and held for the whole file: at a
/// million rows, re-preparing (or even looking up the statement cache) shows in the profile.
pub struct WorkerWriter<'c> {
    insert: Statement<'c>,
    find: Statement<'c>,
    update: Statement<'c>,
}

impl<'c> WorkerWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<Self> {
        Ok(WorkerWriter {
            insert: conn.prepare(
                "INSERT INTO workers (id_number, name, phone, county, township, village,
                     employer_id, cert_issued, cert_valid_until, cert_issuer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (id_number) DO NOTHING",
            )?,
            find: conn.prepare(
                "SELECT id, status, name, phone, county, township, village, employer_id,
                        cert_issued, cert_valid_until, cert_issuer
                 FROM workers WHERE id_number = ?1",
            )?,
            update: conn.prepare(
                "UPDATE workers SET name = ?2, phone = ?3, county = ?4, township = ?5,
                     village = ?6, employer_id = ?7, cert_issued = ?8, cert_valid_until = ?9,
                     cert_issuer = ?10
                 WHERE id = ?1",
            )?,
        })
    }

    /// Inserts a worker whose ID number is not in the ledger yet; `None` if it already is.
    pub fn insert_new(&mut self, conn: &Connection, w: &Worker) -> Result<Option<i64>> {
        let n = self.insert.execute(params![
            w.id_number,
            w.name,
            w.phone,
            w.county,
            w.township,
            w.village,
            w.employer_id,
            w.cert_issued,
            w.cert_valid_until,
            w.cert_issuer,
        ])?;
        Ok((n == 1).then(|| conn.last_insert_rowid()))
    }

    pub fn find(&mut self, id_number: &str) -> Result<Option<StoredWorker>> {
        Ok(self
            .find
            .query_row([id_number], |r| {
                Ok(StoredWorker {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    worker: Worker {
                        id_number: id_number.to_string(),
                        name: r.get(2)?,
                        phone: r.get(3)?,
                        county: r.get(4)?,
                        township: r.get(5)?,
                        village: r.get(6)?,
                        employer_id: r.get(7)?,
                        cert_issued: r.get(8)?,
                        cert_valid_until: r.get(9)?,
                        cert_issuer: r.get(10)?,
                    },
                })
            })
            .optional()?)
    }

    /// Overwrites the personal, employer and certificate fields; the status is left alone.
    pub fn update(&mut self, id: i64, w: &Worker) -> Result<()> {
        self.update.execute(params![
            id,
            w.name,
            w.phone,
            w.county,
            w.township,
            w.village,
            w.employer_id,
            w.cert_issued,
            w.cert_valid_until,
            w.cert_issuer,
        ])?;
        Ok(())
    }
}

/// Raises the page cache of this connection for a bulk load (random ID numbers make the
/// unique index touch pages all over the file) and returns the previous setting.
pub fn widen_cache(conn: &Connection, kib: i64) -> Result<i64> {
    let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -kib)?;
    Ok(before)
}

pub fn restore_cache(conn: &Connection, setting: i64) -> Result<()> {
    conn.pragma_update(None, "cache_size", setting)?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct LedgerCounts {
    pub employers: i64,
    pub workers: i64,
    pub buses: i64,
}

pub fn counts(conn: &Connection) -> Result<LedgerCounts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM employers),
                (SELECT count(*) FROM workers WHERE purged = 0),
                (SELECT count(*) FROM buses)",
        [],
        |r| {
            Ok(LedgerCounts {
                employers: r.get(0)?,
                workers: r.get(1)?,
                buses: r.get(2)?,
            })
        },
    )?)
}

/// Registered workers whose certificate lets them travel on `day` (issued on or before it and
/// valid until it: `cert_valid_until`, else issued + `validity_days` − 1).
pub fn certified_on(conn: &Connection, day: NaiveDate, validity_days: u32) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM workers
         WHERE status = 'registered' AND (cert_issued IS NULL OR cert_issued <= ?1)
           AND coalesce(cert_valid_until, date(cert_issued, printf('%d days', ?2 - 1))) >= ?1",
        params![day, validity_days.max(1)],
        |r| r.get(0),
    )?)
}

/// Buses free on `day`: dated that day or available any day.
pub fn buses_free_on(conn: &Connection, day: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM buses WHERE available_date IS NULL OR available_date = ?1",
        [day],
        |r| r.get(0),
    )?)
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Whether an existing file is a database that `demo` built (its `meta` has `key = 'demo'`).
/// Anything else — another database, a file that is not SQLite — answers false, so that demo
/// never replaces a real ledger.
pub fn is_demo_file(path: &Path) -> bool {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return false;
    };
    meta(&conn, "demo").ok().flatten().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn worker(id_number: &str, employer_id: i64) -> Worker {
        Worker {
            id_number: id_number.into(),
            name: "张三".into(),
            employer_id: Some(employer_id),
            ..Default::default()
        }
    }

    #[test]
    fn workers_are_keyed_by_id_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("z.db")).unwrap();
        let tx = s.write().unwrap();
        let e = Employer {
            name: "宁波甬腾电子有限公司".into(),
            province: "浙江省".into(),
            city: "宁波市".into(),
            ..Default::default()
        };
        let eid = save_employer(&tx, None, &e).unwrap();
        assert_eq!(employer_ids(&tx).unwrap()[&e.name], eid);
        let mut w = WorkerWriter::new(&tx).unwrap();
        let first = w
            .insert_new(&tx, &worker("11010519491231002X", eid))
            .unwrap();
        assert!(first.is_some());
        assert_eq!(
            w.insert_new(&tx, &worker("11010519491231002X", eid))
                .unwrap(),
            None
        );
        let found = w.find("11010519491231002X").unwrap().unwrap();
        assert_eq!(Some(found.id), first);
        assert_eq!(found.status, WorkerStatus::Registered);
        let mut changed = found.worker.clone();
        changed.phone = "13812345678".into();
        w.update(found.id, &changed).unwrap();
        assert_eq!(
            w.find("11010519491231002X").unwrap().unwrap().worker,
            changed
        );
        drop(w);
        tx.commit().unwrap();
        assert_eq!(counts(&s.conn).unwrap().workers, 1);
    }

    #[test]
    fn buses_round_trip_and_demo_marker() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.db");
        let s = Store::open(&path).unwrap();
        let b = Bus {
            plate: "陕G21000".into(),
            seats: 45,
            available_date: NaiveDate::from_ymd_opt(2020, 2, 21),
            sealed: true,
            ..Default::default()
        };
        let id = save_bus(&s.conn, None, &b).unwrap();
        assert_eq!(bus_by_plate(&s.conn, "陕G21000").unwrap(), Some((id, b)));
        assert_eq!(bus_open_trip(&s.conn, id).unwrap(), None);
        assert!(!is_demo_file(&path));
        set_meta(&s.conn, "demo", "2020-02-21").unwrap();
        assert!(is_demo_file(&path));
        assert!(!is_demo_file(&dir.path().join("missing.db")));
    }
}
