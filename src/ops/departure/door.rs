//! At the bus door: checking a passenger in (identity, bus, certificate, temperature) or
//! refusing them, which frees their seat for a stand-by.

use super::{
    audit_change, cert_allows, ensure_open, find_trip, parse_temp, passenger_by_id,
    placement_error, rostered_here, say, set_worker, sql, start_boarding, TripRef, Who,
};
use crate::model::{RefuseReason, SeatStatus, WorkerStatus};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::now_text;
use crate::store::trips::PassengerRow;
use serde_json::json;

/// Checks a passenger in at the door with the temperature the attendant typed.
///
/// - a temperature outside 34.0–43.0 °C is a typing error: `Failed` (exit 1), nothing written;
/// - rostered on another bus: `Refused{code:"wrong-bus"}` naming the bus and seat, nothing
///   written; on no roster at all: `Refused{code:"not-on-roster"}`;
/// - the trip has departed, arrived or been cancelled: `Refused{code:"closed"}`;
/// - fever (≥ the policy threshold): the refusal is recorded (seat freed, reason fever,
///   temperature kept) and `Refused{code:"fever"}` returned; a certificate not valid on the
///   trip date likewise records and returns `Refused{code:"certificate"}`;
/// - a passenger already boarded: success, nothing changed (boarding is idempotent);
/// - a no-show who turns up late gets their seat back if nobody took it (`seat-taken` if a
///   stand-by did); a passenger refused for fever, certificate or identity stays refused
///   (`Refused{code:"already-refused"}`).
///
/// The first check at the door moves the trip from planned to boarding.
pub fn board(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    temp: &str,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    let temp = parse_temp(temp, lang)?;
    let tx = ctx.store.write()?;
    let trip = find_trip(&tx, &which, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    if p.status == SeatStatus::Boarded {
        return Ok(p);
    }
    ensure_open(&trip, lang)?;
    let at = now_text();
    let op = ctx.operator.as_str();
    match p.status {
        SeatStatus::Refused => {
            let reason = p.refused_reason.as_deref().unwrap_or("?");
            return Err(OpError::refused(
                "already-refused",
                say!(
                    lang,
                    "{} 已被拒绝登车（{}），不能再登车",
                    "{} was refused at the door ({}) and may not board",
                    p.name,
                    reason
                ),
            ));
        }
        SeatStatus::NoShow => {
            sql::reinstate(&tx, p.passenger_id, &at)
                .map_err(|e| placement_error(e, p.seat, lang))?;
        }
        SeatStatus::Planned | SeatStatus::Boarded => {}
    }
    let before = json!({"status": p.status, "seat": p.seat});
    let threshold = ctx.policy.fever_threshold;
    let refusal = if temp.is_fever(threshold) {
        Some((
            RefuseReason::Fever,
            say!(
                lang,
                "发热：{} °C（≥ {:.1} °C），拒绝登车，{}座已空出",
                "fever: {} °C (≥ {:.1} °C): boarding refused, seat {} is free",
                temp,
                threshold,
                p.seat
            ),
        ))
    } else if !cert_allows(&p, trip.date, ctx.policy.cert_validity_days) {
        Some((
            RefuseReason::Certificate,
            say!(
                lang,
                "健康证明在 {} 无效，拒绝登车，{}座已空出",
                "health certificate not valid on {}: boarding refused, seat {} is free",
                trip.date,
                p.seat
            ),
        ))
    } else {
        None
    };
    start_boarding(&tx, &trip, op)?;
    if let Some((reason, message)) = refusal {
        sql::set_refused(&tx, p.passenger_id, reason, Some(temp.celsius()), &at)?;
        if reason == RefuseReason::Fever {
            sql::insert_event(
                &tx,
                &sql::NewEvent {
                    trip_id: trip.trip_id,
                    at: &at,
                    kind: "fever",
                    headcount: None,
                    worker_id: Some(p.worker_id),
                    seat: Some(p.seat),
                    temperature: Some(temp.celsius()),
                    note: "at the door",
                },
            )?;
        }
        audit_change(
            &tx,
            op,
            "refuse",
            "passenger",
            p.passenger_id,
            before,
            json!({"status": "refused", "reason": reason}),
        )?;
        set_worker(&tx, op, "refuse", p.worker_id, WorkerStatus::Refused)?;
        tx.commit()?;
        // The refusal is recorded; the caller still hears "refused" (exit 4).
        return Err(OpError::refused(
            if reason == RefuseReason::Fever {
                "fever"
            } else {
                "certificate"
            },
            message,
        ));
    }
    sql::set_boarded(&tx, p.passenger_id, temp.celsius(), &at)?;
    audit_change(
        &tx,
        op,
        "board",
        "passenger",
        p.passenger_id,
        before,
        json!({"status": "boarded", "seat": p.seat}),
    )?;
    set_worker(&tx, op, "board", p.worker_id, WorkerStatus::Boarded)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    tx.commit()?;
    Ok(row)
}

/// Refuses a passenger (fever, certificate, identity) or records a no-show; either way the seat
/// is freed for a stand-by and the worker becomes `refused` (DESIGN §2: refused with reason,
/// no-show being one of the reasons). A boarded passenger may still be taken off before the bus
/// leaves. Refusing someone already refused or no-show changes nothing (the first reason stays).
pub fn refuse(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    reason: RefuseReason,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    let tx = ctx.store.write()?;
    let trip = find_trip(&tx, &which, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    ensure_open(&trip, lang)?;
    if !p.status.holds_seat() {
        return Ok(p);
    }
    let at = now_text();
    let op = ctx.operator.as_str();
    start_boarding(&tx, &trip, op)?;
    sql::set_refused(&tx, p.passenger_id, reason, None, &at)?;
    let status = if reason == RefuseReason::NoShow {
        SeatStatus::NoShow
    } else {
        SeatStatus::Refused
    };
    audit_change(
        &tx,
        op,
        "refuse",
        "passenger",
        p.passenger_id,
        json!({"status": p.status, "seat": p.seat}),
        json!({"status": status, "reason": reason}),
    )?;
    set_worker(&tx, op, "refuse", p.worker_id, WorkerStatus::Refused)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    tx.commit()?;
    Ok(row)
}
