//! The two moments that close a trip's stages: departure (the roster closes, everyone aboard
//! has left) and arrival at the factory gate (hand-over and close-out summary).

use super::reading::now_stamp;
use super::receivers;
use super::{
    audit_change, counts, ensure_open, find_trip, say, sql, ArrivalSummary, ObservedPassenger,
    RefusedByReason, TripRef,
};
use crate::i18n::Code;
use crate::model::{SeatStatus, TripStatus, WorkerStatus};
use crate::ops::journal::{self, Act, Args};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::trips::{self, TripInfo};
use crate::store::Tx;
use serde_json::json;

/// Seats named in the "unaccounted" refusal before it says "…".
const SEATS_NAMED: usize = 5;

/// Records the departure: refused while anyone holding a seat is neither boarded nor
/// refused/no-show (`Refused{code:"unaccounted"}` naming how many and the first seats), or
/// while nobody has boarded (`Refused{code:"empty"}`). Closes the roster; boarded workers
/// become departed, and the no-shows go back to the pool (registered; their record on this
/// trip stays) so that a later plan places them. The command line does not ask; the console asks before calling this.
pub fn depart(ctx: &mut Ctx, which: impl Into<TripRef>) -> OpResult<TripInfo> {
    let lang = ctx.lang;
    let which = which.into();
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    ensure_open(&trip, lang)?;
    let roster = trips::roster(&tx, trip.trip_id)?;
    let c = counts(&roster);
    if c.missing > 0 {
        let seats: Vec<String> = roster
            .iter()
            .filter(|p| SeatStatus::UNDECIDED.contains(&p.status))
            .take(SEATS_NAMED)
            .map(|p| match p.status {
                SeatStatus::Recheck => say!(lang, "{}（复测）", "{} (re-check)", p.seat),
                _ => p.seat.to_string(),
            })
            .collect();
        let more = if c.missing as usize > SEATS_NAMED {
            " …"
        } else {
            ""
        };
        let recheck = if c.recheck > 0 {
            say!(
                lang,
                "；其中 {} 人在复测，须休息后重新测温",
                "; {} of them in re-check after a fever reading",
                c.recheck
            )
        } else {
            String::new()
        };
        return Err(OpError::refused(
            Code::Unaccounted,
            say!(
                lang,
                "{} 还有 {} 人未核验（座位 {}{}）：请登车或标记拒绝/未到{}",
                "{} has {} passenger(s) unaccounted for (seats {}{}): board them or mark them refused or no-show{}",
                trip.plate,
                c.missing,
                seats.join(", "),
                more,
                recheck
            ),
        ));
    }
    if c.boarded == 0 {
        return Err(OpError::refused(
            Code::Empty,
            say!(
                lang,
                "{} 无人登车，不能发车",
                "nobody has boarded {}: it cannot depart",
                trip.plate
            ),
        ));
    }
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    sql::set_departed(&tx, trip.trip_id, &at)?;
    audit_change(
        &tx,
        op,
        "depart",
        "trip",
        trip.trip_id,
        json!({"status": trip.status}),
        json!({"status": "departed", "boarded": c.boarded}),
    )?;
    advance(
        &tx,
        op,
        "depart",
        trip.trip_id,
        WorkerStatus::Boarded,
        WorkerStatus::Departed,
    )?;
    // Nobody is stranded: the bus's no-shows may go on a later day's bus.
    for id in sql::return_no_shows(&tx, trip.trip_id)? {
        audit_change(
            &tx,
            op,
            "depart",
            "worker",
            id,
            json!({"status": WorkerStatus::Refused, "trip": trip.trip_id}),
            json!({"status": WorkerStatus::Registered, "reason": "no-show"}),
        )?;
    }
    let after = trips::trip(&tx, trip.trip_id)?
        .ok_or_else(|| OpError::Failed(format!("trip {} vanished", trip.trip_id)))?;
    let act = Act::trip("depart", trip.trip_id, Args::default());
    journal::note(&tx, &ctx.journal, op, lang, &at, act)?;
    tx.commit()?;
    Ok(after)
}

