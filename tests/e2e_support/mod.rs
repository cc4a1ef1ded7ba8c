//! Runs the real binary inside a private tmux server: keys go in with `send-keys`, the screen
//! comes back with `capture-pane -p`. Every wait polls the screen with a deadline.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_zhitong");

/// The day the demo is built for and the console works on.
pub const DAY: &str = "2020-02-21";

pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A built demo ledger in a temporary directory, with the console's state and config kept
/// there too (logs, keys.toml), never in the user's home.
pub struct Demo {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Demo {
    pub fn build() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.db");
        let out = Demo::command_in(dir.path())
            .args(["--db", db.to_str().unwrap(), "demo", "--no-tui"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Demo { dir, db }
    }

    fn command_in(dir: &Path) -> Command {
        let mut c = Command::new(BIN);
        c.env("ZHITONG_TODAY", DAY)
            .env("XDG_STATE_HOME", dir.join("state"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("HOME", dir)
            .env_remove("ZHITONG_DB");
        c
    }

    /// `zhitong --db DEMO --lang zh ARGS…`
    pub fn cli(&self, args: &[&str]) -> Output {
        Demo::command_in(self.dir.path())
            .args(["--db", self.db.to_str().unwrap(), "--lang", "zh"])
            .args(args)
            .output()
            .unwrap()
    }

    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// Plans the demo day and writes the plan (`plan --date DAY --apply`).
    pub fn plan_the_day(&self) {
        let out = self.cli(&["plan", "--date", DAY, "--apply"]);
        assert!(
            out.status.success(),
            "plan: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Plans the demo day, then names its fullest bus of 5 to 12 passengers (a roster that
    /// fits the screen).
    pub fn plan_a_small_bus(&self) -> String {
        self.plan_the_day();
        self.conn()
            .query_row(
                "SELECT bus.plate FROM trips t JOIN buses bus ON bus.id = t.bus_id
                   JOIN passengers p ON p.trip_id = t.id
                 WHERE t.date = ?1 GROUP BY t.id HAVING count(*) BETWEEN 5 AND 12
                 ORDER BY count(*) DESC, bus.plate LIMIT 1",
                [DAY],
                |r| r.get(0),
            )
            .unwrap()
    }
}

/// One tmux server of our own (`-L`), killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `zhitong ARGS` in a 120×40 window; when it exits the shell prints its status.
    pub fn start(demo: &Demo, args: &str) -> Tmux {
        Tmux::start_sized(demo, args, 120, 40)
    }

    /// `start` in a window of `width`×`height` (40×20: a phone in portrait).
    pub fn start_sized(demo: &Demo, args: &str, width: u16, height: u16) -> Tmux {
        let socket = format!("zhitong-e2e-{}-{}", std::process::id(), rand_suffix());
        let d = demo.dir.path().display();
        let script = format!(
            "env ZHITONG_TODAY={DAY} XDG_STATE_HOME={d}/state XDG_CONFIG_HOME={d}/config HOME={d} \
             ZHITONG_OPERATOR=王科长 LANG=C.UTF-8 {BIN} --db {} --lang zh {args}; \
             echo ZHITONG-EXITED-$?; sleep 60",
            demo.db.display()
        );
        let t = Tmux { socket };
        let out = t
            .tmux(&[
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                &script,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]).args(args);
        c
    }

    /// Sends keys (tmux key names like `Enter`, `Escape`, `Right`, or literal text with `-l`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status().unwrap().success());
        // A lone Escape followed at once by a letter reads as Alt-letter: let each land.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn text(&self, text: &str) {
        assert!(self
            .tmux(&["send-keys", "-t", "e2e", "-l", text])
            .status()
            .unwrap()
            .success());
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn screen(&self) -> String {
        let out = self
            .tmux(&["capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn alternate_screen_on(&self) -> bool {
        let out = self
            .tmux(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Waits until the screen contains `text` (5 s), returning the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("waited 5 s for {text:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).output();
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}
