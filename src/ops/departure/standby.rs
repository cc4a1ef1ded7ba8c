//! Freed seats and the people who fill them: stand-by workers of the bus's employers, and
//! workers who leave by other means (train, their own car) instead of a bus.

use super::{
    audit_change, ensure_open, find_trip, passenger_by_id, placement_error, say, seat_taken,
    set_worker, sql, start_boarding, trip_full, StandbyCandidate, TripRef,
};
use crate::i18n::Code;
use crate::model::{HealthCertificate, Layout, RefuseReason, SeatUse, WorkerStatus};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::now_text;
use crate::store::trips::{self, PassengerRow};
use serde_json::json;

/// Workers who may take a freed seat on this bus: certificate valid on the trip date, working
/// for one of the bus's employers, registered or waiting as stand-by, and not placed on any bus.
pub fn standby_candidates(ctx: &Ctx, which: impl Into<TripRef>) -> OpResult<Vec<StandbyCandidate>> {
    crate::ops::journal::ledger_only(ctx)?;
    let conn = &ctx.store.db();
    let trip = find_trip(conn, &which.into(), ctx.lang)?;
    let mut out = Vec::new();
    for employer in sql::trip_employers(conn, trip.trip_id)? {
        for w in sql::standby_pool(conn, employer)? {
            let cert = HealthCertificate {
                issued: w.cert_issued,
                valid_until: w.cert_valid_until,
                issuer: String::new(),
            };
            if cert
                .state_on(trip.date, ctx.policy.cert_validity_days)
                .allows_travel()
            {
                out.push(StandbyCandidate {
                    worker_id: w.worker_id,
                    name: w.name,
                    id_number: w.id_number,
                    village: w.village,
                    employer: w.employer,
                });
            }
        }
    }
    Ok(out)
}

/// Gives a stand-by worker a free allowed seat (`seat`, or the first free one from the front).
/// The seat must be one the layout allows under the policy (spacing and observation rows held)
/// and the bus must stay within its capacity. The stand-by is then checked in with `board` like
/// anyone else. A seat already held → `Refused{code:"seat-taken"}`, also when another terminal
/// gave it away a moment earlier (the schema's seat index decides).
pub fn seat_standby(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    worker_id: i64,
    seat: Option<u32>,
) -> OpResult<PassengerRow> {
    crate::ops::journal::ledger_only(ctx)?;
    let which = which.into();
    let lang = ctx.lang;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    ensure_open(&trip, lang)?;
    let worker = sql::worker_brief(&tx, worker_id)?
        .filter(|w| !w.purged)
        .ok_or_else(|| OpError::Failed(format!("no worker #{worker_id}")))?;
    if let Some(p) = trips::placed(&tx, worker_id)? {
        let where_ = trips::trip(&tx, p.trip_id)?.map_or_else(String::new, |t| t.plate);
        return Err(OpError::refused(
            Code::AlreadyPlaced,
            say!(
                lang,
                "此人已在 {} {}座",
                "this worker already holds seat {1} on {0}",
                where_,
                p.seat
            ),
        ));
    }
    if !matches!(
        worker.status,
        WorkerStatus::Registered | WorkerStatus::Standby
    ) {
        return Err(OpError::refused(
            Code::NotEligible,
            say!(
                lang,
                "此人状态为 {}，不能候补",
                "this worker is {} and cannot stand by",
                worker.status
            ),
        ));
    }
    let employers = sql::trip_employers(&tx, trip.trip_id)?;
    if !worker.employer_id.is_some_and(|e| employers.contains(&e)) {
        return Err(OpError::refused(
            Code::NotEligible,
            say!(
                lang,
                "此人不在 {} 所送企业工作",
                "this worker does not work for an employer {} serves",
                trip.plate
            ),
        ));
    }
    let cert = HealthCertificate {
        issued: worker.cert_issued,
        valid_until: worker.cert_valid_until,
        issuer: String::new(),
    };
    if !cert
        .state_on(trip.date, ctx.policy.cert_validity_days)
        .allows_travel()
    {
        return Err(OpError::refused(
            Code::Certificate,
            say!(
                lang,
                "健康证明在 {} 无效",
                "health certificate not valid on {}",
                trip.date
            ),
        ));
    }
    let held = sql::held_seats(&tx, trip.trip_id)?;
    let full = || trip_full(Code::Full, &trip, held.len(), lang);
    if held.len() as u32 >= trip.capacity {
        return Err(full());
    }
    let layout = Layout::new(trip.rated_seats, &ctx.policy);
    let seat = match seat {
        Some(n) => {
            let usage = layout.seat(n).map(|s| s.usage);
            if usage != Some(SeatUse::Allowed) {
                let why = match usage {
                    None => say!(lang, "没有这个座位", "no such seat"),
                    Some(SeatUse::Spacing) => say!(lang, "隔位留空", "kept empty for spacing"),
                    Some(SeatUse::Observation) => {
                        say!(lang, "留观区", "observation rows")
                    }
                    _ => say!(lang, "超出载客上限", "over the load cap"),
                };
                return Err(OpError::refused(
                    Code::SeatNotAllowed,
                    say!(
                        lang,
                        "{}座不可用：{}",
                        "seat {} may not be given: {}",
                        n,
                        why
                    ),
                ));
            }
            if held.contains(&n) {
                return Err(seat_taken(n, lang));
            }
            n
        }
        None => layout
            .allowed()
            .map(|s| s.number)
            .find(|n| !held.contains(n))
            .ok_or_else(full)?,
    };
    let at = now_text();
    let op = ctx.operator.as_str();
    let pid = sql::insert_standby(&tx, trip.trip_id, worker_id, seat, &at)
        .map_err(|e| placement_error(e, seat, lang))?;
    start_boarding(&tx, &trip, op)?;
    audit_change(
        &tx,
        op,
        "standby",
        "passenger",
        pid,
        json!(null),
        json!({"status": "planned", "seat": seat, "trip_id": trip.trip_id, "standby": true}),
    )?;
    set_worker(&tx, op, "standby", worker_id, WorkerStatus::Planned)?;
    let row = passenger_by_id(&tx, trip.trip_id, pid)?;
    tx.commit()?;
    Ok(row)
}

