//! Chain filling of one (origin county, destination city): which employer's workers go on the
//! next bus. The tail of one employer and the head of the next share a bus, never more than
//! `max_stops` employers on one bus.
//!
//! After the employer being continued, the next employer is chosen to leave no seat empty:
//! one whose remaining workers exactly fill the room, else the smallest one larger than the
//! room (it fills the bus, and small employers get used up as links of the chain while large
//! ones keep their whole single-employer buses), else the largest one that fits whole. Seats
//! stay empty only when every employer left is smaller than the room and the stop limit is
//! reached, so with employers of at least a busload each every bus but the last is full.

/// Workers of one employer still to be seated, in seating order (township, village, id).
#[derive(Debug)]
pub(super) struct Demand {
    pub employer: i64,
    pub workers: Vec<usize>,
    pub taken: usize,
}

impl Demand {
    pub fn left(&self) -> u32 {
        (self.workers.len() - self.taken) as u32
    }
}

/// One employer's share of a bus: (demand index, workers).
pub(super) type Piece = (usize, u32);

#[derive(Debug)]
pub(super) struct Chain {
    pub demands: Vec<Demand>,
    /// The employer whose remaining workers start the next bus.
    current: Option<usize>,
    max_stops: usize,
}

impl Chain {
    /// Demands are kept in a stable order (most workers first, then employer id) so that ties in
    /// the choice below always fall the same way.
    pub fn new(mut demands: Vec<Demand>, max_stops: u32) -> Chain {
        demands.sort_by(|a, b| b.left().cmp(&a.left()).then(a.employer.cmp(&b.employer)));
        Chain {
            demands,
            current: None,
            max_stops: max_stops.max(1) as usize,
        }
    }

    pub fn remaining(&self) -> u32 {
        self.demands.iter().map(Demand::left).sum()
    }

    pub fn demand_of(&self, employer: i64) -> Option<usize> {
        self.demands.iter().position(|d| d.employer == employer)
    }

    /// The load for a bus with `room` free seats that already carries the employers `on_board`
    /// (their workers are taken first, as they add no stop), without taking anything yet.
    pub fn load(&self, room: u32, on_board: &[i64]) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut room = room;
        let mut stops = on_board.len();
        let used = |pieces: &[Piece], d: usize| pieces.iter().any(|p| p.0 == d);
        for &e in on_board {
            if let Some(d) = self.demand_of(e) {
                let n = self.demands[d].left().min(room);
                if n > 0 {
                    pieces.push((d, n));
                    room -= n;
                }
            }
        }
        if let Some(c) = self.current {
            let n = self.demands[c].left().min(room);
            if n > 0 && !used(&pieces, c) && stops < self.max_stops {
                pieces.push((c, n));
                room -= n;
                stops += 1;
            }
        }
        while room > 0 && stops < self.max_stops {
            let Some(d) = self.choose(room, &pieces) else {
                break;
            };
            let n = self.demands[d].left().min(room);
            pieces.push((d, n));
            room -= n;
            stops += 1;
        }
        pieces
    }

    fn choose(&self, room: u32, pieces: &[Piece]) -> Option<usize> {
        let open = || {
            self.demands
                .iter()
                .enumerate()
                .filter(|(i, d)| d.left() > 0 && !pieces.iter().any(|p| p.0 == *i))
        };
        if let Some((i, _)) = open().find(|(_, d)| d.left() == room) {
            return Some(i);
        }
        let larger = open()
            .filter(|(_, d)| d.left() > room)
            .min_by_key(|(i, d)| (d.left(), *i));
        if let Some((i, _)) = larger {
            return Some(i);
        }
        open()
            .max_by_key(|(i, d)| (d.left(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    }

    /// Takes the workers of `pieces` off the chain; the employer left unfinished by the last
    /// piece starts the next bus.
    pub fn take(&mut self, pieces: &[Piece]) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::with_capacity(pieces.len());
        for &(d, n) in pieces {
            let dem = &mut self.demands[d];
            let n = (n as usize).min(dem.workers.len() - dem.taken);
            let slice = dem.workers[dem.taken..dem.taken + n].to_vec();
            dem.taken += n;
            out.push((d, slice));
        }
        if let Some(&(last, _)) = pieces.last() {
            if self.demands[last].left() > 0 {
                self.current = Some(last);
            } else if self.current.is_some_and(|c| self.demands[c].left() == 0) {
                self.current = None;
            }
        }
        out
    }

    /// Everyone not taken, in chain order.
    pub fn rest(&self) -> impl Iterator<Item = usize> + '_ {
        self.demands
            .iter()
            .flat_map(|d| d.workers[d.taken..].iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(sizes: &[(i64, usize)], stops: u32) -> Chain {
        let mut next = 0;
        let demands = sizes
            .iter()
            .map(|&(e, n)| {
                let workers = (next..next + n).collect();
                next += n;
                Demand {
                    employer: e,
                    workers,
                    taken: 0,
                }
            })
            .collect();
        Chain::new(demands, stops)
    }

    fn run(c: &mut Chain, cap: u32) -> Vec<Vec<(i64, u32)>> {
        let mut buses = Vec::new();
        while c.remaining() > 0 {
            let pieces = c.load(cap, &[]);
            let named = pieces
                .iter()
                .map(|&(d, n)| (c.demands[d].employer, n))
                .collect();
            c.take(&pieces);
            buses.push(named);
        }
        buses
    }

    #[test]
    fn whole_buses_then_tail_and_head_share() {
        let mut c = chain(&[(1, 40), (2, 25)], 2);
        let buses = run(&mut c, 18);
        // 65 workers, 18 a bus: ⌈65/18⌉ = 4 buses, each with at most two employers.
        assert_eq!(buses.len(), 4);
        assert!(buses.iter().all(|b| b.len() <= 2));
        // Only the bus where one employer ends and the next begins is shared.
        assert_eq!(buses.iter().filter(|b| b.len() == 2).count(), 1);
    }

    #[test]
    fn one_stop_policy_keeps_every_bus_single_employer() {
        let mut c = chain(&[(1, 20), (2, 5), (3, 5)], 1);
        let buses = run(&mut c, 18);
        assert!(buses.iter().all(|b| b.len() == 1));
        assert_eq!(buses.len(), 4);
    }

    #[test]
    fn employers_already_on_board_come_first() {
        let c = chain(&[(1, 30), (2, 10)], 2);
        let pieces = c.load(12, &[2]);
        assert_eq!(pieces[0], (c.demand_of(2).unwrap(), 10));
        assert_eq!(pieces[1], (c.demand_of(1).unwrap(), 2));
        // A bus already carrying two other employers takes nobody new.
        assert!(c.load(12, &[7, 8]).is_empty());
    }
}
