//! Writing a plan: batch by batch, each batch whole (its row, trips, seats, status changes and
//! audit rows) in a short transaction of its own, so that the bus door never waits long for the
//! office. Workers already placed are never moved; applying the same day twice adds nothing.
//!
//! Another terminal may write between two batches. Before a batch is written, under the lock,
//! `PRAGMA data_version` tells whether anyone else has committed since the proposal was made
//! (or since this apply's previous batch); if not, the ledger is exactly the one planned on,
//! plus this apply's own batches, and the batch goes in as planned. If someone has:
//!
//! - plain `apply`: the batch goes in only if what it assumed still holds (`holds`); if not,
//!   the day is planned again for whoever is left and writing goes on (five times at most).
//! - `apply_reviewed` with the fingerprint the officer reviewed: the proposal is made again
//!   on a snapshot and must have that fingerprint, else exit 4 `plan_changed` and nothing is
//!   written. Under the first batch's lock, what every batch of it assumed must still hold
//!   (read again, not planned again: planning a large county takes over a second, too long to
//!   hold the door), else `plan_changed` and nothing is written. For a later batch, what it
//!   assumed must still hold, else writing stops there with `plan_changed`: what was written is
//!   exactly the first batches of the proposal reviewed, the message says how many, the rest is
//!   not written. Nothing that was not reviewed is ever written; a worker who became eligible
//!   meanwhile is left for the next plan of the day.

use super::super::departure::say;
use super::holds::batch_holds;
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::Policy;
use crate::ops::progress::{Reporter, Stage};
use crate::ops::{Ctx, OpError, OpResult};
use crate::plan::{Plan, PlannedBatch};
use crate::store::jobs::{self, JobKind};
use crate::store::plans::{self, guard};
use crate::store::{audit, now_text, wal, StoreError, Tx};
use chrono::NaiveDate;
use serde_json::json;

/// Writes the plan of the day as it is now. Returns the plan as written, with the row ids of
/// new batches and trips.
pub fn apply(ctx: &mut Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    apply_reviewed(ctx, date, county, None)
}

/// `apply`; with `expect` (the fingerprint of the proposal the officer reviewed), writes that
/// proposal and nothing else: a ledger that no longer gives it is refused with
/// `Refused{code:"plan_changed"}` (see the module's notes for a change during the writing).
pub fn apply_reviewed(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
    expect: Option<&str>,
) -> OpResult<Plan> {
    crate::ops::journal::ledger_only(ctx)?;
    // Refused as a write even when there is nothing left to plan.
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let county = super::resolve_county(&ctx.store.db(), county)?;
    let county = county.as_deref();
    let Some(expected) = expect.map(str::trim) else {
        return apply_again_on_collision(ctx, date, county);
    };
    let (mut plan, version) = snapshot(ctx, date, county)?;
    let now = plan.fingerprint();
    if !now.eq_ignore_ascii_case(expected) {
        return Err(changed_before(ctx.lang, date, expected, &now));
    }
    let mut written = Vec::new();
    match write_plan(
        ctx,
        date,
        county,
        &mut plan,
        version,
        Some(expected),
        &mut written,
    ) {
        Ok(()) => {
            plan.batches = written;
            Ok(plan)
        }
        Err(Stop::Collided(e) | Stop::Failed(e)) => Err(e),
    }
}

/// Two terminals applying one day at once plan the same batches: whichever writes a batch
/// second finds it taken, plans again (placing only who is left) and goes on. What this call
/// wrote is kept from one try to the next.
fn apply_again_on_collision(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
) -> OpResult<Plan> {
    let mut written: Vec<PlannedBatch> = Vec::new();
    let mut tries = 0;
    loop {
        let (mut plan, version) = snapshot(ctx, date, county)?;
        match write_plan(ctx, date, county, &mut plan, version, None, &mut written) {
            Ok(()) => {
                plan.batches = written;
                return Ok(plan);
            }
            Err(Stop::Collided(_)) if tries < 5 => tries += 1,
            Err(Stop::Collided(e) | Stop::Failed(e)) => return Err(e),
        }
    }
}

