//! Keeping a temperature reading: the row in `readings`, its audit line, and what the door
//! readings so far mean for the next one. Shared by the door, rounds and observation moves.

use super::{audit_change, sql};
use crate::i18n::Code;
use crate::model::door::DoorHistory;
use crate::model::{ReadingOutcome, ReadingPlace, Temperature};
use crate::ops::{Ctx, OpResult};
use crate::store::readings::{self, NewReading, Reading};
use crate::store::trips::{PassengerRow, TripInfo};
use crate::store::{Db, Tx};
use chrono::NaiveDateTime;
use serde_json::json;

/// Refusal codes whose action was itself written (a reading kept, a seat freed or held): the
/// console closes the dialog and reloads instead of asking again.
pub const RECORDED_REFUSALS: &[Code] = &[
    Code::Fever,
    Code::Certificate,
    Code::FeverRecheck,
    Code::RecheckWait,
    Code::FeverEnRoute,
];

/// A stored time as the clock read it where it was written (`crate::clock` knows every stored
/// form, old rows without an offset too); the door's wait and the round reminder compute with it.
pub fn parse_stamp(s: &str) -> Option<NaiveDateTime> {
    crate::clock::parse_stored(s).map(|t| t.naive_local())
}

/// Now from the one clock: the stored text (RFC 3339 with offset) and the same instant as a
/// time to compute with.
pub(super) fn now_stamp() -> (String, NaiveDateTime) {
    let now = crate::clock::now();
    (crate::clock::stamp(now), now.naive_local())
}

/// What this passenger's earlier door readings on this trip mean for the next one.
pub(super) fn door_history(conn: &Db<'_>, trip_id: i64, worker_id: i64) -> OpResult<DoorHistory> {
    let rs = readings::of_passenger(conn, trip_id, worker_id)?;
    Ok(DoorHistory::of(
        rs.iter()
            .filter(|r| r.place == ReadingPlace::Door)
            .map(|r| (parse_stamp(&r.at), r.outcome)),
    ))
}

/// Keeps one reading of a passenger with what it decided, and audits it (row ids and words
/// only: the value stays in `readings`). A reading that is a fever also goes into the trip's
/// log, as the attendant's record of the day.
#[allow(clippy::too_many_arguments)]
pub(super) fn keep(
    tx: &Tx<'_>,
    operator: &str,
    trip: &TripInfo,
    p: &PassengerRow,
    temp: Temperature,
    place: ReadingPlace,
    outcome: ReadingOutcome,
    at: &str,
) -> OpResult<i64> {
    let id = readings::insert(
        tx,
        &NewReading {
            trip_id: trip.trip_id,
            worker_id: p.worker_id,
            seat: p.seat,
            at,
            celsius: temp.celsius(),
            operator,
            place,
            outcome,
        },
    )?;
    let fever_logged = matches!(
        outcome,
        ReadingOutcome::Recheck | ReadingOutcome::Fever | ReadingOutcome::Observation
    );
    if fever_logged {
        sql::insert_event(
            tx,
            &sql::NewEvent {
                trip_id: trip.trip_id,
                at,
                kind: "fever",
                headcount: None,
                worker_id: Some(p.worker_id),
                seat: Some(p.seat),
                temperature: Some(temp.celsius()),
                note: match place {
                    ReadingPlace::Door => "at the door",
                    ReadingPlace::Round => "en route",
                },
            },
        )?;
    }
    audit_change(
        tx,
        operator,
        "reading",
        "passenger",
        p.passenger_id,
        json!({"status": p.status}),
        json!({"reading": id, "place": place, "outcome": outcome}),
    )?;
    Ok(id)
}

/// Marks a passenger aboard as under observation (a fever en route), once.
pub(super) fn mark_observation(
    tx: &Tx<'_>,
    operator: &str,
    p: &PassengerRow,
    at: &str,
) -> OpResult<()> {
    if sql::set_observation(tx, p.passenger_id, at)? {
        audit_change(
            tx,
            operator,
            "observe",
            "passenger",
            p.passenger_id,
            json!({"observation": false}),
            json!({"observation": true}),
        )?;
    }
    Ok(())
}

/// Every reading of the named passenger on the bus's trip, oldest first.
pub fn passenger_readings(ctx: &Ctx, trip_id: i64, worker_id: i64) -> OpResult<Vec<Reading>> {
    Ok(readings::of_passenger(&ctx.store.db(), trip_id, worker_id)?)
}
