//! Input that never ends or never breaks its lines: `/dev/zero` as a spreadsheet or a policy,
//! a header followed by endless zeros, a 1 KB cell, a 64 KB line, a policy over 1 MB, a 50 MB
//! TOML line. Each ends quickly (a time limit on the process, not on code) in little memory,
//! with a short message naming file and line, and the ledger as it was.

#[path = "fixtures/nasty/support.rs"]
mod support;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use support::*;

/// What a run under a limit came to.
struct Limited {
    run: Run,
    /// Peak resident memory of the process.
    max_rss_mb: f64,
}

/// Runs `zhitong ARGS` on `db` and kills it if it is not done within `limit`. The process is
/// reaped by `wait4`, which also reports its peak memory.
#[cfg(unix)]
#[allow(clippy::zombie_processes)]
fn run_limited(db: &Path, args: &[&str], limit: Duration) -> Limited {
    use std::io::Read;
    let mut child = command(db, args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    // Read both pipes meanwhile: a flood of output must not block the process.
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            break;
        }
        if started.elapsed() > limit {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            panic!("zhitong {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    Limited {
        run: Run {
            code,
            stdout,
            stderr,
        },
        // Linux reports kilobytes.
        max_rss_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

const LIMIT: Duration = Duration::from_secs(2);
const MEMORY_MB: f64 = 100.0;

#[cfg(unix)]
#[test]
fn dev_zero_as_a_spreadsheet_or_a_policy_ends_at_once() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("NOTICE: no /dev/zero; skipped");
        return;
    }
    let l = Ledger::seeded(20, 0);
    let before = l.snapshot();
    let csv = l.file("ok.csv", workers_csv(0..20, 60).as_bytes());
    let csv = csv.to_string_lossy().into_owned();
    for args in [
        vec!["import", "workers", "/dev/zero"],
        vec!["import", "workers", "/dev/zero", "--encoding", "gbk"],
        vec!["--policy", "/dev/zero", "import", "workers", &csv],
        vec!["--policy", "/dev/zero", "stats"],
    ] {
        let r = run_limited(&l.db, &args, LIMIT);
        r.run.assert_no_panic();
        assert_eq!(r.run.code, 1, "{args:?}: {}", head(&r.run.stderr));
        // Import names the file, the policy its path; both the first line.
        assert!(
            r.run.stderr.contains("zero:1"),
            "{args:?}: {}",
            r.run.stderr
        );
        assert!(
            r.run.stderr.len() < 600,
            "{args:?}: {} bytes",
            r.run.stderr.len()
        );
        assert!(
            r.max_rss_mb < MEMORY_MB,
            "{args:?}: {:.0} MB resident",
            r.max_rss_mb
        );
    }
    assert_eq!(l.snapshot(), before);
}

/// A header, then zeros without end, through a pipe: the row is given up, not read forever.
#[cfg(unix)]
#[test]
fn a_header_then_endless_zeros_stops_at_the_second_line() {
    let l = Ledger::seeded(20, 0);
    let before = l.snapshot();
    let fifo = l.dir.path().join("endless.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) else {
            return;
        };
        let _ = writeln!(f, "{HEADER_ZH}");
        let zeros = vec![0u8; 64 << 10];
        // Until the reader goes away (broken pipe).
        while f.write_all(&zeros).is_ok() {}
    });
    let r = run_limited(&l.db, &["import", "workers", fifo.to_str().unwrap()], LIMIT);
    writer.join().unwrap();
    r.run.assert_no_panic();
    assert_eq!(r.run.code, 1, "{}", head(&r.run.stderr));
    assert!(r.run.stderr.contains("endless.csv:2"), "{}", r.run.stderr);
    assert!(r.run.stderr.contains("16 MB"), "{}", r.run.stderr);
    assert!(r.max_rss_mb < MEMORY_MB, "{:.0} MB", r.max_rss_mb);
    assert_eq!(l.snapshot(), before);
}

