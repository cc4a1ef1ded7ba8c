//! The departure board in a real 80×24 terminal (tmux) on a ledger built with `zhitong import`:
//! a bus overdue on the road and destinations not told are flagged in full, and `N` records a
//! notice for the selected trip's province. Skipped, with a notice, where tmux is missing.

#[path = "fixtures/notice/mod.rs"]
mod fixture;

use fixture::*;
use std::process::Command;
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(d: &Day, now: &str, size: (u16, u16)) -> Tmux {
        let socket = d.dir.path().join("tmux").display().to_string();
        let home = d.dir.path().display();
        let script = format!(
            "env HOME='{home}' XDG_STATE_HOME='{home}/state' XDG_CONFIG_HOME='{home}/config' \
             XDG_DATA_HOME='{home}/data' TZ={TZ} ZHITONG_NOW={now} LANG=C.UTF-8 \
             '{BIN}' --db '{db}' --operator 王科长 --lang zh; echo EXITED $?; sleep 60",
            db = d.db.display()
        );
        let t = Tmux { socket };
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let o = t
            .tmux(&["new-session", "-d", "-s", "z", "-x", &w, "-y", &h, &script])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        t
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-S", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .env_remove("TMUX");
        c
    }

    fn screen(&self) -> String {
        let o = self
            .tmux(&["capture-pane", "-p", "-t", "z"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "z"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status().unwrap().success());
        std::thread::sleep(Duration::from_millis(80));
    }

    fn text(&self, text: &str) {
        assert!(self
            .tmux(&["send-keys", "-t", "z", "-l", text])
            .status()
            .unwrap()
            .success());
        std::thread::sleep(Duration::from_millis(80));
    }

    /// The screen once `ok` holds for it (10 s at most).
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("waited 10 s for {what}; the screen shows:\n{s}");
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

fn tmux_missing() -> bool {
    let missing = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true);
    if missing {
        eprintln!("NOTICE: tmux not found: the board's flags in a terminal were not checked");
    }
    missing
}

fn row<'a>(screen: &'a str, plate: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(plate))
        .unwrap_or_else(|| panic!("no row of {plate}:\n{screen}"))
}

#[test]
fn the_board_at_80x24_flags_an_overdue_bus_and_destinations_not_told() {
    if tmux_missing() {
        return;
    }
    let d = imported();
    d.ok(
        "2020-02-21T06:30",
        &[
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "浙江",
            "--to",
            "浙江省交通运输厅",
        ],
    );
    // The Xi'an bus left at 07:35 without a notice; expected 09:35, overdue after 11:35.
    d.board_and_depart(XIAN_BUS, "2020-02-21T07:35");
    let t = Tmux::start(&d, "2020-02-21T11:40", (80, 24));
    let s = t.wait("the day's three buses", |s| {
        [NINGBO_BUS, SUZHOU_BUS, XIAN_BUS]
            .iter()
            .all(|p| s.contains(p))
    });
    // Every line keeps to the 80 columns.
    for line in s.lines() {
        assert!(line.width() <= 80, "{line:?}");
    }
    let xian = row(&s, XIAN_BUS);
    assert!(xian.contains("超时未到"), "{s}");
    assert!(xian.contains("未通知"), "{s}");
    assert!(xian.contains("09:35"), "the expected arrival: {s}");
    assert!(row(&s, SUZHOU_BUS).contains("未通知"), "{s}");
    assert!(row(&s, SUZHOU_BUS).contains("02-22 01:10"), "{s}");
    let ningbo = row(&s, NINGBO_BUS);
    assert!(
        !ningbo.contains("未通知") && !ningbo.contains("超时"),
        "{s}"
    );

    // `N` on the first row (Suzhou) prepares the command; the officer types whom it went to.
    t.keys(&["g"]);
    t.keys(&["N"]);
    t.wait("the prepared command", |s| {
        s.contains(":notice-sent 江苏省")
    });
    t.text("苏州市人社局");
    t.keys(&["Enter"]);
    let s = t.wait("the Suzhou row told", |s| {
        s.lines()
            .any(|l| l.contains(SUZHOU_BUS) && !l.contains("未通知"))
    });
    assert!(row(&s, XIAN_BUS).contains("未通知"), "{s}");
    assert_eq!(
        d.count(
            "SELECT COUNT(*) FROM notices WHERE province = '江苏省' AND sent_to = '苏州市人社局'"
        ),
        1
    );
    t.keys(&["q"]);
    t.wait("the console to quit", |s| s.contains("EXITED 0"));
}
