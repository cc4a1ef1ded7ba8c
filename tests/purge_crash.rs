//! A purge killed with SIGKILL at any moment, then run again: no purged value is anywhere in
//! the database, its `-wal` or its `-shm` (a byte search of all three: names, ID numbers,
//! phones, other means, receivers, stop places, notes typed beside a round, undo reasons,
//! former names kept when an import renamed someone),
//! every count stays (readings and observation marks included), and other terminals were
//! never locked out for long.
//!
//! The kill moments are random; the seed is printed and `ZHITONG_CRASH_SEED=N` replays it.

#![cfg(unix)]

#[path = "fixtures/nasty/support.rs"]
mod support;

use rand::{rngs::SmallRng, Rng, SeedableRng};
use rusqlite::{params, Connection};
use std::collections::HashSet;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{command, id_number};

/// Old passengers: enough that a purge runs for a while in either build.
const OLD: u32 = if cfg!(debug_assertions) {
    12_000
} else {
    40_000
};
const SEATS: u32 = 20;
const KEPT: u32 = 20;
/// Marks every purged text: none of it may be left in any file.
const GONE: &[&str] = &[
    "清除",
    "欧阳",
    "专车离开",
    "接收人甲",
    "停靠点乙",
    "司机丙",
    "测温备注丁",
    "更正原因戊",
    "曾用名己",
    "改名单庚",
];
/// Marks every kept text: all of it must still be there.
const STAY: &[&str] = &["保留", "皇甫", "今日更正", "保留曾用名"];

struct Day {
    _dir: tempfile::TempDir,
    db: PathBuf,
    /// ID numbers and phones that must be gone.
    gone_numbers: HashSet<String>,
    kept_numbers: Vec<String>,
}

