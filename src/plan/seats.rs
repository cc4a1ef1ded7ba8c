//! Seating inside one bus: people of one village take neighbouring allowed seats, front to back.
//! Seats held before a re-plan are never touched; only the free allowed ones are handed out.

use super::{Candidate, PlannedPassenger};
use crate::model::{Layout, Seat};
use std::collections::BTreeSet;

/// Allowed seats of `layout` not in `taken`, front to back.
pub(super) fn free_seats<'a>(layout: &'a Layout, taken: &[u32]) -> Vec<&'a Seat> {
    let taken: BTreeSet<u32> = taken.iter().copied().collect();
    layout
        .allowed()
        .filter(|s| !taken.contains(&s.number))
        .collect()
}

/// Seats `workers` — (position of their employer on the bus, candidate index) — in `seats`.
/// Sorting by township and village before seating keeps a village's people side by side; within
/// a village, employer order and then row id keep the result stable. The caller never passes
/// more workers than seats.
pub(super) fn seat<'a>(
    candidates: &[Candidate],
    workers: &mut [(usize, usize)],
    seats: &[&Seat],
    employer_name: impl Fn(i64) -> &'a str,
) -> Vec<PlannedPassenger> {
    workers.sort_by(|a, b| {
        let (x, y) = (&candidates[a.1], &candidates[b.1]);
        (&x.township, &x.village, a.0, x.id).cmp(&(&y.township, &y.village, b.0, y.id))
    });
    workers
        .iter()
        .zip(seats)
        .map(|(&(_, w), s)| {
            let c = &candidates[w];
            let employer_id = c.employer_id.unwrap_or_default();
            PlannedPassenger {
                worker: c.id,
                name: c.name.clone(),
                id_number: c.id_number.clone(),
                township: c.township.clone(),
                village: c.village.clone(),
                employer_id,
                employer: employer_name(employer_id).to_string(),
                seat: s.number,
                row: s.row,
                col: s.col,
            }
        })
        .collect()
}
