//! Moving one passenger to another bus or another seat before either bus leaves. The rules of
//! the plan hold: same destination city, the bus's capacity (load cap, spacing, observation
//! rows), at most `max_stops` employers on a bus, a seat the layout allows; without a seat
//! asked for, the passenger sits near their village, as the plan seats people.
//!
//! Someone in 复测 keeps their 复测 (the rest counts on from the fever reading, whose readings
//! follow them); someone already aboard is to be checked again at the new bus's door (its
//! attendant counts them in), so nobody is counted aboard a bus they have not stepped into.

use super::{ensure_before_departure, keep_reason, reason, say, Person, Place};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{IdNumber, Layout, SeatStatus, SeatUse, WorkerStatus};
use crate::ops::departure::{audit_change, placement_error, seat_taken, set_worker, trip_full};
use crate::ops::{Ctx, OpError, OpResult, TripRef};
use crate::store::reshape::{self as store, NewChange};
use crate::store::trips::{self, PassengerRow, TripInfo};
use crate::store::{departure as sql, now_text, Db};
use serde::Serialize;
use serde_json::json;

/// What a move did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveOutcome {
    pub worker_id: i64,
    pub name: String,
    /// Normalised full number: mask before showing.
    #[serde(skip)]
    pub id_number: String,
    pub from: Place,
    pub to: Place,
    /// The passenger's state on the new seat: `planned` or `recheck`.
    pub status: SeatStatus,
}

/// A bus a passenger may be moved to, for the console's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveTarget {
    pub trip: String,
    pub plate: String,
    pub departure: String,
    /// Seats still free under the rules.
    pub free: u32,
    pub employers: Vec<String>,
    /// The passenger's own bus (a seat change).
    pub same_bus: bool,
}

/// The passenger and where they are bound.
struct Mover {
    place: PassengerRow,
    from: TripInfo,
    employer: i64,
    employer_name: String,
    province: String,
    city: String,
}

/// Moves a worker holding a seat to a seat on the bus `to` names (`seat`, or one near their
/// village). See the module for the rules; refusals: `not_placed`, `departed`, `closed`,
/// `different_city`, `bus_full`, `too_many_employers`, `seat_blocked`, `seat-taken`,
/// `same_bus` (the same bus with no other seat asked for).
pub fn move_passenger(
    ctx: &mut Ctx,
    who: Person<'_>,
    to: impl Into<TripRef>,
    seat: Option<u32>,
    why: Option<&str>,
) -> OpResult<MoveOutcome> {
    let to = to.into();
    // A pack holds one trip: buses, seats and the pool elsewhere are the ledger's.
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let why = reason(lang, why, false)?;
    let max_stops = ctx.policy.max_stops;
    let policy = ctx.policy.clone();
    let tx = ctx.store.begin()?;
    let m = mover(&tx, who, lang)?;
    let dst = crate::ops::trip_ref::resolve(&tx, &to, lang)?;
    ensure_before_departure(&m.from, lang)?;
    ensure_before_departure(&dst, lang)?;
    let same = dst.trip_id == m.from.trip_id;
    if same && seat.is_none_or(|s| s == m.place.seat) {
        return Err(OpError::refused(
            Code::SameBus,
            say!(
                lang,
                "{0} 已在 {1} {2}座：换座请用 --seat 指明座位",
                "{0} already sits in seat {2} on {1}: give --seat for another seat",
                m.place.name,
                dst.plate,
                m.place.seat
            ),
        ));
    }
    let held = sql::held_seats(&tx, dst.trip_id)?;
    if !same {
        check_target(&tx, &m, &dst, &held, max_stops, lang)?;
    }
    let layout = Layout::new(dst.rated_seats, &policy);
    let seat = match seat {
        Some(n) => {
            allowed_seat(&layout, n, &dst, lang)?;
            if held.contains(&n) {
                return Err(seat_taken(n, lang));
            }
            n
        }
        None => {
            near_village(&tx, &m, &dst, &layout, &held)?.ok_or_else(|| full(&dst, &held, lang))?
        }
    };
    let status = match m.place.status {
        SeatStatus::Recheck => SeatStatus::Recheck,
        _ => SeatStatus::Planned,
    };
    let at = now_text();
    let op = ctx.operator.as_str();
    store::move_place(&tx, m.place.passenger_id, dst.trip_id, seat, status, &at)
        .map_err(|e| placement_error(e, seat, lang))?;
    if !same {
        store::move_readings(&tx, m.from.trip_id, dst.trip_id, m.place.worker_id)?;
        store::remember_employer(&tx, dst.batch_id, m.employer)?;
    }
    if m.place.status == SeatStatus::Boarded {
        set_worker(&tx, op, "move", m.place.worker_id, WorkerStatus::Planned)?;
    }
    let reason_id = keep_reason(
        &tx,
        dst.trip_id,
        Some(m.place.worker_id),
        &at,
        "move",
        why.as_deref(),
    )?;
    store::insert_change(
        &tx,
        &NewChange {
            trip_id: dst.trip_id,
            at: &at,
            kind: "move",
            worker_id: Some(m.place.worker_id),
            from_trip: Some(m.from.trip_id),
            from_seat: Some(m.place.seat),
            to_seat: Some(seat),
            reason_id,
            ..Default::default()
        },
    )?;
    audit_change(
        &tx,
        op,
        "move",
        "passenger",
        m.place.passenger_id,
        json!({"trip": m.from.trip_id, "seat": m.place.seat, "status": m.place.status}),
        json!({"trip": dst.trip_id, "seat": seat, "status": status, "reason_id": reason_id}),
    )?;
    tx.commit()?;
    Ok(MoveOutcome {
        worker_id: m.place.worker_id,
        name: m.place.name,
        id_number: m.place.id_number.unwrap_or_default(),
        from: Place {
            trip: m.from.code,
            plate: m.from.plate,
            seat: m.place.seat,
        },
        to: Place {
            trip: dst.code,
            plate: dst.plate,
            seat,
        },
        status,
    })
}

