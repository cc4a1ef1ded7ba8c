//! `demo`: a deterministic, realistic ledger built from the reference data in `assets/` and fed
//! through the same import as real spreadsheets, plus the generators that benchmarks reuse.

mod assets;
mod firms;
mod fleet;
mod people;
mod rng;

pub use firms::write_employers_csv;
pub use fleet::write_fleet_csv;
pub use people::write_workers_csv;

use super::import::{import_reader, ImportOptions, ImportReport, Kind};
use super::{Ctx, OpError, OpResult};
use crate::store::{audit, ledger};
use chrono::{Days, NaiveDate};
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// What to generate. The same spec (seed and working day included) gives the same files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerSpec {
    pub workers: usize,
    pub employers: usize,
    /// The fleet of a city-scale demo (more than `fleet::DAY_FLEET_UP_TO` workers); a smaller
    /// demo gets the coaches its working day needs (see `fleet`).
    pub buses: usize,
    pub seed: u64,
    /// The working day certificates and bus availability are arranged around.
    pub today: NaiveDate,
}

impl LedgerSpec {
    /// Employers in proportion to the workers: ~40 for the default 2,000 workers, 5,000 at
    /// city scale (1,000,000 workers, with the 10,000 coaches of DESIGN §9).
    pub fn scaled(workers: usize, seed: u64, today: NaiveDate) -> LedgerSpec {
        LedgerSpec {
            workers,
            employers: (workers / 200).max(40.min(workers.div_ceil(5))),
            buses: (workers / 100).max(workers.div_ceil(20).min(100)),
            seed,
            today,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub spec: LedgerSpec,
    pub counts: ledger::LedgerTotals,
    /// Registered workers whose certificate allows travel today / tomorrow.
    pub certified_today: i64,
    pub certified_tomorrow: i64,
    /// Buses free today (dated today or any day).
    pub buses_today: i64,
    pub elapsed: Duration,
}

/// Makes way for a demo database at `path`: a file that a demo built is removed (with its WAL
/// files); any other existing file is refused, so a real ledger is never replaced.
pub fn prepare(path: &Path) -> OpResult<()> {
    if !path.exists() {
        return Ok(());
    }
    if !ledger::is_demo_file(path) {
        return Err(OpError::Failed(format!(
            "{}: exists and is not a demo database; choose another --db",
            path.display()
        )));
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(OpError::Failed(format!(
                    "{}: cannot replace the old demo: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(())
}

/// Fills the (fresh) database of `ctx`: employers, workers and fleet, each generated as CSV
/// and read by the import, so the demo obeys exactly the rules a real file does.
pub fn build(ctx: &mut Ctx, spec: &LedgerSpec) -> OpResult<DemoSummary> {
    let started = Instant::now();
    {
        let tx = ctx.store.begin()?;
        // Marked first: an interrupted build can still be replaced by the next `demo`.
        ledger::set_meta(&tx, "demo", &spec.today.to_string())?;
        ledger::set_meta(&tx, "demo_seed", &spec.seed.to_string())?;
        ledger::set_meta(&tx, "demo_workers", &spec.workers.to_string())?;
        let after = serde_json::json!({
            "seed": spec.seed, "workers": spec.workers, "day": spec.today.to_string()
        });
        audit(
            &tx,
            &ctx.operator,
            "demo",
            "database",
            None,
            None,
            Some(&after),
        )?;
        tx.commit()?;
    }
    feed(
        ctx,
        Kind::Employers,
        "demo-employers.csv",
        spec,
        write_employers_csv,
    )?;
    feed(
        ctx,
        Kind::Workers,
        "demo-workers.csv",
        spec,
        write_workers_csv,
    )?;
    feed(ctx, Kind::Fleet, "demo-fleet.csv", spec, write_fleet_csv)?;
    let conn = &ctx.store.db();
    let validity = ctx.policy.cert_validity_days;
    Ok(DemoSummary {
        spec: *spec,
        counts: ledger::counts(conn)?,
        certified_today: ledger::certified_on(conn, spec.today, validity)?,
        certified_tomorrow: ledger::certified_on(conn, spec.today + Days::new(1), validity)?,
        buses_today: ledger::buses_free_on(conn, spec.today)?,
        elapsed: started.elapsed(),
    })
}

/// Streams one generated file through a pipe into the import: at a million rows nothing is
/// held in memory and generation overlaps the parse.
fn feed(
    ctx: &mut Ctx,
    kind: Kind,
    name: &str,
    spec: &LedgerSpec,
    generate: fn(Box<dyn Write + Send>, &LedgerSpec) -> io::Result<()>,
) -> OpResult<ImportReport> {
    let (reader, writer) = io::pipe().map_err(|e| OpError::Failed(format!("{name}: {e}")))?;
    let opts = ImportOptions::default();
    let (report, generated) = std::thread::scope(|s| {
        let generator = s.spawn(move || generate(Box::new(writer), spec));
        let report = import_reader(ctx, kind, name, Box::new(reader), &opts);
        (report, generator.join())
    });
    let report = report?;
    match generated {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(OpError::Failed(format!("{name}: {e}"))),
        Err(_) => return Err(OpError::Failed(format!("{name}: the generator stopped"))),
    }
    if let Some(bad) = report.rejected.first() {
        return Err(OpError::Failed(format!(
            "{name}:{}: {}: {} (the demo data should be valid)",
            bad.line,
            bad.field,
            bad.reason_text(crate::i18n::Lang::En)
        )));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
    }

    fn text(f: fn(Box<dyn Write + Send>, &LedgerSpec) -> io::Result<()>, s: &LedgerSpec) -> String {
        let (mut r, w) = io::pipe().unwrap();
        let spec = *s;
        let t = std::thread::spawn(move || f(Box::new(w), &spec).unwrap());
        let mut out = String::new();
        io::Read::read_to_string(&mut r, &mut out).unwrap();
        t.join().unwrap();
        out
    }

    #[test]
    fn scale_rule() {
        let s = LedgerSpec::scaled(2000, 1, day());
        assert_eq!((s.employers, s.buses), (40, 100));
        let s = LedgerSpec::scaled(1_000_000, 1, day());
        assert_eq!((s.employers, s.buses), (5000, 10_000));
        let s = LedgerSpec::scaled(10, 1, day());
        assert_eq!((s.employers, s.buses), (2, 1));
    }

    #[test]
    fn same_seed_and_day_same_files_other_seed_other_files() {
        let a = LedgerSpec::scaled(300, 7, day());
        let w = text(write_workers_csv, &a);
        assert_eq!(w, text(write_workers_csv, &a));
        assert_eq!(w.lines().count(), 301);
        assert_ne!(w, text(write_workers_csv, &LedgerSpec { seed: 8, ..a }));
        assert_eq!(text(write_fleet_csv, &a), text(write_fleet_csv, &a));
        let e = text(write_employers_csv, &a);
        assert_eq!(e.lines().count(), a.employers + 1);
        assert!(e.contains("宁波甬腾电子有限公司,浙江省,宁波市"));
    }
}
