//! The ledger tables as stored: employers, workers, buses — the records an import writes, the
//! prepared statements a bulk load holds, and the small `meta` settings of a database.

use crate::store::{rules, Db};
mod bulk;

pub use bulk::*;

use super::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;

pub use crate::model::records::{Bus, Employer, Worker, WorkerRef};

/// Employer name → row id, for resolving the employer named on each worker row.
pub fn employer_ids(conn: &Db<'_>) -> Result<FastMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT name, id FROM employers")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const EMPLOYER_COLS: &str = "name, province, city, address, contact, contact_phone, expected, \
                             distance_km, mutual_recognition";

pub fn employer_by_name(conn: &Db<'_>, name: &str) -> Result<Option<(i64, Employer)>> {
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
pub fn save_employer(conn: &Db<'_>, id: Option<i64>, e: &Employer) -> Result<i64> {
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

pub fn bus_by_plate(conn: &Db<'_>, plate: &str) -> Result<Option<(i64, Bus)>> {
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
pub fn save_bus(conn: &Db<'_>, id: Option<i64>, b: &Bus) -> Result<i64> {
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
pub fn bus_open_trip(conn: &Db<'_>, bus_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT min(date) FROM trips
             WHERE bus_id = ?1 AND status IN {open}",
            open = rules::OPEN.as_str()
        ))?
        .query_row([bus_id], |r| r.get(0))?)
}

/// Keeps a worker's former name: every rename by import is kept (and purged with the worker).
/// `source` is where the new name came from, `FILE:LINE`.
pub fn record_rename(
    conn: &Db<'_>,
    worker_id: i64,
    old_name: &str,
    new_name: &str,
    operator: &str,
    source: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO worker_names (worker_id, old_name, new_name, changed_at, operator, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        worker_id,
        old_name,
        new_name,
        super::now_text(),
        operator,
        source
    ])?;
    Ok(())
}

/// A worker's names before the present one, oldest first: (old, new, when).
pub fn former_names(conn: &Db<'_>, worker_id: i64) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT old_name, new_name, changed_at FROM worker_names WHERE worker_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([worker_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
/// How big the ledger is (what a demo reports).
pub struct LedgerTotals {
    pub employers: i64,
    pub workers: i64,
    pub buses: i64,
}

pub fn counts(conn: &Db<'_>) -> Result<LedgerTotals> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM employers),
                (SELECT count(*) FROM workers WHERE purged = 0),
                (SELECT count(*) FROM buses)",
        [],
        |r| {
            Ok(LedgerTotals {
                employers: r.get(0)?,
                workers: r.get(1)?,
                buses: r.get(2)?,
            })
        },
    )?)
}

/// Registered workers whose certificate lets them travel on `day` (issued on or before it and
/// valid until it: `cert_valid_until`, else issued + `validity_days` − 1).
pub fn certified_on(conn: &Db<'_>, day: NaiveDate, validity_days: u32) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM workers
         WHERE status = 'registered' AND (cert_issued IS NULL OR cert_issued <= ?1)
           AND coalesce(cert_valid_until, date(cert_issued, printf('%d days', ?2 - 1))) >= ?1",
        params![day, validity_days.max(1)],
        |r| r.get(0),
    )?)
}

/// Buses free on `day`: dated that day or available any day.
pub fn buses_free_on(conn: &Db<'_>, day: NaiveDate) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM buses WHERE available_date IS NULL OR available_date = ?1",
        [day],
        |r| r.get(0),
    )?)
}

pub fn meta(conn: &Db<'_>, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn set_meta(conn: &Db<'_>, key: &str, value: &str) -> Result<()> {
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
    meta(&Db(&conn), "demo").ok().flatten().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

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
        let id = save_bus(&s.db(), None, &b).unwrap();
        assert_eq!(bus_by_plate(&s.db(), "陕G21000").unwrap(), Some((id, b)));
        assert_eq!(bus_open_trip(&s.db(), id).unwrap(), None);
        assert!(!is_demo_file(&path));
        set_meta(&s.db(), "demo", "2020-02-21").unwrap();
        assert!(is_demo_file(&path));
        assert!(!is_demo_file(&dir.path().join("missing.db")));
    }
}