/// The buses a worker holding a seat may be moved to under the rules, their own bus first
/// (another seat), then the others bound for their city by departure.
pub fn move_targets(ctx: &Ctx, worker_id: i64) -> OpResult<(PassengerRow, Vec<MoveTarget>)> {
    let conn = &ctx.store.db();
    // A pack holds one trip: buses, seats and the pool elsewhere are the ledger's.
    crate::ops::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let m = mover(conn, Person::Worker(worker_id), lang)?;
    ensure_before_departure(&m.from, lang)?;
    let mut out = Vec::new();
    for t in trips::open_trips_to(conn, &m.province, &m.city)? {
        let held = sql::held_seats(conn, t.trip_id)?;
        let same = t.trip_id == m.from.trip_id;
        if !same && check_target(conn, &m, &t, &held, ctx.policy.max_stops, lang).is_err() {
            continue;
        }
        let layout = Layout::new(t.rated_seats, &ctx.policy);
        let free = layout
            .allowed()
            .filter(|s| !held.contains(&s.number))
            .count()
            .min(t.capacity.saturating_sub(held.len() as u32) as usize) as u32;
        if free == 0 && !same {
            continue;
        }
        let employers = store::trip_employer_counts(conn, t.trip_id)?
            .into_iter()
            .map(|(_, name, n)| format!("{name} {n}"))
            .collect();
        out.push(MoveTarget {
            trip: t.code.clone(),
            plate: t.plate.clone(),
            departure: t.departure.clone(),
            free,
            employers,
            same_bus: same,
        });
    }
    out.sort_by_key(|t| !t.same_bus);
    Ok((m.place, out))
}

/// Free seats a passenger may be given on a trip, the one the plan would choose first.
pub fn move_seats(ctx: &Ctx, worker_id: i64, to: &TripRef) -> OpResult<Vec<u32>> {
    let conn = &ctx.store.db();
    let lang = ctx.lang;
    let m = mover(conn, Person::Worker(worker_id), lang)?;
    let dst = crate::ops::trip_ref::resolve(conn, to, lang)?;
    let held = sql::held_seats(conn, dst.trip_id)?;
    let layout = Layout::new(dst.rated_seats, &ctx.policy);
    let mut seats: Vec<u32> = layout
        .allowed()
        .map(|s| s.number)
        .filter(|n| !held.contains(n))
        .collect();
    if let Some(best) = near_village(conn, &m, &dst, &layout, &held)? {
        seats.retain(|&n| n != best);
        seats.insert(0, best);
    }
    Ok(seats)
}