#[test]
fn a_cell_over_1_kb_is_rejected_by_field_with_a_short_excerpt() {
    let l = Ledger::seeded(20, 0);
    let mut rows = vec![worker_row(0, 60)];
    let long_village = "村".repeat(400); // 1,200 bytes
    let row = worker_row(1, 60);
    let cells: Vec<&str> = row.split(',').collect();
    let mut bad = cells.clone();
    bad[5] = &long_village;
    rows.push(bad.join(","));
    rows.push(worker_row(2, 60));
    let csv = format!("{HEADER_ZH}\n{}\n", rows.join("\n"));
    let (run, before) = import_bytes(&l, "workers", "cell.csv", csv.as_bytes(), &["--json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let v = run.json();
    let r = &v["rejected"][0];
    assert_eq!(
        (r["line"].as_u64(), r["field"].as_str()),
        (Some(3), Some("village"))
    );
    assert!(r["reason"].as_str().unwrap().contains("1 KB"), "{r}");
    assert!(r["value"].as_str().unwrap().chars().count() <= 61, "{r}");
    assert_nothing_written(&before, &l.db, "cell.csv");
}

#[test]
fn a_line_over_64_kb_of_small_cells_is_one_rejected_row_and_later_lines_keep_their_numbers() {
    let l = Ledger::seeded(20, 0);
    let wide = format!("{}{}", worker_row(1, 60), ",x".repeat(40_000));
    let csv = format!(
        "{HEADER_ZH}\n{}\n{wide}\n{}\n{}\n",
        worker_row(0, 60),
        worker_row(2, 60),
        // Line 5: a bad phone, to see that line numbers still hold after the skip.
        worker_row(3, 60).replacen("13900000003", "123", 1)
    );
    let (run, before) = import_bytes(&l, "workers", "wide.csv", csv.as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", head(&run.stderr));
    assert_eq!(
        rejections(&run, "wide.csv"),
        [(3, "row".to_string()), (5, "phone".to_string())]
    );
    assert!(run.stderr.contains("64 KB"), "{}", run.stderr);
    assert!(run.stderr.len() < 1000, "{} bytes", run.stderr.len());
    assert!(run.stdout.contains("2 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "wide.csv");
}

/// A quote left open early in a large file: the row is named at the quote's line, and the
/// file is read in bounded memory instead of as one giant cell.
#[test]
fn a_stray_quote_in_a_large_file_is_one_rejected_row() {
    let l = Ledger::seeded(20, 0);
    let mut csv = format!(
        "{HEADER_ZH}\n{}\n\"{}\n",
        worker_row(0, 60),
        worker_row(1, 60)
    );
    for n in 2..5_000 {
        csv.push_str(&worker_row(n, 60));
        csv.push('\n');
    }
    let (run, before) = import_bytes(&l, "workers", "quote.csv", csv.as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", head(&run.stderr));
    let r = rejections(&run, "quote.csv");
    assert_eq!(r.first().map(|r| r.0), Some(3), "{}", head(&run.stderr));
    assert!(run.stderr.contains("quote"), "{}", head(&run.stderr));
    assert!(run.stderr.len() < 2000, "{} bytes", run.stderr.len());
    assert_nothing_written(&before, &l.db, "quote.csv");
}

#[test]
fn a_policy_over_1_mb_or_with_a_50_mb_line_is_refused_in_a_few_words() {
    let l = Ledger::seeded(20, 0);
    let before = l.snapshot();
    let mut comments = String::new();
    while comments.len() <= 1 << 20 {
        comments.push_str("# 每个县的集合点见下表\n");
    }
    let big = l.file("big.toml", comments.as_bytes());
    let mut line = b"default_gathering_point = \"".to_vec();
    line.resize(50 << 20, b'x');
    let huge = l.file("huge.toml", &line);
    // Under 1 MB but one bad line of 900 KB: quoted short, at its line.
    let long_bad = format!("load_factor = 0.5\nload_factor = {}\n", "9".repeat(900_000));
    let long_bad = l.file("long.toml", long_bad.as_bytes());
    for (path, says) in [
        (&big, "big.toml:"),
        (&huge, "huge.toml:1"),
        (&long_bad, "line 2"),
    ] {
        let run = l.run(&["--policy", path.to_str().unwrap(), "stats"]);
        run.assert_no_panic();
        assert_eq!(run.code, 1, "{says}: {}", head(&run.stderr));
        assert!(run.stderr.contains(says), "{says}: {}", head(&run.stderr));
        assert!(run.stderr.len() < 600, "{says}: {} bytes", run.stderr.len());
    }
    assert!(l
        .run(&["--policy", big.to_str().unwrap(), "stats"])
        .stderr
        .contains("1 MB"));
    assert_eq!(l.snapshot(), before);
}
