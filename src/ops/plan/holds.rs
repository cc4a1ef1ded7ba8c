//! Whether a batch of a proposal can still be written as it was planned, judged under the write
//! lock when another terminal has written since the proposal was made: the facts the planner
//! used for the batch, read again.

use crate::model::Policy;
use crate::plan::{free_from, PlannedBatch};
use crate::store::plans::guard;
use crate::store::{Db, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// True when every worker of the batch is still registered, unplaced, of the batch's county and
/// of the employer they were planned for, with a certificate valid on the day; every new bus
/// is still available that day, runs no other trip and is not held back (busy until back) and
/// has the seats it was planned with; every trip planned earlier that the batch fills is still
/// planned; and a batch written earlier still leaves when and from where it did. A seat or a
/// code taken meanwhile is refused by the database itself when the batch is written.
pub(super) fn batch_holds(
    conn: &Db<'_>,
    batch: &PlannedBatch,
    date: NaiveDate,
    policy: &Policy,
) -> Result<bool> {
    let planned: HashMap<i64, i64> = batch
        .buses
        .iter()
        .flat_map(|b| b.passengers.iter().map(|p| (p.worker, p.employer_id)))
        .collect();
    let ids: Vec<i64> = planned.keys().copied().collect();
    let now = guard::workers_now(conn, &ids)?;
    if now.len() != planned.len() {
        return Ok(false);
    }
    let workers_hold = now.iter().all(|w| {
        w.registered
            && !w.seated
            && w.county == batch.county
            && w.employer_id == planned.get(&w.id).copied()
            && w.cert
                .state_on(date, policy.cert_validity_days)
                .allows_travel()
    });
    if !workers_hold {
        return Ok(false);
    }
    let new: HashMap<i64, u32> = batch
        .buses
        .iter()
        .filter(|b| b.trip_id.is_none())
        .map(|b| (b.bus_id, b.rated_seats))
        .collect();
    let bus_ids: Vec<i64> = new.keys().copied().collect();
    let buses = guard::buses_now(conn, &bus_ids, date)?;
    if buses.len() != new.len()
        || !buses
            .iter()
            .all(|b| b.available && !b.trip_that_day && new.get(&b.id) == Some(&b.rated_seats))
    {
        return Ok(false);
    }
    let held = guard::bus_trips_of(conn, &bus_ids)?;
    if held.iter().any(|t| free_from(t, date, policy).is_some()) {
        return Ok(false);
    }
    let filled: Vec<i64> = batch.buses.iter().filter_map(|b| b.trip_id).collect();
    if guard::trips_still_planned(conn, &filled)? != filled.len() {
        return Ok(false);
    }
    if let Some(id) = batch.batch_id {
        let same = guard::batch_now(conn, id)?
            .is_some_and(|(dep, gp)| dep == batch.departure && gp == batch.gathering_point);
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}
