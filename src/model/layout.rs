//! How a coach's seats are laid out and which of them a policy lets passengers use.
//!
//! A coach of R rated seats has rows of 2+2 (columns 1,2 | 3,4) and a back row of five
//! (columns 1..5); when R−5 is not a multiple of four the odd seats form a short first row.
//! Seats are numbered row by row from the front, left to right, as printed in the coach.

use super::policy::Policy;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeatUse {
    /// A passenger may sit here.
    Allowed,
    /// Left empty by the spacing rule (隔位就坐).
    Spacing,
    /// Rear observation area (留观区), empty at departure.
    Observation,
    /// Beyond the load cap: allowed by layout, but the bus is already at its share.
    OverCap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seat {
    pub number: u32,
    /// 1 = front row.
    pub row: u32,
    /// 1..=5 from the left; 2+2 rows use 1,2 | 3,4.
    pub col: u32,
    pub usage: SeatUse,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub rated: u32,
    pub rows: u32,
    pub seats: Vec<Seat>,
}

impl Layout {
    /// Lays out a coach and marks the seats the policy allows. Allowed seats are taken front to
    /// back until the load cap; any allowed seats past the cap are marked `OverCap`.
    pub fn new(rated: u32, policy: &Policy) -> Layout {
        let shape = row_shape(rated);
        let rows = shape.len() as u32;
        let first_observation = rows.saturating_sub(policy.observation_rows) + 1;
        let mut seats = Vec::with_capacity(rated as usize);
        let mut number = 0;
        for (i, cols) in shape.iter().enumerate() {
            let row = i as u32 + 1;
            for &col in cols {
                number += 1;
                let usage = if row >= first_observation {
                    SeatUse::Observation
                } else if policy.spacing && !spaced_seat(cols.len(), col) {
                    SeatUse::Spacing
                } else {
                    SeatUse::Allowed
                };
                seats.push(Seat {
                    number,
                    row,
                    col,
                    usage,
                });
            }
        }
        let cap = policy.load_cap(rated) as usize;
        for s in seats
            .iter_mut()
            .filter(|s| s.usage == SeatUse::Allowed)
            .skip(cap)
        {
            s.usage = SeatUse::OverCap;
        }
        Layout { rated, rows, seats }
    }

    /// Passengers this bus may carry: min(load cap, seats allowed by layout).
    pub fn capacity(&self) -> u32 {
        self.allowed().count() as u32
    }

    /// Seats a passenger may be given, front to back.
    pub fn allowed(&self) -> impl Iterator<Item = &Seat> {
        self.seats.iter().filter(|s| s.usage == SeatUse::Allowed)
    }

    pub fn seat(&self, number: u32) -> Option<&Seat> {
        number
            .checked_sub(1)
            .and_then(|i| self.seats.get(i as usize))
    }

    /// Seats of the observation rows, where a feverish passenger is moved en route.
    pub fn observation(&self) -> impl Iterator<Item = &Seat> {
        self.seats
            .iter()
            .filter(|s| s.usage == SeatUse::Observation)
    }

    pub fn row_seats(&self, row: u32) -> impl Iterator<Item = &Seat> {
        self.seats.iter().filter(move |s| s.row == row)
    }
}

/// Columns of each row, front to back.
fn row_shape(rated: u32) -> Vec<Vec<u32>> {
    if rated <= 5 {
        return vec![(1..=rated).collect()];
    }
    let body = rated - 5;
    let mut rows = Vec::new();
    let odd = body % 4;
    if odd > 0 {
        // Short first row sits on the door side (right): columns 4, 3, 2 as needed.
        rows.push((5 - odd..=4).collect());
    }
    for _ in 0..body / 4 {
        rows.push(vec![1, 2, 3, 4]);
    }
    rows.push(vec![1, 2, 3, 4, 5]);
    rows
}

/// Under the spacing rule only the window seat of each pair is used; a row of five keeps
/// every other seat.
fn spaced_seat(row_len: usize, col: u32) -> bool {
    match row_len {
        5 => col % 2 == 1,
        4 => col == 1 || col == 4,
        _ => col == 4 || col == 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coach_45_under_2020_rules() {
        let l = Layout::new(45, &Policy::default());
        assert_eq!(l.rows, 11);
        assert_eq!(l.seats.len(), 45);
        // 9 usable rows × 2 window seats = 18, below the load cap of 22.
        assert_eq!(l.capacity(), 18);
        let s = l.seat(1).unwrap();
        assert_eq!((s.row, s.col, s.usage), (1, 1, SeatUse::Allowed));
        assert_eq!(l.seat(2).unwrap().usage, SeatUse::Spacing);
        assert_eq!(l.seat(4).unwrap().usage, SeatUse::Allowed);
        assert_eq!(l.seat(45).unwrap().usage, SeatUse::Observation);
        assert_eq!(l.observation().count(), 9);
    }

    #[test]
    fn coach_53_and_low_risk_policy() {
        let l = Layout::new(53, &Policy::default());
        assert_eq!(l.rows, 13);
        assert_eq!(l.capacity(), 22);
        let low = Policy {
            load_factor: 0.9,
            spacing: false,
            ..Policy::default()
        };
        // 9 rows × 4 = 36 seats before the observation rows; cap ⌊45 × 0.9⌋ = 40.
        assert_eq!(Layout::new(45, &low).capacity(), 36);
        let full = Policy {
            load_factor: 0.5,
            spacing: false,
            observation_rows: 0,
            ..Policy::default()
        };
        let l = Layout::new(45, &full);
        assert_eq!(l.capacity(), 22);
        assert_eq!(
            l.seats
                .iter()
                .filter(|s| s.usage == SeatUse::OverCap)
                .count(),
            23
        );
    }

    #[test]
    fn odd_sizes_have_a_short_front_row() {
        let l = Layout::new(47, &Policy::default());
        assert_eq!(l.seats.len(), 47);
        assert_eq!(l.row_seats(1).count(), 2);
        assert_eq!(l.row_seats(l.rows).count(), 5);
        for n in [0, 1, 3, 5, 7, 19, 33] {
            assert_eq!(Layout::new(n, &Policy::default()).seats.len(), n as usize);
        }
    }
}
