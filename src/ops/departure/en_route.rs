//! On the road (direct run, nobody boards): temperature rounds every few hours, headcounts at
//! stops, and moving a feverish passenger to the rear observation rows — each one logged.

use super::reading::{keep, mark_observation, now_stamp, parse_stamp};
use super::{
    audit_change, ensure_on_road, find_trip, parse_temp, passenger_by_id, placement_error,
    rostered_here, say, sql, Reading, RoundOutcome, StopOutcome, TripRef, Who,
};
use crate::i18n::Code;
use crate::model::door::{self, DoorState};
use crate::model::{
    Layout, Policy, ReadingOutcome, ReadingPlace, SeatStatus, SeatUse, Temperature, TripStatus,
};
use crate::ops::journal::{self, Act, Args};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::trips::{self, PassengerRow, TripInfo};
use crate::store::{Db, Tx};
use chrono::NaiveDateTime;
use serde_json::json;
use std::collections::HashMap;

/// Records one temperature round: `(worker_id, typed temperature)` for the passengers measured.
/// Every value is checked first; one typing error or a worker not aboard fails the whole round
/// (exit 1) and nothing is written. Each reading is kept; a fever marks the passenger under
/// observation and is listed with the free observation seats: moving them is the attendant's
/// next step (`move_to_observation`).
pub fn temperature_round(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    readings: &[(i64, String)],
) -> OpResult<RoundOutcome> {
    let which = which.into();
    let lang = ctx.lang;
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    ensure_on_road(&trip, lang)?;
    if readings.is_empty() {
        return Err(OpError::Failed(say!(
            lang,
            "本轮没有体温记录",
            "no temperatures in this round"
        )));
    }
    let roster = trips::roster(&tx, trip.trip_id)?;
    let aboard: HashMap<i64, &PassengerRow> = roster
        .iter()
        .filter(|p| p.status == SeatStatus::Boarded)
        .map(|p| (p.worker_id, p))
        .collect();
    let threshold = ctx.policy.fever_threshold;
    let mut taken = Vec::with_capacity(readings.len());
    for (worker_id, typed) in readings {
        let p = aboard.get(worker_id).ok_or_else(|| {
            OpError::Failed(say!(
                lang,
                "工人 #{} 不在 {} 车上",
                "worker #{} is not aboard {}",
                worker_id,
                trip.plate
            ))
        })?;
        let t = parse_temp(typed, lang)
            .map_err(|e| OpError::Failed(say!(lang, "{}座：{}", "seat {}: {}", p.seat, e)))?;
        taken.push((*p, t));
    }
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    let mut fevers = Vec::new();
    for &(p, t) in &taken {
        if round_reading(&tx, op, &trip, p, t, threshold, &at)? {
            fevers.push(Reading {
                worker_id: p.worker_id,
                seat: p.seat,
                temperature: t.celsius(),
            });
        }
    }
    let measured: Vec<u32> = taken.iter().map(|(p, _)| p.seat).collect();
    let mut not_measured: Vec<u32> = aboard
        .values()
        .map(|p| p.seat)
        .filter(|s| !measured.contains(s))
        .collect();
    not_measured.sort_unstable();
    audit_change(
        &tx,
        op,
        "round",
        "trip",
        trip.trip_id,
        json!(null),
        json!({"measured": taken.len(), "fevers": fevers.len()}),
    )?;
    let observation_free = free_observation_seats(&tx, &trip, &ctx.policy)?;
    let args = Args {
        readings: Some(
            taken
                .iter()
                .map(|(p, t)| (p.worker_id, t.to_string()))
                .collect(),
        ),
        ..Args::default()
    };
    let act = Act::trip("readings", trip.trip_id, args);
    journal::note(&tx, &ctx.journal, op, lang, &at, act)?;
    tx.commit()?;
    Ok(RoundOutcome {
        trip_id: trip.trip_id,
        plate: trip.plate,
        at,
        measured: taken.len() as u32,
        boarded: aboard.len() as u32,
        not_measured,
        fevers,
        observation_free,
    })
}

