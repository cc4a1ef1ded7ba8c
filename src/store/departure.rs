//! SQL of departure day: passenger and worker state changes at the door, stand-by places, the
//! trip's departure and arrival, and the en-route log (trip_events).

use super::{Result, StoreError};
use crate::model::{RefuseReason, SeatStatus, TripStatus, WorkerStatus};
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// What the door checks need to know about a worker beyond their passenger row.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerBrief {
    pub id: i64,
    pub status: WorkerStatus,
    pub employer_id: Option<i64>,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub purged: bool,
}

pub fn worker_brief(conn: &Db<'_>, worker_id: i64) -> Result<Option<WorkerBrief>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, status, employer_id, cert_issued, cert_valid_until, purged
             FROM workers WHERE id = ?1",
        )?
        .query_row([worker_id], |r| {
            Ok(WorkerBrief {
                id: r.get(0)?,
                status: r.get(1)?,
                employer_id: r.get(2)?,
                cert_issued: r.get(3)?,
                cert_valid_until: r.get(4)?,
                purged: r.get(5)?,
            })
        })
        .optional()?)
}

/// A database refusal that is a rule of the job, not a fault: the partial unique indexes on
/// passengers say a seat or a worker is already placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    SeatTaken,
    WorkerPlaced,
}

pub fn conflict(e: &StoreError) -> Option<Conflict> {
    let StoreError::Sql(rusqlite::Error::SqliteFailure(f, Some(msg))) = e else {
        return None;
    };
    if f.code != rusqlite::ErrorCode::ConstraintViolation {
        return None;
    }
    if msg.contains("passengers.trip_id, passengers.seat") {
        Some(Conflict::SeatTaken)
    } else if msg.contains("passengers.worker_id") {
        Some(Conflict::WorkerPlaced)
    } else {
        None
    }
}

pub fn set_boarded(conn: &Db<'_>, passenger_id: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE passengers SET status = 'boarded', boarded_at = ?2, refused_reason = NULL,
             changed_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![passenger_id, at])?;
    Ok(())
}

/// 复测: a fever reading at the door; the seat stays held (fails with the seat index if a
/// stand-by took it while the passenger was refused or a no-show).
pub fn set_recheck(conn: &Db<'_>, passenger_id: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE passengers SET status = 'recheck', boarded_at = NULL, refused_reason = NULL,
             changed_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![passenger_id, at])?;
    Ok(())
}

/// Frees the seat: refused (with reason) or no-show. Readings stay where they are.
pub fn set_refused(conn: &Db<'_>, passenger_id: i64, reason: RefuseReason, at: &str) -> Result<()> {
    let status = if reason == RefuseReason::NoShow {
        SeatStatus::NoShow
    } else {
        SeatStatus::Refused
    };
    conn.prepare_cached(
        "UPDATE passengers SET status = ?2, refused_reason = ?3, boarded_at = NULL,
             changed_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![passenger_id, status, reason, at])?;
    Ok(())
}

/// Back to "to be checked" on the same seat: a late no-show, or an undone door decision
/// (fails with the seat index if the seat was given away meanwhile).
pub fn set_planned(conn: &Db<'_>, passenger_id: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE passengers SET status = 'planned', refused_reason = NULL, boarded_at = NULL,
             changed_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![passenger_id, at])?;
    Ok(())
}

/// Marks a passenger under observation (a fever en route); the first time is kept.
pub fn set_observation(conn: &Db<'_>, passenger_id: i64, at: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE passengers SET observation_at = ?2, changed_at = ?2
             WHERE id = ?1 AND observation_at IS NULL",
        )?
        .execute(params![passenger_id, at])?
        == 1)
}

pub fn set_worker_status(conn: &Db<'_>, worker_id: i64, status: WorkerStatus) -> Result<()> {
    conn.prepare_cached("UPDATE workers SET status = ?2 WHERE id = ?1")?
        .execute(params![worker_id, status])?;
    Ok(())
}

