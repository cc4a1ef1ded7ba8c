//! Cancelling a trip before it leaves: the passengers holding a seat go back to the pool at
//! once (registered again, plannable that day or later), its no-shows too; refusals at the door
//! stay as they were decided. The trip stays in the history and the statistics as cancelled;
//! the change history keeps where each passenger sat.

use super::{ensure_before_departure, keep_reason, reason};
use crate::model::{TripStatus, WorkerStatus};
use crate::ops::departure::{audit_change, set_worker};
use crate::ops::{Ctx, OpResult, TripRef};
use crate::store::reshape::{self as store, NewChange};
use crate::store::trips;
use crate::store::{departure as sql, now_text};
use serde::Serialize;
use serde_json::json;

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelOutcome {
    pub trip: String,
    pub plate: String,
    pub status: TripStatus,
    /// Passengers who held a seat, back in the pool.
    pub released: u32,
    /// No-shows back in the pool as well.
    pub no_shows: u32,
}

/// Cancels the trip `which` names, with its reason (required). Refusals: `departed` (it has
/// left), `closed` (arrived or already cancelled).
pub fn cancel(ctx: &mut Ctx, which: impl Into<TripRef>, why: &str) -> OpResult<CancelOutcome> {
    let which = which.into();
    // A pack holds one trip: buses, seats and the pool elsewhere are the ledger's.
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let why = reason(lang, Some(why), true)?;
    let tx = ctx.store.begin()?;
    let trip = crate::ops::trip_ref::resolve(&tx, &which, lang)?;
    ensure_before_departure(&trip, lang)?;
    let at = now_text();
    let op = ctx.operator.as_str();
    let reason_id = keep_reason(&tx, trip.trip_id, None, &at, "cancel", why.as_deref())?;
    let mut released = 0;
    for p in trips::roster(&tx, trip.trip_id)? {
        if !p.status.holds_seat() {
            continue;
        }
        store::delete_place(&tx, p.passenger_id)?;
        store::insert_change(
            &tx,
            &NewChange {
                trip_id: trip.trip_id,
                at: &at,
                kind: "release",
                worker_id: Some(p.worker_id),
                from_seat: Some(p.seat),
                ..Default::default()
            },
        )?;
        audit_change(
            &tx,
            op,
            "cancel",
            "passenger",
            p.passenger_id,
            json!({"trip": trip.trip_id, "seat": p.seat, "status": p.status}),
            json!(null),
        )?;
        set_worker(&tx, op, "cancel", p.worker_id, WorkerStatus::Registered)?;
        released += 1;
    }
    let no_shows = sql::return_no_shows(&tx, trip.trip_id)?;
    for id in &no_shows {
        audit_change(
            &tx,
            op,
            "cancel",
            "worker",
            *id,
            json!({"status": WorkerStatus::Refused, "trip": trip.trip_id}),
            json!({"status": WorkerStatus::Registered, "reason": "no-show"}),
        )?;
    }
    sql::set_trip_status(&tx, trip.trip_id, TripStatus::Cancelled)?;
    store::insert_change(
        &tx,
        &NewChange {
            trip_id: trip.trip_id,
            at: &at,
            kind: "cancel",
            from_bus: Some(trip.bus_id),
            reason_id,
            ..Default::default()
        },
    )?;
    audit_change(
        &tx,
        op,
        "cancel",
        "trip",
        trip.trip_id,
        json!({"status": trip.status}),
        json!({"status": "cancelled", "released": released, "reason_id": reason_id}),
    )?;
    tx.commit()?;
    Ok(CancelOutcome {
        trip: trip.code,
        plate: trip.plate,
        status: TripStatus::Cancelled,
        released,
        no_shows: no_shows.len() as u32,
    })
}