/// One reading of a temperature round, taken passenger by passenger (`zhitong round`): kept
/// with the time and operator, and logged as a round. A fever marks the passenger under
/// observation and answers `Refused{code:"fever_en_route"}` (exit 4) naming the free
/// observation seats; moving them there stays the attendant's act (`move_to_observation`).
/// Only on the road (`not-departed` before), only for someone aboard (`not-aboard`).
pub fn round(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    temp: &str,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    let temp = parse_temp(temp, lang)?;
    let tx = ctx.store.begin()?;
    let (trip, p) = aboard_on_the_road(&tx, &which, who, lang)?;
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    let fever = round_reading(&tx, op, &trip, &p, temp, ctx.policy.fever_threshold, &at)?;
    audit_change(
        &tx,
        op,
        "round",
        "trip",
        trip.trip_id,
        json!(null),
        json!({"measured": 1, "fevers": u32::from(fever)}),
    )?;
    let free = free_observation_seats(&tx, &trip, &ctx.policy)?;
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    let args = Args::temp(temp);
    journal::note(&tx, &ctx.journal, op, lang, &at, Act::on("round", &p, args))?;
    tx.commit()?;
    if !fever {
        return Ok(row);
    }
    let seats: Vec<String> = free.iter().map(u32::to_string).collect();
    Err(OpError::refused(
        Code::FeverEnRoute,
        if seats.is_empty() {
            say!(
                lang,
                "{} {}座 途中发热 {} °C：已标记留观；{} 留观区已无空座",
                "{} (seat {}) has a fever en route, {} °C: marked for observation; {}'s observation rows are full",
                row.name,
                row.seat,
                temp,
                trip.plate
            )
        } else {
            say!(
                lang,
                "{} {}座 途中发热 {} °C：已标记留观，请移至留观区（空座 {}）",
                "{} (seat {}) has a fever en route, {} °C: marked for observation; move them to the observation rows (free seats {})",
                row.name,
                row.seat,
                temp,
                seats.join(", ")
            )
        },
    ))
}

/// Keeps one round reading of someone aboard and logs the round; returns whether it was a
/// fever (the passenger is then marked under observation).
fn round_reading(
    tx: &Tx<'_>,
    op: &str,
    trip: &TripInfo,
    p: &PassengerRow,
    t: Temperature,
    threshold: f64,
    at: &str,
) -> OpResult<bool> {
    let state = DoorState::of(p.status, p.refused_reason.as_deref());
    let outcome = door::round_reading(state, t.is_fever(threshold)).unwrap_or(ReadingOutcome::Kept);
    sql::insert_event(
        tx,
        &sql::NewEvent {
            trip_id: trip.trip_id,
            at,
            kind: "round",
            headcount: None,
            worker_id: Some(p.worker_id),
            seat: Some(p.seat),
            temperature: Some(t.celsius()),
            note: "",
        },
    )?;
    keep(tx, op, trip, p, t, ReadingPlace::Round, outcome, at)?;
    let fever = outcome == ReadingOutcome::Observation;
    if fever {
        mark_observation(tx, op, p, at)?;
    }
    Ok(fever)
}

fn aboard(p: &PassengerRow, lang: crate::i18n::Lang) -> OpResult<()> {
    if p.status == SeatStatus::Boarded {
        return Ok(());
    }
    Err(OpError::refused(
        Code::NotAboard,
        say!(
            lang,
            "{} 不在车上（{}）",
            "{} is not aboard ({})",
            p.name,
            p.status.label(lang)
        ),
    ))
}

fn free_observation_seats(tx: &Tx<'_>, trip: &TripInfo, policy: &Policy) -> OpResult<Vec<u32>> {
    let held = sql::held_seats(tx, trip.trip_id)?;
    Ok(Layout::new(trip.rated_seats, policy)
        .observation()
        .map(|s| s.number)
        .filter(|n| !held.contains(n))
        .collect())
}

/// Whether the next temperature round is due: the bus is on the road and the policy's interval
/// has passed since the last round (or since departure when there has been none). A time that
/// cannot be read counts as due: a needless reminder is better than a missed round.
pub fn round_due(
    trip: &TripInfo,
    last_round_at: Option<&str>,
    now: NaiveDateTime,
    policy: &Policy,
) -> bool {
    if trip.status != TripStatus::Departed {
        return false;
    }
    let Some(since) = last_round_at
        .or(trip.departed_at.as_deref())
        .and_then(parse_stamp)
    else {
        return true;
    };
    now - since >= chrono::Duration::hours(i64::from(policy.round_interval_hours))
}