pub fn set_trip_status(conn: &Db<'_>, trip_id: i64, status: TripStatus) -> Result<()> {
    conn.prepare_cached("UPDATE trips SET status = ?2 WHERE id = ?1")?
        .execute(params![trip_id, status])?;
    Ok(())
}

pub fn set_departed(conn: &Db<'_>, trip_id: i64, at: &str) -> Result<()> {
    conn.prepare_cached("UPDATE trips SET status = 'departed', departed_at = ?2 WHERE id = ?1")?
        .execute(params![trip_id, at])?;
    Ok(())
}

pub fn set_arrived(
    conn: &Db<'_>,
    trip_id: i64,
    at: &str,
    receiver: Option<&str>,
    headcount: u32,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE trips SET status = 'arrived', arrived_at = ?2, receiver = ?3, arrived_count = ?4
         WHERE id = ?1",
    )?
    .execute(params![trip_id, at, receiver, headcount])?;
    Ok(())
}

/// Gives a seat to a stand-by worker; the seat and worker indexes refuse a double placement.
pub fn insert_standby(
    conn: &Db<'_>,
    trip_id: i64,
    worker_id: i64,
    seat: u32,
    at: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO passengers (trip_id, worker_id, seat, status, standby, changed_at)
         VALUES (?1, ?2, ?3, 'planned', 1, ?4)",
    )?
    .execute(params![trip_id, worker_id, seat, at])?;
    Ok(conn.last_insert_rowid())
}

pub fn move_seat(conn: &Db<'_>, passenger_id: i64, seat: u32, at: &str) -> Result<()> {
    conn.prepare_cached("UPDATE passengers SET seat = ?2, changed_at = ?3 WHERE id = ?1")?
        .execute(params![passenger_id, seat, at])?;
    Ok(())
}

