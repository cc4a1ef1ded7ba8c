//! Retention (PIPL): which personal fields are past their purpose, blanking them while keeping
//! every count, and compacting the file so the deleted text is really gone from disk.
//!
//! What goes, once a trip arrived before the cutoff:
//! - its passengers who arrived (or were refused and have nothing newer): name, ID number,
//!   phone, township, village, certificate issuer; workers who left by other means before the
//!   cutoff likewise. County, employer, certificate dates, statuses, seats, temperatures and
//!   other-means dates stay, so every statistic still adds up.
//! - the receiver's name on the trip, and the free-text notes of its en-route events.
//! - the crew (drivers' and attendant's names and phones) of a bus whose every trip is such an
//!   old trip (or was cancelled before the cutoff) and whose offered date, if any, has passed.
//!   Buses are fleet data: plate, seats and operating company stay, and a bus still offered
//!   or running keeps its crew, since the crew is also the current one.
//!
//! Withdrawn workers are kept: the schema records no date for a withdrawal, so no age can be
//! proven. Employers' contacts are business contacts, not passengers, and stay.

use super::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction};

/// The day a trip ended: its arrival time's date, else its own date.
const ARRIVAL_DAY: &str = "substr(COALESCE(t.arrived_at, t.date), 1, 10)";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    pub workers: Vec<i64>,
    /// Arrived before the cutoff: receiver and notes are blanked.
    pub trips: Vec<i64>,
    pub buses: Vec<i64>,
}

impl Candidates {
    pub fn is_empty(&self) -> bool {
        self.workers.is_empty() && self.trips.is_empty() && self.buses.is_empty()
    }
}

/// Everything whose personal data is older than `cutoff` (exclusive) and not yet purged.
pub fn candidates(conn: &Connection, cutoff: NaiveDate) -> Result<Candidates> {
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([cutoff], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    // A worker's last activity: a trip still under way counts as "never old".
    let workers = ids(&format!(
        "WITH act AS (
            SELECT p.worker_id AS wid,
                   MAX(CASE WHEN t.status IN ('planned','boarding','departed') THEN '9999-12-31'
                            WHEN t.status = 'arrived' THEN {ARRIVAL_DAY}
                            ELSE t.date END) AS last_day,
                   MAX(t.status = 'arrived') AS any_arrived
            FROM passengers p JOIN trips t ON t.id = p.trip_id
            GROUP BY p.worker_id)
         SELECT w.id FROM workers w LEFT JOIN act ON act.wid = w.id
         WHERE w.purged = 0 AND (
             (w.status IN ('arrived','refused') AND act.any_arrived = 1 AND act.last_day < ?1)
          OR (w.status = 'other-means' AND w.other_date < ?1
              AND COALESCE(act.last_day, '') < ?1))
         ORDER BY w.id"
    ))?;
    let trips = ids(&format!(
        "SELECT t.id FROM trips t
         WHERE t.status = 'arrived' AND {ARRIVAL_DAY} < ?1
           AND (COALESCE(t.receiver, '') <> ''
                OR EXISTS (SELECT 1 FROM trip_events e WHERE e.trip_id = t.id AND e.note <> ''))
         ORDER BY t.id"
    ))?;
    let buses = ids(&format!(
        "SELECT bus.id FROM buses bus
         WHERE EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id)
           AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id AND NOT (
                 (t.status = 'arrived' AND {ARRIVAL_DAY} < ?1)
              OR (t.status = 'cancelled' AND t.date < ?1)))
           AND (bus.available_date IS NULL OR bus.available_date < ?1)
           AND (bus.driver1 <> '' OR bus.driver1_phone <> '' OR bus.driver2 <> ''
                OR bus.driver2_phone <> '' OR bus.attendant <> '' OR bus.attendant_phone <> '')
         ORDER BY bus.id"
    ))?;
    Ok(Candidates {
        workers,
        trips,
        buses,
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Blanked {
    pub workers: usize,
    pub trips: usize,
    pub buses: usize,
    pub notes: usize,
}

/// Blanks the personal fields of the candidates inside the action's transaction.
pub fn blank(tx: &Transaction<'_>, c: &Candidates) -> Result<Blanked> {
    // Freed pages are zeroed, so the text is gone even before the file is compacted.
    tx.pragma_update(None, "secure_delete", true)?;
    let mut out = Blanked::default();
    let mut worker = tx.prepare(
        "UPDATE workers SET name = '', id_number = NULL, phone = '', township = '', village = '',
                cert_issuer = '', purged = 1
         WHERE id = ?1",
    )?;
    let mut worker_notes =
        tx.prepare("UPDATE trip_events SET note = '' WHERE worker_id = ?1 AND note <> ''")?;
    // Former names (kept when an import renamed the worker) go with the worker's own name.
    let mut former_names = tx.prepare(
        "UPDATE worker_names SET old_name = '', new_name = '', source = ''
         WHERE worker_id = ?1 AND (old_name <> '' OR new_name <> '')",
    )?;
    for id in &c.workers {
        out.workers += worker.execute([id])?;
        out.notes += worker_notes.execute([id])?;
        former_names.execute([id])?;
    }
    let mut trip = tx.prepare("UPDATE trips SET receiver = NULL WHERE id = ?1")?;
    let mut trip_notes =
        tx.prepare("UPDATE trip_events SET note = '' WHERE trip_id = ?1 AND note <> ''")?;
    for id in &c.trips {
        out.trips += trip.execute([id])?;
        out.notes += trip_notes.execute([id])?;
    }
    let mut bus = tx.prepare(
        "UPDATE buses SET driver1 = '', driver1_phone = '', driver2 = '', driver2_phone = '',
                attendant = '', attendant_phone = ''
         WHERE id = ?1",
    )?;
    for id in &c.buses {
        out.buses += bus.execute(params![id])?;
    }
    Ok(out)
}

/// Rewrites the file without free pages and empties the write-ahead log, so blanked text is
/// in neither. Returns false when another connection kept the log from being fully emptied.
pub fn compact(conn: &Connection) -> Result<bool> {
    conn.execute_batch("VACUUM;")?;
    let (busy, _log, _done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0)
}
