//! `zhitong move|swap|cancel`: reshaping a planned day from a terminal or a script. One line for
//! people, one JSON object with `--json` (shapes in README.md); refusals exit 4 with their
//! rule's code.

use super::departure::print_json;
use super::*;
use crate::model::mask_id;
use crate::ops::departure::say;
use crate::ops::reshape::{self, Person};
use serde::Serialize;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("to").required(true).args(["to_bus", "to_trip"]))]
pub struct MoveArgs {
    #[arg(long, value_name = "IDNUM")]
    pub id: String,
    /// The bus's open trip to move the passenger to (their own bus for a seat change)
    #[arg(long, value_name = "PLATE")]
    pub to_bus: Option<String>,
    /// The trip to move the passenger to, by its code
    #[arg(long, value_name = "CODE")]
    pub to_trip: Option<String>,
    /// The seat on that bus [default: one near the passenger's village]
    #[arg(long, value_name = "N")]
    pub seat: Option<u32>,
    /// Why (kept beside the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SwapArgs {
    #[command(flatten)]
    pub which: Which,
    /// The substitute coach
    #[arg(long, value_name = "PLATE2")]
    pub to: String,
    /// Why (kept beside the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The replaced coach's crew drives the substitute [default: the substitute's own crew]
    #[arg(long)]
    pub keep_crew: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    #[command(flatten)]
    pub which: Which,
    /// Why the trip is cancelled (kept beside the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct MoveJson<'a> {
    worker_id: i64,
    name: &'a str,
    id_number: String,
    from: &'a reshape::Place,
    to: &'a reshape::Place,
    status: &'a str,
}

/// `zhitong move --id IDNUM (--to-bus PLATE | --to-trip CODE) [--seat N] [--reason TEXT]`
pub fn move_passenger(ctx: &mut Ctx, a: &MoveArgs) -> OpResult<Exit> {
    let to = match (&a.to_trip, &a.to_bus) {
        (Some(code), _) => crate::ops::TripRef::code(code.trim()),
        (None, Some(plate)) => crate::ops::TripRef::bus(plate.as_str()),
        (None, None) => return Err(OpError::Usage("give --to-bus or --to-trip".into())),
    };
    let m = reshape::move_passenger(
        ctx,
        Person::IdNumber(&a.id),
        to,
        a.seat,
        a.reason.as_deref(),
    )?;
    let id = mask_id(&m.id_number);
    if a.json {
        return print_json(&MoveJson {
            worker_id: m.worker_id,
            name: &m.name,
            id_number: id,
            from: &m.from,
            to: &m.to,
            status: m.status.as_str(),
        });
    }
    let state = m.status.label(ctx.lang);
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "{} {id}：{} {}座 → {} {}座（{state}，车次 {}）",
                m.name, m.from.plate, m.from.seat, m.to.plate, m.to.seat, m.to.trip
            ),
            Lang::En => format!(
                "{} {id}: {} seat {} → {} seat {} ({state}, trip {})",
                m.name, m.from.plate, m.from.seat, m.to.plate, m.to.seat, m.to.trip
            ),
        }
    );
    Ok(Exit::Ok)
}

/// `zhitong swap (--bus PLATE | --trip CODE) --to PLATE2 [--reason TEXT] [--keep-crew]`
pub fn swap(ctx: &mut Ctx, a: &SwapArgs) -> OpResult<Exit> {
    let s = reshape::swap(
        ctx,
        a.which.trip_ref(),
        &a.to,
        a.reason.as_deref(),
        a.keep_crew,
    )?;
    if a.json {
        return print_json(&s);
    }
    let l = ctx.lang;
    let crew = if s.kept_crew {
        l.pick("原车组随车", "the old crew drives it")
    } else {
        l.pick("由新车车组执行", "its own crew drives it")
    };
    println!(
        "{}",
        say!(
            l,
            "{}：{} → {}，{} 人（限载 {}），{}；{} 人换座",
            "{}: {} → {}, {} passengers (capacity {}), {}; {} re-seated",
            s.trip,
            s.from_plate,
            s.to_plate,
            s.passengers,
            s.capacity,
            crew,
            s.reseated.len()
        )
    );
    for r in &s.reseated {
        println!(
            "{}",
            match l {
                Lang::Zh => format!("  {} {}座 → {}座", r.name, r.from, r.to),
                Lang::En => format!("  {} seat {} → {}", r.name, r.from, r.to),
            }
        );
    }
    Ok(Exit::Ok)
}

/// `zhitong cancel (--bus PLATE | --trip CODE) --reason TEXT`
pub fn cancel(ctx: &mut Ctx, a: &CancelArgs) -> OpResult<Exit> {
    let c = reshape::cancel(ctx, a.which.trip_ref(), &a.reason)?;
    if a.json {
        return print_json(&c);
    }
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已取消 {}（{}）：{} 人回到待编排，另有未到 {} 人",
                c.plate, c.trip, c.released, c.no_shows
            ),
            Lang::En => format!(
                "{} ({}) cancelled: {} passengers back in the pool, {} no-shows too",
                c.plate, c.trip, c.released, c.no_shows
            ),
        }
    );
    Ok(Exit::Ok)
}
