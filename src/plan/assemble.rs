//! The planning pass: sort workers into eligible and not, then per origin county and destination
//! city fill employer-sent buses, free seats of trips planned earlier, and new buses, in that
//! order; finally group the buses into numbered batches.

use super::chain::{Chain, Demand, Piece};
use super::pool::{Pool, PoolEntry};
use super::{
    seats, BusOffer, Candidate, CityFigure, Destination, Plan, PlanInput, PlannedBus, Unplaced,
    UnplacedReason, Warning,
};
use crate::model::{Layout, Policy};
use std::collections::{BTreeMap, BTreeSet};

/// (origin county, province, city)
pub(super) type RouteKey = (String, String, String);

/// A route's eligible workers by employer, each list in seating order (indexes of candidates).
type ByEmployer = BTreeMap<i64, Vec<usize>>;

/// Everything the pass looks up by key, built once.
struct Lookup<'a> {
    input: &'a PlanInput,
    policy: &'a Policy,
    employers: BTreeMap<i64, &'a Destination>,
    layouts: BTreeMap<u32, Layout>,
}

impl<'a> Lookup<'a> {
    fn employer_name(&self, id: i64) -> &'a str {
        self.employers.get(&id).map_or("", |e| e.name.as_str())
    }

    fn layout(&self, rated: u32) -> &Layout {
        // Every rated size seen in the input was laid out in `plan`.
        &self.layouts[&rated]
    }

    fn bus_warnings(&self, bus: &BusOffer, employer_ids: &[i64]) -> Vec<Warning> {
        let km = employer_ids
            .iter()
            .filter_map(|e| self.employers.get(e))
            .map(|e| e.distance_km)
            .max()
            .unwrap_or(0);
        let limit = self.policy.two_drivers_over_km;
        if km > limit && bus.drivers < 2 {
            vec![Warning::OneDriver {
                plate: bus.plate.clone(),
                km,
                drivers: bus.drivers,
                limit,
            }]
        } else {
            Vec::new()
        }
    }

    /// Builds one planned bus: `pieces` of `chain` go into `seats` (free allowed seats).
    #[allow(clippy::too_many_arguments)]
    fn bus(
        &self,
        bus: &BusOffer,
        capacity: u32,
        trip_id: Option<i64>,
        already: &[i64],
        already_seated: u32,
        chain: &mut Chain,
        pieces: &[Piece],
        seat_list: &[&crate::model::Seat],
    ) -> PlannedBus {
        let taken = chain.take(pieces);
        let mut employer_ids: Vec<i64> = already.to_vec();
        for (d, _) in &taken {
            let e = chain.demands[*d].employer;
            if !employer_ids.contains(&e) {
                employer_ids.push(e);
            }
        }
        let mut workers: Vec<(usize, usize)> = taken
            .iter()
            .flat_map(|(d, ws)| {
                let e = chain.demands[*d].employer;
                let pos = employer_ids.iter().position(|x| *x == e).unwrap_or(0);
                ws.iter().map(move |&w| (pos, w))
            })
            .collect();
        let passengers = seats::seat(&self.input.candidates, &mut workers, seat_list, |e| {
            self.employer_name(e)
        });
        let layout = self.layout(bus.rated_seats);
        let mut warnings = self.bus_warnings(bus, &employer_ids);
        let load = already_seated + passengers.len() as u32;
        let min = self.policy.min_passengers_warn;
        if load < min {
            warnings.push(Warning::SmallBus {
                plate: bus.plate.clone(),
                passengers: load,
                min,
            });
        }
        PlannedBus {
            bus_id: bus.id,
            plate: bus.plate.clone(),
            rated_seats: bus.rated_seats,
            rows: layout.rows,
            capacity,
            operator: bus.operator.clone(),
            drivers: bus.drivers,
            sealed: bus.sealed,
            trip_id,
            // New trips are numbered when the buses are grouped into batches.
            trip_code: String::new(),
            existing: trip_id.is_some(),
            already_seated,
            employers: employer_ids
                .iter()
                .map(|&e| self.employer_name(e).to_string())
                .collect(),
            warnings,
            employer_ids,
            passengers,
        }
    }
}

