//! Reshaping from the console, on the board and the roster alike: `m` moves a passenger (the
//! buses that can take them, then the free seats), `S` swaps the trip's coach (the coaches
//! that can stand in, then the reason and the crew), `X` cancels the trip (the reason, then a
//! question naming the bus and its passengers, focus on Cancel). The database thread runs
//! them with `execute`, on the same functions as `zhitong move|swap|cancel`.

use super::roster_actions::say;
use crate::console::action::{Load, Reply, Request, Write};
use crate::console::popup::{Choice, Confirm, Form, FormKind, Popup};
use crate::console::screen::Effect;
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::ops::reshape::{self, MoveTarget, Person, SwapCandidate};
use crate::ops::{Ctx, OpError, TripRef};

/// `m` on a roster row: ask which buses can take this passenger.
pub fn start_move(worker_id: i64) -> Vec<Effect> {
    vec![Effect::Send(Request::Load(Load::MoveTargets { worker_id }))]
}

/// `S` on a trip: ask which coaches can replace its own.
pub fn start_swap(trip: &str) -> Vec<Effect> {
    vec![Effect::Send(Request::Load(Load::SwapCandidates {
        trip: TripRef::code(trip),
    }))]
}

/// `X` on a trip: the reason first; the question naming the bus follows.
pub fn start_cancel(trip: &str, plate: &str, passengers: u32, l: Lang) -> Vec<Effect> {
    let mut form = Form::new(
        say(
            l,
            format!("取消车次 {plate}（{trip}）"),
            format!("Cancel trip {plate} ({trip})"),
        ),
        FormKind::CancelTrip {
            trip: trip.to_string(),
            plate: plate.to_string(),
            passengers,
        },
        vec![(l.pick("原因", "reason").into(), String::new())],
    );
    form.note = Some(say(
        l,
        format!("{passengers} 人将回到待编排，车次记为已取消"),
        format!("{passengers} passengers go back to the pool; the trip stays, cancelled"),
    ));
    vec![Effect::Popup(Popup::Form(form))]
}

/// The answers to the loads above, as dialogs; `None` for any other reply.
pub fn offer(r: &Reply, l: Lang) -> Option<Vec<Effect>> {
    Some(match r {
        Reply::MoveTargets {
            worker_id,
            name,
            plate,
            seat,
            targets,
        } => offer_targets(*worker_id, name, plate, *seat, targets, l),
        Reply::MoveSeats {
            worker_id,
            name,
            trip,
            plate,
            seats,
        } => offer_seats(*worker_id, name, trip, plate, seats, l),
        Reply::SwapCandidates {
            trip,
            plate,
            passengers,
            candidates,
        } => offer_coaches(trip, plate, *passengers, candidates, l),
        Reply::SwapPicked {
            trip,
            from,
            to,
            passengers,
        } => vec![swap_form(trip, from, to, *passengers, l)],
        _ => return None,
    })
}

fn offer_targets(
    worker_id: i64,
    name: &str,
    plate: &str,
    seat: u32,
    targets: &[MoveTarget],
    l: Lang,
) -> Vec<Effect> {
    if targets.is_empty() {
        return vec![Effect::Error(
            l.pick(
                "没有能接收此人的车辆（同城、有空座、企业数未满）",
                "no bus can take this passenger (same city, a free seat, room for the employer)",
            )
            .into(),
        )];
    }
    let options = targets
        .iter()
        .map(|t| {
            let label = if t.same_bus {
                say(
                    l,
                    format!("本车换座 · {} · 空 {} 座", t.plate, t.free),
                    format!("another seat on {} · {} free", t.plate, t.free),
                )
            } else {
                say(
                    l,
                    format!(
                        "{} {} · {} · 空 {} 座 · {}",
                        t.plate,
                        t.trip,
                        hhmm(&t.departure),
                        t.free,
                        t.employers.join("、")
                    ),
                    format!(
                        "{} {} · {} · {} free · {}",
                        t.plate,
                        t.trip,
                        hhmm(&t.departure),
                        t.free,
                        t.employers.join(", ")
                    ),
                )
            };
            (
                label,
                Request::Load(Load::MoveSeats {
                    worker_id,
                    trip: TripRef::code(t.trip.clone()),
                }),
            )
        })
        .collect();
    vec![Effect::Popup(Popup::Choice(Choice {
        title: say(
            l,
            format!("调车 {name}（{plate} {seat}座）→ 哪辆车？"),
            format!("Move {name} (seat {seat} on {plate}) to which bus?"),
        ),
        options,
        selected: 0,
    }))]
}

