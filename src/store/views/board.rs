//! The departure board's trip summaries: seat counts of a day's trips or of one trip, where
//! each trip goes (its employers and farthest gate), and the days that have trips.

use super::count;
use crate::store::{rules, Db, Result};
use chrono::NaiveDate;
use std::sync::LazyLock;

/// Seat counts of one trip for the departure board: `model::SeatCounts`, as the door counts.
pub type TripCounts = crate::model::SeatCounts;

/// Seat counts of every trip of a day, keyed by trip. The counting rule lives once, in
/// `store::stats::trip_counts`, which the command line's `stats` uses too.
pub fn day_trip_counts(
    conn: &Db<'_>,
    day: NaiveDate,
) -> Result<std::collections::HashMap<i64, TripCounts>> {
    Ok(crate::store::stats::trip_counts(conn, day)?
        .into_iter()
        // The day's own trips (the statistics also list earlier ones arriving that day).
        .filter(|t| t.date == day)
        .map(|t| {
            let c = TripCounts {
                expected: t.expected,
                boarded: t.boarded,
                refused: t.refused,
                no_show: t.no_show,
                missing: t.missing,
                recheck: t.recheck,
                observation: t.observation,
            };
            (t.trip_id, c)
        })
        .collect())
}

/// Seat counts of one trip (a trip of an earlier day still on the road), by the same rule as
/// `store::stats::trip_counts`: 复测 holds a seat and is not accounted for yet.
pub fn trip_counts_of(conn: &Db<'_>, trip_id: i64) -> Result<TripCounts> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COALESCE(SUM(status IN {holds}), 0),
                    COALESCE(SUM(status = 'boarded'), 0), COALESCE(SUM(status = 'refused'), 0),
                    COALESCE(SUM(status = 'no-show'), 0),
                    COALESCE(SUM(status IN {undecided}), 0),
                    COALESCE(SUM(status = 'recheck'), 0),
                    COALESCE(SUM(observation_at IS NOT NULL AND status = 'boarded'), 0)
             FROM passengers WHERE trip_id = ?1",
            holds = rules::HOLDS.as_str(),
            undecided = rules::UNDECIDED.as_str()
        ))?
        .query_row([trip_id], |r| {
            Ok(TripCounts {
                expected: r.get(0)?,
                boarded: r.get(1)?,
                refused: r.get(2)?,
                no_show: r.get(3)?,
                missing: r.get(4)?,
                recheck: r.get(5)?,
                observation: r.get(6)?,
            })
        })?)
}

/// Where a trip goes, as the board shows it: the employers on its roster by name with their
/// passengers holding a seat (the largest first), and the farthest of their gates
/// (`store::notices::trip_distance`: its expected arrival).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TripGates {
    pub employers: Vec<(String, u32)>,
    pub distance_km: u32,
}

/// Passengers of a row's group holding a seat (planned, 复测 or boarded): an employer's count
/// on a bus, as `expected` counts the bus.
static HOLDING: LazyLock<String> =
    LazyLock::new(|| format!("COALESCE(SUM(p.status IN {}), 0)", rules::HOLDS.as_str()));

/// [`TripGates`] of each trip of a day, in one pass.
pub fn day_trip_employers(
    conn: &Db<'_>,
    day: NaiveDate,
) -> Result<std::collections::HashMap<i64, TripGates>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.trip_id, e.name, {holding}, e.distance_km FROM passengers p
              JOIN trips t ON t.id = p.trip_id
              JOIN workers w ON w.id = p.worker_id JOIN employers e ON e.id = w.employer_id
         WHERE t.date = ?1 GROUP BY p.trip_id, e.id ORDER BY p.trip_id, 3 DESC, e.name",
        holding = *HOLDING
    ))?;
    let mut rows = stmt.query([day])?;
    let mut out: std::collections::HashMap<i64, TripGates> = Default::default();
    while let Some(r) = rows.next()? {
        let g = out.entry(r.get(0)?).or_default();
        g.employers.push((r.get(1)?, r.get(2)?));
        let km = r.get::<_, i64>(3)?.clamp(0, i64::from(u32::MAX)) as u32;
        g.distance_km = g.distance_km.max(km);
    }
    Ok(out)
}

/// Changes when an employer is added or its distance changes (a re-import): the board's
/// kept [`TripGates`] are read again then. One pass over the employers, about a millisecond.
pub fn gates_fingerprint(conn: &Db<'_>) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*), COALESCE(SUM(distance_km), 0) FROM employers")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Employers whose workers ride a trip, each with its passengers holding a seat, the largest
/// first: the board's destination column for a trip of an earlier day.
pub fn trip_employers(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.name, {holding} FROM passengers p JOIN workers w ON w.id = p.worker_id
              JOIN employers e ON e.id = w.employer_id
         WHERE p.trip_id = ?1 GROUP BY e.id ORDER BY 2 DESC, e.name",
        holding = *HOLDING
    ))?;
    let rows = stmt.query_map([trip_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Time of the last en-route temperature round of a trip, if any.
pub fn last_round_at(conn: &Db<'_>, trip_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT max(at) FROM trip_events WHERE trip_id = ?1 AND kind = 'round'")?
        .query_row([trip_id], |r| r.get(0))?)
}

/// Batch codes and dates of the days that have trips, newest first (for choosing a day).
pub fn trip_days(conn: &Db<'_>) -> Result<Vec<(NaiveDate, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT date, count(*) FROM trips WHERE status <> 'cancelled' GROUP BY date ORDER BY date DESC",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, count(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
