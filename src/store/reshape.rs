//! SQL of reshaping a planned day: a passenger's place moved to another trip or seat, a trip's
//! coach swapped, a trip cancelled, the trip's change history, the receivers per employer at
//! the gate, and what each batch's plan assumed about its employers.

use super::Result;
use crate::model::SeatStatus;
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A coach of the fleet as a swap needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusRow {
    pub id: i64,
    pub plate: String,
    pub seats: u32,
    pub operator: String,
    pub county: String,
    pub available_date: Option<NaiveDate>,
    /// Drivers named (0–2).
    pub drivers: u32,
}

const BUS_SELECT: &str = "SELECT id, plate, seats, operator, county, available_date,
        (driver1 <> '') + (driver2 <> '') FROM buses";

fn bus_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BusRow> {
    Ok(BusRow {
        id: r.get(0)?,
        plate: r.get(1)?,
        seats: r.get(2)?,
        operator: r.get(3)?,
        county: r.get(4)?,
        available_date: r
            .get::<_, Option<String>>(5)?
            .and_then(|d| crate::model::parse_date(&d).ok()),
        drivers: r.get(6)?,
    })
}

/// One coach by its (normalised) plate.
pub fn bus_by_plate(conn: &Db<'_>, plate: &str) -> Result<Option<BusRow>> {
    Ok(conn
        .prepare_cached(&format!("{BUS_SELECT} WHERE plate = ?1"))?
        .query_row([plate], bus_row)
        .optional()?)
}

/// Coaches with no open trip (planned, boarding or on the road), by plate: the substitutes a
/// swap may offer before the planner's busy rule is applied.
pub fn buses_without_open_trip(conn: &Db<'_>) -> Result<Vec<BusRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BUS_SELECT} bus WHERE NOT EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id
                              AND t.status IN {open})
         ORDER BY plate",
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map([], bus_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Puts the trip on another coach: its rows and capacity follow the coach's layout; `crew_bus`
/// names the bus whose crew runs the trip (`None`: the coach's own crew).
pub fn set_trip_bus(
    conn: &Db<'_>,
    trip_id: i64,
    bus_id: i64,
    rows: u32,
    capacity: u32,
    crew_bus: Option<i64>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE trips SET bus_id = ?2, rows = ?3, capacity = ?4, crew_bus_id = ?5 WHERE id = ?1",
    )?
    .execute(params![trip_id, bus_id, rows, capacity, crew_bus])?;
    Ok(())
}

