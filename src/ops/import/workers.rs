//! The worker import in two phases, so that the bus door never waits long for the office:
//!
//! 1. **Read** the whole file without the write lock: every row parsed and checked, new ID
//!    numbers told from known ones by a map of the ledger's, known workers compared with their
//!    stored record. `--strict` stops here when a row was rejected: nothing written.
//! 2. **Write** in short transactions (about `STEP` of work each, then the lock is let go for a
//!    moment): new workers, then changed ones. Each step records the job's progress with its
//!    rows, so after a crash every written row is whole and the next run of the same file
//!    finds them in the ledger and writes only the rest.
//!
//! A large load is written in ID-number order: the unique index then grows at its end instead
//! of at random pages, and each step dirties (and commits) a few pages instead of most of the
//! index. New workers' row ids then follow ID-number order; a small load keeps file order.

use super::merge::{merge_worker, Merge};
use super::pipeline::pipeline;
use super::{audit_update, employer_name, ImportOptions, ImportReport, Resumed};
use crate::io::workers::WorkerRows;
use crate::io::{CsvFile, Reason, Rejection};
use crate::ops::departure::say;
use crate::ops::progress::{Reporter, Stage};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::jobs::{self, JobKind};
use crate::store::ledger::{self, StoredWorker, Worker, WorkerRef, WorkerWriter};
use crate::store::{audit, now_text, wal, Tx};
use chrono::NaiveDate;
use serde_json::json;
use std::time::{Duration, Instant};

/// Work per write transaction: the lock is held about this long plus the commit.
const STEP: Duration = Duration::from_millis(50);
/// Pause after each commit, long enough for a waiting terminal (polling every 1–2 ms) to
/// take the lock.
const GAP: Duration = Duration::from_millis(2);
/// New workers beyond which the load is written in ID-number order.
const SORT_AFTER: usize = 20_000;

/// Workers read from the file: texts in one buffer, the rest beside; `keys` holds the
/// ID-number key of a new worker, the row id of a known one.
#[derive(Default)]
struct NewRows {
    text: String,
    ends: Vec<u32>,
    rest: Vec<(Option<i64>, Option<NaiveDate>, Option<NaiveDate>)>,
    lines: Vec<u64>,
    keys: Vec<u64>,
}

impl NewRows {
    fn push(&mut self, line: u64, key: u64, w: &WorkerRef<'_>) {
        for s in [
            w.id_number,
            w.name,
            w.phone,
            w.county,
            w.township,
            w.village,
            w.cert_issuer,
        ] {
            self.text.push_str(s);
            self.ends.push(self.text.len() as u32);
        }
        self.rest
            .push((w.employer_id, w.cert_issued, w.cert_valid_until));
        self.lines.push(line);
        self.keys.push(key);
    }

    fn get(&self, i: usize) -> WorkerRef<'_> {
        let part = |k: usize| {
            let j = i * 7 + k;
            let start = if j == 0 { 0 } else { self.ends[j - 1] as usize };
            self.text.get(start..self.ends[j] as usize).unwrap_or("")
        };
        let (employer_id, cert_issued, cert_valid_until) = self.rest[i];
        WorkerRef {
            id_number: part(0),
            name: part(1),
            phone: part(2),
            county: part(3),
            township: part(4),
            village: part(5),
            cert_issuer: part(6),
            employer_id,
            cert_issued,
            cert_valid_until,
        }
    }

    fn len(&self) -> usize {
        self.lines.len()
    }
}

/// A known worker whose row differs from the stored record: the row as read (merged again
/// under the lock, since another terminal may have changed the worker meanwhile).
struct Change {
    id: i64,
    line: u64,
    row: Worker,
}

/// What the read phase found.
#[derive(Default)]
struct Held {
    new: NewRows,
    changes: Vec<Change>,
    unchanged: u64,
}

pub(super) fn import(
    ctx: &mut Ctx,
    file: CsvFile,
    opts: &ImportOptions,
    report: &mut ImportReport,
    present: &[bool],
) -> OpResult<()> {
    let (employers, held) = read(ctx, file, opts, report, present)?;
    if opts.strict && !report.rejected.is_empty() {
        return Ok(());
    }
    report.unchanged = held.unchanged;
    write(ctx, held, &employers, opts, report, present)?;
    report.rejected.sort_by_key(|r| r.line);
    report.committed = true;
    Ok(())
}

