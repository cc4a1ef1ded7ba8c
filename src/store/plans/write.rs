//! Writing a plan: batches, trips and seats, the workers' status, and a batch's departure
//! time and gathering point changed afterwards.

use super::super::Result;
use super::{batch_row, ExistingBatch, BATCH_COLUMNS};
use crate::store::{Db, Tx};
use chrono::NaiveDate;
use rusqlite::params;

#[allow(clippy::too_many_arguments)]
pub fn insert_batch(
    conn: &Db<'_>,
    code: &str,
    date: NaiveDate,
    county: &str,
    province: &str,
    city: &str,
    departure: &str,
    gathering_point: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO batches (code, date, county, province, city, departure, gathering_point)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        code,
        date,
        county,
        province,
        city,
        departure,
        gathering_point
    ])?;
    Ok(conn.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
pub fn insert_trip(
    conn: &Db<'_>,
    batch_id: i64,
    code: &str,
    bus_id: i64,
    date: NaiveDate,
    rows: u32,
    capacity: u32,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO trips (batch_id, code, bus_id, date, rows, capacity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![batch_id, code, bus_id, date, rows, capacity])?;
    Ok(conn.last_insert_rowid())
}

/// Gives a worker a seat; the unique indexes refuse a seat or a worker placed twice.
pub fn insert_passenger(
    conn: &Db<'_>,
    trip_id: i64,
    worker_id: i64,
    seat: u32,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
         VALUES (?1, ?2, ?3, 'planned', ?4)",
    )?
    .execute(params![trip_id, worker_id, seat, at])?;
    Ok(())
}

/// Rows per statement when a plan's seats are written: one statement's fixed cost is paid
/// once for many rows (a batch of a city's plan can hold 28,000 seats, written while the
/// door waits).
const SEATS_PER_STATEMENT: usize = 100;

/// A seat given by a plan: (trip, worker, seat).
pub type NewSeat = (i64, i64, u32);

/// Gives every worker of `seats` a seat, writes the audit row of each (who, when, from
/// registered to planned on which trip and seat) and moves them to planned. Returns false,
/// having changed nothing the caller may keep, when a worker is no longer registered; the
/// unique indexes refuse a seat or a worker taken meanwhile (an error).
pub fn place_passengers(
    conn: &Db<'_>,
    seats: &[NewSeat],
    operator: &str,
    at: &str,
) -> Result<bool> {
    for chunk in seats.chunks(SEATS_PER_STATEMENT) {
        let n = chunk.len();
        let mut sql = String::from(
            "INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at) VALUES ",
        );
        sql.push_str(&vec!["(?, ?, ?, 'planned', ?)"; n].join(", "));
        let mut stmt = conn.prepare_cached(&sql)?;
        for (i, (trip, worker, seat)) in chunk.iter().enumerate() {
            stmt.raw_bind_parameter(i * 4 + 1, trip)?;
            stmt.raw_bind_parameter(i * 4 + 2, worker)?;
            stmt.raw_bind_parameter(i * 4 + 3, seat)?;
            stmt.raw_bind_parameter(i * 4 + 4, at)?;
        }
        stmt.raw_execute()?;
        let mut sql = String::from(
            "INSERT INTO audit (at, operator, action, entity, entity_id, before, after) VALUES ",
        );
        sql.push_str(
            &vec!["(?, ?, 'plan.apply', 'worker', ?, '{\"status\":\"registered\"}', ?)"; n]
                .join(", "),
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for (i, (trip, worker, seat)) in chunk.iter().enumerate() {
            let after = format!("{{\"seat\":{seat},\"status\":\"planned\",\"trip\":{trip}}}");
            stmt.raw_bind_parameter(i * 4 + 1, at)?;
            stmt.raw_bind_parameter(i * 4 + 2, operator)?;
            stmt.raw_bind_parameter(i * 4 + 3, worker)?;
            stmt.raw_bind_parameter(i * 4 + 4, &after)?;
        }
        stmt.raw_execute()?;
    }
    // Status changes in row-id order: the worker table is touched front to back.
    let mut workers: Vec<i64> = seats.iter().map(|s| s.1).collect();
    workers.sort_unstable();
    for chunk in workers.chunks(SEATS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE workers SET status = 'planned' WHERE status = 'registered' AND id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let changed = conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(chunk))?;
        if changed != chunk.len() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Moves a worker from registered to planned. Returns false (and changes nothing) when the
/// worker is no longer registered.
pub fn mark_planned(conn: &Db<'_>, worker_id: i64) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE workers SET status = 'planned' WHERE id = ?1 AND status = 'registered'",
        )?
        .execute([worker_id])?;
    Ok(changed == 1)
}

/// Seats passengers of a trip sat in before being moved en route (to the observation rows),
/// as (worker, seat): the seat of each temperature reading that found a fever, and the seat a
/// `move` event says they came from (`from seat N`). Tracing counts these as well as the
/// current seat.
pub fn earlier_seats(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(i64, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT worker_id, kind, seat, note FROM trip_events
         WHERE trip_id = ?1 AND worker_id IS NOT NULL AND kind IN ('fever', 'move')
         ORDER BY id",
    )?;
    let rows = stmt.query_map([trip_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<u32>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (worker, kind, seat, note) = row?;
        let seat = match kind.as_str() {
            "fever" => seat,
            _ => note
                .strip_prefix("from seat ")
                .and_then(|n| n.trim().parse().ok()),
        };
        if let Some(s) = seat {
            out.push((worker, s));
        }
    }
    Ok(out)
}

/// A batch by its code (`旬阳-20200221-01`) with its date and how many of its trips have left.
pub fn batch_by_code(conn: &Db<'_>, code: &str) -> Result<Option<(NaiveDate, ExistingBatch, u32)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS}, b.date,
                    (SELECT count(*) FROM trips t WHERE t.batch_id = b.id
                       AND t.status IN ('departed','arrived'))
             FROM batches b WHERE b.code = ?1"
        ))?
        .query_row([code], |r| Ok((r.get(8)?, batch_row(r)?, r.get(9)?)))
        .optional()?)
}

/// Sets a batch's departure time and gathering point.
pub fn update_batch(tx: &Tx<'_>, id: i64, departure: &str, gathering_point: &str) -> Result<()> {
    tx.prepare_cached("UPDATE batches SET departure = ?2, gathering_point = ?3 WHERE id = ?1")?
        .execute(rusqlite::params![id, departure, gathering_point])?;
    Ok(())
}
