//! Figures, bulletin, manifests and purge on a city-scale database: 1,000,000 workers, 5,000
//! employers, 10,000 buses, 2,000 trips over ten days with 40,000 passengers.
//! Run: `cargo bench --bench papers`. Results and machine: benches/papers.md.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use std::time::{Duration, Instant};
use zhitong::i18n::Lang;
use zhitong::model::Policy;
use zhitong::ops::export::{manifest_csv, manifest_html, manifests, CsvEncoding, ManifestScope};
use zhitong::ops::{purge, stats, Ctx};
use zhitong::store::Store;

const CITY: &str = "
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 5000)
INSERT INTO employers (id, name, province, city, address, contact, contact_phone, expected)
SELECT n, '企业' || n,
       CASE n % 6 WHEN 0 THEN '浙江省' WHEN 1 THEN '江苏省' WHEN 2 THEN '广东省'
                  WHEN 3 THEN '山西省' WHEN 4 THEN '甘肃省' ELSE '湖南省' END,
       '市' || (n % 40), '工业园' || n || '号', '经理', printf('139%08d', n), 200
FROM seq;

WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1000000)
INSERT INTO workers (id, id_number, name, phone, county, township, village, employer_id,
                     cert_issued, status, other_means, other_date)
SELECT n, printf('6109%014d', n), '工人' || n, printf('138%08d', n),
       CASE n % 3 WHEN 0 THEN '旬阳县' WHEN 1 THEN '石泉县' ELSE '汉滨区' END,
       '镇' || (n % 50), '村' || (n % 700), 1 + n % 5000,
       date('2020-02-10', '+' || (n % 15) || ' days'),
       CASE WHEN n % 10 < 7 THEN 'registered' WHEN n % 10 < 9 THEN 'arrived' ELSE 'other-means' END,
       CASE WHEN n % 10 = 9 THEN 'train' END,
       CASE WHEN n % 10 = 9 THEN date('2020-02-15', '+' || (n % 7) || ' days') END
FROM seq;

WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10000)
INSERT INTO buses (id, plate, seats, operator, driver1, driver1_phone, attendant, attendant_phone, county)
SELECT n, printf('陕G%05d', n), 45, '运输公司', '司机' || n, printf('137%08d', n),
       '随车' || n, printf('136%08d', n), '旬阳县'
FROM seq;

WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 399)
INSERT INTO batches (id, code, date, county, province, city, departure)
SELECT n + 1, 'B' || n, date('2020-02-15', '+' || (n / 40) || ' days'), '旬阳县',
       CASE n % 6 WHEN 0 THEN '浙江省' WHEN 1 THEN '江苏省' WHEN 2 THEN '广东省'
                  WHEN 3 THEN '山西省' WHEN 4 THEN '甘肃省' ELSE '湖南省' END,
       '市' || (n % 40), date('2020-02-15', '+' || (n / 40) || ' days') || 'T07:00'
FROM seq;

WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 1999)
INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status, arrived_at)
SELECT n + 1, 1 + (n / 200) * 40 + n % 40, n + 1, date('2020-02-15', '+' || (n / 200) || ' days'),
       11, 20,
       CASE WHEN n / 200 < 6 THEN 'arrived' WHEN n / 200 = 6 THEN 'departed' ELSE 'planned' END,
       CASE WHEN n / 200 < 6 THEN date('2020-02-16', '+' || (n / 200) || ' days') || 'T06:00:00' END
FROM seq;

WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 39999)
INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
SELECT 1 + n / 20, 100000 + n, 1 + n % 20,
       CASE WHEN n / 4000 < 7 THEN 'boarded' ELSE 'planned' END, 't'
FROM seq;

INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place, outcome)
SELECT trip_id, worker_id, seat, 't', 36.5, 'bench', 'door', 'boarded'
FROM passengers WHERE status = 'boarded';
";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, d).expect("date")
}

fn city(dir: &std::path::Path) -> Ctx {
    let path = dir.join("city.db");
    let store = Store::open(&path).expect("open");
    let t = Instant::now();
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute_batch(CITY)
        .expect("city data");
    eprintln!(
        "built the city database in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut ctx = Ctx::new(store, "bench".into(), Policy::default(), Lang::Zh);
    ctx.today = day(21);
    ctx
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ctx = city(dir.path());
    let mut g = c.benchmark_group("papers");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("stats (1M workers)", |b| {
        b.iter(|| stats::stats(&ctx, day(21)).expect("stats"))
    });
    g.bench_function("figures (2,000 trips)", |b| {
        b.iter(|| stats::figures(&ctx, day(21)).expect("figures"))
    });
    g.bench_function("bulletin", |b| {
        b.iter(|| stats::bulletin(&ctx, day(21), Lang::Zh).expect("bulletin"))
    });
    let scope = ManifestScope::Date(day(21));
    g.bench_function("manifests of a day: load (200 buses)", |b| {
        b.iter(|| manifests(&mut ctx, &scope, false).expect("load"))
    });
    let ms = manifests(&mut ctx, &scope, false).expect("load");
    g.bench_function("manifests of a day: CSV", |b| {
        b.iter(|| manifest_csv(&ms, Lang::Zh, CsvEncoding::Utf8Bom).expect("csv"))
    });
    g.bench_function("manifests of a day: HTML", |b| {
        b.iter(|| manifest_html(&ms, Lang::Zh))
    });
    g.finish();

    // Destructive, so timed once rather than sampled.
    ctx.today = NaiveDate::from_ymd_opt(2021, 2, 21).expect("date");
    let t = Instant::now();
    let r = purge::purge(&mut ctx, None).expect("purge");
    eprintln!(
        "purge (365 days): {} workers, {} trips, {} buses blanked in {} write transactions, log emptied, in {:.2} s",
        r.workers,
        r.trips,
        r.buses,
        r.chunks,
        t.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