/// Phase 1: the whole file read and checked against one snapshot of the ledger, no lock held.
fn read(
    ctx: &mut Ctx,
    file: CsvFile,
    opts: &ImportOptions,
    report: &mut ImportReport,
    present: &[bool],
) -> OpResult<(ledger::FastMap<String, i64>, Held)> {
    // One read transaction: employers, ID numbers and stored workers all of one moment.
    let snapshot = ctx.store.snapshot()?;
    let employers = ledger::employer_ids(&snapshot)?;
    let known = ledger::worker_keys(&snapshot)?;
    let mut finder = WorkerWriter::new(&snapshot)?;
    let mut rows = WorkerRows::new(&employers);
    let mut held = Held::default();
    // Rows of known workers, compared with their records after the file is read, in row-id
    // order: a large import numbers workers in ID-number order, and looking them up in file
    // order would read the ledger's pages at random (a re-run reads a million of them).
    let mut known_rows = NewRows::default();
    let mut progress = Reporter::new(&report.file, Stage::Reading, None, 25_000);
    let mut seen = 0u64;
    report.read = pipeline(
        file,
        |row| rows.parse(row),
        &mut report.rejected,
        ctx.lang,
        |line, parsed| {
            seen += 1;
            progress.set(seen);
            let w = parsed.worker();
            let key = ledger::id_key(w.id_number).unwrap_or_default();
            match known.get(&key) {
                // The reader already refuses a second row of one number.
                None => held.new.push(line, key, &w),
                Some(&id) => known_rows.push(line, id as u64, &w),
            }
            Ok(None)
        },
    )?;
    progress.finish();
    let mut order: Vec<u32> = (0..known_rows.len() as u32).collect();
    order.sort_unstable_by_key(|&i| known_rows.keys[i as usize]);
    for i in order {
        let i = i as usize;
        let (line, id, w) = (
            known_rows.lines[i],
            known_rows.keys[i] as i64,
            known_rows.get(i),
        );
        let stored = finder.find(id)?.ok_or_else(|| vanished(line))?;
        match merge_worker(&stored, &w, present, opts.allow_rename) {
            Merge::Same => held.unchanged += 1,
            Merge::Refused(field, reason) => {
                report
                    .rejected
                    .push(refusal(&employers, line, field, &w, reason));
            }
            Merge::Changed(..) => held.changes.push(Change {
                id,
                line,
                row: w.to_owned(),
            }),
        }
    }
    report.rejected.sort_by_key(|r| r.line);
    drop(finder);
    drop(snapshot);
    Ok((employers, held))
}

fn vanished(line: u64) -> OpError {
    OpError::Failed(format!("line {line}: worker vanished during the import"))
}

fn refusal(
    employers: &ledger::FastMap<String, i64>,
    line: u64,
    field: &'static str,
    w: &WorkerRef<'_>,
    reason: Reason,
) -> Rejection {
    let value = match field {
        "employer" => employer_name(employers, w.employer_id),
        "name" => w.name.to_string(),
        _ => w.county.to_string(),
    };
    Rejection::new(line, field, value, reason)
}

/// Counts and row ids of the write phase.
#[derive(Default)]
struct Written {
    new: u64,
    updated: u64,
    /// Rows that turned out unchanged (or known) when merged again under the lock.
    unchanged: u64,
    new_ids: Vec<[i64; 2]>,
    late: Vec<Rejection>,
}

impl Written {
    fn ids(&mut self, first: i64, last: i64) {
        match self.new_ids.last_mut() {
            Some(r) if r[1] + 1 == first => r[1] = last,
            _ => self.new_ids.push([first, last]),
        }
    }
}

