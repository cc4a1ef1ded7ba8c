//! A substitute coach for a trip (a breakdown before departure or on the road): the trip keeps
//! its code, passengers, statuses and readings; seat numbers are kept where the substitute's
//! layout allows them, else passengers are re-seated by the plan's rule (a village together);
//! the substitute's crew takes over unless the old crew comes along (`keep_crew`).
//!
//! The substitute must be free: no open trip of its own, and not held by the busy rule (still
//! driving home after a trip). The replaced coach is free at once if the trip had not left;
//! one that broke down on the road stays held by the trip as if it had run it (see
//! `store::plans::bus_trips`).

use super::{closed, keep_reason, normal_plate, reason, say};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{Layout, SeatUse, TripStatus};
use crate::ops::departure::audit_change;
use crate::ops::{Ctx, OpError, OpResult, TripRef};
use crate::plan::{free_from, reseat, Seated};
use crate::store::reshape::{self as store, BusRow, NewChange};
use crate::store::trips::{self, TripInfo};
use crate::store::{departure as sql, now_text, plans, Db, Tx};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

/// What a swap did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SwapOutcome {
    /// The trip's code, unchanged.
    pub trip: String,
    pub from_plate: String,
    pub to_plate: String,
    pub status: TripStatus,
    /// Passengers holding a seat, now on the substitute.
    pub passengers: u32,
    pub capacity: u32,
    /// Passengers given another seat: (worker id, name, old seat, new seat).
    pub reseated: Vec<Reseated>,
    /// The replaced coach's crew runs the trip.
    pub kept_crew: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reseated {
    pub worker_id: i64,
    pub name: String,
    pub from: u32,
    pub to: u32,
}

/// A coach the console offers as a substitute: free, and with seats enough.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SwapCandidate {
    pub plate: String,
    pub seats: u32,
    pub capacity: u32,
    pub county: String,
    pub operator: String,
}

