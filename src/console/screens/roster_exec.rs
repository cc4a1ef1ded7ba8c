//! The database thread's side of the roster actions: each write calls the departure-day
//! function of `ops::departure` and answers with one sentence in the interface language, plus
//! details worth a dialog (a round's findings, the arrival summary).

use super::roster_actions::say;
use crate::clock;
use crate::console::action::{Reply, Write};
use crate::model::RefuseReason;
use crate::ops::departure::{self, Who};
use crate::ops::TripRef;
use crate::ops::{Ctx, OpError};

fn temp_text(t: Option<f64>) -> String {
    t.map(|t| format!("{t:.1} °C")).unwrap_or_default()
}

/// Runs a roster write on the database thread (`None` for writes that are not the roster's).
pub fn execute(ctx: &mut Ctx, w: &Write) -> Option<Result<Reply, OpError>> {
    let l = ctx.lang;
    // Replies name the trip acted on by its code, as the roster on screen knows it.
    let done = |trip: &TripRef, message: String, details: Vec<String>| Reply::RosterDone {
        trip: trip.to_string(),
        message,
        details,
    };
    let r = match w {
        Write::Board {
            trip,
            worker_id,
            temp,
        } => departure::board(ctx, trip, Who::Worker(*worker_id), temp).map(|p| {
            let m = say(
                l,
                format!(
                    "{} 已登车 · 座 {} · {}",
                    p.name,
                    p.seat,
                    temp_text(p.temperature)
                ),
                format!(
                    "{} boarded · seat {} · {}",
                    p.name,
                    p.seat,
                    temp_text(p.temperature)
                ),
            );
            done(trip, m, vec![])
        }),
        Write::Refuse {
            trip,
            worker_id,
            reason,
        } => departure::refuse(ctx, trip, Who::Worker(*worker_id), *reason).map(|p| {
            // One word for a no-show (未到), the refusal with its reason otherwise.
            let zh = reason.label(crate::i18n::Lang::Zh);
            let m = if *reason == RefuseReason::NoShow {
                say(
                    l,
                    format!("{} 未到 · 座 {} 已空出", p.name, p.seat),
                    format!("{} no-show · seat {} is free", p.name, p.seat),
                )
            } else {
                say(
                    l,
                    format!("{} 拒载（{zh}）· 座 {} 已空出", p.name, p.seat),
                    format!(
                        "{} refused ({}) · seat {} is free",
                        p.name,
                        reason.as_str(),
                        p.seat
                    ),
                )
            };
            done(trip, m, vec![])
        }),
        Write::Undo {
            trip,
            worker_id,
            reason,
        } => departure::undo(ctx, trip, Who::Worker(*worker_id), reason).map(|p| {
            let m = say(
                l,
                format!("{} 已撤销（{}），待重新查验 · 座 {}", p.name, reason.trim(), p.seat),
                format!(
                    "{} undone ({}): to be checked again · seat {}",
                    p.name,
                    reason.trim(),
                    p.seat
                ),
            );
            done(trip, m, vec![])
        }),
        Write::SeatStandby {
            trip,
            worker_id,
            seat,
        } => departure::seat_standby(ctx, trip, *worker_id, *seat).map(|p| {
            done(
                trip,
                say(
                    l,
                    format!("候补 {} → 座 {}", p.name, p.seat),
                    format!("stand-by {} → seat {}", p.name, p.seat),
                ),
                vec![],
            )
        }),
        Write::Depart { trip } => departure::depart(ctx, trip).map(|t| {
            let at = t
                .departed_at
                .as_deref()
                .map(|a| clock::screen_text(a, clock::today()))
                .unwrap_or_default();
            let plate = &t.plate;
            done(
                trip,
                say(
                    l,
                    format!("{plate} 已发车 {at}"),
                    format!("{plate} departed at {at}"),
                ),
                vec![],
            )
        }),
        Write::Round {
            trip,
            readings,
            observe_key: o_key,
        } => {
            departure::temperature_round(ctx, trip, readings).map(|o| {
                let mut details = vec![say(
                    l,
                    format!("测温 {} / 车上 {} 人", o.measured, o.boarded),
                    format!("measured {} of {} aboard", o.measured, o.boarded),
                )];
                for f in &o.fevers {
                    details.push(say(
                        l,
                        format!(
                            "⚠ 座 {} 体温 {:.1} °C：已标记留观，按 {o_key} 移至留观区",
                            f.seat, f.temperature
                        ),
                        format!(
                            "⚠ seat {} at {:.1} °C: marked for observation, press {o_key} to move them to the observation rows",
                            f.seat, f.temperature
                        ),
                    ));
                }
                if !o.not_measured.is_empty() {
                    let seats: Vec<String> = o.not_measured.iter().map(u32::to_string).collect();
                    details.push(say(
                        l,
                        format!("未测座位：{}", seats.join("、")),
                        format!("not measured: seats {}", seats.join(", ")),
                    ));
                }
                let m = say(
                    l,
                    format!("测温已记录，发热 {} 人", o.fevers.len()),
                    format!("round recorded, {} with fever", o.fevers.len()),
                );
                done(
                    trip,
                    m,
                    if o.fevers.is_empty() && o.not_measured.is_empty() {
                        vec![]
                    } else {
                        details
                    },
                )
            })
        }
        Write::Stop {
            trip,
            headcount,
            place,
        } => departure::stop(ctx, trip, *headcount, place).map(|o| {
            let m = if o.matches {
                say(
                    l,
                    format!("停靠 {}：点名 {} 人，与名单相符", o.place, o.headcount),
                    format!(
                        "stop at {}: {} counted, matches the roster",
                        o.place, o.headcount
                    ),
                )
            } else {
                say(
                    l,
                    format!(
                        "⚠ 停靠 {}：点名 {} 人，名单 {} 人",
                        o.place, o.headcount, o.boarded
                    ),
                    format!(
                        "⚠ stop at {}: {} counted, roster says {}",
                        o.place, o.headcount, o.boarded
                    ),
                )
            };
            done(trip, m.clone(), if o.matches { vec![] } else { vec![m] })
        }),
        Write::Observe {
            trip,
            worker_id,
            temp,
        } => departure::move_to_observation(ctx, trip, Who::Worker(*worker_id), temp).map(|p| {
            done(
                trip,
                say(
                    l,
                    format!("{} 移至留观座 {}", p.name, p.seat),
                    format!("{} moved to observation seat {}", p.name, p.seat),
                ),
                vec![],
            )
        }),
        Write::Arrive {
            trip,
            receiver,
            headcount,
        } => departure::arrive(ctx, trip, receiver.as_deref(), *headcount).map(|a| {
            let plate = &a.plate;
            let arrived = clock::screen_text(&a.arrived_at, clock::today());
            let details = vec![
                say(
                    l,
                    format!(
                        "到达 {arrived} · 接收人 {}",
                        a.receiver.clone().unwrap_or_default()
                    ),
                    format!(
                        "arrived {arrived} · received by {}",
                        a.receiver.clone().unwrap_or_default()
                    ),
                ),
                say(
                    l,
                    format!(
                        "交接 {} 人 / 登车 {} 人{}",
                        a.headcount,
                        a.boarded,
                        if a.headcount_matches {
                            ""
                        } else {
                            " ⚠ 不符"
                        }
                    ),
                    format!(
                        "handed over {} / boarded {}{}",
                        a.headcount,
                        a.boarded,
                        if a.headcount_matches {
                            ""
                        } else {
                            " ⚠ differs"
                        }
                    ),
                ),
                say(
                    l,
                    format!(
                        "拒载：发热 {} · 证明 {} · 身份 {}；未到 {}",
                        a.refused.fever, a.refused.certificate, a.refused.identity, a.no_show
                    ),
                    format!(
                        "refused: fever {} · certificate {} · identity {}; no-show {}",
                        a.refused.fever, a.refused.certificate, a.refused.identity, a.no_show
                    ),
                ),
                say(
                    l,
                    format!("候补 {} · 途中留观 {}", a.standby, a.moved_to_observation),
                    format!(
                        "stand-by {} · moved to observation {}",
                        a.standby, a.moved_to_observation
                    ),
                ),
            ]
            .into_iter()
            .chain(a.observation.iter().map(|o| {
                let temp = temp_text(o.last_temp);
                let since = clock::screen_text(&o.since, clock::today());
                say(
                    l,
                    format!("⚠ 留观：座 {} {} {temp}（{since} 起）", o.seat, o.name),
                    format!(
                        "⚠ under observation: seat {} {} {temp} (since {since})",
                        o.seat, o.name
                    ),
                )
            }))
            .collect();
            done(
                trip,
                say(
                    l,
                    format!("{plate} 已到达交接"),
                    format!("{plate} handed over"),
                ),
                details,
            )
        }),
        _ => return None,
    };
    Some(r)
}