/// Phase 2: short write transactions until every held row is written.
fn write(
    ctx: &mut Ctx,
    held: Held,
    employers: &ledger::FastMap<String, i64>,
    opts: &ImportOptions,
    report: &mut ImportReport,
    present: &[bool],
) -> OpResult<()> {
    let operator = ctx.operator.clone();
    let order = write_order(&held.new);
    let total = (held.new.len() + held.changes.len()) as u64;
    let mut progress = Reporter::new(&report.file, Stage::Writing, Some(total), 10_000);
    // The load checked every employer itself; foreign keys are switched back on at the end.
    ledger::bulk_load_mode(&ctx.store.db(), true)?;
    let cache = ledger::widen_cache(&ctx.store.db(), 64 * 1024)?;
    // The log is copied into the file by a helper after each step, not by this thread (nor
    // by a door check that happens to commit next).
    let checkpointer = wal::Checkpointer::start(ctx.store.path())?;
    wal::set_autocheckpoint(&ctx.store.db(), 0)?;
    let result = (|| -> OpResult<Written> {
        let mut out = Written::default();
        let (mut next_new, mut next_change, mut job) = (0usize, 0usize, None);
        let mut started_job = false;
        loop {
            let tx = ctx.store.begin()?;
            if !started_job {
                started_job = true;
                report.resumed =
                    jobs::take_interrupted(&tx, JobKind::Import, &report.file)?.map(|j| Resumed {
                        started_at: j.started_at,
                        done: j.done,
                        total: j.total,
                    });
                // An import that changes nothing is no job to wait for.
                if total > 0 {
                    job = Some(jobs::start(
                        &tx,
                        JobKind::Import,
                        &report.file,
                        &operator,
                        Some(total as i64),
                    )?);
                }
            }
            let started = Instant::now();
            let mut w = WorkerWriter::new(&tx)?;
            let step = Step {
                tx: &tx,
                operator: &operator,
                file: &report.file,
                present,
                allow_rename: opts.allow_rename,
                employers,
            };
            while next_new < order.len() && started.elapsed() < STEP {
                let end = (next_new + ledger::INSERT_BATCH).min(order.len());
                let batch: Vec<usize> = order[next_new..end].iter().map(|&i| i as usize).collect();
                step.insert(&mut w, &held.new, &batch, &mut out)?;
                next_new = end;
            }
            while next_new == order.len()
                && next_change < held.changes.len()
                && started.elapsed() < STEP
            {
                step.change(&mut w, &held.changes[next_change], &mut out)?;
                next_change += 1;
            }
            drop(w);
            let done = (next_new + next_change) as u64;
            if let Some(id) = job {
                jobs::advance(&tx, id, done as i64, None)?;
            }
            let last = done == total;
            if last {
                summary(&tx, &operator, report, &out)?;
                if let Some(id) = job {
                    jobs::finish(&tx, id, true)?;
                }
            }
            tx.commit()?;
            checkpointer.nudge();
            progress.set(done);
            if last {
                break;
            }
            std::thread::sleep(GAP);
        }
        Ok(out)
    })();
    drop(checkpointer);
    let conn = &ctx.store.db();
    let _ = wal::set_autocheckpoint(conn, wal::AUTOCHECKPOINT);
    let restored = ledger::restore_cache(conn, cache).and(ledger::bulk_load_mode(conn, false));
    let out = result?;
    restored?;
    progress.finish();
    report.new = out.new;
    report.updated = out.updated;
    report.unchanged += out.unchanged;
    report.rejected.extend(out.late);
    Ok(())
}

/// Rows per block of a large load (about one write step's worth).
const BLOCK_ROWS: usize = 16_384;

/// The order new workers are written in. A small load keeps file order. A large one is cut
/// into blocks by ID-number range × employer group and written block after block, each in
/// ID-number order: a step then touches a few pages of the ID-number index (one range) and
/// of the employer index (one group of employers), where ID-number order alone would touch
/// the whole employer index at every commit — and every page touched is written again to the
/// log at each commit. With N blocks, √(2.25·N) ID ranges (that index is about 2.25 times the
/// other) balance the two.
fn write_order(rows: &NewRows) -> Vec<u32> {
    let n = rows.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    if n <= SORT_AFTER {
        return order;
    }
    order.sort_unstable_by_key(|&i| rows.keys[i as usize]);
    let blocks = (n / BLOCK_ROWS).max(1);
    let ranges = ((blocks as f64 * 2.25).sqrt().round() as usize).clamp(1, blocks);
    let groups = (blocks / ranges).max(1);
    // Employer groups of about equal rows, in employer order.
    let mut per_employer: std::collections::BTreeMap<Option<i64>, usize> = Default::default();
    for r in &rows.rest {
        *per_employer.entry(r.0).or_default() += 1;
    }
    let mut group_of: ledger::FastMap<Option<i64>, u32> = Default::default();
    let mut before = 0;
    for (e, count) in per_employer {
        group_of.insert(e, (before * groups / n) as u32);
        before += count;
    }
    let mut keyed: Vec<(u32, u32, u32)> = order
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let range = (pos * ranges / n) as u32;
            let group = group_of.get(&rows.rest[i as usize].0).copied().unwrap_or(0);
            (range, group, i)
        })
        .collect();
    // Stable: ID-number order within each block.
    keyed.sort_by_key(|&(range, group, _)| (range, group));
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// What one write transaction needs besides the rows.
struct Step<'a> {
    tx: &'a Tx<'a>,
    operator: &'a str,
    file: &'a str,
    present: &'a [bool],
    allow_rename: bool,
    employers: &'a ledger::FastMap<String, i64>,
}

