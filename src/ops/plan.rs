//! Planning a departure day as a user action: `propose` shows what would happen (at once, or
//! county by county for a whole city), `apply` writes it batch by batch, each batch whole in a
//! short transaction — with `expect`, only the proposal reviewed (its fingerprint).

#[cfg(test)]
mod apply_tests;
mod holds;
mod write;

pub use write::{apply, apply_reviewed};

use super::{Ctx, OpError, OpResult};
use crate::model::area::short_county;
use crate::plan::{self, ExistingBatch, Fingerprint, Plan, Warning};
use crate::store::{audit, plans, Db};
use chrono::NaiveDate;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

/// The plan for `date` (and one origin county), without writing anything. Workers who are not
/// eligible are listed with their reason.
pub fn propose(ctx: &Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    super::journal::ledger_only(ctx)?;
    let county = resolve_county(&ctx.store.db(), county)?;
    propose_resolved(ctx, date, county.as_deref())
}

/// `propose` for a county already resolved to its name in the ledger.
fn propose_resolved(ctx: &Ctx, date: NaiveDate, county: Option<&str>) -> OpResult<Plan> {
    // One read transaction: every query sees the same database, even while others write.
    let tx = ctx.store.snapshot()?;
    let input = plans::input(&tx, date, county, true)?;
    drop(tx);
    Ok(plan::plan(&input, &ctx.policy))
}

/// How a proposal made county by county ends: what only the whole of it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalEnd {
    /// The proposal's fingerprint, the same as `Plan::fingerprint` of the one-pass proposal.
    pub fingerprint: String,
    pub lower_bound: u32,
    /// Warnings that belong to no single bus, each once, in the order one pass gives them:
    /// buses held back, buses of no capacity, routes without a bus, idle employer buses.
    pub warnings: Vec<Warning>,
}

/// Plans the day county by county on one snapshot, handing each origin county's plan to
/// `each` as soon as it is made (its `warnings` moved to the end), so that a whole city (a
/// million workers) is never held at once. Counties come in name order, as in one pass over
/// the city: buses free to leave from any county go to them in that order, batches are
/// numbered on across counties of one short name (旬阳县, 旬阳市), and the fingerprint is
/// built in the one-pass plan's batch order.
pub fn propose_each(
    ctx: &Ctx,
    date: NaiveDate,
    county: Option<&str>,
    mut each: impl FnMut(Plan) -> OpResult<()>,
) -> OpResult<ProposalEnd> {
    super::journal::ledger_only(ctx)?;
    let conn = &ctx.store.db();
    let county = resolve_county(conn, county)?;
    let tx = ctx.store.snapshot()?;
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
    let bus_trips = plans::bus_trips(&tx)?;
    let mut fingerprint = Fingerprint::new(date);
    let mut lower_bound = 0;
    let mut taken: HashSet<i64> = HashSet::new();
    let mut used_plates: HashSet<String> = HashSet::new();
    let mut numbered: Vec<ExistingBatch> = Vec::new();
    let (mut busy, mut no_capacity, mut routes, mut idle) = (vec![], vec![], vec![], vec![]);
    // Employers changed since planning, said once; placed beyond their expected count, counted
    // over the whole day (an employer's workers come from several counties).
    let mut changed = vec![];
    let mut expectations: BTreeMap<i64, plan::Expectation> = BTreeMap::new();
    let mut added: BTreeMap<i64, u32> = BTreeMap::new();
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    for c in &counties {
        let mut input = plans::input_with(&tx, date, Some(c), true, bus_trips.clone())?;
        expectations.extend(input.expectations.iter().map(|(k, v)| (*k, *v)));
        input.buses.retain(|b| !taken.contains(&b.id));
        input.batches.extend(
            numbered
                .iter()
                .filter(|b| short_county(&b.county) == short_county(c))
                .cloned(),
        );
        let mut plan = plan::plan(&input, &ctx.policy);
        for (_, bus) in plan.buses() {
            for p in &bus.passengers {
                *added.entry(p.employer_id).or_default() += 1;
            }
        }
        if names.is_empty() {
            // Every destination, the same for each county.
            names.extend(input.employers.iter().map(|e| (e.id, e.name.clone())));
        }
        drop(input);
        lower_bound += plan.lower_bound;
        for batch in &plan.batches {
            fingerprint.add(batch);
            if !batch.existing {
                numbered.push(ExistingBatch {
                    // Only numbering reads it: no trip of this plan joins another county's batch.
                    id: 0,
                    code: batch.code.clone(),
                    county: batch.county.clone(),
                    province: batch.province.clone(),
                    city: batch.city.clone(),
                    departure: batch.departure.clone(),
                    gathering_point: batch.gathering_point.clone(),
                    last_ordinal: batch.buses.len() as u32,
                });
            }
        }
        for (_, bus) in plan.buses() {
            taken.insert(bus.bus_id);
            used_plates.insert(bus.plate.clone());
        }
        // A bus free to leave from any county is offered to each: said once.
        for w in std::mem::take(&mut plan.warnings) {
            let list = match w {
                Warning::BusBusy { .. } => &mut busy,
                Warning::NoCapacity { .. } => &mut no_capacity,
                Warning::SentBusIdle { .. } => &mut idle,
                Warning::EmployerChanged { .. } => &mut changed,
                Warning::BeyondExpected { .. } => continue,
                _ => &mut routes,
            };
            if !list.contains(&w) {
                list.push(w);
            }
        }
        each(plan)?;
    }
    busy.sort();
    no_capacity.sort();
    idle.retain(
        |w| !matches!(w, Warning::SentBusIdle { plate, .. } if used_plates.contains(plate)),
    );
    let mut warnings = busy;
    warnings.append(&mut no_capacity);
    warnings.append(&mut routes);
    warnings.append(&mut idle);
    warnings.append(&mut changed);
    warnings.extend(plan::changes_with(&[], &expectations, &added, |id| {
        names.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }));
    Ok(ProposalEnd {
        fingerprint: fingerprint.finish(),
        lower_bound,
        warnings,
    })
}

/// Employers changed since a batch still under way was planned for them, and employers placed
/// beyond their expected count: the warnings of the Destinations and Batches screens (the plan
/// itself carries the same ones).
pub fn changes(ctx: &Ctx) -> OpResult<Vec<plan::Warning>> {
    let tx = ctx.store.snapshot()?;
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
    let tx = ctx.store.begin()?;
    let after = json!({"date": date.to_string(), "county": county, "id_numbers": shown});
    audit(&tx, &operator, "reveal", "plan", None, None, Some(&after))?;
    tx.commit()?;
    Ok(())
}

/// Accepts a county as written in the ledger (`旬阳县`) or in its short form (`旬阳`).
pub fn resolve_county(conn: &Db<'_>, county: Option<&str>) -> OpResult<Option<String>> {
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
