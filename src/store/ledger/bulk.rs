//! The worker bulk load: ID-number keys held in memory, statements held for a whole step of a
//! load, and the connection settings for it.

use super::{Worker, WorkerRef};
use crate::model::WorkerStatus;
use crate::store::Db;
use crate::store::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Statement};

pub use crate::model::records::{id_key, FastMap};

/// A worker as found by ID number, with what an import needs to decide on an update.
#[derive(Debug, Clone)]
pub struct StoredWorker {
    pub id: i64,
    pub status: WorkerStatus,
    pub worker: Worker,
}

/// Every worker in the ledger by ID number key → row id (purged workers have no number).
pub fn worker_keys(conn: &Db<'_>) -> Result<FastMap<u64, i64>> {
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

/// Rows per multi-row INSERT: SQLite's and rusqlite's cost per statement is paid once for
/// many rows (the writer thread is the bottleneck of a large import).
const BATCH: usize = 64;
const COLUMNS: usize = 10;

const INSERT_COLUMNS: &str = "INSERT OR FAIL INTO workers (id_number, name, phone, county, township, \
                              village, employer_id, cert_issued, cert_valid_until, cert_issuer) VALUES ";

/// The statements of a worker bulk load, prepared once and held for the whole file: at a
/// million rows, re-preparing (or even looking up the statement cache) shows in the profile.
/// Whether an ID number is new is decided by the caller (see `worker_keys`); the unique index
/// has the last word (`Inserted::conflicts`).
pub struct WorkerWriter<'c> {
    insert: Statement<'c>,
    insert_batch: Statement<'c>,
    find: Statement<'c>,
    by_number: Statement<'c>,
    update: Statement<'c>,
}

/// What `insert_new` did: row ids given (first, last), and rows refused as already known.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inserted {
    pub ranges: Vec<(i64, i64)>,
    pub conflicts: Vec<usize>,
}

