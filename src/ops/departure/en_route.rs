//! On the road (direct run, nobody boards): temperature rounds every few hours, headcounts at
//! stops, and moving a feverish passenger to the rear observation rows — each one logged.

use super::{
    audit_change, ensure_on_road, find_trip, parse_temp, passenger_by_id, placement_error,
    rostered_here, say, sql, Reading, RoundOutcome, StopOutcome, TripRef, Who,
};
use crate::model::{Layout, Policy, SeatStatus, SeatUse, TripStatus};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::now_text;
use crate::store::trips::{self, PassengerRow, TripInfo};
use chrono::NaiveDateTime;
use serde_json::json;
use std::collections::HashMap;

/// Records one temperature round: `(worker_id, typed temperature)` for the passengers measured.
/// Every value is checked first; one typing error or a worker not aboard fails the whole round
/// (exit 1) and nothing is written. Fevers are logged and listed with the free observation
/// seats; moving them is the attendant's next step (`move_to_observation`).
pub fn temperature_round(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    readings: &[(i64, String)],
) -> OpResult<RoundOutcome> {
    let which = which.into();
    let lang = ctx.lang;
    let tx = ctx.store.write()?;
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
    let mut feverish = Vec::with_capacity(readings.len());
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
        taken.push(Reading {
            worker_id: *worker_id,
            seat: p.seat,
            temperature: t.celsius(),
        });
        feverish.push(t.is_fever(threshold));
    }
    let at = now_text();
    let mut fevers = Vec::new();
    for (r, &fever) in taken.iter().zip(&feverish) {
        for kind in ["round"].into_iter().chain(fever.then_some("fever")) {
            sql::insert_event(
                &tx,
                &sql::NewEvent {
                    trip_id: trip.trip_id,
                    at: &at,
                    kind,
                    headcount: None,
                    worker_id: Some(r.worker_id),
                    seat: Some(r.seat),
                    temperature: Some(r.temperature),
                    note: "",
                },
            )?;
        }
        if fever {
            fevers.push(r.clone());
        }
    }
    let measured: Vec<u32> = taken.iter().map(|r| r.seat).collect();
    let mut not_measured: Vec<u32> = aboard
        .values()
        .map(|p| p.seat)
        .filter(|s| !measured.contains(s))
        .collect();
    not_measured.sort_unstable();
    audit_change(
        &tx,
        ctx.operator.as_str(),
        "round",
        "trip",
        trip.trip_id,
        json!(null),
        json!({"measured": taken.len(), "fevers": fevers.len()}),
    )?;
    let held = sql::held_seats(&tx, trip.trip_id)?;
    let observation_free = Layout::new(trip.rated_seats, &ctx.policy)
        .observation()
        .map(|s| s.number)
        .filter(|n| !held.contains(n))
        .collect();
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
        .and_then(parse_time)
    else {
        return true;
    };
    now - since >= chrono::Duration::hours(i64::from(policy.round_interval_hours))
}

