//! The demo fleet: chartered coaches of each county's transport companies with their crews,
//! and a few buses that employers send themselves.
//!
//! A demo ledger of up to `DAY_FLEET_UP_TO` workers gets the coaches its working day needs: the
//! planner itself is asked to seat the day's eligible workers on an unlimited fleet of the
//! county's coach models, and the coaches it chooses are the day's fleet — less any that would
//! carry fewer than `min_passengers_warn` (those few workers wait for another day). A tenth more
//! are offered tomorrow or any day (a substitute for a breakdown, the next day's plan). A
//! city-scale ledger keeps the fleet of DESIGN §9 (`spec.buses`, 45 % offered today).

use super::assets::assets;
use super::firms::{firms, Firm};
use super::people::{each_worker, mobile, person_name};
use super::rng::{Rng, Weighted};
use super::LedgerSpec;
use crate::model::{HealthCertificate, Layout, Policy};
use crate::plan::{self, BusOffer, Candidate, Destination, PlanInput};
use chrono::Days;
use std::collections::HashSet;
use std::io::{self, Write};

const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Largest demo whose fleet is sized to its day; above, the city-scale fleet.
pub const DAY_FLEET_UP_TO: usize = 50_000;

/// Employers that send a bus of their own (the biggest ones).
const SENDERS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offered {
    Today,
    Tomorrow,
    AnyDay,
}

/// One coach of the fleet before its plate and crew are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Coach {
    county: usize,
    seats: u32,
    /// Sent by this employer (index into `firms`).
    sender: Option<usize>,
    offered: Offered,
    /// Runs a long route: two drivers.
    long: bool,
}

/// Writes the fleet (Chinese headers): the day's coaches, then the spare ones.
pub fn write_fleet_csv(w: impl Write, spec: &LedgerSpec) -> io::Result<()> {
    let a = assets();
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "车牌号",
        "核定座位",
        "运输公司",
        "驾驶员",
        "驾驶员电话",
        "副驾驶员",
        "副驾驶员电话",
        "随车人员",
        "随车人员电话",
        "出发区县",
        "可用日期",
        "全封闭空调",
    ])?;
    let firms = firms(spec);
    let coaches = if spec.workers <= DAY_FLEET_UP_TO {
        day_fleet(spec, &firms)?
    } else {
        city_fleet(spec, &firms)
    };
    let mut rng = Rng::stream(spec.seed, 4);
    let mut plates = HashSet::new();
    for c in coaches {
        let county = &a.counties[c.county];
        let sender = c.sender.and_then(|f| firms.get(f));
        let (operator, prefix) = match sender {
            Some(f) => (f.name.clone(), f.plate_prefix),
            None => (
                rng.pick(&county.operators)
                    .unwrap_or("安康汽车运输有限公司")
                    .to_string(),
                "陕G",
            ),
        };
        let plate = loop {
            let mut p = prefix.to_string();
            if rng.percent(30) {
                p.push(char::from(LETTERS[rng.below(LETTERS.len())]));
                rng.digits(&mut p, 4);
            } else {
                rng.digits(&mut p, 5);
            }
            if plates.insert(p.clone()) {
                break p;
            }
        };
        let driver1 = person_name(&mut rng, true);
        let phone1 = mobile(&mut rng);
        // Long runs need two drivers; most big coaches carry them, small ones rarely.
        let (driver2, phone2) = if c.long || (c.seats >= 35 && rng.percent(75)) {
            (person_name(&mut rng, true), mobile(&mut rng))
        } else {
            (String::new(), String::new())
        };
        let (attendant, phone3) = if rng.percent(90) {
            let male = rng.percent(40);
            (person_name(&mut rng, male), mobile(&mut rng))
        } else {
            (String::new(), String::new())
        };
        let available = match c.offered {
            Offered::Today => spec.today.to_string(),
            Offered::Tomorrow => (spec.today + Days::new(1)).to_string(),
            Offered::AnyDay => String::new(),
        };
        out.write_record([
            plate.as_str(),
            &c.seats.to_string(),
            &operator,
            &driver1,
            &phone1,
            &driver2,
            &phone2,
            &attendant,
            &phone3,
            county.name,
            &available,
            if rng.percent(60) { "是" } else { "否" },
        ])?;
    }
    out.flush()
}