fn mover(conn: &Db<'_>, who: Person<'_>, lang: Lang) -> OpResult<Mover> {
    let worker_id = match who {
        Person::Worker(id) => id,
        Person::IdNumber(typed) => {
            let id = IdNumber::parse(typed).map_err(|e| {
                OpError::Usage(say!(
                    lang,
                    "--id：身份证号无效：{}",
                    "--id: not a valid ID number: {}",
                    e.message(lang)
                ))
            })?;
            trips::worker_by_id_number(conn, id.as_str())?.ok_or_else(|| {
                OpError::Failed(say!(
                    lang,
                    "{}：台账中没有此人",
                    "{}: no such worker in the ledger",
                    id.masked()
                ))
            })?
        }
    };
    let Some(place) = trips::placed(conn, worker_id)? else {
        return Err(OpError::refused(
            Code::NotPlaced,
            say!(
                lang,
                "此人没有座位：不在任何车上（编排或候补才能上车）",
                "this worker holds no seat on any bus (plan them, or seat them as a stand-by)"
            ),
        ));
    };
    let from = trips::trip(conn, place.trip_id)?
        .ok_or_else(|| OpError::Failed(format!("trip {} vanished", place.trip_id)))?;
    let (employer, employer_name, province, city) = store::worker_destination(conn, worker_id)?
        .ok_or_else(|| {
            OpError::Failed(say!(
                lang,
                "{} 没有用工企业，不能调车",
                "{} has no employer: cannot be moved",
                place.name
            ))
        })?;
    Ok(Mover {
        place,
        from,
        employer,
        employer_name,
        province,
        city,
    })
}

/// The rules a bus must meet to take one more passenger: their city, a free seat within its
/// capacity, and room for their employer among its stops.
fn check_target(
    conn: &Db<'_>,
    m: &Mover,
    dst: &TripInfo,
    held: &[u32],
    max_stops: u32,
    lang: Lang,
) -> OpResult<()> {
    if (dst.province.as_str(), dst.city.as_str()) != (m.province.as_str(), m.city.as_str()) {
        return Err(OpError::refused(
            Code::DifferentCity,
            say!(
                lang,
                "{} 开往 {}，{} 的工厂在 {}：不能调往该车",
                "{} goes to {}, {}'s gate is in {}: not that bus",
                dst.plate,
                dst.city,
                m.employer_name,
                m.city
            ),
        ));
    }
    if held.len() as u32 >= dst.capacity {
        return Err(full(dst, held, lang));
    }
    let employers: Vec<i64> = store::trip_employer_counts(conn, dst.trip_id)?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    if !employers.contains(&m.employer) && employers.len() as u32 >= max_stops.max(1) {
        return Err(OpError::refused(
            Code::TooManyEmployers,
            say!(
                lang,
                "{} 已送 {} 家企业（每车最多 {} 家）：不能再加 {}",
                "{} already serves {} employers (at most {} a bus): not {} as well",
                dst.plate,
                employers.len(),
                max_stops,
                m.employer_name
            ),
        ));
    }
    Ok(())
}

fn full(dst: &TripInfo, held: &[u32], lang: Lang) -> OpError {
    trip_full(Code::BusFull, dst, held.len(), lang)
}

/// A seat asked for must be one the layout lets a passenger use under the policy.
fn allowed_seat(layout: &Layout, n: u32, dst: &TripInfo, lang: Lang) -> OpResult<()> {
    let why = match layout.seat(n).map(|s| s.usage) {
        Some(SeatUse::Allowed) => return Ok(()),
        None => say!(lang, "没有这个座位", "no such seat"),
        Some(SeatUse::Spacing) => say!(lang, "隔位留空", "kept empty for spacing"),
        Some(SeatUse::Observation) => say!(lang, "留观区", "observation rows"),
        Some(SeatUse::OverCap) => say!(lang, "超出载客上限", "over the load cap"),
    };
    Err(OpError::refused(
        Code::SeatBlocked,
        say!(
            lang,
            "{} {}座不可用：{}",
            "seat {1} on {0} may not be given: {2}",
            dst.plate,
            n,
            why
        ),
    ))
}

/// The plan's choice of a seat for one more passenger: near their village on that bus.
fn near_village(
    conn: &Db<'_>,
    m: &Mover,
    dst: &TripInfo,
    layout: &Layout,
    held: &[u32],
) -> OpResult<Option<u32>> {
    let companions: Vec<(u32, bool)> = trips::roster(conn, dst.trip_id)?
        .iter()
        .filter(|p| p.status.holds_seat() && p.worker_id != m.place.worker_id)
        .filter(|p| p.township == m.place.township && p.county == m.place.county)
        .map(|p| (p.seat, p.village == m.place.village))
        .collect();
    Ok(crate::plan::seat_beside(layout, held, &companions))
}
