//! `purge`: deleting personal data whose retention has run out (DESIGN §8), in short audited
//! write transactions, then emptying the write-ahead log. What is deleted and what stays:
//! `store::purge`.

use super::progress::{Reporter, Stage};
use super::{Ctx, OpResult};
use crate::store::jobs::{self, JobKind};
use crate::store::{self, purge as q, StoreError, Tx};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// What a purge would delete, shown before asking for confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgePreview {
    pub older_than_days: u32,
    /// Trips that arrived before this day (and other means before it) are purged.
    pub cutoff: NaiveDate,
    pub workers: usize,
    pub trips: usize,
    pub buses: usize,
}

impl PurgePreview {
    pub fn is_empty(&self) -> bool {
        self.workers == 0 && self.trips == 0 && self.buses == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub older_than_days: u32,
    pub cutoff: NaiveDate,
    pub workers: usize,
    pub trips: usize,
    pub buses: usize,
    /// En-route notes, reasons for corrections and advance notices' recipients emptied.
    pub notes: usize,
    /// Write transactions the work took (each short, each audited).
    pub chunks: usize,
    /// The one whole-file VACUUM of a database written before secure_delete was on.
    pub scrubbed: bool,
    /// False when another terminal kept the write-ahead log from being emptied: the old text
    /// may stay in the `-wal` file until every terminal has closed the database.
    pub compacted: bool,
    /// The packs of the purged trips (`ops::pack::remove_old_packs`).
    pub packs: super::pack::PackRemoval,
}

/// `ctx.today` − days: anything that ended before this day is old enough.
pub fn cutoff(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The retention in days: the one asked for, else the policy's.
fn days(ctx: &Ctx, older_than: Option<u32>) -> u32 {
    older_than.unwrap_or(ctx.policy.retention_days)
}

pub fn preview(ctx: &Ctx, older_than: Option<u32>) -> OpResult<PurgePreview> {
    super::journal::ledger_only(ctx)?;
    let days = days(ctx, older_than);
    let cutoff = cutoff(ctx.today, days);
    let c = q::candidates(&ctx.store.db(), cutoff)?;
    Ok(PurgePreview {
        older_than_days: days,
        cutoff,
        workers: c.workers.len(),
        trips: c.trips.len(),
        buses: c.buses.len(),
    })
}

/// Records blanked per write transaction: each chunk holds the lock for a few milliseconds
/// (see BENCHMARKS.md), so other terminals keep working while a large purge runs.
pub const CHUNK: usize = 500;
const PAUSE_MIN: std::time::Duration = std::time::Duration::from_millis(5);
const PAUSE_MAX: std::time::Duration = std::time::Duration::from_millis(100);

/// Blanks the personal data older than the retention in short write transactions, each with
/// its own audit row (counts only), then empties the write-ahead log so no older copy of a
/// blanked page stays on disk. Safe to interrupt at any point: what was committed is blanked
/// and zeroed in place (secure_delete); running it again finishes the rest and empties the
/// log, even when nothing is left to blank.
pub fn purge(ctx: &mut Ctx, older_than: Option<u32>) -> OpResult<PurgeReport> {
    super::journal::ledger_only(ctx)?;
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let days = days(ctx, older_than);
    let cutoff = cutoff(ctx.today, days);
    let operator = ctx.operator.clone();
    // Chosen from a read, outside the lock; each chunk checks its own again inside its write
    // transaction, so nobody can board or arrive in between.
    let all = q::candidates(&ctx.store.db(), cutoff)?;
    let total = all.workers.len() + all.trips.len() + all.buses.len();
    let subject = cutoff.to_string();
    // A bar on a terminal, the status bar in the console; a job record names the purge to a
    // terminal that finds the database busy.
    let mut progress = Reporter::new(&subject, Stage::Purging, Some(total as u64), 1);
    let mut job = None;
    let mut done = q::Blanked::default();
    let mut chunks = 0;
    let mut records = 0;
    let parts = chunks_of(&all, CHUNK);
    let last = parts.len();
    for part in parts {
        let started = std::time::Instant::now();
        let tx = ctx.store.begin()?;
        let job_id = match job {
            Some(id) => id,
            None => *job.insert(jobs::start(
                &tx,
                JobKind::Purge,
                &subject,
                &operator,
                Some(total as i64),
            )?),
        };
        records += part.workers.len() + part.trips.len() + part.buses.len();
        jobs::advance(&tx, job_id, records as i64, None)?;
        if chunks + 1 == last {
            jobs::finish(&tx, job_id, true)?;
        }
        let c = recheck(&tx, cutoff, &part)?;
        let b = q::blank(&tx, &c)?;
        let after = serde_json::json!({
            "older_than_days": days,
            "cutoff": cutoff,
            "workers": b.workers,
            "trips": b.trips,
            "buses": b.buses,
            "notes": b.notes,
        });
        store::audit(
            &tx,
            &operator,
            "purge",
            "database",
            None,
            None,
            Some(&after),
        )?;
        tx.commit()?;
        done += b;
        chunks += 1;
        progress.set(records as u64);
        // Leave the lock free for a while: a terminal waiting to write polls every few to
        // 100 ms and would keep missing a lock taken again at once.
        std::thread::sleep((started.elapsed() * 2).clamp(PAUSE_MIN, PAUSE_MAX));
    }
    progress.finish();
    let (scrubbed, compacted) = tidy(ctx)?;
    let packs = super::pack::remove_old_packs(ctx, cutoff)?;
    Ok(PurgeReport {
        older_than_days: days,
        cutoff,
        workers: done.workers,
        trips: done.trips,
        buses: done.buses,
        notes: done.notes,
        chunks,
        scrubbed,
        compacted,
        packs,
    })
}

/// After blanking (or finding nothing left to blank, as after an interrupted purge): the one
/// VACUUM a database written before secure_delete needs, then the write-ahead log emptied.
/// Returns (scrubbed now, log emptied). A busy database is not an error: the blanking is
/// committed and zeroed in place; the last terminal to close the database empties the log.
pub fn tidy(ctx: &mut Ctx) -> OpResult<(bool, bool)> {
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let conn = &ctx.store.db();
    let mut scrubbed = false;
    if q::needs_scrub(conn)? && q::vacuum(conn).is_ok() {
        q::scrubbed(conn)?;
        scrubbed = true;
    }
    let compacted = q::truncate_wal(conn).unwrap_or(false);
    Ok((scrubbed, compacted))
}

/// The candidates in groups of at most `size` records, workers first, each group a range of
/// row ids per kind (so the recheck reads only that range).
fn chunks_of(c: &q::Candidates, size: usize) -> Vec<q::Candidates> {
    #[derive(Clone, Copy)]
    enum Kind {
        Worker,
        Trip,
        Bus,
        Notice,
    }
    let all: Vec<(Kind, i64)> = (c.workers.iter().map(|&id| (Kind::Worker, id)))
        .chain(c.trips.iter().map(|&id| (Kind::Trip, id)))
        .chain(c.buses.iter().map(|&id| (Kind::Bus, id)))
        .chain(c.notices.iter().map(|&id| (Kind::Notice, id)))
        .collect();
    all.chunks(size.max(1))
        .map(|group| {
            let mut part = q::Candidates::default();
            for &(kind, id) in group {
                match kind {
                    Kind::Worker => part.workers.push(id),
                    Kind::Trip => part.trips.push(id),
                    Kind::Bus => part.buses.push(id),
                    Kind::Notice => part.notices.push(id),
                }
            }
            part
        })
        .collect()
}

/// The records of `part` that are still old enough, read again inside the chunk's transaction.
fn recheck(tx: &Tx<'_>, cutoff: NaiveDate, part: &q::Candidates) -> OpResult<q::Candidates> {
    let range = |ids: &[i64]| match (ids.first(), ids.last()) {
        (Some(&a), Some(&b)) => Some((a, b)),
        _ => None,
    };
    let keep = |ids: &[i64], fresh: Vec<i64>| -> Vec<i64> {
        fresh
            .into_iter()
            .filter(|id| ids.binary_search(id).is_ok())
            .collect()
    };
    let mut out = q::Candidates::default();
    if let Some((lo, hi)) = range(&part.workers) {
        out.workers = keep(&part.workers, q::candidates_in(tx, cutoff, lo, hi)?.workers);
    }
    if let Some((lo, hi)) = range(&part.trips) {
        out.trips = keep(&part.trips, q::candidates_in(tx, cutoff, lo, hi)?.trips);
    }
    if let Some((lo, hi)) = range(&part.buses) {
        out.buses = keep(&part.buses, q::candidates_in(tx, cutoff, lo, hi)?.buses);
    }
    if let Some((lo, hi)) = range(&part.notices) {
        out.notices = keep(&part.notices, q::candidates_in(tx, cutoff, lo, hi)?.notices);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_record_once_in_order() {
        let c = q::Candidates {
            workers: (1..=7).collect(),
            trips: vec![3, 9],
            buses: vec![2],
            notices: vec![],
        };
        let parts = chunks_of(&c, 4);
        let sizes: Vec<usize> = parts
            .iter()
            .map(|p| p.workers.len() + p.trips.len() + p.buses.len())
            .collect();
        assert_eq!(sizes, [4, 4, 2]);
        assert_eq!(parts[1].workers, [5, 6, 7]);
        assert_eq!(parts[1].trips, [3]);
        assert_eq!(
            (parts[2].trips.clone(), parts[2].buses.clone()),
            (vec![9], vec![2])
        );
        assert!(chunks_of(&q::Candidates::default(), 4).is_empty());
    }

    #[test]
    fn cutoff_counts_back_whole_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day).unwrap();
        assert_eq!(
            cutoff(d(2, 21), 365),
            NaiveDate::from_ymd_opt(2020, 2, 22).unwrap()
        );
        assert_eq!(cutoff(d(2, 21), 0), d(2, 21));
        assert_eq!(cutoff(d(2, 21), u32::MAX), NaiveDate::MIN);
    }
}
