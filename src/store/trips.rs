//! Reading trips and their rosters: the shared view of one bus's trip (which may last several
//! days) used by departure-day actions, the console's board and roster, manifests and tracing.

use super::Result;
use crate::model::{SeatStatus, TripStatus};
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripInfo {
    pub trip_id: i64,
    /// Stable code of the trip: batch code and ordinal, `旬阳-20200221-01-1`.
    pub code: String,
    pub batch_id: i64,
    pub batch_code: String,
    pub date: NaiveDate,
    /// `2020-02-21T07:00`
    pub departure: String,
    pub gathering_point: String,
    pub county: String,
    pub province: String,
    pub city: String,
    pub bus_id: i64,
    pub plate: String,
    pub rated_seats: u32,
    pub rows: u32,
    pub capacity: u32,
    pub status: TripStatus,
    pub sealed: bool,
    pub operator: String,
    pub driver1: String,
    pub driver1_phone: String,
    pub driver2: String,
    pub driver2_phone: String,
    pub attendant: String,
    pub attendant_phone: String,
    /// RFC 3339 with offset (older rows gain the local offset when read).
    pub departed_at: Option<String>,
    pub arrived_at: Option<String>,
    pub receiver: Option<String>,
    pub arrived_count: Option<u32>,
}

/// The crew is the trip's own bus's, or that of the coach it replaced when the crew moved
/// over with the passengers (`crew_bus_id`, `swap --keep-crew`).
const TRIP_SELECT: &str = "SELECT t.id, b.id, b.code, t.date, b.departure, b.gathering_point,
        b.county, b.province, b.city, bus.id, bus.plate, bus.seats, t.rows, t.capacity, t.status,
        bus.sealed, bus.operator, crew.driver1, crew.driver1_phone, crew.driver2, crew.driver2_phone,
        crew.attendant, crew.attendant_phone, t.departed_at, t.arrived_at, t.receiver, t.arrived_count,
        COALESCE(t.code, b.code || '-' || t.id)
    FROM trips t JOIN batches b ON b.id = t.batch_id JOIN buses bus ON bus.id = t.bus_id
         JOIN buses crew ON crew.id = COALESCE(t.crew_bus_id, t.bus_id)";

fn stamp(v: Option<String>) -> Option<String> {
    v.map(|s| crate::clock::normalize(&s))
}

fn trip_row(r: &Row<'_>) -> rusqlite::Result<TripInfo> {
    Ok(TripInfo {
        trip_id: r.get(0)?,
        batch_id: r.get(1)?,
        batch_code: r.get(2)?,
        date: r.get(3)?,
        departure: r.get(4)?,
        gathering_point: r.get(5)?,
        county: r.get(6)?,
        province: r.get(7)?,
        city: r.get(8)?,
        bus_id: r.get(9)?,
        plate: r.get(10)?,
        rated_seats: r.get(11)?,
        rows: r.get(12)?,
        capacity: r.get(13)?,
        status: r.get(14)?,
        sealed: r.get(15)?,
        operator: r.get(16)?,
        driver1: r.get(17)?,
        driver1_phone: r.get(18)?,
        driver2: r.get(19)?,
        driver2_phone: r.get(20)?,
        attendant: r.get(21)?,
        attendant_phone: r.get(22)?,
        departed_at: stamp(r.get(23)?),
        arrived_at: stamp(r.get(24)?),
        receiver: r.get(25)?,
        arrived_count: r.get(26)?,
        code: r.get(27)?,
    })
}

pub fn trip(conn: &Db<'_>, trip_id: i64) -> Result<Option<TripInfo>> {
    Ok(conn
        .prepare_cached(&format!("{TRIP_SELECT} WHERE t.id = ?1"))?
        .query_row([trip_id], trip_row)
        .optional()?)
}