/// A ledger after a year: `OLD` workers who arrived on old trips (and some who left by other
/// means), their buses and crews; today's one bus with `KEPT` passengers still on the road.
fn year_old_ledger() -> Day {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ledger.db");
    // Created by the program (owner-only, secure_delete from the first page).
    let out = command(&db, &["init"]).output().expect("init");
    assert!(out.status.success());
    let mut c = Connection::open(&db).expect("open");
    c.execute_batch("PRAGMA secure_delete = ON;").unwrap();
    let tx = c.transaction().unwrap();
    tx.execute(
        "INSERT INTO employers (id, name, province, city) VALUES (1, '宁波甬达电器有限公司', '浙江省', '宁波市')",
        [],
    )
    .unwrap();
    let mut gone_numbers = HashSet::new();
    let mut kept_numbers = Vec::new();
    let trips = OLD.div_ceil(SEATS);
    let buses = 100u32;
    for b in 0..=buses {
        let (name, phone) = if b == buses {
            ("保留司机".to_string(), format!("1880000{b:04}"))
        } else {
            (format!("司机丙{b}"), format!("1660000{b:04}"))
        };
        if b < buses {
            gone_numbers.insert(phone.clone());
        } else {
            kept_numbers.push(phone.clone());
        }
        tx.execute(
            "INSERT INTO buses (id, plate, seats, driver1, driver1_phone, county) VALUES (?1, ?2, 45, ?3, ?4, '旬阳县')",
            params![b + 1, format!("陕G5{b:04}"), name, phone],
        )
        .unwrap();
    }
    let mut worker = tx
        .prepare(
            "INSERT INTO workers (id, id_number, name, phone, county, township, village, employer_id,
                 cert_issued, cert_issuer, status, other_means, other_date)
             VALUES (?1, ?2, ?3, ?4, '旬阳县', ?5, ?6, 1, '2020-01-20', ?7, ?8, ?9, ?10)",
        )
        .unwrap();
    let mut passenger = tx
        .prepare(
            "INSERT INTO passengers (trip_id, worker_id, seat, status, boarded_at, changed_at)
             VALUES (?1, ?2, ?3, 'boarded', '2020-02-01T07:00', '2020-02-01T07:00')",
        )
        .unwrap();
    let mut reading = tx
        .prepare(
            "INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place, outcome)
             VALUES (?1, ?2, ?3, '2020-02-01T07:00', 36.5, '随车员', 'door', 'boarded')",
        )
        .unwrap();
    for t in 0..=trips {
        let today = t == trips;
        let date = if today {
            "2020-02-21".to_string()
        } else {
            // Each coach once a day through January.
            format!("2020-01-{:02}", 1 + t / buses)
        };
        let bus = if today { buses + 1 } else { 1 + t % buses };
        tx.execute(
            "INSERT INTO batches (id, code, date, county, province, city, departure, gathering_point)
             VALUES (?1, ?2, ?3, '旬阳县', '浙江省', '宁波市', ?3 || 'T07:00', '旬阳县政府广场')",
            params![t + 1, format!("旬阳-{t:05}"), date],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status, departed_at,
                 arrived_at, receiver, arrived_count)
             VALUES (?1, ?1, ?2, ?3, 11, 20, ?4, ?3 || 'T07:05', ?5, ?6, 20)",
            params![
                t + 1,
                bus,
                date,
                if today { "departed" } else { "arrived" },
                (!today).then(|| format!("{date}T20:00")),
                (!today).then_some("接收人甲"),
            ],
        )
        .unwrap();
        if !today {
            tx.execute(
                "INSERT INTO trip_events (trip_id, at, kind, headcount, note)
                 VALUES (?1, ?2 || 'T12:00', 'stop', 20, '停靠点乙服务区')",
                params![t + 1, date],
            )
            .unwrap();
        }
        let seats = if today { KEPT } else { SEATS };
        for s in 0..seats {
            let n = t * SEATS + s;
            let id = id_number(n);
            let phone = format!("177{n:08}");
            let (name, township, status) = if today {
                (
                    format!("皇甫{}", ["伟", "芳", "强", "敏"][s as usize % 4]),
                    "保留镇",
                    "departed",
                )
            } else {
                (
                    format!("欧阳{}", ["伟", "芳", "强", "敏"][s as usize % 4]),
                    "清除镇",
                    "arrived",
                )
            };
            if today {
                kept_numbers.push(id.clone());
            } else {
                gone_numbers.insert(id.clone());
                gone_numbers.insert(phone.clone());
            }
            worker
                .execute(params![
                    n + 1,
                    id,
                    name,
                    phone,
                    township,
                    format!("{township}一村"),
                    format!("{township}卫生院"),
                    status,
                    None::<String>,
                    None::<String>
                ])
                .unwrap();
            passenger.execute(params![t + 1, n + 1, s + 1]).unwrap();
            reading.execute(params![t + 1, n + 1, s + 1]).unwrap();
        }
        // The door and the road as they are logged: a fever at the door and a move to the
        // observation rows carry the program's own markers, a round a note typed beside it,
        // and an undo its typed reason.
        let first = t * SEATS + 1;
        let (note, reason) = if today {
            ("今日更正：测温正常".to_string(), "今日更正：看错名单")
        } else {
            let phone = format!("176{first:08}");
            gone_numbers.insert(phone.clone());
            (format!("测温备注丁，{phone}"), "更正原因戊：认错人")
        };
        tx.execute_batch(&format!(
            "INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note) VALUES
                 ({trip}, '{date}T06:50', 'fever', {first}, 1, 37.6, 'at the door'),
                 ({trip}, '{date}T11:00', 'round', {second}, 2, 37.5, '{note}'),
                 ({trip}, '{date}T11:02', 'move', {second}, 41, 37.5, 'from seat 2');
             UPDATE passengers SET observation_at = '{date}T11:00' WHERE trip_id = {trip} AND seat = 2;
             INSERT INTO reasons (trip_id, worker_id, at, action, text)
                 VALUES ({trip}, {first}, '{date}T06:55', 'undo', '{reason}');",
            trip = t + 1,
            second = first + 1,
        ))
        .unwrap();
        // A former name, kept when a re-import renamed the worker (with the file's name).
        let (old_name, source) = if today {
            ("保留曾用名".to_string(), "保留改名单.csv:2".to_string())
        } else {
            (format!("曾用名己{first}"), format!("改名单庚.csv:{first}"))
        };
        tx.execute(
            "INSERT INTO worker_names (worker_id, old_name, new_name, changed_at, operator, source)
             SELECT id, ?2, name, '2020-01-05T09:00', '王科长', ?3 FROM workers WHERE id = ?1",
            params![first, old_name, source],
        )
        .unwrap();
    }
    // Workers who went back by car long ago.
    for k in 0..500u32 {
        let n = 5_000_000 + k;
        let id = id_number(n);
        let phone = format!("17{n:09}");
        gone_numbers.insert(id.clone());
        gone_numbers.insert(phone.clone());
        worker
            .execute(params![
                n,
                id,
                "欧阳专",
                phone,
                "清除镇",
                "清除镇二村",
                "清除镇卫生院",
                "other-means",
                "专车离开（清除）",
                "2020-02-02"
            ])
            .unwrap();
    }
    drop(worker);
    drop(passenger);
    drop(reading);
    tx.commit().unwrap();
    drop(c);
    Day {
        _dir: dir,
        db,
        gone_numbers,
        kept_numbers,
    }
}

