//! The attendant on a phone in portrait: the real binary in a 40×20 tmux window boards every
//! passenger, departs, takes a temperature round and hands over at the gate — with the ID's
//! last four on screen and the keys for the trip's state in the footer at each step. And a
//! `keys.toml` putting two commands of one screen on one key is refused before the console
//! opens, naming both.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};

/// A planned bus of the day with a handful of passengers: its plate and seats with ID endings.
fn planned_bus(demo: &Demo) -> (String, Vec<(u32, String)>) {
    demo.plan_the_day();
    let conn = demo.conn();
    let plate: String = conn
        .query_row(
            "SELECT bus.plate FROM trips t JOIN buses bus ON bus.id = t.bus_id
               JOIN passengers p ON p.trip_id = t.id
             WHERE t.date = ?1 GROUP BY t.id HAVING count(*) BETWEEN 3 AND 12
             ORDER BY count(*), bus.plate LIMIT 1",
            [DAY],
            |r| r.get(0),
        )
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.seat, substr(w.id_number, 15) FROM passengers p
               JOIN workers w ON w.id = p.worker_id JOIN trips t ON t.id = p.trip_id
               JOIN buses bus ON bus.id = t.bus_id
             WHERE bus.plate = ?1 AND t.date = ?2 ORDER BY p.seat",
        )
        .unwrap();
    let seats = stmt
        .query_map([&plate, DAY], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (plate, seats)
}

fn footer(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn attendant_boards_rounds_and_arrives_on_a_40_by_20_terminal() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let (plate, seats) = planned_bus(&demo);
    let n = seats.len();
    let t = Tmux::start_sized(&demo, &format!("--bus {plate}"), 40, 20);
    let s = t.wait_for(&format!("应到 {n}"));
    let (_, last4) = &seats[0];
    assert!(s.contains(&format!("…{last4}")), "the ID's last four: {s}");
    assert!(s.contains("尾号"), "{s}");
    for line in s.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 40, "{line}");
    }
    // Before departure the door's keys.
    let keys = footer(&s);
    assert!(keys.contains("b登车") && keys.contains("?帮助"), "{keys}");
    for (seat, _) in &seats {
        t.text("/");
        t.keys(&["C-u"]);
        t.text(&seat.to_string());
        t.keys(&["Enter"]);
        t.wait_for("乘客 · 1/");
        t.keys(&["b"]);
        t.wait_for("体温 °C");
        t.text("36.5");
        t.keys(&["Enter"]);
        t.wait_for("已登车");
    }
    t.wait_for(&format!("已登车 {n}"));
    t.keys(&["Escape"]);
    t.keys(&["D"]);
    t.wait_for("发车？");
    t.keys(&["y"]);
    let s = t.wait_for("已发车");
    // On the road: round, stop, observation and arrival first; no door keys.
    let s = if footer(&s).contains("t测温") {
        s
    } else {
        t.wait_for("t测温")
    };
    let keys = footer(&s);
    assert!(keys.starts_with(" t测温"), "{keys}");
    assert!(!keys.contains("b登车") && !keys.contains("D发车"), "{keys}");
    t.keys(&["t"]);
    t.wait_for("途中测温");
    t.text("36.6");
    t.keys(&["Enter"]);
    t.wait_for(&format!("测温 1 / 车上 {n} 人"));
    t.keys(&["Escape"]);
    t.keys(&["A"]);
    t.wait_for("接收人");
    t.text("周主任");
    t.keys(&["Enter"]);
    t.wait_for(&format!("交接 {n} 人"));
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");
    let status: String = demo
        .conn()
        .query_row(
            "SELECT t.status FROM trips t JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND t.date = ?2",
            [&plate, DAY],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "arrived");
}

#[test]
fn keys_toml_binding_two_commands_of_one_screen_to_one_key_is_refused_naming_both() {
    let demo = Demo::build();
    let dir = demo.dir.path().join("config/zhitong");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keys.toml"), "[roster]\nrefuse = \"b\"\n").unwrap();
    let out = demo.cli(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("keys.toml"), "{err}");
    assert!(err.contains("check-in") && err.contains("refuse"), "{err}");
    assert!(err.contains("一个键只能对应一个命令"), "{err}");
}
