//! Retention (PIPL): which personal fields are past their purpose, blanking them while keeping
//! every count, and emptying the write-ahead log so the deleted text is really gone from disk.
//!
//! What goes, once a trip arrived before the cutoff:
//! - its passengers who arrived (or were refused and have nothing newer): name, ID number,
//!   phone, township, village, certificate issuer, the free text of how they went by other
//!   means; workers who left by other means before the cutoff likewise. County, employer,
//!   certificate dates, statuses, seats, temperatures and other-means dates stay, so every
//!   statistic still adds up.
//! - the receivers' names on the trip (one per employer too), the free-text notes of its en-route events (stop places,
//!   anything typed beside a round, a fever or a move) and the reasons typed for corrections
//!   (an undo at the door), of the trip and of each purged passenger. The markers the program
//!   writes itself stay (`at the door` / `en route` on a fever, `from seat N` on a move): they
//!   name nobody, and the papers tell a door fever from a road one and trace the seat a
//!   passenger left by them. Temperature readings stay whole (time, value, seat, who took
//!   them): they name nobody once the worker row is blank, and counts are built from them.
//!   Free text added to trips or passengers later belongs in `blank` too.
//! - the crew (drivers' and attendant's names and phones) of a bus whose every trip (its own,
//!   or one its crew drove on a substitute coach) is such an old
//!   trip (or was cancelled before the cutoff) and whose offered date, if any, has passed.
//!   Buses are fleet data: plate, seats and operating company stay, and a bus still offered
//!   or running keeps its crew, since the crew is also the current one.
//!
//! - whom an advance notice went to (free text that may name a liaison), once every trip of
//!   its day and destination province is such an old trip (or was cancelled before the
//!   cutoff); the notice's day, province, time and operator stay.
//!
//! Withdrawn workers are kept: the schema records no date for a withdrawal, so no age can be
//! proven. Employers' contacts are business contacts, not passengers, and stay.

use super::Result;
use crate::store::{rules, Db, Tx};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// The day a trip ended: its arrival time's date, else its own date.
const ARRIVAL_DAY: &str = "substr(COALESCE(t.arrived_at, t.date), 1, 10)";

/// A trip over before the cutoff: arrived then, or cancelled for a day before it.
const OLD_TRIP: &str =
    "(t.status = 'arrived' AND substr(COALESCE(t.arrived_at, t.date), 1, 10) < ?1)
     OR (t.status = 'cancelled' AND t.date < ?1)";

/// An en-route note that may hold typed text: anything but the markers the program writes.
const FREE_NOTE: &str = "(note <> ''
     AND NOT (kind = 'fever' AND note IN ('at the door', 'en route'))
     AND NOT (kind = 'move' AND note GLOB 'from seat [0-9]*'
              AND substr(note, 11) NOT GLOB '*[^0-9]*'))";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    pub workers: Vec<i64>,
    /// Arrived before the cutoff: receiver and notes are blanked.
    pub trips: Vec<i64>,
    pub buses: Vec<i64>,
    /// Advance notices whose recipient text is blanked.
    pub notices: Vec<i64>,
}

impl Candidates {
    pub fn is_empty(&self) -> bool {
        self.workers.is_empty()
            && self.trips.is_empty()
            && self.buses.is_empty()
            && self.notices.is_empty()
    }
}

/// Everything whose personal data is older than `cutoff` (exclusive) and not yet purged.
pub fn candidates(conn: &Db<'_>, cutoff: NaiveDate) -> Result<Candidates> {
    candidates_in(conn, cutoff, i64::MIN, i64::MAX)
}