/// Seats held (planned, 复测 or boarded) on a trip.
pub fn held_seats(conn: &Db<'_>, trip_id: i64) -> Result<Vec<u32>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT seat FROM passengers WHERE trip_id = ?1 AND status IN {holds}
         ORDER BY seat",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([trip_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Employers of the workers rostered on a trip: stand-bys must work for one of them.
pub fn trip_employers(conn: &Db<'_>, trip_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT w.employer_id FROM passengers p JOIN workers w ON w.id = p.worker_id
         WHERE p.trip_id = ?1 AND w.employer_id IS NOT NULL ORDER BY w.employer_id",
    )?;
    let rows = stmt.query_map([trip_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A possible stand-by before the certificate check (done with the policy in ops).
#[derive(Debug, Clone, PartialEq)]
pub struct PoolWorker {
    pub worker_id: i64,
    pub name: String,
    pub id_number: String,
    pub village: String,
    pub employer: String,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
}

/// Workers of one employer who are free to travel (registered or waiting as stand-by, not
/// placed on any bus), by village then name.
pub fn standby_pool(conn: &Db<'_>, employer_id: i64) -> Result<Vec<PoolWorker>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT w.id, w.name, w.id_number, w.village, e.name, w.cert_issued, w.cert_valid_until
         FROM workers w JOIN employers e ON e.id = w.employer_id
         WHERE w.employer_id = ?1 AND w.status IN ('registered','standby')
           AND w.id_number IS NOT NULL AND w.purged = 0
           AND NOT EXISTS (SELECT 1 FROM passengers p
                           WHERE p.worker_id = w.id
                             AND p.status IN {holds})
         ORDER BY w.village, w.name, w.id",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([employer_id], |r| {
        Ok(PoolWorker {
            worker_id: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            village: r.get(3)?,
            employer: r.get(4)?,
            cert_issued: r.get(5)?,
            cert_valid_until: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves every worker boarded on a trip from one worker state to the next (departed, arrived);
/// returns their ids for the audit log.
pub fn advance_boarded_workers(
    conn: &Db<'_>,
    trip_id: i64,
    from: WorkerStatus,
    to: WorkerStatus,
) -> Result<Vec<i64>> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare_cached(
            "SELECT w.id FROM passengers p JOIN workers w ON w.id = p.worker_id
             WHERE p.trip_id = ?1 AND p.status = 'boarded' AND w.status = ?2 ORDER BY w.id",
        )?;
        let rows = stmt.query_map(params![trip_id, from], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in &ids {
        set_worker_status(conn, *id, to)?;
    }
    Ok(ids)
}

/// The no-shows of a trip that has left go back to the pool: registered again (their
/// passenger record stays as history), unless they have moved on since (other means, another
/// seat). Returns their ids for the audit log.
pub fn return_no_shows(conn: &Db<'_>, trip_id: i64) -> Result<Vec<i64>> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT DISTINCT w.id FROM passengers p JOIN workers w ON w.id = p.worker_id
             WHERE p.trip_id = ?1 AND p.status = 'no-show' AND w.status = 'refused'
               AND w.purged = 0
               AND NOT EXISTS (SELECT 1 FROM passengers o WHERE o.worker_id = w.id
                               AND o.status IN {holds})
             ORDER BY w.id",
            holds = rules::HOLDS.as_str()
        ))?;
        let rows = stmt.query_map([trip_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in &ids {
        set_worker_status(conn, *id, WorkerStatus::Registered)?;
    }
    Ok(ids)
}

pub fn set_other_means(conn: &Db<'_>, worker_id: i64, means: &str, date: NaiveDate) -> Result<()> {
    conn.prepare_cached(
        "UPDATE workers SET status = 'other-means', other_means = ?2, other_date = ?3 WHERE id = ?1",
    )?
    .execute(params![worker_id, means, date])?;
    Ok(())
}

/// One row of the en-route log.
pub struct NewEvent<'a> {
    pub trip_id: i64,
    pub at: &'a str,
    pub kind: &'a str,
    pub headcount: Option<u32>,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    pub temperature: Option<f64>,
    pub note: &'a str,
}

pub fn insert_event(conn: &Db<'_>, e: &NewEvent<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO trip_events (trip_id, at, kind, headcount, worker_id, seat, temperature, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        e.trip_id,
        e.at,
        e.kind,
        e.headcount,
        e.worker_id,
        e.seat,
        e.temperature,
        e.note
    ])?;
    Ok(())
}

/// Keeps the reason typed for a correction of `action` (free text, blanked by purge) and
/// returns its row id, which the audit row of the correction carries as `reason_id`.
pub fn insert_reason(
    conn: &Db<'_>,
    trip_id: i64,
    worker_id: Option<i64>,
    at: &str,
    action: &str,
    text: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO reasons (trip_id, worker_id, at, action, text) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![trip_id, worker_id, at, action, text])?;
    Ok(conn.last_insert_rowid())
}

pub fn last_event_at(conn: &Db<'_>, trip_id: i64, kind: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT MAX(at) FROM trip_events WHERE trip_id = ?1 AND kind = ?2")?
        .query_row(params![trip_id, kind], |r| r.get(0))?)
}

/// One line of a trip's log (rounds, stops, fevers, moves), as the console lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripEvent {
    pub at: String,
    /// `round`, `stop`, `fever`, `move`.
    pub kind: String,
    pub headcount: Option<u32>,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    pub temperature: Option<f64>,
    pub note: String,
}

/// The trip's log, oldest first.
pub fn events(conn: &Db<'_>, trip_id: i64) -> Result<Vec<TripEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, kind, headcount, worker_id, seat, temperature, note FROM trip_events
         WHERE trip_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([trip_id], |r| {
        Ok(TripEvent {
            at: r.get(0)?,
            kind: r.get(1)?,
            headcount: r.get(2)?,
            worker_id: r.get(3)?,
            seat: r.get(4)?,
            temperature: r.get(5)?,
            note: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Passengers of a trip moved to the observation rows on the way.
pub fn moved_count(conn: &Db<'_>, trip_id: i64) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(DISTINCT worker_id) FROM trip_events WHERE trip_id = ?1 AND kind = 'move'",
        )?
        .query_row([trip_id], |r| r.get(0))?)
}