pub(super) fn plan(input: &PlanInput, policy: &Policy) -> Plan {
    let mut layouts = BTreeMap::new();
    let all_buses = input
        .buses
        .iter()
        .chain(input.open_trips.iter().map(|t| &t.bus));
    for b in all_buses {
        layouts
            .entry(b.rated_seats)
            .or_insert_with(|| Layout::new(b.rated_seats, policy));
    }
    let lk = Lookup {
        input,
        policy,
        employers: input.employers.iter().map(|e| (e.id, e)).collect(),
        layouts,
    };
    let mut unplaced = Vec::new();
    // Buses still on a trip or driving home are not offered; each is named with its free day.
    let (offered, mut warnings) = super::fleet::held_back(input, policy);

    // Eligible workers by route and employer, each list in seating order.
    // Keyed by texts borrowed from the input: a city has a million candidates and a few hundred
    // routes, so no key is copied per candidate.
    let mut routes: BTreeMap<(&str, &str, &str), ByEmployer> = BTreeMap::new();
    for (i, c) in input.candidates.iter().enumerate() {
        let employer = c.employer_id.and_then(|e| lk.employers.get(&e));
        let reason = match employer {
            None => Some(UnplacedReason::UnknownEmployer),
            Some(_)
                if !c
                    .cert
                    .state_on(input.date, policy.cert_validity_days)
                    .allows_travel() =>
            {
                Some(UnplacedReason::NoCertificate)
            }
            Some(_) => None,
        };
        match (reason, employer) {
            (None, Some(e)) => routes
                .entry((c.county.as_str(), e.province.as_str(), e.city.as_str()))
                .or_default()
                .entry(e.id)
                .or_default()
                .push(i),
            (Some(r), _) if input.list_ineligible => unplaced.push(unplaced_of(c, r)),
            _ => {}
        }
    }
    let cands = &input.candidates;
    for by_employer in routes.values_mut() {
        for ws in by_employer.values_mut() {
            ws.sort_by(|&a, &b| {
                let (x, y) = (&cands[a], &cands[b]);
                (&x.township, &x.village, x.id).cmp(&(&y.township, &y.village, y.id))
            });
        }
    }

    // The fleet: employer-sent buses apart, the rest in the pool; plate order breaks ties.
    let mut buses: Vec<&BusOffer> = offered;
    buses.sort_by(|a, b| (&a.plate, a.id).cmp(&(&b.plate, b.id)));
    let by_name: BTreeMap<&str, i64> = input
        .employers
        .iter()
        .map(|e| (e.name.trim(), e.id))
        .collect();
    let mut sent: BTreeMap<i64, Vec<&BusOffer>> = BTreeMap::new();
    let mut general_buses: Vec<&BusOffer> = Vec::new();
    for b in buses.iter().copied() {
        if lk.layout(b.rated_seats).capacity() == 0 {
            warnings.push(Warning::NoCapacity {
                plate: b.plate.clone(),
                rated: b.rated_seats,
            });
        } else if let Some(&e) = by_name.get(b.operator.trim()) {
            sent.entry(e).or_default().push(b);
        } else {
            general_buses.push(b);
        }
    }
    let general = general_buses.iter().enumerate().map(|(i, b)| PoolEntry {
        bus: i,
        capacity: lk.layout(b.rated_seats).capacity(),
        two_drivers: b.drivers >= 2,
        county: b.county.as_str(),
    });
    let mut day = Day {
        lk: &lk,
        pool: Pool::new(general),
        general: general_buses,
        sent,
        sent_used: BTreeSet::new(),
        warnings,
        unplaced,
    };

    // Planned buses per route, in the order they were filled.
    let mut planned: BTreeMap<RouteKey, Vec<PlannedBus>> = BTreeMap::new();
    let mut cities = Vec::new();
    let counties: BTreeSet<&str> = routes.keys().map(|k| k.0).collect();
    for county in counties {
        // Largest bus at the county before any city takes one: the lower bound's divisor.
        let county_max = day.pool.largest(county).unwrap_or(0);
        let mut order: Vec<(RouteKey, &ByEmployer, u32)> = routes
            .iter()
            .filter(|(k, _)| k.0 == county)
            .map(|(k, v)| {
                let key = (k.0.to_string(), k.1.to_string(), k.2.to_string());
                (key, v, v.values().map(|w| w.len() as u32).sum())
            })
            .collect();
        // Biggest demand first: when buses run short, they go where they fill best.
        order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        for (key, by_employer, workers) in order {
            let (buses, figure) = day.route(&key, by_employer, workers, county_max);
            planned.insert(key, buses);
            cities.push(figure);
        }
    }
    day.warn_idle_sent_buses();
    let Day {
        mut unplaced,
        warnings,
        ..
    } = day;
    unplaced.sort_by(|a, b| (a.reason, &a.county, a.worker).cmp(&(b.reason, &b.county, b.worker)));
    cities
        .sort_by(|a, b| (&a.county, &a.province, &a.city).cmp(&(&b.county, &b.province, &b.city)));
    Plan {
        date: input.date,
        lower_bound: cities.iter().map(|c| c.lower_bound).sum(),
        batches: super::batch::batches(input, policy, planned),
        unplaced,
        warnings,
        cities,
    }
}