/// Puts the trip `which` names on the coach `to_plate`. Refusals: `closed` (arrived or
/// cancelled), `same_bus`, `bus_busy` (the substitute has an open trip or is still driving
/// home), `not_available` (offered for another day), `shortfall` (fewer seats than
/// passengers holding one, with the number missing).
pub fn swap(
    ctx: &mut Ctx,
    which: impl Into<TripRef>,
    to_plate: &str,
    why: Option<&str>,
    keep_crew: bool,
) -> OpResult<SwapOutcome> {
    let which = which.into();
    // A pack holds one trip: buses, seats and the pool elsewhere are the ledger's.
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let why = reason(lang, why, false)?;
    let policy = ctx.policy.clone();
    let today = crate::ops::today();
    let tx = ctx.store.begin()?;
    let trip = crate::ops::trip_ref::resolve(&tx, &which, lang)?;
    if matches!(trip.status, TripStatus::Arrived | TripStatus::Cancelled) {
        return Err(closed(&trip, lang));
    }
    let plate = normal_plate(&tx, to_plate, lang)?;
    let sub = store::bus_by_plate(&tx, &plate)?.ok_or_else(|| {
        OpError::Failed(say!(
            lang,
            "车队中没有车辆 {}（请核对车牌）",
            "no bus {} in the fleet (check the plate)",
            plate
        ))
    })?;
    if sub.id == trip.bus_id {
        return Err(OpError::refused(
            Code::SameBus,
            say!(
                lang,
                "{} 就是 {} 的车辆",
                "{} already runs {}",
                sub.plate,
                trip.code
            ),
        ));
    }
    ensure_free(&tx, &sub, &trip, swap_day(&trip, today), &policy, lang)?;
    let old = Layout::new(trip.rated_seats, &policy);
    let new = Layout::new(sub.seats, &policy);
    let (holders, gave_up): (Vec<_>, Vec<_>) = trips::roster(&tx, trip.trip_id)?
        .into_iter()
        .partition(|p| p.status.holds_seat());
    let people: Vec<Seated> = holders
        .iter()
        .map(|p| Seated {
            worker: p.worker_id,
            seat: p.seat,
            township: p.township.clone(),
            village: p.village.clone(),
            observation: old.seat(p.seat).map(|s| s.usage) == Some(SeatUse::Observation),
        })
        .collect();
    let seats = reseat(&new, &people).map_err(|s| {
        OpError::refused(
            Code::Shortfall,
            say!(
                lang,
                "{0} 不够坐：本车次 {1} 人持座，{0} 按现行规则只可载 {2} 人{3}；差 {4} 个座位",
                "{0} is too small: {1} passengers hold a seat on this trip, it may carry {2} under the policy{3}; {4} seat(s) short",
                sub.plate,
                s.passengers + s.observed,
                s.seats,
                if s.observed > 0 {
                    say!(
                        lang,
                        "（留观 {} 人，留观座 {} 个）",
                        " ({} under observation, {} observation seats)",
                        s.observed,
                        s.observation_seats
                    )
                } else {
                    String::new()
                },
                s.missing()
            ),
        )
    })?;
    let at = now_text();
    let op = ctx.operator.as_str();
    let crew_bus = if keep_crew {
        Some(store::crew_bus(&tx, trip.trip_id)?.unwrap_or(trip.bus_id))
    } else {
        None
    };
    store::set_trip_bus(
        &tx,
        trip.trip_id,
        sub.id,
        new.rows,
        new.capacity(),
        crew_bus,
    )?;
    let reason_id = keep_reason(&tx, trip.trip_id, None, &at, "swap", why.as_deref())?;
    let on_road = trip.status == TripStatus::Departed;
    store::insert_change(
        &tx,
        &NewChange {
            trip_id: trip.trip_id,
            at: &at,
            kind: "swap",
            from_bus: Some(trip.bus_id),
            to_bus: Some(sub.id),
            on_road,
            reason_id,
            ..Default::default()
        },
    )?;
    audit_change(
        &tx,
        op,
        "swap",
        "trip",
        trip.trip_id,
        json!({"bus": trip.bus_id, "rows": trip.rows, "capacity": trip.capacity}),
        json!({"bus": sub.id, "rows": new.rows, "capacity": new.capacity(),
               "keep_crew": keep_crew, "reason_id": reason_id}),
    )?;
    // Seats that change are first taken off their numbers, so two passengers trading
    // numbers never meet in the seat index.
    let changed: Vec<usize> = (0..holders.len())
        .filter(|&i| seats[i] != holders[i].seat)
        .collect();
    for &i in &changed {
        store::park_seat(&tx, holders[i].passenger_id)?;
    }
    let mut reseated = Vec::new();
    for &i in &changed {
        let p = &holders[i];
        reseat_logged(&tx, trip.trip_id, p, seats[i], &at)?;
        audit_change(
            &tx,
            op,
            "swap",
            "passenger",
            p.passenger_id,
            json!({"seat": p.seat}),
            json!({"seat": seats[i]}),
        )?;
        reseated.push(Reseated {
            worker_id: p.worker_id,
            name: p.name.clone(),
            from: p.seat,
            to: seats[i],
        });
    }
    // Someone refused or a no-show keeps the number of the seat they gave up: a late no-show
    // gets it back, an undone refusal too. A number the substitute does not allow becomes a
    // free one it does, so that coming back never means a seat the rules forbid.
    let mut taken: Vec<u32> = seats.clone();
    for p in &gave_up {
        if new.seat(p.seat).map(|s| s.usage) == Some(SeatUse::Allowed) {
            continue;
        }
        let Some(free) = new.allowed().map(|s| s.number).find(|n| !taken.contains(n)) else {
            continue;
        };
        taken.push(free);
        reseat_logged(&tx, trip.trip_id, p, free, &at)?;
    }
    tx.commit()?;
    Ok(SwapOutcome {
        trip: trip.code,
        from_plate: trip.plate,
        to_plate: sub.plate,
        status: trip.status,
        passengers: holders.len() as u32,
        capacity: new.capacity(),
        reseated,
        kept_crew: keep_crew,
    })
}