/// Marks a worker as gone by other means (`train`, `own car` …) on `date`; counted apart in the
/// statistics. A worker still holding a seat on a bus that has not left gives it up as a
/// no-show (so a stand-by can take it); one already aboard, travelled or withdrawn is refused.
pub fn mark_other_means(
    ctx: &mut Ctx,
    worker_id: i64,
    means: &str,
    date: chrono::NaiveDate,
) -> OpResult<()> {
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    if means.trim().is_empty() {
        return Err(OpError::Usage(say!(
            lang,
            "请写明出行方式（火车、自驾……）",
            "say how the worker travelled (train, own car …)"
        )));
    }
    let means = crate::ops::free_text(lang, crate::model::FreeText::OtherMeans, means)?;
    let means = means.as_str();
    let tx = ctx.store.begin()?;
    let worker = sql::worker_brief(&tx, worker_id)?
        .filter(|w| !w.purged)
        .ok_or_else(|| OpError::Failed(format!("no worker #{worker_id}")))?;
    match worker.status {
        WorkerStatus::Registered
        | WorkerStatus::Standby
        | WorkerStatus::Refused
        | WorkerStatus::Planned
        | WorkerStatus::OtherMeans => {}
        other => {
            return Err(OpError::refused(
                Code::InvalidState,
                say!(
                    lang,
                    "此人状态为 {}，不能标记为自行返岗",
                    "this worker is {}: cannot be marked as leaving by other means",
                    other
                ),
            ));
        }
    }
    let op = ctx.operator.as_str();
    if let Some(p) = trips::placed(&tx, worker_id)? {
        let trip = trips::trip(&tx, p.trip_id)?
            .ok_or_else(|| OpError::Failed(format!("trip {} vanished", p.trip_id)))?;
        ensure_open(&trip, lang)?;
        if p.status == crate::model::SeatStatus::Boarded {
            return Err(OpError::refused(
                Code::InvalidState,
                say!(
                    lang,
                    "此人已登上 {}",
                    "this worker has boarded {}",
                    trip.plate
                ),
            ));
        }
        sql::set_refused(&tx, p.passenger_id, RefuseReason::NoShow, &now_text())?;
        audit_change(
            &tx,
            op,
            "other-means",
            "passenger",
            p.passenger_id,
            json!({"status": p.status, "seat": p.seat}),
            json!({"status": "no-show", "reason": "no-show"}),
        )?;
    }
    sql::set_other_means(&tx, worker_id, means, date)?;
    audit_change(
        &tx,
        op,
        "other-means",
        "worker",
        worker_id,
        json!({"status": worker.status}),
        json!({"status": "other-means", "date": date}),
    )?;
    tx.commit()?;
    Ok(())
}