/// Logs a stop with the headcount taken against the roster. A count that differs is recorded
/// and returned with `matches: false` — the attendant must look — not refused.
pub fn stop(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    headcount: u32,
    place: &str,
) -> OpResult<StopOutcome> {
    let which = which.into();
    let lang = ctx.lang;
    let place = match place.trim() {
        "" => String::new(),
        p => crate::ops::free_text(lang, crate::model::FreeText::StopPlace, p)?,
    };
    let place = place.as_str();
    let tx = ctx.store.begin()?;
    let trip = find_trip(&tx, &which, lang)?;
    ensure_on_road(&trip, lang)?;
    let boarded = trips::roster(&tx, trip.trip_id)?
        .iter()
        .filter(|p| p.status == SeatStatus::Boarded)
        .count() as u32;
    let (at, _) = now_stamp();
    sql::insert_event(
        &tx,
        &sql::NewEvent {
            trip_id: trip.trip_id,
            at: &at,
            kind: "stop",
            headcount: Some(headcount),
            worker_id: None,
            seat: None,
            temperature: None,
            note: place,
        },
    )?;
    audit_change(
        &tx,
        ctx.operator.as_str(),
        "stop",
        "trip",
        trip.trip_id,
        json!(null),
        json!({"headcount": headcount, "boarded": boarded}),
    )?;
    let args = Args {
        headcount: Some(headcount),
        place: Some(place.to_string()),
        ..Args::default()
    };
    let act = Act::trip("stop", trip.trip_id, args);
    journal::note(&tx, &ctx.journal, &ctx.operator, lang, &at, act)?;
    tx.commit()?;
    Ok(StopOutcome {
        trip_id: trip.trip_id,
        plate: trip.plate,
        at,
        place: place.to_string(),
        headcount,
        boarded,
        matches: headcount == boarded,
    })
}

/// Moves a passenger aboard to a free seat of the observation rows (back row first), logging the
/// temperature (kept as a reading) and the seat they came from (close-contact tracing needs
/// it); the passenger is under observation from then on. A passenger already in the
/// observation rows stays put; the reading is still kept. No free observation seat →
/// `Refused{code:"observation-full"}`.
pub fn move_to_observation(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    who: Who<'_>,
    temp: &str,
) -> OpResult<PassengerRow> {
    let which = which.into();
    let lang = ctx.lang;
    let temp = parse_temp(temp, lang)?;
    let tx = ctx.store.begin()?;
    let (trip, p) = aboard_on_the_road(&tx, &which, who, lang)?;
    let layout = Layout::new(trip.rated_seats, &ctx.policy);
    let already = layout
        .seat(p.seat)
        .is_some_and(|s| s.usage == SeatUse::Observation);
    let target = if already {
        p.seat
    } else {
        let held = sql::held_seats(&tx, trip.trip_id)?;
        let free: Vec<u32> = layout
            .observation()
            .map(|s| s.number)
            .filter(|n| !held.contains(n))
            .collect();
        *free.last().ok_or_else(|| {
            OpError::refused(
                Code::ObservationFull,
                say!(
                    lang,
                    "{} 留观区已满",
                    "no free seat in {}'s observation rows",
                    trip.plate
                ),
            )
        })?
    };
    let (at, _) = now_stamp();
    let op = ctx.operator.as_str();
    // The temperature typed here is a reading like any other; whoever is moved to the
    // observation rows is under observation, whatever it says.
    let outcome = if temp.is_fever(ctx.policy.fever_threshold) {
        ReadingOutcome::Observation
    } else {
        ReadingOutcome::Kept
    };
    keep(&tx, op, &trip, &p, temp, ReadingPlace::Round, outcome, &at)?;
    mark_observation(&tx, op, &p, &at)?;
    let log = |kind, seat, note: &str| {
        sql::insert_event(
            &tx,
            &sql::NewEvent {
                trip_id: trip.trip_id,
                at: &at,
                kind,
                headcount: None,
                worker_id: Some(p.worker_id),
                seat: Some(seat),
                temperature: Some(temp.celsius()),
                note,
            },
        )
    };
    if !already {
        sql::move_seat(&tx, p.passenger_id, target, &at)
            .map_err(|e| placement_error(e, target, lang))?;
        let note = format!("from seat {}", p.seat);
        log("move", target, &note)?;
        audit_change(
            &tx,
            op,
            "move",
            "passenger",
            p.passenger_id,
            json!({"seat": p.seat}),
            json!({"seat": target}),
        )?;
    }
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    let args = Args::temp(temp);
    journal::note(
        &tx,
        &ctx.journal,
        op,
        lang,
        &at,
        Act::on("observe", &p, args),
    )?;
    tx.commit()?;
    Ok(row)
}

/// The trip named and the passenger named on it, for an act on the road: the bus has left
/// (`not-departed` before) and the passenger is aboard (`not-aboard`).
fn aboard_on_the_road(
    tx: &Db<'_>,
    which: &TripRef,
    who: Who<'_>,
    lang: crate::i18n::Lang,
) -> OpResult<(TripInfo, PassengerRow)> {
    let trip = find_trip(tx, which, lang)?;
    ensure_on_road(&trip, lang)?;
    let p = rostered_here(tx, &trip, who, lang)?;
    aboard(&p, lang)?;
    Ok((trip, p))
}

#[cfg(test)]
mod tests;