/// [`candidates`] with row ids between `lo` and `hi` (each kind by its own ids): the check
/// made again inside each chunk's write transaction, reading only that range.
pub fn candidates_in(conn: &Db<'_>, cutoff: NaiveDate, lo: i64, hi: i64) -> Result<Candidates> {
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![cutoff, lo, hi], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    // A worker's last activity: a trip still under way counts as "never old".
    let workers = ids(&format!(
        "WITH act AS (
            SELECT p.worker_id AS wid,
                   MAX(CASE WHEN t.status IN {open} THEN '9999-12-31'
                            WHEN t.status = 'arrived' THEN {ARRIVAL_DAY}
                            ELSE t.date END) AS last_day,
                   MAX(t.status = 'arrived') AS any_arrived
            FROM passengers p JOIN trips t ON t.id = p.trip_id
            WHERE p.worker_id BETWEEN ?2 AND ?3
            GROUP BY p.worker_id)
         SELECT w.id FROM workers w LEFT JOIN act ON act.wid = w.id
         WHERE w.id BETWEEN ?2 AND ?3 AND w.purged = 0 AND (
             (w.status IN ('arrived','refused') AND act.any_arrived = 1 AND act.last_day < ?1)
          OR (w.status = 'other-means' AND w.other_date < ?1
              AND COALESCE(act.last_day, '') < ?1))
         ORDER BY w.id",
        open = rules::OPEN.as_str()
    ))?;
    let trips = ids(&format!(
        "SELECT t.id FROM trips t
         WHERE t.id BETWEEN ?2 AND ?3 AND t.status = 'arrived' AND {ARRIVAL_DAY} < ?1
           AND (COALESCE(t.receiver, '') <> ''
                OR EXISTS (SELECT 1 FROM trip_receivers r WHERE r.trip_id = t.id AND r.name <> '')
                OR EXISTS (SELECT 1 FROM trip_events WHERE trip_id = t.id AND {FREE_NOTE})
                OR EXISTS (SELECT 1 FROM reasons r WHERE r.trip_id = t.id AND r.text <> ''))
         ORDER BY t.id"
    ))?;
    let buses = ids(&format!(
        "SELECT bus.id FROM buses bus
         WHERE bus.id BETWEEN ?2 AND ?3
           AND (EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id)
                OR EXISTS (SELECT 1 FROM trips t WHERE t.crew_bus_id = bus.id))
           AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id AND NOT ({OLD_TRIP}))
           AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.crew_bus_id = bus.id AND NOT ({OLD_TRIP}))
           AND (bus.available_date IS NULL OR bus.available_date < ?1)
           AND (bus.driver1 <> '' OR bus.driver1_phone <> '' OR bus.driver2 <> ''
                OR bus.driver2_phone <> '' OR bus.attendant <> '' OR bus.attendant_phone <> '')
         ORDER BY bus.id"
    ))?;
    let notices = ids(&format!(
        "SELECT n.id FROM notices n
         WHERE n.id BETWEEN ?2 AND ?3 AND n.sent_to <> '' AND n.date < ?1
           AND NOT EXISTS (SELECT 1 FROM trips t JOIN batches b ON b.id = t.batch_id
                           WHERE t.date = n.date AND b.province = n.province AND NOT (
                                 (t.status = 'arrived' AND {ARRIVAL_DAY} < ?1)
                              OR (t.status = 'cancelled' AND t.date < ?1)))
         ORDER BY n.id"
    ))?;
    Ok(Candidates {
        workers,
        trips,
        buses,
        notices,
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Blanked {
    pub workers: usize,
    pub trips: usize,
    pub buses: usize,
    pub notes: usize,
}

impl std::ops::AddAssign for Blanked {
    fn add_assign(&mut self, o: Blanked) {
        self.workers += o.workers;
        self.trips += o.trips;
        self.buses += o.buses;
        self.notes += o.notes;
    }
}

/// Blanks the personal fields and free texts of the candidates inside the chunk's
/// transaction. `secure_delete` (on for every connection) zeroes the old text in the pages
/// as they are rewritten, so nothing waits for a VACUUM.
pub fn blank(tx: &Tx<'_>, c: &Candidates) -> Result<Blanked> {
    tx.pragma_update(None, "secure_delete", true)?;
    let mut out = Blanked::default();
    let mut worker = tx.prepare_cached(
        "UPDATE workers SET name = '', id_number = NULL, phone = '', township = '', village = '',
                cert_issuer = '',
                other_means = CASE WHEN other_means IS NULL THEN NULL ELSE '' END,
                purged = 1
         WHERE id = ?1",
    )?;
    let mut worker_notes = tx.prepare_cached(&format!(
        "UPDATE trip_events SET note = '' WHERE worker_id = ?1 AND {FREE_NOTE}"
    ))?;
    let mut worker_reasons =
        tx.prepare_cached("UPDATE reasons SET text = '' WHERE worker_id = ?1 AND text <> ''")?;
    // Former names (kept when an import renamed the worker) go with the worker's own name.
    let mut former_names = tx.prepare_cached(
        "UPDATE worker_names SET old_name = '', new_name = '', source = ''
         WHERE worker_id = ?1 AND (old_name <> '' OR new_name <> '' OR source <> '')",
    )?;
    for id in &c.workers {
        out.workers += worker.execute([id])?;
        out.notes += worker_notes.execute([id])?;
        out.notes += worker_reasons.execute([id])?;
        former_names.execute([id])?;
    }
    let mut trip = tx.prepare_cached("UPDATE trips SET receiver = NULL WHERE id = ?1")?;
    let mut trip_notes = tx.prepare_cached(&format!(
        "UPDATE trip_events SET note = '' WHERE trip_id = ?1 AND {FREE_NOTE}"
    ))?;
    let mut trip_reasons =
        tx.prepare_cached("UPDATE reasons SET text = '' WHERE trip_id = ?1 AND text <> ''")?;
    let mut trip_receivers =
        tx.prepare_cached("UPDATE trip_receivers SET name = '' WHERE trip_id = ?1 AND name <> ''")?;
    for id in &c.trips {
        out.trips += trip.execute([id])?;
        out.notes += trip_notes.execute([id])?;
        out.notes += trip_reasons.execute([id])?;
        out.notes += trip_receivers.execute([id])?;
    }
    let mut bus = tx.prepare_cached(
        "UPDATE buses SET driver1 = '', driver1_phone = '', driver2 = '', driver2_phone = '',
                attendant = '', attendant_phone = ''
         WHERE id = ?1",
    )?;
    for id in &c.buses {
        out.buses += bus.execute(params![id])?;
    }
    let mut notice = tx.prepare_cached("UPDATE notices SET sent_to = '' WHERE id = ?1")?;
    for id in &c.notices {
        out.notes += notice.execute([id])?;
    }
    Ok(out)
}

/// Copies every committed page into the file and empties the write-ahead log, so no older
/// version of a blanked page is left in either. Returns false when another connection's open
/// read kept the log from being fully emptied (the last one to close empties it).
pub fn truncate_wal(conn: &Db<'_>) -> Result<bool> {
    let (busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0 && log == done)
}

/// Meta key set on a database that was written before `secure_delete` was on for every
/// connection: its free space may hold old text, which one VACUUM removes.
pub const SCRUB_KEY: &str = "scrub_once";

/// Whether the file still needs its one whole-file VACUUM.
pub fn needs_scrub(conn: &Db<'_>) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM meta WHERE key = ?1", [SCRUB_KEY], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Clears [`SCRUB_KEY`] (after the VACUUM, or on a file created with `secure_delete`).
pub fn scrubbed(conn: &Db<'_>) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [SCRUB_KEY])?;
    Ok(())
}

/// Rewrites the whole file without free pages: only for [`needs_scrub`] files, once.
pub fn vacuum(conn: &Db<'_>) -> Result<()> {
    conn.execute_batch("VACUUM;")?;
    Ok(())
}