/// The coaches the working day needs, chosen by the planner on an unlimited fleet, then the
/// spares.
fn day_fleet(spec: &LedgerSpec, firms: &[Firm]) -> io::Result<Vec<Coach>> {
    let a = assets();
    let policy = Policy::default();
    let mut candidates = Vec::new();
    each_worker(spec, |d| {
        let cert = HealthCertificate {
            issued: d.issued,
            valid_until: d.valid_until,
            issuer: String::new(),
        };
        if cert
            .state_on(spec.today, policy.cert_validity_days)
            .allows_travel()
        {
            candidates.push(Candidate {
                id: candidates.len() as i64 + 1,
                name: String::new(),
                id_number: String::new(),
                county: a.counties[d.county].name.to_string(),
                township: d.township.to_string(),
                village: d.village.to_string(),
                employer_id: Some(d.firm as i64),
                cert,
            });
        }
        Ok(())
    })?;
    let employers: Vec<Destination> = firms
        .iter()
        .enumerate()
        .map(|(i, f)| Destination {
            id: i as i64,
            name: f.name.clone(),
            province: f.province.to_string(),
            city: f.city.to_string(),
            distance_km: f.distance_km,
        })
        .collect();
    // People of a route too small for a bus of their own wait for another day.
    let mut route: std::collections::HashMap<(&str, &str), u32> = Default::default();
    for p in &candidates {
        let f = &firms[p.employer_id.unwrap_or_default() as usize];
        *route.entry((p.county.as_str(), f.city)).or_default() += 1;
    }
    let small: HashSet<(String, &str)> = route
        .into_iter()
        .filter(|(_, n)| *n < policy.min_passengers_warn)
        .map(|((c, city), _)| (c.to_string(), city))
        .collect();
    candidates.retain(|p| {
        let f = &firms[p.employer_id.unwrap_or_default() as usize];
        !small.contains(&(p.county.clone(), f.city))
    });
    // Every coach model a county could charter, more of each than it could ever fill, and a bus
    // of each sending employer from the county most of its people leave from.
    let mut pool = Vec::new();
    for (ci, c) in a.counties.iter().enumerate() {
        let people = candidates.iter().filter(|p| p.county == c.name).count();
        for m in &a.bus_models {
            let cap = Layout::new(m.seats, &policy).capacity().max(1) as usize;
            for _ in 0..people.div_ceil(cap) {
                pool.push((ci, m.seats, None));
            }
        }
    }
    // The employers with the most people on the road that day send a bus of their own, from
    // the county most of those people leave from.
    let mut per_firm: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for p in &candidates {
        if let (Some(f), Some(ci)) = (
            p.employer_id,
            a.counties.iter().position(|c| c.name == p.county),
        ) {
            *per_firm.entry((f as usize, ci)).or_default() += 1;
        }
    }
    let mut senders: Vec<((usize, usize), usize)> = per_firm.into_iter().collect();
    senders.sort_by_key(|&((f, ci), n)| (std::cmp::Reverse(n), f, ci));
    let mut sent: Vec<usize> = Vec::new();
    for ((f, ci), _) in senders {
        if sent.len() == SENDERS {
            break;
        }
        if !sent.contains(&f) {
            sent.push(f);
            pool.push((ci, 45, Some(f)));
        }
    }
    // Plate order breaks the planner's ties: the pool's order.
    let buses: Vec<BusOffer> = pool
        .iter()
        .enumerate()
        .map(|(i, &(ci, seats, sender))| {
            let c = Coach {
                county: ci,
                seats,
                sender,
                offered: Offered::Today,
                long: false,
            };
            offer(i, &c, firms, a.counties[ci].name)
        })
        .collect();
    let mut input = PlanInput {
        date: spec.today,
        candidates,
        employers,
        buses,
        ..PlanInput::default()
    };
    let chosen = plan::plan(&input, &policy);
    let mut day: Vec<Coach> = chosen
        .buses()
        .map(|(_, b)| {
            let (ci, seats, sender) = pool[b.bus_id as usize];
            let long = b
                .employer_ids
                .iter()
                .filter_map(|e| firms.get(*e as usize))
                .any(|f| f.distance_km > policy.two_drivers_over_km);
            Coach {
                county: ci,
                seats,
                sender,
                offered: Offered::Today,
                long,
            }
        })
        .collect();
    let mut spare = spares(spec, day.len() / 10 + 3);
    // The day's plan on the fleet as it will be (spares offered any day included): a spare
    // that would go nearly empty is offered tomorrow only. Each round only postpones, so this
    // ends.
    loop {
        let fleet: Vec<(usize, Coach)> = day
            .iter()
            .chain(spare.iter())
            .copied()
            .enumerate()
            .filter(|(_, c)| c.offered != Offered::Tomorrow)
            .collect();
        input.buses = fleet
            .iter()
            .map(|&(i, c)| offer(i, &c, firms, a.counties[c.county].name))
            .collect();
        let small: Vec<usize> = plan::plan(&input, &policy)
            .buses()
            .filter(|(_, b)| b.load() < policy.min_passengers_warn)
            .map(|(_, b)| b.bus_id as usize)
            .collect();
        let n = day.len();
        let idle: Vec<usize> = small.into_iter().filter(|&i| i >= n).collect();
        if idle.is_empty() {
            break;
        }
        for i in idle {
            spare[i - n].offered = Offered::Tomorrow;
        }
    }
    day.extend(spare);
    Ok(day)
}

