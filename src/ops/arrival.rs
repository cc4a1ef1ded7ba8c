//! A stored trip's expected arrival and overdue flag (the rules are `model::arrival`), and the
//! trips overdue on a day, with the attendant to call.

use super::OpResult;
use crate::clock;
use crate::model::{arrival, Policy, TripStatus};
use crate::store::{notices, trips, Db};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// The expected arrival of a trip as stored: `departure` is the batch's planned time
/// (`2020-02-21T07:00`), `departed_at` the recorded departure.
pub fn eta(
    status: TripStatus,
    departure: &str,
    departed_at: Option<&str>,
    km: u32,
    policy: &Policy,
) -> Option<DateTime<FixedOffset>> {
    arrival::expected_arrival(
        status,
        clock::parse_stored(departure),
        departed_at.and_then(clock::parse_stored),
        km,
        policy,
    )
}

/// [`eta`] of a trip loaded with its route length.
pub fn trip_eta(t: &trips::TripInfo, km: u32, policy: &Policy) -> Option<DateTime<FixedOffset>> {
    eta(t.status, &t.departure, t.departed_at.as_deref(), km, policy)
}

/// A bus on the road past its expected arrival and the margin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueTrip {
    pub trip: String,
    pub plate: String,
    pub province: String,
    pub city: String,
    /// RFC 3339 with offset.
    pub departed_at: Option<String>,
    pub eta: String,
    /// The attendant aboard and the phone to call (an operational contact, shown in full).
    pub attendant: String,
    pub attendant_phone: String,
}

/// Trips that left on or before `day`, are not handed over, and are overdue at `now`.
pub fn overdue_trips(
    conn: &Db<'_>,
    policy: &Policy,
    day: NaiveDate,
    now: DateTime<FixedOffset>,
) -> OpResult<Vec<OverdueTrip>> {
    let mut out = Vec::new();
    for t in trips::departed_until(conn, day)? {
        let km = notices::trip_distance(conn, t.trip_id)?;
        let Some(e) = trip_eta(&t, km, policy) else {
            continue;
        };
        if arrival::is_overdue(t.status, Some(e), now, policy) {
            out.push(OverdueTrip {
                trip: t.code,
                plate: t.plate,
                province: t.province,
                city: t.city,
                departed_at: t.departed_at,
                eta: clock::stamp(e),
                attendant: t.attendant,
                attendant_phone: t.attendant_phone,
            });
        }
    }
    Ok(out)
}
