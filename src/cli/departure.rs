//! `zhitong board|refuse|depart|arrive|other-means`: the departure day actions for scripts and a bare
//! terminal. One line for people, one JSON object with `--json`; refusals exit 4 (cli/mod.rs).
//! The door's corrections and rounds (`undo`, `round`, `roster`) are in `door.rs`.

use super::*;
use crate::i18n::Lang;
use crate::model::{mask_id, RefuseReason, SeatStatus};
use crate::ops::departure::{self as dep, RosterCounts};
use crate::store::trips::{self, PassengerRow};
use serde::Serialize;

/// A passenger as printed: the ID number masked, never in full.
#[derive(Debug, Serialize)]
struct PassengerJson<'a> {
    seat: u32,
    worker_id: i64,
    name: &'a str,
    id_number: String,
    status: &'a str,
    temperature: Option<f64>,
    refused_reason: Option<&'a str>,
    standby: bool,
    boarded_at: Option<&'a str>,
}

impl<'a> PassengerJson<'a> {
    fn new(p: &'a PassengerRow) -> Self {
        PassengerJson {
            seat: p.seat,
            worker_id: p.worker_id,
            name: &p.name,
            id_number: p.id_number.as_deref().map(mask_id).unwrap_or_default(),
            status: p.status.as_str(),
            temperature: p.temperature,
            refused_reason: p.refused_reason.as_deref(),
            standby: p.standby,
            boarded_at: p.boarded_at.as_deref(),
        }
    }
}

#[derive(Debug, Serialize)]
struct DoorJson<'a> {
    plate: &'a str,
    trip_id: i64,
    /// The trip's code, `旬阳-20200221-01-1`.
    trip: &'a str,
    passenger: PassengerJson<'a>,
    counts: RosterCounts,
}

fn trip_counts(ctx: &Ctx, trip_id: i64) -> OpResult<RosterCounts> {
    Ok(crate::store::views::trip_counts_of(
        &ctx.store.db(),
        trip_id,
    )?)
}

pub(super) fn print_json<T: Serialize>(v: &T) -> OpResult<Exit> {
    let text = serde_json::to_string(v).map_err(|e| OpError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(Exit::Ok)
}

/// `陕G21000 seat 14 张伟 610928********1003 boarded 36.5 °C (12/18 boarded)`
fn door_line(lang: Lang, plate: &str, p: &PassengerRow, c: &RosterCounts) -> String {
    let id = p.id_number.as_deref().map(mask_id).unwrap_or_default();
    // The reason as stored; in Chinese its word (发热, 身份不符 …).
    let reason = p.refused_reason.as_deref().unwrap_or("?");
    let reason_zh = reason
        .parse::<RefuseReason>()
        .map_or(reason, |r| r.label(Lang::Zh));
    let state = match (lang, p.status, p.temperature) {
        (Lang::En, SeatStatus::Boarded, Some(t)) => format!("boarded {t:.1} °C"),
        (Lang::Zh, SeatStatus::Boarded, Some(t)) => format!("已登车 {t:.1} °C"),
        (Lang::En, SeatStatus::Planned, _) => "back to be checked at the door".to_string(),
        (Lang::Zh, SeatStatus::Planned, _) => "已撤销，待重新查验".to_string(),
        (Lang::En, SeatStatus::NoShow, _) => "no-show, seat freed".to_string(),
        (Lang::Zh, SeatStatus::NoShow, _) => "未到，座位已空出".to_string(),
        (Lang::En, s, _) => format!("{s} ({reason}), seat freed"),
        (Lang::Zh, _, _) => format!("已拒绝（{reason_zh}），座位已空出"),
    };
    match lang {
        Lang::En => format!(
            "{plate} seat {} {} {id} {state} ({}/{} boarded)",
            p.seat, p.name, c.boarded, c.expected
        ),
        Lang::Zh => format!(
            "{plate} {}座 {} {id} {state}（已登车 {}/{}）",
            p.seat, p.name, c.boarded, c.expected
        ),
    }
}

pub(super) fn door_result(ctx: &Ctx, p: &PassengerRow, json: bool) -> OpResult<Exit> {
    let trip = trips::trip(&ctx.store.db(), p.trip_id)?
        .ok_or_else(|| OpError::Failed(format!("trip {} vanished", p.trip_id)))?;
    let c = trip_counts(ctx, p.trip_id)?;
    if json {
        return print_json(&DoorJson {
            plate: &trip.plate,
            trip_id: trip.trip_id,
            trip: &trip.code,
            passenger: PassengerJson::new(p),
            counts: c,
        });
    }
    println!("{}", door_line(ctx.lang, &trip.plate, p, &c));
    Ok(Exit::Ok)
}

pub fn board(ctx: &mut Ctx, a: &BoardArgs) -> OpResult<Exit> {
    let p = dep::board(ctx, a.which.trip_ref(), a.person.who(), &a.temp)?;
    door_result(ctx, &p, a.json)
}

pub fn refuse(ctx: &mut Ctx, a: &RefuseArgs) -> OpResult<Exit> {
    let reason = match a.reason {
        ReasonArg::Fever => RefuseReason::Fever,
        ReasonArg::Certificate => RefuseReason::Certificate,
        ReasonArg::Identity => RefuseReason::Identity,
        ReasonArg::NoShow => RefuseReason::NoShow,
    };
    let p = dep::refuse(ctx, a.which.trip_ref(), a.person.who(), reason)?;
    door_result(ctx, &p, a.json)
}

#[derive(Debug, Serialize)]
struct DepartJson<'a> {
    plate: &'a str,
    trip_id: i64,
    trip: &'a str,
    status: &'a str,
    departed_at: Option<&'a str>,
    counts: RosterCounts,
}