/// The proposal and the ledger's version it was made on (read first: an unchanged version
/// later means nobody else has committed since).
fn snapshot(ctx: &Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<(Plan, i64)> {
    // Seconds for a whole city: said, so the console does not take it for a wait on the lock.
    let subject = match county {
        Some(c) => format!("{date} {c}"),
        None => date.to_string(),
    };
    let _checking = Reporter::new(&subject, Stage::Proposing, None, 1);
    let version = guard::data_version(&ctx.store.db())?;
    let plan = super::propose_resolved(ctx, date, county)?;
    Ok((plan, version))
}

enum Stop {
    /// Another terminal took a worker, seat or bus of the plan: planning again helps.
    Collided(OpError),
    Failed(OpError),
}

impl From<OpError> for Stop {
    fn from(e: OpError) -> Self {
        Stop::Failed(e)
    }
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Self {
        Stop::Failed(e.into())
    }
}

/// Writes the batches of `plan` (taken out of it) one transaction each, pushing each written
/// batch to `written`, with a progress bar, a job record and the log copied by a helper.
#[allow(clippy::too_many_arguments)]
fn write_plan(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
    plan: &mut Plan,
    version: i64,
    expect: Option<&str>,
    written: &mut Vec<PlannedBatch>,
) -> Result<(), Stop> {
    if plan.is_empty() {
        plan.batches.clear();
        return Ok(());
    }
    let summary = json!({"date": date.to_string(), "county": county,
        "batches": plan.batches.len(), "new_buses": plan.new_buses(),
        "passengers": plan.placed(), "lower_bound": plan.lower_bound});
    let run = Run {
        operator: ctx.operator.clone(),
        policy: ctx.policy.clone(),
        lang: ctx.lang,
        date,
        subject: match county {
            Some(c) => format!("{date} {c}"),
            None => date.to_string(),
        },
        expect,
    };
    let batches = std::mem::take(&mut plan.batches);
    // The log is copied into the file by a helper after each batch (see `store::wal`).
    let checkpointer = wal::Checkpointer::start(ctx.store.path())?;
    wal::set_autocheckpoint(&ctx.store.db(), 0)?;
    let mut job = None;
    let result = run.batches(
        ctx,
        batches,
        version,
        &summary,
        &checkpointer,
        &mut job,
        written,
    );
    drop(checkpointer);
    wal::set_autocheckpoint(&ctx.store.db(), wal::AUTOCHECKPOINT)?;
    if let (Err(_), Some(id)) = (&result, job) {
        // Said at once, not only when this process ends: a console lives on.
        if let Ok(tx) = ctx.store.begin() {
            if jobs::finish(&tx, id, false).is_ok() {
                let _ = tx.commit();
            }
        }
    }
    result
}

/// What stays the same for every batch of one apply.
struct Run<'a> {
    operator: String,
    policy: Policy,
    lang: Lang,
    date: NaiveDate,
    subject: String,
    expect: Option<&'a str>,
}