/// Rows per `insert_new` call that go as one multi-row statement.
pub const INSERT_BATCH: usize = BATCH;

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl<'c> WorkerWriter<'c> {
    pub fn new(conn: &Db<'c>) -> Result<Self> {
        let one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        let many = vec![one; BATCH].join(", ");
        Ok(WorkerWriter {
            insert: conn.prepare(&format!("{INSERT_COLUMNS}{one}"))?,
            insert_batch: conn.prepare(&format!("{INSERT_COLUMNS}{many}"))?,
            find: conn.prepare(
                "SELECT status, id_number, name, phone, county, township, village, employer_id,
                        cert_issued, cert_valid_until, cert_issuer
                 FROM workers WHERE id = ?1",
            )?,
            by_number: conn.prepare("SELECT id FROM workers WHERE id_number = ?1")?,
            update: conn.prepare(
                "UPDATE workers SET name = ?2, phone = ?3, county = ?4, township = ?5,
                     village = ?6, employer_id = ?7, cert_issued = ?8, cert_valid_until = ?9,
                     cert_issuer = ?10
                 WHERE id = ?1",
            )?,
        })
    }

    /// Inserts a worker whose ID number is not in the ledger; returns the row id.
    pub fn insert(&mut self, conn: &Db<'_>, w: &WorkerRef<'_>) -> Result<i64> {
        bind_worker(&mut self.insert, 0, w)?;
        self.insert.raw_execute()?;
        Ok(conn.last_insert_rowid())
    }

    /// Inserts up to `BATCH` new workers, in the order given, as one statement when there are
    /// `BATCH` of them. Row ids come back as ranges (consecutive in the order given). A worker
    /// whose ID number is in the ledger after all (another terminal registered it since the
    /// file was read) is not inserted: its index in `rows` is in `conflicts`.
    pub fn insert_new(&mut self, conn: &Db<'_>, rows: &[WorkerRef<'_>]) -> Result<Inserted> {
        let mut out = Inserted::default();
        if rows.len() == BATCH {
            for (i, w) in rows.iter().enumerate() {
                bind_worker(&mut self.insert_batch, i * COLUMNS, w)?;
            }
            // OR FAIL: a conflict stops the statement but keeps the rows before it, so SQLite
            // needs no statement journal to undo a half-done statement (it cost more than
            // the index it protects); the rows from the conflict on go one by one below.
            let kept = match self.insert_batch.raw_execute() {
                Ok(_) => BATCH,
                Err(e) if is_unique_violation(&e) => conn.changes() as usize,
                Err(e) => return Err(e.into()),
            };
            if kept > 0 {
                let last = conn.last_insert_rowid();
                out.ranges.push((last - kept as i64 + 1, last));
            }
            if kept == BATCH {
                return Ok(out);
            }
            return self.insert_each(conn, rows, kept, out);
        }
        self.insert_each(conn, rows, 0, out)
    }

    fn insert_each(
        &mut self,
        conn: &Db<'_>,
        rows: &[WorkerRef<'_>],
        from: usize,
        mut out: Inserted,
    ) -> Result<Inserted> {
        for (i, w) in rows.iter().enumerate().skip(from) {
            bind_worker(&mut self.insert, 0, w)?;
            match self.insert.raw_execute() {
                Ok(_) => {
                    let id = conn.last_insert_rowid();
                    match out.ranges.last_mut() {
                        Some((_, last)) if *last + 1 == id => *last = id,
                        _ => out.ranges.push((id, id)),
                    }
                }
                Err(e) if is_unique_violation(&e) => out.conflicts.push(i),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    /// The worker holding this ID number, if any.
    pub fn find_by_id_number(&mut self, id_number: &str) -> Result<Option<StoredWorker>> {
        let id: Option<i64> = self
            .by_number
            .query_row([id_number], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => self.find(id),
            None => Ok(None),
        }
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

/// Inserts one worker whose ID number is not in the ledger (a walk-in registered by hand);
/// returns the row id.
pub fn insert_worker(conn: &Db<'_>, w: &WorkerRef<'_>) -> Result<i64> {
    let mut stmt =
        conn.prepare_cached(&format!("{INSERT_COLUMNS}(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))?;
    bind_worker(&mut stmt, 0, w)?;
    stmt.raw_execute()?;
    Ok(conn.last_insert_rowid())
}

/// Binds one worker's ten values from parameter `offset + 1` on.
fn bind_worker(stmt: &mut Statement<'_>, offset: usize, w: &WorkerRef<'_>) -> Result<()> {
    let mut date = [0u8; 10];
    let texts = [
        w.id_number,
        w.name,
        w.phone,
        w.county,
        w.township,
        w.village,
    ];
    for (k, t) in texts.into_iter().enumerate() {
        stmt.raw_bind_parameter(offset + k + 1, t)?;
    }
    stmt.raw_bind_parameter(offset + 7, w.employer_id)?;
    stmt.raw_bind_parameter(offset + 8, w.cert_issued.map(|d| iso_date(d, &mut date)))?;
    stmt.raw_bind_parameter(
        offset + 9,
        w.cert_valid_until.map(|d| iso_date(d, &mut date)),
    )?;
    stmt.raw_bind_parameter(offset + 10, w.cert_issuer)?;
    Ok(())
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

/// Settings of this connection for a bulk load, switched on before its transactions and off
/// after (neither can change inside one): foreign keys off, since the load has checked every
/// reference itself (employer names against the employers it read), and SQLite's check is a
/// lookup per row. Temporary data (the statement journal of each multi-row insert) stays in
/// memory: written to a file it cost more system time than the rows themselves.
pub fn bulk_load_mode(conn: &Db<'_>, on: bool) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", !on)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Raises the page cache of this connection for a bulk load (random ID numbers make the
/// unique index touch pages all over the file) and returns the previous setting.
pub fn widen_cache(conn: &Db<'_>, kib: i64) -> Result<i64> {
    let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -kib)?;
    Ok(before)
}

pub fn restore_cache(conn: &Db<'_>, setting: i64) -> Result<()> {
    conn.pragma_update(None, "cache_size", setting)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{counts, employer_ids, save_employer, Employer};
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
        let tx = s.begin().unwrap();
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
        assert_eq!(counts(&s.db()).unwrap().workers, 1);
    }

    #[test]
    fn a_known_number_in_a_full_batch_is_set_aside_and_the_rest_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("z.db")).unwrap();
        let tx = s.begin().unwrap();
        let mut w = WorkerWriter::new(&tx).unwrap();
        let numbers: Vec<String> = (0..BATCH)
            .map(|i| format!("61092419870331{i:04}"))
            .collect();
        // Another terminal registered the 21st worker of the batch meanwhile.
        let unplaced = |n: &String| Worker {
            id_number: n.clone(),
            name: "李四".into(),
            ..Default::default()
        };
        let registered = w.insert(&tx, &unplaced(&numbers[20]).as_ref()).unwrap();
        let rows: Vec<Worker> = numbers.iter().map(unplaced).collect();
        let refs: Vec<WorkerRef<'_>> = rows.iter().map(Worker::as_ref).collect();
        let done = w.insert_new(&tx, &refs).unwrap();
        assert_eq!(done.conflicts, vec![20]);
        let written: i64 = done.ranges.iter().map(|(a, b)| b - a + 1).sum();
        assert_eq!(written, BATCH as i64 - 1);
        for (i, n) in numbers.iter().enumerate() {
            let found = w.find_by_id_number(n).unwrap().unwrap();
            if i == 20 {
                assert_eq!(found.id, registered);
            } else {
                assert!(done
                    .ranges
                    .iter()
                    .any(|&(a, b)| (a..=b).contains(&found.id)));
            }
        }
        drop(w);
        tx.commit().unwrap();
        assert_eq!(counts(&s.db()).unwrap().workers, BATCH as i64);
    }

    #[test]
    fn dates_are_stored_as_chrono_reads_them() {
        let d = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        let mut b = [0u8; 10];
        assert_eq!(iso_date(d, &mut b), "2020-02-01");
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let back: NaiveDate = c
            .query_row("SELECT ?1", ["2020-02-01"], |r| r.get(0))
            .unwrap();
        assert_eq!(back, d);
    }
}
