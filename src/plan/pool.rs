//! The buses still free while a day is being planned, per origin county, ordered so that the
//! largest bus or the smallest one that fits a load is found in logarithmic time.
//!
//! Among buses of equal capacity the choice is stable (by plate) and prefers two-driver buses
//! for long routes and one-driver buses for short ones, so two-driver buses stay for the routes
//! that need them.

use std::collections::{BTreeMap, BTreeSet};

/// (capacity, has two drivers, rank by plate)
type Key = (u32, bool, usize);

#[derive(Debug, Default)]
pub(super) struct Pool {
    /// County → free buses; the "" county holds buses that may leave from any county.
    free: BTreeMap<String, BTreeSet<Key>>,
    /// rank → index of the bus in the planner's bus list.
    index: Vec<usize>,
}

pub(super) struct PoolEntry<'a> {
    pub bus: usize,
    pub capacity: u32,
    pub two_drivers: bool,
    pub county: &'a str,
}

impl Pool {
    /// `entries` must already be in plate order: that order breaks every tie.
    pub fn new<'a>(entries: impl IntoIterator<Item = PoolEntry<'a>>) -> Pool {
        let mut pool = Pool::default();
        for e in entries {
            let rank = pool.index.len();
            pool.index.push(e.bus);
            pool.free.entry(e.county.to_string()).or_default().insert((
                e.capacity,
                e.two_drivers,
                rank,
            ));
        }
        pool
    }

    fn sets(&self, county: &str) -> [Option<&BTreeSet<Key>>; 2] {
        let own = self.free.get(county);
        let any = if county.is_empty() {
            None
        } else {
            self.free.get("")
        };
        [own, any]
    }

    /// Largest capacity still free for this county.
    pub fn largest(&self, county: &str) -> Option<u32> {
        self.sets(county)
            .into_iter()
            .flatten()
            .filter_map(|s| s.last().map(|k| k.0))
            .max()
    }

    /// Smallest capacity ≥ `need` still free for this county.
    fn smallest_fit(&self, county: &str, need: u32) -> Option<u32> {
        self.sets(county)
            .into_iter()
            .flatten()
            .filter_map(|s| s.range((need, false, 0)..).next().map(|k| k.0))
            .min()
    }

    /// Takes the smallest free bus that holds `need` passengers, else the largest one left.
    /// Returns the bus index and its capacity.
    pub fn take(&mut self, county: &str, need: u32, long_route: bool) -> Option<(usize, u32)> {
        let cap = self
            .smallest_fit(county, need)
            .or_else(|| self.largest(county))?;
        // Own county first, then the shared buses; preferred driver count first.
        let order = [
            (county, long_route),
            ("", long_route),
            (county, !long_route),
            ("", !long_route),
        ];
        for (c, two) in order {
            let Some(set) = self.free.get_mut(c) else {
                continue;
            };
            if let Some(&key) = set.range((cap, two, 0)..=(cap, two, usize::MAX)).next() {
                set.remove(&key);
                return Some((self.index[key.2], cap));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(buses: &[(u32, bool, &'static str)]) -> Pool {
        Pool::new(
            buses
                .iter()
                .enumerate()
                .map(|(i, &(c, t, county))| PoolEntry {
                    bus: i,
                    capacity: c,
                    two_drivers: t,
                    county,
                }),
        )
    }

    #[test]
    fn smallest_that_fits_else_largest() {
        let mut p = pool(&[
            (18, false, "旬阳县"),
            (22, false, "旬阳县"),
            (11, false, "旬阳县"),
        ]);
        assert_eq!(p.take("旬阳县", 12, false), Some((0, 18)));
        assert_eq!(p.take("旬阳县", 30, false), Some((1, 22)));
        assert_eq!(p.take("旬阳县", 30, false), Some((2, 11)));
        assert_eq!(p.take("旬阳县", 1, false), None);
    }

    #[test]
    fn other_counties_buses_are_never_taken_but_shared_ones_are() {
        let mut p = pool(&[(18, false, "汉滨区"), (18, true, ""), (18, false, "旬阳县")]);
        assert_eq!(p.largest("旬阳县"), Some(18));
        // Long route: the shared two-driver bus beats the county's own one-driver bus.
        assert_eq!(p.take("旬阳县", 18, true), Some((1, 18)));
        assert_eq!(p.take("旬阳县", 18, true), Some((2, 18)));
        assert_eq!(p.take("旬阳县", 18, true), None);
    }
}
