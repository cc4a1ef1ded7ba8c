//! `purge`: deleting personal data whose retention has run out (DESIGN §8), in one audited
//! transaction, then compacting the file. What is deleted and what stays: `store::purge`.

use super::{Ctx, OpResult};
use crate::store::{self, purge as q, StoreError};
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
    /// En-route notes emptied.
    pub notes: usize,
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
    let c = q::candidates(&ctx.store.conn, cutoff)?;
    Ok(PurgePreview {
        older_than_days: days,
        cutoff,
        workers: c.workers.len(),
        trips: c.trips.len(),
        buses: c.buses.len(),
    })
}

/// Blanks the personal data older than the retention in one transaction with one audit row
/// (counts only), then compacts the file so the text is gone from disk.
pub fn purge(ctx: &mut Ctx, older_than: Option<u32>) -> OpResult<PurgeReport> {
    super::journal::ledger_only(ctx)?;
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let days = days(ctx, older_than);
    let cutoff = cutoff(ctx.today, days);
    let operator = ctx.operator.clone();
    let tx = ctx.store.write()?;
    // Chosen inside the write transaction: nobody can board or arrive in between.
    let c = q::candidates(&tx, cutoff)?;
    let done = q::blank(&tx, &c)?;
    let after = serde_json::json!({
        "older_than_days": days,
        "cutoff": cutoff,
        "workers": done.workers,
        "trips": done.trips,
        "buses": done.buses,
        "notes": done.notes,
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
    tx.commit().map_err(StoreError::from)?;
    // The blanking is committed; compaction only tidies the file. If another terminal keeps it
    // from finishing, the report says so rather than turning a done purge into an error:
    // secure_delete already zeroed the old text in the new pages, and the last terminal to
    // close the database checkpoints them into the file.
    let compacted = q::compact(&ctx.store.conn).unwrap_or(false);
    let packs = super::pack::remove_old_packs(ctx, cutoff)?;
    Ok(PurgeReport {
        older_than_days: days,
        cutoff,
        workers: done.workers,
        trips: done.trips,
        buses: done.buses,
        notes: done.notes,
        compacted,
        packs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
