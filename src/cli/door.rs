//! `zhitong undo|round|roster`: correcting a door decision, one reading of a temperature
//! round, and one trip's roster as scripts read it (`roster --json`, shape in README.md).

use super::departure::{door_result, print_json};
use super::*;
use crate::ops::departure::{self as dep, RosterLine, RosterTally};
use crate::store::trips;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct UndoArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub person: Person,
    /// Why the decision is reversed (kept in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RoundArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub person: Person,
    /// Temperature taken on the round, °C
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    pub temp: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RosterArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(long)]
    pub json: bool,
    /// Show full ID numbers (audited)
    #[arg(long)]
    pub reveal: bool,
}

/// `zhitong undo (--bus P | --trip CODE) (--id X | --seat N) --reason TEXT`
pub fn undo(ctx: &mut Ctx, a: &UndoArgs) -> OpResult<Exit> {
    let p = dep::undo(ctx, a.which.trip_ref(), a.person.who(), &a.reason)?;
    door_result(ctx, &p, a.json)
}

/// `zhitong round (--bus P | --trip CODE) (--id X | --seat N) --temp C`
pub fn round(ctx: &mut Ctx, a: &RoundArgs) -> OpResult<Exit> {
    let p = dep::round(ctx, a.which.trip_ref(), a.person.who(), &a.temp)?;
    if a.json {
        return door_result(ctx, &p, true);
    }
    let plate = trips::trip(&ctx.store.db(), p.trip_id)?
        .map(|t| t.plate)
        .unwrap_or_default();
    let temp = p
        .temperature
        .map(|t| format!("{t:.1} °C"))
        .unwrap_or_default();
    println!(
        "{}",
        match ctx.lang {
            Lang::En => format!("{plate} seat {} {}: round reading {temp}", p.seat, p.name),
            Lang::Zh => format!("{plate} {}座 {}：途中测温 {temp}", p.seat, p.name),
        }
    );
    Ok(Exit::Ok)
}

#[derive(Debug, Serialize)]
struct RosterJson<'a> {
    /// The trip's code, `旬阳-20200221-01-1`.
    trip: &'a str,
    plate: &'a str,
    status: &'a str,
    date: String,
    departure: &'a str,
    passengers: &'a [RosterLine],
    counts: RosterTally,
    /// Expected arrival, RFC 3339 with offset, or null.
    eta: Option<&'a str>,
    /// The trip's history after planning: coach swaps (both plates), moves, cancellation.
    changes: Vec<ChangeLine>,
}

#[derive(Debug, Serialize)]
struct ChangeLine {
    #[serde(flatten)]
    change: crate::store::reshape::TripChange,
    text: String,
}

/// `zhitong roster (--bus P | --trip CODE) [--json] [--reveal]`
pub fn roster(ctx: &mut Ctx, a: &RosterArgs) -> OpResult<Exit> {
    let v = dep::roster_view(ctx, a.which.trip_ref(), a.reveal)?;
    let t = &v.trip;
    if a.json {
        return print_json(&RosterJson {
            trip: &t.code,
            plate: &t.plate,
            status: t.status.as_str(),
            date: t.date.to_string(),
            departure: &t.departure,
            passengers: &v.passengers,
            counts: v.counts,
            eta: v.eta.as_deref(),
            changes: crate::ops::reshape::trip_changes(ctx, t.trip_id)?
                .into_iter()
                .map(|c| ChangeLine {
                    text: crate::ops::reshape::change_text(&c, ctx.lang),
                    change: c,
                })
                .collect(),
        });
    }
    let l = ctx.lang;
    let c = &v.counts;
    let eta = v
        .eta
        .as_deref()
        .map(|e| {
            format!(
                " · {} {}",
                l.pick("预计到达", "expected"),
                crate::clock::screen_text(e, t.date)
            )
        })
        .unwrap_or_default();
    println!(
        "{} {} {}{eta} · {}",
        t.plate,
        t.date,
        t.status.label(l),
        match l {
            Lang::En => format!(
                "expected {}, boarded {}, re-check {}, refused {}, no-show {}, stand-by {}",
                c.expected, c.boarded, c.recheck, c.refused, c.no_show, c.standby
            ),
            Lang::Zh => format!(
                "应到 {}，已登车 {}，复测 {}，拒载 {}，未到 {}，候补 {}",
                c.expected, c.boarded, c.recheck, c.refused, c.no_show, c.standby
            ),
        }
    );
    for p in &v.passengers {
        let temp = p
            .last_temp
            .map(|t| format!(" {t:.1} °C"))
            .unwrap_or_default();
        let mark = if p.observation {
            l.pick(" 留观", " observation")
        } else {
            ""
        };
        let reason = match (l, p.reason) {
            (_, None) => String::new(),
            (Lang::En, Some(r)) => format!(" ({r})"),
            (Lang::Zh, Some(r)) => format!("（{}）", reason_zh(r)),
        };
        println!(
            "{:>3} {} {} {}{reason}{temp}{mark}",
            p.seat,
            p.name,
            p.id_number,
            status_label(l, p.status)
        );
    }
    for c in crate::ops::reshape::trip_changes(ctx, t.trip_id)? {
        let at = crate::clock::paper_text(&c.at);
        println!("  {at} {}", crate::ops::reshape::change_text(&c, l));
    }
    Ok(Exit::Ok)
}

/// The roster's status word as people read it.
fn status_label(l: Lang, status: &str) -> &str {
    match l {
        Lang::En => status,
        Lang::Zh => match status {
            "planned" => "待登车",
            "boarded" => "已登车",
            "recheck" => "复测",
            "refused" => "拒载",
            "no_show" => "未到",
            "standby" => "候补",
            other => other,
        },
    }
}

fn reason_zh(reason: &str) -> &str {
    match reason {
        "fever" => "发热",
        "certificate" => "健康证明无效",
        "identity" => "身份不符",
        other => other,
    }
}
