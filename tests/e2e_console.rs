//! The real binary in tmux on a demo database: an officer moves between screens, filters the
//! ledger, plans and applies the day, quits, and the terminal comes back.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};

#[test]
fn officer_moves_filters_plans_a_day_and_quits() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let t = Tmux::start(&demo, "");
    t.wait_for(&format!("发车 {DAY}"));
    t.keys(&["1"]);
    t.wait_for("目的地 · 40 / 40");
    t.keys(&["2"]);
    t.wait_for("台账 · 2,000 人");
    // Filter as you type: the count after the arrow follows each key.
    t.text("/张");
    let s = t.wait_for("筛选 张 →");
    assert!(s.contains("张"), "{s}");
    t.keys(&["Enter"]);
    t.keys(&["Escape"]);
    t.wait_for("台账 · 2,000 人 ─");
    // Plan the working day, review, apply after the confirmation.
    t.keys(&["3"]);
    t.wait_for(&format!("批次 {DAY}"));
    t.keys(&["p"]);
    t.wait_for(&format!("编排方案 {DAY}"));
    t.keys(&["a"]);
    t.wait_for("请确认");
    t.keys(&["Right"]);
    t.keys(&["Enter"]);
    t.wait_for("已编排");
    let trips: i64 = demo
        .conn()
        .query_row("SELECT count(*) FROM trips WHERE date = ?1", [DAY], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(trips > 0, "the plan was written");
    t.keys(&["4"]);
    let s = t.wait_for("登车/应到");
    assert!(s.contains("待发"), "planned buses on the board: {s}");
    t.keys(&["6"]);
    t.wait_for(&format!("统计 {DAY}"));
    assert!(t.alternate_screen_on());
    t.keys(&["q"]);
    let s = t.wait_for("ZHITONG-EXITED-0");
    assert!(!s.contains("直通车"), "the console's screen is gone: {s}");
    assert!(!t.alternate_screen_on(), "the alternate screen was left");
}

#[test]
fn ctrl_c_restores_the_terminal_too() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let t = Tmux::start(&demo, "");
    t.wait_for("直通车");
    t.keys(&["2", "e"]);
    t.keys(&["C-c"]);
    t.wait_for("ZHITONG-EXITED-0");
    assert!(!t.alternate_screen_on());
}

#[test]
fn an_unknown_or_misspelt_bus_is_refused_before_the_screen_is_taken() {
    let demo = Demo::build();
    let out = demo.cli(&["--bus", "陕A99999"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("车队中没有车辆 陕A99999"), "{err}");
    let out = demo.cli(&["--bus", "xyz"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a plate that cannot be one is a usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("'xyz'"));
}

#[test]
fn a_check_in_from_the_command_line_shows_on_the_open_board() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    demo.plan_the_day();
    let (plate, seat, due): (String, u32, i64) = demo
        .conn()
        .query_row(
            "SELECT b.plate, min(p.seat), (SELECT count(*) FROM passengers p2 JOIN trips t2 ON t2.id = p2.trip_id WHERE t2.date = ?1)
             FROM trips t JOIN buses b ON b.id = t.bus_id JOIN passengers p ON p.trip_id = t.id
             WHERE t.date = ?1 GROUP BY t.id ORDER BY b.plate LIMIT 1",
            [DAY],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let t = Tmux::start(&demo, "");
    t.wait_for(&format!("登车 0/{due}"));
    let started = std::time::Instant::now();
    let out = demo.cli(&[
        "board",
        "--bus",
        &plate,
        "--seat",
        &seat.to_string(),
        "--temp",
        "36.5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.wait_for(&format!("登车 1/{due}"));
    // The console reads PRAGMA data_version every 0.4 s; allow for a loaded machine.
    assert!(
        started.elapsed().as_millis() < 2000,
        "took {:?}",
        started.elapsed()
    );
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");
}
