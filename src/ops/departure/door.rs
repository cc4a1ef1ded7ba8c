//! At the bus door: a temperature reading for a passenger (identity, bus, certificate,
//! temperature, re-check after a fever), or a refusal, which frees the seat for a stand-by.
//! The rules themselves are `model::door`; this applies them in one transaction.

use super::reading::{door_history, keep, now_stamp};
use super::{
    audit_change, cert_allows, ensure_open, find_trip, parse_temp, passenger_by_id,
    placement_error, rostered_here, say, set_worker, sql, start_boarding, TripRef, Who,
};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::door::{self, DoorRules, DoorState, NotAtDoor};
use crate::model::{ReadingOutcome, ReadingPlace, RefuseReason, Temperature, WorkerStatus};
use crate::ops::journal::{self, Act, Args};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::trips::PassengerRow;
use chrono::Duration;
use serde_json::json;

/// Checks a passenger at the door with the temperature the attendant typed. Every reading of a
/// passenger on this bus is kept (time, value, operator) with what it decided:
///
/// - below the fever threshold: boards (a late no-show gets the seat back, `seat-taken` if a
///   stand-by took it); someone already aboard stays aboard; a certificate not valid on the
///   trip date refuses (`Refused{code:"certificate"}`, seat freed);
/// - at or above it: 复测 while the policy's re-checks are left (`Refused{code:
///   "fever_recheck"}`, the seat held, the bus may not leave), else refused
///   (`Refused{code:"fever"}`, seat freed) — also for someone already aboard: a fever is never
///   ignored;
/// - in 复测 or refused for fever, a reading before the rest is over decides nothing
///   (`Refused{code:"recheck_wait"}` saying how long to wait); after it, the new reading
///   decides as above (a normal one boards again if the seat is still free);
/// - refused for certificate or identity: `Refused{code:"already-refused"}`, nothing written
///   (`undo` reverses such a refusal);
/// - a temperature outside 34.0–43.0 °C is a typing error (exit 1); another bus's passenger
///   `wrong-bus`, nobody's `not-on-roster`, a trip that left `closed`: nothing written.
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
    let rules = DoorRules::of(&ctx.policy);
    let validity = ctx.policy.cert_validity_days;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    ensure_open(&trip, lang)?;
    let state = DoorState::of(p.status, p.refused_reason.as_deref());
    let (at, now) = now_stamp();
    let history = door_history(&tx, trip.trip_id, p.worker_id)?;
    let fever = temp.is_fever(rules.fever_threshold);
    let cert_ok = cert_allows(&p, trip.date, validity);
    let outcome = match door::door_reading(state, fever, cert_ok, &history, now, &rules) {
        Ok(o) => o,
        Err(NotAtDoor::AlreadyRefused(r)) => {
            return Err(OpError::refused(
                Code::AlreadyRefused,
                say!(
                lang,
                "{} 已被拒绝登车（{}），不能再登车；如为误操作请先撤销",
                "{} was refused at the door ({}) and may not board; if that was a mistake, undo it first",
                p.name,
                super::reason_words(r, lang)
            ),
            ))
        }
    };
    let next = door::after_reading(state, outcome);
    if next.holds_seat() && !state.holds_seat() {
        super::seat_back(&tx, &trip, &p, &ctx.policy, lang)?;
    }
    let op = ctx.operator.as_str();
    start_boarding(&tx, &trip, op)?;
    if next != state {
        let before = json!({"status": p.status, "seat": p.seat});
        let taken = |e| placement_error(e, p.seat, lang);
        let (action, worker) = match next {
            DoorState::Boarded => {
                sql::set_boarded(&tx, p.passenger_id, &at).map_err(taken)?;
                ("board", WorkerStatus::Boarded)
            }
            DoorState::Recheck => {
                sql::set_recheck(&tx, p.passenger_id, &at).map_err(taken)?;
                ("recheck", WorkerStatus::Planned)
            }
            DoorState::Refused(reason) => {
                sql::set_refused(&tx, p.passenger_id, reason, &at)?;
                ("refuse", WorkerStatus::Refused)
            }
            DoorState::Planned | DoorState::NoShow => {
                return Err(OpError::Failed(format!(
                    "a door reading cannot lead from {state:?} to {next:?}"
                )))
            }
        };
        audit_change(
            &tx,
            op,
            action,
            "passenger",
            p.passenger_id,
            before,
            json!({"status": next.status(), "reason": next.reason(), "seat": p.seat}),
        )?;
        set_worker(&tx, op, action, p.worker_id, worker)?;
    }
    keep(&tx, op, &trip, &p, temp, ReadingPlace::Door, outcome, &at)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    let args = Args::temp(temp);
    journal::note(&tx, &ctx.journal, op, lang, &at, Act::on("board", &p, args))?;
    tx.commit()?;
    // The reading and its decision are written; the caller still hears a refusal (exit 4).
    let why = |code, message| Err(OpError::refused(code, message));
    let threshold = rules.fever_threshold;
    match outcome {
        ReadingOutcome::Boarded | ReadingOutcome::Kept | ReadingOutcome::Observation => Ok(row),
        ReadingOutcome::Recheck => why(
            Code::FeverRecheck,
            say!(
                lang,
                "发热：{} °C（≥ {:.1} °C），请休息 {} 分钟后复测；{}座保留，复测前不能发车",
                "fever: {} °C (≥ {:.1} °C): re-check after a {}-minute rest; seat {} is held and the bus may not leave before",
                temp,
                threshold,
                rules.recheck_wait.num_minutes(),
                p.seat
            ),
        ),
        ReadingOutcome::Fever => why(
            Code::Fever,
            say!(
                lang,
                "发热：{} °C（≥ {:.1} °C），拒绝登车，{}座已空出",
                "fever: {} °C (≥ {:.1} °C): boarding refused, seat {} is free",
                temp,
                threshold,
                p.seat
            ),
        ),
        ReadingOutcome::Certificate => why(
            Code::Certificate,
            say!(
                lang,
                "健康证明在 {} 无效，拒绝登车，{}座已空出",
                "health certificate not valid on {}: boarding refused, seat {} is free",
                trip.date,
                p.seat
            ),
        ),
        ReadingOutcome::Early => why(
            Code::RecheckWait,
            early_message(lang, &history, now, &rules, temp),
        ),
    }
}