/// Coaches that could replace the trip's now: free under the same rules as `swap`, with room
/// for its passengers, the closest fit first (fewest seats to spare, then plate).
pub fn swap_candidates(ctx: &Ctx, which: &TripRef) -> OpResult<(TripInfo, Vec<SwapCandidate>)> {
    let conn = &ctx.store.db();
    // A pack holds one trip: buses, seats and the pool elsewhere are the ledger's.
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let trip = crate::ops::trip_ref::resolve(conn, which, lang)?;
    if matches!(trip.status, TripStatus::Arrived | TripStatus::Cancelled) {
        return Err(closed(&trip, lang));
    }
    let holding = trips::roster(conn, trip.trip_id)?
        .iter()
        .filter(|p| p.status.holds_seat())
        .count() as u32;
    let day = swap_day(&trip, crate::ops::today());
    let mut out = Vec::new();
    for bus in store::buses_without_open_trip(conn)? {
        if bus.id == trip.bus_id || ensure_free(conn, &bus, &trip, day, &ctx.policy, lang).is_err()
        {
            continue;
        }
        let capacity = Layout::new(bus.seats, &ctx.policy).capacity();
        if capacity < holding {
            continue;
        }
        out.push(SwapCandidate {
            plate: bus.plate,
            seats: bus.seats,
            capacity,
            county: bus.county,
            operator: bus.operator,
        });
    }
    // Same county first, then the closest fit.
    out.sort_by(|a, b| {
        (a.county != trip.county, a.capacity, &a.plate).cmp(&(
            b.county != trip.county,
            b.capacity,
            &b.plate,
        ))
    });
    Ok((trip, out))
}

/// Moves a passenger of the swapped trip to seat `to` and logs the reseat in the trip's
/// changes (who, from which seat, to which).
fn reseat_logged(
    tx: &Tx<'_>,
    trip_id: i64,
    p: &trips::PassengerRow,
    to: u32,
    at: &str,
) -> OpResult<()> {
    sql::move_seat(tx, p.passenger_id, to, at)?;
    store::insert_change(
        tx,
        &NewChange {
            trip_id,
            at,
            kind: "reseat",
            worker_id: Some(p.worker_id),
            from_seat: Some(p.seat),
            to_seat: Some(to),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// The day the substitute is needed: the trip's day before it leaves, today on the road.
fn swap_day(trip: &TripInfo, today: NaiveDate) -> NaiveDate {
    if trip.status == TripStatus::Departed {
        today.max(trip.date)
    } else {
        trip.date
    }
}

/// The substitute may not be on another trip, nor still held by one (driving home); before
/// departure it must be offered for the trip's day (a coach sent to a bus broken down on the
/// road comes whatever its offered day).
fn ensure_free(
    conn: &Db<'_>,
    bus: &BusRow,
    trip: &TripInfo,
    day: NaiveDate,
    policy: &crate::model::Policy,
    lang: Lang,
) -> OpResult<()> {
    let on_road = trip.status == TripStatus::Departed;
    if let Some(d) = bus.available_date.filter(|d| !on_road && *d != trip.date) {
        return Err(OpError::refused(
            Code::NotAvailable,
            say!(
                lang,
                "{} 只在 {} 可用，不能跑 {} 的车次",
                "{} is offered for {} only, not for a trip on {}",
                bus.plate,
                d,
                trip.date
            ),
        ));
    }
    if let Some(t) = trips::open_trips_of_bus(conn, &bus.plate)?.first() {
        return Err(OpError::refused(
            Code::BusBusy,
            say!(
                lang,
                "{} 正在执行车次 {}（{}）：不能替换",
                "{} is on trip {} ({}): it cannot stand in",
                bus.plate,
                t.code,
                t.status.label(lang)
            ),
        ));
    }
    for t in plans::bus_trips_of(conn, bus.id)? {
        if let Some(free) = free_from(&t, day, policy) {
            return Err(OpError::refused(
                Code::BusBusy,
                say!(
                    lang,
                    "{} 刚跑完车次 {}，正在返程：{} 起可用",
                    "{} is driving home after trip {}: free again from {}",
                    bus.plate,
                    t.code,
                    free
                ),
            ));
        }
    }
    Ok(())
}
