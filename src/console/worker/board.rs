//! The departure board's load: the day's trips with their counts, employers, expected arrival
//! and notice, and the trips of earlier days not yet arrived.

use crate::clock;
use crate::console::action::{BoardRow, Reply};
use crate::model::Policy;
use crate::ops::{arrival, OpError};
use crate::store::views::TripGates;
use crate::store::{notices, trips, views, Db};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The board of `day`.
pub(super) fn load(conn: &Db<'_>, policy: &Policy, day: NaiveDate) -> Result<Reply, OpError> {
    let mut counts = views::day_trip_counts(conn, day)?;
    let mut gates = board_employers(conn, day, &counts)?;
    // Notices are a handful a day: read fresh each time, per day shown.
    let mut told: HashMap<NaiveDate, HashMap<String, String>> = HashMap::new();
    let mut notified = |date: NaiveDate, province: &str| -> Result<_, OpError> {
        let first = match told.entry(date) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(notices::first_sent_on(conn, date)?)
            }
        };
        Ok(first.get(province).and_then(|t| clock::parse_stored(t)))
    };
    let mut rows = Vec::new();
    for trip in trips::trips_on(conn, day)? {
        let g = gates.remove(&trip.trip_id).unwrap_or_default();
        rows.push(BoardRow {
            counts: counts.remove(&trip.trip_id).unwrap_or_default(),
            eta: arrival::trip_eta(&trip, g.distance_km, policy),
            notified: notified(trip.date, &trip.province)?,
            employers: g.employers,
            trip,
        });
    }
    // The night's buses still on the road (few): counted one by one.
    let mut earlier = Vec::new();
    for trip in trips::open_before(conn, day)? {
        let km = notices::trip_distance(conn, trip.trip_id)?;
        earlier.push(BoardRow {
            counts: views::trip_counts_of(conn, trip.trip_id)?,
            employers: views::trip_employers(conn, trip.trip_id)?,
            eta: arrival::trip_eta(&trip, km, policy),
            notified: notified(trip.date, &trip.province)?,
            trip,
        });
    }
    Ok(Reply::Board { day, rows, earlier })
}

/// A day, a fingerprint of its seat counts, the employers' fingerprint and the newest trip
/// change when read, and where each of its trips goes.
type GatesOfDay = (NaiveDate, (u64, (i64, i64), i64), HashMap<i64, TripGates>);

thread_local! {
    /// The employers riding each trip of a day with their counts and the farthest gate: half a
    /// second to read at city scale, and it only changes when the trips' seat counts do (a
    /// plan, a stand-by, a move between buses) or an employer's distance changes, so it is kept
    /// per thread with a fingerprint of those counts and the employers' fingerprint.
    static BOARD_EMPLOYERS: std::cell::RefCell<Option<GatesOfDay>> =
        const { std::cell::RefCell::new(None) };
}

fn board_employers(
    conn: &Db<'_>,
    day: NaiveDate,
    counts: &HashMap<i64, views::TripCounts>,
) -> crate::store::Result<HashMap<i64, TripGates>> {
    // Each trip's counts folded in by trip id: a passenger moved from one bus to another or
    // refused changes it, where a plain total would not.
    let seats = counts.iter().fold(counts.len() as u64, |acc, (id, c)| {
        let per_trip = [c.expected, c.refused, c.no_show, c.boarded]
            .iter()
            .fold(*id as u64, |h, &n| {
                h.rotate_left(13) ^ u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            });
        acc.wrapping_add(per_trip.wrapping_mul(0x517c_c1b7_2722_0a95))
    });
    // A swap or a cancel changes where trips go without changing a count: the newest change
    // of the trips' history is part of the fingerprint.
    let rows = (
        seats,
        views::gates_fingerprint(conn)?,
        crate::store::reshape::last_change_id(conn)?,
    );
    BOARD_EMPLOYERS.with(|cache| {
        if let Some((d, n, map)) = &*cache.borrow() {
            if *d == day && *n == rows {
                return Ok(map.clone());
            }
        }
        let map = views::day_trip_employers(conn, day)?;
        *cache.borrow_mut() = Some((day, rows, map.clone()));
        Ok(map)
    })
}