/// "Wait 4 more minutes (until 07:13)": the rest is counted from the fever reading.
fn early_message(
    lang: Lang,
    history: &door::DoorHistory,
    now: chrono::NaiveDateTime,
    rules: &DoorRules,
    temp: Temperature,
) -> String {
    let left = history.wait_left(now, rules).unwrap_or_else(Duration::zero);
    // Whole minutes, rounded up: "0 minutes" would invite an immediate retry.
    let minutes = (left.num_seconds() + 59) / 60;
    let until = (now + left).format("%H:%M");
    say!(
        lang,
        "复测须休息满 {} 分钟：还需等待 {} 分钟（{} 后）；本次 {} °C 已记录，不作判定",
        "a re-check needs a full {}-minute rest: wait {} more minute(s) (until {}); this reading of {} °C is kept but decides nothing",
        rules.recheck_wait.num_minutes(),
        minutes,
        until,
        temp
    )
}

/// Refuses a passenger (fever, certificate, identity) or records a no-show; either way the seat
/// is freed for a stand-by and the worker becomes `refused` (DESIGN §2: refused with reason,
/// no-show being one of the reasons). A boarded passenger or one in 复测 may still be taken off
/// before the bus leaves. Refusing someone already refused or no-show changes nothing (the
/// first reason stays).
pub fn refuse(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    reason: RefuseReason,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    ensure_open(&trip, lang)?;
    let state = DoorState::of(p.status, p.refused_reason.as_deref());
    let Some(next) = door::refuse(state, reason) else {
        return Ok(p);
    };
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    start_boarding(&tx, &trip, op)?;
    sql::set_refused(&tx, p.passenger_id, reason, &at)?;
    audit_change(
        &tx,
        op,
        "refuse",
        "passenger",
        p.passenger_id,
        json!({"status": p.status, "seat": p.seat}),
        json!({"status": next.status(), "reason": reason}),
    )?;
    set_worker(&tx, op, "refuse", p.worker_id, WorkerStatus::Refused)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    let args = Args {
        reason: Some(reason.as_str().into()),
        ..Args::default()
    };
    journal::note(
        &tx,
        &ctx.journal,
        op,
        lang,
        &at,
        Act::on("refuse", &p, args),
    )?;
    tx.commit()?;
    Ok(row)
}
