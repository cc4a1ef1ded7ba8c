//! Properties of the pure planner on random ledgers, fleets and policies: seats, capacity,
//! eligibility, completeness, stops, determinism, and buses against the lower bound.

use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use zhitong::model::{HealthCertificate, Layout, Policy, SeatUse};
use zhitong::plan::{
    plan, BusOffer, Candidate, Destination, ExistingBatch, OpenTrip, Plan, PlanInput,
    UnplacedReason,
};

const COUNTIES: [&str; 2] = ["旬阳县", "汉滨区"];
const CITIES: [(&str, &str); 3] = [
    ("浙江省", "宁波市"),
    ("浙江省", "杭州市"),
    ("江苏省", "苏州市"),
];
const SIZES: [u32; 7] = [5, 7, 19, 33, 45, 49, 53];

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::sample::select(vec![0.5, 0.7, 0.9, 1.0]),
        0u32..=2,
        any::<bool>(),
        1u32..=3,
        1u32..=10,
    )
        .prop_map(|(lf, obs, spacing, stops, validity)| Policy {
            load_factor: lf,
            observation_rows: obs,
            spacing,
            max_stops: stops,
            cert_validity_days: validity,
            ..Policy::default()
        })
}

fn employers() -> impl Strategy<Value = Vec<Destination>> {
    prop::collection::vec(
        (0usize..3, prop::sample::select(vec![300u32, 800, 1200])),
        1..7,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (c, km))| Destination {
                id: 10 + i as i64,
                name: format!("企业{i}"),
                province: CITIES[c].0.into(),
                city: CITIES[c].1.into(),
                distance_km: km,
            })
            .collect()
    })
}

/// (county, township, village, employer pick, certificate offset in days or none)
type RawWorker = (usize, u8, u8, u8, Option<i64>);

fn candidates(raw: Vec<RawWorker>, n_employers: usize) -> Vec<Candidate> {
    raw.into_iter()
        .enumerate()
        .map(|(i, (county, t, v, e, cert))| Candidate {
            id: 1000 + i as i64,
            name: format!("工{i}"),
            id_number: format!("61092819900101{:04}", i % 10000),
            county: COUNTIES[county].into(),
            township: format!("镇{t}"),
            village: format!("村{v}"),
            // One pick in sixteen has no employer, one names an employer not in the list.
            employer_id: match e % 16 {
                0 => None,
                1 => Some(999),
                k => Some(10 + (k as usize % n_employers) as i64),
            },
            cert: HealthCertificate {
                issued: cert.map(|o| day() + chrono::Duration::days(o)),
                valid_until: None,
                issuer: String::new(),
            },
        })
        .collect()
}

fn raw_workers(max: usize) -> impl Strategy<Value = Vec<RawWorker>> {
    prop::collection::vec(
        (
            0usize..2,
            0u8..3,
            0u8..4,
            any::<u8>(),
            prop::option::weighted(0.9, -9i64..2),
        ),
        0..max,
    )
}

fn buses(max: usize, employers: &[Destination]) -> impl Strategy<Value = Vec<BusOffer>> {
    let names: Vec<String> = employers.iter().map(|e| e.name.clone()).collect();
    prop::collection::vec(
        (
            prop::sample::select(SIZES.to_vec()),
            0usize..3,
            0u32..=2,
            any::<bool>(),
            0u8..10,
        ),
        0..max,
    )
    .prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (seats, county, drivers, sealed, op))| BusOffer {
                id: 1 + i as i64,
                plate: format!("陕G{:05}", 20000 + i * 7 % 100),
                rated_seats: seats,
                // One bus in ten is sent by an employer.
                operator: if op == 0 {
                    names[i % names.len()].clone()
                } else {
                    "安康汽运".into()
                },
                drivers,
                county: if county == 2 {
                    String::new()
                } else {
                    COUNTIES[county].into()
                },
                sealed,
            })
            .collect()
    })
}

fn scenario() -> impl Strategy<Value = (PlanInput, Policy)> {
    (policy(), employers())
        .prop_flat_map(|(p, es)| {
            let n = es.len();
            (
                Just(p),
                Just(es.clone()),
                raw_workers(300),
                buses(25, &es),
                Just(n),
            )
        })
        .prop_map(|(p, es, raw, mut bs, n)| {
            // Plates must be unique, as in the fleet table.
            for (i, b) in bs.iter_mut().enumerate() {
                b.plate = format!("陕G{:05}", 20000 + i);
            }
            let input = PlanInput {
                date: day(),
                candidates: candidates(raw, n),
                employers: es,
                buses: bs,
                list_ineligible: true,
                ..PlanInput::default()
            };
            (input, p)
        })
}

