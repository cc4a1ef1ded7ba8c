//! `zhitong demo [--workers N] [--seed S] [--no-tui]`: builds the demo database (at `--db`, else
//! `demo.db` in the data directory), prints where it is and what is in it, then opens it.

use super::*;
use crate::ops::demo::{self, DemoSummary, LedgerSpec};

pub fn run(cli: &Cli, args: &DemoArgs) -> OpResult<Exit> {
    if cli.readonly {
        return Err(OpError::Usage(
            "demo builds a database: it cannot run with --readonly".into(),
        ));
    }
    // Not $ZHITONG_DB: that names the real ledger, which a demo must never touch.
    let path = match &cli.db {
        Some(db) if !cli.db_from_env => db.clone(),
        _ => data_dir().join("demo.db"),
    };
    demo::prepare(&path)?;
    let mut ctx = open_ctx_creating(cli, &path)?;
    let spec = LedgerSpec::scaled(args.workers, args.seed, ctx.today);
    let summary = demo::build(&mut ctx, &spec)?;
    print_summary(&path, &summary, ctx.lang);
    if args.no_tui {
        return Ok(Exit::Ok);
    }
    crate::console::run(ctx, None)
}

fn print_summary(path: &Path, s: &DemoSummary, lang: Lang) {
    let c = &s.counts;
    let (day, tomorrow) = (s.spec.today, s.spec.today + chrono::Days::new(1));
    println!("{}", path.display());
    match lang {
        Lang::Zh => {
            println!(
                "  演示台账：{} 名务工人员，{} 家企业，{} 辆车（种子 {}，工作日 {day}，用时 {:.1} 秒）",
                c.workers, c.employers, c.buses, s.spec.seed, s.elapsed.as_secs_f64()
            );
            println!(
                "  健康证明有效：{day} {} 人，{tomorrow} {} 人；当日可用车辆 {} 辆",
                s.certified_today, s.certified_tomorrow, s.buses_today
            );
            println!("  查看：zhitong --db {}", path.display());
        }
        Lang::En => {
            println!(
                "  demo ledger: {} workers, {} employers, {} buses (seed {}, working day {day}, {:.1} s)",
                c.workers, c.employers, c.buses, s.spec.seed, s.elapsed.as_secs_f64()
            );
            println!(
                "  certificates valid on {day}: {}, on {tomorrow}: {}; buses free on {day}: {}",
                s.certified_today, s.certified_tomorrow, s.buses_today
            );
            println!("  open it: zhitong --db {}", path.display());
        }
    }
}