impl Run<'_> {
    #[allow(clippy::too_many_arguments)]
    fn batches(
        &self,
        ctx: &mut Ctx,
        batches: Vec<PlannedBatch>,
        mut version: i64,
        summary: &serde_json::Value,
        checkpointer: &wal::Checkpointer,
        job: &mut Option<i64>,
        written: &mut Vec<PlannedBatch>,
    ) -> Result<(), Stop> {
        let total = batches.len();
        let mut progress = Reporter::new(&self.subject, Stage::Planning, Some(total as u64), 1);
        let mut pending: std::collections::VecDeque<PlannedBatch> = batches.into();
        let mut i = 0;
        while let Some(mut batch) = pending.pop_front() {
            #[cfg(test)]
            BEFORE_BATCH.with(|h| {
                if let Some(act) = h.borrow_mut().as_mut() {
                    act(i)
                }
            });
            let tx = ctx.store.begin()?;
            let now = guard::data_version(&tx)?;
            if now != version {
                // Someone else has committed since the proposal was made (or since this
                // apply's previous batch).
                if !self.still_holds(&tx, &batch, &pending, i)? {
                    drop(tx);
                    return Err(self.changed(&batch.code, i, total, written.len()));
                }
                version = now;
            }
            let job_id = match *job {
                Some(id) => id,
                None => {
                    let id = jobs::start(
                        &tx,
                        JobKind::Plan,
                        &self.subject,
                        &self.operator,
                        Some(total as i64),
                    )?;
                    *job = Some(id);
                    id
                }
            };
            if let Err(e) = write_batch(&tx, &self.operator, self.date, &mut batch) {
                drop(tx);
                return Err(match e {
                    BatchError::Changed => self.changed(&batch.code, i, total, written.len()),
                    BatchError::Other(e) => Stop::Failed(e),
                });
            }
            jobs::advance(&tx, job_id, i as i64 + 1, None)?;
            if i + 1 == total {
                audit(
                    &tx,
                    &self.operator,
                    ACTION,
                    "day",
                    None,
                    None,
                    Some(summary),
                )?;
                jobs::finish(&tx, job_id, true)?;
            }
            tx.commit()?;
            checkpointer.nudge();
            written.push(batch);
            progress.set(i as u64 + 1);
            if i + 1 < total {
                std::thread::sleep(GAP);
            }
            i += 1;
        }
        progress.finish();
        Ok(())
    }

    /// Under the lock, after another terminal wrote: whether the batch may still be written —
    /// with a reviewed proposal and nothing written yet, whether every batch of it may.
    fn still_holds(
        &self,
        tx: &Tx<'_>,
        batch: &PlannedBatch,
        rest: &std::collections::VecDeque<PlannedBatch>,
        i: usize,
    ) -> OpResult<bool> {
        if !batch_holds(tx, batch, self.date, &self.policy)? {
            return Ok(false);
        }
        if self.expect.is_some() && i == 0 {
            // Read again rather than planned again: planning a large county under the lock
            // held the door for over a second (BENCHMARKS.md, the door under load).
            for b in rest {
                if !batch_holds(tx, b, self.date, &self.policy)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The day changed under batch `i` (of `total`) of the plan being written.
    fn changed(&self, code: &str, i: usize, total: usize, written: usize) -> Stop {
        match self.expect {
            Some(expected) if i == 0 => Stop::Failed(OpError::refused(
                Code::PlanChanged,
                say!(
                    self.lang,
                    "{} 的编排方案已变（复核时指纹 {}）：另一终端刚刚改动了其中的人员、车辆或座位，未写入任何内容，请重新查看方案",
                    "the plan for {} has changed since it was reviewed (fingerprint {}): another terminal just changed workers, buses or seats of it; nothing was written; review the new proposal",
                    self.date,
                    expected
                ),
            )),
            Some(_) => Stop::Failed(OpError::refused(
                Code::PlanChanged,
                say!(
                    self.lang,
                    "{} 的编排方案在写入期间被另一终端改动：已按复核的方案写入前 {} 个批次（共 {} 个），批次 {} 及以后未写入；请重新查看方案",
                    "the plan for {} was changed by another terminal while it was being written: the first {} of its {} batches were written as reviewed, batch {} and the rest were not; review the new proposal",
                    self.date,
                    i,
                    total,
                    code
                ),
            )),
            None => Stop::Collided(OpError::Failed(say!(
                self.lang,
                "批次 {} 未写入：其中的人员、座位或车辆在计划生成后已被另一终端改动。本次已写入 {} 个批次；再次 plan --apply 可安排其余人员",
                "batch {} was not written: another terminal kept changing its workers, seats or buses after the plan was made. {} batches were written; run plan --apply again to place the rest",
                code,
                written
            ))),
        }
    }
}

/// The proposal reviewed is not what the ledger gives now: nothing written.
fn changed_before(lang: Lang, date: NaiveDate, expected: &str, now: &str) -> OpError {
    OpError::refused(
        Code::PlanChanged,
        say!(
            lang,
            "{} 的编排方案已变（复核时指纹 {}，现在 {}）：未写入任何内容，请重新查看方案",
            "the plan for {} has changed since it was reviewed (fingerprint {}, now {}): nothing was written; review the new proposal",
            date,
            expected,
            now
        ),
    )
}

/// Tests: another terminal's act, run before batch `i` takes the lock.
#[cfg(test)]
type BeforeBatch = Option<Box<dyn FnMut(usize)>>;

#[cfg(test)]
thread_local! {
    pub(super) static BEFORE_BATCH: std::cell::RefCell<BeforeBatch> =
        const { std::cell::RefCell::new(None) };
}

const ACTION: &str = "plan.apply";
/// Pause between two batches: a terminal waiting for the lock takes it then.
const GAP: std::time::Duration = std::time::Duration::from_millis(2);

/// Why a batch was not written: the day changed under the plan (a rule of the database
/// refused a seat, a bus, a code or a worker), or another error, told as it is.
enum BatchError {
    Changed,
    Other(OpError),
}

impl From<StoreError> for BatchError {
    fn from(e: StoreError) -> Self {
        if e.is_constraint() {
            BatchError::Changed
        } else {
            BatchError::Other(e.into())
        }
    }
}

/// One batch, whole: its row (if new), its trips, seats, worker status and audit rows.
fn write_batch(
    tx: &Tx<'_>,
    operator: &str,
    date: NaiveDate,
    batch: &mut PlannedBatch,
) -> Result<(), BatchError> {
    let at = now_text();
    let batch_id = match batch.batch_id {
        Some(id) => id,
        None => {
            let id = plans::insert_batch(
                tx,
                &batch.code,
                date,
                &batch.county,
                &batch.province,
                &batch.city,
                &batch.departure,
                &batch.gathering_point,
            )?;
            let after = json!({"code": batch.code, "date": date.to_string(),
                "county": batch.county, "city": batch.city, "departure": batch.departure});
            audit(tx, operator, ACTION, "batch", Some(id), None, Some(&after))?;
            batch.batch_id = Some(id);
            id
        }
    };
    let mut seats: Vec<plans::NewSeat> = Vec::new();
    for bus in &mut batch.buses {
        let trip_id = match bus.trip_id {
            Some(id) => id,
            None => {
                let id = plans::insert_trip(
                    tx,
                    batch_id,
                    &bus.trip_code,
                    bus.bus_id,
                    date,
                    bus.rows,
                    bus.capacity,
                )?;
                let after = json!({"batch": batch_id, "bus": bus.bus_id, "code": bus.trip_code,
                    "capacity": bus.capacity, "status": "planned"});
                audit(tx, operator, ACTION, "trip", Some(id), None, Some(&after))?;
                bus.trip_id = Some(id);
                id
            }
        };
        seats.extend(bus.passengers.iter().map(|p| (trip_id, p.worker, p.seat)));
        let mut employers: Vec<i64> = bus.passengers.iter().map(|p| p.employer_id).collect();
        employers.sort_unstable();
        employers.dedup();
        for e in employers {
            // What this plan assumes about the employer, to flag a change made later.
            crate::store::reshape::remember_employer(tx, batch_id, e)?;
        }
    }
    // Seats, their audit rows and the status changes, many rows per statement.
    if !plans::place_passengers(tx, &seats, operator, &at)? {
        return Err(BatchError::Changed);
    }
    Ok(())
}
