//! The ledger tables as stored: employers, workers, buses — the records an import writes, the
//! prepared statements a bulk load holds, and the small `meta` settings of a database.

use super::Result;
use crate::model::WorkerStatus;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Statement};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

/// A hash map with a multiply-rotate hash (the one rustc uses): lookups of a million ID
/// numbers and employer names during an import, where the default SipHash showed in profiles.
/// Keys come from the ledger and its files, not from an adversary flooding a server.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

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

/// A worker's fields borrowed from wherever they are held (an import keeps each row's text in
/// one buffer: one allocation per row instead of seven).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerRef<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub county: &'a str,
    pub township: &'a str,
    pub village: &'a str,
    pub employer_id: Option<i64>,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub cert_issuer: &'a str,
}

impl Worker {
    pub fn as_ref(&self) -> WorkerRef<'_> {
        WorkerRef {
            id_number: &self.id_number,
            name: &self.name,
            phone: &self.phone,
            county: &self.county,
            township: &self.township,
            village: &self.village,
            employer_id: self.employer_id,
            cert_issued: self.cert_issued,
            cert_valid_until: self.cert_valid_until,
            cert_issuer: &self.cert_issuer,
        }
    }
}

impl WorkerRef<'_> {
    pub fn to_owned(&self) -> Worker {
        Worker {
            id_number: self.id_number.to_string(),
            name: self.name.to_string(),
            phone: self.phone.to_string(),
            county: self.county.to_string(),
            township: self.township.to_string(),
            village: self.village.to_string(),
            employer_id: self.employer_id,
            cert_issued: self.cert_issued,
            cert_valid_until: self.cert_valid_until,
            cert_issuer: self.cert_issuer.to_string(),
        }
    }
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
pub fn employer_ids(conn: &Connection) -> Result<FastMap<String, i64>> {
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

/// The 17 digits before the check character as a number (they determine the 18th): a compact
/// key for a million ID numbers held in memory during an import.
pub fn id_key(id_number: &str) -> Option<u64> {
    let b = id_number.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        b[..17]
            .iter()
            .fold(0u64, |k, d| k * 10 + u64::from(d - b'0')),
    )
}

