//! How one trip's seats stand: the one set of counts the door, the roster, the departure board
//! and the command line all show, and the rule that fills it.

use super::SeatStatus;
use serde::Serialize;

/// The seats of one trip. `expected` is everyone currently holding a seat (`boarded +
/// missing`); refused and no-show passengers have given theirs up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeatCounts {
    pub expected: u32,
    pub boarded: u32,
    pub refused: u32,
    pub no_show: u32,
    /// Holding a seat but not accounted for (not checked yet, or in 复测): the bus may not
    /// leave while this is above 0.
    pub missing: u32,
    /// In 复测 after a fever reading (counted in `missing` too).
    pub recheck: u32,
    /// Aboard and under observation after a fever found en route.
    pub observation: u32,
}

impl SeatCounts {
    /// Counts one passenger's place; `observed`: under observation since a fever en route.
    pub fn add(&mut self, status: SeatStatus, observed: bool) {
        match status {
            SeatStatus::Planned => self.missing += 1,
            SeatStatus::Recheck => {
                self.missing += 1;
                self.recheck += 1;
            }
            SeatStatus::Boarded => {
                self.boarded += 1;
                self.observation += u32::from(observed);
            }
            SeatStatus::Refused => self.refused += 1,
            SeatStatus::NoShow => self.no_show += 1,
        }
        self.expected += u32::from(status.holds_seat());
    }

    /// Not checked at the door yet: the unaccounted without those waiting for a re-check, so
    /// that boarded, re-check and unchecked add up to the seats held.
    pub fn unchecked(&self) -> u32 {
        self.missing.saturating_sub(self.recheck)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recheck_holds_a_seat_and_is_not_accounted_for() {
        let mut c = SeatCounts::default();
        for (s, o) in [
            (SeatStatus::Boarded, false),
            (SeatStatus::Boarded, true),
            (SeatStatus::Recheck, false),
            (SeatStatus::Planned, false),
            (SeatStatus::NoShow, false),
            (SeatStatus::Refused, false),
        ] {
            c.add(s, o);
        }
        assert_eq!((c.expected, c.boarded, c.missing, c.recheck), (4, 2, 2, 1));
        assert_eq!(c.boarded + c.recheck + c.unchecked(), c.expected);
        assert_eq!((c.refused, c.no_show, c.observation), (1, 1, 1));
    }
}