impl Step<'_> {
    /// New workers `batch` (indexes into `rows`); one whose number another terminal registered
    /// since the file was read is merged with that record instead.
    fn insert(
        &self,
        w: &mut WorkerWriter<'_>,
        rows: &NewRows,
        batch: &[usize],
        out: &mut Written,
    ) -> OpResult<()> {
        let refs: Vec<WorkerRef<'_>> = batch.iter().map(|&i| rows.get(i)).collect();
        let done = w.insert_new(self.tx, &refs)?;
        for (first, last) in done.ranges {
            out.ids(first, last);
        }
        out.new += (refs.len() - done.conflicts.len()) as u64;
        for c in done.conflicts {
            let line = rows.lines[batch[c]];
            let stored = w
                .find_by_id_number(refs[c].id_number)?
                .ok_or_else(|| vanished(line))?;
            self.merge(w, &stored, line, &refs[c], out)?;
        }
        Ok(())
    }

    /// A known worker's changed row, merged again with the record as it is now.
    fn change(&self, w: &mut WorkerWriter<'_>, c: &Change, out: &mut Written) -> OpResult<()> {
        let stored = w.find(c.id)?.ok_or_else(|| vanished(c.line))?;
        self.merge(w, &stored, c.line, &c.row.as_ref(), out)
    }

    fn merge(
        &self,
        w: &mut WorkerWriter<'_>,
        stored: &StoredWorker,
        line: u64,
        row: &WorkerRef<'_>,
        out: &mut Written,
    ) -> OpResult<()> {
        match merge_worker(stored, row, self.present, self.allow_rename) {
            Merge::Same => out.unchanged += 1,
            Merge::Refused(field, reason) => {
                out.late
                    .push(refusal(self.employers, line, field, row, reason));
            }
            Merge::Changed(merged, fields) => {
                w.update(stored.id, &merged.as_ref())?;
                if fields.contains(&"name") {
                    let source = format!("{}:{line}", self.file);
                    ledger::record_rename(
                        self.tx,
                        stored.id,
                        &stored.worker.name,
                        &merged.name,
                        self.operator,
                        &source,
                    )?;
                }
                audit_update(self.tx, self.operator, "worker", stored.id, &fields)?;
                out.updated += 1;
            }
        }
        Ok(())
    }
}

/// The import's own audit row, in the transaction of its last rows.
fn summary(tx: &Tx<'_>, operator: &str, report: &ImportReport, out: &Written) -> OpResult<()> {
    let after = json!({
        "file": report.file,
        "encoding": report.encoding,
        "read": report.read,
        "new": out.new,
        "updated": out.updated,
        "unchanged": report.unchanged + out.unchanged,
        "rejected": report.rejected.len() + out.late.len(),
        "new_ids": out.new_ids,
        "resumed": report.resumed.as_ref().map(|r| r.started_at.clone()),
        "finished_at": now_text(),
    });
    audit(tx, operator, "import", "workers", None, None, Some(&after))?;
    Ok(())
}

/// The line a resumed import prints: what the interrupted run had written.
pub(super) fn resumed_text(r: &Resumed, lang: crate::i18n::Lang) -> String {
    let time = r.started_at.replace('T', " ");
    let total = r.total.unwrap_or(r.done);
    say!(
        lang,
        "继续 {} 开始后中断的导入（当时已写入 {}/{} 行）",
        "continues the import started {} and interrupted ({} of {} rows were written then)",
        time,
        r.done,
        total
    )
}
