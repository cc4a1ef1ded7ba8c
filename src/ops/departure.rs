//! Departure day actions at the bus door, en route and at the factory gate: board, refuse,
//! stand-by, depart, temperature rounds, stops, observation moves, arrival, other means.

mod door;
mod en_route;
mod reading;
pub mod receivers;
mod roster;
mod standby;
mod trip;
mod undo;

pub use super::trip_ref::TripRef;
pub use crate::store::departure::TripEvent;
pub use door::{board, refuse};
pub use en_route::{move_to_observation, round, round_due, stop, temperature_round};
pub use reading::{parse_stamp, passenger_readings, RECORDED_REFUSALS};
pub use roster::{roster_view, RosterLine, RosterTally, RosterView};
pub use standby::{mark_other_means, seat_standby, standby_candidates};
pub use trip::{arrive, arrive_handover, depart};
pub use undo::undo;

use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{
    HealthCertificate, IdNumber, RefuseReason, Temperature, TripStatus, WorkerStatus,
};
use crate::store::trips::{self, PassengerRow, TripInfo};
use crate::store::{audit, departure as sql, Db, StoreError, Tx};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

/// A message in the interface language: `say!(lang, "中文 {}", "English {}", args…)`.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh $(, $arg)*),
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use say;

/// How the attendant named a passenger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// As typed: full-width digits and lower-case x are accepted.
    IdNumber(&'a str),
    /// Seat number on this bus: whoever holds it, else whoever last gave it up.
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

/// The roster counts always shown to the attendant (`model::SeatCounts`, the one set of seat
/// counts; the name stays for the callers of the door's actions).
pub type RosterCounts = crate::model::SeatCounts;

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
    /// The trip's code, `旬阳-20200221-01-1`.
    pub trip: String,
    pub plate: String,
    pub departed_at: Option<String>,
    pub arrived_at: String,
    pub receiver: Option<String>,
    /// Who received each employer's passengers.
    pub receivers: Vec<receivers::Receiver>,
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
    /// Passengers under observation after a fever found en route, handed over as such.
    pub observation: Vec<ObservedPassenger>,
}

/// A passenger handed over under observation (留观).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedPassenger {
    pub seat: u32,
    pub name: String,
    /// The latest reading, °C.
    pub last_temp: Option<f64>,
    /// When the fever was found.
    pub since: String,
}

/// Counts of one roster (pure): see `SeatCounts` for what each number means.
pub fn counts(roster: &[PassengerRow]) -> RosterCounts {
    let mut c = RosterCounts::default();
    for p in roster {
        c.add(p.status, p.observation_at.is_some());
    }
    c
}

/// The trip an action names: the bus's one open trip, or one trip by code (`ops::trip_ref`).
pub fn bus_trip(ctx: &Ctx, which: impl Into<TripRef>) -> OpResult<TripInfo> {
    find_trip(&ctx.store.db(), &which.into(), ctx.lang)
}

/// When the last en-route temperature round was taken (for `round_due`).
pub fn last_round_at(ctx: &Ctx, trip_id: i64) -> OpResult<Option<String>> {
    Ok(sql::last_event_at(&ctx.store.db(), trip_id, "round")?)
}

/// The trip's log (rounds, stops, fevers, moves), oldest first.
pub fn trip_events(ctx: &Ctx, trip_id: i64) -> OpResult<Vec<TripEvent>> {
    Ok(sql::events(&ctx.store.db(), trip_id)?)
}

/// Every departure-day action finds its trip here (`ops::trip_ref::resolve`).
fn find_trip(conn: &Db<'_>, which: &TripRef, lang: Lang) -> OpResult<TripInfo> {
    super::trip_ref::resolve(conn, which, lang)
}

/// A stored time as people read it in a message: `2020-02-21 07:03` (the papers' form).
pub(crate) fn shown_time(stamp: Option<&str>) -> String {
    stamp.map_or_else(|| "?".into(), crate::clock::paper_text)
}

/// A refusal's reason in the interface language.
fn reason_words(r: RefuseReason, lang: Lang) -> &'static str {
    r.label(lang)
}

/// Door actions (board, refuse, stand-by) are only possible before the bus leaves.
fn ensure_open(trip: &TripInfo, lang: Lang) -> OpResult<()> {
    if trip.status.may_become(TripStatus::Departed) {
        return Ok(());
    }
    let why = match trip.status {
        TripStatus::Departed => say!(
            lang,
            "{} 已于 {} 发车，名单已关闭",
            "{} departed at {}: the roster is closed",
            trip.plate,
            shown_time(trip.departed_at.as_deref())
        ),
        TripStatus::Arrived => say!(
            lang,
            "{} 已到达，名单已关闭",
            "{} has arrived: the roster is closed",
            trip.plate
        ),
        // Before departure (returned above) or cancelled.
        _ => say!(
            lang,
            "{} 的行程已取消",
            "{}'s trip is cancelled",
            trip.plate
        ),
    };
    Err(OpError::refused(Code::Closed, why))
}