fn purge_cmd(db: &Path) -> std::process::Command {
    let mut c = command(db, &["purge", "--older-than", "7", "--yes"]);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn rng() -> SmallRng {
    let seed = std::env::var("ZHITONG_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!("ZHITONG_CRASH_SEED={seed}");
    SmallRng::seed_from_u64(seed)
}

/// The bytes of the database and of its -wal and -shm, those that exist.
fn all_bytes(db: &Path) -> (Vec<u8>, Vec<&'static str>) {
    let mut bytes = Vec::new();
    let mut present = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend(b);
            present.push(suffix);
        }
    }
    (bytes, present)
}

/// Every run of ASCII digits of length 11 to 18 (with a trailing X) in `bytes`.
fn numbers_in(bytes: &[u8]) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'X') {
            i += 1;
        }
        if (11..=18).contains(&(i - start)) {
            out.insert(String::from_utf8_lossy(&bytes[start..i]).into_owned());
        }
    }
    out
}

fn counts(db: &Path) -> (i64, i64, i64, String) {
    let c = Connection::open(db).expect("open");
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    (
        q("SELECT count(*) FROM workers"),
        q("SELECT count(*) FROM passengers WHERE status = 'boarded'"),
        q("SELECT count(*) FROM workers WHERE purged = 1"),
        check,
    )
}

/// What purge keeps of the door and the road: every reading (and its value), who is under
/// observation, the program's own markers in the road log, every reason row and every name
/// history row (blank or not).
fn door_and_road(db: &Path) -> [i64; 6] {
    let c = Connection::open(db).expect("open");
    let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    [
        q("SELECT count(*) FROM readings"),
        q("SELECT CAST(round(sum(celsius) * 10) AS INTEGER) FROM readings"),
        q("SELECT count(*) FROM passengers WHERE observation_at IS NOT NULL"),
        q("SELECT count(*) FROM trip_events WHERE note IN ('at the door', 'from seat 2')"),
        q("SELECT count(*) FROM reasons"),
        q("SELECT count(*) FROM worker_names"),
    ]
}

fn assert_nothing_left(day: &Day, context: &str) {
    let (bytes, present) = all_bytes(&day.db);
    for s in GONE {
        assert!(
            memchr::memmem::find(&bytes, s.as_bytes()).is_none(),
            "{context}: '{s}' is still in {present:?}"
        );
    }
    for s in STAY {
        assert!(
            memchr::memmem::find(&bytes, s.as_bytes()).is_some(),
            "{context}: '{s}' should have been kept"
        );
    }
    let found = numbers_in(&bytes);
    let left: Vec<&String> = found.intersection(&day.gone_numbers).take(5).collect();
    assert!(
        left.is_empty(),
        "{context}: numbers left in {present:?}: {left:?}"
    );
    for kept in &day.kept_numbers {
        assert!(
            found.contains(kept),
            "{context}: {kept} should have been kept"
        );
    }
}