fn eligible(input: &PlanInput, policy: &Policy, c: &Candidate) -> bool {
    let known = c
        .employer_id
        .is_some_and(|e| input.employers.iter().any(|d| d.id == e));
    known
        && c.cert
            .state_on(input.date, policy.cert_validity_days)
            .allows_travel()
}

/// Every rule a plan must keep whatever the input.
fn check_rules(input: &PlanInput, policy: &Policy, p: &Plan) -> Result<(), TestCaseError> {
    let by_id: BTreeMap<i64, &Candidate> = input.candidates.iter().map(|c| (c.id, c)).collect();
    let city_of: BTreeMap<i64, (&str, &str)> = input
        .employers
        .iter()
        .map(|e| (e.id, (e.province.as_str(), e.city.as_str())))
        .collect();
    let mut placed = BTreeSet::new();
    let mut plates = BTreeSet::new();
    for (batch, bus) in p.buses() {
        prop_assert!(
            plates.insert(bus.plate.clone()),
            "bus {} used twice",
            bus.plate
        );
        let layout = Layout::new(bus.rated_seats, policy);
        let taken: Vec<u32> = input
            .open_trips
            .iter()
            .filter(|t| Some(t.trip_id) == bus.trip_id)
            .flat_map(|t| t.taken_seats.clone())
            .collect();
        let mut seats: BTreeSet<u32> = taken.iter().copied().collect();
        prop_assert!(
            bus.load() <= layout.capacity(),
            "{} over capacity",
            bus.plate
        );
        prop_assert!(
            bus.load() <= policy.load_cap(bus.rated_seats),
            "{} over load cap",
            bus.plate
        );
        prop_assert!(bus.employer_ids.len() <= policy.max_stops as usize || bus.existing);
        for p in &bus.passengers {
            prop_assert!(
                seats.insert(p.seat),
                "seat {} of {} given twice",
                p.seat,
                bus.plate
            );
            let s = layout.seat(p.seat).expect("seat exists");
            prop_assert_eq!(
                s.usage,
                SeatUse::Allowed,
                "seat {} of {}",
                p.seat,
                bus.plate
            );
            prop_assert_eq!((s.row, s.col), (p.row, p.col));
            let c = by_id[&p.worker];
            prop_assert!(
                eligible(input, policy, c),
                "worker {} not eligible",
                p.worker
            );
            prop_assert_eq!(&c.county, &batch.county);
            prop_assert_eq!(
                city_of[&p.employer_id],
                (batch.province.as_str(), batch.city.as_str())
            );
            prop_assert!(bus.employer_ids.contains(&p.employer_id));
            prop_assert!(placed.insert(p.worker), "worker {} placed twice", p.worker);
        }
    }
    for (_, bus) in p.buses() {
        let b = input.buses.iter().find(|b| b.id == bus.bus_id);
        if let Some(b) = b {
            let batch_county = &p.buses().find(|(_, x)| x.bus_id == b.id).unwrap().0.county;
            prop_assert!(b.county.is_empty() || &b.county == batch_county);
        }
    }
    let unplaced: BTreeMap<i64, UnplacedReason> =
        p.unplaced.iter().map(|u| (u.worker, u.reason)).collect();
    prop_assert_eq!(unplaced.len(), p.unplaced.len(), "a worker listed twice");
    for c in &input.candidates {
        let ok = eligible(input, policy, c);
        match (placed.contains(&c.id), unplaced.get(&c.id)) {
            (true, None) => prop_assert!(ok),
            (false, Some(UnplacedReason::NoBus)) => prop_assert!(ok),
            (false, Some(_)) => prop_assert!(!ok),
            other => prop_assert!(false, "worker {} is {:?}", c.id, other),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn plans_keep_every_rule((input, policy) in scenario()) {
        let p = plan(&input, &policy);
        check_rules(&input, &policy, &p)?;
    }

    #[test]
    fn same_input_same_plan_whatever_the_row_order((input, policy) in scenario()) {
        let a = plan(&input, &policy);
        let mut shuffled = input.clone();
        shuffled.candidates.reverse();
        shuffled.buses.reverse();
        shuffled.employers.reverse();
        prop_assert_eq!(&a, &plan(&input, &policy));
        prop_assert_eq!(a, plan(&shuffled, &policy));
    }

    #[test]
    fn replanning_fills_free_seats_without_moving_anyone((input, policy) in scenario(), split in 0usize..300) {
        // Plan part of the ledger, freeze it as trips planned earlier, then plan the rest.
        let mut first = input.clone();
        first.candidates.truncate(split.min(input.candidates.len()));
        let p1 = plan(&first, &policy);
        let mut second = input.clone();
        let placed: BTreeSet<i64> = p1.buses().flat_map(|(_, b)| b.passengers.iter().map(|p| p.worker)).collect();
        second.candidates.retain(|c| !placed.contains(&c.id));
        let used: BTreeSet<i64> = p1.buses().map(|(_, b)| b.bus_id).collect();
        second.buses.retain(|b| !used.contains(&b.id));
        for (i, batch) in p1.batches.iter().enumerate() {
            let id = 500 + i as i64;
            second.batches.push(ExistingBatch {
                id,
                code: batch.code.clone(),
                county: batch.county.clone(),
                province: batch.province.clone(),
                city: batch.city.clone(),
                departure: batch.departure.clone(),
                gathering_point: batch.gathering_point.clone(),
                last_ordinal: batch.buses.len() as u32,
            });
            for (j, bus) in batch.buses.iter().enumerate() {
                second.open_trips.push(OpenTrip {
                    trip_id: 9000 + (i * 100 + j) as i64,
                    code: bus.trip_code.clone(),
                    batch_id: id,
                    bus: input.buses.iter().find(|b| b.id == bus.bus_id).unwrap().clone(),
                    capacity: bus.capacity,
                    employers: bus.employer_ids.clone(),
                    taken_seats: bus.passengers.iter().map(|p| p.seat).collect(),
                });
            }
        }
        let p2 = plan(&second, &policy);
        check_rules(&second, &policy, &p2)?;
        // New batches continue the numbering; an existing route keeps its batch.
        let old: BTreeSet<&str> = p1.batches.iter().map(|b| b.code.as_str()).collect();
        for b in &p2.batches {
            prop_assert_eq!(b.existing, old.contains(b.code.as_str()), "{}", b.code);
        }
        // A trip planned earlier takes new employers only within the stop limit.
        for (_, bus) in p2.buses().filter(|(_, b)| b.existing) {
            prop_assert!(bus.employer_ids.len() <= policy.max_stops as usize, "{}", bus.plate);
        }
    }

    #[test]
    fn plenty_of_buses_means_at_most_one_over_the_lower_bound((policy, sizes, counts, small) in plenty()) {
        let policy = Policy { max_stops: policy.max_stops.max(2), ..policy };
        let caps: Vec<u32> = sizes.iter().map(|&s| Layout::new(s, &policy).capacity()).collect();
        let cmax = *caps.iter().max().unwrap();
        prop_assume!(cmax > 0);
        let employers: Vec<Destination> = (0..counts.len())
            .map(|i| Destination {
                id: 10 + i as i64,
                name: format!("企业{i}"),
                province: CITIES[i % 3].0.into(),
                city: CITIES[i % 3].1.into(),
                distance_km: 300,
            })
            .collect();
        let mut candidates = Vec::new();
        for (i, &(county, k, extra)) in counts.iter().enumerate() {
            // Every employer brings at least a busload, but the first of each city may be small.
            let n = if small && i < 3 { extra % cmax } else { cmax * k + extra % cmax };
            for _ in 0..n {
                let id = 1000 + candidates.len() as i64;
                candidates.push(Candidate {
                    id,
                    name: format!("工{id}"),
                    id_number: String::new(),
                    county: COUNTIES[county].into(),
                    township: "镇".into(),
                    village: format!("村{}", id % 5),
                    employer_id: Some(10 + i as i64),
                    cert: HealthCertificate { issued: Some(day()), valid_until: None, issuer: String::new() },
                });
            }
        }
        let total = candidates.len() as u32;
        let mut buses = Vec::new();
        for county in COUNTIES {
            for &size in &sizes {
                let cap = Layout::new(size, &policy).capacity().max(1);
                for _ in 0..total / cap + 4 {
                    let id = 1 + buses.len() as i64;
                    buses.push(BusOffer {
                        id,
                        plate: format!("陕G{:05}", id),
                        rated_seats: size,
                        operator: "安康汽运".into(),
                        drivers: 2,
                        county: county.into(),
                        sealed: false,
                    });
                }
            }
        }
        let input = PlanInput { date: day(), candidates, employers, buses, ..PlanInput::default() };
        let p = plan(&input, &policy);
        check_rules(&input, &policy, &p)?;
        prop_assert!(p.unplaced.is_empty());
        for c in &p.cities {
            prop_assert!(c.new_buses <= c.lower_bound + 1, "{:?}", c);
        }
    }
}

/// Policy, bus sizes, per employer (county, whole busloads, extra workers), and whether the
/// first employer of each city may bring less than a busload.
type Plenty = (Policy, Vec<u32>, Vec<(usize, u32, u32)>, bool);

fn plenty() -> impl Strategy<Value = Plenty> {
    (
        policy(),
        prop::sample::subsequence(SIZES.to_vec(), 1..4),
        prop::collection::vec((0usize..2, 1u32..5, 0u32..60), 1..9),
        any::<bool>(),
    )
}
