//! Planning a departure day as a user action: `propose` shows what would happen, `apply` plans
//! and writes batches, trips, seats and the audit trail, one batch per short transaction.

use super::departure::say;
use super::progress::{Reporter, Stage};
use super::{Ctx, OpError, OpResult};
use crate::i18n::Lang;
use crate::model::area::short_county;
use crate::plan::{self, Plan, PlannedBatch, Warning};
use crate::store::jobs::{self, JobKind};
use crate::store::{self, audit, now_text, plans, wal};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;
use std::collections::HashSet;

/// The plan for `date` (and one origin county), without writing anything. Workers who are not
/// eligible are listed with their reason.
pub fn propose(ctx: &Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    let conn = &ctx.store.conn;
    let county = resolve_county(conn, county)?;
    // One read transaction: every query sees the same database, even while others write.
    let tx = conn.unchecked_transaction()?;
    let input = plans::input(&tx, date, county.as_deref(), true)?;
    drop(tx);
    Ok(plan::plan(&input, &ctx.policy))
}

/// Plans the day county by county on one snapshot, handing each origin county's plan to
/// `each` as soon as it is made, so that a whole city (a million workers) is never held at
/// once. Buses free to leave from any county go to the counties in name order, as in one
/// pass over the city. Returns the warnings that belong to no county: employer-sent buses
/// that no county used and buses of no capacity, each once.
pub fn propose_each(
    ctx: &Ctx,
    date: NaiveDate,
    county: Option<&str>,
    mut each: impl FnMut(Plan) -> OpResult<()>,
) -> OpResult<Vec<Warning>> {
    let conn = &ctx.store.conn;
    let county = resolve_county(conn, county)?;
    let tx = conn.unchecked_transaction()?;
    let counties = match county {
        Some(c) => vec![c],
        None => {
            let mut all = plans::counties(&tx)?;
            if plans::has_countyless(&tx)? {
                all.insert(0, String::new());
            }
            all
        }
    };
    let mut taken: HashSet<i64> = HashSet::new();
    let mut used_plates: HashSet<String> = HashSet::new();
    let mut idle: Vec<Warning> = Vec::new();
    let mut no_capacity: Vec<Warning> = Vec::new();
    for c in &counties {
        let mut input = plans::input(&tx, date, Some(c), true)?;
        input.buses.retain(|b| !taken.contains(&b.id));
        let mut plan = plan::plan(&input, &ctx.policy);
        drop(input);
        for (_, bus) in plan.buses() {
            taken.insert(bus.bus_id);
            used_plates.insert(bus.plate.clone());
        }
        plan.warnings.retain(|w| match w {
            Warning::SentBusIdle { .. } => {
                if !idle.contains(w) {
                    idle.push(w.clone());
                }
                false
            }
            Warning::NoCapacity { .. } => {
                if !no_capacity.contains(w) {
                    no_capacity.push(w.clone());
                }
                false
            }
            _ => true,
        });
        each(plan)?;
    }
    idle.retain(
        |w| !matches!(w, Warning::SentBusIdle { plate, .. } if used_plates.contains(plate)),
    );
    no_capacity.append(&mut idle);
    Ok(no_capacity)
}

/// Plans the day on one snapshot of the database, then writes the plan batch by batch, each
/// batch whole in a short transaction of its own, so that the bus door never waits long for
/// the office. Workers already placed are never moved; applying the same day twice adds
/// nothing. Should another terminal change the day meanwhile (a worker, seat or bus taken),
/// the batch it touches is not written and the error says how many were: applying again
/// places the rest. Returns the plan as written, with the row ids of new batches and trips.
pub fn apply(ctx: &mut Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    // Two terminals applying one day at once plan the same batches: whichever writes a batch
    // second finds it taken, plans again (placing only who is left) and goes on. What this
    // call wrote is kept from one try to the next.
    // Refused as a write even when there is nothing left to plan.
    if ctx.store.is_readonly() {
        return Err(store::StoreError::ReadOnly.into());
    }
    let mut written: Vec<PlannedBatch> = Vec::new();
    let mut tries = 0;
    loop {
        match apply_once(ctx, date, county, &mut written) {
            Ok(mut plan) => {
                written.append(&mut plan.batches);
                plan.batches = written;
                return Ok(plan);
            }
            Err(Applied::Collided(_)) if tries < 5 => tries += 1,
            Err(Applied::Collided(e) | Applied::Failed(e)) => return Err(e),
        }
    }
}

enum Applied {
    /// Another terminal took a worker, seat or bus of the plan: planning again helps.
    Collided(OpError),
    Failed(OpError),
}

impl From<OpError> for Applied {
    fn from(e: OpError) -> Self {
        Applied::Failed(e)
    }
}

impl From<store::StoreError> for Applied {
    fn from(e: store::StoreError) -> Self {
        Applied::Failed(e.into())
    }
}

/// Plans once and writes batch by batch; batches written go to `written`.
fn apply_once(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
    written: &mut Vec<PlannedBatch>,
) -> Result<Plan, Applied> {
    let mut plan = propose(ctx, date, county)?;
    let county = resolve_county(&ctx.store.conn, county)?;
    if plan.is_empty() {
        return Ok(plan);
    }
    let operator = ctx.operator.clone();
    let subject = match &county {
        Some(c) => format!("{date} {c}"),
        None => date.to_string(),
    };
    let total = plan.batches.len();
    let summary = json!({"date": date.to_string(), "county": county,
        "batches": plan.batches.len(), "new_buses": plan.new_buses(),
        "passengers": plan.placed(), "lower_bound": plan.lower_bound});
    let batches = std::mem::take(&mut plan.batches);
    // The log is copied into the file by a helper after each batch (see `store::wal`).
    let checkpointer = wal::Checkpointer::start(ctx.store.path())?;
    wal::set_autocheckpoint(&ctx.store.conn, 0)?;
    let written_now = write_batches(
        ctx,
        &operator,
        date,
        batches,
        &subject,
        total,
        &summary,
        &checkpointer,
        written,
    );
    drop(checkpointer);
    wal::set_autocheckpoint(&ctx.store.conn, wal::AUTOCHECKPOINT)?;
    written_now?;
    Ok(plan)
}