/// The state of one planning pass: buses still free and what has been said so far.
struct Day<'a> {
    lk: &'a Lookup<'a>,
    pool: Pool,
    /// Buses of the pool, by the index the pool hands out.
    general: Vec<&'a BusOffer>,
    /// Buses sent by an employer, by employer id.
    sent: BTreeMap<i64, Vec<&'a BusOffer>>,
    sent_used: BTreeSet<i64>,
    warnings: Vec<Warning>,
    unplaced: Vec<Unplaced>,
}

impl<'a> Day<'a> {
    /// Plans one route: employer-sent buses, then free seats of trips planned earlier, then new
    /// buses; whoever is left has no bus.
    fn route(
        &mut self,
        key: &RouteKey,
        by_employer: &BTreeMap<i64, Vec<usize>>,
        workers: u32,
        county_max: u32,
    ) -> (Vec<PlannedBus>, CityFigure) {
        let demands = by_employer
            .iter()
            .map(|(&employer, ws)| Demand {
                employer,
                workers: ws.clone(),
                taken: 0,
            })
            .collect();
        let mut chain = Chain::new(demands, self.lk.policy.max_stops);
        let mut out = Vec::new();
        let sent_max = self.sent_buses(key, by_employer, &mut chain, &mut out);
        let free_before = self.open_trips(key, &mut chain, &mut out);
        self.new_buses(key, by_employer, &mut chain, &mut out);

        let county = &key.0;
        let left: Vec<usize> = chain.rest().collect();
        if !left.is_empty() {
            self.warnings.push(Warning::NoBusFor {
                county: county.clone(),
                city: key.2.clone(),
                workers: left.len() as u32,
            });
        }
        let cands = &self.lk.input.candidates;
        for w in &left {
            self.unplaced
                .push(unplaced_of(&cands[*w], UnplacedReason::NoBus));
        }
        let max_cap = county_max.max(sent_max);
        let to_place = workers.saturating_sub(free_before);
        let figure = CityFigure {
            county: county.clone(),
            province: key.1.clone(),
            city: key.2.clone(),
            workers,
            placed: workers - left.len() as u32,
            lower_bound: if max_cap == 0 {
                0
            } else {
                to_place.div_ceil(max_cap)
            },
            new_buses: out.iter().filter(|b| !b.existing).count() as u32,
        };
        (out, figure)
    }

    /// Buses employers sent themselves carry their own workers first. Returns the largest
    /// capacity among those that could serve the route.
    fn sent_buses(
        &mut self,
        key: &RouteKey,
        by_employer: &BTreeMap<i64, Vec<usize>>,
        chain: &mut Chain,
        out: &mut Vec<PlannedBus>,
    ) -> u32 {
        let lk = self.lk;
        let mut max_cap = 0;
        for &e in by_employer.keys() {
            for b in self.sent.get(&e).into_iter().flatten() {
                let here = b.county.is_empty() || b.county == key.0;
                if self.sent_used.contains(&b.id) || !here {
                    continue;
                }
                let cap = lk.layout(b.rated_seats).capacity();
                max_cap = max_cap.max(cap);
                let pieces = chain.load(cap, &[e]);
                if pieces.is_empty() {
                    continue;
                }
                self.sent_used.insert(b.id);
                let seat_list: Vec<_> = lk.layout(b.rated_seats).allowed().collect();
                out.push(lk.bus(b, cap, None, &[], 0, chain, &pieces, &seat_list));
            }
        }
        max_cap
    }