/// Every worker in the ledger by ID number key → row id (purged workers have no number).
pub fn worker_keys(conn: &Connection) -> Result<FastMap<u64, i64>> {
    let mut stmt = conn.prepare("SELECT id, id_number FROM workers WHERE id_number IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    let mut keys = FastMap::default();
    while let Some(r) = rows.next()? {
        if let Some(k) = r.get_ref(1)?.as_str().ok().and_then(id_key) {
            keys.insert(k, r.get(0)?);
        }
    }
    Ok(keys)
}

/// The statements of a worker bulk load, prepared once and held for the whole file: at a
/// million rows, re-preparing (or even looking up the statement cache) shows in the profile.
/// Whether an ID number is new is decided by the caller (see `worker_keys`), so the load also
/// works while the indexes are dropped.
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
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?,
            find: conn.prepare(
                "SELECT status, id_number, name, phone, county, township, village, employer_id,
                        cert_issued, cert_valid_until, cert_issuer
                 FROM workers WHERE id = ?1",
            )?,
            update: conn.prepare(
                "UPDATE workers SET name = ?2, phone = ?3, county = ?4, township = ?5,
                     village = ?6, employer_id = ?7, cert_issued = ?8, cert_valid_until = ?9,
                     cert_issuer = ?10
                 WHERE id = ?1",
            )?,
        })
    }

    /// Inserts a worker whose ID number is not in the ledger; returns the row id.
    pub fn insert(&mut self, conn: &Connection, w: &WorkerRef<'_>) -> Result<i64> {
        let (mut issued, mut until) = ([0u8; 10], [0u8; 10]);
        self.insert.execute(params![
            w.id_number,
            w.name,
            w.phone,
            w.county,
            w.township,
            w.village,
            w.employer_id,
            w.cert_issued.map(|d| iso_date(d, &mut issued)),
            w.cert_valid_until.map(|d| iso_date(d, &mut until)),
            w.cert_issuer,
        ])?;
        Ok(conn.last_insert_rowid())
    }

    pub fn find(&mut self, id: i64) -> Result<Option<StoredWorker>> {
        Ok(self
            .find
            .query_row([id], |r| {
                Ok(StoredWorker {
                    id,
                    status: r.get(0)?,
                    worker: Worker {
                        id_number: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
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
    pub fn update(&mut self, id: i64, w: &WorkerRef<'_>) -> Result<()> {
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

/// `YYYY-MM-DD`, as chrono stores a date, without its general formatter (a million per import).
fn iso_date(d: NaiveDate, buf: &mut [u8; 10]) -> &str {
    use chrono::Datelike;
    let y = d.year().clamp(0, 9999) as u32;
    let (m, day) = (d.month(), d.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    *buf = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    std::str::from_utf8(buf).unwrap_or_default()
}

/// Settings of this connection for a bulk load, switched on before its transaction and off
/// after (neither can change inside one):
/// - foreign keys off: the load has checked every reference itself (employer names against
///   the employers read inside its transaction), and SQLite's check is a lookup per row;
/// - temporary files for sorting: CREATE INDEX sorts 3× faster spilling runs to a file than
///   to SQLite's in-memory journal. The file is unlinked as it is opened.
pub fn bulk_load_mode(conn: &Connection, on: bool) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", !on)?;
    conn.pragma_update(None, "temp_store", if on { "FILE" } else { "MEMORY" })?;
    Ok(())
}

/// Drops the indexes of `table` for a bulk load inside the caller's transaction and returns
/// their definitions for `rebuild_indexes`. Other connections keep reading the committed
/// state, indexes included; if the load fails, rollback restores them.
pub fn drop_indexes(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let defs: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &defs {
        conn.execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")), [])?;
    }
    Ok(defs.into_iter().map(|(_, sql)| sql).collect())
}

/// Builds again (by sorting, much faster than row-by-row) the indexes `drop_indexes` removed.
/// A unique index that no longer holds fails here and the caller's transaction rolls back.
pub fn rebuild_indexes(conn: &Connection, definitions: &[String]) -> Result<()> {
    // The sort behind CREATE INDEX may use a helper thread: the file is read by now, so the
    // second core is free.
    let threads: i64 = conn.query_row("PRAGMA threads", [], |r| r.get(0))?;
    conn.pragma_update(None, "threads", 2)?;
    let built = definitions
        .iter()
        .try_for_each(|sql| conn.execute(sql, []).map(|_| ()));
    conn.pragma_update(None, "threads", threads)?;
    Ok(built?)
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
            .insert(&tx, &worker("11010519491231002X", eid).as_ref())
            .unwrap();
        // The unique index is the last line of defence against a second row.
        assert!(w
            .insert(&tx, &worker("11010519491231002X", eid).as_ref())
            .is_err());
        let keys = worker_keys(&tx).unwrap();
        assert_eq!(keys[&id_key("11010519491231002X").unwrap()], first);
        let found = w.find(first).unwrap().unwrap();
        assert_eq!(found.status, WorkerStatus::Registered);
        let mut changed = found.worker.clone();
        changed.phone = "13812345678".into();
        w.update(found.id, &changed.as_ref()).unwrap();
        assert_eq!(w.find(first).unwrap().unwrap().worker, changed);
        drop(w);
        tx.commit().unwrap();
        assert_eq!(counts(&s.conn).unwrap().workers, 1);
    }

    #[test]
    fn indexes_dropped_for_a_bulk_load_come_back_and_still_guard() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("z.db")).unwrap();
        let index_count = |c: &Connection| -> i64 {
            c.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'workers'",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        let tx = s.write().unwrap();
        let defs = drop_indexes(&tx, "workers").unwrap();
        assert_eq!(defs.len(), 2);
        assert_eq!(index_count(&tx), 0);
        tx.execute_batch("INSERT INTO workers (id_number, name) VALUES ('a', '甲'), ('b', '乙');")
            .unwrap();
        rebuild_indexes(&tx, &defs).unwrap();
        assert_eq!(index_count(&tx), 2);
        tx.commit().unwrap();
        // Twice in one connection (the temporary database is open by now), and with a
        // duplicate: the unique index refuses, and rollback restores the indexes.
        bulk_load_mode(&s.conn, true).unwrap();
        let tx = s.write().unwrap();
        let defs = drop_indexes(&tx, "workers").unwrap();
        tx.execute(
            "INSERT INTO workers (id_number, name) VALUES ('a', '丙')",
            [],
        )
        .unwrap();
        assert!(rebuild_indexes(&tx, &defs).is_err());
        drop(tx);
        bulk_load_mode(&s.conn, false).unwrap();
        assert_eq!(index_count(&s.conn), 2, "rollback restores the indexes");
    }

    #[test]
    fn dates_are_stored_as_chrono_reads_them() {
        let d = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        let mut b = [0u8; 10];
        assert_eq!(iso_date(d, &mut b), "2020-02-01");
        let c = Connection::open_in_memory().unwrap();
        let back: NaiveDate = c
            .query_row("SELECT ?1", ["2020-02-01"], |r| r.get(0))
            .unwrap();
        assert_eq!(back, d);
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