/// En-route actions (rounds, stops, moves) need a bus on the road.
fn ensure_on_road(trip: &TripInfo, lang: Lang) -> OpResult<()> {
    match trip.status {
        s if s.may_become(TripStatus::Arrived) => Ok(()),
        s if s.may_become(TripStatus::Departed) => Err(OpError::refused(
            Code::NotDeparted,
            say!(lang, "{} 尚未发车", "{} has not departed yet", trip.plate),
        )),
        _ => ensure_open(trip, lang),
    }
}

/// Where the named person stands with respect to this bus.
enum Found {
    /// A passenger record on this trip: the seat they hold, else their latest record here.
    Here(Box<PassengerRow>),
    /// Holding a seat on another trip: (plate, seat, date).
    Elsewhere(String, u32, NaiveDate),
    Nowhere,
}

fn resolve(conn: &Db<'_>, trip: &TripInfo, who: Who<'_>, lang: Lang) -> OpResult<Found> {
    let roster = trips::roster(conn, trip.trip_id)?;
    let worker_id = match who {
        Who::Seat(n) => {
            // The holder of the seat; else whoever last gave it up, so that a second terminal
            // hears "refused" rather than "nobody in that seat".
            let in_seat = roster.into_iter().filter(|p| p.seat == n);
            return Ok(in_seat
                .max_by_key(|p| (p.status.holds_seat(), p.passenger_id))
                .map_or(Found::Nowhere, |p| Found::Here(Box::new(p))));
        }
        Who::Worker(id) => id,
        Who::IdNumber(typed) => {
            let id = IdNumber::parse(typed).map_err(|e| {
                // The typed number is not repeated: it is personal data.
                OpError::Failed(say!(
                    lang,
                    "身份证号无效：{}",
                    "the ID number typed is not valid: {}",
                    e.message(lang)
                ))
            })?;
            match trips::worker_by_id_number(conn, id.as_str())? {
                Some(w) => w,
                None => return Ok(Found::Nowhere),
            }
        }
    };
    let mine: Vec<PassengerRow> = roster
        .into_iter()
        .filter(|p| p.worker_id == worker_id)
        .collect();
    if let Some(p) = mine.iter().find(|p| p.status.holds_seat()) {
        return Ok(Found::Here(Box::new(p.clone())));
    }
    if let Some(p) = trips::placed(conn, worker_id)? {
        if let Some(t) = trips::trip(conn, p.trip_id)? {
            return Ok(Found::Elsewhere(t.plate, p.seat, t.date));
        }
    }
    Ok(mine
        .into_iter()
        .max_by_key(|p| p.passenger_id)
        .map_or(Found::Nowhere, |p| Found::Here(Box::new(p))))
}

/// The passenger on this bus, or the refusal a rule gives for anyone else.
fn rostered_here(
    conn: &Db<'_>,
    trip: &TripInfo,
    who: Who<'_>,
    lang: Lang,
) -> OpResult<PassengerRow> {
    match resolve(conn, trip, who, lang)? {
        Found::Here(p) => Ok(*p),
        Found::Elsewhere(plate, seat, date) => {
            let msg = if date == trip.date {
                say!(
                    lang,
                    "上错车：请到 {} {}座",
                    "wrong bus: go to {} seat {}",
                    plate,
                    seat
                )
            } else {
                say!(
                    lang,
                    "上错车：请到 {} {}座（{}）",
                    "wrong bus: go to {} seat {} ({})",
                    plate,
                    seat,
                    date
                )
            };
            Err(OpError::refused(Code::WrongBus, msg))
        }
        Found::Nowhere => Err(OpError::refused(
            Code::NotOnRoster,
            match who {
                Who::Seat(n) => say!(
                    lang,
                    "{} 的 {} 座无人：不在名单上",
                    "nobody holds seat {1} on {0}: not on the roster",
                    trip.plate,
                    n
                ),
                _ => say!(
                    lang,
                    "不在任何车辆名单上，不能登车",
                    "not on any bus's roster: may not board"
                ),
            },
        )),
    }
}

fn passenger_by_id(conn: &Db<'_>, trip_id: i64, passenger_id: i64) -> OpResult<PassengerRow> {
    trips::roster(conn, trip_id)?
        .into_iter()
        .find(|p| p.passenger_id == passenger_id)
        .ok_or_else(|| OpError::Failed(format!("passenger record {passenger_id} vanished")))
}

