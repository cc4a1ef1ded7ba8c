//! `zhitong pack|merge`: one trip for the road, and its acts merged back. One line for people
//! (and one per event not applied), one JSON object with `--json`; `merge` exits 3 when some
//! events were not applied.

use super::departure::print_json;
use super::*;
use crate::ops::departure::say;
use crate::ops::merge::{Conflict, MergeReport};
use crate::ops::pack::PackReport;

#[derive(Debug, Args)]
pub struct PackArgs {
    #[command(flatten)]
    pub which: Which,
    /// The pack file to write (never an existing file, unless --refresh)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Merge this trip's pack at FILE first, then write it again from the ledger
    #[arg(long)]
    pub refresh: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The pack file
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

/// `zhitong pack (--bus P | --trip CODE) --out FILE [--refresh]`
pub fn pack(ctx: &mut Ctx, a: &PackArgs) -> OpResult<Exit> {
    let r = if a.refresh {
        crate::ops::pack::refresh(ctx, a.which.trip_ref(), &a.out)?
    } else {
        crate::ops::pack::make(ctx, a.which.trip_ref(), &a.out)?
    };
    let conflicts = r.merged.as_ref().map_or(0, |m| m.conflicts.len());
    if a.json {
        print_json(&r)?;
    } else {
        print_pack(ctx.lang, &r);
    }
    Ok(if conflicts > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    })
}

fn print_pack(l: Lang, r: &PackReport) {
    let file = r.file.display();
    if let Some(m) = &r.merged {
        println!("{}", merge_line(l, &file.to_string(), m));
        print_conflicts(l, &m.conflicts);
    }
    let kept = match &r.merged {
        Some(_) => say!(
            l,
            "；保留原有记录 {} 条",
            "; {} recorded events kept",
            r.carried
        ),
        None => String::new(),
    };
    println!(
        "{}",
        say!(
            l,
            "车次 {}（{}）的离线包已写入 {}：{} 条乘客记录，不含完整身份证号和乘客电话{}",
            "pack of trip {} ({}) written to {}: {} passenger records, no full ID numbers, no passenger phones{}",
            r.trip,
            r.plate,
            file,
            r.passengers,
            kept
        )
    );
}

/// `zhitong merge FILE [--json]`
pub fn merge(ctx: &mut Ctx, a: &MergeArgs) -> OpResult<Exit> {
    let m = crate::ops::merge::merge(ctx, &a.file)?;
    if a.json {
        print_json(&m)?;
    } else {
        println!(
            "{}",
            merge_line(ctx.lang, &a.file.display().to_string(), &m)
        );
        print_conflicts(ctx.lang, &m.conflicts);
        if m.trip_over && m.conflicts.is_empty() {
            // The trip is over and fully merged: what is left in the pack is personal data.
            eprintln!(
                "{}",
                ctx.lang.pick(
                    "此车次已结束并已全部合并：离线包内仍有个人信息，请删除随车电脑上的副本；台账在清除该车次个人信息时会删除在此制作的离线包。",
                    "this trip is over and fully merged: the pack still holds personal data; delete the copy on the attendant's laptop (purge deletes the pack made here with the trip's data)."
                )
            );
        }
    }
    Ok(if m.conflicts.is_empty() {
        Exit::Ok
    } else {
        Exit::Rejected
    })
}

fn merge_line(l: Lang, file: &str, m: &MergeReport) -> String {
    match l {
        Lang::Zh => format!(
            "{file}：合并 {} 条，此前已合并 {} 条，未合并 {} 条",
            m.applied,
            m.already,
            m.conflicts.len()
        ),
        Lang::En => format!(
            "{file}: {} applied, {} already merged, {} not applied",
            m.applied,
            m.already,
            m.conflicts.len()
        ),
    }
}

fn print_conflicts(l: Lang, conflicts: &[Conflict]) {
    for c in conflicts {
        let who = match (c.seat, c.name.as_deref()) {
            (Some(s), Some(n)) => match l {
                Lang::Zh => format!("{s}座 {n}"),
                Lang::En => format!("seat {s} {n}"),
            },
            (Some(s), None) => match l {
                Lang::Zh => format!("{s}座"),
                Lang::En => format!("seat {s}"),
            },
            _ => l.pick("全车", "the trip").to_string(),
        };
        match l {
            Lang::Zh => println!("  {who}：{}", c.message),
            Lang::En => println!("  {who}: {} ({})", c.message, c.reason),
        }
    }
}
