//! A breakdown handled from the console, with the real binary in tmux: a bus on the road
//! breaks down; the officer finds it on the departure board, presses `S`, picks a substitute
//! coach, types the reason, and the trip goes on under its code with the new plate, on the
//! board, the roster and the command line alike.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};

#[test]
fn a_breakdown_on_the_road_is_handled_from_the_board_with_a_substitute_coach() {
    if !tmux_available() {
        eprintln!("tmux not found: skipping the console test");
        return;
    }
    let demo = Demo::build();
    demo.plan_the_day();
    let conn = demo.conn();
    let (plate, code): (String, String) = conn
        .query_row(
            "SELECT b.plate, t.code FROM trips t JOIN buses b ON b.id = t.bus_id
               JOIN passengers p ON p.trip_id = t.id
             WHERE t.date = ?1 GROUP BY t.id HAVING count(*) >= 3
             ORDER BY count(*), b.plate LIMIT 1",
            [DAY],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let seats: Vec<u32> = conn
        .prepare(
            "SELECT p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id WHERE t.code = ?1",
        )
        .unwrap()
        .query_map([&code], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for seat in &seats {
        let s = seat.to_string();
        let out = demo.cli(&["board", "--trip", &code, "--seat", &s, "--temp", "36.5"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = demo.cli(&["depart", "--trip", &code]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let t = Tmux::start(&demo, "");
    t.wait_for("登车/应到");
    // Find the bus on the board and ask for a substitute.
    t.keys(&["/"]);
    t.text(&plate);
    t.keys(&["Enter"]);
    t.wait_for(&format!("筛选 {plate}"));
    t.keys(&["S"]);
    let screen = t.wait_for(&format!("换车 {plate}（{code}，{} 人）", seats.len()));
    assert!(screen.contains("可载"), "{screen}");
    t.keys(&["Enter"]);
    let screen = t.wait_for(&format!("换车 {plate} → "));
    assert!(screen.contains("原车组随车"), "{screen}");
    t.text("途中爆胎");
    t.keys(&["Enter"]);
    t.wait_for(&format!("{code}：{plate} → "));
    let (now, status): (String, String) = demo
        .conn()
        .query_row(
            "SELECT b.plate, t.status FROM trips t JOIN buses b ON b.id = t.bus_id WHERE t.code = ?1",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_ne!(now, plate);
    assert_eq!(status, "departed", "still on the road, under its code");
    // The board lists the trip under the substitute's plate; its roster says so too.
    t.keys(&["Escape"]);
    t.keys(&["/"]);
    t.text(&now);
    t.keys(&["Enter"]);
    let board = t.wait_for(&format!("筛选 {now}"));
    assert!(
        board
            .lines()
            .any(|l| l.contains(&now) && l.contains("已发车")),
        "{board}"
    );
    t.keys(&["Enter"]);
    let roster = t.wait_for(&code);
    let head = roster
        .lines()
        .find(|l| l.contains(&code))
        .unwrap_or_default();
    assert!(
        head.starts_with(&now),
        "the roster's head names the substitute: {roster}"
    );
    // The command line agrees, and the trip's history names both coaches.
    let out = demo.cli(&["roster", "--trip", &code, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plate"], now.as_str());
    assert_eq!(v["changes"][0]["from_plate"], plate.as_str());
    assert_eq!(v["changes"][0]["to_plate"], now.as_str());
    assert_eq!(v["changes"][0]["reason"], "途中爆胎");
    assert_eq!(v["counts"]["boarded"].as_u64(), Some(seats.len() as u64));
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");
}
