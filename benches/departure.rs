//! Departure-day actions on a city-scale database (1,000,000 workers, 5,000 employers,
//! 10,000 buses each running an 18-passenger trip): how long one check-in holds the write lock.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::params;
use std::time::{Duration, Instant};
use zhitong::i18n::Lang;
use zhitong::model::{IdNumber, Layout, Policy};
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::Ctx;
use zhitong::store::{pack, trips, Store};

const WORKERS: u32 = 1_000_000;
const EMPLOYERS: u32 = 5_000;
const BUSES: u32 = 10_000;
const PER_BUS: u32 = 18;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

/// A distinct valid number for each n: birth day n / 1000 days after 1970-01-01, sequence n % 1000.
fn id_of(n: u32) -> String {
    let birth =
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(i64::from(n / 1000));
    IdNumber::compose("610928", birth, (n % 1000) as u16)
        .unwrap()
        .as_str()
        .to_string()
}

fn plate(bus: u32) -> String {
    format!("陕G{:05}", bus)
}

/// Worker n (1-based) of the first BUSES × PER_BUS is rostered on bus (n-1)/18 + 1.
fn build(path: &std::path::Path) {
    drop(Store::open(path).unwrap());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let seats: Vec<u32> = Layout::new(45, &Policy::default())
        .allowed()
        .map(|s| s.number)
        .collect();
    let tx = conn.transaction().unwrap();
    {
        let mut e = tx
            .prepare("INSERT INTO employers (id, name, province, city) VALUES (?1, ?2, '浙江省', '宁波市')")
            .unwrap();
        for i in 1..=EMPLOYERS {
            e.execute(params![i, format!("企业{i}")]).unwrap();
        }
        tx.execute(
            "INSERT INTO batches (id, code, date, county, province, city, departure)
             VALUES (1, 'B1', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00')",
            [],
        )
        .unwrap();
        let mut b = tx
            .prepare("INSERT INTO buses (id, plate, seats) VALUES (?1, ?2, 45)")
            .unwrap();
        let mut t = tx
            .prepare(
                "INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity)
                 VALUES (?1, 1, ?1, '2020-02-21', 11, 18)",
            )
            .unwrap();
        for i in 1..=BUSES {
            b.execute(params![i, plate(i)]).unwrap();
            t.execute([i]).unwrap();
        }
        let mut w = tx
            .prepare(
                "INSERT INTO workers (id, id_number, name, village, employer_id, cert_issued, status)
                 VALUES (?1, ?2, ?3, '东门村', ?4, '2020-02-18', ?5)",
            )
            .unwrap();
        let mut p = tx
            .prepare(
                "INSERT INTO passengers (trip_id, worker_id, seat, changed_at)
                 VALUES (?1, ?2, ?3, 't')",
            )
            .unwrap();
        let rostered = BUSES * PER_BUS;
        for n in 1..=WORKERS {
            let (employer, status) = if n <= rostered {
                (1 + ((n - 1) / PER_BUS) % EMPLOYERS, "planned")
            } else {
                (1 + n % EMPLOYERS, "registered")
            };
            w.execute(params![n, id_of(n), format!("工人{n}"), employer, status])
                .unwrap();
            if n <= rostered {
                let bus = (n - 1) / PER_BUS + 1;
                p.execute(params![bus, n, seats[((n - 1) % PER_BUS) as usize]])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

fn ctx(path: &std::path::Path) -> Ctx {
    Ctx {
        store: Store::open(path).unwrap(),
        operator: "bench".into(),
        policy: Policy::default(),
        lang: Lang::En,
        today: day(),
        journal: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.db");
    let t = Instant::now();
    build(&path);
    eprintln!(
        "built the city database in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut ctx = ctx(&path);
    let rostered = BUSES * PER_BUS;

    // Each iteration checks in a passenger not boarded yet, by ID number as typed at the door.
    let mut next = 0u32;
    c.bench_function("board by ID number (1M workers)", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                next = next % rostered + 1;
                let (bus, idn) = ((next - 1) / PER_BUS + 1, id_of(next));
                let start = Instant::now();
                dep::board(&mut ctx, &plate(bus), Who::IdNumber(&idn), "36.5").unwrap();
                spent += start.elapsed();
            }
            spent
        })
    });

    // A second normal reading of someone aboard is kept and changes nothing else: the cost of
    // a second terminal's repeat. It cycles over those boarded above, so that no passenger
    // gathers more readings than a morning would give them.
    let boarded = next.max(1);
    let mut again = 0u32;
    c.bench_function("board again, reading kept (1M workers)", |b| {
        b.iter(|| {
            again = again % boarded + 1;
            let (bus, idn) = ((again - 1) / PER_BUS + 1, id_of(again));
            dep::board(&mut ctx, &plate(bus), Who::IdNumber(&idn), "36.6").unwrap()
        })
    });

    c.bench_function("wrong bus refusal (1M workers)", |b| {
        let idn = id_of(PER_BUS * 500 + 3);
        b.iter(|| dep::board(&mut ctx, &plate(2), Who::IdNumber(&idn), "36.5").unwrap_err())
    });

    c.bench_function("roster and counts of one bus", |b| {
        b.iter(|| dep::counts(&trips::roster(&ctx.store.db(), 4321).unwrap()))
    });

    c.bench_function("stand-by candidates of one bus", |b| {
        b.iter(|| dep::standby_candidates(&ctx, &plate(4321)).unwrap().len())
    });

    packs(c, &mut ctx, dir.path());
}

/// The road off the network: a pack of one bus taken off the city ledger (the office's wait),
/// a door reading on the pack (journal entry, one file synced in full), and the merge back.
fn packs(c: &mut Criterion, ctx: &mut Ctx, dir: &std::path::Path) {
    // What every door act on a ledger pays for packs: is this file a pack, and its salt.
    c.bench_function("pack checks of one door act on a ledger", |b| {
        b.iter(|| {
            let conn = &ctx.store.db();
            (pack::is_pack_file(conn), pack::salt(conn).unwrap())
        })
    });

    let packs = dir.join("packs");
    std::fs::create_dir(&packs).unwrap();
    let mut made = 0u32;
    c.bench_function("pack of one bus (1M workers)", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                made += 1;
                let out = packs.join(format!("{made}.pack"));
                let start = Instant::now();
                zhitong::ops::pack::make(ctx, plate(9000).as_str(), &out).unwrap();
                spent += start.elapsed();
                std::fs::remove_file(&out).unwrap();
            }
            spent
        })
    });

    let bus = 9001;
    let road_pack = packs.join("road.pack");
    zhitong::ops::pack::make(ctx, plate(bus).as_str(), &road_pack).unwrap();
    let mut road = Ctx::new(
        Store::open(&road_pack).unwrap(),
        "bench".into(),
        Policy::default(),
        Lang::En,
    );
    let first = (bus - 1) * PER_BUS + 1;
    for n in first..first + PER_BUS {
        dep::board(
            &mut road,
            plate(bus).as_str(),
            Who::IdNumber(&id_of(n)),
            "36.5",
        )
        .unwrap();
    }
    let mut k = 0u32;
    c.bench_function("board again on a pack (journal, rollback journal)", |b| {
        b.iter(|| {
            k = (k + 1) % PER_BUS;
            let idn = id_of(first + k);
            dep::board(&mut road, plate(bus).as_str(), Who::IdNumber(&idn), "36.6").unwrap()
        })
    });
    drop(road);
    let start = Instant::now();
    let report = zhitong::ops::merge::merge(ctx, &road_pack).unwrap();
    let spent = start.elapsed();
    eprintln!(
        "merged {} events of one pack in {:.0} ms: {:.2} ms per event",
        report.applied,
        spent.as_secs_f64() * 1000.0,
        spent.as_secs_f64() * 1000.0 / f64::from(report.applied.max(1))
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