    /// Free seats of trips planned earlier for the same route, before any new bus. Returns how
    /// many seats were free there.
    fn open_trips(&mut self, key: &RouteKey, chain: &mut Chain, out: &mut Vec<PlannedBus>) -> u32 {
        let lk = self.lk;
        let mut free = 0;
        for t in open_trips_for(lk.input, key) {
            let layout = lk.layout(t.bus.rated_seats);
            let capacity = t.capacity.min(layout.capacity());
            let seat_list = seats::free_seats(layout, &t.taken_seats);
            let room =
                (capacity.saturating_sub(t.taken_seats.len() as u32)).min(seat_list.len() as u32);
            free += room;
            let pieces = chain.load(room, &t.employers);
            if pieces.is_empty() {
                continue;
            }
            let mut bus = lk.bus(
                &t.bus,
                t.capacity,
                Some(t.trip_id),
                &t.employers,
                t.taken_seats.len() as u32,
                chain,
                &pieces,
                &seat_list,
            );
            bus.trip_code = t.code.clone();
            out.push(bus);
        }
        free
    }

    /// New buses: a full load goes on the largest bus, a partial one on the smallest bus that
    /// holds it; long routes prefer two-driver buses.
    fn new_buses(
        &mut self,
        key: &RouteKey,
        by_employer: &BTreeMap<i64, Vec<usize>>,
        chain: &mut Chain,
        out: &mut Vec<PlannedBus>,
    ) {
        let lk = self.lk;
        let county = &key.0;
        let long_route = by_employer
            .keys()
            .filter_map(|e| lk.employers.get(e))
            .any(|e| e.distance_km > lk.policy.two_drivers_over_km);
        while chain.remaining() > 0 {
            let Some(largest) = self.pool.largest(county) else {
                break;
            };
            let pieces = chain.load(largest, &[]);
            let need: u32 = pieces.iter().map(|p| p.1).sum();
            if need == 0 {
                break;
            }
            let Some((bi, cap)) = self.pool.take(county, need, long_route) else {
                break;
            };
            let b = self.general[bi];
            let seat_list: Vec<_> = lk.layout(b.rated_seats).allowed().collect();
            out.push(lk.bus(b, cap, None, &[], 0, chain, &pieces, &seat_list));
        }
    }

    fn warn_idle_sent_buses(&mut self) {
        for (e, list) in &self.sent {
            for b in list {
                if !self.sent_used.contains(&b.id) {
                    self.warnings.push(Warning::SentBusIdle {
                        plate: b.plate.clone(),
                        employer: self.lk.employer_name(*e).to_string(),
                    });
                }
            }
        }
    }
}

fn unplaced_of(c: &Candidate, reason: UnplacedReason) -> Unplaced {
    Unplaced {
        worker: c.id,
        name: c.name.clone(),
        county: c.county.clone(),
        reason,
    }
}

/// Trips planned earlier for this route, in batch-code and plate order.
fn open_trips_for<'a>(
    input: &'a PlanInput,
    key: &RouteKey,
) -> impl Iterator<Item = &'a super::OpenTrip> {
    let mut trips: Vec<(&str, &super::OpenTrip)> = input
        .open_trips
        .iter()
        .filter_map(|t| {
            let b = input.batches.iter().find(|b| b.id == t.batch_id)?;
            let same = b.county == key.0 && b.province == key.1 && b.city == key.2;
            same.then_some((b.code.as_str(), t))
        })
        .collect();
    trips.sort_by(|a, b| (a.0, &a.1.bus.plate).cmp(&(b.0, &b.1.bus.plate)));
    trips.into_iter().map(|(_, t)| t)
}
