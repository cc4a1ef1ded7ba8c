//! Departure day actions at the bus door, en route and at the factory gate: board, refuse,
//! stand-by, depart, temperature rounds, stops, observation moves, arrival, other means.

use super::{Ctx, OpError, OpResult};
use crate::model::{Policy, RefuseReason, SeatStatus};
use crate::store::trips::{PassengerRow, TripInfo};
use serde::Serialize;

/// How the attendant named a passenger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// As typed: full-width digits and lower-case x are accepted.
    IdNumber(&'a str),
    /// Seat number on this bus (a passenger holding it: planned or boarded).
    Seat(u32),
    /// Worker row id (the console, after a search by name or last 4).
    Worker(i64),
}

/// A worker who may take a freed seat: certificate valid on the trip date, employer among the
/// bus's employers, not placed on any bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandbyCandidate {
    pub worker_id: i64,
    pub name: String,
    /// Full number, normalised: mask before showing.
    pub id_number: String,
    pub village: String,
    pub employer: String,
}

/// The roster counts always shown to the attendant. `expected` is everyone currently holding a
/// seat (`boarded + missing`); refused and no-show passengers have given theirs up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RosterCounts {
    pub expected: u32,
    pub boarded: u32,
    pub refused: u32,
    pub no_show: u32,
    /// Holding a seat but not checked yet: the bus may not leave while this is above 0.
    pub missing: u32,
}

/// One temperature taken en route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub worker_id: i64,
    pub seat: u32,
    pub temperature: f64,
}

/// What an en-route temperature round found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundOutcome {
    pub trip_id: i64,
    pub plate: String,
    pub at: String,
    pub measured: u32,
    /// Passengers aboard.
    pub boarded: u32,
    /// Seats of passengers aboard whose temperature was not taken this round.
    pub not_measured: Vec<u32>,
    /// Readings at or above the fever threshold: move them with `move_to_observation`.
    pub fevers: Vec<Reading>,
    /// Free seats in the observation rows.
    pub observation_free: Vec<u32>,
}

/// A stop on the way, with the headcount taken against the roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StopOutcome {
    pub trip_id: i64,
    pub plate: String,
    pub at: String,
    pub place: String,
    pub headcount: u32,
    /// Passengers aboard by the roster.
    pub boarded: u32,
    pub matches: bool,
}

/// Refusals at the door by reason (no-shows are counted apart).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RefusedByReason {
    pub fever: u32,
    pub certificate: u32,
    pub identity: u32,
}

/// The close-out of a trip at the factory gate (交接).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalSummary {
    pub trip_id: i64,
    pub plate: String,
    pub departed_at: Option<String>,
    pub arrived_at: String,
    pub receiver: Option<String>,
    /// Counted at the gate (the roster's count when none was given).
    pub headcount: u32,
    pub boarded: u32,
    pub headcount_matches: bool,
    pub refused: RefusedByReason,
    pub no_show: u32,
    /// Stand-by workers who took a freed seat and travelled.
    pub standby: u32,
    /// Passengers moved to the observation rows on the way.
    pub moved_to_observation: u32,
}

fn not_yet<T>(what: &str) -> OpResult<T> {
    Err(OpError::Failed(format!("{what} is not available in this build yet")))
}

/// Checks a passenger in at the door with the temperature typed by the attendant.
pub fn board(ctx: &mut Ctx, plate: &str, who: Who<'_>, temp: &str) -> OpResult<PassengerRow> {
    let _ = (ctx, plate, who, temp);
    not_yet("board")
}

/// Refuses a passenger (fever, certificate, identity) or records a no-show; the seat is freed.
pub fn refuse(
    ctx: &mut Ctx,
    plate: &str,
    who: Who<'_>,
    reason: RefuseReason,
) -> OpResult<PassengerRow> {
    let _ = (ctx, plate, who, reason);
    not_yet("refuse")
}

pub fn standby_candidates(ctx: &Ctx, plate: &str) -> OpResult<Vec<StandbyCandidate>> {
    let _ = (ctx, plate);
    not_yet("stand-by")
}

pub fn seat_standby(
    ctx: &mut Ctx,
    plate: &str,
    worker_id: i64,
    seat: Option<u32>,
) -> OpResult<PassengerRow> {
    let _ = (ctx, plate, worker_id, seat);
    not_yet("stand-by")
}

pub fn depart(ctx: &mut Ctx, plate: &str) -> OpResult<TripInfo> {
    let _ = (ctx, plate);
    not_yet("depart")
}

/// Counts of one roster (pure).
pub fn counts(roster: &[PassengerRow]) -> RosterCounts {
    let mut c = RosterCounts::default();
    for p in roster {
        match p.status {
            SeatStatus::Planned => c.missing += 1,
            SeatStatus::Boarded => c.boarded += 1,
            SeatStatus::Refused => c.refused += 1,
            SeatStatus::NoShow => c.no_show += 1,
        }
    }
    c.expected = c.boarded + c.missing;
    c
}

pub fn temperature_round(
    ctx: &mut Ctx,
    plate: &str,
    readings: &[(i64, String)],
) -> OpResult<RoundOutcome> {
    let _ = (ctx, plate, readings);
    not_yet("temperature round")
}

pub fn round_due(
    trip: &TripInfo,
    last_round_at: Option<&str>,
    now: chrono::NaiveDateTime,
    policy: &Policy,
) -> bool {
    let _ = (trip, last_round_at, now, policy);
    false
}

pub fn stop(ctx: &mut Ctx, plate: &str, headcount: u32, place: &str) -> OpResult<StopOutcome> {
    let _ = (ctx, plate, headcount, place);
    not_yet("stop")
}

pub fn move_to_observation(
    ctx: &mut Ctx,
    plate: &str,
    who: Who<'_>,
    temp: &str,
) -> OpResult<PassengerRow> {
    let _ = (ctx, plate, who, temp);
    not_yet("observation move")
}

pub fn arrive(
    ctx: &mut Ctx,
    plate: &str,
    receiver: Option<&str>,
    headcount: Option<u32>,
) -> OpResult<ArrivalSummary> {
    let _ = (ctx, plate, receiver, headcount);
    not_yet("arrive")
}

pub fn mark_other_means(
    ctx: &mut Ctx,
    worker_id: i64,
    means: &str,
    date: chrono::NaiveDate,
) -> OpResult<()> {
    let _ = (ctx, worker_id, means, date);
    not_yet("other means")
}

/// One line of a trip's log (rounds, stops, fevers, moves), as the console lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripEvent {
    pub at: String,
    /// `round`, `stop`, `fever`, `move`.
    pub kind: String,
    pub headcount: Option<u32>,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    pub temperature: Option<f64>,
    pub note: String,
}

/// The trip a bus runs on the working day if it is still under way, else its earliest trip still
/// under way, else its latest; unknown plate → `OpError::Failed`.
pub fn bus_trip(ctx: &Ctx, plate: &str) -> OpResult<TripInfo> {
    let _ = (ctx, plate);
    not_yet("bus trip")
}

/// When the last en-route temperature round was taken (for `round_due`).
pub fn last_round_at(ctx: &Ctx, trip_id: i64) -> OpResult<Option<String>> {
    let _ = (ctx, trip_id);
    not_yet("rounds")
}

/// The trip's log, oldest first.
pub fn trip_events(ctx: &Ctx, trip_id: i64) -> OpResult<Vec<TripEvent>> {
    let _ = (ctx, trip_id);
    not_yet("trip log")
}
