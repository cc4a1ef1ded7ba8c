//! The console in a real terminal (tmux): at 20×5, 80×24 and 300×100, resized while it runs,
//! with Chinese names on every screen. It never panics, every frame keeps its status bar and
//! footer with the borders in place, and quitting gives the terminal back (no alternate screen,
//! cursor shown, cooked mode). Skipped, with a notice, where tmux is not installed.

#[path = "fixtures/nasty/support.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::*;
use unicode_width::UnicodeWidthStr;

/// The console's own floor (src/console/ui.rs): below it only a one-line notice is drawn.
const MIN: (u16, u16) = (40, 10);

fn tmux_missing() -> bool {
    let missing = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true);
    if missing {
        eprintln!("tmux not found: terminal tests skipped");
    }
    missing
}

/// A private tmux server with one window running the console; killed when dropped.
struct Tmux {
    socket: String,
    ledger: Ledger,
}

impl Tmux {
    fn start(name: &str, size: (u16, u16), extra: &str) -> Tmux {
        let ledger = Ledger::seeded(180, 12);
        let mut ctx = ledger.ctx();
        let day = ctx.today;
        zhitong::ops::plan::apply(&mut ctx, day, None).expect("plan");
        drop(ctx);
        let home = ledger.dir.path().display().to_string();
        // The server's socket lives in the test's temporary directory and goes with it.
        let socket = ledger
            .dir
            .path()
            .join(format!("tmux-{name}"))
            .display()
            .to_string();
        // The shell line: the console, then what it left behind (exit code, terminal modes).
        let script = format!(
            "env HOME='{home}' XDG_STATE_HOME='{home}/state' XDG_CONFIG_HOME='{home}/config' \
             XDG_DATA_HOME='{home}/data' ZHITONG_TODAY={DAY} '{bin}' --db '{db}' --operator {OPERATOR} \
             --lang zh {extra}; echo \"EXITED $?\"; stty -a | tr ';' '\\n' | tr ' ' '\\n' | grep -x -e '-*icanon' -e '-*echo' | tr '\\n' ' '; echo; sleep 120",
            bin = env!("CARGO_BIN_EXE_zhitong"),
            db = ledger.db.display(),
        );
        let t = Tmux { socket, ledger };
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let out = t.tmux(&["new-session", "-d", "-s", "z", "-x", &w, "-y", &h, &script]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-S", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    fn screen(&self) -> Vec<String> {
        let out = self.tmux(&["capture-pane", "-p", "-t", "z"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn show(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "z", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let out = if k.chars().count() == 1 && !k.is_ascii() {
                self.tmux(&["send-keys", "-t", "z", "-l", k])
            } else {
                self.tmux(&["send-keys", "-t", "z", k])
            };
            assert!(out.status.success());
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn resize(&self, (w, h): (u16, u16)) {
        let out = self.tmux(&[
            "resize-window",
            "-t",
            "z",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Waits until the screen passes `check` (up to 10 s: a resize takes a frame or two to
    /// arrive, and tmux shows the cropped old frame meanwhile) and returns it.
    fn wait_for(&self, what: &str, check: impl Fn(&[String]) -> Result<(), String>) -> Vec<String> {
        let start = Instant::now();
        loop {
            let s = self.screen();
            let verdict = check(&s);
            if verdict.is_ok() {
                return s;
            }
            assert!(
                !s.iter().any(|l| l.contains("panicked")),
                "the console panicked:\n{}",
                s.join("\n")
            );
            if start.elapsed() > Duration::from_secs(10) {
                panic!(
                    "waited 10 s for {what}: {}; the screen:\n{}",
                    verdict.err().unwrap_or_default(),
                    s.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A whole, sane frame for a window of `size`: waited for, checked, returned.
    fn frame(&self, size: (u16, u16), context: &str) -> Vec<String> {
        let db = self
            .ledger
            .db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (w, h) = (usize::from(size.0), usize::from(size.1));
        let small = size.0 < MIN.0 || size.1 < MIN.1;
        let s = self.wait_for(&format!("{context} at {w}×{h}"), |s| {
            // Whatever way the console ended, the shell line would print EXITED on the screen.
            if s.iter().any(|l| l.starts_with("EXITED")) {
                panic!("{context}: the console is gone:\n{}", s.join("\n"));
            }
            if s.len() != h {
                return Err(format!("{} lines", s.len()));
            }
            if small {
                return match s.iter().any(|l| l.contains("窗口太小")) {
                    true => Ok(()),
                    false => Err("no 'window too small' notice".into()),
                };
            }
            // Status bar (database, operator), then a footer of key hints.
            if !(s[h - 2].contains(&db) && s[h - 2].contains(OPERATOR)) {
                return Err("no status bar on the last line but one".into());
            }
            if s[h - 1].trim().chars().count() < 4 {
                return Err("no footer on the last line".into());
            }
            for (i, line) in s.iter().enumerate() {
                let lw = line.width();
                if lw > w {
                    return Err(format!("line {i} is {lw} wide"));
                }
                // A right border anywhere but the last column: a miscounted wide character.
                let boxed =
                    line.starts_with(['│', '┌', '└', '├']) && line.ends_with(['│', '┐', '┘', '┤']);
                if boxed && lw != w {
                    return Err(format!("line {i}: right border at column {lw}"));
                }
            }
            Ok(())
        });
        assert_eq!(self.show("#{alternate_on}"), "1", "{context}");
        s
    }

    /// `q`, then the terminal as the shell gets it back.
    fn quit_and_check_restored(&self) {
        self.keys(&["q"]);
        let s = self.wait_for("the console to exit", |s| {
            match s.iter().any(|l| l.starts_with("EXITED")) {
                true => Ok(()),
                false => Err("still running".into()),
            }
        });
        assert!(s.iter().any(|l| l == "EXITED 0"), "{}", s.join("\n"));
        let modes = self.wait_for("stty", |s| match s.iter().any(|l| l.contains("icanon")) {
            true => Ok(()),
            false => Err("no stty output".into()),
        });
        let modes = modes
            .iter()
            .find(|l| l.contains("icanon"))
            .cloned()
            .unwrap_or_default();
        let modes: Vec<&str> = modes.split_whitespace().collect();
        assert!(
            modes.contains(&"icanon") && modes.contains(&"echo"),
            "raw mode left on: {modes:?}"
        );
        assert_eq!(
            self.show("#{alternate_on}"),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(self.show("#{cursor_flag}"), "1", "cursor left hidden");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Every screen, the filter with a Chinese name typed in, help and back, then a tour of sizes.
fn exercise(t: &Tmux, size: (u16, u16)) {
    let keys: &[(&[&str], &str)] = &[
        (&["1"], "destinations"),
        (&["2"], "workers"),
        (&["/", "王", "芳", "Escape"], "workers filtered by 王芳"),
        (&["3"], "batches"),
        (&["4"], "departure board"),
        (&["Enter"], "a bus from the board"),
        (&["Escape", "6"], "statistics"),
        (&["Tab", "Tab"], "tab"),
        (&["?"], "help"),
        (&["Escape"], "help closed"),
    ];
    for (k, what) in keys {
        t.keys(k);
        t.frame(size, what);
    }
    for next in [
        (20, 5),
        (80, 24),
        (300, 100),
        (39, 9),
        (40, 10),
        (120, 40),
        size,
    ] {
        t.resize(next);
        t.frame(next, "after resize");
    }
}

fn run_at(name: &str, size: (u16, u16)) {
    if tmux_missing() {
        return;
    }
    let t = Tmux::start(name, size, "");
    t.frame(size, "first frame");
    exercise(&t, size);
    t.quit_and_check_restored();
}

#[test]
fn console_at_20x5() {
    run_at("tiny", (20, 5));
}

#[test]
fn console_at_80x24() {
    run_at("std", (80, 24));
}

#[test]
fn console_at_300x100() {
    run_at("huge", (300, 100));
}

#[test]
fn attendant_roster_with_chinese_names_survives_resizes() {
    if tmux_missing() {
        return;
    }
    let t = Tmux::start("roster", (80, 24), &format!("--bus {}", plate(0)));
    t.frame((80, 24), "roster");
    // The roster loads off the render path: the first whole frame may still say it is loading.
    t.wait_for("the roster with its plate", |s| {
        match s.iter().any(|l| l.contains(&plate(0))) {
            true => Ok(()),
            false => Err(format!("no {}", plate(0))),
        }
    });
    for next in [(300, 100), (20, 5), (41, 11), (80, 24)] {
        t.resize(next);
        t.frame(next, "roster after resize");
    }
    t.quit_and_check_restored();
}

/// `kill PID` (SIGTERM: an administrator, `timeout`, a shutdown) ends the console and gives the
/// terminal back: not left on the alternate screen, cursor hidden, in raw mode.
#[test]
fn sigterm_gives_the_terminal_back() {
    if tmux_missing() {
        return;
    }
    let t = Tmux::start("term", (80, 24), "");
    t.frame((80, 24), "first frame");
    let shell = t.show("#{pane_pid}");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("the console's process id");
    let console = children.split_whitespace().next().expect("console process");
    let out = Command::new("kill")
        .args(["-TERM", console])
        .output()
        .expect("kill");
    assert!(out.status.success());
    let start = Instant::now();
    while Path::new(&format!("/proc/{console}")).exists() {
        assert!(start.elapsed() < Duration::from_secs(10), "SIGTERM ignored");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let s = t.screen();
    assert!(
        s.iter().any(|l| l.starts_with("EXITED")),
        "output not at column 0 (raw mode):\n{}",
        s.join("\n")
    );
    assert_eq!(
        t.show("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(t.show("#{cursor_flag}"), "1", "cursor left hidden");
}
