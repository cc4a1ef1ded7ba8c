//! `zhitong purge [--older-than DAYS] [--yes]`: shows what would go, asks on a terminal, and
//! refuses to run unattended without `--yes`. Run again after an interruption, it finishes the
//! work even when nothing is left to blank.

use super::*;
use crate::ops::purge as op;
use crate::store::StoreError;
use std::io::{BufRead, IsTerminal, Write};

pub fn run(ctx: &mut Ctx, args: &PurgeArgs) -> OpResult<Exit> {
    let lang = ctx.lang;
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let p = op::preview(ctx, args.older_than)?;
    if p.is_empty() {
        // An interrupted purge may have left older copies of blanked pages in the log (and an
        // upgraded file its one scrub): finished here, asking nothing, since nothing is deleted.
        let (scrubbed, compacted) = op::tidy(ctx)?;
        tell_tidy(lang, scrubbed, compacted);
        println!(
            "{}",
            match lang {
                Lang::Zh => format!("{} 之前抵达的车次没有需要清除的个人信息。", p.cutoff),
                Lang::En => format!(
                    "Nothing to purge: no personal data of trips that arrived before {}.",
                    p.cutoff
                ),
            }
        );
        return Ok(Exit::Ok);
    }
    let what = match lang {
        Lang::Zh => format!(
            "将永久清除 {} 之前抵达车次的个人信息：务工人员 {} 人，车次 {} 个（接收人、途中记录、更正原因），车辆 {} 辆的司乘人员。统计数字不变。",
            p.cutoff, p.workers, p.trips, p.buses
        ),
        Lang::En => format!(
            "This deletes for good the personal data of trips that arrived before {}: {} workers, {} trips (receiver, en-route notes, reasons for corrections), crews of {} buses. The statistics stay the same.",
            p.cutoff, p.workers, p.trips, p.buses
        ),
    };
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(OpError::Usage(
                lang.pick(
                    "purge 会永久删除个人信息：请在终端上确认，脚本中请加 --yes。",
                    "purge deletes personal data for good: confirm on a terminal, or pass --yes in scripts.",
                )
                .into(),
            ));
        }
        eprintln!("{what}");
        eprint!("{} ", lang.pick("确认清除？[y/N]", "Purge now? [y/N]"));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| OpError::Failed(format!("stdin: {e}")))?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "是") {
            eprintln!(
                "{}",
                lang.pick("已取消，未做任何更改。", "Cancelled: nothing was changed.")
            );
            return Ok(Exit::Ok);
        }
    }
    let r = op::purge(ctx, args.older_than)?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已清除 {} 之前抵达车次的个人信息：务工人员 {} 人，车次 {} 个，车辆 {} 辆的司乘人员，途中记录和更正原因 {} 条。",
                r.cutoff, r.workers, r.trips, r.buses, r.notes
            ),
            Lang::En => format!(
                "Purged personal data of trips that arrived before {}: {} workers, {} trips, crews of {} buses, {} en-route notes and reasons for corrections.",
                r.cutoff, r.workers, r.trips, r.buses, r.notes
            ),
        }
    );
    let k = r.packs;
    if k.removed + k.missing > 0 {
        println!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "这些车次的离线包：已删除 {} 个；{} 个已不在制作时的位置（其他副本请持有人自行删除）。",
                    k.removed, k.missing
                ),
                Lang::En => format!(
                    "Packs of these trips: {} deleted; {} no longer where they were made (other copies are their holder's to delete).",
                    k.removed, k.missing
                ),
            }
        );
    }
    tell_tidy(lang, r.scrubbed, r.compacted);
    Ok(Exit::Ok)
}

fn tell_tidy(lang: Lang, scrubbed: bool, compacted: bool) {
    if scrubbed {
        eprintln!(
            "{}",
            lang.pick(
                "已将整个数据库文件重写一次，清除旧版本留在空闲空间中的文字（只需一次）。",
                "The whole database file was rewritten once to clear text that earlier versions left in its free space (needed only once).",
            )
        );
    }
    if !compacted {
        eprintln!(
            "{}",
            lang.pick(
                "注意：另有终端正在使用数据库，旧内容会留在 -wal 文件中，直到所有终端都关闭数据库。",
                "Note: another terminal has the database open; old text stays in the -wal file until every terminal has closed the database.",
            )
        );
    }
}