/// A bus's open trips (planned, boarding or departed), oldest first. The planner never gives a
/// bus a second one; a ledger written before that rule may still hold two.
pub fn open_trips_of_bus(conn: &Db<'_>, plate: &str) -> Result<Vec<TripInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRIP_SELECT} WHERE bus.plate = ?1 AND t.status IN {open}
         ORDER BY t.date, t.id",
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map([plate], trip_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A bus's most recent trip, whatever its state.
pub fn last_trip_of_bus(conn: &Db<'_>, plate: &str) -> Result<Option<TripInfo>> {
    Ok(conn
        .prepare_cached(&format!(
            "{TRIP_SELECT} WHERE bus.plate = ?1 ORDER BY t.date DESC, t.id DESC LIMIT 1"
        ))?
        .query_row([plate], trip_row)
        .optional()?)
}

/// One trip by its code (`旬阳-20200221-01-1`).
pub fn trip_by_code(conn: &Db<'_>, code: &str) -> Result<Option<TripInfo>> {
    Ok(conn
        .prepare_cached(&format!("{TRIP_SELECT} WHERE t.code = ?1"))?
        .query_row([code], trip_row)
        .optional()?)
}

/// The open trip a bus was taken off by a coach swap, and the plate that runs it now.
pub fn swapped_off(conn: &Db<'_>, plate: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COALESCE(t.code, ''), now.plate FROM trip_changes c
             JOIN buses old ON old.id = c.from_bus_id
             JOIN trips t ON t.id = c.trip_id
             JOIN buses now ON now.id = t.bus_id
             WHERE old.plate = ?1 AND c.kind = 'swap' AND t.status IN {open}
             ORDER BY c.id DESC LIMIT 1",
            open = rules::OPEN.as_str()
        ))?
        .query_row([plate], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Whether the fleet has a bus with this (normalised) plate.
pub fn bus_exists(conn: &Db<'_>, plate: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM buses WHERE plate = ?1")?
        .query_row([plate], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Plates of the fleet that end with `suffix` (stored form), in order.
pub fn plates_ending_with(conn: &Db<'_>, suffix: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT plate FROM buses WHERE length(plate) >= length(?1)
           AND substr(plate, -length(?1)) = ?1 ORDER BY plate",
    )?;
    let rows = stmt.query_map([suffix], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Trips still before departure (planned or boarding) bound for one destination city, by
/// date and departure: the buses a passenger of that city may be moved to.
pub fn open_trips_to(conn: &Db<'_>, province: &str, city: &str) -> Result<Vec<TripInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRIP_SELECT} WHERE b.province = ?1 AND b.city = ?2 AND t.status IN {before}
         ORDER BY t.date, b.departure, b.code, bus.plate",
        before = rules::BEFORE.as_str()
    ))?;
    let rows = stmt.query_map([province, city], trip_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Trips of days before `day` that are still open (planned, boarding, or on the road): the
/// board shows them in their own section the morning after.
pub fn open_before(conn: &Db<'_>, day: NaiveDate) -> Result<Vec<TripInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRIP_SELECT} WHERE t.date < ?1 AND t.status IN {open}
         ORDER BY t.date, b.departure, b.code, bus.plate",
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map([day], trip_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Trips that left on or before `day` and are still on the road, oldest first: those that
/// may be overdue.
pub fn departed_until(conn: &Db<'_>, day: NaiveDate) -> Result<Vec<TripInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRIP_SELECT} WHERE t.date <= ?1 AND t.status = 'departed'
         ORDER BY t.date, t.departed_at, b.code, bus.plate"
    ))?;
    let rows = stmt.query_map([day], trip_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All trips of one day, in departure order.
pub fn trips_on(conn: &Db<'_>, date: NaiveDate) -> Result<Vec<TripInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TRIP_SELECT} WHERE t.date = ?1 ORDER BY b.departure, b.code, bus.plate"
    ))?;
    let rows = stmt.query_map([date], trip_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One passenger place on a trip with what the attendant needs to check them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassengerRow {
    pub passenger_id: i64,
    pub trip_id: i64,
    pub worker_id: i64,
    pub seat: u32,
    pub status: SeatStatus,
    pub standby: bool,
    /// The latest reading (door or round), °C.
    pub temperature: Option<f64>,
    pub boarded_at: Option<String>,
    pub refused_reason: Option<String>,
    /// A fever found en route: under observation since then.
    pub observation_at: Option<String>,
    pub name: String,
    /// Full number, normalised; `None` once purged. Mask before showing.
    pub id_number: Option<String>,
    pub phone: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer_id: Option<i64>,
    pub employer: String,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
}

// In a pack a worker has only the last four characters of the ID number: they read as
// `**************1003`, masked like any number and never mistaken for a real one.
const PASSENGER_SELECT: &str = "SELECT p.id, p.trip_id, p.worker_id, p.seat, p.status, p.standby,
        (SELECT r.celsius FROM readings r WHERE r.trip_id = p.trip_id AND r.worker_id = p.worker_id
         ORDER BY r.id DESC LIMIT 1),
        p.boarded_at, p.refused_reason, w.name,
        COALESCE(w.id_number, '**************' || w.id_last4), w.phone, w.county,
        w.township, w.village, w.employer_id, COALESCE(e.name, ''), w.cert_issued, w.cert_valid_until,
        p.observation_at
    FROM passengers p JOIN workers w ON w.id = p.worker_id LEFT JOIN employers e ON e.id = w.employer_id";

fn passenger_row(r: &Row<'_>) -> rusqlite::Result<PassengerRow> {
    Ok(PassengerRow {
        passenger_id: r.get(0)?,
        trip_id: r.get(1)?,
        worker_id: r.get(2)?,
        seat: r.get(3)?,
        status: r.get(4)?,
        standby: r.get(5)?,
        temperature: r.get(6)?,
        boarded_at: r.get(7)?,
        refused_reason: r.get(8)?,
        name: r.get(9)?,
        id_number: r.get(10)?,
        phone: r.get(11)?,
        county: r.get(12)?,
        township: r.get(13)?,
        village: r.get(14)?,
        employer_id: r.get(15)?,
        employer: r.get(16)?,
        cert_issued: r.get(17)?,
        cert_valid_until: r.get(18)?,
        observation_at: r.get(19)?,
    })
}

/// Every passenger record of a trip (refused and no-show included), by seat.
pub fn roster(conn: &Db<'_>, trip_id: i64) -> Result<Vec<PassengerRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{PASSENGER_SELECT} WHERE p.trip_id = ?1 ORDER BY p.seat, p.id"
    ))?;
    let rows = stmt.query_map([trip_id], passenger_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The place a worker currently holds (planned, 复测 or boarded) on any trip, if any.
pub fn placed(conn: &Db<'_>, worker_id: i64) -> Result<Option<PassengerRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "{PASSENGER_SELECT} WHERE p.worker_id = ?1 AND p.status IN {holds}",
            holds = rules::HOLDS.as_str()
        ))?
        .query_row([worker_id], passenger_row)
        .optional()?)
}

/// The most recent passenger record of a worker (any state), for tracing and history.
pub fn last_passage(conn: &Db<'_>, worker_id: i64) -> Result<Option<PassengerRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "{PASSENGER_SELECT} WHERE p.worker_id = ?1 ORDER BY p.id DESC LIMIT 1"
        ))?
        .query_row([worker_id], passenger_row)
        .optional()?)
}

/// Row id of a worker by normalised ID number. Every lookup by a full number goes through
/// here: in a pack, which holds no full numbers, the salted digest of the number is compared.
pub fn worker_by_id_number(conn: &Db<'_>, id_number: &str) -> Result<Option<i64>> {
    if let Some(salt) = super::pack::salt(conn)? {
        return match crate::model::IdNumber::parse(id_number) {
            Ok(id) => super::pack::worker_by_digest(conn, &id.salted_digest(&salt)),
            Err(_) => Ok(None),
        };
    }
    Ok(conn
        .prepare_cached("SELECT id FROM workers WHERE id_number = ?1")?
        .query_row([id_number], |r| r.get(0))
        .optional()?)
}

/// A passenger found on another bus than the one searched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeatedElsewhere {
    pub name: String,
    /// Full number, normalised; mask before showing.
    pub id_number: Option<String>,
    pub plate: String,
    pub seat: u32,
    /// The trip's code.
    pub trip: String,
}

