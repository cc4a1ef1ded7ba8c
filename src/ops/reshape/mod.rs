//! Reshaping a planned day when it does not go to plan: a passenger moved to another bus or
//! seat, a broken-down coach swapped for a substitute (the trip keeps its code), a trip
//! cancelled (its passengers back in the pool). Each is one write transaction, audited with
//! the operator and the reason, and refused with exit 4 and a stable code naming the rule.
//!
//! Rule codes: `different_city`, `bus_full`, `seat_blocked`, `seat-taken`,
//! `too_many_employers`, `departed`, `closed`, `not_placed`, `same_bus`, `bus_busy`,
//! `not_available`, `shortfall`.

mod cancel;
mod move_passenger;
mod swap;

pub use cancel::{cancel, CancelOutcome};
pub use move_passenger::{move_passenger, move_seats, move_targets, MoveOutcome, MoveTarget};
pub use swap::{swap, swap_candidates, SwapCandidate, SwapOutcome};

use super::departure::say;
use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{FreeText, TripStatus};
use crate::store::reshape::{self as store, TripChange};
use crate::store::trips::TripInfo;
use crate::store::{departure as sql, Db, Tx};
use serde::Serialize;

/// How a command names the worker to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person<'a> {
    /// As typed (`--id`): full-width digits and lower-case x are accepted.
    IdNumber(&'a str),
    /// Worker row id (the console).
    Worker(i64),
}

/// One side of a move or swap as printed: the trip's code, its bus and a seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub trip: String,
    pub plate: String,
    pub seat: u32,
}

/// The trip's change history (swaps, moves in and out, re-seats, cancellation), oldest first.
pub fn trip_changes(ctx: &Ctx, trip_id: i64) -> OpResult<Vec<TripChange>> {
    Ok(store::changes(&ctx.store.db(), trip_id)?)
}

/// One line of a trip's history in the interface language (the roster's log, the papers).
pub fn change_text(c: &TripChange, lang: Lang) -> String {
    let plate = |p: &Option<String>| p.clone().unwrap_or_default();
    let seat = |s: Option<u32>| s.map_or_else(|| "?".into(), |n| n.to_string());
    let why = c
        .reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| say!(lang, "（{}）", " ({})", r))
        .unwrap_or_default();
    match c.kind.as_str() {
        "swap" if c.on_road => say!(
            lang,
            "途中换车：{} → {}{}",
            "coach swapped on the road: {} → {}{}",
            plate(&c.from_plate),
            plate(&c.to_plate),
            why
        ),
        "swap" => say!(
            lang,
            "换车：{} → {}{}",
            "coach swapped: {} → {}{}",
            plate(&c.from_plate),
            plate(&c.to_plate),
            why
        ),
        "reseat" => say!(
            lang,
            "换车后调座：{}座 → {}座",
            "re-seated on the substitute: seat {} → {}",
            seat(c.from_seat),
            seat(c.to_seat)
        ),
        "move" if c.from_trip.as_deref() == Some(c.trip.as_str()) => say!(
            lang,
            "调座：{}座 → {}座{}",
            "seat changed: {} → {}{}",
            seat(c.from_seat),
            seat(c.to_seat),
            why
        ),
        "move" => say!(
            lang,
            "调车：{} {}座 → {} {}座{}",
            "moved: {} seat {} → {} seat {}{}",
            c.from_trip.clone().unwrap_or_default(),
            seat(c.from_seat),
            c.trip,
            seat(c.to_seat),
            why
        ),
        "cancel" => say!(lang, "车次取消{}", "trip cancelled{}", why),
        "release" => say!(
            lang,
            "{}座 回到待编排",
            "seat {} back to the pool",
            seat(c.from_seat)
        ),
        other => other.to_string(),
    }
}

/// A reason typed for a change: optional (a move, a swap) or required (a cancel); checked like
/// any free text. `None` when none was given.
fn reason(lang: Lang, typed: Option<&str>, required: bool) -> OpResult<Option<String>> {
    match typed.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Ok(Some(crate::ops::free_text(lang, FreeText::Reason, r)?)),
        None if required => Err(OpError::Usage(say!(
            lang,
            "请写明原因（--reason）",
            "a reason is needed (--reason)"
        ))),
        None => Ok(None),
    }
}

/// Keeps a typed reason beside the audit log (purge can blank it there); its row id.
fn keep_reason(
    tx: &Tx<'_>,
    trip_id: i64,
    worker_id: Option<i64>,
    at: &str,
    action: &str,
    text: Option<&str>,
) -> OpResult<Option<i64>> {
    Ok(match text {
        Some(t) => Some(sql::insert_reason(tx, trip_id, worker_id, at, action, t)?),
        None => None,
    })
}

/// Moves and cancels happen before departure; a trip that left, arrived or was cancelled is
/// refused with `departed` or `closed`.
fn ensure_before_departure(trip: &TripInfo, lang: Lang) -> OpResult<()> {
    match trip.status {
        s if s.may_become(TripStatus::Cancelled) => Ok(()),
        TripStatus::Departed | TripStatus::Arrived => Err(OpError::refused(
            Code::Departed,
            say!(
                lang,
                "{}（{}）已于 {} 发车：不能再调整",
                "{} ({}) left at {}: it can no longer be changed",
                trip.plate,
                trip.code,
                super::departure::shown_time(trip.departed_at.as_deref())
            ),
        )),
        _ => Err(closed(trip, lang)),
    }
}

fn closed(trip: &TripInfo, lang: Lang) -> OpError {
    OpError::refused(
        Code::Closed,
        say!(
            lang,
            "{}（{}）{}：不能再调整",
            "{} ({}) is {}: it can no longer be changed",
            trip.plate,
            trip.code,
            trip.status.label(lang)
        ),
    )
}

/// A plate as typed (`陕G·21000`, `21000`) in its stored form (`ops::trip_ref::bus_plate`).
fn normal_plate(conn: &Db<'_>, typed: &str, lang: Lang) -> OpResult<String> {
    crate::ops::trip_ref::bus_plate(conn, typed, lang)
}