/// The bus whose crew runs a trip when it is not the trip's own (after `swap --keep-crew`).
pub fn crew_bus(conn: &Db<'_>, trip_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT crew_bus_id FROM trips WHERE id = ?1")?
        .query_row([trip_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Moves a passenger's place to another trip and seat, in the state given (the seat and worker
/// indexes refuse a seat taken meanwhile).
pub fn move_place(
    conn: &Db<'_>,
    passenger_id: i64,
    trip_id: i64,
    seat: u32,
    status: SeatStatus,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE passengers SET trip_id = ?2, seat = ?3, status = ?4,
             boarded_at = CASE WHEN ?4 = 'boarded' THEN boarded_at END, changed_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![passenger_id, trip_id, seat, status, at])?;
    Ok(())
}

/// The day's readings of a passenger follow them to the trip they were moved to: its attendant
/// sees the latest temperature, and a 复测's rest still counts from the fever reading.
pub fn move_readings(conn: &Db<'_>, from_trip: i64, to_trip: i64, worker_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE readings SET trip_id = ?2 WHERE trip_id = ?1 AND worker_id = ?3")?
        .execute(params![from_trip, to_trip, worker_id])?;
    Ok(())
}

/// Gives up a place entirely (a cancelled trip's passenger back in the pool); the change
/// history keeps where they sat.
pub fn delete_place(conn: &Db<'_>, passenger_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM passengers WHERE id = ?1")?
        .execute([passenger_id])?;
    Ok(())
}

/// Takes a passenger off their seat number for a moment inside a transaction (a seat no
/// passenger may hold), so that re-seating a whole coach never collides with itself in the
/// seat index. Every parked passenger is given a real seat before the transaction ends.
pub fn park_seat(conn: &Db<'_>, passenger_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE passengers SET seat = -id WHERE id = ?1")?
        .execute([passenger_id])?;
    Ok(())
}

/// One row of a trip's change history, as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewChange<'a> {
    pub trip_id: i64,
    pub at: &'a str,
    /// `swap`, `move`, `reseat`, `cancel`, `release`.
    pub kind: &'a str,
    pub from_bus: Option<i64>,
    pub to_bus: Option<i64>,
    pub on_road: bool,
    pub worker_id: Option<i64>,
    pub from_trip: Option<i64>,
    pub from_seat: Option<u32>,
    pub to_seat: Option<u32>,
    pub reason_id: Option<i64>,
}

pub fn insert_change(conn: &Db<'_>, c: &NewChange<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO trip_changes (trip_id, at, kind, from_bus_id, to_bus_id, on_road, worker_id,
                                   from_trip_id, from_seat, to_seat, reason_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        c.trip_id,
        c.at,
        c.kind,
        c.from_bus,
        c.to_bus,
        c.on_road,
        c.worker_id,
        c.from_trip,
        c.from_seat,
        c.to_seat,
        c.reason_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One line of a trip's history as people read it: plates and trip codes, never personal data
/// beyond the worker's row id (the caller names them from the roster if it must).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripChange {
    pub at: String,
    pub kind: String,
    /// The trip the line belongs to, by code.
    pub trip: String,
    pub from_plate: Option<String>,
    pub to_plate: Option<String>,
    pub on_road: bool,
    pub worker_id: Option<i64>,
    /// For a move: the trip the passenger came from (the same trip for a seat change).
    pub from_trip: Option<String>,
    pub from_seat: Option<u32>,
    pub to_seat: Option<u32>,
    /// The reason typed, if any ('' once purged).
    pub reason: Option<String>,
}

/// The history of a trip, oldest first: its own changes and the passengers moved away from it.
pub fn changes(conn: &Db<'_>, trip_id: i64) -> Result<Vec<TripChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.at, c.kind, t.code, fb.plate, tb.plate, c.on_road, c.worker_id, ft.code,
                c.from_seat, c.to_seat, r.text
         FROM trip_changes c JOIN trips t ON t.id = c.trip_id
              LEFT JOIN buses fb ON fb.id = c.from_bus_id LEFT JOIN buses tb ON tb.id = c.to_bus_id
              LEFT JOIN trips ft ON ft.id = c.from_trip_id LEFT JOIN reasons r ON r.id = c.reason_id
         WHERE c.trip_id = ?1 OR c.from_trip_id = ?1
         ORDER BY c.id",
    )?;
    let rows = stmt.query_map([trip_id], |r| {
        Ok(TripChange {
            at: r.get(0)?,
            kind: r.get(1)?,
            trip: r.get(2)?,
            from_plate: r.get(3)?,
            to_plate: r.get(4)?,
            on_road: r.get(5)?,
            worker_id: r.get(6)?,
            from_trip: r.get(7)?,
            from_seat: r.get(8)?,
            to_seat: r.get(9)?,
            reason: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest change anywhere: a cheap marker that rosters or employers of trips changed.
pub fn last_change_id(conn: &Db<'_>) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM trip_changes")?
        .query_row([], |r| r.get(0))?)
}

/// Seats a passenger held on a trip before a swap re-seated them, as (worker, seat): tracing
/// counts these as well as the current seat.
pub fn reseated(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(i64, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT worker_id, from_seat FROM trip_changes
         WHERE trip_id = ?1 AND kind = 'reseat' AND worker_id IS NOT NULL AND from_seat IS NOT NULL
         ORDER BY id",
    )?;
    let rows = stmt.query_map([trip_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Remembers what the plan assumed about an employer seated in a batch (where the gate is, how
/// many workers it expects), the first time one of its workers is seated there.
pub fn remember_employer(conn: &Db<'_>, batch_id: i64, employer_id: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO planned_employers
             (batch_id, employer_id, province, city, address, expected)
         SELECT ?1, id, province, city, address, expected FROM employers WHERE id = ?2",
    )?
    .execute(params![batch_id, employer_id])?;
    Ok(())
}

/// What a batch still under way (a trip not arrived or cancelled, holding seats of the
/// employer) assumed about an employer, beside the employer as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumed {
    pub batch_code: String,
    pub date: NaiveDate,
    pub employer_id: i64,
    pub employer: String,
    pub was_province: String,
    pub was_city: String,
    pub was_address: String,
    pub was_expected: u32,
    pub province: String,
    pub city: String,
    pub address: String,
    pub expected: u32,
}

/// Every assumption of a batch still under way that no longer holds (the gate moved, or the
/// expected count changed), by batch and employer.
pub fn stale_assumptions(conn: &Db<'_>) -> Result<Vec<Assumed>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.code, b.date, e.id, e.name, a.province, a.city, a.address, a.expected,
                e.province, e.city, e.address, e.expected
         FROM planned_employers a JOIN batches b ON b.id = a.batch_id
              JOIN employers e ON e.id = a.employer_id
         WHERE (a.province <> e.province OR a.city <> e.city OR a.address <> e.address
                OR a.expected <> e.expected)
           AND EXISTS (SELECT 1 FROM trips t JOIN passengers p ON p.trip_id = t.id
                              JOIN workers w ON w.id = p.worker_id
                       WHERE t.batch_id = b.id AND t.status IN {open}
                         AND p.status IN {holds}
                         AND w.employer_id = e.id)
         ORDER BY b.code, e.id",
        holds = rules::HOLDS.as_str(),
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(Assumed {
            batch_code: r.get(0)?,
            date: r.get(1)?,
            employer_id: r.get(2)?,
            employer: r.get(3)?,
            was_province: r.get(4)?,
            was_city: r.get(5)?,
            was_address: r.get(6)?,
            was_expected: r.get(7)?,
            province: r.get(8)?,
            city: r.get(9)?,
            address: r.get(10)?,
            expected: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Workers of each employer sent or to be sent (planned, aboard, on the road or arrived),
/// with the employer's expected count: the employers listed, or every employer.
pub fn placed_counts(conn: &Db<'_>, employers: Option<&[i64]>) -> Result<Vec<(i64, u32, u32)>> {
    let mut one = conn.prepare_cached(&format!(
        "SELECT e.id, e.expected,
                (SELECT count(*) FROM workers w WHERE w.employer_id = e.id
                   AND w.status IN {on_plan})
         FROM employers e WHERE e.id = ?1",
        on_plan = rules::ON_PLAN.as_str()
    ))?;
    let ids: Vec<i64> = match employers {
        Some(ids) => ids.to_vec(),
        None => {
            let mut all = conn.prepare_cached("SELECT id FROM employers ORDER BY id")?;
            let rows = all.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        }
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = one
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
        {
            out.push(row);
        }
    }
    Ok(out)
}

/// Records who received one employer's passengers at the gate.
pub fn set_receiver(conn: &Db<'_>, trip_id: i64, employer_id: i64, name: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO trip_receivers (trip_id, employer_id, name) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![trip_id, employer_id, name])?;
    Ok(())
}

/// The receivers of a trip per employer: (employer id, employer name, receiver), by employer.
pub fn receivers(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.employer_id, e.name, r.name FROM trip_receivers r
              JOIN employers e ON e.id = r.employer_id
         WHERE r.trip_id = ?1 ORDER BY e.name",
    )?;
    let rows = stmt.query_map([trip_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Employers of the passengers holding a seat on a trip, with how many each: (id, name, count).
pub fn trip_employer_counts(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(i64, String, u32)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.id, e.name, count(*) FROM passengers p JOIN workers w ON w.id = p.worker_id
              JOIN employers e ON e.id = w.employer_id
         WHERE p.trip_id = ?1 AND p.status IN {holds}
         GROUP BY e.id ORDER BY count(*) DESC, e.name",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([trip_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where a worker is bound: their employer's (id, name, province, city), if they have one.
pub fn worker_destination(
    conn: &Db<'_>,
    worker_id: i64,
) -> Result<Option<(i64, String, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT e.id, e.name, e.province, e.city FROM workers w
                  JOIN employers e ON e.id = w.employer_id
             WHERE w.id = ?1",
        )?
        .query_row([worker_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?)
}
