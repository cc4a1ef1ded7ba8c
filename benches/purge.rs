//! How long a purge keeps other terminals waiting: `cargo bench --bench purge`
//! (ZHITONG_BENCH_WORKERS=N old passengers, default 200,000).
//!
//! While the purge runs, a second connection writes one small row every 2 ms, as a console
//! boarding passengers would, and records how long each write waited for the lock. The same
//! writer is measured idle, and during a whole-file VACUUM of the same file (what purge used
//! to do under the lock), in the same run.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zhitong::i18n::Lang;
use zhitong::model::{IdNumber, Policy};
use zhitong::ops::{purge, Ctx};
use zhitong::store::Store;

fn main() {
    let n: u32 = std::env::var("ZHITONG_BENCH_WORKERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("year.db");
    let t = Instant::now();
    build(&db, n);
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "built {n} old passengers ({:.0} MB) in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let idle = with_writer(&db, || std::thread::sleep(Duration::from_secs(1)));
    report("idle (reference)", &idle, Duration::from_secs(1));

    let mut ctx = Ctx {
        store: Store::open(&db).expect("open"),
        operator: "bench".into(),
        policy: Policy::default(),
        lang: Lang::En,
        today: NaiveDate::from_ymd_opt(2020, 2, 21).expect("date"),
        journal: Default::default(),
    };
    let t = Instant::now();
    let mut r = None;
    let during = with_writer(&db, || {
        r = Some(purge::purge(&mut ctx, Some(7)).expect("purge"))
    });
    let took = t.elapsed();
    let r = r.expect("report");
    eprintln!(
        "purge: {} workers, {} trips, {} buses in {} write transactions, log emptied: {}",
        r.workers, r.trips, r.buses, r.chunks, r.compacted
    );
    report("during purge", &during, took);

    let t = Instant::now();
    let vacuum = with_writer(&db, || {
        rusqlite::Connection::open(ctx.store.path())
            .unwrap()
            .execute_batch("VACUUM;")
            .expect("vacuum")
    });
    report(
        "during a whole-file VACUUM (reference)",
        &vacuum,
        t.elapsed(),
    );
}

/// Runs `work` while another connection writes every 2 ms; returns each write's wait.
fn with_writer(db: &Path, work: impl FnOnce()) -> Vec<Duration> {
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let db = db.to_path_buf();
        std::thread::spawn(move || {
            let c = Connection::open(&db).expect("writer");
            c.busy_timeout(Duration::from_secs(60)).expect("timeout");
            let mut waits = Vec::new();
            let mut k = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                c.execute_batch("BEGIN IMMEDIATE").expect("begin");
                waits.push(t.elapsed());
                c.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?1)",
                    [k.to_string()],
                )
                .expect("write");
                c.execute_batch("COMMIT").expect("commit");
                k += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
            waits
        })
    };
    std::thread::sleep(Duration::from_millis(50));
    work();
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer thread")
}

fn report(what: &str, waits: &[Duration], took: Duration) {
    let mut w: Vec<Duration> = waits.to_vec();
    w.sort();
    let at = |q: f64| w.get(((w.len() as f64 * q) as usize).min(w.len().saturating_sub(1)));
    let ms = |d: Option<&Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    eprintln!(
        "{what}: {:.2} s, {} writes by another terminal: wait median {:.2} ms, p99 {:.2} ms, max {:.1} ms",
        took.as_secs_f64(),
        w.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(w.last())
    );
}

/// `n` passengers of January trips that arrived long ago, each with a stop note and a
/// receiver, their coaches and crews; employers and batches as the planner makes them.
fn build(db: &Path, n: u32) {
    drop(Store::open(db).expect("create"));
    let mut c = Connection::open(db).expect("open");
    c.execute_batch("PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL;")
        .expect("pragmas");
    let tx = c.transaction().expect("tx");
    tx.execute(
        "INSERT INTO employers (id, name, province, city) VALUES (1, '宁波甬达电器有限公司', '浙江省', '宁波市')",
        [],
    )
    .expect("employer");
    let seats = 20;
    let trips = n.div_ceil(seats);
    let buses = trips.div_ceil(28).max(1);
    for b in 1..=buses {
        tx.execute(
            "INSERT INTO buses (id, plate, seats, driver1, driver1_phone, county) VALUES (?1, ?2, 45, '张师傅', ?3, '旬阳县')",
            params![b, format!("陕G{b:05}"), format!("1380915{:04}", b % 10_000)],
        )
        .expect("bus");
    }
    let base = NaiveDate::from_ymd_opt(1965, 1, 1).expect("date");
    let mut worker = tx
        .prepare(
            "INSERT INTO workers (id, id_number, name, phone, county, township, village, employer_id,
                 cert_issued, cert_issuer, status)
             VALUES (?1, ?2, '王秀英', ?3, '旬阳县', '蜀河镇', '杨家庄村', 1, '2020-01-01', '蜀河镇卫生院', 'arrived')",
        )
        .expect("prepare");
    let mut passenger = tx
        .prepare(
            "INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
             VALUES (?1, ?2, ?3, 'boarded', '2020-01-01T07:00')",
        )
        .expect("prepare");
    for t in 0..trips {
        let date = base
            .checked_add_days(chrono::Days::new(u64::from(20_000 + t / buses)))
            .expect("date");
        let date = format!("{date}");
        let bus = 1 + t % buses;
        tx.execute(
            "INSERT INTO batches (id, code, date, county, province, city, departure)
             VALUES (?1, ?2, ?3, '旬阳县', '浙江省', '宁波市', ?3 || 'T07:00')",
            params![t + 1, format!("旬阳-{t:07}"), date],
        )
        .expect("batch");
        tx.execute(
            "INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status, arrived_at, receiver)
             VALUES (?1, ?1, ?2, ?3, 11, 20, 'arrived', ?3 || 'T20:00', '周经理')",
            params![t + 1, bus, date],
        )
        .expect("trip");
        tx.execute(
            "INSERT INTO trip_events (trip_id, at, kind, headcount, note) VALUES (?1, ?2, 'stop', 20, '西安服务区')",
            params![t + 1, format!("{date}T12:00")],
        )
        .expect("stop");
        for s in 0..seats {
            let k = t * seats + s;
            if k >= n {
                break;
            }
            let birth = base + chrono::Days::new(u64::from(k / 1000));
            let id = IdNumber::compose("610928", birth, (k % 1000) as u16).expect("id");
            worker
                .execute(params![k + 1, id.as_str(), format!("139{k:08}")])
                .expect("worker");
            passenger
                .execute(params![t + 1, k + 1, s + 1])
                .expect("seat");
        }
    }
    drop(worker);
    drop(passenger);
    tx.commit().expect("commit");
}
