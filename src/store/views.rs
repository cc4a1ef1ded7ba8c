//! The console's read queries over the ledger: pipeline counts per employer, ledger pages and
//! the search index feed (the departure board's trip summaries are in `board`). Also the two
//! small ledger writes the console offers (edit contact/certificate, withdraw), each inside a
//! caller's tx.

mod board;
pub use board::*;

use super::Result;
use crate::model::{HealthCertificate, TripStatus, WorkerStatus};
use crate::store::{rules, Db, Tx};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use std::sync::LazyLock;

/// The ledger by lifecycle state and the day's trips, for the status bar (the office's
/// `stats` counts are `stats::LedgerCounts`, a demo's size `ledger::LedgerTotals`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatusCounts {
    pub workers: u64,
    pub registered: u64,
    pub planned: u64,
    pub boarded: u64,
    pub departed: u64,
    pub arrived: u64,
    pub withdrawn: u64,
    pub employers: u64,
    pub trips_today: u64,
}

pub fn status_counts(conn: &Db<'_>, today: NaiveDate) -> Result<StatusCounts> {
    let mut c = StatusCounts::default();
    // Counted while streaming the employer index (which holds the status): a GROUP BY would
    // sort a million rows in memory first.
    let mut stmt = conn.prepare_cached("SELECT status FROM workers INDEXED BY workers_employer")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        c.workers += 1;
        match r.get_ref(0)?.as_str().unwrap_or("") {
            "registered" => c.registered += 1,
            "planned" => c.planned += 1,
            "boarded" => c.boarded += 1,
            "departed" => c.departed += 1,
            "arrived" => c.arrived += 1,
            "withdrawn" => c.withdrawn += 1,
            _ => {}
        }
    }
    c.employers = conn.query_row("SELECT count(*) FROM employers", [], |r| count(r, 0))?;
    c.trips_today = conn.query_row(
        "SELECT count(*) FROM trips WHERE date = ?1 AND status <> 'cancelled'",
        [today],
        |r| count(r, 0),
    )?;
    Ok(c)
}

/// One employer (destination) with its pipeline counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DestinationRow {
    pub employer_id: i64,
    pub name: String,
    pub province: String,
    pub city: String,
    pub expected: u64,
    /// Everyone in the ledger for this employer except the withdrawn.
    pub registered: u64,
    /// Registered (not yet placed) with a certificate valid on the day.
    pub eligible: u64,
    pub planned: u64,
    pub boarded: u64,
    pub departed: u64,
    pub arrived: u64,
}

/// Every employer with its pipeline counts. The workers are streamed once in table order and
/// counted here with the model's own certificate rule (no copy of it in SQL, and no GROUP BY
/// sorting a million rows in memory): about half a second at 1,000,000 workers.
pub fn destinations(
    conn: &Db<'_>,
    day: NaiveDate,
    validity_days: u32,
) -> Result<Vec<DestinationRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, province, city, expected FROM employers ORDER BY province, city, name",
    )?;
    let mut out: Vec<DestinationRow> = stmt
        .query_map([], |r| {
            Ok(DestinationRow {
                employer_id: r.get(0)?,
                name: r.get(1)?,
                province: r.get(2)?,
                city: r.get(3)?,
                expected: count(r, 4)?,
                ..Default::default()
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let position: std::collections::HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, d)| (d.employer_id, i))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT employer_id, status, cert_issued, cert_valid_until FROM workers NOT INDEXED
         WHERE employer_id IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = position.get(&r.get::<_, i64>(0)?) else {
            continue;
        };
        let d = &mut out[i];
        match r.get_ref(1)?.as_str().unwrap_or("") {
            "withdrawn" => continue,
            "registered" => {
                let cert = HealthCertificate {
                    issued: r.get(2)?,
                    valid_until: r.get(3)?,
                    issuer: String::new(),
                };
                if cert.state_on(day, validity_days).allows_travel() {
                    d.eligible += 1;
                }
            }
            "planned" => d.planned += 1,
            "boarded" => d.boarded += 1,
            "departed" => d.departed += 1,
            "arrived" => d.arrived += 1,
            _ => {}
        }
        d.registered += 1;
    }
    Ok(out)
}

/// What the drill-in card shows about one employer beyond its counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EmployerCard {
    pub employer_id: i64,
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub expected: u64,
    pub distance_km: u32,
    pub mutual_recognition: bool,
}

pub fn employer_card(conn: &Db<'_>, employer_id: i64) -> Result<Option<EmployerCard>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, province, city, address, contact, contact_phone, expected,
                    distance_km, mutual_recognition FROM employers WHERE id = ?1",
        )?
        .query_row([employer_id], |r| {
            Ok(EmployerCard {
                employer_id: r.get(0)?,
                name: r.get(1)?,
                province: r.get(2)?,
                city: r.get(3)?,
                address: r.get(4)?,
                contact: r.get(5)?,
                contact_phone: r.get(6)?,
                expected: count(r, 7)?,
                distance_km: r.get(8)?,
                mutual_recognition: r.get(9)?,
            })
        })
        .optional()?)
}

/// A trip that carries (or carried) some of one employer's workers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployerTrip {
    pub trip_id: i64,
    pub date: NaiveDate,
    pub departure: String,
    pub batch_code: String,
    pub plate: String,
    pub status: TripStatus,
    /// This employer's passengers holding a seat or boarded.
    pub passengers: u64,
}