fn offer_seats(
    worker_id: i64,
    name: &str,
    trip: &str,
    plate: &str,
    seats: &[u32],
    l: Lang,
) -> Vec<Effect> {
    if seats.is_empty() {
        return vec![Effect::Error(say(
            l,
            format!("{plate} 没有空座"),
            format!("{plate} has no free seat"),
        ))];
    }
    let options = seats
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let label = match (i, l) {
                (0, Lang::Zh) => format!("{n} 座（靠近同乡）"),
                (0, Lang::En) => format!("seat {n} (near their village)"),
                (_, Lang::Zh) => format!("{n} 座"),
                (_, Lang::En) => format!("seat {n}"),
            };
            (
                label,
                Request::Write(Write::Move {
                    worker_id,
                    to: TripRef::code(trip),
                    seat: Some(n),
                }),
            )
        })
        .collect();
    vec![Effect::Popup(Popup::Choice(Choice {
        title: say(
            l,
            format!("{name} → {plate}：选座位"),
            format!("{name} → {plate}: which seat?"),
        ),
        options,
        selected: 0,
    }))]
}

fn offer_coaches(
    trip: &str,
    plate: &str,
    passengers: u32,
    candidates: &[SwapCandidate],
    l: Lang,
) -> Vec<Effect> {
    if candidates.is_empty() {
        return vec![Effect::Error(say(
            l,
            format!("没有可替换 {plate} 的空闲车辆（{passengers} 人）"),
            format!("no free coach can replace {plate} ({passengers} passengers)"),
        ))];
    }
    let options = candidates
        .iter()
        .map(|c| {
            let label = say(
                l,
                format!(
                    "{} {}座 可载 {} · {} · {}",
                    c.plate, c.seats, c.capacity, c.county, c.operator
                ),
                format!(
                    "{} {} seats, carries {} · {} · {}",
                    c.plate, c.seats, c.capacity, c.county, c.operator
                ),
            );
            // Picking a coach checks it is still free, then opens the form.
            (
                label,
                Request::Load(Load::SwapPicked {
                    trip: TripRef::code(trip),
                    to: c.plate.clone(),
                }),
            )
        })
        .collect();
    vec![Effect::Popup(Popup::Choice(Choice {
        title: say(
            l,
            format!("换车 {plate}（{trip}，{passengers} 人）→ 哪辆车？"),
            format!("Swap {plate} ({trip}, {passengers} passengers) for which coach?"),
        ),
        options,
        selected: 0,
    }))]
}

/// The swap form once a coach is picked.
pub fn swap_form(trip: &str, from: &str, to: &str, passengers: u32, l: Lang) -> Effect {
    let mut form = Form::new(
        say(
            l,
            format!("换车 {from} → {to}（{passengers} 人）"),
            format!("Swap {from} → {to} ({passengers} passengers)"),
        ),
        FormKind::Swap {
            trip: trip.to_string(),
            from: from.to_string(),
            to: to.to_string(),
        },
        vec![
            (l.pick("原因", "reason").into(), String::new()),
            (
                l.pick("原车组随车（是/否）", "old crew drives (y/n)")
                    .into(),
                l.pick("否", "n").into(),
            ),
        ],
    );
    form.note = Some(
        l.pick(
            "车次编号、乘客和状态不变；新车没有的座号按同乡就近重排",
            "the trip keeps its code, passengers and statuses; seats the coach lacks are re-given by village",
        )
        .into(),
    );
    Effect::Popup(Popup::Form(form))
}

/// A reshaping form was submitted: the swap is sent, the cancellation asks first.
pub fn submit(kind: &FormKind, values: &[String], l: Lang) -> Option<Vec<Effect>> {
    let first = values
        .first()
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    Some(match kind {
        FormKind::Swap { trip, to, .. } => {
            let keep = values
                .get(1)
                .map(|v| v.trim().to_lowercase())
                .unwrap_or_default();
            let keep_crew = match keep.as_str() {
                "" | "否" | "n" | "no" => false,
                "是" | "y" | "yes" => true,
                other => {
                    return Some(vec![Effect::Error(say(
                        l,
                        format!("原车组随车请填 是 或 否：{other}"),
                        format!("old crew: y or n, not {other}"),
                    ))])
                }
            };
            vec![Effect::Send(Request::Write(Write::Swap {
                trip: TripRef::code(trip.clone()),
                to: to.clone(),
                reason: first,
                keep_crew,
            }))]
        }
        FormKind::CancelTrip {
            trip,
            plate,
            passengers,
        } => {
            if first.is_empty() {
                return Some(vec![Effect::Error(
                    l.pick("请写明取消原因", "a reason is needed").into(),
                )]);
            }
            let mut c = Confirm::new(
                say(
                    l,
                    format!("取消 {plate} — {passengers} 人？"),
                    format!("Cancel {plate} — {passengers} passengers?"),
                ),
                l.pick("取消车次", "Cancel trip"),
                Request::Write(Write::CancelTrip {
                    trip: TripRef::code(trip.clone()),
                    reason: first.clone(),
                }),
            );
            c.detail.push(say(
                l,
                format!("{trip} · 原因：{first}"),
                format!("{trip} · reason: {first}"),
            ));
            vec![Effect::Popup(Popup::Confirm(c))]
        }
        _ => return None,
    })
}

