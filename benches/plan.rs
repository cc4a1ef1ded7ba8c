//! Planning one day for a county of 100,000 eligible workers, 200 employers and enough buses:
//! the pure planner on an in-memory input, and propose + apply on a database file.
//! Prints buses used against the lower bound per destination city before timing.
//!
//! cargo bench --bench plan

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::{Duration, Instant};
use zhitong::i18n::Lang;
use zhitong::model::{HealthCertificate, IdNumber, Policy};
use zhitong::plan::{plan, BusOffer, Candidate, Destination, PlanInput};
use zhitong::store::Store;

const WORKERS: usize = 100_000;
const EMPLOYERS: usize = 200;
const CITIES: usize = 30;
const COUNTY: &str = "旬阳县";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).expect("date")
}

/// Employer sizes fall off like a city's real firms (a few big plants, many small workshops):
/// weight 1/(rank+1)^0.9, at least 3 workers each.
fn input() -> PlanInput {
    let mut rng = SmallRng::seed_from_u64(2020);
    let weights: Vec<f64> = (0..EMPLOYERS)
        .map(|i| 1.0 / ((i + 1) as f64).powf(0.9))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((w / total) * WORKERS as f64).floor().max(3.0) as usize)
        .collect();
    let sum: usize = sizes.iter().sum();
    // Exactly WORKERS in all: the largest employer absorbs the rounding.
    sizes[0] = (sizes[0] as i64 + WORKERS as i64 - sum as i64) as usize;
    let employers: Vec<Destination> = (0..EMPLOYERS)
        .map(|i| {
            let city = rng.random_range(0..CITIES);
            Destination {
                id: i as i64 + 1,
                name: format!("企业{i:03}"),
                province: format!("省{:02}", city % 8),
                city: format!("市{city:02}"),
                distance_km: 200 + (city as u32 * 57) % 1500,
            }
        })
        .collect();
    let birth = NaiveDate::from_ymd_opt(1985, 6, 1).expect("date");
    let mut candidates = Vec::with_capacity(WORKERS);
    for (e, &n) in sizes.iter().enumerate() {
        for _ in 0..n {
            let i = candidates.len();
            let id = IdNumber::compose(
                "610928",
                birth + chrono::Duration::days((i / 1000) as i64),
                (i % 1000) as u16,
            )
            .expect("id");
            candidates.push(Candidate {
                id: i as i64 + 1,
                name: format!("工{i}"),
                id_number: id.as_str().to_string(),
                county: COUNTY.into(),
                township: format!("镇{}", rng.random_range(0..21)),
                village: format!("村{}", rng.random_range(0..300)),
                employer_id: Some(e as i64 + 1),
                cert: HealthCertificate {
                    issued: Some(day() - chrono::Duration::days(rng.random_range(0..5))),
                    valid_until: None,
                    issuer: String::new(),
                },
            });
        }
    }
    // Plenty of 53-seat coaches, a few of every other size, and ten buses the largest employers
    // sent themselves.
    let mut buses = Vec::new();
    let sizes = [(53, 5000), (45, 1000), (33, 300), (19, 100)];
    for (seats, n) in sizes {
        for _ in 0..n {
            let i = buses.len();
            buses.push(BusOffer {
                id: i as i64 + 1,
                plate: format!("陕G{:05}", 10000 + i),
                rated_seats: seats,
                operator: "安康汽运".into(),
                drivers: 1 + (i % 2) as u32,
                county: COUNTY.into(),
                sealed: i % 3 == 0,
            });
        }
    }
    for (e, employer) in employers.iter().take(10).enumerate() {
        let i = buses.len();
        buses.push(BusOffer {
            id: i as i64 + 1,
            plate: format!("浙B{:05}", 80000 + e),
            rated_seats: 45,
            operator: employer.name.clone(),
            drivers: 2,
            county: COUNTY.into(),
            sealed: true,
        });
    }
    PlanInput {
        date: day(),
        candidates,
        employers,
        buses,
        list_ineligible: true,
        ..PlanInput::default()
    }
}

fn report_quality(input: &PlanInput, policy: &Policy) {
    let t = Instant::now();
    let p = plan(input, policy);
    let took = t.elapsed();
    let worst = p
        .cities
        .iter()
        .map(|c| c.new_buses as i64 - c.lower_bound as i64)
        .max()
        .unwrap_or(0);
    let over: Vec<String> = p
        .cities
        .iter()
        .filter(|c| c.new_buses > c.lower_bound + 1)
        .map(|c| format!("{}: {} buses, bound {}", c.city, c.new_buses, c.lower_bound))
        .collect();
    println!(
        "plan: {} workers, {} placed, {} unplaced, {} cities, {} buses, lower bound {}, \
         worst city bound+{worst}, cities over bound+1: {:?}; one run {took:?}",
        input.candidates.len(),
        p.placed(),
        p.unplaced.len(),
        p.cities.len(),
        p.new_buses(),
        p.lower_bound,
        over
    );
}

