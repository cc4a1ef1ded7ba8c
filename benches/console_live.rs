//! The real console on the 1,000,000-worker database, in tmux: wall time from launch to the
//! first frame on screen, what the console logs for its first frame and its search index, and
//! resident memory while an officer visits every screen, filters and plans the whole city.
//! Prints a table for `benches/console.md`. Needs tmux (skips with a notice without it).

mod console_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zhitong");

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(db: &Path, state: &Path) -> (Tmux, Instant) {
        let socket = format!("zhitong-live-{}", std::process::id());
        let t = Tmux { socket };
        let _ = t.cmd(&["kill-server"]).output();
        let started = Instant::now();
        let ok = t
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "live",
                "-x",
                "200",
                "-y",
                "50",
                "--",
                "env",
                "ZHITONG_TODAY=2020-02-21",
                &format!("XDG_STATE_HOME={}", state.display()),
                &format!("XDG_CONFIG_HOME={}", state.display()),
                BIN,
                "--db",
                db.to_str().unwrap(),
                "--lang",
                "zh",
                "--operator",
                "bench",
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux new-session failed");
        (t, started)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]).args(args);
        c
    }

    fn screen(&self) -> String {
        let out = self
            .cmd(&["capture-pane", "-p", "-t", "live"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "live"];
        args.extend_from_slice(keys);
        self.cmd(&args).status().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_for(&self, text: &str, secs: u64) -> Duration {
        let t = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                t.elapsed() < Duration::from_secs(secs),
                "no {text:?} on:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        t.elapsed()
    }

    fn pid(&self) -> u32 {
        let out = self
            .cmd(&["list-panes", "-t", "live", "-F", "#{pane_pid}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]).output();
    }
}

/// (VmRSS, VmHWM) in MB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

/// Milliseconds the console logged after `what` (`first frame`, `search index built`).
fn logged_ms(state: &Path, what: &str) -> Option<f64> {
    let log = std::fs::read_to_string(state.join("zhitong/console.log")).ok()?;
    let line = log.lines().rev().find(|l| l.contains(what))?;
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("ms="))
        .and_then(|v| v.parse().ok())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let db = console_support::bench_db();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "| run | launch → frame on screen (ms) | first frame logged (ms) | index built (ms) |"
    );
    println!("|---|---|---|---|");
    for run in 1..=5 {
        let state = dir.path().join(format!("run{run}"));
        let (t, started) = Tmux::start(&db, &state);
        t.wait_for("直通车", 10);
        let on_screen = started.elapsed();
        let t0 = Instant::now();
        while logged_ms(&state, "search index built").is_none() && t0.elapsed().as_secs() < 20 {
            std::thread::sleep(Duration::from_millis(20));
        }
        println!(
            "| {run} | {:.0} | {:.1} | {:.0} |",
            on_screen.as_secs_f64() * 1000.0,
            logged_ms(&state, "first frame").unwrap_or(f64::NAN),
            logged_ms(&state, "search index built").unwrap_or(f64::NAN),
        );
    }
    let state = dir.path().join("memory");
    let (t, _) = Tmux::start(&db, &state);
    let pid = t.pid();
    t.wait_for("直通车", 10);
    let mut rows = vec![("first frame", memory(pid))];
    while logged_ms(&state, "search index built").is_none() {
        std::thread::sleep(Duration::from_millis(50));
    }
    rows.push(("search index built", memory(pid)));
    t.keys(&["1"]);
    t.wait_for("5000 / 5000", 30);
    rows.push(("destinations (5,000 employers)", memory(pid)));
    t.keys(&["2"]);
    t.keys(&["/", "张"]);
    t.wait_for("筛选 张 →", 10);
    t.keys(&["Enter"]);
    rows.push(("workers filtered 张", memory(pid)));
    t.keys(&["4"]);
    t.wait_for("辆 ·", 30);
    rows.push(("board (6,561 buses)", memory(pid)));
    t.keys(&["6"]);
    t.wait_for("统计 2020-02-21 ─", 30);
    t.keys(&["3"]);
    t.keys(&[":"]);
    t.keys(&["-l", "plan 2020-02-22 旬阳县"]);
    t.keys(&["Enter"]);
    let county = t.wait_for("编排方案 2020-02-22 · 旬阳县", 120);
    rows.push((
        "plan review of 2020-02-22, one county (旬阳县)",
        memory(pid),
    ));
    t.keys(&["Escape"]);
    t.keys(&["p"]);
    let took = t.wait_for("编排方案 2020-02-22 ·", 120);
    rows.push(("plan review of 2020-02-22, whole city", memory(pid)));
    std::thread::sleep(Duration::from_secs(2));
    rows.push(("two seconds later", memory(pid)));
    println!();
    println!("| after | resident (MB) | peak so far (MB) |");
    println!("|---|---|---|");
    for (what, (rss, hwm)) in rows {
        println!("| {what} | {rss:.0} | {hwm:.0} |");
    }
    println!();
    println!(
        "proposal on screen after {:.1} s (one county), {:.1} s (whole city)",
        county.as_secs_f64(),
        took.as_secs_f64()
    );
}