fn cert_allows(p: &PassengerRow, day: NaiveDate, validity_days: u32) -> bool {
    HealthCertificate {
        issued: p.cert_issued,
        valid_until: p.cert_valid_until,
        issuer: String::new(),
    }
    .state_on(day, validity_days)
    .allows_travel()
}

fn parse_temp(typed: &str, lang: Lang) -> OpResult<Temperature> {
    Temperature::parse(typed).map_err(|e| {
        OpError::Failed(
            crate::i18n::Msg::TemperatureRejected {
                why: e.message(lang),
            }
            .text(lang),
        )
    })
}

/// The seat and worker unique indexes speak for a rule: a seat or a person placed twice.
pub(crate) fn placement_error(e: StoreError, seat: u32, lang: Lang) -> OpError {
    match sql::conflict(&e) {
        Some(sql::Conflict::SeatTaken) => seat_taken(seat, lang),
        Some(sql::Conflict::WorkerPlaced) => OpError::refused(
            Code::AlreadyPlaced,
            say!(
                lang,
                "此人已在一辆车上有座位",
                "this worker already holds a seat on a bus"
            ),
        ),
        None => e.into(),
    }
}

/// Someone who gave up their seat (refused, no-show) takes it back only while the bus still
/// allows that seat and has room: after a coach swap the number may not exist on the
/// substitute, or the smaller coach may be full. `seat-not-allowed` or `full`, nothing written.
pub(crate) fn seat_back(
    conn: &Db<'_>,
    trip: &TripInfo,
    p: &PassengerRow,
    policy: &crate::model::Policy,
    lang: Lang,
) -> OpResult<()> {
    let layout = crate::model::Layout::new(trip.rated_seats, policy);
    if layout.seat(p.seat).map(|s| s.usage) != Some(crate::model::SeatUse::Allowed) {
        return Err(OpError::refused(
            Code::SeatNotAllowed,
            say!(
                lang,
                "{} 的 {}座 已不可用（车辆已更换）：不能回到原座位",
                "seat {1} on {0} is no longer one the coach allows (the coach was swapped): the passenger cannot take it back",
                trip.plate,
                p.seat
            ),
        ));
    }
    let held = sql::held_seats(conn, trip.trip_id)?;
    if !held.contains(&p.seat) && held.len() as u32 >= trip.capacity {
        return Err(trip_full(Code::Full, trip, held.len(), lang));
    }
    Ok(())
}

/// The bus has no seat left: `held` of its capacity are taken (refused with `code`, which
/// differs between the door and a move).
pub(crate) fn trip_full(code: Code, trip: &TripInfo, held: usize, lang: Lang) -> OpError {
    OpError::refused(
        code,
        say!(
            lang,
            "{} 已满：{}/{} 个座位有人",
            "{} is full: {}/{} seats held",
            trip.plate,
            held,
            trip.capacity
        ),
    )
}

pub(crate) fn seat_taken(seat: u32, lang: Lang) -> OpError {
    OpError::refused(
        Code::SeatTaken,
        say!(lang, "{}座已有人", "seat {} is already taken", seat),
    )
}

/// Planned → boarding at the first check at the door (boarding, refusal or stand-by).
fn start_boarding(tx: &Tx<'_>, trip: &TripInfo, operator: &str) -> OpResult<()> {
    if trip.status == TripStatus::Planned {
        sql::set_trip_status(tx, trip.trip_id, TripStatus::Boarding)?;
        audit_change(
            tx,
            operator,
            "board",
            "trip",
            trip.trip_id,
            json!({"status": "planned"}),
            json!({"status": "boarding"}),
        )?;
    }
    Ok(())
}

pub(crate) fn set_worker(
    tx: &Tx<'_>,
    operator: &str,
    action: &str,
    worker_id: i64,
    to: WorkerStatus,
) -> OpResult<()> {
    let from = sql::worker_brief(tx, worker_id)?.map(|w| w.status);
    if from == Some(to) {
        return Ok(());
    }
    sql::set_worker_status(tx, worker_id, to)?;
    audit_change(
        tx,
        operator,
        action,
        "worker",
        worker_id,
        json!({"status": from}),
        json!({"status": to}),
    )
}

/// Audit rows carry row ids and states only: never names, ID numbers or phones.
pub(crate) fn audit_change(
    tx: &Tx<'_>,
    operator: &str,
    action: &str,
    entity: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> OpResult<()> {
    audit(
        tx,
        operator,
        action,
        entity,
        Some(id),
        Some(&before),
        Some(&after),
    )?;
    Ok(())
}
