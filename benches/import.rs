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
        ours.push(fresh);
        let plain_time = sqlite3_import(&plain, &workers);
        println!(
            "round {round}: zhitong {}, sqlite3 {}",
            secs(fresh),
            plain_time.map_or("-".into(), secs)
        );
        theirs.extend(plain_time);
    }
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    println!(
        "zhitong import workers, fresh database (validated), best: {}",
        secs(best(&ours))
    );
    let again = zhitong(&db, "workers", &workers);
    println!(
        "zhitong import workers, same file again (unchanged):     {}",
        secs(again)
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
        secs(gbk_time)
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
        "ratio zhitong / sqlite3 (best of {rounds}): {:.2}× (target ≤ 2×)",
        best(&ours).as_secs_f64() / best(&theirs).as_secs_f64()
    );
}

/// Runs the release binary as an officer would, and checks that every row was taken.
fn zhitong(db: &Path, kind: &str, file: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .args(["import", kind])
        .arg(file)
        .arg("--json")
        .env("ZHITONG_OPERATOR", "bench")
        .output()
        .expect("run zhitong");
    let elapsed = t.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("\"rejected\":[]"),
        "{kind}: {}\n{}",
        stdout.chars().take(400).collect::<String>(),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn sqlite3_import(db: &Path, file: &Path) -> Option<Duration> {
    let t = Instant::now();
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(format!(".import --csv {} workers", file.display()))
        .output()
        .ok()?;
    let elapsed = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(elapsed)
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