pub fn employer_trips(conn: &Db<'_>, employer_id: i64) -> Result<Vec<EmployerTrip>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.date, b.departure, b.code, bus.plate, t.status,
                SUM(p.status IN {holds})
         FROM passengers p JOIN workers w ON w.id = p.worker_id
              JOIN trips t ON t.id = p.trip_id JOIN batches b ON b.id = t.batch_id
              JOIN buses bus ON bus.id = t.bus_id
         WHERE w.employer_id = ?1
         GROUP BY t.id ORDER BY t.date DESC, b.departure, bus.plate",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([employer_id], |r| {
        Ok(EmployerTrip {
            trip_id: r.get(0)?,
            date: r.get(1)?,
            departure: r.get(2)?,
            batch_code: r.get(3)?,
            plate: r.get(4)?,
            status: r.get(5)?,
            passengers: count(r, 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One ledger line as the Workers screen shows it (mask before showing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerLine {
    pub id: i64,
    pub name: String,
    /// Full, normalised; `None` once purged.
    pub id_number: Option<String>,
    pub phone: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer_id: Option<i64>,
    pub employer: String,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub cert_issuer: String,
    pub status: WorkerStatus,
    /// The bus and seat the worker holds (planned, 复测 or boarded, on the road or arrived).
    pub place: Option<Place>,
}

/// Where a worker sits: bus, seat and the trip's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub plate: String,
    pub seat: u32,
    pub trip: String,
}

// A worker holds at most one seat (the unique index `passengers_worker_placed`), so the join
// never repeats a worker.
static WORKER_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT w.id, w.name,
        COALESCE(w.id_number, '**************' || w.id_last4), w.phone, w.county, w.township,
        w.village, w.employer_id, COALESCE(e.name, ''), w.cert_issued, w.cert_valid_until,
        w.cert_issuer, w.status, b.plate, p.seat, t.code
    FROM workers w LEFT JOIN employers e ON e.id = w.employer_id
      LEFT JOIN passengers p ON p.worker_id = w.id AND p.status IN {holds}
      LEFT JOIN trips t ON t.id = p.trip_id LEFT JOIN buses b ON b.id = t.bus_id",
        holds = rules::HOLDS.as_str()
    )
});

fn worker_line(r: &Row<'_>) -> rusqlite::Result<WorkerLine> {
    Ok(WorkerLine {
        id: r.get(0)?,
        name: r.get(1)?,
        id_number: r.get(2)?,
        phone: r.get(3)?,
        county: r.get(4)?,
        township: r.get(5)?,
        village: r.get(6)?,
        employer_id: r.get(7)?,
        employer: r.get(8)?,
        cert_issued: r.get(9)?,
        cert_valid_until: r.get(10)?,
        cert_issuer: r.get(11)?,
        status: r.get(12)?,
        place: match (r.get(13)?, r.get(14)?, r.get(15)?) {
            (Some(plate), Some(seat), Some(trip)) => Some(Place { plate, seat, trip }),
            _ => None,
        },
    })
}

pub fn worker(conn: &Db<'_>, id: i64) -> Result<Option<WorkerLine>> {
    Ok(conn
        .prepare_cached(&format!(
            "{select} WHERE w.id = ?1",
            select = *WORKER_SELECT
        ))?
        .query_row([id], worker_line)
        .optional()?)
}

/// The lines of the given workers (a visible page), in the order asked; unknown ids skipped.
pub fn workers_by_ids(conn: &Db<'_>, ids: &[i64]) -> Result<Vec<WorkerLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE w.id = ?1",
        select = *WORKER_SELECT
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(line) = stmt.query_row([id], worker_line).optional()? {
            out.push(line);
        }
    }
    Ok(out)
}

/// One employer's workers, for the drill-in view (bounded: an employer has hundreds).
pub fn employer_workers(conn: &Db<'_>, employer_id: i64, limit: u32) -> Result<Vec<WorkerLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE w.employer_id = ?1 ORDER BY w.id LIMIT ?2",
        select = *WORKER_SELECT
    ))?;
    let rows = stmt.query_map(params![employer_id, limit], worker_line)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the console's search index keeps of one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub village: &'a str,
    pub township: &'a str,
    /// Last four digits of the phone ("" without one).
    pub phone4: &'a str,
    /// Last four characters of the ID number (kept by a pack, "" once purged).
    pub id4: &'a str,
    pub employer: i64,
}

/// Streams every worker in row-id order, without allocating per row: the feed of the
/// console's in-memory search index.
pub fn for_each_search_row(conn: &Db<'_>, mut f: impl FnMut(SearchRow<'_>)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, name, village, township, substr(phone, -4),
                COALESCE(substr(id_number, 15), id_last4, ''), COALESCE(employer_id, 0)
         FROM workers ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text =
            |i| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str_or_null()?.unwrap_or("")) };
        f(SearchRow {
            id: r.get(0)?,
            name: text(1)?,
            village: text(2)?,
            township: text(3)?,
            phone4: text(4)?,
            id4: text(5)?,
            employer: r.get(6)?,
        });
    }
    Ok(())
}

/// Cheap fingerprint of the ledger's rows: changes when workers are added or removed.
pub fn ledger_fingerprint(conn: &Db<'_>) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT COALESCE(max(id), 0), count(*) FROM workers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn employer_names(conn: &Db<'_>) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM employers ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// New contact and certificate details of one worker (already validated by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerUpdate {
    pub phone: String,
    pub village: String,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
}

pub fn update_worker(tx: &Tx<'_>, id: i64, u: &WorkerUpdate) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE workers SET phone = ?2, village = ?3, cert_issued = ?4, cert_valid_until = ?5
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            u.phone,
            u.village,
            u.cert_issued,
            u.cert_valid_until
        ])?)
}

pub fn set_worker_status(tx: &Tx<'_>, id: i64, status: WorkerStatus) -> Result<usize> {
    Ok(tx
        .prepare_cached("UPDATE workers SET status = ?2 WHERE id = ?1")?
        .execute(params![id, status])?)
}

/// SQLite counts are i64; the figures are shown as unsigned.
pub(crate) fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}
