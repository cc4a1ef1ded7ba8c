//! Planning a departure day as a user action: `propose` shows what would happen, `apply` plans
//! again inside one write transaction and writes batches, trips, seats and the audit trail —
//! with `expect`, only if that is still the proposal reviewed (its fingerprint).

use super::{Ctx, OpError, OpResult};
use crate::model::area::short_county;
use crate::plan::{self, Plan};
use crate::store::{self, audit, now_text, plans};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

/// The plan for `date` (and one origin county), without writing anything. Workers who are not
/// eligible are listed with their reason.
pub fn propose(ctx: &Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    super::journal::ledger_only(ctx)?;
    let conn = &ctx.store.conn;
    let county = resolve_county(conn, county)?;
    // One read transaction: every query sees the same database, even while others write.
    let tx = conn.unchecked_transaction()?;
    let input = plans::input(&tx, date, county.as_deref(), true)?;
    drop(tx);
    Ok(plan::plan(&input, &ctx.policy))
}

/// Plans again inside one write transaction and writes the result. Workers already placed are
/// never moved; applying the same day twice adds nothing. Returns the plan as written, with the
/// row ids of the new batches and trips.
pub fn apply(ctx: &mut Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    apply_reviewed(ctx, date, county, None)
}

/// `apply`; with `expect` (the fingerprint of the proposal the officer reviewed), the plan computed
/// inside the transaction must have that fingerprint: otherwise nothing is written and the
/// answer is `Refused{code:"plan_changed"}`.
pub fn apply_reviewed(
    ctx: &mut Ctx,
    date: NaiveDate,
    county: Option<&str>,
    expect: Option<&str>,
) -> OpResult<Plan> {
    super::journal::ledger_only(ctx)?;
    let county = resolve_county(&ctx.store.conn, county)?;
    let operator = ctx.operator.clone();
    let policy = ctx.policy.clone();
    let lang = ctx.lang;
    let tx = ctx.store.write()?;
    let input = plans::input(&tx, date, county.as_deref(), true)?;
    let mut plan = plan::plan(&input, &policy);
    if let Some(expected) = expect.map(str::trim) {
        let now = plan.fingerprint();
        if !now.eq_ignore_ascii_case(expected) {
            return Err(OpError::refused(
                "plan_changed",
                super::departure::say!(
                    lang,
                    "{} 的编排方案已变（复核时指纹 {}，现在 {}）：未写入任何内容，请重新查看方案",
                    "the plan for {} has changed since it was reviewed (fingerprint {}, now {}): nothing was written; review the new proposal",
                    date,
                    expected,
                    now
                ),
            ));
        }
    }
    if plan.is_empty() {
        return Ok(plan);
    }
    let at = now_text();
    let action = "plan.apply";
    for batch in &mut plan.batches {
        let batch_id = match batch.batch_id {
            Some(id) => id,
            None => {
                let id = plans::insert_batch(
                    &tx,
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
                audit(
                    &tx,
                    &operator,
                    action,
                    "batch",
                    Some(id),
                    None,
                    Some(&after),
                )?;
                batch.batch_id = Some(id);
                id
            }
        };
        for bus in &mut batch.buses {
            let trip_id = match bus.trip_id {
                Some(id) => id,
                None => {
                    let id = plans::insert_trip(
                        &tx,
                        batch_id,
                        &bus.trip_code,
                        bus.bus_id,
                        date,
                        bus.rows,
                        bus.capacity,
                    )?;
                    let after = json!({"batch": batch_id, "bus": bus.bus_id, "code": bus.trip_code,
                        "capacity": bus.capacity, "status": "planned"});
                    audit(&tx, &operator, action, "trip", Some(id), None, Some(&after))?;
                    bus.trip_id = Some(id);
                    id
                }
            };
            let mut employers: Vec<i64> = bus.passengers.iter().map(|p| p.employer_id).collect();
            employers.sort_unstable();
            employers.dedup();
            for e in employers {
                // What this plan assumes about the employer, to flag a change made later.
                store::reshape::remember_employer(&tx, batch_id, e)?;
            }
            for p in &bus.passengers {
                plans::insert_passenger(&tx, trip_id, p.worker, p.seat, &at)?;
                let before = json!({"status": "registered"});
                let after = json!({"status": "planned", "trip": trip_id, "seat": p.seat});
                audit(
                    &tx,
                    &operator,
                    action,
                    "worker",
                    Some(p.worker),
                    Some(&before),
                    Some(&after),
                )?;
            }
        }
    }
    // Status changes in row-id order: the worker table is touched front to back, not at random
    // (three times faster on a 100,000-worker day).
    let mut workers: Vec<i64> = plan
        .buses()
        .flat_map(|(_, b)| b.passengers.iter().map(|p| p.worker))
        .collect();
    workers.sort_unstable();
    for w in workers {
        if !plans::mark_planned(&tx, w)? {
            return Err(OpError::Failed(format!(
                "worker {w} changed while the plan was written; nothing was written"
            )));
        }
    }
    let summary = json!({"date": date.to_string(), "county": county,
        "batches": plan.batches.len(), "new_buses": plan.new_buses(),
        "passengers": plan.placed(), "lower_bound": plan.lower_bound});
    audit(&tx, &operator, action, "day", None, None, Some(&summary))?;
    tx.commit().map_err(store::StoreError::from)?;
    Ok(plan)
}

/// Employers changed since a batch still under way was planned for them, and employers placed
/// beyond their expected count: the warnings of the Destinations and Batches screens (the plan
/// itself carries the same ones).
pub fn changes(ctx: &Ctx) -> OpResult<Vec<plan::Warning>> {
    let conn = &ctx.store.conn;
    let tx = conn.unchecked_transaction()?;
    let assumed = plans::assumptions(&tx)?;
    let expectations = plans::expectations(&tx, None)?;
    let names: std::collections::BTreeMap<i64, String> = crate::store::views::employer_names(&tx)?
        .into_iter()
        .collect();
    drop(tx);
    Ok(plan::changes(&assumed, &expectations, |id| {
        names.get(&id).cloned().unwrap_or_default()
    }))
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