/// The batches of one plan, one short transaction each.
#[allow(clippy::too_many_arguments)]
fn write_batches(
    ctx: &mut Ctx,
    operator: &str,
    date: NaiveDate,
    batches: Vec<PlannedBatch>,
    subject: &str,
    total: usize,
    summary: &serde_json::Value,
    checkpointer: &wal::Checkpointer,
    written: &mut Vec<PlannedBatch>,
) -> Result<(), Applied> {
    let mut progress = Reporter::new(subject, Stage::Planning, Some(total as u64), 1);
    let mut job = None;
    for (i, mut batch) in batches.into_iter().enumerate() {
        let tx = ctx.store.write()?;
        let job_id = match job {
            Some(id) => id,
            None => {
                let id = jobs::start(&tx, JobKind::Plan, subject, operator, Some(total as i64))?;
                job = Some(id);
                id
            }
        };
        if let Err(e) = write_batch(&tx, operator, date, &mut batch) {
            drop(tx);
            return Err(match e {
                BatchError::Changed => {
                    Applied::Collided(changed_meanwhile(ctx.lang, &batch.code, written.len()))
                }
                BatchError::Other(e) => Applied::Failed(e),
            });
        }
        jobs::advance(&tx, job_id, i as i64 + 1, None)?;
        if i + 1 == total {
            audit(&tx, operator, ACTION, "day", None, None, Some(summary))?;
            jobs::finish(&tx, job_id, true)?;
        }
        tx.commit().map_err(store::StoreError::from)?;
        checkpointer.nudge();
        written.push(batch);
        progress.set(i as u64 + 1);
        if i + 1 < total {
            std::thread::sleep(GAP);
        }
    }
    progress.finish();
    Ok(())
}

const ACTION: &str = "plan.apply";
/// Pause between two batches: a terminal waiting for the lock takes it then.
const GAP: std::time::Duration = std::time::Duration::from_millis(2);

/// Why a batch was not written: the day changed under the plan (a rule of the database
/// refused a seat, a bus or a worker), or another error, told as it is.
enum BatchError {
    Changed,
    Other(OpError),
}

impl From<store::StoreError> for BatchError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Sql(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                BatchError::Changed
            }
            other => BatchError::Other(other.into()),
        }
    }
}

impl From<rusqlite::Error> for BatchError {
    fn from(e: rusqlite::Error) -> Self {
        store::StoreError::from(e).into()
    }
}

fn changed_meanwhile(lang: Lang, code: &str, written: usize) -> OpError {
    OpError::Failed(say!(
        lang,
        "批次 {} 未写入：其中的人员、座位或车辆在计划生成后已被另一终端改动。本次已写入 {} 个批次；再次 plan --apply 可安排其余人员",
        "batch {} was not written: another terminal kept changing its workers, seats or buses after the plan was made. {} batches were written; run plan --apply again to place the rest",
        code,
        written
    ))
}

/// One batch, whole: its row (if new), its trips, seats, worker status and audit rows.
fn write_batch(
    tx: &rusqlite::Transaction<'_>,
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
                let id =
                    plans::insert_trip(tx, batch_id, bus.bus_id, date, bus.rows, bus.capacity)?;
                let after = json!({"batch": batch_id, "bus": bus.bus_id,
                    "capacity": bus.capacity, "status": "planned"});
                audit(tx, operator, ACTION, "trip", Some(id), None, Some(&after))?;
                bus.trip_id = Some(id);
                id
            }
        };
        seats.extend(bus.passengers.iter().map(|p| (trip_id, p.worker, p.seat)));
    }
    // Seats, their audit rows and the status changes, many rows per statement.
    if !plans::place_passengers(tx, &seats, operator, &at)? {
        return Err(BatchError::Changed);
    }
    Ok(())
}

/// Records that full ID numbers of a plan were shown (`--reveal`), whether or not it was applied.
pub fn record_reveal(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
    shown: usize,
) -> OpResult<()> {
    let operator = ctx.operator.clone();
    let tx = ctx.store.write()?;
    let after = json!({"date": date.to_string(), "county": county, "id_numbers": shown});
    audit(&tx, &operator, "reveal", "plan", None, None, Some(&after))?;
    tx.commit().map_err(store::StoreError::from)?;
    Ok(())
}

/// Accepts a county as written in the ledger (`旬阳县`) or in its short form (`旬阳`).
pub fn resolve_county(conn: &Connection, county: Option<&str>) -> OpResult<Option<String>> {
    let Some(wanted) = county.map(str::trim) else {
        return Ok(None);
    };
    let known = plans::counties(conn)?;
    if let Some(k) = known.iter().find(|k| k.as_str() == wanted) {
        return Ok(Some(k.clone()));
    }
    let short: Vec<&String> = known
        .iter()
        .filter(|k| short_county(k) == short_county(wanted))
        .collect();
    match short.as_slice() {
        [one] => Ok(Some((*one).clone())),
        _ => Err(OpError::Usage(format!(
            "--county '{wanted}': no such county in the ledger or the fleet (known: {})",
            if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            }
        ))),
    }
}
