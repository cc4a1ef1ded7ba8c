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

/// A day, its passenger-row total when read, and the employers riding each of its trips.
type EmployersOfDay = (chrono::NaiveDate, u64, HashMap<i64, Vec<String>>);

thread_local! {
    /// The employers riding each trip of a day: half a second to read at city scale, and it
    /// only changes when passengers are added (a plan, a stand-by), so it is kept per thread
    /// with the day's passenger-row total as its fingerprint.
    static BOARD_EMPLOYERS: std::cell::RefCell<Option<EmployersOfDay>> =
        const { std::cell::RefCell::new(None) };
}

fn board_employers(
    conn: &rusqlite::Connection,
    day: chrono::NaiveDate,
    counts: &HashMap<i64, views::TripCounts>,
) -> crate::store::Result<HashMap<i64, Vec<String>>> {
    let rows: u64 = counts
        .values()
        .map(|c| u64::from(c.expected + c.refused + c.no_show))
        .sum::<u64>()
        + counts.len() as u64;
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
