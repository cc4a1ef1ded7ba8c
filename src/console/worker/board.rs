//! The departure board's load: the day's trips with their counts and employers, and the trips
//! of earlier days not yet arrived.

use crate::console::action::{BoardRow, Reply};
use crate::ops::OpError;
use crate::store::{trips, views};
use std::collections::HashMap;

/// The board of `day`.
pub(super) fn load(conn: &rusqlite::Connection, day: chrono::NaiveDate) -> Result<Reply, OpError> {
    let mut counts = views::day_trip_counts(conn, day)?;
    let mut employers = board_employers(conn, day, &counts)?;
    let rows = trips::trips_on(conn, day)?
        .into_iter()
        .map(|trip| BoardRow {
            counts: counts.remove(&trip.trip_id).unwrap_or_default(),
            employers: employers.remove(&trip.trip_id).unwrap_or_default(),
            trip,
        })
        .collect();
    // The night's buses still on the road (few): counted one by one.
    let earlier = trips::open_before(conn, day)?
        .into_iter()
        .map(|trip| -> Result<BoardRow, OpError> {
            Ok(BoardRow {
                counts: views::trip_counts_of(conn, trip.trip_id)?,
                employers: views::trip_employers(conn, trip.trip_id)?,
                trip,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Reply::Board { day, rows, earlier })
}

/// A day, a fingerprint of its seat counts when read, and the employers riding each of its
/// trips with their counts.
type EmployersOfDay = (chrono::NaiveDate, u64, HashMap<i64, Vec<(String, u32)>>);

thread_local! {
    /// The employers riding each trip of a day: half a second to read at city scale, and it
    /// only changes when the trips' seat counts do (a plan, a stand-by, a move between buses),
    /// so it is kept per thread with a fingerprint of those counts.
    static BOARD_EMPLOYERS: std::cell::RefCell<Option<EmployersOfDay>> =
        const { std::cell::RefCell::new(None) };
}

fn board_employers(
    conn: &rusqlite::Connection,
    day: chrono::NaiveDate,
    counts: &HashMap<i64, views::TripCounts>,
) -> crate::store::Result<HashMap<i64, Vec<(String, u32)>>> {
    // Each trip's counts folded in by trip id: a passenger moved from one bus to another or
    // refused changes it, where a plain total would not.
    let rows = counts.iter().fold(counts.len() as u64, |acc, (id, c)| {
        let per_trip = [c.expected, c.refused, c.no_show, c.boarded]
            .iter()
            .fold(*id as u64, |h, &n| {
                h.rotate_left(13) ^ u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            });
        acc.wrapping_add(per_trip.wrapping_mul(0x517c_c1b7_2722_0a95))
    });
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