fn hhmm(t: &str) -> &str {
    t.get(11..16).unwrap_or(t)
}

/// The loads of these dialogs, on the database thread; `None` for other loads.
pub fn load(ctx: &Ctx, l: &Load) -> Option<Result<Reply, OpError>> {
    Some(match l {
        Load::MoveTargets { worker_id } => {
            reshape::move_targets(ctx, *worker_id).map(|(p, targets)| {
                let plate = crate::store::trips::trip(&ctx.store.db(), p.trip_id)
                    .ok()
                    .flatten()
                    .map(|t| t.plate)
                    .unwrap_or_default();
                Reply::MoveTargets {
                    worker_id: *worker_id,
                    name: p.name,
                    plate,
                    seat: p.seat,
                    targets,
                }
            })
        }
        Load::MoveSeats { worker_id, trip } => {
            let to = crate::ops::trip_ref::resolve(&ctx.store.db(), trip, ctx.lang);
            to.and_then(|t| {
                let name = crate::store::views::worker(&ctx.store.db(), *worker_id)?
                    .map(|w| w.name)
                    .unwrap_or_default();
                Ok(Reply::MoveSeats {
                    worker_id: *worker_id,
                    name,
                    seats: reshape::move_seats(ctx, *worker_id, &TripRef::code(t.code.clone()))?,
                    trip: t.code,
                    plate: t.plate,
                })
            })
        }
        Load::SwapCandidates { trip } => {
            reshape::swap_candidates(ctx, trip).map(|(t, candidates)| {
                let passengers = crate::store::views::trip_counts_of(&ctx.store.db(), t.trip_id)
                    .map_or(0, |c| c.expected);
                Reply::SwapCandidates {
                    trip: t.code,
                    plate: t.plate,
                    passengers,
                    candidates,
                }
            })
        }
        Load::SwapPicked { trip, to } => {
            reshape::swap_candidates(ctx, trip).and_then(|(t, candidates)| {
                if !candidates.iter().any(|c| &c.plate == to) {
                    return Err(OpError::refused(
                        Code::BusBusy,
                        say(
                            ctx.lang,
                            format!("{to} 已不能替换 {}：请重新选择", t.plate),
                            format!("{to} can no longer replace {}: choose again", t.plate),
                        ),
                    ));
                }
                let passengers =
                    crate::store::views::trip_counts_of(&ctx.store.db(), t.trip_id)?.expected;
                Ok(Reply::SwapPicked {
                    trip: t.code,
                    from: t.plate,
                    to: to.clone(),
                    passengers,
                })
            })
        }
        _ => return None,
    })
}

/// The writes of these dialogs, on the database thread; `None` for other writes.
pub fn execute(ctx: &mut Ctx, w: &Write) -> Option<Result<Reply, OpError>> {
    let l = ctx.lang;
    Some(match w {
        Write::Move {
            worker_id,
            to,
            seat,
        } => reshape::move_passenger(ctx, Person::Worker(*worker_id), to, *seat, None).map(|m| {
            Reply::Reshaped {
                message: say(
                    l,
                    format!(
                        "{} 调至 {} {}座（原 {} {}座），待该车查验",
                        m.name, m.to.plate, m.to.seat, m.from.plate, m.from.seat
                    ),
                    format!(
                        "{} moved to seat {} on {} (was seat {} on {}), to be checked there",
                        m.name, m.to.seat, m.to.plate, m.from.seat, m.from.plate
                    ),
                ),
                details: vec![],
            }
        }),
        Write::Swap {
            trip,
            to,
            reason,
            keep_crew,
        } => reshape::swap(ctx, trip, to, Some(reason.as_str()), *keep_crew).map(|s| {
            let message = say(
                l,
                format!(
                    "{}：{} → {}，{} 人",
                    s.trip, s.from_plate, s.to_plate, s.passengers
                ),
                format!(
                    "{}: {} → {}, {} passengers",
                    s.trip, s.from_plate, s.to_plate, s.passengers
                ),
            );
            let details = s
                .reseated
                .iter()
                .map(|r| {
                    say(
                        l,
                        format!("{} {}座 → {}座", r.name, r.from, r.to),
                        format!("{} seat {} → {}", r.name, r.from, r.to),
                    )
                })
                .collect();
            Reply::Reshaped { message, details }
        }),
        Write::CancelTrip { trip, reason } => {
            reshape::cancel(ctx, trip, reason).map(|c| Reply::Reshaped {
                message: say(
                    l,
                    format!(
                        "已取消 {}（{}）：{} 人回到待编排",
                        c.plate, c.trip, c.released
                    ),
                    format!(
                        "{} ({}) cancelled: {} passengers back in the pool",
                        c.plate, c.trip, c.released
                    ),
                ),
                details: vec![],
            })
        }
        _ => return None,
    })
}