/// Writes the same day into a database file the way `import` stores it.
fn build_db(path: &Path, input: &PlanInput) {
    drop(Store::open(path).expect("open"));
    let mut conn = rusqlite::Connection::open(path).expect("open");
    let tx = conn.transaction().expect("tx");
    {
        let mut e = tx
            .prepare("INSERT INTO employers (id, name, province, city, distance_km) VALUES (?1,?2,?3,?4,?5)")
            .expect("prepare");
        for d in &input.employers {
            e.execute(rusqlite::params![
                d.id,
                d.name,
                d.province,
                d.city,
                d.distance_km
            ])
            .expect("employer");
        }
        let mut w = tx
            .prepare(
                "INSERT INTO workers (id, id_number, name, county, township, village, employer_id, cert_issued)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )
            .expect("prepare");
        for c in &input.candidates {
            w.execute(rusqlite::params![
                c.id,
                c.id_number,
                c.name,
                c.county,
                c.township,
                c.village,
                c.employer_id,
                c.cert.issued
            ])
            .expect("worker");
        }
        let mut b = tx
            .prepare(
                "INSERT INTO buses (id, plate, seats, operator, driver1, driver2, county, sealed)
                 VALUES (?1,?2,?3,?4,'甲',?5,?6,?7)",
            )
            .expect("prepare");
        for x in &input.buses {
            let d2 = if x.drivers > 1 { "乙" } else { "" };
            b.execute(rusqlite::params![
                x.id,
                x.plate,
                x.rated_seats,
                x.operator,
                d2,
                x.county,
                x.sealed
            ])
            .expect("bus");
        }
    }
    tx.commit().expect("commit");
}

fn ctx(path: &Path) -> zhitong::ops::Ctx {
    zhitong::ops::Ctx::new(
        Store::open(path).expect("open"),
        "bench".into(),
        Policy::default(),
        Lang::En,
    )
}

fn bench(c: &mut Criterion) {
    let input = input();
    let policy = Policy::default();
    report_quality(&input, &policy);
    let low = Policy {
        load_factor: 0.9,
        spacing: false,
        ..Policy::default()
    };
    report_quality(&input, &low);

    let mut g = c.benchmark_group("plan_100k");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("pure", |b| b.iter(|| plan(&input, &policy)));

    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("template.db");
    build_db(&template, &input);
    let ctx0 = ctx(&template);
    g.bench_function("propose_db", |b| {
        b.iter(|| zhitong::ops::plan::propose(&ctx0, day(), Some(COUNTY)).expect("propose"))
    });
    drop(ctx0);
    let work = dir.path().join("work.db");
    g.bench_function("apply_db", |b| {
        b.iter_batched(
            || {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", work.display()));
                }
                std::fs::copy(&template, &work).expect("copy");
                ctx(&work)
            },
            |mut c| {
                let p = zhitong::ops::plan::apply(&mut c, day(), Some(COUNTY)).expect("apply");
                assert_eq!(p.placed(), WORKERS);
                c
            },
            BatchSize::PerIteration,
        )
    });
    // The morning after: yesterday's 4,559 buses (100,000 passengers) are all still on the
    // road. Reading what holds each bus back (its open trip and the longest route it drives)
    // is the part of a day's read that grows with the trips under way.
    let away = dir.path().join("away.db");
    std::fs::copy(&template, &away).expect("copy");
    {
        let mut c = ctx(&away);
        zhitong::ops::plan::apply(&mut c, day(), Some(COUNTY)).expect("apply day 1");
        rusqlite::Connection::open(c.store.path())
            .unwrap()
            .execute_batch(
                "UPDATE trips SET status = 'departed', departed_at = '2020-02-21T07:05:00+08:00';
                 UPDATE passengers SET status = 'boarded';
                 UPDATE workers SET status = 'departed';",
            )
            .expect("on the road");
    }
    let ctx2 = ctx(&away);
    let day2 = day().succ_opt().expect("day 2");
    g.bench_function("propose_db_day2_buses_away", |b| {
        b.iter(|| {
            let p = zhitong::ops::plan::propose(&ctx2, day2, Some(COUNTY)).expect("propose");
            assert!(p.warnings.len() >= 4_000, "buses on the road are named");
            p
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