#[test]
fn sigkill_at_any_moment_of_a_purge_then_a_rerun_leaves_nothing_in_any_file() {
    let day = year_old_ledger();
    let (workers, boarded, purged, check) = counts(&day.db);
    assert_eq!((purged, check.as_str()), (0, "ok"));
    let road = door_and_road(&day.db);
    let trips = i64::from(OLD.div_ceil(SEATS)) + 1;
    assert_eq!(road[2..], [trips, 2 * trips, trips, trips]);
    let mut rng = rng();
    let mut kills = 0;
    let mut delay = Duration::from_millis(rng.random_range(30..90));
    let mut last_purged = 0;
    // Another terminal with the database open all along: -wal and -shm stay on disk for the
    // byte search, as on a morning with several consoles.
    let console = Connection::open(&day.db).expect("console");
    loop {
        let mut child = purge_cmd(&day.db).spawn().expect("spawn purge");
        let started = Instant::now();
        while started.elapsed() < delay && child.try_wait().expect("try_wait").is_none() {
            std::thread::sleep(Duration::from_millis(3));
        }
        if child.try_wait().expect("try_wait").is_some() || kills == 12 {
            let out = child.wait_with_output().expect("output");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            eprintln!("{kills} kills, then the purge ran to the end");
            break;
        }
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.signal(), Some(9));
        kills += 1;
        let (w, b, p, check) = counts(&day.db);
        assert_eq!(check, "ok", "killed after {delay:?}");
        assert_eq!(
            (w, b),
            (workers, boarded),
            "killed after {delay:?}: a count changed"
        );
        assert!(p >= last_purged, "killed after {delay:?}: purged went back");
        assert_eq!(door_and_road(&day.db), road, "killed after {delay:?}");
        eprintln!("killed after {delay:?}: {p} workers purged so far");
        last_purged = p;
        delay = delay.mul_f64(rng.random_range(1.3..1.8));
    }
    assert!(
        kills >= 2,
        "the purge finished before the second kill: raise OLD"
    );
    // The run after the last kill may have found little or nothing left: it still finishes.
    let out = purge_cmd(&day.db).output().expect("rerun");
    assert!(out.status.success());
    let (w, b, p, check) = counts(&day.db);
    assert_eq!(check, "ok");
    assert_eq!((w, b), (workers, boarded));
    assert_eq!(p, i64::from(OLD.div_ceil(SEATS) * SEATS) + 500);
    assert_eq!(door_and_road(&day.db), road);
    assert_nothing_left(&day, "after the kills and a rerun");
    drop(console);
}

/// The moment a kill cannot be aimed at reliably: every chunk committed, the log not yet
/// emptied (older copies of the pages, names and all, still in -wal and the file). A
/// connection that is never closed stands for the killed process; the rerun finds nothing
/// to blank and must still leave nothing behind.
#[test]
fn a_purge_stopped_before_the_log_was_emptied_is_finished_by_the_next_run() {
    let day = year_old_ledger();
    {
        use zhitong::store::{purge as q, wal, Store};
        let mut store = Store::open(&day.db).expect("open");
        // Keep the log from being emptied on close: this connection never closes.
        wal::set_autocheckpoint(&store.db(), 0).unwrap();
        let cutoff = chrono::NaiveDate::from_ymd_opt(2020, 2, 14).unwrap();
        let all = q::candidates(&store.db(), cutoff).expect("candidates");
        let tx = store.begin().expect("write");
        q::blank(&tx, &all).expect("blank");
        tx.commit().expect("commit");
        let (bytes, _) = all_bytes(&day.db);
        assert!(
            memchr::memmem::find(&bytes, "欧阳".as_bytes()).is_some(),
            "the old pages should still be on disk before the log is emptied"
        );
        std::mem::forget(store);
    }
    let out = purge_cmd(&day.db).output().expect("rerun");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Nothing to purge"), "{stdout}");
    assert_nothing_left(&day, "after the rerun");
}