/// Records the hand-over at the factory gate: only after departure (`not-departed` before,
/// `closed` once arrived or cancelled). `headcount` is what was counted at the gate (the
/// roster's boarded count when not given); a difference is kept and reported, not refused —
/// the bus is already there. Workers who travelled become arrived.
pub fn arrive(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    receiver: Option<&str>,
    headcount: Option<u32>,
) -> OpResult<ArrivalSummary> {
    // `甲厂=张三；乙厂=李四`: one receiver per employer in one line (the console's field, a
    // pack's journal), as `--receiver` given once per employer.
    let given: Vec<&str> = receiver
        .map(|r| r.split([';', '；']).collect())
        .unwrap_or_default();
    arrive_handover(ctx, which, &given, headcount)
}

/// `arrive` with the receivers as typed: `EMPLOYER=NAME` for one employer's passengers (one
/// per employer of the bus), or one `NAME` for every employer not named. Each is kept per
/// employer and on the trip's hand-over line. An employer not on the bus, or two names for
/// all, is a usage error (exit 2) naming it.
pub fn arrive_handover(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    receivers: &[&str],
    headcount: Option<u32>,
) -> OpResult<ArrivalSummary> {
    let lang = ctx.lang;
    let which = which.into();
    let typed = receivers::parse(receivers, lang)?;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    match trip.status {
        s if s.may_become(TripStatus::Arrived) => {}
        s if s.may_become(TripStatus::Departed) => {
            return Err(OpError::refused(
                Code::NotDeparted,
                say!(
                    lang,
                    "{} 尚未发车，不能交接",
                    "{} has not departed: no hand-over yet",
                    trip.plate
                ),
            ));
        }
        _ => ensure_open(&trip, lang)?,
    }
    let roster = trips::roster(&tx, trip.trip_id)?;
    let c = counts(&roster);
    let given = headcount;
    let headcount = headcount.unwrap_or(c.boarded);
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    let handed = receivers::assign(&tx, &trip, &typed, lang)?;
    let receiver = receivers::line(&handed, &typed);
    sql::set_arrived(&tx, trip.trip_id, &at, receiver.as_deref(), headcount)?;
    audit_change(
        &tx,
        op,
        "arrive",
        "trip",
        trip.trip_id,
        json!({"status": trip.status}),
        json!({"status": "arrived", "headcount": headcount, "boarded": c.boarded}),
    )?;
    advance(
        &tx,
        op,
        "arrive",
        trip.trip_id,
        WorkerStatus::Departed,
        WorkerStatus::Arrived,
    )?;
    let mut refused = RefusedByReason::default();
    for p in roster.iter().filter(|p| p.status == SeatStatus::Refused) {
        match p.refused_reason.as_deref() {
            Some("fever") => refused.fever += 1,
            Some("certificate") => refused.certificate += 1,
            _ => refused.identity += 1,
        }
    }
    let summary = ArrivalSummary {
        trip_id: trip.trip_id,
        trip: trip.code.clone(),
        plate: trip.plate.clone(),
        departed_at: trip.departed_at.clone(),
        arrived_at: at.clone(),
        receiver,
        receivers: handed,
        headcount,
        boarded: c.boarded,
        headcount_matches: headcount == c.boarded,
        refused,
        no_show: c.no_show,
        standby: roster
            .iter()
            .filter(|p| p.standby && p.status == SeatStatus::Boarded)
            .count() as u32,
        moved_to_observation: sql::moved_count(&tx, trip.trip_id)?,
        observation: roster
            .iter()
            .filter(|p| p.status == SeatStatus::Boarded && p.observation_at.is_some())
            .map(|p| ObservedPassenger {
                seat: p.seat,
                name: p.name.clone(),
                last_temp: p.temperature,
                since: p.observation_at.clone().unwrap_or_default(),
            })
            .collect(),
    };
    let args = Args {
        // As typed, so that a replay on the ledger gives each employer the same receiver.
        receiver: receivers::typed_line(&typed),
        headcount: given,
        ..Args::default()
    };
    journal::note(
        &tx,
        &ctx.journal,
        op,
        lang,
        &at,
        Act::trip("arrive", trip.trip_id, args),
    )?;
    tx.commit()?;
    Ok(summary)
}

/// Moves the trip's boarded workers on one step of their lifecycle, one audit row each.
fn advance(
    tx: &Tx<'_>,
    op: &str,
    action: &str,
    trip_id: i64,
    from: WorkerStatus,
    to: WorkerStatus,
) -> OpResult<()> {
    for id in sql::advance_boarded_workers(tx, trip_id, from, to)? {
        audit_change(
            tx,
            op,
            action,
            "worker",
            id,
            json!({"status": from}),
            json!({"status": to}),
        )?;
    }
    Ok(())
}