/// A stored time as the wall clock read it where it was written (the console's `now` is the
/// same clock's wall time).
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    crate::clock::parse_stored(s).map(|t| t.naive_local())
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
    let tx = ctx.store.write()?;
    let trip = find_trip(&tx, &which, lang)?;
    ensure_on_road(&trip, lang)?;
    let boarded = trips::roster(&tx, trip.trip_id)?
        .iter()
        .filter(|p| p.status == SeatStatus::Boarded)
        .count() as u32;
    let at = now_text();
    let place = place.trim();
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
/// temperature and the seat they came from (close-contact tracing needs it). A passenger
/// already in the observation rows stays put; the reading is still logged. No free observation
/// seat → `Refused{code:"observation-full"}`.
pub fn move_to_observation(
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
    ensure_on_road(&trip, lang)?;
    let p = rostered_here(&tx, &trip, who, lang)?;
    if p.status != SeatStatus::Boarded {
        return Err(OpError::refused(
            "not-aboard",
            say!(
                lang,
                "{} 不在车上（{}）",
                "{} is not aboard ({})",
                p.name,
                p.status
            ),
        ));
    }
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
                "observation-full",
                say!(
                    lang,
                    "{} 留观区已满",
                    "no free seat in {}'s observation rows",
                    trip.plate
                ),
            )
        })?
    };
    let at = now_text();
    let fever = temp.is_fever(ctx.policy.fever_threshold);
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
    if fever {
        log("fever", p.seat, "")?;
    }
    if !already {
        sql::move_seat(&tx, p.passenger_id, target, &at)
            .map_err(|e| placement_error(e, target, lang))?;
        let note = format!("from seat {}", p.seat);
        log("move", target, &note)?;
        audit_change(
            &tx,
            ctx.operator.as_str(),
            "move",
            "passenger",
            p.passenger_id,
            json!({"seat": p.seat}),
            json!({"seat": target}),
        )?;
    }
    let row = passenger_by_id(&tx, trip.trip_id, p.passenger_id)?;
    tx.commit()?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip(status: TripStatus, departed_at: Option<&str>) -> TripInfo {
        TripInfo {
            trip_id: 1,
            code: "旬阳-20200221-01-1".into(),
            batch_id: 1,
            batch_code: "旬阳-20200221-01".into(),
            date: chrono::NaiveDate::from_ymd_opt(2020, 2, 21).unwrap(),
            departure: "2020-02-21T07:00".into(),
            gathering_point: String::new(),
            county: "旬阳县".into(),
            province: "浙江省".into(),
            city: "宁波市".into(),
            bus_id: 1,
            plate: "陕G21000".into(),
            rated_seats: 45,
            rows: 11,
            capacity: 18,
            status,
            sealed: false,
            operator: String::new(),
            driver1: String::new(),
            driver1_phone: String::new(),
            driver2: String::new(),
            driver2_phone: String::new(),
            attendant: String::new(),
            attendant_phone: String::new(),
            departed_at: departed_at.map(str::to_string),
            arrived_at: None,
            receiver: None,
            arrived_count: None,
        }
    }

    fn t(s: &str) -> NaiveDateTime {
        parse_time(s).unwrap()
    }

    #[test]
    fn a_round_is_due_every_interval_while_on_the_road() {
        let p = Policy::default();
        let on_road = trip(TripStatus::Departed, Some("2020-02-21T07:10:00"));
        assert!(!round_due(&on_road, None, t("2020-02-21T11:09:59"), &p));
        assert!(round_due(&on_road, None, t("2020-02-21T11:10:00"), &p));
        // Counted from the last round once there is one.
        let last = Some("2020-02-21T11:15:00");
        assert!(!round_due(&on_road, last, t("2020-02-21T15:14"), &p));
        assert!(round_due(&on_road, last, t("2020-02-21T15:15"), &p));
        let hourly = Policy {
            round_interval_hours: 1,
            ..Policy::default()
        };
        assert!(round_due(&on_road, last, t("2020-02-21T12:15"), &hourly));
    }

    #[test]
    fn the_round_reminder_runs_on_across_midnight() {
        let p = Policy::default();
        let night = trip(TripStatus::Departed, Some("2020-02-21T20:30:00+08:00"));
        let last = Some("2020-02-21T22:10:00+08:00");
        assert!(!round_due(&night, last, t("2020-02-22T02:09:00"), &p));
        assert!(round_due(&night, last, t("2020-02-22T02:10:00"), &p));
        // A second night on the road: still counted from the last round.
        let last = Some("2020-02-22T23:30:00+08:00");
        assert!(round_due(&night, last, t("2020-02-23T03:30:00"), &p));
    }

    #[test]
    fn no_round_before_departure_or_after_arrival_and_unreadable_times_remind() {
        let p = Policy::default();
        let late = t("2020-02-22T07:00");
        assert!(!round_due(
            &trip(TripStatus::Boarding, None),
            None,
            late,
            &p
        ));
        assert!(!round_due(
            &trip(TripStatus::Arrived, Some("2020-02-21T07:10")),
            None,
            late,
            &p
        ));
        assert!(round_due(
            &trip(TripStatus::Departed, Some("early morning")),
            None,
            late,
            &p
        ));
        assert!(round_due(&trip(TripStatus::Departed, None), None, late, &p));
    }
}
