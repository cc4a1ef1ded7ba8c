//! Undoing a door decision before the bus leaves: a passenger boarded, refused for certificate
//! or identity, or marked no-show by mistake goes back to being checked, on their seat. The
//! reason is required, checked like any free text, and kept beside the audit log (the audit
//! row points at it), where purge can blank it.

use super::reading::now_stamp;
use super::{
    audit_change, find_trip, passenger_by_id, placement_error, rostered_here, say, set_worker, sql,
    TripRef, Who,
};
use crate::i18n::Code;
use crate::model::door::{self, DoorState, UndoRefused};
use crate::model::{FreeText, TripStatus, WorkerStatus};
use crate::ops::journal::{self, Act, Args};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::trips::PassengerRow;
use serde_json::json;

/// Reverses the passenger's last door decision with `reason` (required).
///
/// - boarded, refused for certificate or identity, no-show → planned on the same seat
///   (`seat-taken` if a stand-by took the freed seat meanwhile);
/// - refused for fever, or in 复测: `Refused{code:"undo_fever"}` — a reading decided it, and
///   only a new reading (after the rest) changes it;
/// - not checked yet: `Refused{code:"undo_nothing"}`;
/// - the bus has left (or arrived): `Refused{code:"undo_departed"}`; cancelled: `closed`.
pub fn undo(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    reason: &str,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    if reason.trim().is_empty() {
        return Err(OpError::Usage(say!(
            lang,
            "撤销须写明原因",
            "an undo needs a reason (--reason)"
        )));
    }
    let reason = crate::ops::free_text(lang, FreeText::Reason, reason)?;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    match trip.status {
        TripStatus::Planned | TripStatus::Boarding => {}
        TripStatus::Departed | TripStatus::Arrived => {
            return Err(OpError::refused(
                Code::UndoDeparted,
                say!(
                    lang,
                    "{} 已于 {} 发车：登车记录不能再撤销",
                    "{} left at {}: door decisions can no longer be undone",
                    trip.plate,
                    super::shown_time(trip.departed_at.as_deref())
                ),
            ))
        }
        TripStatus::Cancelled => super::ensure_open(&trip, lang)?,
    }
    let state = DoorState::of(p.status, p.refused_reason.as_deref());
    let next = door::undo(state).map_err(|e| match e {
        UndoRefused::FeverDecision => OpError::refused(
            Code::UndoFever,
            say!(
                lang,
                "{} 因发热{}：不能撤销，只有休息后重新测温才能改变",
                "{} is {} after a fever reading: this is not undone, only a new reading after the rest changes it",
                p.name,
                if state == DoorState::Recheck {
                    lang.pick("复测中", "waiting for a re-check")
                } else {
                    lang.pick("被拒绝登车", "refused")
                }
            ),
        ),
        UndoRefused::Nothing => OpError::refused(
            Code::UndoNothing,
            say!(
                lang,
                "{} 尚未查验，没有可撤销的记录",
                "{} has not been checked yet: there is nothing to undo",
                p.name
            ),
        ),
    })?;
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    if !state.holds_seat() {
        super::seat_back(&tx, &trip, &p, &ctx.policy, lang)?;
    }
    sql::set_planned(&tx, p.passenger_id, &at).map_err(|e| placement_error(e, p.seat, lang))?;
    let reason_id = sql::insert_reason(&tx, trip.trip_id, Some(p.worker_id), &at, "undo", &reason)?;
    audit_change(
        &tx,
        op,
        "undo",
        "passenger",
        p.passenger_id,
        json!({"status": p.status, "reason": state.reason(), "seat": p.seat}),
        json!({"status": next.status(), "seat": p.seat, "reason_id": reason_id}),
    )?;
    set_worker(&tx, op, "undo", p.worker_id, WorkerStatus::Planned)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    let args = Args {
        reason: Some(reason.clone()),
        ..Args::default()
    };
    journal::note(&tx, &ctx.journal, op, lang, &at, Act::on("undo", &p, args))?;
    tx.commit()?;
    Ok(row)
}