pub fn depart(ctx: &mut Ctx, a: &BusArg) -> OpResult<Exit> {
    let t = dep::depart(ctx, a.which.trip_ref())?;
    let c = trip_counts(ctx, t.trip_id)?;
    if a.json {
        return print_json(&DepartJson {
            plate: &t.plate,
            trip_id: t.trip_id,
            trip: &t.code,
            status: t.status.as_str(),
            departed_at: t.departed_at.as_deref(),
            counts: c,
        });
    }
    let at = t
        .departed_at
        .as_deref()
        .map_or_else(|| "?".to_string(), crate::clock::paper_text);
    println!(
        "{}",
        match ctx.lang {
            Lang::En => format!(
                "{} departed at {at} ({}): {} aboard, {} refused, {} no-show",
                t.plate, t.code, c.boarded, c.refused, c.no_show
            ),
            Lang::Zh => format!(
                "{} 已于 {at} 发车（{}）：车上 {} 人，拒绝 {} 人，未到 {} 人",
                t.plate, t.code, c.boarded, c.refused, c.no_show
            ),
        }
    );
    Ok(Exit::Ok)
}

pub fn arrive(ctx: &mut Ctx, a: &ArriveArgs) -> OpResult<Exit> {
    let given: Vec<&str> = a.receiver.iter().map(String::as_str).collect();
    let s = dep::arrive_handover(ctx, a.which.trip_ref(), &given, None)?;
    if a.json {
        return print_json(&s);
    }
    let r = &s.refused;
    let at = crate::clock::paper_text(&s.arrived_at);
    let line = match ctx.lang {
        Lang::En => format!(
            "{} arrived at {} ({}): {} handed over{}; refused: fever {}, certificate {}, identity {}; no-show {}; stand-by {}",
            s.plate,
            at,
            s.trip,
            s.headcount,
            s.receiver.as_deref().map(|n| format!(" to {n}")).unwrap_or_default(),
            r.fever,
            r.certificate,
            r.identity,
            s.no_show,
            s.standby
        ),
        Lang::Zh => format!(
            "{} 已于 {} 到达（{}）：交接 {} 人{}；拒绝：发热 {}，证明 {}，身份 {}；未到 {}；候补 {}",
            s.plate,
            at,
            s.trip,
            s.headcount,
            s.receiver.as_deref().map(|n| format!("，接收人 {n}")).unwrap_or_default(),
            r.fever,
            r.certificate,
            r.identity,
            s.no_show,
            s.standby
        ),
    };
    println!("{line}");
    // Two gates, two receivers: each named with the passengers they took over.
    if s.receivers.len() > 1 {
        for r in &s.receivers {
            println!(
                "{}",
                match ctx.lang {
                    Lang::En => format!(
                        "  {}: {} passengers to {}",
                        r.employer, r.passengers, r.name
                    ),
                    Lang::Zh => format!("  {}：{} 人，接收人 {}", r.employer, r.passengers, r.name),
                }
            );
        }
    }
    // Whoever is handed over under observation is named, so the receiver takes them apart.
    for o in &s.observation {
        let temp = o
            .last_temp
            .map(|t| format!("{t:.1} °C"))
            .unwrap_or_default();
        let since = crate::clock::paper_text(&o.since);
        println!(
            "{}",
            match ctx.lang {
                Lang::En => format!(
                    "  under observation: seat {} {} {temp} (since {since})",
                    o.seat, o.name
                ),
                Lang::Zh => format!("  留观：{}座 {} {temp}（{since} 起）", o.seat, o.name),
            }
        );
    }
    Ok(Exit::Ok)
}

/// `zhitong other-means --id IDNUM --means 火车 [--date D]`: a worker who went back by train or
/// their own car; a seat they held on a bus that has not left is freed as a no-show.
pub fn other_means(ctx: &mut Ctx, a: &OtherMeansArgs) -> OpResult<Exit> {
    let id = crate::model::IdNumber::parse(&a.id)
        .map_err(|e| OpError::Usage(format!("--id '{}': {e}", a.id)))?;
    let date = match &a.date {
        Some(d) => crate::model::parse_date(d).map_err(|e| super::date_usage(e, ctx.lang))?,
        None => ctx.today,
    };
    let worker_id = trips::worker_by_id_number(&ctx.store.db(), id.as_str())?.ok_or_else(|| {
        OpError::Failed(format!(
            "{}: {}",
            id.masked(),
            ctx.lang
                .pick("台账中没有此人", "no such worker in the ledger")
        ))
    })?;
    dep::mark_other_means(ctx, worker_id, &a.means, date)?;
    if a.json {
        return print_json(&serde_json::json!({
            "worker_id": worker_id,
            "id_number": id.masked(),
            "status": "other-means",
            "means": a.means.trim(),
            "date": date.to_string(),
        }));
    }
    let (who, means) = (id.masked(), a.means.trim());
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!("{who} 自行返岗：{means}，{date}"),
            Lang::En => format!("{who} left by other means: {means} {date}"),
        }
    );
    Ok(Exit::Ok)
}