/// Passengers holding a seat on the other open trips of `day` whose name contains `name`, or
/// whose ID number or phone ends with `digits`: where someone looked for on one bus really
/// sits. At most `limit`, by plate and seat.
pub fn seated_elsewhere(
    conn: &Db<'_>,
    day: NaiveDate,
    except_trip: i64,
    name: Option<&str>,
    digits: Option<&str>,
    limit: u32,
) -> Result<Vec<SeatedElsewhere>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT w.name, w.id_number, b.plate, p.seat, t.code
         FROM trips t JOIN passengers p ON p.trip_id = t.id JOIN buses b ON b.id = t.bus_id
           JOIN workers w ON w.id = p.worker_id
         WHERE t.date = ?1 AND t.id <> ?2 AND t.status IN {open}
           AND p.status IN {holds}
           AND ((?3 IS NOT NULL AND instr(w.name, ?3) > 0)
             OR (?4 IS NOT NULL AND (substr(w.id_number, -length(?4)) = ?4
                                     OR substr(w.phone, -length(?4)) = ?4)))
         ORDER BY b.plate, p.seat LIMIT ?5",
        holds = rules::HOLDS.as_str(),
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map(
        rusqlite::params![day, except_trip, name, digits, limit],
        |r| {
            Ok(SeatedElsewhere {
                name: r.get(0)?,
                id_number: r.get(1)?,
                plate: r.get(2)?,
                seat: r.get(3)?,
                trip: r.get(4)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