/// A coach as the planner sees it; the id is its place in the fleet.
fn offer(i: usize, c: &Coach, firms: &[Firm], county: &str) -> BusOffer {
    BusOffer {
        id: i as i64,
        plate: format!("{i:08}"),
        rated_seats: c.seats,
        operator: c
            .sender
            .and_then(|f| firms.get(f))
            .map_or_else(String::new, |f| f.name.clone()),
        drivers: 2,
        county: county.to_string(),
        sealed: false,
    }
}

/// Coaches offered tomorrow or any day, of the counties in proportion to their people.
fn spares(spec: &LedgerSpec, n: usize) -> Vec<Coach> {
    let a = assets();
    let mut rng = Rng::stream(spec.seed, 6);
    let county_w = Weighted::new(a.counties.iter().map(|c| c.weight));
    let model_w = Weighted::new(a.bus_models.iter().map(|m| m.weight));
    (0..n)
        .map(|i| Coach {
            county: county_w.sample(&mut rng).min(a.counties.len() - 1),
            seats: a.bus_models[model_w.sample(&mut rng).min(a.bus_models.len() - 1)].seats,
            sender: None,
            offered: if i % 2 == 0 {
                Offered::AnyDay
            } else {
                Offered::Tomorrow
            },
            long: false,
        })
        .collect()
}

/// A city's fleet (DESIGN §9: 10,000 coaches for 1,000,000 workers): `spec.buses` coaches of
/// the counties by their weight, 45 % offered today, 35 % tomorrow, the rest any day; the
/// biggest employers send a few of their own.
fn city_fleet(spec: &LedgerSpec, firms: &[Firm]) -> Vec<Coach> {
    let a = assets();
    let mut rng = Rng::stream(spec.seed, 7);
    let county_w = Weighted::new(a.counties.iter().map(|c| c.weight));
    let model_w = Weighted::new(a.bus_models.iter().map(|m| m.weight));
    let employer_sent = if firms.is_empty() {
        0
    } else {
        (spec.buses * 3 / 100)
            .max(3)
            .min(spec.buses / 4)
            .min(firms.len())
    };
    (0..spec.buses)
        .map(|i| Coach {
            county: county_w.sample(&mut rng).min(a.counties.len() - 1),
            seats: a.bus_models[model_w.sample(&mut rng).min(a.bus_models.len() - 1)].seats,
            sender: (i < employer_sent).then_some(i),
            offered: match rng.below(100) {
                0..=44 => Offered::Today,
                45..=79 => Offered::Tomorrow,
                _ => Offered::AnyDay,
            },
            long: false,
        })
        .collect()
}
