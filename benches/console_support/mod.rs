//! The city-scale database the console benchmarks share: the demo ledger at 1,000,000 workers
//! (5,000 employers, 10,000 buses) with the working day planned, built once and kept in
//! `target/bench/` (or `$ZHITONG_BENCH_DB`).

#![allow(dead_code)]

use chrono::NaiveDate;
use std::path::PathBuf;
use zhitong::i18n::Lang;
use zhitong::model::Policy;
use zhitong::ops::{self, Ctx};
use zhitong::store::Store;

pub const WORKERS: usize = 1_000_000;

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

pub fn bench_db() -> PathBuf {
    let path = std::env::var_os("ZHITONG_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench/console-1m.db")
        });
    if path.exists() {
        return path;
    }
    eprintln!("building {} (once: about a minute)…", path.display());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    ops::demo::prepare(&path).unwrap();
    let mut ctx = Ctx::new(
        Store::open(&path).unwrap(),
        "bench".into(),
        Policy::default(),
        Lang::Zh,
    );
    ctx.today = day();
    ops::demo::build(
        &mut ctx,
        &ops::demo::LedgerSpec::scaled(WORKERS, 2020, day()),
    )
    .unwrap();
    let plan = ops::plan::apply(&mut ctx, day(), None).unwrap();
    eprintln!(
        "planned {} passengers on {} buses",
        plan.placed(),
        plan.new_buses()
    );
    path
}
