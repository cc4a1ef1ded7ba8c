//! Numbering and grouping: buses of one origin county to one destination city on one day form a
//! batch (批次) such as `旬阳-20200221-01`; re-planning joins a route's batch or numbers on.

use super::assemble::RouteKey;
use super::{PlanInput, PlannedBatch, PlannedBus};
use crate::model::area::short_county;
use crate::model::Policy;
use std::collections::BTreeMap;

/// Groups the planned buses into batches: an existing batch of the route is joined, otherwise a
/// new one is numbered after the county's highest number that day.
pub(super) fn batches(
    input: &PlanInput,
    policy: &Policy,
    planned: BTreeMap<RouteKey, Vec<PlannedBus>>,
) -> Vec<PlannedBatch> {
    let day = input.date.format("%Y%m%d").to_string();
    let mut next_seq: BTreeMap<String, u32> = BTreeMap::new();
    for b in &input.batches {
        let seq = b.code.rsplit_once('-').and_then(|(prefix, n)| {
            let short = prefix.strip_suffix(&format!("-{day}"))?;
            Some((short.to_string(), n.parse::<u32>().ok()?))
        });
        if let Some((short, n)) = seq {
            let e = next_seq.entry(short).or_insert(0);
            *e = (*e).max(n);
        }
    }
    let mut out = Vec::new();
    for (key, buses) in planned {
        if buses.is_empty() {
            continue;
        }
        let (county, province, city) = key;
        let existing = input
            .batches
            .iter()
            .filter(|b| b.county == county && b.province == province && b.city == city)
            .min_by(|a, b| a.code.cmp(&b.code));
        let batch = match existing {
            Some(b) => PlannedBatch {
                batch_id: Some(b.id),
                existing: true,
                code: b.code.clone(),
                county,
                province,
                city,
                departure: b.departure.clone(),
                gathering_point: b.gathering_point.clone(),
                buses,
            },
            None => {
                let short = short_county(&county).to_string();
                let seq = next_seq.entry(short.clone()).or_insert(0);
                *seq += 1;
                let gathering = policy
                    .gathering_points
                    .get(&county)
                    .map(String::as_str)
                    .unwrap_or_else(|| policy.gathering_point(&short))
                    .to_string();
                PlannedBatch {
                    batch_id: None,
                    existing: false,
                    code: format!("{short}-{day}-{:02}", *seq),
                    departure: format!(
                        "{}T{}",
                        input.date.format("%Y-%m-%d"),
                        policy.departure_time
                    ),
                    gathering_point: gathering,
                    county,
                    province,
                    city,
                    buses,
                }
            }
        };
        let mut batch = batch;
        // New trips number on after the batch's last: `旬阳-20200221-01-3`.
        let mut ordinal = existing.map_or(0, |b| b.last_ordinal);
        for bus in batch.buses.iter_mut().filter(|b| b.trip_code.is_empty()) {
            ordinal += 1;
            bus.trip_code = format!("{}-{ordinal}", batch.code);
        }
        out.push(batch);
    }
    // County by county (in name order), each county's batches by code: the order in which a
    // proposal made county by county comes out, so that both have one fingerprint.
    out.sort_by(|a, b| (&a.county, &a.code).cmp(&(&b.county, &b.code)));
    out
}
