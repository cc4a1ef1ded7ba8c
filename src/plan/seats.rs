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

/// A passenger of a trip to be seated on another coach (a swap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seated {
    pub worker: i64,
    /// The seat held on the coach being replaced.
    pub seat: u32,
    pub township: String,
    pub village: String,
    /// Moved to the observation rows en route: needs an observation seat there too.
    pub observation: bool,
}

/// Seats the substitute coach cannot give: more passengers than seats of their kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    /// Passengers needing an ordinary (allowed) seat, and how many the coach allows.
    pub passengers: u32,
    pub seats: u32,
    /// Passengers in the observation rows, and the coach's observation seats.
    pub observed: u32,
    pub observation_seats: u32,
}

impl Shortfall {
    /// How many passengers have no seat.
    pub fn missing(&self) -> u32 {
        self.passengers.saturating_sub(self.seats)
            + self.observed.saturating_sub(self.observation_seats)
    }
}

/// Seats a trip's passengers on a substitute coach under the same rules as the plan: a seat
/// number the new layout allows for that passenger (an allowed seat, or an observation seat for
/// someone under observation) is kept; the others take the free seats of their kind front to
/// back in the planner's order (township, village, then row id), so people of one village stay
/// side by side. Returns the new seat of each passenger, in the order given.
pub fn reseat(layout: &Layout, passengers: &[Seated]) -> Result<Vec<u32>, Shortfall> {
    let allowed: Vec<&Seat> = layout.allowed().collect();
    let observation: Vec<&Seat> = layout.observation().collect();
    let need = |obs: bool| passengers.iter().filter(|p| p.observation == obs).count() as u32;
    let short = Shortfall {
        passengers: need(false),
        seats: allowed.len() as u32,
        observed: need(true),
        observation_seats: observation.len() as u32,
    };
    if short.missing() > 0 {
        return Err(short);
    }
    let mut out: Vec<Option<u32>> = vec![None; passengers.len()];
    for kind in [false, true] {
        let seats = if kind { &observation } else { &allowed };
        let mut kept = BTreeSet::new();
        for (i, p) in passengers.iter().enumerate() {
            if p.observation == kind
                && seats.iter().any(|s| s.number == p.seat)
                && kept.insert(p.seat)
            {
                out[i] = Some(p.seat);
            }
        }
        let mut rest: Vec<usize> = (0..passengers.len())
            .filter(|&i| passengers[i].observation == kind && out[i].is_none())
            .collect();
        rest.sort_by(|&a, &b| {
            let (x, y) = (&passengers[a], &passengers[b]);
            (&x.township, &x.village, x.worker).cmp(&(&y.township, &y.village, y.worker))
        });
        let free = seats.iter().filter(|s| !kept.contains(&s.number));
        for (i, s) in rest.into_iter().zip(free) {
            out[i] = Some(s.number);
        }
    }
    // Every passenger got a seat: the counts were checked above.
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

/// The seat for one more passenger on a bus: the free allowed seat nearest to someone of the
/// same village already aboard (fewest rows apart, front first), else to someone of the same
/// township, else the first free seat from the front — as the plan seats a village together.
/// `companions` are (seat, same village) of the bus's passengers of the same township.
pub fn seat_beside(layout: &Layout, taken: &[u32], companions: &[(u32, bool)]) -> Option<u32> {
    let free = free_seats(layout, taken);
    let row_of = |n: u32| layout.seat(n).map_or(0, |s| s.row);
    for village in [true, false] {
        let rows: Vec<u32> = companions
            .iter()
            .filter(|c| !village || c.1)
            .map(|c| row_of(c.0))
            .collect();
        if rows.is_empty() {
            continue;
        }
        return free
            .iter()
            .min_by_key(|s| {
                let d = rows
                    .iter()
                    .map(|r| r.abs_diff(s.row))
                    .min()
                    .unwrap_or(u32::MAX);
                (d, s.number)
            })
            .map(|s| s.number);
    }
    free.first().map(|s| s.number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Policy;

    fn p(worker: i64, seat: u32, village: &str) -> Seated {
        Seated {
            worker,
            seat,
            township: "蜀河镇".into(),
            village: village.into(),
            observation: false,
        }
    }

    #[test]
    fn a_smaller_coach_keeps_the_seats_it_has_and_seats_the_rest_by_village() {
        let policy = Policy::default();
        // 45 seats: allowed 1, 4, 5, 8 … (window seats); 35 seats allow fewer, same numbers
        // where the rows line up.
        let from = Layout::new(45, &policy);
        let to = Layout::new(35, &policy);
        let held: Vec<u32> = from.allowed().map(|s| s.number).take(12).collect();
        let people: Vec<Seated> = held
            .iter()
            .enumerate()
            .map(|(i, &s)| p(i as i64, s, if i % 2 == 0 { "甲村" } else { "乙村" }))
            .collect();
        let seats = reseat(&to, &people).unwrap();
        let allowed: Vec<u32> = to.allowed().map(|s| s.number).collect();
        for (person, seat) in people.iter().zip(&seats) {
            assert!(
                allowed.contains(seat),
                "{seat} is not allowed on the 35-seat coach"
            );
            if allowed.contains(&person.seat) {
                assert_eq!(*seat, person.seat, "a seat the coach allows is kept");
            }
        }
        let mut unique = seats.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seats.len(), "no seat given twice");
    }

    #[test]
    fn too_few_seats_is_a_shortfall_naming_the_numbers() {
        let policy = Policy::default();
        let to = Layout::new(19, &policy);
        let people: Vec<Seated> = (0..12).map(|i| p(i, i as u32 + 1, "甲村")).collect();
        let short = reseat(&to, &people).unwrap_err();
        assert_eq!(short.passengers, 12);
        assert_eq!(short.seats, to.capacity());
        assert_eq!(short.missing(), 12 - to.capacity());
    }

    #[test]
    fn one_more_passenger_sits_near_their_village() {
        let l = Layout::new(45, &Policy::default());
        // Seats 1 and 4 (row 1) are taken by other villages, 21 (row 6) by a fellow villager.
        let seat = seat_beside(&l, &[1, 4, 21], &[(1, false), (4, false), (21, true)]).unwrap();
        assert_eq!(
            l.seat(seat).unwrap().row.abs_diff(l.seat(21).unwrap().row),
            0
        );
        assert_eq!(seat, 24);
        // Nobody of the township aboard: the first free seat from the front.
        assert_eq!(seat_beside(&l, &[1], &[]), Some(4));
    }
}
