//! Import of a city-scale ledger against SQLite's own CSV import, in the same run on the same
//! file: `cargo bench --bench import` (ZHITONG_BENCH_WORKERS=N for another size).
//!
//! zhitong validates every row (ID check character, dates, phone, employer, duplicates) and
//! keeps a unique index on ID numbers; `sqlite3 .import --csv` checks nothing and builds no
//! index. The target is a validated import within 2× of that plain one.

use chrono::NaiveDate;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use zhitong::ops::demo::{write_employers_csv, write_workers_csv, LedgerSpec};

fn main() {
    let n: usize = std::env::var("ZHITONG_BENCH_WORKERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    // ZHITONG_BENCH_DIR keeps the files (and databases) there, for profiling one step again.
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir_path = std::env::var_os("ZHITONG_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir_path).expect("bench dir");
    for f in ["zhitong-gbk.db"] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir_path.join(format!("{f}{suffix}")));
        }
    }
    let day = NaiveDate::from_ymd_opt(2020, 2, 21).expect("date");
    let spec = LedgerSpec::scaled(n, 2020, day);
    let employers = dir_path.join("employers.csv");
    let workers = dir_path.join("workers.csv");
    let t = Instant::now();
    write_employers_csv(
        BufWriter::new(File::create(&employers).expect("create")),
        &spec,
    )
    .expect("employers");
    write_workers_csv(File::create(&workers).expect("create"), &spec).expect("workers");
    let generated = t.elapsed();
    let size = std::fs::metadata(&workers).map(|m| m.len()).unwrap_or(0);
    println!("machine: {}", machine());
    println!(
        "workers.csv: {n} rows, {:.1} MB, {} employers (generated in {})",
        size as f64 / 1e6,
        spec.employers,
        secs(generated)
    );

    // This machine is shared: rounds alternate the two imports and the best of each counts
    // (a run can only be slowed down by others, never sped up).
    let rounds: usize = std::env::var("ZHITONG_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let db = dir_path.join("zhitong.db");
    let plain = dir_path.join("plain.db");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut ours_cpu, mut theirs_cpu) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        for f in [&db, &plain] {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = f.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
        zhitong(&db, "employers", &employers);
        let fresh = zhitong(&db, "workers", &workers);
        ours.push(fresh.wall);
        ours_cpu.push(fresh.cpu);
        let plain_time = sqlite3_import(&plain, &workers);
        println!(
            "round {round}: zhitong {} (CPU {}, peak {} MB), sqlite3 {}",
            secs(fresh.wall),
            secs(fresh.cpu),
            fresh.peak_mb,
            plain_time.as_ref().map_or("-".into(), |p| format!(
                "{} (CPU {})",
                secs(p.wall),
                secs(p.cpu)
            ))
        );
        if let Some(p) = plain_time {
            theirs.push(p.wall);
            theirs_cpu.push(p.cpu);
        }
    }
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    println!(
        "zhitong import workers, fresh database (validated), best: {}",
        secs(best(&ours))
    );
    let again = zhitong(&db, "workers", &workers);
    println!(
        "zhitong import workers, same file again (unchanged):     {}",
        secs(again.wall)
    );
    // As many new workers again, into the ledger that now holds the first file's.
    let more = dir_path.join("more-workers.csv");
    let more_spec = LedgerSpec::scaled(n, 2021, day);
    write_workers_csv(File::create(&more).expect("create"), &more_spec).expect("workers");
    let more_employers = dir_path.join("more-employers.csv");
    write_employers_csv(
        BufWriter::new(File::create(&more_employers).expect("create")),
        &more_spec,
    )
    .expect("employers");
    zhitong(&db, "employers", &more_employers);
    let into_full = zhitong(&db, "workers", &more);
    println!(
        "zhitong import workers, {n} new into a ledger of {n}:  {} (CPU {}, peak {} MB); {:.2}× the fresh import (target ≤ 2×)",
        secs(into_full.wall),
        secs(into_full.cpu),
        into_full.peak_mb,
        into_full.wall.as_secs_f64() / best(&ours).as_secs_f64()
    );

    let gbk = dir_path.join("workers-gbk.csv");
    let text = std::fs::read_to_string(&workers).expect("read");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(&gbk, &bytes).expect("write gbk");
    drop(text);
    let db2 = dir_path.join("zhitong-gbk.db");
    zhitong(&db2, "employers", &employers);
    let gbk_time = zhitong(&db2, "workers", &gbk);
    println!(
        "zhitong import workers, GBK file, fresh database:        {}",
        secs(gbk_time.wall)
    );

    if theirs.is_empty() {
        println!("sqlite3 not found: plain .import not timed (apt-get install sqlite3)");
        return;
    }
    println!(
        "sqlite3 .import --csv, plain table (no checks), best:     {}",
        secs(best(&theirs))
    );
    println!(
        "ratio zhitong / sqlite3 (best of {rounds}): wall {:.2}× (target ≤ 1.25×), CPU {:.2}× (target ≤ 2×)",
        best(&ours).as_secs_f64() / best(&theirs).as_secs_f64(),
        best(&ours_cpu).as_secs_f64() / best(&theirs_cpu).as_secs_f64()
    );
    println!("load average at end: {}", loadavg());
}

/// Wall and CPU (user + system) time and peak memory of one child process.
struct Measured {
    wall: Duration,
    cpu: Duration,
    peak_mb: u64,
}

/// Runs `cmd` under `/usr/bin/time` (GNU time) for its CPU time and peak memory.
fn measured(mut cmd: Command) -> (Measured, std::process::Output) {
    let times = tempfile::NamedTempFile::new().expect("temp");
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%U %S %M", "-o"])
        .arg(times.path())
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let t = Instant::now();
    let out = timed.output().or_else(|_| cmd.output()).expect("run");
    let wall = t.elapsed();
    let text = std::fs::read_to_string(times.path()).unwrap_or_default();
    let f: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let (cpu, peak_mb) = match f.as_slice() {
        [u, s, m] => (Duration::from_secs_f64(u + s), (*m as u64) / 1024),
        _ => (Duration::ZERO, 0),
    };
    (Measured { wall, cpu, peak_mb }, out)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Runs the release binary as an officer would, and checks that every row was taken.
fn zhitong(db: &Path, kind: &str, file: &Path) -> Measured {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    cmd.arg("--db")
        .arg(db)
        .args(["import", kind])
        .arg(file)
        .arg("--json")
        .env("ZHITONG_OPERATOR", "bench");
    let (m, out) = measured(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("\"rejected\":[]"),
        "{kind}: {}\n{}",
        stdout.chars().take(400).collect::<String>(),
        String::from_utf8_lossy(&out.stderr)
    );
    m
}

fn sqlite3_import(db: &Path, file: &Path) -> Option<Measured> {
    Command::new("sqlite3").arg("--version").output().ok()?;
    let mut cmd = Command::new("sqlite3");
    cmd.arg(db)
        .arg(format!(".import --csv {} workers", file.display()));
    let (m, out) = measured(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(m)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}
